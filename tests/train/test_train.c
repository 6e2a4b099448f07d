/* tests/train: the loop (learning, events, determinism, stop + resume, early stopping,
 * NaN reporting, flat memory), evaluation, CSV export, checkpoints (round trip,
 * truncated, bit-flipped, foreign files) and the history figure. */
#include "qcq/train.h"
#include "qcq/nn.h"
#include "qcq/qml.h"
#include "qcq/report.h"
#include "check.h"
#include "scratch.h"

#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

#define S 12 /* toy images are S x S */
#define P (S * S)

/* A toy task on S x S images: class 1 is brighter on the right half, plus noise. */
struct toy {
	float *x;
	int32_t *y;
	size_t n;
};

static struct toy toy_make(size_t n, uint64_t seed)
{
	struct toy t = {qcq_xmalloc(n * P * sizeof(float)), qcq_xmalloc(n * sizeof(int32_t)), n};
	struct qcq_rng r;
	qcq_rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++) {
		t.y[i] = (int32_t)(i % 2);
		for (int p = 0; p < P; p++) {
			int right = (p % S) >= S / 2;
			float base = (right == (t.y[i] == 1)) ? 0.7f : 0.3f;
			t.x[i * P + p] = base + 0.25f * (qcq_rng_uniformf(&r) - 0.5f);
		}
	}
	return t;
}

static void toy_free(struct toy *t)
{
	free(t->x);
	free(t->y);
}

static struct train_data td(const struct toy *t)
{
	return (struct train_data){t->x, t->y, t->n, 1, S, S};
}

static struct nn_model *make_model(enum nn_arch arch, uint64_t seed)
{
	struct nn_model_desc d;
	nn_model_desc_default(&d, arch);
	d.in_c = 1, d.in_h = S, d.in_w = S, d.seed = seed;
	if (arch == NN_ARCH_CNN)
		d.conv1 = 4, d.conv2 = 8;
	struct nn_model *m = NULL;
	struct qcq_error e;
	if (nn_model_create(&m, &d, 64, NULL, &e) != QCQ_OK) {
		fprintf(stderr, "nn_model_create: %s\n", e.msg);
		return NULL;
	}
	return m;
}

struct counter {
	int batches, epochs, logs, done;
	char done_text[160];
	int stop_after_epoch, stop_at_batch, stop_epoch;
	qcq_stop_flag stop;
	size_t heap[64];
	char last_log[256];
};

static void count_post(void *ctx, const struct qcq_event *ev)
{
	struct counter *c = ctx;
	if (ev->kind == QCQ_EV_BATCH) {
		c->batches++;
		if (c->stop_at_batch && ev->epoch == c->stop_epoch && ev->step == c->stop_at_batch)
			c->stop = 1;
	} else if (ev->kind == QCQ_EV_EPOCH) {
		if (c->epochs < 64)
			c->heap[c->epochs] = mallinfo2().uordblks;
		c->epochs++;
		if (c->stop_after_epoch && ev->epoch == c->stop_after_epoch)
			c->stop = 1;
	} else if (ev->kind == QCQ_EV_DONE) {
		c->done++;
		snprintf(c->done_text, sizeof c->done_text, "%s", ev->text);
	} else if (ev->kind == QCQ_EV_LOG) {
		c->logs++;
		snprintf(c->last_log, sizeof c->last_log, "%s", ev->text);
	}
}

static void test_learns_and_reports(void)
{
	struct toy tr = toy_make(64, 1), va = toy_make(32, 2), te = toy_make(32, 3);
	struct train_data dtr = td(&tr), dva = td(&va), dte = td(&te);
	struct nn_model *m = make_model(NN_ARCH_MLP, 7);
	CHECK(m != NULL);
	if (!m)
		return;
	struct train_opts o;
	train_opts_default(&o);
	o.epochs = 15, o.batch = 4, o.lr = 0.01;
	struct train_history *h = train_history_create();
	struct counter c = {0};
	struct qcq_sink sink = {count_post, &c};
	struct qcq_error e;
	enum qcq_status st = train_fit(m, &dtr, &dva, &dte, &o, h, &sink, &c.stop, &e);
	CHECK(st == QCQ_OK);
	if (st)
		fprintf(stderr, "%s\n", e.msg);
	CHECK(h->n == 15 && h->end == TRAIN_DONE);
	CHECK(c.epochs == 15 && c.batches == 15 * 16 && c.done == 1);
	CHECK(strcmp(c.done_text, "done after 15 of 15 epochs") == 0);
	CHECK_STR_CONTAINS(c.last_log, "test accuracy");
	CHECK(h->has_test && h->test.acc > 0.9 && h->test.n == 32);
	CHECK(h->rows[14].train_loss < h->rows[0].train_loss);
	CHECK(h->best_epoch >= 1 && h->best_epoch <= 15);
	CHECK(h->rows[14].seconds > 0);
	uint64_t tot = 0;
	for (int i = 0; i < 4; i++)
		tot += h->test.confusion[i / 2][i % 2];
	CHECK(tot == 32);
	/* the model holds the best epoch's weights */
	CHECK(memcmp(nn_model_params(m), h->best_params, h->nparams * sizeof(float)) == 0);
	struct train_metrics vm;
	CHECK(train_evaluate(m, &dva, 8, &vm, &e) == QCQ_OK);
	CHECK_NEAR(vm.acc, h->best_val_acc, 1e-12);
	double p[2];
	CHECK(train_predict(m, &dte, 3, p, &e) == QCQ_OK);
	CHECK_NEAR(p[0] + p[1], 1.0, 1e-9);
	CHECK(train_predict(m, &dte, 32, p, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "sample 32 out of range (set has 32)");

	/* CSV export and the history figure */
	CHECK(train_history_write_csv(h, scratch_path("curves.csv"), &e) == QCQ_OK);
	char *txt;
	size_t n;
	CHECK(qcq_read_file(scratch_path("curves.csv"), 1 << 20, &txt, &n, &e) == QCQ_OK);
	CHECK(strncmp(txt, "epoch,train_loss,train_acc,val_loss,val_acc,seconds,best\n1,", 59) == 0);
	int lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += txt[i] == '\n';
	CHECK(lines == 16);
	free(txt);
	CHECK(train_history_plot(h, "mlp on the toy set", scratch_path("history.png"), 1200, 520, &e) ==
	      QCQ_OK);
	CHECK(access(scratch_path("history.png"), F_OK) == 0);

	train_history_free(h);
	nn_model_destroy(m);
	toy_free(&tr), toy_free(&va), toy_free(&te);
}

/* Runs a fresh fit of `epochs` and returns the history (model returned in *mp). */
static struct train_history *run(enum nn_arch arch, int epochs, struct toy *tr, struct toy *va,
				 struct nn_model **mp, struct counter *c)
{
	struct train_data dtr = td(tr), dva = td(va);
	struct nn_model *m = make_model(arch, 11);
	struct train_opts o;
	train_opts_default(&o);
	o.epochs = epochs, o.batch = 4, o.lr = 0.005, o.seed = 5;
	struct train_history *h = train_history_create();
	struct qcq_sink sink = {count_post, c};
	struct qcq_error e;
	if (m)
		train_fit(m, &dtr, &dva, NULL, &o, h, &sink, &c->stop, &e);
	*mp = m;
	return h;
}

static bool same_rows(const struct train_history *a, const struct train_history *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct train_epoch *x = &a->rows[i], *y = &b->rows[i];
		if (memcmp(&x->train_loss, &y->train_loss, 4 * sizeof(double)) != 0)
			return false;
	}
	return true;
}

static void test_deterministic(void)
{
	struct toy tr = toy_make(48, 1), va = toy_make(16, 2);
	for (int a = 0; a < 3; a++) {
		/* mlp, cnn on one thread, cnn with two OpenBLAS threads */
		enum nn_arch arch = a ? NN_ARCH_CNN : NN_ARCH_MLP;
		qcq_blas_set_threads(a == 2 ? 2 : 1);
		struct counter c1 = {0}, c2 = {0};
		struct nn_model *m1, *m2;
		struct train_history *h1 = run(arch, 6, &tr, &va, &m1, &c1);
		struct train_history *h2 = run(arch, 6, &tr, &va, &m2, &c2);
		CHECK(m1 && m2 && h1->n == 6);
		CHECK(same_rows(h1, h2));
		if (m1 && m2)
			CHECK(memcmp(nn_model_params(m1), nn_model_params(m2),
				     nn_model_nparams(m1) * sizeof(float)) == 0);
		train_history_free(h1), train_history_free(h2);
		nn_model_destroy(m1), nn_model_destroy(m2);
	}
	qcq_blas_set_threads(1);
	toy_free(&tr), toy_free(&va);
}

static void test_stop_and_resume_exact(void)
{
	struct toy tr = toy_make(48, 1), va = toy_make(16, 2);
	struct train_data dtr = td(&tr), dva = td(&va);
	struct counter full = {0};
	struct nn_model *mf;
	struct train_history *hf = run(NN_ARCH_CNN, 8, &tr, &va, &mf, &full);

	/* stop in the middle of epoch 4: three epochs are kept */
	struct counter c = {.stop_at_batch = 5, .stop_epoch = 4};
	struct nn_model *m;
	struct train_history *h = run(NN_ARCH_CNN, 8, &tr, &va, &m, &c);
	CHECK(h->n == 3 && h->end == TRAIN_STOPPED);
	if (h->best_epoch)
		CHECK(memcmp(nn_model_params(m), h->best_params, h->nparams * sizeof(float)) == 0);

	/* through a checkpoint file, then resume to 8 epochs */
	struct qcq_error e;
	CHECK(train_checkpoint_save(scratch_path("stop.qcqm"), m, h, NULL, &e) == QCQ_OK);
	struct nn_model *m2 = NULL;
	struct train_history *h2 = NULL;
	struct qml_filter *f2 = (struct qml_filter *)&e; /* must be set to NULL: no filter stored */
	CHECK(train_checkpoint_load(scratch_path("stop.qcqm"), 64, &m2, &h2, &f2, &e) == QCQ_OK);
	CHECK(m2 && h2 && f2 == NULL);
	if (m2 && h2) {
		CHECK(h2->n == 3 && h2->end == TRAIN_STOPPED && same_rows(h, h2));
		struct counter c2 = {0};
		struct qcq_sink sink = {count_post, &c2};
		/* opts NULL: the run's own options (8 epochs) */
		CHECK(train_fit(m2, &dtr, &dva, NULL, NULL, h2, &sink, &c2.stop, &e) == QCQ_OK);
		CHECK(h2->n == 8 && h2->end == TRAIN_DONE);
		CHECK(same_rows(hf, h2));
		CHECK(memcmp(nn_model_params(mf), nn_model_params(m2),
			     nn_model_nparams(mf) * sizeof(float)) == 0);
		/* nothing left to do */
		CHECK(train_fit(m2, &dtr, &dva, NULL, NULL, h2, NULL, NULL, &e) == QCQ_EINVAL);
		CHECK_STR_CONTAINS(e.msg, "the run already has 8 epochs");
		/* resume may not change the batch */
		struct train_opts o = h2->opts;
		o.batch = 8, o.epochs = 10;
		CHECK(train_fit(m2, &dtr, &dva, NULL, &o, h2, NULL, NULL, &e) == QCQ_EINVAL);
		CHECK_STR_CONTAINS(e.msg, "resume: batch, seed, shuffling and optimiser must stay");
	}
	/* stop right after an epoch event */
	struct counter c3 = {.stop_after_epoch = 2};
	struct nn_model *m3;
	struct train_history *h3 = run(NN_ARCH_MLP, 8, &tr, &va, &m3, &c3);
	CHECK(h3->n == 2 && h3->end == TRAIN_STOPPED);

	train_history_free(hf), train_history_free(h), train_history_free(h2),
		train_history_free(h3);
	nn_model_destroy(mf), nn_model_destroy(m), nn_model_destroy(m2), nn_model_destroy(m3);
	toy_free(&tr), toy_free(&va);
}

static void test_early_stopping(void)
{
	struct toy tr = toy_make(64, 1), va = toy_make(32, 2);
	struct train_data dtr = td(&tr), dva = td(&va);
	struct nn_model *m = make_model(NN_ARCH_MLP, 3);
	struct train_opts o;
	train_opts_default(&o);
	o.epochs = 200, o.batch = 4, o.lr = 0.02, o.patience = 3;
	struct train_history *h = train_history_create();
	struct counter c = {0};
	struct qcq_sink sink = {count_post, &c};
	struct qcq_error e;
	CHECK(train_fit(m, &dtr, &dva, NULL, &o, h, &sink, NULL, &e) == QCQ_OK);
	CHECK(h->end == TRAIN_EARLY_STOPPED);
	CHECK(h->n == (size_t)h->best_epoch + 3 && h->n < 200);
	CHECK(memcmp(nn_model_params(m), h->best_params, h->nparams * sizeof(float)) == 0);
	CHECK_STR_CONTAINS(c.last_log, "restored the weights of epoch");
	/* no validation data, no early stopping */
	train_history_free(h);
	h = train_history_create();
	CHECK(train_fit(m, &dtr, NULL, NULL, &o, h, NULL, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "early stopping (patience 3) needs validation data");
	CHECK(h->n == 0);
	train_history_free(h);
	nn_model_destroy(m);
	toy_free(&tr), toy_free(&va);
}

static void test_nan_says_where(void)
{
	struct toy tr = toy_make(16, 1);
	tr.x[9 * P + 5] = NAN; /* sample 9: batch 3 of epoch 1 without shuffling */
	struct train_data dtr = td(&tr);
	struct nn_model *m = make_model(NN_ARCH_MLP, 3);
	struct train_opts o;
	train_opts_default(&o);
	o.epochs = 3, o.batch = 4, o.shuffle = false;
	struct train_history *h = train_history_create();
	struct qcq_error e;
	CHECK(train_fit(m, &dtr, NULL, NULL, &o, h, NULL, NULL, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "epoch 1, batch 3: ");
	CHECK(h->end == TRAIN_FAILED && h->n == 0);
	train_history_free(h);
	nn_model_destroy(m);
	toy_free(&tr);
}

static void test_memory_flat(void)
{
	struct toy tr = toy_make(32, 1), va = toy_make(16, 2);
	struct counter c = {0};
	struct nn_model *m;
	struct train_history *h = run(NN_ARCH_CNN, 40, &tr, &va, &m, &c);
	CHECK(h->n == 40);
	/* heap in use at the end of epoch 3 and of epoch 40 */
	long d = (long)c.heap[39] - (long)c.heap[2];
	if (labs(d) > 256)
		fprintf(stderr, "heap grew by %ld bytes between epoch 3 and 40\n", d);
	CHECK(labs(d) <= 256);
	train_history_free(h);
	nn_model_destroy(m);
	toy_free(&tr), toy_free(&va);
}

static void test_validation_messages(void)
{
	struct qcq_error e;
	struct train_opts o;
	train_opts_default(&o);
	o.epochs = 0;
	CHECK(train_opts_check(&o, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "epochs 0 out of range (1..100000)");
	train_opts_default(&o), o.batch = 0;
	CHECK(train_opts_check(&o, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "batch 0 out of range");
	train_opts_default(&o), o.lr = 2;
	CHECK(train_opts_check(&o, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "lr 2 out of range (0, 1]");
	train_opts_default(&o), o.patience = -1;
	CHECK(train_opts_check(&o, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "patience -1 out of range");
	train_opts_default(&o), o.optim = (enum train_optim)7;
	CHECK(train_opts_check(&o, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown optimiser 7");
	train_opts_default(&o), o.momentum = 1;
	CHECK(train_opts_check(&o, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "momentum 1 out of range");
	train_opts_default(&o), o.event_interval = -1;
	CHECK(train_opts_check(&o, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "event interval -1 s out of range");

	struct toy tr = toy_make(8, 1);
	struct nn_model *m = make_model(NN_ARCH_MLP, 1);
	struct train_data d = td(&tr);
	d.h = 7;
	CHECK(train_data_check(m, &d, "train", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "train data: samples are (1,7,12) but the mlp model takes (1,12,12)");
	d = td(&tr);
	d.y = NULL;
	CHECK(train_data_check(m, &d, "val", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "val data: missing samples or labels");
	tr.y[5] = 2;
	d = td(&tr);
	CHECK(train_data_check(m, &d, "test", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "test data: label 2 of sample 5 is not 0 or 1");
	tr.y[5] = 1;
	d.n = 0;
	struct train_history *h = train_history_create();
	train_opts_default(&o), o.epochs = 2;
	CHECK(train_fit(m, &d, NULL, NULL, &o, h, NULL, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "train data: no samples");
	d = td(&tr);
	o.batch = 65;
	CHECK(train_fit(m, &d, NULL, NULL, &o, h, NULL, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "batch 65 is larger than the model's maximum 64");
	CHECK(h->n == 0);
	struct train_metrics mt;
	d.n = 0;
	CHECK(train_evaluate(m, &d, 4, &mt, &e) == QCQ_OK && isnan(mt.acc) && mt.n == 0);
	CHECK(train_history_write_csv(h, scratch_path("empty.csv"), &e) == QCQ_ESTATE);
	CHECK_STR_CONTAINS(e.msg, "no training history to export");
	CHECK(train_history_plot(h, NULL, scratch_path("empty.png"), 1200, 500, &e) == QCQ_ESTATE);
	CHECK_STR_CONTAINS(e.msg, "no training history to plot");
	CHECK(strcmp(train_end_name(TRAIN_EARLY_STOPPED), "early stopped") == 0);
	train_history_free(h);
	nn_model_destroy(m);
	toy_free(&tr);
}

/* ---------------------------------------------------------------- checkpoints */

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (fp) {
		fwrite(p, 1, n, fp);
		fclose(fp);
	}
}

static void test_checkpoint_round_trip_and_corruption(void)
{
	struct toy tr = toy_make(32, 1), va = toy_make(16, 2);
	struct counter c = {0};
	struct nn_model *m;
	struct train_history *h = run(NN_ARCH_CNN, 3, &tr, &va, &m, &c);
	struct qml_filter *f = NULL;
	struct qcq_error e;
	CHECK(qml_filter_create_random(&f, 2, 2, 1, 42, &e) == QCQ_OK);
	const char *p = scratch_path("m.qcqm");
	CHECK(train_checkpoint_save(p, m, h, f, &e) == QCQ_OK);

	struct nn_model *m2 = NULL;
	struct train_history *h2 = NULL;
	struct qml_filter *f2 = NULL;
	CHECK(train_checkpoint_load(p, 16, &m2, &h2, &f2, &e) == QCQ_OK);
	CHECK(m2 && h2 && f2);
	if (m2 && h2 && f2) {
		size_t np = nn_model_nparams(m);
		CHECK(nn_model_nparams(m2) == np);
		CHECK(memcmp(nn_model_params(m), nn_model_params(m2), np * 4) == 0);
		CHECK(memcmp(nn_model_opt_m(m), nn_model_opt_m(m2), np * 4) == 0);
		CHECK(memcmp(nn_model_opt_v(m), nn_model_opt_v(m2), np * 4) == 0);
		CHECK(nn_model_opt_t(m) == nn_model_opt_t(m2) && nn_model_opt_t(m) > 0);
		CHECK(memcmp(nn_model_rng(m), nn_model_rng(m2), sizeof(struct qcq_rng)) == 0);
		CHECK(memcmp(nn_model_get_desc(m), nn_model_get_desc(m2),
			     sizeof(struct nn_model_desc)) == 0);
		CHECK(same_rows(h, h2) && h2->best_epoch == h->best_epoch &&
		      h2->opts.seed == h->opts.seed && h2->opts.lr == h->opts.lr);
		CHECK(memcmp(h->resume_state, h2->resume_state, 3 * np * 4) == 0);
		CHECK(qml_filter_hash(f) == qml_filter_hash(f2));
	}
	nn_model_destroy(m2);
	train_history_free(h2);
	if (f2)
		qml_filter_destroy(f2);

	char *buf;
	size_t n;
	CHECK(qcq_read_file(p, 1 << 24, &buf, &n, &e) == QCQ_OK);
	const char *q = scratch_path("bad.qcqm");
	struct nn_model *mx = NULL;
	/* truncated at several lengths */
	size_t cuts[] = {0, 5, 20, 47, 48, 100, n / 2, n - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		write_bytes(q, buf, cuts[i]);
		CHECK(train_checkpoint_load(q, 16, &mx, NULL, NULL, &e) == QCQ_EFORMAT);
		CHECK(mx == NULL);
		if (cuts[i] < 8)
			CHECK_STR_CONTAINS(e.msg, "not a qcqlab model checkpoint");
		else
			CHECK_STR_CONTAINS(e.msg, "truncated");
	}
	CHECK_STR_CONTAINS(e.msg, "bad.qcqm: truncated: the header promises");
	/* a flipped bit anywhere in the payload */
	for (size_t pos = 48; pos < n; pos += n / 37 + 1) {
		buf[pos] ^= 0x10;
		write_bytes(q, buf, n);
		CHECK(train_checkpoint_load(q, 16, &mx, NULL, NULL, &e) == QCQ_EFORMAT);
		CHECK_STR_CONTAINS(e.msg, "checksum mismatch");
		buf[pos] ^= 0x10;
	}
	/* in the header: magic, version, payload size */
	buf[3] ^= 1;
	write_bytes(q, buf, n);
	CHECK(train_checkpoint_load(q, 16, &mx, NULL, NULL, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "not a qcqlab model checkpoint");
	buf[3] ^= 1;
	buf[8] = 9;
	write_bytes(q, buf, n);
	CHECK(train_checkpoint_load(q, 16, &mx, NULL, NULL, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "checkpoint version 9 not supported");
	buf[8] = 1;
	buf[12] = 40;
	write_bytes(q, buf, n);
	CHECK(train_checkpoint_load(q, 16, &mx, NULL, NULL, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "header size 40, expected 48");
	buf[12] = 48;
	/* trailing garbage */
	char *longer = malloc(n + 3);
	memcpy(longer, buf, n);
	memcpy(longer + n, "xyz", 3);
	write_bytes(q, longer, n + 3);
	CHECK(train_checkpoint_load(q, 16, &mx, NULL, NULL, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "3 unexpected bytes after the payload");
	free(longer);
	/* foreign files: text, a PNG */
	write_bytes(q, "epoch,loss\n1,0.5\n", 17);
	CHECK(train_checkpoint_load(q, 16, &mx, NULL, NULL, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "not a qcqlab model checkpoint");
	uint8_t px[4] = {0};
	CHECK(rep_png_write_gray(q, px, 2, 2, &e) == QCQ_OK);
	CHECK(train_checkpoint_load(q, 16, &mx, NULL, NULL, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "not a qcqlab model checkpoint");
	CHECK(train_checkpoint_load(scratch_path("missing.qcqm"), 16, &mx, NULL, NULL, &e) == QCQ_EIO);
	CHECK_STR_CONTAINS(e.msg, "missing.qcqm: cannot open");
	CHECK(mx == NULL);
	/* the original still loads (the corrupt copies did not touch it) */
	CHECK(train_checkpoint_load(p, 16, &mx, NULL, NULL, &e) == QCQ_OK);
	nn_model_destroy(mx);
	free(buf);

	qml_filter_destroy(f);
	train_history_free(h);
	nn_model_destroy(m);
	toy_free(&tr), toy_free(&va);
}

int main(void)
{
	if (scratch_open("train"))
		return 1;
	qcq_blas_set_threads(1);
	RUN(test_learns_and_reports);
	RUN(test_deterministic);
	RUN(test_stop_and_resume_exact);
	RUN(test_early_stopping);
	RUN(test_nan_says_where);
	RUN(test_memory_flat);
	RUN(test_validation_messages);
	RUN(test_checkpoint_round_trip_and_corruption);
	scratch_close();
	return check_summary();
}
