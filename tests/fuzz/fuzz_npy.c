/*
 * tests/fuzz/fuzz_npy.c: libFuzzer target for the NPY parser (from memory) and what the
 * loaders do with a parsed array (images, features). Any input parses or fails with a
 * message; a parsed array's shape agrees with its values.
 */
#include "qcq/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data_array a;
	struct qcq_error err;
	if (data_npy_parse(data, size, "fuzz.npy", &a, &err) != QCQ_OK) {
		if (!strstr(err.msg, "fuzz.npy: "))
			abort();
		return 0;
	}
	size_t count = 1;
	for (int d = 0; d < a.ndim; d++)
		count *= a.shape[d];
	if (count != a.count)
		abort();
	for (size_t i = 0; i < a.count; i++)
		if (!isfinite(a.v[i]))
			abort();
	struct data_set *ds;
	if (data_set_from_arrays(&a, NULL, "fuzz.npy", &ds, &err) == QCQ_OK) {
		for (size_t i = 0; i < ds->n * (size_t)ds->h * ds->w; i++)
			if (!(ds->images[i] >= 0 && ds->images[i] <= 1))
				abort();
		data_set_free(ds);
	}
	struct data_features *f;
	if (a.ndim == 4 && data_features_from_nhwc(&a, DATA_TEST, &f, &err) == QCQ_OK)
		data_features_free(f);
	data_array_free(&a);
	return 0;
}
