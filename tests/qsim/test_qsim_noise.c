/*
 * tests/qsim/test_qsim_noise.c: every channel against an explicit Kraus sum
 * rho' = sum_k K rho K^dag computed with dense matrices here, 2-qubit depolarizing
 * against its defining formula (1-p) rho + p tr_q(rho) (x) I/4, p = 0 as a no-op,
 * trace preservation, readout error on probabilities, and the channel validation.
 */
#include "check.h"
#include "qsim_helpers.h"

#include <string.h>

#define N 3

/* Dense rho (d x d, rho[r][c] = s->amp[r + c*d]) <- sum_k K_k rho K_k^dag with K on q. */
static void kraus_dense(struct qs_state *s, int q, const double complex (*K)[4], int nk)
{
	size_t d = (size_t)1 << s->n, bq = (size_t)1 << q;
	double complex *out = calloc(d * d, sizeof *out);
	for (int k = 0; k < nk; k++)
		for (size_t r = 0; r < d; r++)
			for (size_t c = 0; c < d; c++) {
				/* (K rho K^dag)[r][c] = sum_{a,b} K[r_q][a] rho[r'(a)][c'(b)] conj(K[c_q][b]) */
				double complex acc = 0;
				for (int a = 0; a < 2; a++)
					for (int b = 0; b < 2; b++) {
						size_t ra = (r & ~bq) | (a ? bq : 0), cb = (c & ~bq) | (b ? bq : 0);
						acc += K[k][((r >> q) & 1) * 2 + a] * s->amp[ra + cb * d] *
						       conj(K[k][((c >> q) & 1) * 2 + b]);
					}
				out[r + c * d] += acc;
			}
	memcpy(s->amp, out, d * d * sizeof *out);
	free(out);
}

typedef enum qcq_status (*mix_fn)(struct qs_state *, int, double, struct qcq_error *);

static void check_channel(mix_fn fn, double p, const double complex (*K)[4], int nk)
{
	struct qcq_rng rng;
	struct qcq_error e;
	qcq_rng_seed(&rng, 5);
	struct qs_state *a, *b;
	qs_create(N, QS_DENSITY, &a, &e);
	qs_create(N, QS_DENSITY, &b, &e);
	for (int q = 0; q < N; q++) {
		random_state(a, &rng);
		qs_copy(b, a);
		CHECK(fn(a, q, p, &e) == QCQ_OK);
		kraus_dense(b, q, K, nk);
		CHECK(max_diff(a, b) < 1e-13);
		CHECK_NEAR(qs_calc_trace(a), 1, 1e-13);
		random_state(a, &rng);
		qs_copy(b, a);
		CHECK(fn(a, q, 0, &e) == QCQ_OK); /* p = 0: no-op */
		CHECK(max_diff(a, b) == 0);
	}
	qs_destroy(a);
	qs_destroy(b);
}

static void test_channels_vs_kraus(void)
{
	double p = 0.37, s0 = sqrt(1 - p), s1 = sqrt(p);
	const double complex amp[2][4] = {{1, 0, 0, s0}, {0, s1, 0, 0}};
	const double complex ph[2][4] = {{1, 0, 0, s0}, {0, 0, 0, s1}};
	const double complex bf[2][4] = {{s0, 0, 0, s0}, {0, s1, s1, 0}};
	const double complex pf[2][4] = {{s0, 0, 0, s0}, {s1, 0, 0, -s1}};
	double a0 = sqrt(1 - 0.75 * p), a1 = sqrt(p / 4);
	const double complex dep[4][4] = {{a0, 0, 0, a0}, {0, a1, a1, 0}, {0, -I * a1, I * a1, 0},
					  {a1, 0, 0, -a1}};
	check_channel(qs_mix_amplitude_damping, p, amp, 2);
	check_channel(qs_mix_phase_damping, p, ph, 2);
	check_channel(qs_mix_bit_flip, p, bf, 2);
	check_channel(qs_mix_phase_flip, p, pf, 2);
	check_channel(qs_mix_depolarizing, p, dep, 4);
}

static void test_kraus1_generic(void)
{
	struct qcq_rng rng;
	struct qcq_error e;
	qcq_rng_seed(&rng, 9);
	struct qs_state *a, *b;
	qs_create(N, QS_DENSITY, &a, &e);
	qs_create(N, QS_DENSITY, &b, &e);
	random_state(a, &rng);
	qs_copy(b, a);
	const double complex K[2][4] = {{0.6, 0.2 * I, 0, 0.7}, {0.1, 0.5, -0.3 * I, 0.2}};
	CHECK(qs_mix_kraus1(a, 1, K, 2, &e) == QCQ_OK);
	kraus_dense(b, 1, K, 2);
	CHECK(max_diff(a, b) < 1e-13);
	CHECK(qs_mix_kraus1(a, 1, K, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "kraus: 0 operators");
	qs_destroy(a);
	qs_destroy(b);
}

/* (1-p) rho + p tr_{q0 q1}(rho) (x) I/4, written out on the dense matrix. */
static void test_depolarizing2_formula(void)
{
	struct qcq_rng rng;
	struct qcq_error e;
	qcq_rng_seed(&rng, 13);
	struct qs_state *a;
	qs_create(N, QS_DENSITY, &a, &e);
	random_state(a, &rng);
	size_t d = 8;
	double complex *ref = malloc(sizeof *ref * d * d);
	double p = 0.3;
	int q0 = 2, q1 = 0;
	size_t m = ((size_t)1 << q0) | ((size_t)1 << q1);
	for (size_t r = 0; r < d; r++)
		for (size_t c = 0; c < d; c++) {
			double complex tr = 0; /* partial trace over q0, q1 of the rest (r, c) */
			if ((r & m) == (c & m))
				for (size_t k = 0; k < d; k++)
					if ((k & ~m) == 0)
						tr += a->amp[((r & ~m) | k) + ((c & ~m) | k) * d];
			ref[r + c * d] = (1 - p) * a->amp[r + c * d] + p * tr / 4;
		}
	CHECK(qs_mix_depolarizing2(a, q0, q1, p, &e) == QCQ_OK);
	double md = 0;
	for (size_t i = 0; i < d * d; i++)
		md = fmax(md, cabs(a->amp[i] - ref[i]));
	CHECK(md < 1e-13);
	CHECK_NEAR(qs_calc_trace(a), 1, 1e-13);
	/* fully depolarizing on all pairs drives purity down */
	double pur = qs_calc_purity(a);
	qs_mix_depolarizing2(a, 0, 1, 16.0 / 15, &e);
	CHECK(qs_calc_purity(a) < pur);
	free(ref);
	qs_destroy(a);
}

static void test_readout_probs(void)
{
	struct qcq_error e;
	double pr[4] = {1, 0, 0, 0};
	struct qs_readout ro = {0.1, 0.2};
	CHECK(qs_readout_probs(pr, 2, &ro, &e) == QCQ_OK);
	CHECK_NEAR(pr[0], 0.81, 1e-15);
	CHECK_NEAR(pr[1], 0.09, 1e-15);
	CHECK_NEAR(pr[3], 0.01, 1e-15);
	double q1[2] = {0, 1};
	qs_readout_probs(q1, 1, &ro, &e);
	CHECK_NEAR(q1[0], 0.2, 1e-15);
	ro.p10 = 1.5;
	CHECK(qs_readout_probs(pr, 2, &ro, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "readout probabilities");
	ro.p10 = 0;
	CHECK(qs_readout_probs(pr, 0, &ro, &e) == QCQ_ERANGE);
}

static void test_channel_validation(void)
{
	struct qs_state *psi, *rho;
	struct qcq_error e;
	qs_create(2, QS_PURE, &psi, &e);
	qs_create(2, QS_DENSITY, &rho, &e);
	CHECK(qs_mix_depolarizing(psi, 0, 0.1, &e) == QCQ_ESTATE);
	CHECK_STR_CONTAINS(e.msg, "depolarizing needs a density matrix");
	CHECK(qs_mix_depolarizing(rho, 0, 1.4, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "depolarizing probability 1.4 out of range [0, 1.33333]");
	CHECK(qs_mix_depolarizing(rho, 0, NAN, &e) == QCQ_EINVAL);
	CHECK(qs_mix_depolarizing2(rho, 0, 0, 0.1, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "duplicate qubit 0");
	CHECK(qs_mix_depolarizing2(rho, 0, 1, 1.1, &e) == QCQ_EINVAL);
	CHECK(qs_mix_amplitude_damping(rho, 2, 0.1, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "amplitude damping: qubit 2 out of range");
	CHECK(qs_mix_phase_damping(rho, 0, -0.1, &e) == QCQ_EINVAL);
	CHECK(qs_mix_bit_flip(rho, 0, 2, &e) == QCQ_EINVAL);
	CHECK(qs_mix_phase_flip(rho, 0, 2, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "phase flip probability 2");
	/* unchanged after all the failures */
	CHECK_NEAR(creal(rho->amp[0]), 1, 0);
	CHECK_NEAR(qs_calc_purity(rho), 1, 1e-15);
	qs_destroy(psi);
	qs_destroy(rho);
}

int main(void)
{
	RUN(test_channels_vs_kraus);
	RUN(test_kraus1_generic);
	RUN(test_depolarizing2_formula);
	RUN(test_readout_probs);
	RUN(test_channel_validation);
	return check_summary();
}
