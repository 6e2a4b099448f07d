/*
 * tests/fuzz/fuzz_checkpoint.c: libFuzzer target for the .qcqm checkpoint reader.
 * Random bytes would almost always stop at the checksum, so the input is taken as a
 * parameter count (8 bytes) plus a payload, and the harness writes a valid header with
 * the right sizes and checksum around it: the fuzzer then reaches the section parsers
 * (descriptor, parameters, optimiser, history, filter). Loading must fail with a
 * message or succeed, never crash or leak.
 */
#include "qcq/nn.h"
#include "qcq/qml.h"
#include "qcq/train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	uint64_t np = 0;
	memcpy(&np, data, 8);
	size_t payload = size - 8;
	uint8_t *file = malloc(48 + payload);
	memcpy(file, "QCQMODEL", 8);
	put_u32(file + 8, TRAIN_CKPT_VERSION);
	put_u32(file + 12, 48);
	put_u64(file + 16, payload);
	put_u64(file + 24, qcq_hash(QCQ_HASH_INIT, data + 8, payload));
	put_u64(file + 32, np);
	put_u64(file + 40, 0);
	memcpy(file + 48, data + 8, payload);
	char path[64];
	snprintf(path, sizeof path, "/tmp/qcq-fuzz-ckpt-%ld.qcqm", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(file, 1, 48 + payload, f);
		fclose(f);
		struct nn_model *m = NULL;
		struct train_history *h = NULL;
		struct qml_filter *flt = NULL;
		struct qcq_error err;
		if (train_checkpoint_load(path, 4, &m, &h, &flt, &err) == QCQ_OK) {
			nn_model_destroy(m);
			train_history_free(h);
			qml_filter_destroy(flt);
		}
		unlink(path);
	}
	free(file);
	return 0;
}
