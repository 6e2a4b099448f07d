/*
 * tests/qsim/test_qsim_gates.c: the fast kernels against the dense naive twin for every
 * gate on random pure and mixed states, norm and trace preservation over random
 * circuits, density matrix without noise == pure state, gate identities of
 * CONVENTIONS.md section 2, and the validation messages of states and gates.
 */
#include "check.h"
#include "qsim_helpers.h"

#include <string.h>

static void random_qubits(struct qcq_rng *rng, int n, int k, int *q)
{
	for (int j = 0; j < k; j++) {
		bool dup;
		do {
			q[j] = (int)qcq_rng_below(rng, (uint64_t)n);
			dup = false;
			for (int i = 0; i < j; i++)
				dup |= q[i] == q[j];
		} while (dup);
	}
}

static void kernels_vs_naive(enum qs_kind kind, int n)
{
	struct qcq_rng rng;
	struct qcq_error e;
	qcq_rng_seed(&rng, 7 + (uint64_t)n);
	struct qs_state *a, *b;
	qs_create(n, kind, &a, &e);
	qs_create(n, kind, &b, &e);
	for (int k = 0; k < QS_G_BARRIER; k++) {
		for (int rep = 0; rep < 4; rep++) {
			const struct qs_gate_info *gi = qs_gate_info((enum qs_gate_kind)k);
			int q[3];
			double ang[3];
			random_qubits(&rng, n, gi->nqubits, q);
			for (int j = 0; j < 3; j++)
				ang[j] = 4 * M_PI * (qcq_rng_uniform(&rng) - 0.5);
			random_state(a, &rng);
			qs_copy(b, a);
			CHECK(qs_apply_gate(a, (enum qs_gate_kind)k, q, ang, &e) == QCQ_OK);
			CHECK(qs_apply_gate_naive(b, (enum qs_gate_kind)k, q, ang, &e) == QCQ_OK);
			double d = max_diff(a, b);
			if (d > 1e-12)
				fprintf(stderr, "gate %s n=%d kind=%d diff %g\n", gi->name, n, kind, d);
			CHECK(d <= 1e-12);
		}
	}
	qs_destroy(a);
	qs_destroy(b);
}

static void test_kernels_vs_naive_pure(void)
{
	for (int n = 3; n <= 6; n++)
		kernels_vs_naive(QS_PURE, n);
}

static void test_kernels_vs_naive_density(void)
{
	kernels_vs_naive(QS_DENSITY, 3);
	kernels_vs_naive(QS_DENSITY, 4);
}

static void test_matrix_apply_vs_gate(void)
{
	struct qcq_rng rng;
	struct qcq_error e;
	qcq_rng_seed(&rng, 3);
	struct qs_state *a, *b;
	qs_create(4, QS_DENSITY, &a, &e);
	qs_create(4, QS_DENSITY, &b, &e);
	random_state(a, &rng);
	qs_copy(b, a);
	double complex m[16];
	double ang[3] = {0.3, -1.1, 2.0};
	qs_gate_matrix(QS_G_CRY, ang, m);
	CHECK(qs_apply_matrix2(a, 2, 0, m, &e) == QCQ_OK);
	CHECK(qs_apply_cry(b, 2, 0, 0.3, &e) == QCQ_OK);
	CHECK(max_diff(a, b) < 1e-12);
	qs_gate_matrix(QS_G_U, ang, m);
	CHECK(qs_apply_matrix1(a, 3, m, &e) == QCQ_OK);
	CHECK(qs_apply_u(b, 3, 0.3, -1.1, 2.0, &e) == QCQ_OK);
	CHECK(max_diff(a, b) < 1e-12);
	qs_destroy(a);
	qs_destroy(b);
}

/* Random circuits over all gates keep norm 1 / trace 1, and a noiseless density matrix
 * equals |psi><psi| of the pure run. */
static void test_random_circuits_norm_and_density(void)
{
	struct qcq_rng rng;
	struct qcq_error e;
	qcq_rng_seed(&rng, 11);
	for (int trial = 0; trial < 5; trial++) {
		int n = 2 + trial % 3;
		struct qs_state *psi, *rho, *ref;
		qs_create(n, QS_PURE, &psi, &e);
		qs_create(n, QS_DENSITY, &rho, &e);
		qs_create(n, QS_DENSITY, &ref, &e);
		for (int g = 0; g < 60; g++) {
			enum qs_gate_kind k = (enum qs_gate_kind)qcq_rng_below(&rng, QS_G_BARRIER);
			int q[3];
			double ang[3] = {qcq_rng_normal(&rng), qcq_rng_normal(&rng), qcq_rng_normal(&rng)};
			if (qs_gate_info(k)->nqubits > n)
				continue;
			random_qubits(&rng, n, qs_gate_info(k)->nqubits, q);
			qs_apply_gate(psi, k, q, ang, &e);
			qs_apply_gate(rho, k, q, ang, &e);
		}
		CHECK_NEAR(qs_calc_trace(psi), 1, 1e-12);
		CHECK_NEAR(qs_calc_trace(rho), 1, 1e-12);
		CHECK_NEAR(qs_calc_purity(rho), 1, 1e-12);
		CHECK(qs_init_from(ref, psi, &e) == QCQ_OK);
		CHECK(max_diff(ref, rho) < 1e-12);
		for (int q = 0; q < n; q++) {
			double b1[3], b2[3];
			qs_calc_bloch(psi, q, b1, &e);
			qs_calc_bloch(rho, q, b2, &e);
			for (int j = 0; j < 3; j++)
				CHECK_NEAR(b1[j], b2[j], 1e-12);
		}
		qs_destroy(psi);
		qs_destroy(rho);
		qs_destroy(ref);
	}
}

static void test_ordering_and_identities(void)
{
	struct qs_state *s;
	struct qcq_error e;
	qs_create(2, QS_PURE, &s, &e);
	qs_apply_x(s, 0, &e); /* CONVENTIONS 1: X on q0 of |00> -> index 1 */
	CHECK_NEAR(cabs(s->amp[1]), 1, 1e-15);
	qs_apply_cx(s, 0, 1, &e); /* then CX(0->1) -> index 3 */
	CHECK_NEAR(cabs(s->amp[3]), 1, 1e-15);
	double complex m[16], ref[16];
	double a[3] = {M_PI, M_PI / 2, M_PI / 4};
	/* P(pi) = Z, P(pi/2) = S, P(pi/4) = T */
	qs_gate_matrix(QS_G_P, &a[0], m), qs_gate_matrix(QS_G_Z, NULL, ref);
	for (int i = 0; i < 4; i++)
		CHECK(cabs(m[i] - ref[i]) < 1e-15);
	qs_gate_matrix(QS_G_P, &a[1], m), qs_gate_matrix(QS_G_S, NULL, ref);
	for (int i = 0; i < 4; i++)
		CHECK(cabs(m[i] - ref[i]) < 1e-15);
	qs_gate_matrix(QS_G_P, &a[2], m), qs_gate_matrix(QS_G_T, NULL, ref);
	for (int i = 0; i < 4; i++)
		CHECK(cabs(m[i] - ref[i]) < 1e-15);
	/* U3(t, -pi/2, pi/2) = RX(t), U3(t, 0, 0) = RY(t) */
	double u[3] = {0.7, -M_PI / 2, M_PI / 2}, t = 0.7;
	qs_gate_matrix(QS_G_U, u, m), qs_gate_matrix(QS_G_RX, &t, ref);
	for (int i = 0; i < 4; i++)
		CHECK(cabs(m[i] - ref[i]) < 1e-15);
	u[1] = u[2] = 0;
	qs_gate_matrix(QS_G_U, u, m), qs_gate_matrix(QS_G_RY, &t, ref);
	for (int i = 0; i < 4; i++)
		CHECK(cabs(m[i] - ref[i]) < 1e-15);
	/* CX(control q0, target q1) in basis |q1 q0> is [[1,0,0,0],[0,0,0,1],[0,0,1,0],[0,1,0,0]] */
	qs_gate_matrix(QS_G_CX, NULL, m);
	static const int cx[16] = {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0};
	for (int i = 0; i < 16; i++)
		CHECK(cabs(m[i] - cx[i]) < 1e-15);
	CHECK(qs_gate_lookup("CNOT") == QS_G_CX && qs_gate_lookup("u3") == QS_G_U);
	CHECK(qs_gate_lookup("nope") == QS_G_COUNT);
	qs_destroy(s);
}

static void test_state_validation(void)
{
	struct qs_state *s = NULL;
	struct qcq_error e;
	CHECK(qs_create(29, QS_PURE, &s, &e) == QCQ_ERANGE && s == NULL);
	CHECK_STR_CONTAINS(e.msg, "29 qubits is out of range for a state vector (1 to 28)");
	CHECK(qs_create(15, QS_DENSITY, &s, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "density matrix");
	CHECK(qs_create(0, QS_PURE, &s, &e) == QCQ_ERANGE);
	CHECK(qs_create(2, (enum qs_kind)7, &s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown state kind");
	CHECK(qs_create(3, QS_PURE, &s, &e) == QCQ_OK);
	CHECK(qs_apply_h(s, 3, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "h: qubit 3 out of range (state has 3)");
	CHECK(qs_apply_cx(s, 1, 1, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "cx: duplicate qubit 1");
	CHECK(qs_apply_rx(s, 0, NAN, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "not finite");
	CHECK(qs_apply_gate(s, QS_G_BARRIER, NULL, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown gate kind");
	CHECK(qs_init_basis(s, 8, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "basis index 8 out of range");
	double complex bad[8] = {1, 1};
	CHECK(qs_init_amps(s, bad, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "norm^2");
	bad[0] = NAN;
	CHECK(qs_init_amps(s, bad, &e) == QCQ_ENUMERIC);
	struct qs_state *r, *big;
	qs_create(3, QS_DENSITY, &r, &e);
	CHECK(qs_init_from(r, r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "source state must be pure");
	qs_create(4, QS_PURE, &big, &e);
	CHECK(qs_init_from(r, big, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "source has 4 qubits");
	qs_destroy(big);
	qs_create(13, QS_PURE, &big, &e);
	CHECK(qs_apply_gate_naive(big, QS_G_H, (int[]){0}, NULL, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "naive gate path limited");
	CHECK(qs_apply_gate_naive(s, QS_G_BARRIER, (int[]){0}, NULL, &e) == QCQ_EINVAL);
	/* the state is unchanged by failed calls */
	CHECK_NEAR(cabs(s->amp[0]), 1, 0);
	qs_destroy(big);
	qs_destroy(r);
	qs_destroy(s);
}

static void test_init_and_pauli(void)
{
	struct qs_state *s, *r;
	struct qcq_error e;
	qs_create(3, QS_PURE, &s, &e);
	qs_create(3, QS_DENSITY, &r, &e);
	qs_init_plus(s);
	qs_init_plus(r);
	double v;
	struct qs_pauli p;
	CHECK(qs_pauli_parse("X0 X2", 3, &p, &e) == QCQ_OK);
	CHECK(qs_calc_pauli(s, p, &v, &e) == QCQ_OK);
	CHECK_NEAR(v, 1, 1e-14);
	CHECK(qs_calc_pauli(r, p, &v, &e) == QCQ_OK);
	CHECK_NEAR(v, 1, 1e-14);
	CHECK(qs_init_basis(r, 5, &e) == QCQ_OK); /* |101>: Z0 = -1, Z1 = +1, Z2 = -1 */
	CHECK(qs_pauli_parse("ZIZ", 3, &p, &e) == QCQ_OK && p.z == 5 && p.x == 0);
	CHECK(qs_calc_pauli(r, p, &v, &e) == QCQ_OK);
	CHECK_NEAR(v, 1, 1e-14);
	CHECK(qs_pauli_parse("z1", 3, &p, &e) == QCQ_OK);
	qs_calc_pauli(r, p, &v, &e);
	CHECK_NEAR(v, 1, 1e-14);
	CHECK(qs_pauli_parse("Y0*Y1", 3, &p, &e) == QCQ_OK && p.x == 3 && p.z == 3);
	char buf[32];
	qs_pauli_format(p, buf, sizeof buf);
	CHECK(strcmp(buf, "Y0Y1") == 0);
	qs_pauli_format((struct qs_pauli){0, 0}, buf, sizeof buf);
	CHECK(strcmp(buf, "I") == 0);
	/* Y0 on |+i>: S H |0> has <Y> = 1 */
	qs_init_zero(s);
	qs_apply_h(s, 0, &e);
	qs_apply_s(s, 0, &e);
	qs_pauli_parse("Y0", 3, &p, &e);
	qs_calc_pauli(s, p, &v, &e);
	CHECK_NEAR(v, 1, 1e-14);
	CHECK(qs_pauli_parse("", 3, &p, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "empty");
	CHECK(qs_pauli_parse("ZZ", 3, &p, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "has 2 letters");
	CHECK(qs_pauli_parse("Z5", 3, &p, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "qubit 5 out of range");
	CHECK(qs_pauli_parse("Z0Z0", 3, &p, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "named twice");
	CHECK(qs_pauli_parse("Q0", 3, &p, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "expected X, Y, Z or I");
	CHECK(qs_calc_pauli(s, (struct qs_pauli){0, 8}, &v, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "pauli acts on qubit 3");
	double bl[3];
	CHECK(qs_calc_bloch(s, 4, bl, &e) == QCQ_EINVAL);
	qs_destroy(s);
	qs_destroy(r);
}

/* Found by fuzzing: U3 with a huge phi computed e^{i(phi+lambda)} from a sum that had
 * rounded lambda away, so the matrix was not unitary. */
static void test_u3_huge_angles_stay_unitary(void)
{
	struct qs_state *s;
	struct qcq_error e;
	qs_create(2, QS_PURE, &s, &e);
	qs_apply_h(s, 0, &e);
	qs_apply_u(s, 0, M_PI / 2, 8.888888888888889e23, 0.12, &e);
	CHECK_NEAR(qs_calc_trace(s), 1, 1e-14);
	qs_destroy(s);
}

int main(void)
{
	RUN(test_kernels_vs_naive_pure);
	RUN(test_kernels_vs_naive_density);
	RUN(test_matrix_apply_vs_gate);
	RUN(test_random_circuits_norm_and_density);
	RUN(test_ordering_and_identities);
	RUN(test_state_validation);
	RUN(test_init_and_pauli);
	RUN(test_u3_huge_angles_stay_unitary);
	return check_summary();
}
