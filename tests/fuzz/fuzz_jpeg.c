/* tests/fuzz/fuzz_jpeg.c: libFuzzer target for the JPEG decoder (libjpeg through
 * data_decode_image; corrupt-data warnings are errors); see fuzz_image.h. */
#include "fuzz_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t sig[2] = {0xff, 0xd8}; /* SOI */
	return fuzz_image(sig, sizeof sig, data, size);
}
