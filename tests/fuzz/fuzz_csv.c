/*
 * tests/fuzz/fuzz_csv.c: libFuzzer target for the CSV image parser (from memory). Any
 * input parses or fails with a message; parsed pixels are in [0,1] and labels in range.
 */
#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data_set *ds;
	struct qcq_error err;
	if (data_csv_parse((const char *)data, size, "fuzz.csv", &ds, &err) != QCQ_OK) {
		if (!strstr(err.msg, "fuzz.csv"))
			abort();
		return 0;
	}
	for (size_t i = 0; i < ds->n * (size_t)ds->h * ds->w; i++)
		if (!(ds->images[i] >= 0 && ds->images[i] <= 1))
			abort();
	for (size_t i = 0; i < ds->n; i++)
		if (ds->labels[i] < 0 || ds->labels[i] >= ds->nclasses)
			abort();
	data_set_free(ds);
	return 0;
}
