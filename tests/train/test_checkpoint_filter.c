/* tests/train: checkpoints of a model with a trainable quanvolution filter -- 2 epochs,
 * save, load, resume to 4 gives the 4-epoch run bit for bit (parameters, filter angles,
 * curves); the file carries the trained circuit and the filter's learning rate; a file
 * claiming a trainable filter without its circuit is refused. */
#include "qcq/train.h"
#include "qcq/nn.h"
#include "qcq/qml.h"
#include "check.h"
#include "scratch.h"

#include <stdlib.h>

#define SIDE 20
#define PIX (SIDE * SIDE)

struct set {
	float x[40 * PIX];
	int32_t y[40];
	size_t n;
};

static void set_make(struct set *s, size_t n, uint64_t seed)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, seed);
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		s->y[i] = (int32_t)(i % 2);
		for (int p = 0; p < PIX; p++) {
			bool top = p / SIDE < SIDE / 2;
			s->x[i * PIX + p] = (top == (s->y[i] == 1) ? 0.75f : 0.25f) +
					    0.3f * (qcq_rng_uniformf(&r) - 0.5f);
		}
	}
}

static struct train_data td(const struct set *s)
{
	return (struct train_data){s->x, s->y, s->n, 1, SIDE, SIDE};
}

static struct nn_model *make(const struct qml_filter *f)
{
	struct nn_model_desc d;
	nn_model_desc_default(&d, NN_ARCH_QCQ_CNN);
	d.depth = 1, d.conv1 = 4, d.conv2 = 8, d.seed = 3;
	d.in_c = 1, d.in_h = d.in_w = SIDE;
	d.filter = NN_FILTER_TRAINABLE, d.filter_k = 2, d.filter_stride = 2;
	struct nn_model *m = NULL;
	struct qcq_error e;
	if (nn_model_create_filter(&m, &d, 8, NULL, f, &e))
		fprintf(stderr, "create: %s\n", e.msg);
	return m;
}

static void opts(struct train_opts *o, int epochs)
{
	train_opts_default(o);
	o->epochs = epochs, o->batch = 1, o->lr = 0.003, o->filter_lr = 0.02, o->seed = 7;
	o->restore_best = false;
}

static bool same_rows(const struct train_history *a, const struct train_history *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (memcmp(&a->rows[i].train_loss, &b->rows[i].train_loss, 4 * sizeof(double)))
			return false;
	return true;
}

static void test_resume_bit_for_bit(void)
{
	static struct set tr, va;
	set_make(&tr, 24, 1);
	set_make(&va, 8, 2);
	struct train_data dtr = td(&tr), dva = td(&va);
	struct qml_filter *f;
	struct qcq_error e;
	CHECK(qml_filter_create_random(&f, 2, 2, 1, 42, &e) == QCQ_OK);

	/* 4 epochs straight */
	struct nn_model *ms = make(f);
	struct train_history *hs = train_history_create();
	struct train_opts o;
	opts(&o, 4);
	CHECK(train_fit(ms, &dtr, &dva, NULL, &o, hs, NULL, NULL, &e) == QCQ_OK);
	CHECK(hs->n == 4);
	size_t np = nn_model_nparams(ms), nf = nn_model_nparams_filter(ms);
	CHECK(nf == 4);
	double th0[4];
	qml_filter_angles(f, th0);
	for (size_t a = 0; a < nf; a++) /* the filter trained: angles moved */
		CHECK(fabs(nn_model_params(ms)[a] - th0[a]) > 1e-3);

	/* 2 epochs, save, load, resume to 4 */
	struct nn_model *m = make(f);
	struct train_history *h = train_history_create();
	opts(&o, 2);
	CHECK(train_fit(m, &dtr, &dva, NULL, &o, h, NULL, NULL, &e) == QCQ_OK);
	CHECK(train_checkpoint_save(scratch_path("tf.qcqm"), m, h, NULL, &e) == QCQ_OK);
	struct nn_model *m2 = NULL;
	struct train_history *h2 = NULL;
	struct qml_filter *f2 = NULL, *cur = NULL;
	CHECK(train_checkpoint_load(scratch_path("tf.qcqm"), 8, &m2, &h2, &f2, &e) == QCQ_OK);
	CHECK(m2 && h2 && f2);
	if (m2 && h2 && f2) {
		/* the file's filter is the trained circuit */
		CHECK(nn_model_filter(m, &cur, &e) == QCQ_OK);
		CHECK(qml_filter_hash(f2) == qml_filter_hash(cur));
		CHECK(qml_filter_hash(f2) != qml_filter_hash(f));
		CHECK(memcmp(nn_model_get_desc(m), nn_model_get_desc(m2),
			     sizeof(struct nn_model_desc)) == 0);
		CHECK(h2->opts.filter_lr == 0.02);
		struct train_opts o2 = h2->opts;
		o2.epochs = 4;
		CHECK(train_fit(m2, &dtr, &dva, NULL, &o2, h2, NULL, NULL, &e) == QCQ_OK);
		CHECK(h2->n == 4 && same_rows(hs, h2));
		CHECK(memcmp(nn_model_params(ms), nn_model_params(m2), np * sizeof(float)) == 0);
		CHECK(memcmp(nn_model_opt_m(ms), nn_model_opt_m(m2), np * sizeof(float)) == 0);
		CHECK(nn_model_opt_t(ms) == nn_model_opt_t(m2));
	}
	/* without its circuit a trainable model cannot be read: rename the FILT section (an
	 * unknown tag is skipped) and fix the checksum */
	char *bytes;
	size_t nb;
	CHECK(qcq_read_file(scratch_path("tf.qcqm"), 1 << 24, &bytes, &nb, &e) == QCQ_OK);
	uint8_t *u = (uint8_t *)bytes, *tag = NULL;
	for (size_t i = 48; i + 4 <= nb && !tag; i++)
		if (!memcmp(u + i, "FILT", 4))
			tag = u + i;
	CHECK(tag != NULL);
	if (tag) {
		tag[3] = 'X';
		uint64_t sum = qcq_hash(QCQ_HASH_INIT, u + 48, nb - 48);
		for (int i = 0; i < 8; i++)
			u[24 + i] = (uint8_t)(sum >> (8 * i));
		CHECK(qcq_write_file_atomic(scratch_path("nofilt.qcqm"), u, nb, &e) == QCQ_OK);
		struct nn_model *m3 = NULL;
		CHECK(train_checkpoint_load(scratch_path("nofilt.qcqm"), 8, &m3, NULL, NULL, &e) ==
		      QCQ_EFORMAT);
		CHECK_STR_CONTAINS(e.msg, "trainable filter without a filter section");
		CHECK(m3 == NULL);
	}
	free(bytes);
	qml_filter_destroy(cur);
	qml_filter_destroy(f2);
	train_history_free(hs), train_history_free(h), train_history_free(h2);
	nn_model_destroy(ms), nn_model_destroy(m), nn_model_destroy(m2);
	qml_filter_destroy(f);
}

int main(void)
{
	if (scratch_open("ckpt-filter"))
		return 1;
	RUN(test_resume_bit_for_bit);
	scratch_close();
	return check_summary();
}
