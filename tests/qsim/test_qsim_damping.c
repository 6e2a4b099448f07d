/*
 * tests/qsim/test_qsim_damping.c: amplitude damping (gamma) and phase damping (lambda)
 * as part of the circuit noise model (struct qs_noise): analytic values for one gate
 * and for T1/T2-style decay over k gates, damping on every qubit of 2- and 3-qubit
 * gates, the whole model (depolarizing then damping) against the same channels applied
 * one by one through the public qs_mix_* calls, executor stepping against
 * qs_circuit_expect, parameter-shift gradients against finite differences, and the
 * validation and description of the new fields.
 */
#include "check.h"
#include "qsim_helpers.h"

#include <string.h>

static struct qs_circuit *new_circuit(int n)
{
	struct qs_circuit *c;
	struct qcq_error e;
	qs_circuit_create(n, &c, &e);
	return c;
}

static void add(struct qs_circuit *c, enum qs_gate_kind k, const int *q, const double *ang)
{
	struct qcq_error e;
	CHECK(qs_circuit_addc(c, k, q, ang, &e) == QCQ_OK);
}

/* <P> of a constant circuit (no inputs, no weights), exact. */
static double expect(const struct qs_circuit *c, const struct qs_noise *nm, const char *pauli)
{
	struct qcq_error e;
	struct qs_pauli p;
	double v = NAN;
	CHECK(qs_pauli_parse(pauli, c->nqubits, &p, &e) == QCQ_OK);
	CHECK(qs_circuit_expect(c, NULL, NULL, nm, &p, 1, 0, NULL, &v, &e) == QCQ_OK);
	return v;
}

/* X|0> = |1>, then amplitude damping: P(1) = 1 - gamma, <Z> = 2 gamma - 1. Phase damping
 * leaves populations alone. */
static void test_one_gate_analytic(void)
{
	struct qs_circuit *c = new_circuit(1);
	add(c, QS_G_X, (int[]){0}, NULL);
	struct qs_noise nm = {.gamma = 0.3};
	CHECK_NEAR(expect(c, &nm, "Z"), 2 * 0.3 - 1, 1e-14);
	nm = (struct qs_noise){.lambda = 0.4};
	CHECK_NEAR(expect(c, &nm, "Z"), -1, 1e-14);
	qs_circuit_destroy(c);

	/* H|0> = |+>: phase damping keeps sqrt(1 - lambda) of the coherence (Qiskit's
	 * phase_damping_error), amplitude damping sqrt(1 - gamma) and moves gamma/2 to |0> */
	c = new_circuit(1);
	add(c, QS_G_H, (int[]){0}, NULL);
	nm = (struct qs_noise){.lambda = 0.36};
	CHECK_NEAR(expect(c, &nm, "X"), 0.8, 1e-14);
	CHECK_NEAR(expect(c, &nm, "Y"), 0, 1e-14);
	CHECK_NEAR(expect(c, &nm, "Z"), 0, 1e-14);
	nm = (struct qs_noise){.gamma = 0.19};
	CHECK_NEAR(expect(c, &nm, "X"), 0.9, 1e-14);
	CHECK_NEAR(expect(c, &nm, "Z"), 0.19, 1e-14);
	nm = (struct qs_noise){.gamma = 0.19, .lambda = 0.36};
	CHECK_NEAR(expect(c, &nm, "X"), 0.9 * 0.8, 1e-14);
	CHECK_NEAR(expect(c, &nm, "Z"), 0.19, 1e-14);
	/* gamma = 1 empties |1>; lambda = 1 kills the coherence */
	nm = (struct qs_noise){.gamma = 1};
	CHECK_NEAR(expect(c, &nm, "Z"), 1, 1e-14);
	nm = (struct qs_noise){.lambda = 1};
	CHECK_NEAR(expect(c, &nm, "X"), 0, 1e-14);
	qs_circuit_destroy(c);
}

/* T1: X then k identity gates (I, RZ(0)): every gate damps, so P(1) = (1-gamma)^(k+1).
 * T2: H then k gates: <X> = ((1-gamma)(1-lambda))^((k+1)/2). */
static void test_decay_over_gates(void)
{
	const double g = 0.05, l = 0.08;
	for (int k = 0; k <= 12; k += 4) {
		struct qs_circuit *t1 = new_circuit(1), *t2 = new_circuit(1);
		add(t1, QS_G_X, (int[]){0}, NULL);
		add(t2, QS_G_H, (int[]){0}, NULL);
		for (int j = 0; j < k; j++) {
			enum qs_gate_kind id = j % 2 ? QS_G_I : QS_G_RZ;
			add(t1, id, (int[]){0}, (double[]){0});
			add(t2, id, (int[]){0}, (double[]){0});
		}
		struct qs_noise nm = {.gamma = g};
		CHECK_NEAR(expect(t1, &nm, "Z"), 1 - 2 * pow(1 - g, k + 1), 1e-13);
		nm = (struct qs_noise){.gamma = g, .lambda = l};
		CHECK_NEAR(expect(t1, &nm, "Z"), 1 - 2 * pow(1 - g, k + 1), 1e-13);
		CHECK_NEAR(expect(t2, &nm, "X"), pow((1 - g) * (1 - l), (k + 1) / 2.0), 1e-13);
		nm = (struct qs_noise){.lambda = l};
		CHECK_NEAR(expect(t2, &nm, "X"), pow(1 - l, (k + 1) / 2.0), 1e-13);
		qs_circuit_destroy(t1);
		qs_circuit_destroy(t2);
	}
}

/* A 2-qubit gate damps both of its qubits, a 3-qubit gate all three; a barrier none. */
static void test_multi_qubit_gates(void)
{
	const double g = 0.2, l = 0.3;
	struct qs_noise nm = {.gamma = g};
	/* X0 X1 CZ: each qubit damped after its X and after the CZ */
	struct qs_circuit *c = new_circuit(3);
	add(c, QS_G_X, (int[]){0}, NULL);
	add(c, QS_G_X, (int[]){1}, NULL);
	add(c, QS_G_CZ, (int[]){0, 1}, NULL);
	add(c, QS_G_BARRIER, NULL, NULL);
	CHECK_NEAR(expect(c, &nm, "Z0"), 1 - 2 * pow(1 - g, 2), 1e-14);
	CHECK_NEAR(expect(c, &nm, "Z1"), 1 - 2 * pow(1 - g, 2), 1e-14);
	CHECK_NEAR(expect(c, &nm, "Z2"), 1, 1e-14);
	qs_circuit_destroy(c);
	/* X2 H1 CCX(0,1,2): control 0 is |0>, so CCX is the identity, but it damps all three */
	c = new_circuit(3);
	add(c, QS_G_X, (int[]){2}, NULL);
	add(c, QS_G_H, (int[]){1}, NULL);
	add(c, QS_G_CCX, (int[]){0, 1, 2}, NULL);
	nm = (struct qs_noise){.gamma = g, .lambda = l};
	CHECK_NEAR(expect(c, &nm, "Z2"), 1 - 2 * pow(1 - g, 2), 1e-14);
	CHECK_NEAR(expect(c, &nm, "X1"), (1 - g) * (1 - l), 1e-14);
	CHECK_NEAR(expect(c, &nm, "Z1"), 1 - pow(1 - g, 2), 1e-14);
	CHECK_NEAR(expect(c, &nm, "Z0"), 1, 1e-14);
	qs_circuit_destroy(c);
}

/* The reference: each gate through qs_apply_gate, then depolarizing (1- or 2-qubit),
 * then qs_mix_amplitude_damping and qs_mix_phase_damping on each of its qubits. */
static void reference_run(const struct qs_circuit *c, const double *ang,
			  const struct qs_noise *nm, struct qs_state *s)
{
	struct qcq_error e;
	qs_init_zero(s);
	for (size_t k = 0; k < c->ngates; k++) {
		const struct qs_gate *g = &c->gates[k];
		if (g->kind == QS_G_BARRIER)
			continue;
		int nq = qs_gate_info(g->kind)->nqubits;
		CHECK(qs_apply_gate(s, g->kind, g->q, ang + 3 * k, &e) == QCQ_OK);
		if (nq == 1)
			CHECK(qs_mix_depolarizing(s, g->q[0], nm->p1, &e) == QCQ_OK);
		if (nq == 2)
			CHECK(qs_mix_depolarizing2(s, g->q[0], g->q[1], nm->p2, &e) == QCQ_OK);
		for (int j = 0; j < nq; j++) {
			CHECK(qs_mix_amplitude_damping(s, g->q[j], nm->gamma, &e) == QCQ_OK);
			CHECK(qs_mix_phase_damping(s, g->q[j], nm->lambda, &e) == QCQ_OK);
		}
	}
}

/* Every kind of gate, angles from inputs and weights. */
static struct qs_circuit *mixed_circuit(void)
{
	static const struct gate_row g[] = {
		{QS_G_H, {0}, {0}}, {QS_G_RY, {1}, {"w0+x1"}}, {QS_G_RX, {2}, {"pi*x0"}},
		{QS_G_CX, {0, 1}, {0}}, {QS_G_CCX, {0, 1, 2}, {0}}, {QS_G_BARRIER, {0}, {0}},
		{QS_G_U, {2}, {"w2", "x1-w0", "0.3*w3"}}, {QS_G_CRX, {2, 0}, {"w4"}},
		{QS_G_RZZ, {0, 2}, {"x1*w1"}}, {QS_G_SWAP, {1, 2}, {0}}, {QS_G_CCX, {2, 0, 1}, {0}},
		{QS_G_CRY, {1, 2}, {"w5"}}, {QS_G_P, {1}, {"w1*x0"}}, {QS_G_RX, {0}, {"-w3"}},
	};
	struct qs_circuit *c = circuit_from_rows(3, g, sizeof g / sizeof g[0]);
	CHECK(c != NULL);
	return c;
}

static const double xs[2] = {0.4, -1.3}, ws[6] = {0.1, 0.7, -0.4, 1.2, 0.9, -2.1};

/* qs_circuit_expect and the executor (stepped one gate at a time, sent back and run
 * again) against the reference, for damping alone and with depolarizing. */
static void test_exec_and_expect_vs_reference(void)
{
	struct qs_circuit *c = mixed_circuit();
	struct qcq_error e;
	const struct qs_noise models[] = {
		{.gamma = 0.07},
		{.lambda = 0.11},
		{.p1 = 0.02, .p2 = 0.04, .gamma = 0.07, .lambda = 0.11},
	};
	double ang[3 * 16] = {0};
	for (size_t k = 0; k < c->ngates; k++)
		for (int j = 0; j < qs_gate_info(c->gates[k].kind)->nangles; j++)
			ang[3 * k + (size_t)j] = qs_angle_eval(&c->gates[k].angle[j], xs, ws);
	struct qs_state *ref;
	qs_create(3, QS_DENSITY, &ref, &e);
	for (size_t m = 0; m < sizeof models / sizeof models[0]; m++) {
		const struct qs_noise *nm = &models[m];
		CHECK(!qs_noise_is_zero(nm));
		reference_run(c, ang, nm, ref);
		CHECK_NEAR(qs_calc_trace(ref), 1, 1e-13);
		CHECK(qs_calc_purity(ref) < 0.99);
		struct qs_exec *ex;
		CHECK(qs_exec_create(c, nm, &ex, &e) == QCQ_OK);
		CHECK(qs_exec_state(ex)->kind == QS_DENSITY);
		CHECK(qs_exec_noise(ex)->gamma == nm->gamma && qs_exec_noise(ex)->lambda == nm->lambda);
		CHECK(qs_exec_set_inputs(ex, xs, 2, &e) == QCQ_OK);
		CHECK(qs_exec_set_weights(ex, ws, 6, &e) == QCQ_OK);
		for (size_t k = 0; k < c->ngates; k++)
			CHECK(qs_exec_step(ex, 1, NULL, &e) == QCQ_OK);
		CHECK(max_diff(qs_exec_state(ex), ref) < 1e-13);
		CHECK(qs_exec_goto(ex, 3, &e) == QCQ_OK && qs_exec_run(ex, &e) == QCQ_OK);
		CHECK(max_diff(qs_exec_state(ex), ref) < 1e-13);
		CHECK_NEAR(qs_calc_trace(qs_exec_state(ex)), 1, 1e-13);
		static const char *obs[] = {"ZII", "IXI", "YIZ", "ZZZ"};
		for (int o = 0; o < 4; o++) {
			struct qs_pauli p;
			double want, got;
			qs_pauli_parse(obs[o], 3, &p, &e);
			qs_calc_pauli(ref, p, &want, &e);
			CHECK(qs_circuit_expect(c, xs, ws, nm, &p, 1, 0, NULL, &got, &e) == QCQ_OK);
			CHECK_NEAR(got, want, 1e-13);
			qs_calc_pauli(qs_exec_state(ex), p, &got, &e);
			CHECK_NEAR(got, want, 1e-13);
		}
		qs_exec_destroy(ex);
	}
	qs_destroy(ref);
	qs_circuit_destroy(c);
}

/* The channel after a gate does not depend on its angle, so the shift rule stays exact. */
static void test_shift_gradient_vs_finite_differences(void)
{
	struct qs_circuit *c = mixed_circuit();
	struct qcq_error e;
	struct qs_noise nm = {.p1 = 0.01, .p2 = 0.03, .gamma = 0.06, .lambda = 0.09};
	double x[2] = {xs[0], xs[1]}, w[6];
	memcpy(w, ws, sizeof w);
	static const char *obs[] = {"ZII", "XIY", "IZZ"};
	for (int o = 0; o < 3; o++) {
		struct qs_pauli p;
		qs_pauli_parse(obs[o], 3, &p, &e);
		double v, dx[2], dw[6], f;
		CHECK(qs_grad_shift(c, x, w, &nm, p, 0, NULL, &v, dx, dw, &e) == QCQ_OK);
		qs_circuit_expect(c, x, w, &nm, &p, 1, 0, NULL, &f, &e);
		CHECK_NEAR(v, f, 1e-13);
		const double h = 1e-5;
		for (int i = 0; i < 8; i++) {
			double *slot = i < 2 ? &x[i] : &w[i - 2], keep = *slot, fp, fm;
			*slot = keep + h;
			qs_circuit_expect(c, x, w, &nm, &p, 1, 0, NULL, &fp, &e);
			*slot = keep - h;
			qs_circuit_expect(c, x, w, &nm, &p, 1, 0, NULL, &fm, &e);
			*slot = keep;
			CHECK_NEAR(i < 2 ? dx[i] : dw[i - 2], (fp - fm) / (2 * h), 1e-6);
		}
	}
	qs_circuit_destroy(c);
}

static void test_noise_check_and_describe(void)
{
	struct qcq_error e;
	struct qs_noise nm = {.gamma = 1.5};
	CHECK(qs_noise_check(&nm, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "noise gamma 1.5 out of range [0, 1]");
	nm = (struct qs_noise){.lambda = -0.1};
	CHECK(qs_noise_check(&nm, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "noise lambda -0.1 out of range [0, 1]");
	nm = (struct qs_noise){.gamma = NAN};
	CHECK(qs_noise_check(&nm, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "noise gamma nan");
	nm = (struct qs_noise){.gamma = 1, .lambda = 1};
	CHECK(qs_noise_check(&nm, &e) == QCQ_OK);
	struct qs_circuit *c = new_circuit(1);
	add(c, QS_G_X, (int[]){0}, NULL);
	nm = (struct qs_noise){.lambda = 2};
	struct qs_exec *ex = NULL;
	CHECK(qs_exec_create(c, &nm, &ex, &e) == QCQ_EINVAL && !ex);
	CHECK_STR_CONTAINS(e.msg, "noise lambda 2 out of range");
	struct qs_pauli z = {0, 1};
	double v = 7;
	CHECK(qs_circuit_expect(c, NULL, NULL, &nm, &z, 1, 0, NULL, &v, &e) == QCQ_EINVAL);
	CHECK(v == 7);
	CHECK(qs_grad_shift(c, NULL, NULL, &nm, z, 0, NULL, &v, NULL, NULL, &e) == QCQ_EINVAL);
	/* zero damping, and a zero-initialised struct, stay noiseless (pure) */
	struct qs_noise zero = {0};
	CHECK(qs_noise_is_zero(&zero) && qs_noise_is_zero(NULL));
	CHECK(qs_exec_create(c, &zero, &ex, &e) == QCQ_OK);
	CHECK(qs_exec_state(ex)->kind == QS_PURE);
	qs_exec_destroy(ex);
	nm = (struct qs_noise){.lambda = 0.1};
	CHECK(!qs_noise_is_zero(&nm));
	CHECK(qs_exec_create(c, &nm, &ex, &e) == QCQ_OK);
	CHECK(qs_exec_state(ex)->kind == QS_DENSITY);
	qs_exec_destroy(ex);
	qs_circuit_destroy(c);
	char buf[128];
	qs_noise_describe(NULL, buf, sizeof buf);
	CHECK(strcmp(buf, "noiseless") == 0);
	qs_noise_describe(&zero, buf, sizeof buf);
	CHECK(strcmp(buf, "noiseless") == 0);
	nm = (struct qs_noise){.gamma = 0.1};
	qs_noise_describe(&nm, buf, sizeof buf);
	CHECK(strcmp(buf, "damping gamma=0.1 lambda=0") == 0);
	nm = (struct qs_noise){.p1 = 0.01, .p2 = 0.02, .lambda = 0.05, .readout = {0.1, 0}};
	qs_noise_describe(&nm, buf, sizeof buf);
	CHECK(strcmp(buf, "depolarizing p1=0.01 p2=0.02, damping gamma=0 lambda=0.05, "
			  "readout p01=0.1 p10=0") == 0);
	qs_noise_describe(&nm, buf, 10);
	CHECK(strcmp(buf, "depolariz") == 0);
}

int main(void)
{
	RUN(test_one_gate_analytic);
	RUN(test_decay_over_gates);
	RUN(test_multi_qubit_gates);
	RUN(test_exec_and_expect_vs_reference);
	RUN(test_shift_gradient_vs_finite_differences);
	RUN(test_noise_check_and_describe);
	return check_summary();
}
