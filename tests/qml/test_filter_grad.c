/* tests/qml: the trainable filter -- gradients with respect to its angles: the naive
 * adjoint twin against central finite differences of the double-precision filter, the
 * fast Heisenberg path (qml_tfilter) against the naive twin, its forward against
 * qml_filter_apply_naive at changed angles, and the refusals. */
#include "qcq/qml.h"
#include "check.h"

#include <stdlib.h>

static void gate(struct qml_gate *g, const char *name, int q0, int q1, int q2, const double *a,
		 int na)
{
	int q[3] = {q0, q1, q2};
	int nq = q1 < 0 ? 1 : q2 < 0 ? 2 : 3;
	struct qcq_error e;
	CHECK(qml_gate_make(g, name, q, nq, a, na, &e) == QCQ_OK);
}

/* every kind of gate with angles, and fixed ones between them */
static struct qml_filter *filter_all(void)
{
	struct qml_gate g[16];
	int n = 0;
	double a1[1], u3[3] = {0.4, -1.2, 2.2};
	a1[0] = 0.7, gate(&g[n++], "rx", 0, -1, -1, a1, 1);
	gate(&g[n++], "cx", 1, 2, -1, NULL, 0);
	a1[0] = 1.3, gate(&g[n++], "ry", 3, -1, -1, a1, 1);
	a1[0] = -0.4, gate(&g[n++], "rz", 1, -1, -1, a1, 1);
	a1[0] = 2.9, gate(&g[n++], "p", 2, -1, -1, a1, 1);
	gate(&g[n++], "u", 0, -1, -1, u3, 3);
	a1[0] = 0.8, gate(&g[n++], "crx", 0, 3, -1, a1, 1);
	a1[0] = -2.1, gate(&g[n++], "cry", 2, 0, -1, a1, 1);
	gate(&g[n++], "h", 2, -1, -1, NULL, 0);
	a1[0] = 1.7, gate(&g[n++], "crz", 3, 1, -1, a1, 1);
	a1[0] = 0.3, gate(&g[n++], "cp", 1, 2, -1, a1, 1);
	a1[0] = -0.9, gate(&g[n++], "rzz", 0, 2, -1, a1, 1);
	gate(&g[n++], "ccx", 3, 1, 0, NULL, 0);
	a1[0] = 2.5, gate(&g[n++], "ry", 1, -1, -1, a1, 1);
	struct qml_filter *f;
	struct qcq_error e;
	CHECK(qml_filter_create(&f, 2, 2, g, n, "all", &e) == QCQ_OK);
	return f;
}

static float *images(int n, int h, int w, uint64_t seed)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, seed);
	float *x = malloc(sizeof *x * (size_t)n * h * w);
	for (long i = 0; i < (long)n * h * w; i++)
		x[i] = qcq_rng_uniformf(&r);
	return x;
}

/* sum dout * features, all in double (qml_filter_patch_naive per patch) */
static double loss_naive(const struct qml_filter *f, const float *img, int n, int h, int w,
			 const float *dout)
{
	int k = qml_filter_patch(f), s = qml_filter_stride(f), nq = k * k;
	int oh = (h - k) / s + 1, ow = (w - k) / s + 1;
	double L = 0;
	for (int i = 0; i < n; i++)
		for (int r = 0; r < oh; r++)
			for (int c = 0; c < ow; c++) {
				double x[9], z[9];
				for (int j = 0; j < nq; j++)
					x[j] = img[((size_t)i * h + r * s + j / k) * w + c * s + j % k];
				qml_filter_patch_naive(f, x, z);
				for (int j = 0; j < nq; j++)
					L += dout[(((size_t)i * nq + j) * oh + r) * ow + c] * z[j];
			}
	return L;
}

/* the naive adjoint gradient against central differences of loss_naive */
static void check_naive_fd(struct qml_filter *f, int n, int h, int w)
{
	int na = qml_filter_nangles(f), nq = qml_filter_qubits(f), oh, ow;
	struct qcq_error e;
	CHECK(qml_filter_out_dims(f, h, w, &oh, &ow, &e) == QCQ_OK);
	float *img = images(n, h, w, 7), *dout = images(n, nq * oh, ow, 8);
	for (long i = 0; i < (long)n * nq * oh * ow; i++)
		dout[i] = 2 * dout[i] - 1;
	double *th = calloc((size_t)na, sizeof *th), *g = calloc((size_t)na, sizeof *g);
	qml_filter_angles(f, th);
	CHECK(qml_filter_backward_naive(f, img, n, h, w, dout, g, &e) == QCQ_OK);
	for (int a = 0; a < na; a++) {
		const double eps = 1e-5;
		double keep = th[a], Lp, Lm;
		struct qml_filter *fp, *fm;
		th[a] = keep + eps;
		CHECK(qml_filter_with_angles(f, th, NULL, &fp, &e) == QCQ_OK);
		th[a] = keep - eps;
		CHECK(qml_filter_with_angles(f, th, NULL, &fm, &e) == QCQ_OK);
		th[a] = keep;
		Lp = loss_naive(fp, img, n, h, w, dout);
		Lm = loss_naive(fm, img, n, h, w, dout);
		CHECK_NEAR(g[a], (Lp - Lm) / (2 * eps), 1e-6 * (1 + fabs(g[a])));
		qml_filter_destroy(fp);
		qml_filter_destroy(fm);
	}
	free(img), free(dout), free(th), free(g);
}

static void test_naive_vs_fd(void)
{
	struct qml_filter *f = filter_all();
	CHECK(qml_filter_nangles(f) == 13);
	check_naive_fd(f, 2, 6, 6);
	qml_filter_destroy(f);
	struct qcq_error e;
	CHECK(qml_filter_create_random(&f, 2, 2, 2, 11, &e) == QCQ_OK);
	check_naive_fd(f, 1, 8, 8);
	qml_filter_destroy(f);
	CHECK(qml_filter_create_random(&f, 1, 1, 3, 5, &e) == QCQ_OK); /* one qubit */
	check_naive_fd(f, 2, 3, 4);
	qml_filter_destroy(f);
}

/* the fast path at angles theta (float) against the naive twin and naive forward */
static void check_fast(const struct qml_filter *f0, int n, int h, int w, double shift)
{
	int na = qml_filter_nangles(f0), nq = qml_filter_qubits(f0), oh, ow;
	struct qcq_error e;
	CHECK(qml_filter_out_dims(f0, h, w, &oh, &ow, &e) == QCQ_OK);
	size_t nout = (size_t)n * nq * oh * ow;
	float *img = images(n, h, w, 3), *dout = images(n, nq * oh, ow, 4);
	for (size_t i = 0; i < nout; i++)
		dout[i] = 2 * dout[i] - 1;
	double *th = calloc((size_t)na + 1, sizeof *th), *gn = calloc((size_t)na + 1, sizeof *gn);
	float *thf = calloc((size_t)na + 1, sizeof *thf), *gf = calloc((size_t)na + 1, sizeof *gf);
	qml_filter_angles(f0, th);
	for (int a = 0; a < na; a++) /* angles that float represents exactly */
		thf[a] = (float)(th[a] + shift * (a % 3 - 1)), th[a] = thf[a];
	struct qml_filter *f;
	CHECK(qml_filter_with_angles(f0, th, NULL, &f, &e) == QCQ_OK);
	struct qml_tfilter *t;
	CHECK(qml_tfilter_create(&t, f0, h, w, &e) == QCQ_OK);
	CHECK(qml_tfilter_nangles(t) == na);
	qml_tfilter_set_angles(t, thf);
	float *out = malloc(nout * sizeof *out), *ref = malloc(nout * sizeof *ref);
	qml_tfilter_forward(t, out, img, n);
	CHECK(qml_filter_apply_naive(f, img, n, h, w, ref, &e) == QCQ_OK);
	/* counted, not a max-reduction: gcc 12's aarch64 vectoriser crashes on an fmax
	 * reduction of float differences here (internal compiler error at -O3) */
	size_t off = 0;
	for (size_t i = 0; i < nout; i++)
		off += fabs((double)out[i] - ref[i]) >= 2e-6;
	CHECK(off == 0);
	CHECK(qml_filter_backward_naive(f, img, n, h, w, dout, gn, &e) == QCQ_OK);
	qml_tfilter_backward(t, gf, dout, img, n);
	double scale = 0;
	for (int a = 0; a < na; a++)
		scale = fmax(scale, fabs(gn[a]));
	for (int a = 0; a < na; a++)
		CHECK_NEAR(gf[a], gn[a], 2e-5 * (1 + scale));
	/* backward accumulates */
	qml_tfilter_backward(t, gf, dout, img, n);
	for (int a = 0; a < na; a++)
		CHECK_NEAR(gf[a], 2 * gn[a], 4e-5 * (1 + scale));
	qml_tfilter_destroy(t);
	qml_filter_destroy(f);
	free(img), free(dout), free(th), free(gn), free(thf), free(gf), free(out), free(ref);
}

static void test_fast_vs_naive(void)
{
	struct qml_filter *f = filter_all();
	check_fast(f, 3, 6, 6, 0);
	check_fast(f, 2, 28, 28, 0.37);
	qml_filter_destroy(f);
	struct qcq_error e;
	CHECK(qml_filter_create_random(&f, 2, 2, 1, 42, &e) == QCQ_OK);
	check_fast(f, 4, 28, 28, 0);
	check_fast(f, 1, 9, 7, -1.1);
	qml_filter_destroy(f);
	CHECK(qml_filter_create_pennylane(&f, 'B', &e) == QCQ_OK);
	check_fast(f, 2, 28, 28, 0.5);
	qml_filter_destroy(f);
	CHECK(qml_filter_create_random(&f, 2, 1, 2, 9, &e) == QCQ_OK); /* stride 1 */
	check_fast(f, 1, 10, 10, 0.2);
	qml_filter_destroy(f);
	CHECK(qml_filter_create_random(&f, 1, 1, 2, 9, &e) == QCQ_OK);
	check_fast(f, 2, 5, 5, 0.2);
	qml_filter_destroy(f);
}

/* with_angles round-trips, set_angles recompiles, and what is refused */
static void test_angles_and_refusals(void)
{
	struct qcq_error e;
	struct qml_filter *f, *g, *big;
	CHECK(qml_filter_create_random(&f, 2, 2, 1, 42, &e) == QCQ_OK);
	int na = qml_filter_nangles(f);
	double th[64];
	qml_filter_angles(f, th);
	CHECK(qml_filter_with_angles(f, th, NULL, &g, &e) == QCQ_OK);
	CHECK(qml_filter_hash(g) == qml_filter_hash(f));
	qml_filter_destroy(g);
	th[0] += 0.5;
	CHECK(qml_filter_with_angles(f, th, "trained", &g, &e) == QCQ_OK);
	CHECK(qml_filter_hash(g) != qml_filter_hash(f));
	CHECK(strcmp(qml_filter_name(g), "trained") == 0);
	qml_filter_destroy(g);
	th[na - 1] = NAN;
	CHECK(qml_filter_with_angles(f, th, NULL, &g, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "not finite");
	struct qml_tfilter *t;
	CHECK(qml_tfilter_create(&t, f, 1, 28, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "smaller than the 2x2 patch");
	float z[4];
	double dz[64] = {0};
	CHECK(qml_filter_backward_naive(f, z, -1, 2, 2, z, dz, &e) == QCQ_EINVAL);
	CHECK(qml_filter_create_random(&big, 3, 3, 1, 1, &e) == QCQ_OK);
	CHECK(qml_tfilter_create(&t, big, 9, 9, &e) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(e.msg, "up to 2x2");
	CHECK(qml_filter_backward_naive(big, z, 0, 9, 9, z, dz, &e) == QCQ_EUNSUPPORTED);
	qml_filter_destroy(big);
	qml_filter_destroy(f);
}

int main(void)
{
	RUN(test_naive_vs_fd);
	RUN(test_fast_vs_naive);
	RUN(test_angles_and_refusals);
	return check_summary();
}
