/*
 * tests/qsim/test_qsim_circuit.c: angle expressions (parse, format, derivatives), the
 * circuit IR and its validation, the executor's cursor (step/back/goto/reset/run agree
 * with a direct run), gradients (adjoint and parameter shift, with and without noise)
 * against central finite differences, and finite-shot statistics (z-scores).
 */
#include "check.h"
#include "qsim_helpers.h"

#include <string.h>

static void test_angle_parse_eval_format(void)
{
	struct qs_angle a;
	struct qcq_error e;
	int col;
	double x[4] = {0.3, 0.7, 0, 0.25}, w[3] = {0.5, -1, 2};
	CHECK(qs_angle_parse("2*(pi-x0)*(pi-x1)", &a, &col, &e) == QCQ_OK);
	CHECK(a.ntok == 9);
	CHECK_NEAR(qs_angle_eval(&a, x, w), 2 * (M_PI - 0.3) * (M_PI - 0.7), 1e-14);
	CHECK_NEAR(qs_angle_diff(&a, x, w, false, 0), -2 * (M_PI - 0.7), 1e-14);
	CHECK_NEAR(qs_angle_diff(&a, x, w, false, 1), -2 * (M_PI - 0.3), 1e-14);
	CHECK_NEAR(qs_angle_diff(&a, x, w, true, 0), 0, 0);
	char buf[128];
	qs_angle_format(&a, buf, sizeof buf);
	CHECK(strcmp(buf, "2*(pi-x0)*(pi-x1)") == 0);
	CHECK(qs_angle_parse("pi*x[3]", &a, &col, &e) == QCQ_OK);
	CHECK_NEAR(qs_angle_eval(&a, x, w), M_PI / 4, 1e-15);
	qs_angle_format(&a, buf, sizeof buf);
	CHECK(strcmp(buf, "pi*x3") == 0);
	CHECK(qs_angle_parse("-3*pi/4", &a, &col, &e) == QCQ_OK && a.ntok == 1);
	qs_angle_format(&a, buf, sizeof buf);
	CHECK(strcmp(buf, "-3*pi/4") == 0);
	CHECK(qs_angle_parse("sin(w2)^2 + w0 / -w1 - sqrt(exp(ln(4)))", &a, &col, &e) == QCQ_OK);
	double v = sin(2) * sin(2) + 0.5 / 1 - 2;
	CHECK_NEAR(qs_angle_eval(&a, x, w), v, 1e-14);
	CHECK_NEAR(qs_angle_diff(&a, x, w, true, 2), 2 * sin(2) * cos(2), 1e-14);
	CHECK_NEAR(qs_angle_diff(&a, x, w, true, 1), 0.5, 1e-14); /* d/dw1 of w0/(-w1) = w0/w1^2 */
	qs_angle_format(&a, buf, sizeof buf);
	struct qs_angle b;
	CHECK(qs_angle_parse(buf, &b, &col, &e) == QCQ_OK); /* the formatted text reads back */
	CHECK_NEAR(qs_angle_eval(&b, x, w), v, 1e-14);
	uint32_t nx, nw;
	qs_angle_vars(&a, &nx, &nw);
	CHECK(nx == 0 && nw == 3);
	CHECK(qs_angle_parse("0.1", &a, &col, &e) == QCQ_OK);
	qs_angle_format(&a, buf, sizeof buf);
	CHECK(strcmp(buf, "0.1") == 0);
}

static void test_angle_errors(void)
{
	static const struct { const char *text; const char *msg; int col; } bad[] = {
		{"pi*", "expression expected", 4},
		{"2*(x0", "expected ')'", 6},
		{"foo", "unknown name 'foo'", 1},
		{"x", "expected an index after x or w", 2},
		{"x[2", "expected ']'", 4},
		{"x9999999", "index too large", 2},
		{"1 2", "unexpected '2'", 3},
		{"sin 2", "expected '(' after 'sin'", 5},
		{".", "malformed number", 1},
		{"1/0", "expression is not finite", 4},
		{"1e999", "number out of range", 1},
		{"$", "unexpected character", 1},
		{"x0+x0+x0+x0+x0+x0+x0+x0+x0+x0+x0", "too long", 0},
		{"1234567890123456789012345678901234567890123456789012345678901234567", "number too long", 1},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct qs_angle a;
		struct qcq_error e;
		int col = -1;
		CHECK(qs_angle_parse(bad[i].text, &a, &col, &e) != QCQ_OK);
		CHECK_STR_CONTAINS(e.msg, bad[i].msg);
		if (bad[i].col)
			CHECK(col == bad[i].col);
	}
	char deep[400];
	memset(deep, '(', 200);
	deep[200] = '1';
	memset(deep + 201, ')', 198);
	deep[399] = 0;
	struct qs_angle a;
	struct qcq_error e;
	CHECK(qs_angle_parse(deep, &a, NULL, &e) != QCQ_OK);
	CHECK_STR_CONTAINS(e.msg, "nested too deeply");
}

static void test_circuit_validation(void)
{
	struct qs_circuit *c = NULL;
	struct qcq_error e;
	CHECK(qs_circuit_create(29, &c, &e) == QCQ_ERANGE && !c);
	CHECK_STR_CONTAINS(e.msg, "29 qubits is out of range for a circuit");
	CHECK(qs_circuit_create(2, &c, &e) == QCQ_OK);
	CHECK(qs_circuit_addc(c, QS_G_H, (int[]){2}, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "h: qubit 2 out of range (state has 2)");
	CHECK(qs_circuit_addc(c, QS_G_CX, (int[]){1, 1}, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "duplicate qubit 1");
	CHECK(qs_circuit_add(c, QS_G_RX, (int[]){0}, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "rx needs 1 angle(s)");
	struct qs_angle empty = {0};
	CHECK(qs_circuit_add(c, QS_G_RX, (int[]){0}, &empty, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "angle 0 is empty");
	CHECK(qs_circuit_addc(c, QS_G_RX, (int[]){0}, (double[]){INFINITY}, &e) == QCQ_ENUMERIC);
	CHECK(qs_circuit_add(c, (enum qs_gate_kind)99, (int[]){0}, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown gate kind 99");
	CHECK(qs_circuit_measure(c, 0, 0, &e) == QCQ_OK);
	CHECK(qs_circuit_measure(c, 0, 1, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "measured twice");
	CHECK(qs_circuit_measure(c, 1, -1, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "classical bit -1 out of range");
	CHECK(qs_circuit_addc(c, QS_G_X, (int[]){0}, NULL, &e) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(e.msg, "already measured");
	CHECK(c->ngates == 0);
	struct qs_noise nm = {.p1 = 2};
	CHECK(qs_noise_check(&nm, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "noise p1 2 out of range");
	nm = (struct qs_noise){.p2 = -1};
	CHECK(qs_noise_check(&nm, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "noise p2");
	nm = (struct qs_noise){.readout = {2, 0}};
	CHECK(qs_noise_check(&nm, &e) == QCQ_EINVAL);
	struct qs_exec *ex = NULL;
	CHECK(qs_exec_create(c, &nm, &ex, &e) == QCQ_EINVAL && !ex);
	qs_circuit_destroy(c);
	struct qs_circuit *big;
	qs_circuit_create(15, &big, &e);
	nm = (struct qs_noise){.p1 = 0.1};
	CHECK(qs_exec_create(big, &nm, &ex, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "15 qubits is out of range for a density matrix");
	qs_circuit_destroy(big);
}

static void test_expect_validation(void)
{
	struct qs_circuit *c = classifier_circuit(1);
	struct qcq_error e;
	struct qs_pauli z0 = {0, 1}, z5 = {0, 32};
	double out, x[2] = {0}, w[4] = {0};
	struct qcq_rng rng;
	qcq_rng_seed(&rng, 1);
	CHECK(qs_circuit_expect(c, NULL, w, NULL, &z0, 1, 0, NULL, &out, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "circuit uses 2 inputs but none were given");
	CHECK(qs_circuit_expect(c, x, NULL, NULL, &z0, 1, 0, NULL, &out, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "circuit uses 4 weights");
	CHECK(qs_circuit_expect(c, x, w, NULL, &z0, 1, 10, NULL, &out, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "shots need a random generator");
	CHECK(qs_circuit_expect(c, x, w, NULL, &z0, 1, -1, &rng, &out, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "shots -1 out of range");
	CHECK(qs_circuit_expect(c, x, w, NULL, &z5, 1, 0, NULL, &out, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "observable 0 acts on qubit 5");
	CHECK(qs_circuit_expect(c, x, w, NULL, &z0, 0, 0, NULL, &out, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "no observable");
	double dw[4];
	CHECK(qs_grad_adjoint(c, x, w, z5, &out, NULL, dw, &e) == QCQ_EINVAL);
	CHECK(qs_grad_shift(c, x, NULL, NULL, z0, 0, NULL, &out, NULL, dw, &e) == QCQ_EINVAL);
	qs_circuit_destroy(c);
}

/* A circuit with every parametrised gate, angles mixing inputs and weights. */
static struct qs_circuit *param_circuit(void)
{
	static const struct gate_row g[] = {
		{QS_G_H, {0}, {0}}, {QS_G_H, {2}, {0}},
		{QS_G_RX, {0}, {"pi*x0"}}, {QS_G_RY, {1}, {"w0+x1"}}, {QS_G_RZ, {2}, {"w1*x0"}},
		{QS_G_CX, {0, 1}, {0}}, {QS_G_P, {1}, {"2*(pi-x0)*(pi-x1)"}},
		{QS_G_U, {2}, {"w2", "x1-w0", "0.3*w3"}}, {QS_G_CRX, {2, 0}, {"w4"}},
		{QS_G_CRY, {1, 2}, {"sin(x0)+w5"}}, {QS_G_CRZ, {0, 2}, {"w6"}},
		{QS_G_CP, {2, 1}, {"w7*w0"}}, {QS_G_RZZ, {0, 2}, {"x1*w1"}}, {QS_G_SX, {1}, {0}},
		{QS_G_CY, {1, 0}, {0}}, {QS_G_RY, {0}, {"-w2"}}, {QS_G_SWAP, {0, 2}, {0}},
		{QS_G_RX, {1}, {"x0^2"}},
	};
	struct qs_circuit *c = circuit_from_rows(3, g, sizeof g / sizeof g[0]);
	CHECK(c != NULL);
	return c;
}

static double f_of(const struct qs_circuit *c, const double *x, const double *w,
		   const struct qs_noise *nm, struct qs_pauli p)
{
	double v;
	qs_circuit_expect(c, x, w, nm, &p, 1, 0, NULL, &v, NULL);
	return v;
}

static void check_fd(const struct qs_circuit *c, double *x, double *w, const struct qs_noise *nm,
		     struct qs_pauli p, const double *dx, const double *dw, double tol)
{
	const double h = 1e-5;
	for (uint32_t i = 0; i < c->ninputs; i++) {
		double keep = x[i];
		x[i] = keep + h;
		double fp = f_of(c, x, w, nm, p);
		x[i] = keep - h;
		double fm = f_of(c, x, w, nm, p);
		x[i] = keep;
		CHECK_NEAR(dx[i], (fp - fm) / (2 * h), tol);
	}
	for (uint32_t k = 0; k < c->nweights; k++) {
		double keep = w[k];
		w[k] = keep + h;
		double fp = f_of(c, x, w, nm, p);
		w[k] = keep - h;
		double fm = f_of(c, x, w, nm, p);
		w[k] = keep;
		CHECK_NEAR(dw[k], (fp - fm) / (2 * h), tol);
	}
}

static void test_gradients_vs_finite_differences(void)
{
	struct qs_circuit *c = param_circuit();
	struct qcq_error e;
	CHECK(c->ninputs == 2 && c->nweights == 8);
	double x[2] = {0.4, -1.3}, w[8] = {0.1, 0.7, -0.4, 1.2, 0.9, -2.1, 0.33, 1.5};
	static const char *obs[] = {"Z0", "X1Y2", "Z0Z1Z2", "Y0X2"};
	for (size_t o = 0; o < 4; o++) {
		struct qs_pauli p;
		qs_pauli_parse(obs[o], 3, &p, &e);
		double v1, v2, dx1[2], dw1[8], dx2[2], dw2[8];
		CHECK(qs_grad_adjoint(c, x, w, p, &v1, dx1, dw1, &e) == QCQ_OK);
		CHECK(qs_grad_shift(c, x, w, NULL, p, 0, NULL, &v2, dx2, dw2, &e) == QCQ_OK);
		CHECK_NEAR(v1, v2, 1e-12);
		check_fd(c, x, w, NULL, p, dx1, dw1, 1e-6);
		for (int i = 0; i < 2; i++)
			CHECK_NEAR(dx1[i], dx2[i], 1e-10);
		for (int k = 0; k < 8; k++)
			CHECK_NEAR(dw1[k], dw2[k], 1e-10);
		/* noisy: parameter shift on the density matrix vs finite differences */
		struct qs_noise nm = {.p1 = 0.03, .p2 = 0.05};
		CHECK(qs_grad_shift(c, x, w, &nm, p, 0, NULL, &v2, dx2, dw2, &e) == QCQ_OK);
		CHECK_NEAR(v2, f_of(c, x, w, &nm, p), 1e-12);
		check_fd(c, x, w, &nm, p, dx2, dw2, 1e-6);
	}
	qs_circuit_destroy(c);
}

static void test_exec_cursor(void)
{
	struct qs_circuit *c = param_circuit();
	struct qcq_error e;
	double x[2] = {0.4, -1.3}, w[8] = {0.1, 0.7, -0.4, 1.2, 0.9, -2.1, 0.33, 1.5};
	for (int noisy = 0; noisy < 2; noisy++) {
		struct qs_noise nm = {.p1 = noisy ? 0.02 : 0, .p2 = noisy ? 0.04 : 0};
		struct qs_exec *ex;
		CHECK(qs_exec_create(c, &nm, &ex, &e) == QCQ_OK);
		CHECK(qs_exec_set_inputs(ex, x, 2, &e) == QCQ_OK);
		CHECK(qs_exec_set_weights(ex, w, 8, &e) == QCQ_OK);
		CHECK(qs_exec_state(ex)->kind == (noisy ? QS_DENSITY : QS_PURE));
		char label[128];
		qs_exec_last_label(ex, label, sizeof label);
		CHECK(strcmp(label, "(start)") == 0 && qs_exec_last_gate(ex) == NULL);
		/* reference states after k gates, by stepping one at a time */
		size_t ng = c->ngates;
		struct qs_state **ref = calloc(ng + 1, sizeof *ref);
		qs_clone(qs_exec_state(ex), &ref[0], &e);
		for (size_t k = 1; k <= ng; k++) {
			size_t moved;
			CHECK(qs_exec_step(ex, 1, &moved, &e) == QCQ_OK && moved == 1);
			qs_clone(qs_exec_state(ex), &ref[k], &e);
		}
		size_t moved;
		qs_exec_step(ex, 5, &moved, &e);
		CHECK(moved == 0 && qs_exec_cursor(ex) == ng);
		qs_exec_back(ex, 7, &moved, &e);
		CHECK(moved == 7 && qs_exec_cursor(ex) == ng - 7);
		CHECK(max_diff(qs_exec_state(ex), ref[ng - 7]) < 1e-13);
		qs_exec_last_label(ex, label, sizeof label);
		char want[128];
		qs_gate_format(&c->gates[ng - 8], x, w, want, sizeof want);
		CHECK(strcmp(label, want) == 0);
		CHECK(qs_exec_goto(ex, 3, &e) == QCQ_OK);
		CHECK(max_diff(qs_exec_state(ex), ref[3]) < 1e-13);
		CHECK(qs_exec_goto(ex, 12, &e) == QCQ_OK);
		CHECK(max_diff(qs_exec_state(ex), ref[12]) < 1e-13);
		qs_exec_back(ex, 100, &moved, &e);
		CHECK(moved == 12 && max_diff(qs_exec_state(ex), ref[0]) == 0);
		CHECK(qs_exec_goto(ex, ng + 1, &e) == QCQ_EINVAL);
		CHECK_STR_CONTAINS(e.msg, "out of range (circuit has 18 gates)");
		qs_exec_run(ex, &e);
		CHECK(max_diff(qs_exec_state(ex), ref[ng]) < 1e-13);
		qs_exec_reset(ex);
		CHECK(qs_exec_cursor(ex) == 0 && max_diff(qs_exec_state(ex), ref[0]) == 0);
		/* new weights: the cursor stays, the state is recomputed */
		qs_exec_goto(ex, 5, &e);
		double w2[8] = {0};
		CHECK(qs_exec_set_weights(ex, w2, 7, &e) == QCQ_EINVAL);
		CHECK_STR_CONTAINS(e.msg, "circuit has 8 weights, got 7");
		w2[0] = NAN;
		CHECK(qs_exec_set_weights(ex, w2, 8, &e) == QCQ_ENUMERIC);
		w2[0] = 0;
		CHECK(qs_exec_set_weights(ex, w2, 8, &e) == QCQ_OK);
		CHECK(qs_exec_cursor(ex) == 5 && max_diff(qs_exec_state(ex), ref[5]) > 1e-3);
		for (size_t k = 0; k <= ng; k++)
			qs_destroy(ref[k]);
		free(ref);
		qs_exec_destroy(ex);
	}
	qs_circuit_destroy(c);
}

/* The mean of many finite-shot estimates has the right mean and spread: z-scores. */
static void test_shot_statistics(void)
{
	struct qs_circuit *c = classifier_circuit(2);
	struct qcq_error e;
	double x[2] = {0.3, 0.7}, w[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
	struct qs_pauli obs[2] = {{0, 1}, {0, 3}};
	double exact[2];
	qs_circuit_expect(c, x, w, NULL, obs, 2, 0, NULL, exact, &e);
	struct qcq_rng rng;
	qcq_rng_seed(&rng, 2024);
	const int reps = 400;
	const long shots = 128;
	double sum[2] = {0}, sq[2] = {0};
	for (int r = 0; r < reps; r++) {
		double est[2];
		CHECK(qs_circuit_expect(c, x, w, NULL, obs, 2, shots, &rng, est, &e) == QCQ_OK);
		for (int j = 0; j < 2; j++)
			sum[j] += est[j], sq[j] += est[j] * est[j];
	}
	for (int j = 0; j < 2; j++) {
		double mean = sum[j] / reps, var = sq[j] / reps - mean * mean;
		double sd = sqrt((1 - exact[j] * exact[j]) / shots); /* CONVENTIONS 10 */
		CHECK(fabs(mean - exact[j]) / (sd / sqrt(reps)) < 4.5);
		CHECK(fabs(sqrt(var) / sd - 1) < 0.15);
	}
	/* sampling counts: chi-square-like check per outcome */
	struct qs_state *s;
	double *ang = NULL;
	(void)ang;
	qs_create(2, QS_PURE, &s, &e);
	qs_apply_ry(s, 0, 1.1, &e);
	qs_apply_cx(s, 0, 1, &e);
	qs_apply_ry(s, 1, 0.4, &e);
	double p[4], counts[4] = {0};
	qs_calc_probs(s, p);
	long n = 200000;
	CHECK(qs_sample(s, n, NULL, &rng, counts, &e) == QCQ_OK);
	for (int i = 0; i < 4; i++)
		CHECK(fabs(counts[i] - n * p[i]) < 5 * sqrt(n * p[i] * (1 - p[i])) + 1e-9);
	/* readout error moves counts as qs_readout_probs says */
	struct qs_readout ro = {0.05, 0.1};
	double c2[4] = {0};
	CHECK(qs_sample(s, n, &ro, &rng, c2, &e) == QCQ_OK);
	qs_readout_probs(p, 2, &ro, &e);
	for (int i = 0; i < 4; i++)
		CHECK(fabs(c2[i] - n * p[i]) < 5 * sqrt(n * p[i] * (1 - p[i])) + 1e-9);
	double z;
	CHECK(qs_calc_pauli_shots(s, obs[0], 0, &rng, &z, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "shots 0 out of range");
	CHECK(qs_sample(s, 0, NULL, &rng, counts, &e) == QCQ_EINVAL);
	ro.p01 = -1;
	CHECK(qs_sample(s, 10, &ro, &rng, counts, &e) == QCQ_EINVAL);
	CHECK(qs_calc_pauli_shots(s, obs[1], 1000, &rng, &z, &e) == QCQ_OK && fabs(z) <= 1);
	/* shots through parameter shift: unbiased around the exact gradient */
	double dw_exact[6], dw[6], v, acc[6] = {0};
	qs_grad_adjoint(c, x, w, obs[0], &v, NULL, dw_exact, &e);
	for (int r = 0; r < 50; r++) {
		CHECK(qs_grad_shift(c, x, w, NULL, obs[0], 1024, &rng, &v, NULL, dw, &e) == QCQ_OK);
		for (int k = 0; k < 6; k++)
			acc[k] += dw[k] / 50;
	}
	for (int k = 0; k < 6; k++) /* sd of one estimate <= sqrt(2)/2 * 1/sqrt(1024) */
		CHECK(fabs(acc[k] - dw_exact[k]) < 5 * 0.7071 / 32 / sqrt(50));
	qs_destroy(s);
	qs_circuit_destroy(c);
}

static void test_diagram(void)
{
	struct qs_circuit *c = classifier_circuit(1);
	char *d = qs_circuit_draw(c, 2, 80);
	CHECK_STR_CONTAINS(d, "q0  : -[H]");
	CHECK_STR_CONTAINS(d, "[RY]");
	CHECK_STR_CONTAINS(d, "^ 2");
	free(d);
	char buf[128];
	qs_gate_format(&c->gates[5], (double[]){0.3, 0.7}, NULL, buf, sizeof buf);
	CHECK(strncmp(buf, "p(2*(pi-x0)*(pi-x1) = ", 22) == 0);
	CHECK_STR_CONTAINS(buf, ") q[1]");
	qs_circuit_destroy(c);
}

int main(void)
{
	RUN(test_angle_parse_eval_format);
	RUN(test_angle_errors);
	RUN(test_circuit_validation);
	RUN(test_expect_validation);
	RUN(test_gradients_vs_finite_differences);
	RUN(test_exec_cursor);
	RUN(test_shot_statistics);
	RUN(test_diagram);
	return check_summary();
}
