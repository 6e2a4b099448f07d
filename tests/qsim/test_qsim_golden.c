/*
 * tests/qsim/test_qsim_golden.c: the golden values of CONVENTIONS.md section 11,
 * (a) statevector expectations, (b) gradients, (c) noisy density matrix and (e) the
 * one-qubit and Bell facts, reproduced to 1e-10. The numbers are stated here as
 * constants, copied from CONVENTIONS.md.
 */
#include "check.h"
#include "golden.h"
#include "qsim_helpers.h"

#define TOL 1e-10





static const struct qs_pauli OBS[3] = {{0, 1}, {0, 2}, {0, 3}}; /* Z0, Z1, Z0Z1 */

static void check_table(const double gold[3][6][3], const struct qs_noise *nm)
{
	struct qcq_error e;
	for (int r = 1; r <= 3; r++) {
		struct qs_circuit *c = classifier_circuit(r);
		CHECK(c->ninputs == 2 && c->nweights == (uint32_t)(2 * (r + 1)));
		for (int k = 0; k < 6; k++) {
			double out[3];
			CHECK(qs_circuit_expect(c, GOLDEN_X[k], GOLDEN_THETA[k], nm, OBS, 3, 0, NULL, out, &e) == QCQ_OK);
			for (int j = 0; j < 3; j++)
				CHECK_NEAR(out[j], gold[r - 1][k][j], TOL);
		}
		qs_circuit_destroy(c);
	}
}

static void test_a_statevector_expectations(void) { check_table(GOLDEN_A, NULL); }

static void test_c_noisy_density(void)
{
	struct qs_noise n1 = {.p1 = 0.01, .p2 = 0.02}, n2 = {.p1 = 0.02, .p2 = 0.03};
	check_table(GOLDEN_C[0], &n1);
	check_table(GOLDEN_C[1], &n2);
}

static void test_a_statevector_case_c(void)
{
	static const double amp[4][2] = {
		{+0.1608703126127, +0.1409995617798}, {-0.7377295722433, -0.1518190726372},
		{-0.0859739017886, -0.3783579247138}, {-0.0265645779843, -0.4854832702916},
	};
	static const double prob[4] = {+0.0457601339022, +0.5672939525788, +0.1505462309825,
				       +0.2363996825366};
	struct qs_circuit *c = classifier_circuit(1);
	struct qs_exec *ex;
	struct qcq_error e;
	CHECK(qs_exec_create(c, NULL, &ex, &e) == QCQ_OK);
	CHECK(qs_exec_set_inputs(ex, GOLDEN_X[2], 2, &e) == QCQ_OK);
	CHECK(qs_exec_set_weights(ex, GOLDEN_THETA[2], 4, &e) == QCQ_OK);
	CHECK(qs_exec_run(ex, &e) == QCQ_OK);
	const struct qs_state *s = qs_exec_state(ex);
	double p[4];
	qs_calc_probs(s, p);
	for (int i = 0; i < 4; i++) {
		CHECK_NEAR(creal(s->amp[i]), amp[i][0], TOL);
		CHECK_NEAR(cimag(s->amp[i]), amp[i][1], TOL);
		CHECK_NEAR(p[i], prob[i], TOL);
	}
	qs_exec_destroy(ex);
	qs_circuit_destroy(c);
}



static void test_b_gradients(void)
{
	struct qcq_error e;
	for (size_t i = 0; i < sizeof GOLDEN_B / sizeof GOLDEN_B[0]; i++) {
		const struct golden_grad *g = &GOLDEN_B[i];
		struct qs_circuit *c = classifier_circuit(g->r);
		int nw = 2 * (g->r + 1);
		double v1, v2, dx1[2], dx2[2], dw1[8], dw2[8];
		const double *x = GOLDEN_X[g->xcase], *w = GOLDEN_THETA[g->xcase];
		CHECK(qs_grad_adjoint(c, x, w, OBS[g->zz ? 2 : 0], &v1, dx1, dw1, &e) == QCQ_OK);
		CHECK(qs_grad_shift(c, x, w, NULL, OBS[g->zz ? 2 : 0], 0, NULL, &v2, dx2, dw2, &e) == QCQ_OK);
		CHECK_NEAR(v1, GOLDEN_A[g->r - 1][g->xcase][g->zz ? 2 : 0], TOL);
		CHECK_NEAR(v2, v1, TOL);
		for (int k = 0; k < nw; k++) {
			CHECK_NEAR(dw1[k], g->dtheta[k], TOL);
			CHECK_NEAR(dw2[k], g->dtheta[k], TOL);
		}
		for (int j = 0; j < 2; j++) {
			CHECK_NEAR(dx1[j], g->dx[j], TOL);
			CHECK_NEAR(dx2[j], g->dx[j], TOL);
		}
		qs_circuit_destroy(c);
	}
}

static void test_e_one_qubit_facts(void)
{
	static const double xs[6] = {0.0, 0.1, 0.25, 0.5, 0.75, 1.0};
	static const double zs[6] = {+1.0000000000000, +0.9510565162952, +0.7071067811865,
				     +0.0000000000000, -0.7071067811865, -1.0000000000000};
	struct qs_state *s, *rho;
	struct qcq_error e;
	qs_create(1, QS_PURE, &s, &e);
	qs_create(1, QS_DENSITY, &rho, &e);
	for (int i = 0; i < 6; i++) {
		double v[3];
		qs_init_zero(s);
		qs_apply_ry(s, 0, M_PI * xs[i], &e);
		qs_calc_bloch(s, 0, v, &e);
		CHECK_NEAR(v[2], zs[i], TOL);
		CHECK_NEAR(v[0], sin(M_PI * xs[i]), TOL);
		CHECK_NEAR(v[1], 0, TOL);
	}
	double v[3], t = 0.83;
	qs_init_zero(s);
	qs_apply_rx(s, 0, t, &e);
	qs_calc_bloch(s, 0, v, &e);
	CHECK_NEAR(v[2], cos(t), TOL);
	CHECK_NEAR(v[1], -sin(t), TOL);
	qs_init_zero(s);
	qs_apply_h(s, 0, &e);
	qs_calc_bloch(s, 0, v, &e);
	CHECK_NEAR(v[0], 1, TOL);
	static const double dep[2][2] = {{0.01, +0.6153938685880}, {0.02, +0.6091777689053}};
	for (int i = 0; i < 2; i++) {
		qs_init_zero(rho);
		qs_apply_ry(rho, 0, 0.9, &e);
		CHECK(qs_mix_depolarizing(rho, 0, dep[i][0], &e) == QCQ_OK);
		qs_calc_bloch(rho, 0, v, &e);
		CHECK_NEAR(v[2], dep[i][1], TOL);
	}
	qs_destroy(s);
	qs_destroy(rho);
}

static void test_e_bell(void)
{
	struct qs_circuit *c;
	struct qcq_error e;
	int q0 = 0, cx[2] = {0, 1};
	qs_circuit_create(2, &c, &e);
	qs_circuit_add(c, QS_G_H, &q0, NULL, &e);
	qs_circuit_add(c, QS_G_CX, cx, NULL, &e);
	double out[3];
	CHECK(qs_circuit_expect(c, NULL, NULL, NULL, OBS, 3, 0, NULL, out, &e) == QCQ_OK);
	CHECK_NEAR(out[0], 0, TOL);
	CHECK_NEAR(out[1], 0, TOL);
	CHECK_NEAR(out[2], 1, TOL);
	struct qs_noise nm = {.p1 = 0.01, .p2 = 0.02};
	CHECK(qs_circuit_expect(c, NULL, NULL, &nm, OBS, 3, 0, NULL, out, &e) == QCQ_OK);
	CHECK_NEAR(out[2], +0.9800000000000, TOL);
	qs_circuit_destroy(c);
}

int main(void)
{
	RUN(test_a_statevector_expectations);
	RUN(test_a_statevector_case_c);
	RUN(test_b_gradients);
	RUN(test_c_noisy_density);
	RUN(test_e_one_qubit_facts);
	RUN(test_e_bell);
	return check_summary();
}
