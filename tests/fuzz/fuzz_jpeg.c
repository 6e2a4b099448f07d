/*
 * tests/fuzz/fuzz_jpeg.c: libFuzzer target for the JPEG decoder (libjpeg through data_decode_image): the input is a JPEG file without its 2-byte SOI marker, which is put back, so every run reaches libjpeg.
 * Any input decodes or fails with a message naming the file; a decoded image has a size
 * within the limits and every pixel in [0, 1]; nothing leaks on any path (libFuzzer's
 * leak check).
 */
#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t sig[2] = {0xff, 0xd8};
	uint8_t *buf = malloc(sizeof sig + size);
	memcpy(buf, sig, sizeof sig);
	if (size)
		memcpy(buf + sizeof sig, data, size);
	float *px = NULL;
	int h = 0, w = 0;
	struct qcq_error err;
	if (data_decode_image(buf, sizeof sig + size, "fuzz.img", &px, &h, &w, &err) == QCQ_OK) {
		if (h < 1 || w < 1 || h > DATA_MAX_SIDE || w > DATA_MAX_SIDE)
			abort();
		for (size_t i = 0; i < (size_t)h * (size_t)w; i++)
			if (!(px[i] >= 0.0f && px[i] <= 1.0f))
				abort();
		free(px);
	} else if (strncmp(err.msg, "fuzz.img: ", 10) != 0) {
		abort();
	}
	free(buf);
	return 0;
}
