/*
 * tests/fuzz/fuzz_idx.c: libFuzzer target for the IDX parser (from memory). Any input
 * parses or fails with a message naming the offset; a parsed file's sizes agree with its
 * byte count.
 */
#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data_idx h;
	struct qcq_error err;
	if (data_idx_parse(data, size, "fuzz.idx", &h, &err) == QCQ_OK) {
		size_t count = 1;
		for (int d = 0; d < h.ndim; d++)
			count *= h.dims[d];
		if (count != h.count || 4 + 4 * (size_t)h.ndim + count != size)
			abort();
		volatile uint8_t sink = h.data[h.count - 1]; /* in bounds */
		(void)sink;
	} else if (!strstr(err.msg, "fuzz.idx: offset ")) {
		abort();
	}
	return 0;
}
