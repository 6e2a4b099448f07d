/*
 * tests/qsim/test_qsim_qasm.c: OpenQASM 2.0 import and export: a qelib1 program with
 * registers, broadcasting, pi expressions, barrier and measure; export -> import round
 * trips exactly (same state); every rejection names its line and column.
 */
#include "check.h"
#include "qsim_helpers.h"

#include <string.h>
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
		{"qreg q[2];\ngate g a { h a; }", "line 2, col 1: 'gate' is not supported"},
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

int main(void)
{
	RUN(test_parse_program);
	RUN(test_symbolic_export_and_files);
	RUN(test_errors_with_line_and_column);
	return check_summary();
}
