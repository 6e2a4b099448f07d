/* tests/qml: the 2-qubit quantum classifier against CONVENTIONS section 11 (a), (b),
 * (c) in double, the float32 layer against the same numbers, gradients against finite
 * differences, the shot sampler's statistics and the layer's validation messages. */
#include "qcq/qml.h"
#include "qml/qml-internal.h"
#include "check.h"
#include "golden.h"

#include <stdlib.h>





/* <Z1> is not a layer output; get it from the state */
static double z1_of_state(const double x[2], const double *th, int r)
{
	double a[8], z = 0;
	qml_classifier_state(x, th, r, a);
	for (int i = 0; i < 4; i++)
		z += (i & 2 ? -1 : 1) * (a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1]);
	return z;
}

static void test_golden_exact(void)
{
	for (int r = 1; r <= 3; r++)
		for (int c = 0; c < 6; c++) {
			CHECK_NEAR(qml_classifier_expect(GOLDEN_X[c], GOLDEN_THETA[c], r, QML_OBS_Z0, NULL, NULL),
				   GOLDEN_A[r - 1][c][0], 1e-10);
			CHECK_NEAR(z1_of_state(GOLDEN_X[c], GOLDEN_THETA[c], r), GOLDEN_A[r - 1][c][1], 1e-10);
			CHECK_NEAR(qml_classifier_expect(GOLDEN_X[c], GOLDEN_THETA[c], r, QML_OBS_ZZ, NULL, NULL),
				   GOLDEN_A[r - 1][c][2], 1e-10);
		}
	double a[8];
	qml_classifier_state(GOLDEN_X[2], GOLDEN_THETA[2], 1, a);
	static const double sv[8] = {+0.1608703126127, +0.1409995617798, -0.7377295722433,
				     -0.1518190726372, -0.0859739017886, -0.3783579247138,
				     -0.0265645779843, -0.4854832702916};
	for (int i = 0; i < 8; i++)
		CHECK_NEAR(a[i], sv[i], 1e-10);
}

static void test_golden_gradients(void)
{
	for (size_t i = 0; i < sizeof GOLDEN_B / sizeof GOLDEN_B[0]; i++) {
		const struct golden_grad *g = &GOLDEN_B[i];
		double dx[2], dth[8], sdx[2], sdth[8];
		qml_classifier_expect(GOLDEN_X[g->xcase], GOLDEN_THETA[g->xcase], g->r, (g->zz ? QML_OBS_ZZ : QML_OBS_Z0), dx, dth);
		/* parameter shift (noisy path with zero noise) must agree too */
		qml_classifier_expect_noisy(GOLDEN_X[g->xcase], GOLDEN_THETA[g->xcase], g->r, (g->zz ? QML_OBS_ZZ : QML_OBS_Z0), 0, 0, sdx, sdth);
		for (int k = 0; k < 2 * (g->r + 1); k++) {
			CHECK_NEAR(dth[k], g->dtheta[k], 1e-10);
			CHECK_NEAR(sdth[k], g->dtheta[k], 1e-10);
		}
		for (int j = 0; j < 2; j++) {
			CHECK_NEAR(dx[j], g->dx[j], 1e-10);
			CHECK_NEAR(sdx[j], g->dx[j], 1e-10);
		}
	}
}

static void test_golden_noisy(void)
{
	static const double P[2][2] = {{0.01, 0.02}, {0.02, 0.03}};
	for (int nz = 0; nz < 2; nz++)
		for (int r = 1; r <= 3; r++)
			for (int c = 0; c < 6; c++) {
				CHECK_NEAR(qml_classifier_expect_noisy(GOLDEN_X[c], GOLDEN_THETA[c], r, QML_OBS_Z0,
								       P[nz][0], P[nz][1], NULL, NULL),
					   GOLDEN_C[nz][r - 1][c][0], 1e-10);
				CHECK_NEAR(qml_classifier_expect_noisy(GOLDEN_X[c], GOLDEN_THETA[c], r, QML_OBS_ZZ,
								       P[nz][0], P[nz][1], NULL, NULL),
					   GOLDEN_C[nz][r - 1][c][2], 1e-10);
			}
	/* zero noise: the density matrix equals the pure state */
	for (int c = 0; c < 6; c++)
		CHECK_NEAR(qml_classifier_expect_noisy(GOLDEN_X[c], GOLDEN_THETA[c], 2, QML_OBS_ZZ, 0, 0, NULL, NULL),
			   GOLDEN_A[1][c][2], 1e-12);
}

/* noisy parameter-shift gradients against central finite differences */
static void test_noisy_gradients_fd(void)
{
	double x[2] = {0.4, -0.9}, th[8] = {0.3, -0.2, 1.1, 0.5, -0.7, 0.9, 0.2, -1.3};
	for (int obs = 0; obs < 2; obs++) {
		double dx[2], dth[8], h = 1e-5;
		qml_classifier_expect_noisy(x, th, 3, obs, 0.03, 0.05, dx, dth);
		for (int k = 0; k < 8; k++) {
			double tp[8], tm[8];
			memcpy(tp, th, sizeof tp), memcpy(tm, th, sizeof tm);
			tp[k] += h, tm[k] -= h;
			double fd = (qml_classifier_expect_noisy(x, tp, 3, obs, 0.03, 0.05, NULL, NULL) -
				     qml_classifier_expect_noisy(x, tm, 3, obs, 0.03, 0.05, NULL, NULL)) /
				    (2 * h);
			CHECK_NEAR(dth[k], fd, 1e-6);
		}
		for (int j = 0; j < 2; j++) {
			double xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]};
			xp[j] += h, xm[j] -= h;
			double fd = (qml_classifier_expect_noisy(xp, th, 3, obs, 0.03, 0.05, NULL, NULL) -
				     qml_classifier_expect_noisy(xm, th, 3, obs, 0.03, 0.05, NULL, NULL)) /
				    (2 * h);
			CHECK_NEAR(dx[j], fd, 1e-6);
		}
	}
}

/* the float32 layer, exact and noisy, against the golden numbers; backward semantics */
static void test_layer_float(void)
{
	struct qml_qlayer L;
	struct qcq_error e;
	for (int r = 1; r <= 3; r++)
		for (int obs = 0; obs < 2; obs++) {
			struct qml_qlayer_config cfg = {.depth = r, .obs = obs};
			CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
			CHECK(L.nparams == 2 * (r + 1));
			float inp[12], out[6], th[8];
			for (int c = 0; c < 6; c++) {
				/* inputs exactly representable in float? not all: compare with
				 * the double function at the float-rounded inputs too */
				inp[2 * c] = (float)GOLDEN_X[c][0], inp[2 * c + 1] = (float)GOLDEN_X[c][1];
			}
			for (int c = 0; c < 6; c++) {
				for (int k = 0; k < 8; k++)
					th[k] = (float)GOLDEN_THETA[c][k];
				qml_qlayer_forward(&L, out, inp, th, 6);
				CHECK_NEAR(out[c], GOLDEN_A[r - 1][c][obs ? 2 : 0], 1e-5);
			}
			cfg.p1 = 0.01, cfg.p2 = 0.02;
			CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
			for (int c = 0; c < 6; c++) {
				for (int k = 0; k < 8; k++)
					th[k] = (float)GOLDEN_THETA[c][k];
				qml_qlayer_forward(&L, out, inp, th, 6);
				CHECK_NEAR(out[c], GOLDEN_C[0][r - 1][c][obs ? 2 : 0], 1e-5);
			}
		}
	/* backward: dtheta accumulates over the batch and calls; dinp is written */
	for (size_t i = 0; i < sizeof GOLDEN_B / sizeof GOLDEN_B[0]; i++) {
		const struct golden_grad *g = &GOLDEN_B[i];
		for (int noisy = 0; noisy < 2; noisy++) {
			struct qml_qlayer_config cfg = {.depth = g->r, .obs = (g->zz ? QML_OBS_ZZ : QML_OBS_Z0)};
			CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
			if (noisy) /* tiny noise forces the density/shift path */
				cfg.p1 = 1e-300;
			CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
			float inp[4] = {(float)GOLDEN_X[g->xcase][0], (float)GOLDEN_X[g->xcase][1], (float)GOLDEN_X[g->xcase][0],
					(float)GOLDEN_X[g->xcase][1]};
			float th[8], dth[8], dinp[4] = {99, 99, 99, 99}, dout[2] = {1.0f, 0.5f};
			for (int k = 0; k < 8; k++)
				th[k] = (float)GOLDEN_THETA[g->xcase][k], dth[k] = 1.0f;
			qml_qlayer_backward(&L, dinp, dth, dout, inp, th, 2);
			for (int k = 0; k < L.nparams; k++)
				CHECK_NEAR(dth[k], 1.0 + 1.5 * g->dtheta[k], 1e-5 * 1.5 + 3e-5);
			for (int j = 0; j < 2; j++) {
				/* dx scales like 2*pi*... : relative tolerance */
				CHECK_NEAR(dinp[j], g->dx[j], 1e-5 * (1 + fabs(g->dx[j])) * 4);
				CHECK_NEAR(dinp[2 + j], 0.5 * g->dx[j], 1e-5 * (1 + fabs(g->dx[j])) * 4);
			}
			qml_qlayer_backward(&L, NULL, dth, dout, inp, th, 0); /* B = 0: no-op */
		}
	}
}

/* shots: the estimate's mean and standard deviation match e and sqrt((1-e^2)/N) */
static void test_layer_shots_statistics(void)
{
	struct qml_qlayer L;
	struct qcq_error e;
	static const long shots[] = {1, 128, 1024, 100000};
	for (int s = 0; s < 4; s++) {
		struct qml_qlayer_config cfg = {.depth = 2, .obs = QML_OBS_Z0, .shots = shots[s],
						.seed = 7};
		CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
		float inp[2] = {0.3f, 0.7f}, th[6], out[1];
		for (int k = 0; k < 6; k++)
			th[k] = (float)GOLDEN_THETA[1][k];
		double ex = qml_classifier_expect((double[2]){0.3f, 0.7f}, (double[6]){th[0], th[1],
						  th[2], th[3], th[4], th[5]}, 2, QML_OBS_Z0, NULL, NULL);
		int reps = shots[s] >= 100000 ? 400 : 4000;
		double sum = 0, sum2 = 0;
		for (int i = 0; i < reps; i++) {
			qml_qlayer_forward(&L, out, inp, th, 1);
			CHECK(out[0] >= -1 && out[0] <= 1);
			sum += out[0], sum2 += (double)out[0] * out[0];
		}
		double mean = sum / reps, var = sum2 / reps - mean * mean;
		double sd = sqrt((1 - ex * ex) / (double)shots[s]);
		CHECK_NEAR(mean, ex, 5 * sd / sqrt(reps) + 1e-7);
		CHECK_NEAR(sqrt(var), sd, 0.1 * sd);
	}
	/* the same seed gives the same estimates */
	struct qml_qlayer L2;
	struct qml_qlayer_config cfg = {.depth = 1, .obs = QML_OBS_ZZ, .shots = 64, .seed = 3,
					.p1 = 0.01};
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
	CHECK(qml_qlayer_init(&L2, &cfg, &e) == QCQ_OK);
	float inp[2] = {0.2f, 0.1f}, th[4] = {0.1f, 0.2f, 0.3f, 0.4f}, a[1], b[1];
	float da[4] = {0}, db[4] = {0}, dxa[2], dxb[2], one = 1;
	qml_qlayer_forward(&L, a, inp, th, 1);
	qml_qlayer_forward(&L2, b, inp, th, 1);
	qml_qlayer_backward(&L, dxa, da, &one, inp, th, 1);
	qml_qlayer_backward(&L2, dxb, db, &one, inp, th, 1);
	CHECK(a[0] == b[0] && memcmp(da, db, sizeof da) == 0 && memcmp(dxa, dxb, sizeof dxa) == 0);
	/* shot estimates are multiples of 2/N */
	CHECK_NEAR(fmod((a[0] + 1) * 32, 1.0), 0, 1e-5);
}

/*
 * The binomial sampler behind shot estimates: over many draws the mean and variance
 * match n p and n p (1-p) (within 5 standard errors, the variance's from the exact
 * fourth central moment), and a small case matches the whole pmf (chi-square).
 */
static void test_binomial_moments(void)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, 2026);
	static const struct {
		long n;
		double p;
		int draws;
	} c[] = {{1, 0.3, 40000},   {10, 0.05, 40000},  {1024, 0.5, 40000}, {1024, 0.999, 40000},
		 {1024, 0.02, 40000}, {100000, 0.37, 4000}, {100000000, 0.6, 400}};
	for (size_t t = 0; t < sizeof c / sizeof c[0]; t++) {
		double n = (double)c[t].n, p = c[t].p, N = c[t].draws;
		double sum = 0, sum2 = 0;
		for (int i = 0; i < c[t].draws; i++) {
			long k = qml_binomial(&r, c[t].n, p);
			CHECK(k >= 0 && k <= c[t].n);
			sum += (double)k, sum2 += (double)k * (double)k;
		}
		double mean = sum / N, var = (sum2 - sum * sum / N) / (N - 1);
		double v = n * p * (1 - p), mu4 = v * (1 + 3 * (n - 2) * p * (1 - p));
		CHECK_NEAR(mean, n * p, 5 * sqrt(v / N));
		CHECK_NEAR(var, v, 5 * sqrt((mu4 - v * v) / N + 2 * v * v / (N * (N - 1))));
	}
	/* the pmf of Binomial(12, 0.35): chi-square over 13 cells, 12 degrees of freedom
	 * (P(chi2 > 40) ~ 7e-5) */
	long cnt[13] = {0};
	int N = 60000;
	for (int i = 0; i < N; i++)
		cnt[qml_binomial(&r, 12, 0.35)]++;
	double chi2 = 0, pk = pow(0.65, 12);
	for (int k = 0; k <= 12; k++) {
		double ex = N * pk;
		chi2 += (cnt[k] - ex) * (cnt[k] - ex) / ex;
		pk *= (12.0 - k) / (k + 1) * 0.35 / 0.65;
	}
	CHECK(chi2 < 40);
	CHECK(qml_binomial(&r, 50, 0) == 0 && qml_binomial(&r, 50, 1) == 50);
}

/* exact adjoint against finite differences at random points, depths 1..8 */
static void test_adjoint_fd_all_depths(void)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, 11);
	for (int depth = 1; depth <= 8; depth++) {
		double x[2] = {4 * qcq_rng_uniform(&r) - 2, 4 * qcq_rng_uniform(&r) - 2}, th[18];
		for (int k = 0; k < 18; k++)
			th[k] = 6 * qcq_rng_uniform(&r) - 3;
		double dx[2], dth[18], h = 1e-6;
		qml_classifier_expect(x, th, depth, QML_OBS_ZZ, dx, dth);
		for (int k = 0; k < 2 * (depth + 1); k++) {
			double tp[18], tm[18];
			memcpy(tp, th, sizeof tp), memcpy(tm, th, sizeof tm);
			tp[k] += h, tm[k] -= h;
			double fd = (qml_classifier_expect(x, tp, depth, QML_OBS_ZZ, NULL, NULL) -
				     qml_classifier_expect(x, tm, depth, QML_OBS_ZZ, NULL, NULL)) / (2 * h);
			CHECK_NEAR(dth[k], fd, 1e-6);
		}
	}
}

static void test_layer_validation(void)
{
	struct qml_qlayer L;
	struct qcq_error e;
	struct qml_qlayer_config cfg = {.depth = 0};
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "depth 0 out of range [1, 8]");
	cfg.depth = 9;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "depth 9 out of range [1, 8]");
	cfg.depth = 2;
	cfg.obs = 5;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown observable 5");
	cfg.obs = QML_OBS_Z0;
	cfg.p1 = 1.5;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "p1 1.5 out of range [0, 4/3]");
	cfg.p1 = NAN;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	cfg.p1 = 0;
	cfg.p2 = -0.1;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "p2 -0.1 out of range [0, 16/15]");
	cfg.p2 = 0;
	cfg.shots = -1;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "shots -1 out of range [0, 100000000]");
	cfg.shots = 0;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
	CHECK(qml_qlayer_nparams(3) == 8);
}

int main(void)
{
	RUN(test_golden_exact);
	RUN(test_golden_gradients);
	RUN(test_golden_noisy);
	RUN(test_noisy_gradients_fd);
	RUN(test_layer_float);
	RUN(test_layer_shots_statistics);
	RUN(test_binomial_moments);
	RUN(test_adjoint_fd_all_depths);
	RUN(test_layer_validation);
	return check_summary();
}
