/* tests/qml: the qml commands (filter, circuit template) through the command runner:
 * what they put into the workspace, what they print, and that every bad argument is
 * refused with its message and leaves the workspace as it was. */
#include "qcq/cmd.h"
#include "qcq/data.h"
#include "qcq/qml.h"
#include "qcq/qsim.h"
#include "check.h"
#include "cmd/capture.h"

#include <stdio.h>
#include <unistd.h>

static struct capture cap;

static enum qcq_status run(struct cmd_workspace *ws, const char *text)
{
	capture_reset(&cap);
	return cmd_run_text(ws, text, "t.qcq", 1, false);
}

/* the release functions of the families free these too; doing it here keeps the
 * test leak-free whatever state those files are in */
static void destroy(struct cmd_workspace *ws)
{
	qml_filter_destroy(ws->filter);
	ws->filter = NULL;
	qs_exec_destroy(ws->exec);
	ws->exec = NULL;
	qs_circuit_destroy(ws->circuit);
	ws->circuit = NULL;
	cmd_workspace_destroy(ws);
}

static void test_filter_forms(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	CHECK(run(ws, "filter pennylane") == QCQ_OK);
	CHECK(ws->filter && strcmp(qml_filter_name(ws->filter), "pennylane generation=C") == 0);
	CHECK_STR_CONTAINS(cap.out, "2x2 patch, stride 2, 4 qubits, 5 gates, heisenberg path");
	CHECK(run(ws, "filter pennylane generation=A") == QCQ_OK);
	CHECK(strcmp(qml_filter_name(ws->filter), "pennylane generation=A") == 0);
	CHECK(run(ws, "filter show") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "    0  rx(3.448296944) q[2]");
	CHECK_STR_CONTAINS(cap.out, "    4  cx q[3],q[0]");
	CHECK(run(ws, "filter random layers=2 seed=7 patch=3") == QCQ_OK);
	CHECK(qml_filter_qubits(ws->filter) == 9 && qml_filter_stride(ws->filter) == 3);
	CHECK_STR_CONTAINS(cap.out, "statevector path");
	CHECK(run(ws, "filter random stride=1") == QCQ_OK);
	CHECK(qml_filter_stride(ws->filter) == 1 && qml_filter_patch(ws->filter) == 2);
	CHECK_STR_CONTAINS(cap.out, "seed=42"); /* the workspace seed */

	/* QASM: the fixed part of the filter */
	char path[] = "/tmp/qcq-test-filter-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[4];\nrx(0.7) q[0];\n"
	      "cx q[1],q[2];\nry(1.3) q[3];\nrz(-0.4) q[1];\ncx q[0],q[3];\nry(2.1) q[2];\n"
	      "rx(-1.1) q[1];\ncx q[3],q[1];\n", f);
	fclose(f);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "filter qasm %s", path);
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(qml_filter_ngates(ws->filter) == 8);
	double x[4] = {0.1, 0.2, 0.3, 0.4}, z[4];
	qml_filter_patch_naive(ws->filter, x, z);
	CHECK_NEAR(z[2], -0.9384196360755, 1e-10);
	/* features are dropped when the filter changes */
	size_t n[DATA_NPARTS] = {0};
	n[0] = 2;
	struct qcq_error e;
	CHECK(data_features_create(n, 4, 14, 14, &ws->features, &e) == QCQ_OK);
	CHECK(run(ws, "filter pennylane generation=b") == QCQ_OK);
	CHECK(ws->features == NULL);
	ws->json = true;
	CHECK(run(ws, "filter show") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.json, "\"result\":\"filter\"");
	CHECK_STR_CONTAINS(cap.json, "\"name\":\"pennylane generation=B\"");
	CHECK_STR_CONTAINS(cap.json, "\"gates\":[\"rx(3.448296944) q[0]\"");
	unlink(path);
	destroy(ws);
}

static void test_filter_errors(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	CHECK(run(ws, "filter show") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(cap.err, "t.qcq:1: no filter yet (filter random|qasm|pennylane sets one)");
	CHECK(run(ws, "filter pennylane") == QCQ_OK);
	struct qml_filter *before = ws->filter;
	static const struct {
		const char *cmd, *msg;
	} bad[] = {
		{"filter bogus", "filter: 'bogus' is not random, qasm, pennylane or show"},
		{"filter pennylane generation=Q", "pennylane generation 'Q' unknown (A, B or C)"},
		{"filter pennylane generation=AB", "generation: 'AB' is not A, B or C"},
		{"filter pennylane layers=2", "filter pennylane: option 'layers' not allowed here"},
		{"filter random generation=A", "filter random: option 'generation' not allowed here"},
		{"filter show seed=1", "filter show: option 'seed' not allowed here"},
		{"filter show extra", "filter show: takes no arguments"},
		{"filter random extra", "filter random: takes no further arguments"},
		{"filter random layers=0", "layers: 0 out of range [1, 64]"},
		{"filter random patch=4", "patch: 4 out of range [1, 3]"},
		{"filter random stride=x", "stride: 'x' is not an integer"},
		{"filter qasm", "filter qasm: needs a FILE"},
		{"filter qasm /nonexistent/f.qasm", "/nonexistent/f.qasm: "},
		{"filter qasm /nonexistent/f.qasm generation=A",
		 "filter qasm: option 'generation' not allowed here"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(run(ws, bad[i].cmd) != QCQ_OK);
		CHECK_STR_CONTAINS(cap.err, bad[i].msg);
		CHECK(ws->filter == before);
	}
	char path[] = "/tmp/qcq-test-filter3-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nh q[0];\n", f);
	fclose(f);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "filter qasm %s", path);
	CHECK(run(ws, cmd) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "a filter circuit needs 1, 4 or 9 qubits (k x k patch), got 3");
	CHECK(ws->filter == before);
	unlink(path);
	destroy(ws);
}

static double exec_expect(struct cmd_workspace *ws, const char *pauli)
{
	struct qcq_error e;
	struct qs_pauli p;
	double v = NAN;
	CHECK(qs_exec_run(ws->exec, &e) == QCQ_OK);
	CHECK(qs_pauli_parse(pauli, ws->circuit->nqubits, &p, &e) == QCQ_OK);
	CHECK(qs_calc_pauli(qs_exec_state(ws->exec), p, &v, &e) == QCQ_OK);
	return v;
}

static void test_circuit_template(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	/* the entry runs directly as circuit-template; `circuit template` needs the circuit
	 * family's parent entry */
	CHECK(run(ws, "set depth 1") == QCQ_OK);
	CHECK(run(ws, "circuit-template classifier x=1.2,-0.4 w=-0.5,1.1,0.25,-1.3") == QCQ_OK);
	CHECK(ws->circuit && ws->exec && ws->circuit->ngates == 19);
	CHECK(qs_exec_cursor(ws->exec) == 0);
	CHECK_STR_CONTAINS(cap.out, "classifier (n=2 reps=1 entanglement=reverse_linear): 2 qubits, "
				    "19 gates, 2 inputs, 4 weights");
	CHECK_NEAR(exec_expect(ws, "Z0"), -0.6073872702307, 1e-10);
	/* the workspace's depth and noise are used */
	CHECK(run(ws, "set depth 2; set noise depolarizing p1=0.01 p2=0.02") == QCQ_OK);
	CHECK(run(ws, "circuit-template classifier x=1.2,-0.4 w=-0.5,1.1,0.25,-1.3,2.0,0.05") ==
	      QCQ_OK);
	CHECK(qs_exec_state(ws->exec)->kind == QS_DENSITY);
	CHECK_NEAR(exec_expect(ws, "Z0Z1"), +0.1946833248480, 1e-10);
	CHECK(run(ws, "set noise off") == QCQ_OK);
	CHECK(run(ws, "circuit-template zz n=3 entanglement=linear reps=1") == QCQ_OK);
	CHECK(ws->circuit->nqubits == 3 && ws->circuit->ngates == 3 + 3 + 2 * 3);
	CHECK(run(ws, "circuit-template realamp n=3 reps=3") == QCQ_OK);
	CHECK(ws->circuit->nweights == 12);
	CHECK(run(ws, "circuit-template qcnn") == QCQ_OK);
	CHECK(ws->circuit->nweights == 63);
	/* filter: the default (pennylane C) without a workspace filter, then the workspace's */
	CHECK(run(ws, "circuit-template filter x=0.1,0.2,0.3,0.4") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "filter (pennylane generation=C)");
	CHECK_NEAR(exec_expect(ws, "Z2"), +0.3855073004278, 1e-10);
	CHECK(run(ws, "filter random patch=3 seed=3; circuit-template filter") == QCQ_OK);
	CHECK(ws->circuit->nqubits == 9 && ws->circuit->ninputs == 9);
	ws->json = true;
	CHECK(run(ws, "circuit-template zz") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.json, "\"result\":\"circuit\",\"template\":\"zz\"");
	ws->json = false;

	const struct qs_circuit *before = ws->circuit;
	static const struct {
		const char *cmd, *msg;
	} bad[] = {
		{"circuit-template foo", "circuit template: 'foo' is not filter, zz, realamp, "
					 "classifier or qcnn"},
		{"circuit-template zz entanglement=ring", "entanglement 'ring' unknown"},
		{"circuit-template zz n=0", "n: 0 out of range [1, 24]"},
		{"circuit-template zz reps=0", "reps: 0 out of range [1, 64]"},
		{"circuit-template zz fm_reps=2", "fm_reps: only for the classifier template"},
		{"circuit-template classifier x=1", "x: 1 values given, the circuit has 2"},
		{"circuit-template classifier x=", "x: no values in ''"},
		{"circuit-template classifier x=a,b", "x: "},
		{"circuit-template filter n=3", "circuit template filter: n, reps and entanglement do "
						"not apply"},
		{"circuit-template qcnn reps=2", "circuit template qcnn: n, reps and entanglement do "
						 "not apply"},
		{"circuit-template realamp w=1,2", "w: 2 values given, the circuit has 6"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(run(ws, bad[i].cmd) != QCQ_OK);
		CHECK_STR_CONTAINS(cap.err, bad[i].msg);
		CHECK(ws->circuit == before);
	}
	struct qcq_error e;
	if (cmd_find("circuit", &e)) {
		CHECK(run(ws, "circuit template zz n=2") == QCQ_OK);
		CHECK(ws->circuit->ninputs == 2);
	}
	destroy(ws);
}

int main(void)
{
	RUN(test_filter_forms);
	RUN(test_filter_errors);
	RUN(test_circuit_template);
	return check_summary();
}
