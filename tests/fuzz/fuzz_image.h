/*
 * tests/fuzz/fuzz_image.h: the body of the PNG and JPEG decoder targets. The input is an
 * image file without its signature, which is put back so every run reaches the decoder.
 * Any input decodes or fails with a message naming the file; a decoded image has a size
 * within the limits and every pixel in [0, 1]; nothing leaks on any path (libFuzzer's
 * leak check).
 */
#ifndef QCQ_FUZZ_IMAGE_H
#define QCQ_FUZZ_IMAGE_H

#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>

static int fuzz_image(const uint8_t *sig, size_t nsig, const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(nsig + size);
	memcpy(buf, sig, nsig);
	if (size)
		memcpy(buf + nsig, data, size);
	float *px = NULL;
	int h = 0, w = 0;
	struct qcq_error err;
	if (data_decode_image(buf, nsig + size, "fuzz.img", &px, &h, &w, &err) == QCQ_OK) {
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

#endif
