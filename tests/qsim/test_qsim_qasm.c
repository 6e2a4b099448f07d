/*
 * tests/qsim/test_qsim_qasm.c: OpenQASM 2.0 import and export: a qelib1 program with
 * registers, broadcasting, pi expressions, barrier and measure; export -> import round
 * trips exactly (same state); every rejection names its line and column. gate
 * definitions: Qiskit-style composite gates against the circuit built gate by gate,
 * nesting, broadcasting, built-in names, every definition error and the limits.
 */
#include "check.h"
#include "qsim_helpers.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *PROGRAM =
	"// a test program\n"
	"OPENQASM 2.0;\n"
	"include \"qelib1.inc\";\n"
	"qreg a[2];\n"
	"qreg b[1];\n"
	"creg c[3];\n"
	"h a;              // broadcast over a\n"
	"u2(0, pi) b[0];\n"
	"u3(pi/2, -pi/4, 0.25) a[0];\n"
	"u1(pi/8) a[1]; p(-0.3) b[0];\n"
	"rx(2*pi/3) a[0]; ry(sin(0.5)^2) a[1]; rz(-(1.5)) b[0];\n"
	"cx a[0], b[0]; CX a[1],b[0]; cy a[0],a[1]; cz b[0],a[0]; swap a[0],b[0];\n"
	"crx(0.1) a[0],a[1]; cry(0.2) a[1],b[0]; crz(0.3) b[0],a[0]; cp(0.4) a[0],a[1];\n"
	"cu1(0.5) a[1],a[0]; rzz(0.6) a[0],b[0]; ccx a[0],a[1],b[0];\n"
	"id a[0]; x a[1]; y b[0]; z a[0]; s a[1]; sdg b[0]; t a[0]; tdg a[1]; sx b[0];\n"
	"barrier a, b;\n"
	"U(0.1, 0.2, 0.3) a[1];\n"
	"measure a -> c[0:1];\n";

static void test_parse_program(void)
{
	struct qs_circuit *c;
	struct qcq_error e;
	/* c[0:1] is not QASM 2: cut the last line and measure explicitly */
	char text[2048];
	snprintf(text, sizeof text, "%s", PROGRAM);
	*strstr(text, "measure a -> c[0:1];") = 0;
	strcat(text, "measure a[0] -> c[1];\nmeasure b -> c[0];\n");
	CHECK(qs_qasm_parse(text, strlen(text), &c, &e) == QCQ_OK);
	CHECK(c->nqubits == 3 && c->nclbits == 3 && c->nmeas == 2);
	CHECK(c->ngates == 2 + 1 + 1 + 2 + 3 + 5 + 4 + 3 + 9 + 1 + 1);
	CHECK(c->gates[0].kind == QS_G_H && c->gates[1].q[0] == 1);
	CHECK(c->gates[2].kind == QS_G_U && c->gates[2].q[0] == 2);
	CHECK_NEAR(qs_angle_eval(&c->gates[2].angle[0], NULL, NULL), M_PI / 2, 0);
	CHECK(c->meas_q[0] == 0 && c->meas_c[0] == 1 && c->meas_q[1] == 2 && c->meas_c[1] == 0);

	/* export and re-import: identical final state */
	char *out;
	CHECK(qs_qasm_format(c, NULL, NULL, &out, &e) == QCQ_OK);
	CHECK_STR_CONTAINS(out, "qreg q[3];");
	CHECK_STR_CONTAINS(out, "u3(pi/2,-pi/4,0.25) q[0];");
	CHECK_STR_CONTAINS(out, "measure q[2] -> c[0];");
	struct qs_circuit *c2;
	CHECK(qs_qasm_parse(out, strlen(out), &c2, &e) == QCQ_OK);
	CHECK(c2->ngates == c->ngates);
	struct qs_exec *e1, *e2;
	qs_exec_create(c, NULL, &e1, &e);
	qs_exec_create(c2, NULL, &e2, &e);
	qs_exec_run(e1, &e);
	qs_exec_run(e2, &e);
	CHECK(max_diff(qs_exec_state(e1), qs_exec_state(e2)) == 0);
	free(out);
	qs_exec_destroy(e1);
	qs_exec_destroy(e2);
	qs_circuit_destroy(c2);
	qs_circuit_destroy(c);
}

static void test_symbolic_export_and_files(void)
{
	struct qs_circuit *c = classifier_circuit(1), *back;
	struct qcq_error e;
	char *out;
	CHECK(qs_qasm_format(c, NULL, NULL, &out, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "circuit uses 2 inputs: bind them before export");
	double x[2] = {0.3, 0.7}, w[4] = {0.1, 0.2, 0.3, 0.4};
	CHECK(qs_qasm_format(c, x, NULL, &out, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "weights");
	char path[] = "/tmp/qcq_qsim_testXXXXXX";
	int fd = mkstemp(path);
	close(fd);
	CHECK(qs_qasm_save(c, x, w, path, &e) == QCQ_OK);
	CHECK(qs_qasm_load(path, &back, &e) == QCQ_OK);
	struct qs_pauli z0 = {0, 1};
	double v1, v2;
	qs_circuit_expect(c, x, w, NULL, &z0, 1, 0, NULL, &v1, &e);
	qs_circuit_expect(back, NULL, NULL, NULL, &z0, 1, 0, NULL, &v2, &e);
	CHECK_NEAR(v1, v2, 1e-15);
	CHECK_NEAR(v1, -0.0091436615015, 1e-10);
	CHECK(qs_qasm_format(c, x, w, &out, &e) == QCQ_OK);
	CHECK_STR_CONTAINS(out, "; // 2*(pi-x0)*(pi-x1)");
	free(out);
	unlink(path);
	CHECK(qs_qasm_load(path, &back, &e) != QCQ_OK);
	CHECK_STR_CONTAINS(e.msg, path);
	qs_circuit_destroy(back);
	qs_circuit_destroy(c);
}

static void test_errors_with_line_and_column(void)
{
	static const struct { const char *text; const char *msg; } bad[] = {
		{"qreg q[2];\nfoo q[0];", "line 2, col 1: unknown gate 'foo'"},
		{"qreg q[2];\nh q[2];", "line 2, col 5: index 2 out of range for q[2]"},
		{"qreg q[2];\nh r[0];", "line 2, col 3: unknown quantum register 'r'"},
		{"qreg q[2];\ncx q[0];", "cx takes 2 qubit argument(s), got 1"},
		{"qreg q[2];\ncx q[0],q[0];", "line 2, col 1: cx: duplicate qubit 0"},
		{"qreg q[2];\nrx q[0];", "line 2, col 4: rx needs 1 parameter(s)"},
		{"qreg q[2];\nrx(1,2) q[0];", "rx takes 1 parameter(s), got 2"},
		{"qreg q[2];\nrx(1+) q[0];", "line 2, col 6: unexpected character in expression"},
		{"qreg q[2];\nrx(x0) q[0];", "line 2, col 4: inputs and weights are not allowed"},
		{"qreg q[2];\nh q[0]", "line 2, col 7: expected ';' before end of file"},
		{"OPENQASM 3.0;", "line 1, col 10: only OPENQASM 2.0 is supported"},
		{"include \"other.inc\";", "only include \"qelib1.inc\""},
		{"qreg q[2];\nopaque g a;", "line 2, col 1: 'opaque' is not supported"},
		{"qreg q[2];\nif (c == 1) x q[0];", "line 2, col 1: 'if' is not supported"},
		{"qreg q[2];\nreset q[0];", "'reset' is not supported"},
		{"qreg q[2];\nqreg q[1];", "line 2, col 6: register 'q' declared twice"},
		{"qreg q[0];", "register size 0"},
		{"qreg q[29];", "total would be 29"},
		{"qreg q[99999999999];", "integer larger than"},
		{"qreg a[2]; qreg b[3];\ncx a, b;", "registers of different sizes (2 and 3)"},
		{"qreg q[2]; creg c[1];\nmeasure q -> c;", "measure: 2 qubit(s) into 1 bit(s)"},
		{"qreg q[2]; creg c[2];\nmeasure q[0] c[0];", "line 2, col 14: expected '-'"},
		{"qreg q[2]; creg c[2];\nmeasure q[0] -< c[0];", "expected '->'"},
		{"qreg q[2]; creg c[2];\nmeasure q[0] -> c[0];\nx q[0];", "line 3, col 1: x: qubit 0 was already measured"},
		{"creg c[2];", "no qreg declared"},
		{"", "no qreg declared"},
		{"qreg q[2];\n3 q;", "line 2, col 1: expected a name"},
		{"qreg q[2];\nh q[0];\n  h", "line 3, col 4: unexpected end of file"},
		{"qreg q[2];\nh q[", "expected an integer"},
		{"qreg q[2];\nh q[0] q[1];", "expected ';'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct qs_circuit *c = NULL;
		struct qcq_error e = {0};
		CHECK(qs_qasm_parse(bad[i].text, strlen(bad[i].text), &c, &e) != QCQ_OK);
		CHECK(c == NULL);
		CHECK_STR_CONTAINS(e.msg, bad[i].msg);
	}
	struct qs_circuit *c;
	struct qcq_error e;
	const char nul[] = "qreg q[1];\0h q[0];";
	CHECK(qs_qasm_parse(nul, sizeof nul - 1, &c, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "NUL byte");
}

static struct qs_circuit *parse_ok(const char *text)
{
	struct qs_circuit *c = NULL;
	struct qcq_error e = {0};
	if (qs_qasm_parse(text, strlen(text), &c, &e) != QCQ_OK)
		fprintf(stderr, "  unexpected error: %s\n", e.msg);
	return c;
}

/* Final state of a circuit with inputs x and weights w bound (NULL when it has none). */
static struct qs_exec *run_circuit(const struct qs_circuit *c, const double *x, const double *w)
{
	struct qs_exec *ex;
	struct qcq_error e;
	qs_exec_create(c, NULL, &ex, &e);
	if (x)
		qs_exec_set_inputs(ex, x, c->ninputs, &e);
	if (w)
		qs_exec_set_weights(ex, w, c->nweights, &e);
	qs_exec_run(ex, &e);
	return ex;
}

/* Same gate kinds, qubits and angle values (within tol; symbolic ones bound to x, w). */
static bool same_gates(const struct qs_circuit *a, const struct qs_circuit *b, const double *x,
		       const double *w, double tol)
{
	if (a->ngates != b->ngates)
		return false;
	for (size_t i = 0; i < a->ngates; i++) {
		const struct qs_gate *ga = &a->gates[i], *gb = &b->gates[i];
		const struct qs_gate_info *gi = qs_gate_info(ga->kind);
		if (ga->kind != gb->kind)
			return false;
		for (int j = 0; j < gi->nqubits; j++)
			if (ga->q[j] != gb->q[j])
				return false;
		for (int j = 0; j < gi->nangles; j++)
			if (fabs(qs_angle_eval(&ga->angle[j], NULL, NULL) -
				 qs_angle_eval(&gb->angle[j], x, w)) > tol)
				return false;
	}
	return true;
}

/* What Qiskit's qasm2.dumps writes for ZZFeatureMap(2, reps=2) and RealAmplitudes(2,
 * reps=1) as composite gates; the classifier circuit of qsim_helpers.h is the same. */
static const char *QISKIT_CLASSIFIER =
	"OPENQASM 2.0;\n"
	"include \"qelib1.inc\";\n"
	"gate ZZFeatureMap(param0,param1) q0,q1 { h q0; h q1; p(2.0*param0) q0; "
	"p(2.0*param1) q1; cx q0,q1; p(2.0*(pi - param0)*(pi - param1)) q1; cx q0,q1; h q0; "
	"h q1; p(2.0*param0) q0; p(2.0*param1) q1; cx q0,q1; "
	"p(2.0*(pi - param0)*(pi - param1)) q1; cx q0,q1; }\n"
	"gate RealAmplitudes(param0,param1,param2,param3) q0,q1 { ry(param0) q0; ry(param1) q1; "
	"cx q0,q1; ry(param2) q0; ry(param3) q1; }\n"
	"qreg q[2];\n"
	"ZZFeatureMap(0.3,0.7) q[0],q[1];\n"
	"RealAmplitudes(0.1,0.2,0.3,0.4) q[0],q[1];\n";

static void test_gate_definitions_qiskit(void)
{
	double x[2] = {0.3, 0.7}, w[4] = {0.1, 0.2, 0.3, 0.4};
	struct qs_circuit *c = parse_ok(QISKIT_CLASSIFIER), *ref = classifier_circuit(1);
	CHECK(c && c->nqubits == 2 && c->ngates == 19 && c->ninputs == 0 && c->nweights == 0);
	if (!c)
		return;
	CHECK(same_gates(c, ref, x, w, 1e-15));
	struct qs_exec *e1 = run_circuit(c, NULL, NULL), *e2 = run_circuit(ref, x, w);
	CHECK(max_diff(qs_exec_state(e1), qs_exec_state(e2)) < 1e-12);
	struct qs_pauli z0 = {0, 1};
	double v;
	struct qcq_error e;
	CHECK(qs_circuit_expect(c, NULL, NULL, NULL, &z0, 1, 0, NULL, &v, &e) == QCQ_OK);
	CHECK_NEAR(v, -0.0091436615015, 1e-10);
	qs_exec_destroy(e1);
	qs_exec_destroy(e2);
	qs_circuit_destroy(ref);
	qs_circuit_destroy(c);

	/* Qiskit's rzx over several lines with comments, against the same gates written out */
	static const char *def =
		"OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"
		"gate rzx(param0) q0,q1 { // exp(-i param0/2 Z(x)X)\n"
		"  h q1;\n"
		"  cx q0,q1; rz(param0) q1; // the ZZ part\n"
		"  cx q0,q1;\n"
		"  h q1;\n"
		"}\n"
		"qreg q[3];\n"
		"h q;\n"
		"rzx(pi/5) q[2],q[0];\n";
	static const char *flat =
		"qreg q[3];\nh q;\n"
		"h q[0]; cx q[2],q[0]; rz(pi/5) q[0]; cx q[2],q[0]; h q[0];\n";
	c = parse_ok(def);
	ref = parse_ok(flat);
	CHECK(c && ref && same_gates(c, ref, NULL, NULL, 0));
	if (c && ref) {
		e1 = run_circuit(c, NULL, NULL);
		e2 = run_circuit(ref, NULL, NULL);
		CHECK(max_diff(qs_exec_state(e1), qs_exec_state(e2)) < 1e-12);
		qs_exec_destroy(e1);
		qs_exec_destroy(e2);
	}
	qs_circuit_destroy(ref);
	qs_circuit_destroy(c);
}

static void test_gate_definitions_nested_and_broadcast(void)
{
	static const char *text =
		"qreg a[2];\nqreg b[2];\n"
		"gate g0 x { h x; }\n"                                  /* no parameters */
		"gate g1(t) x, y { g0 x; crz(t/2) x, y; g0 y; }\n"
		"gate g2(t, s) x, y { g1(t*s) x, y; barrier x, y; g1(-t) y, x; u2(t, s) x; }\n"
		"gate unused(t) x { rz(1/t) x; rz(ln(t)) x; }\n"      /* never called: fine */
		"gate cx c, t { h t; cz c, t; h t; }\n"               /* built-in name */
		"gate nop() x { }\n"
		"g2(0.4, 1.5) a, b;\n"                                 /* broadcast: 2 calls */
		"cx a[0], b[1];\n"
		"g0 a;\n"
		"g0() b[1];\n"
		"nop a[1];\n";
	struct qs_circuit *c = parse_ok(text), *ref;
	struct qcq_error e;
	CHECK(c && c->nqubits == 4 && c->ngates == 20);
	if (!c)
		return;
	qs_circuit_create(4, &ref, &e);
	for (int k = 0; k < 2; k++) {
		int x = k, y = 2 + k, xy[2] = {x, y}, yx[2] = {y, x};
		double t = 0.4, s = 1.5, half = t * s / 2, mhalf = -t / 2;
		double u[3] = {M_PI / 2, t, s};
		qs_circuit_addc(ref, QS_G_H, &x, NULL, &e);
		qs_circuit_addc(ref, QS_G_CRZ, xy, &half, &e);
		qs_circuit_addc(ref, QS_G_H, &y, NULL, &e);
		qs_circuit_addc(ref, QS_G_BARRIER, NULL, NULL, &e);
		qs_circuit_addc(ref, QS_G_H, &y, NULL, &e);
		qs_circuit_addc(ref, QS_G_CRZ, yx, &mhalf, &e);
		qs_circuit_addc(ref, QS_G_H, &x, NULL, &e);
		qs_circuit_addc(ref, QS_G_U, &x, u, &e);
	}
	int cx[2] = {0, 3}, q0 = 0, q1 = 1, q3 = 3;
	qs_circuit_addc(ref, QS_G_CX, cx, NULL, &e); /* the built-in, not h cz h */
	qs_circuit_addc(ref, QS_G_H, &q0, NULL, &e);
	qs_circuit_addc(ref, QS_G_H, &q1, NULL, &e);
	qs_circuit_addc(ref, QS_G_H, &q3, NULL, &e);
	CHECK(same_gates(c, ref, NULL, NULL, 1e-15));
	struct qs_exec *e1 = run_circuit(c, NULL, NULL), *e2 = run_circuit(ref, NULL, NULL);
	CHECK(max_diff(qs_exec_state(e1), qs_exec_state(e2)) < 1e-12);
	qs_exec_destroy(e1);
	qs_exec_destroy(e2);
	qs_circuit_destroy(ref);
	qs_circuit_destroy(c);
}

static void check_rejects(const char *text, const char *msg)
{
	struct qs_circuit *c = NULL;
	struct qcq_error e = {0};
	CHECK(qs_qasm_parse(text, strlen(text), &c, &e) == QCQ_EFORMAT);
	CHECK(c == NULL);
	CHECK_STR_CONTAINS(e.msg, msg);
}

static void test_gate_definition_errors(void)
{
	static const struct { const char *text; const char *msg; } bad[] = {
		{"qreg q[1];\ngate foo a { h a; bar a; }",
		 "line 2, col 19: in gate 'foo': unknown gate 'bar'"},
		{"gate foo a { foo a; }", "line 1, col 14: in gate 'foo': unknown gate 'foo'"},
		{"gate foo a, b { cx a, a; }",
		 "line 1, col 23: in gate 'foo': cx: qubit 'a' used twice"},
		{"gate foo a, a { h a; }", "line 1, col 13: in gate 'foo': 'a' declared twice"},
		{"gate foo(a) a { }", "line 1, col 13: in gate 'foo': 'a' declared twice"},
		{"gate foo a { h b; }", "line 1, col 16: in gate 'foo': unknown qubit 'b'"},
		{"gate foo(t) a { rz(s) a; }",
		 "line 1, col 20: in gate 'foo': unknown parameter 's'"},
		{"gate foo(t) a { rz(2*x0) a; }",
		 "line 1, col 22: in gate 'foo': unknown parameter 'x0'"},
		{"gate foo(t) a { rz(t t) a; }", "line 1, col 22: in gate 'foo': expected ')'"},
		{"gate foo(t) a { rz(t*1e-3 + 2E5*e) a; }",
		 "line 1, col 33: in gate 'foo': unknown parameter 'e'"},
		{"gate foo a { rz(1/0) a; }",
		 "line 1, col 20: in gate 'foo': expression is not finite"},
		{"gate foo a { rz a; }", "line 1, col 17: in gate 'foo': rz needs 1 parameter(s)"},
		{"gate foo(a, b) c { u2(a) c; }",
		 "line 1, col 24: in gate 'foo': u2 takes 2 parameter(s), got 1"},
		{"gate foo a { cx a; }",
		 "line 1, col 18: in gate 'foo': cx takes 2 qubit argument(s), got 1"},
		{"gate g a, b { cx a, b; }\ngate foo a { g a; }",
		 "line 2, col 17: in gate 'foo': g takes 2 qubit argument(s), got 1"},
		{"gate foo a { barrier a, b; }",
		 "line 1, col 25: in gate 'foo': unknown qubit 'b'"},
		{"gate foo a { h a; }\ngate foo b { x b; }",
		 "line 2, col 6: gate 'foo' already defined at line 1, col 6"},
		{"gate h a { h a; }\ngate h b { x b; }",
		 "line 2, col 6: gate 'h' already defined at line 1, col 6"},
		{"qreg q[1];\ngate foo a { h a;\nh a;",
		 "line 2, col 12: in gate 'foo': body has no closing '}'"},
		{"gate foo a h a; }", "line 1, col 12: in gate 'foo': expected '{'"},
		{"gate foo(t a { }", "line 1, col 12: in gate 'foo': expected ')'"},
		{"gate foo { }", "line 1, col 10: in gate 'foo': expected a name"},
		{"gate foo a { h a[0]; }",
		 "line 1, col 17: in gate 'foo': indexing is not allowed in a gate body"},
		{"qreg q[1];\ngate foo a { h q[0]; }",
		 "line 2, col 17: in gate 'foo': indexing is not allowed"},
		{"gate foo a { measure a -> c[0]; }",
		 "line 1, col 14: in gate 'foo': 'measure' is not allowed in a gate body"},
		{"gate foo a { reset a; }",
		 "line 1, col 14: in gate 'foo': 'reset' is not allowed in a gate body"},
		{"gate foo a { qreg r[1]; }",
		 "line 1, col 14: in gate 'foo': 'qreg' is not allowed in a gate body"},
		{"gate foo a { gate bar b { } }",
		 "line 1, col 14: in gate 'foo': 'gate' is not allowed in a gate body"},
		{"gate rzz a { h a; }",
		 "line 1, col 6: in gate 'rzz': the built-in gate takes 1 parameter(s) and 2 qubit(s)"},
		{"gate barrier a { }",
		 "line 1, col 6: in gate 'barrier': barrier cannot be redefined"},
		/* at the call site */
		{"gate foo(s, t) a { rz(s + t) a; }\nqreg q[1];\nfoo(1) q[0];",
		 "line 3, col 6: foo takes 2 parameter(s), got 1"},
		{"gate foo(s, t) a { rz(s + t) a; }\nqreg q[1];\nfoo q[0];",
		 "line 3, col 5: foo needs 2 parameter(s)"},
		{"gate foo a { x a; }\nqreg q[1];\nfoo(1) q[0];",
		 "line 3, col 6: foo takes 0 parameter(s), got 1"},
		{"gate foo a, b { cx a, b; }\nqreg q[2];\nfoo q[0];",
		 "line 3, col 9: foo takes 2 qubit argument(s), got 1"},
		{"gate foo a, b { cx a, b; }\nqreg q[2];\nfoo q[1], q[1];",
		 "line 3, col 1: foo: duplicate qubit 1"},
		{"gate foo a, b { cx a, b; }\nqreg q[2];\nfoo q, q;",
		 "line 3, col 1: foo: duplicate qubit 0"},
		{"gate foo a, b { cx a, b; }\nqreg q[2]; qreg r[3];\nfoo q, r;",
		 "line 3, col 1: registers of different sizes (2 and 3)"},
		{"gate foo a { x a; }\nqreg q[2];\nfoo(x0) q[0];",
		 "line 3, col 5: inputs and weights are not allowed"},
		/* found only when called: the body position, the gate and the call */
		{"gate inv(t) a { rz(1/t) a; }\nqreg q[1];\ninv(0) q[0];",
		 "line 1, col 17: in gate 'inv' called at line 3, col 1: rz: parameter 1 is not finite (inf)"},
		{"gate inner(t) a { rz(ln(t)) a; }\ngate outer(t) a { inner(t - 1) a; }\nqreg q[1];\nouter(1) q[0];",
		 "line 1, col 19: in gate 'inner' called at line 4, col 1: rz: parameter 1 is not finite (-inf)"},
		{"qreg q[1]; creg c[1];\ngate foo a { x a; }\nmeasure q[0] -> c[0];\nfoo q[0];",
		 "line 2, col 14: in gate 'foo' called at line 4, col 1: x: qubit 0 was already measured"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		check_rejects(bad[i].text, bad[i].msg);
}

/* Appends to a growing buffer (the tests below build long texts). */
static void put(char **buf, size_t *n, size_t *cap, const char *fmt, ...) QCQ_PRINTF(4, 5);
static void put(char **buf, size_t *n, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	while (*n + (size_t)k + 1 > *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		*buf = realloc(*buf, *cap);
	}
	va_start(ap, fmt);
	vsnprintf(*buf + *n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	*n += (size_t)k;
}

static void test_gate_definition_limits(void)
{
	char *t = NULL;
	size_t n = 0, cap = 0;

	/* a doubling chain: g24 would add 2^25 gates; refused before any expansion */
	put(&t, &n, &cap, "qreg q[2];\ngate g0 a { h a; x a; }\n");
	for (int k = 1; k <= 24; k++)
		put(&t, &n, &cap, "gate g%d a { g%d a; g%d a; }\n", k, k - 1, k - 1);
	size_t defs_end = n;
	put(&t, &n, &cap, "g24 q[0];\n");
	clock_t t0 = clock();
	check_rejects(t, "line 27, col 1: expanding 'g24' would exceed the limit of 100000 gates");
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
	/* g15 adds 65536: once fits, a second time (or broadcast over 2) does not */
	n = defs_end;
	put(&t, &n, &cap, "g15 q[0];\n");
	struct qs_circuit *c = parse_ok(t);
	CHECK(c && c->ngates == 65536);
	qs_circuit_destroy(c);
	put(&t, &n, &cap, "g15 q[1];\n");
	check_rejects(t, "line 28, col 1: expanding 'g15' would exceed the limit of 100000 gates");
	n = defs_end;
	put(&t, &n, &cap, "g15 q;\n");
	check_rejects(t, "line 27, col 1: expanding 'g15'");

	/* nesting depth: 32 levels are fine, the 33rd is refused where it is defined */
	n = 0;
	put(&t, &n, &cap, "qreg q[1];\ngate d1 a { h a; }\n");
	for (int k = 2; k <= 33; k++)
		put(&t, &n, &cap, "gate d%d a { d%d a; }\n", k, k - 1);
	check_rejects(t, "line 34, col 6: in gate 'd33': definitions nested more than 32 deep");

	/* 256 definitions, 16 parameters and 16 qubits each */
	n = 0;
	put(&t, &n, &cap, "qreg q[1];\n");
	for (int k = 0; k < 256; k++)
		put(&t, &n, &cap, "gate f%d a { }\n", k);
	c = parse_ok(t);
	CHECK(c != NULL);
	qs_circuit_destroy(c);
	put(&t, &n, &cap, "gate f256 a { }\n");
	check_rejects(t, "line 258, col 6: more than 256 gate definitions");
	n = 0;
	put(&t, &n, &cap, "gate many(");
	for (int k = 0; k < 17; k++)
		put(&t, &n, &cap, "%sp%d", k ? ", " : "", k);
	put(&t, &n, &cap, ") a { }");
	check_rejects(t, "line 1, col 81: in gate 'many': more than 16 parameters");
	n = 0;
	put(&t, &n, &cap, "gate wide ");
	for (int k = 0; k < 17; k++)
		put(&t, &n, &cap, "%sa%d", k ? ", " : "", k);
	put(&t, &n, &cap, " { }");
	check_rejects(t, "line 1, col 81: in gate 'wide': more than 16 qubits");

	/* statements plus parameters of all bodies, and one long expression */
	n = 0;
	put(&t, &n, &cap, "gate big(t) a {");
	for (int k = 0; k < 33000; k++)
		put(&t, &n, &cap, " rz(t) a;");
	put(&t, &n, &cap, " }");
	check_rejects(t, "in gate 'big': gate bodies hold more than 65536 statements and parameters");
	n = 0;
	put(&t, &n, &cap, "gate long(t) a { rz(t%300s) a; }", "");
	check_rejects(t, "line 1, col 21: in gate 'long': expression longer than 256 characters");
	free(t);
}

/*
 * A million-gate file: each gate takes a few hundred bytes at most, not the kilobyte that three
 * full-size angle expressions inline cost (2 GB for the file). Measured with glibc's
 * mallinfo2, so skipped under ASan (its allocator keeps its own books).
 */
static void test_million_gates_memory(void)
{
#if defined(__SANITIZE_ADDRESS__) || !defined(__GLIBC__)
	printf("  skipped: allocation accounting needs glibc's allocator\n");
#else
	size_t ng = QS_MAX_CIRCUIT_GATES, cap = 64 + ng * 20, n = 0;
	char *text = qcq_xmalloc(cap);
	n += (size_t)snprintf(text, cap, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\n");
	static const char *const lines[] = {"rz(0.5) q[0];\n", "h q[1];\n", "cx q[0],q[1];\n",
					    "u3(0.1,0.2,0.3) q[1];\n"};
	for (size_t i = 0; i < ng; i++)
		n += (size_t)snprintf(text + n, cap - n, "%s", lines[i % 4]);
	struct mallinfo2 before = mallinfo2();
	struct qs_circuit *c = NULL;
	struct qcq_error e;
	CHECK(qs_qasm_parse(text, n, &c, &e) == QCQ_OK);
	struct mallinfo2 after = mallinfo2();
	size_t used = (after.uordblks + after.hblkhd) - (before.uordblks + before.hblkhd);
	CHECK(c && c->ngates == ng);
	printf("  %zu gates: %.1f MB, %.0f bytes a gate\n", ng, used / 1e6, (double)used / ng);
	CHECK(used < ng * 256); /* u3: three angles; inline angles took 1000-2000 */
	/* the angles survive a clone and read back */
	struct qs_circuit *d = NULL;
	CHECK(c && qs_circuit_clone(c, &d, &e) == QCQ_OK);
	if (d) {
		CHECK(qs_angle_eval(&d->gates[3].angle[2], NULL, NULL) == 0.3);
		CHECK(qs_angle_eval(&d->gates[ng - 4].angle[0], NULL, NULL) == 0.5);
	}
	qs_circuit_destroy(d);
	qs_circuit_destroy(c);
	free(text);
#endif
}

int main(void)
{
	RUN(test_parse_program);
	RUN(test_symbolic_export_and_files);
	RUN(test_errors_with_line_and_column);
	RUN(test_gate_definitions_qiskit);
	RUN(test_gate_definitions_nested_and_broadcast);
	RUN(test_gate_definition_errors);
	RUN(test_gate_definition_limits);
	RUN(test_million_gates_memory);
	return check_summary();
}
