/* tests/train: the K-class readout revision in checkpoints. A K-class qcq-cnn (or
 * rf-qcq-cnn) saved before its classifier bounded its inputs with tanh (revision 0, or a
 * file without the field) is refused with a message, since its parameters would make
 * another model in this build; binary models and K-class models without the quantum
 * classifier load whatever the field says. */
#include "qcq/train.h"
#include "qcq/nn.h"
#include "check.h"
#include "scratch.h"

#include <stdlib.h>
#include <string.h>

/* Saves a model of arch with K classes; then, when rev >= 0, a copy whose DESC section's
 * last field (the readout revision) is rev, checksum fixed, as path. */
static void save_with_revision(enum nn_arch arch, int K, int rev, const char *path)
{
	struct nn_model_desc d;
	nn_model_desc_default(&d, arch);
	d.nclasses = (uint32_t)K;
	struct nn_model *m = NULL;
	struct qcq_error e;
	CHECK(nn_model_create(&m, &d, 4, NULL, &e) == QCQ_OK);
	CHECK(train_checkpoint_save(path, m, NULL, NULL, &e) == QCQ_OK);
	nn_model_destroy(m);
	if (rev < 0)
		return;
	char *bytes;
	size_t nb;
	CHECK(qcq_read_file(path, 1 << 24, &bytes, &nb, &e) == QCQ_OK);
	uint8_t *u = (uint8_t *)bytes;
	CHECK(nb > 64 && !memcmp(u + 48, "DESC", 4)); /* the first section */
	uint64_t len = 0;
	for (int i = 0; i < 8; i++)
		len |= (uint64_t)u[56 + i] << (8 * i);
	uint8_t *field = u + 64 + len - 4;
	CHECK(field[0] == NN_KCLASS_READOUT_REVISION && !field[1] && !field[2] && !field[3]);
	field[0] = (uint8_t)rev;
	uint64_t sum = qcq_hash(QCQ_HASH_INIT, u + 48, nb - 48);
	for (int i = 0; i < 8; i++)
		u[24 + i] = (uint8_t)(sum >> (8 * i));
	CHECK(qcq_write_file_atomic(path, u, nb, &e) == QCQ_OK);
	free(bytes);
}

static enum qcq_status load(const char *path, struct qcq_error *e)
{
	struct nn_model *m = NULL;
	enum qcq_status st = train_checkpoint_load(path, 4, &m, NULL, NULL, e);
	CHECK((st == QCQ_OK) == (m != NULL));
	nn_model_destroy(m);
	return st;
}

static void test_readout_revision(void)
{
	struct qcq_error e;
	const char *p = scratch_path("m.qcqm");
	/* as written now: every kind loads */
	save_with_revision(NN_ARCH_QCQ_CNN, 4, -1, p);
	CHECK(load(p, &e) == QCQ_OK);
	/* the unbounded readout's files are refused, for both archs that have it */
	save_with_revision(NN_ARCH_QCQ_CNN, 4, 0, p);
	CHECK(load(p, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "a 4-class qcq-cnn saved with K-class readout revision 0");
	CHECK_STR_CONTAINS(e.msg, "train it again");
	save_with_revision(NN_ARCH_RF_QCQ_CNN, 3, 0, p);
	CHECK(load(p, &e) == QCQ_EFORMAT);
	/* binary qcq-cnn and a K-class cnn never had that readout: the field does not matter */
	save_with_revision(NN_ARCH_QCQ_CNN, 2, 0, p);
	CHECK(load(p, &e) == QCQ_OK);
	save_with_revision(NN_ARCH_CNN, 4, 0, p);
	CHECK(load(p, &e) == QCQ_OK);
}

int main(void)
{
	if (scratch_open("ckpt-kclass"))
		return 1;
	RUN(test_readout_revision);
	scratch_close();
	return check_summary();
}
