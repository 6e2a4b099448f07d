/*
 * tests/nn/test_model_filter.c: models with a trainable quanvolution filter (layer 0,
 * desc filter = NN_FILTER_TRAINABLE): the whole-model gradient against central
 * differences including every filter angle, the same logits as the fixed-filter model
 * fed with qml_filter_apply's features at the initial angles, training moving the
 * angles (and not when frozen), the filter's own learning rate, nn_model_filter, and
 * every refusal.
 */
#include "qcq/nn.h"
#include "qcq/qml.h"
#include "check.h"

#include <stdlib.h>

static struct qml_filter *demo_filter(void)
{
	struct qml_filter *f;
	struct qcq_error e;
	CHECK(qml_filter_create_random(&f, 2, 2, 2, 42, &e) == QCQ_OK);
	return f;
}

/* depth set explicitly: the default may change */
static void trainable_desc(struct nn_model_desc *d, enum nn_arch a, int side)
{
	nn_model_desc_default(d, a);
	d->depth = 1;
	d->conv1 = 4, d->conv2 = 8;
	d->in_c = 1, d->in_h = d->in_w = (uint32_t)side;
	d->filter = NN_FILTER_TRAINABLE;
	d->filter_k = 2, d->filter_stride = 2;
}

static struct nn_model *make(const struct nn_model_desc *d, int mb, const struct qml_filter *f)
{
	struct nn_model *m = NULL;
	struct qcq_error e;
	if (nn_model_create_filter(&m, d, mb, NULL, f, &e))
		fprintf(stderr, "create: %s\n", e.msg);
	return m;
}

static void images(float *x, int32_t *y, int n, int side, uint64_t seed)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, seed);
	for (int i = 0; i < n; i++) {
		y[i] = i & 1;
		for (int p = 0; p < side * side; p++) {
			bool left = p % side < side / 2;
			x[(size_t)i * side * side + p] = (left == (y[i] == 1) ? 0.7f : 0.2f) +
							 0.3f * qcq_rng_uniformf(&r);
		}
	}
}

static double loss_at(struct nn_model *m, const float *x, const int32_t *y, int B)
{
	float loss;
	nn_model_forward(m, x, B, NULL, NULL);
	nn_model_loss(m, y, B, &loss, NULL, NULL);
	return loss;
}

/* Does g match central differences of parameter i with step h? A kink (ReLU, max-pool)
 * inside [-h, h] leaves one side's difference right, so either side passes too. */
static bool fd_ok(struct nn_model *m, const float *x, const int32_t *y, int B, size_t i,
		  float g, float h, double *fd)
{
	float *p = nn_model_params(m), keep = p[i];
	double l0 = loss_at(m, x, y, B);
	p[i] = keep + h;
	double lp = loss_at(m, x, y, B);
	p[i] = keep - h;
	double lm = loss_at(m, x, y, B);
	p[i] = keep;
	*fd = (lp - lm) / (2 * h);
	double tol = 1e-3 + 0.03 * fabs(*fd);
	bool ok = fabs(g - *fd) <= tol || fabs(g - (lp - l0) / h) <= tol ||
		  fabs(g - (l0 - lm) / h) <= tol;
	if (!ok)
		fprintf(stderr, "parameter %zu: gradient %g, differences %g (central), %g, %g\n", i,
			(double)g, *fd, (l0 - lm) / h, (lp - l0) / h);
	return ok;
}

/* every filter angle (the first nf parameters) and a sample of the rest */
static void check_grad(enum nn_arch a, int side)
{
	struct qml_filter *f = demo_filter();
	struct nn_model_desc d;
	trainable_desc(&d, a, side);
	int B = 2;
	struct nn_model *m = make(&d, B, f);
	CHECK(m != NULL);
	if (!m) {
		qml_filter_destroy(f);
		return;
	}
	size_t nf = nn_model_nparams_filter(m), n = nn_model_nparams(m);
	CHECK(nf == (size_t)qml_filter_nangles(f) && nf == 8);
	float x[2 * 28 * 28];
	int32_t y[2];
	images(x, y, B, side, 6);
	loss_at(m, x, y, B);
	nn_model_zero_grad(m);
	CHECK(nn_model_backward(m, NULL) == QCQ_OK);
	float *g = malloc(n * sizeof *g);
	memcpy(g, nn_model_grads(m), n * sizeof *g);
	double gmax = 0, fd;
	/* a small step for the angles: every feature moves with each of them */
	for (size_t i = 0; i < nf; i++) {
		CHECK(fd_ok(m, x, y, B, i, g[i], 2e-3f, &fd));
		gmax = fmax(gmax, fabs(fd));
	}
	CHECK(gmax > 1e-4); /* the check is not vacuous */
	int bad = 0, tried = 0;
	for (size_t i = nf; i < n; i += 1 + n / 40, tried++)
		bad += !fd_ok(m, x, y, B, i, g[i], 1e-2f, &fd);
	CHECK(bad <= tried / 20);
	free(g);
	nn_model_destroy(m);
	qml_filter_destroy(f);
}

static void test_gradients(void)
{
	check_grad(NN_ARCH_QCCNN, 20);
	check_grad(NN_ARCH_QCQ_CNN, 20);
	check_grad(NN_ARCH_QCQ_CNN, 28);
	check_grad(NN_ARCH_QUANV_MLP, 12);
}

/* at the initial angles the trainable model is the fixed one on quanvolved features */
static void test_same_as_fixed(void)
{
	struct qml_filter *f = demo_filter();
	struct nn_model_desc dt, df;
	trainable_desc(&dt, NN_ARCH_QCQ_CNN, 28);
	df = dt;
	df.filter = NN_FILTER_FIXED, df.in_c = 4, df.in_h = df.in_w = 14;
	struct nn_model *mt = make(&dt, 3, f), *mf = make(&df, 3, NULL);
	CHECK(mt && mf);
	CHECK(nn_model_nparams(mt) == nn_model_nparams(mf) + 8);
	CHECK(memcmp(nn_model_params(mt) + 8, nn_model_params(mf),
		     nn_model_nparams(mf) * sizeof(float)) == 0);
	float x[3 * 784], feat[3 * 4 * 196];
	int32_t y[3];
	images(x, y, 3, 28, 9);
	struct qcq_error e;
	CHECK(qml_filter_apply(f, x, 3, 28, 28, feat, NULL, &e) == QCQ_OK);
	const float *zt, *zf;
	CHECK(nn_model_forward(mt, x, 3, &zt, &e) == QCQ_OK);
	CHECK(nn_model_forward(mf, feat, 3, &zf, &e) == QCQ_OK);
	for (int i = 0; i < 6; i++)
		CHECK_NEAR(zt[i], zf[i], 1e-5);
	char buf[4096];
	nn_model_summary(mt, buf, sizeof buf);
	CHECK_STR_CONTAINS(buf, "qfilter 2x2/2");
	CHECK_STR_CONTAINS(buf, "filter 8)");
	struct nn_layer_info li;
	nn_model_layer_info(mt, 0, &li);
	CHECK(strcmp(li.kind, "qfilter") == 0 && li.nparams == 8 && li.out_c == 4 &&
	      li.out_h == 14);
	nn_model_destroy(mt);
	nn_model_destroy(mf);
	qml_filter_destroy(f);
}

/* training moves the angles (at the filter's own rate when set), nn_model_filter gives
 * the trained circuit, reset restores the circuit's angles, freezing layer 0 keeps them */
static void test_training_moves_angles(void)
{
	struct qml_filter *f = demo_filter();
	struct nn_model_desc d;
	trainable_desc(&d, NN_ARCH_QCCNN, 20);
	struct nn_model *m = make(&d, 4, f);
	float x[4 * 400], th0[8];
	int32_t y[4];
	images(x, y, 4, 20, 3);
	memcpy(th0, nn_model_params(m), sizeof th0);
	struct nn_adam o = NN_ADAM_DEFAULT;
	float loss;
	struct qcq_error e;
	/* Adam's first step moves every parameter with a gradient by about lr */
	nn_model_set_filter_lr(m, 0.05f);
	CHECK(nn_model_train_step(m, x, y, 4, &o, &loss, &e) == QCQ_OK);
	for (int a = 0; a < 8; a++)
		CHECK_NEAR(fabs(nn_model_params(m)[a] - th0[a]), 0.05, 0.002);
	nn_model_reset(m, 1);
	CHECK(memcmp(nn_model_params(m), th0, sizeof th0) == 0);
	nn_model_set_filter_lr(m, 0);
	CHECK(nn_model_train_step(m, x, y, 4, &o, &loss, &e) == QCQ_OK);
	for (int a = 0; a < 8; a++)
		CHECK_NEAR(fabs(nn_model_params(m)[a] - th0[a]), 0.001, 0.0001);
	struct qml_filter *tr;
	CHECK(nn_model_filter(m, &tr, &e) == QCQ_OK);
	CHECK(qml_filter_hash(tr) != qml_filter_hash(f));
	CHECK(qml_filter_ngates(tr) == qml_filter_ngates(f));
	double th[8];
	qml_filter_angles(tr, th);
	for (int a = 0; a < 8; a++)
		CHECK(th[a] == (double)nn_model_params(m)[a]);
	qml_filter_destroy(tr);
	nn_model_destroy(m);

	d.frozen = 1; /* layer 0: the filter */
	m = make(&d, 4, f);
	CHECK(m != NULL);
	for (int s = 0; m && s < 3; s++)
		CHECK(nn_model_train_step(m, x, y, 4, &o, &loss, &e) == QCQ_OK);
	CHECK(m && memcmp(nn_model_params(m), th0, sizeof th0) == 0);
	nn_model_destroy(m);
	/* a fixed-filter model has none */
	nn_model_desc_default(&d, NN_ARCH_QCCNN);
	m = make(&d, 1, NULL);
	CHECK(nn_model_nparams_filter(m) == 0);
	CHECK(nn_model_filter(m, &tr, &e) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(e.msg, "model qccnn has no trainable filter");
	nn_model_destroy(m);
	qml_filter_destroy(f);
}

static void expect_error(const struct nn_model_desc *d, const struct qml_filter *f,
			 enum qcq_status code, const char *msg)
{
	struct nn_model *m = NULL;
	struct qcq_error e;
	CHECK(nn_model_create_filter(&m, d, 1, NULL, f, &e) == code);
	CHECK(m == NULL);
	CHECK_STR_CONTAINS(e.msg, msg);
}

static void test_refusals(void)
{
	struct qml_filter *f = demo_filter(), *big, *s1;
	struct qcq_error e;
	CHECK(qml_filter_create_random(&big, 3, 3, 1, 1, &e) == QCQ_OK);
	CHECK(qml_filter_create_random(&s1, 2, 1, 1, 1, &e) == QCQ_OK);
	struct nn_model_desc d;
	trainable_desc(&d, NN_ARCH_CNN, 28);
	expect_error(&d, f, QCQ_EINVAL, "model cnn has no quanvolution filter to train");
	trainable_desc(&d, NN_ARCH_QCCNN, 28);
	expect_error(&d, NULL, QCQ_EINVAL, "needs its circuit");
	struct nn_model *m;
	CHECK(nn_model_create(&m, &d, 1, NULL, &e) == QCQ_EINVAL);
	expect_error(&d, s1, QCQ_EINVAL, "filter 2x2 stride 1 does not match the model's 2x2 stride 2");
	d.filter_k = 3, d.filter_stride = 3;
	expect_error(&d, big, QCQ_EINVAL, "trainable filter 3x3 stride 3 out of range");
	trainable_desc(&d, NN_ARCH_QCCNN, 28);
	d.in_c = 4;
	expect_error(&d, f, QCQ_EINVAL, "reads a 1-channel image");
	trainable_desc(&d, NN_ARCH_QCCNN, 28);
	d.filter = 7;
	expect_error(&d, f, QCQ_EINVAL, "unknown filter mode 7");
	qml_filter_destroy(f);
	qml_filter_destroy(big);
	qml_filter_destroy(s1);
}

int main(void)
{
	RUN(test_gradients);
	RUN(test_same_as_fixed);
	RUN(test_training_moves_angles);
	RUN(test_refusals);
	return check_summary();
}
