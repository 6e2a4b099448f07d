/*
 * tests/qsim/test_qsim_cmd.c: the circuit commands (circuit new/gate/load/save/show,
 * step, back, goto, reset, run, state, expect, measure) driven through cmd_run_text as
 * a person or a session file would, including their JSON results, the noise and shot
 * settings, and bad input that must leave the workspace as it was.
 */
#include "check.h"
#include "../cmd/capture.h"
#include "qcq/qsim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool run(struct cmd_workspace *ws, const char *text)
{
	return cmd_run_text(ws, text, "test.qcq", 1, false) == QCQ_OK;
}

static void test_build_step_and_read(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(run(ws, "circuit new 2; circuit gate h 0; circuit gate cx 0 1; circuit gate ry 1 pi/3"));
	CHECK(ws->circuit && ws->circuit->ngates == 3 && qs_exec_cursor(ws->exec) == 0);
	capture_reset(&c);
	CHECK(run(ws, "step; state"));
	CHECK_STR_CONTAINS(c.out, "gate 1/3: h q[0]");
	CHECK_STR_CONTAINS(c.out, "basis |q1q0> (qubit 0 rightmost)");
	CHECK_STR_CONTAINS(c.out, "|01>  +0.7071067812 +0.0000000000i  p=0.5000000000");
	capture_reset(&c);
	CHECK(run(ws, "step 10; expect Z0 Z0Z1 IZ"));
	CHECK(qs_exec_cursor(ws->exec) == 3);
	CHECK_STR_CONTAINS(c.out, "gate 3/3: ry(pi/3) q[1]");
	CHECK_STR_CONTAINS(c.out, "<Z0Z1> = +0.5000000000000");
	capture_reset(&c);
	CHECK(run(ws, "back; state probs"));
	CHECK_STR_CONTAINS(c.out, "gate 2/3: cx q[0], q[1]");
	CHECK_STR_CONTAINS(c.out, "|11>  p=0.5000000000");
	CHECK(run(ws, "goto 1") && qs_exec_cursor(ws->exec) == 1);
	CHECK(run(ws, "reset") && qs_exec_cursor(ws->exec) == 0);
	CHECK(run(ws, "run") && qs_exec_cursor(ws->exec) == 3);
	capture_reset(&c);
	CHECK(run(ws, "circuit show"));
	CHECK_STR_CONTAINS(c.out, "q0  : -[H]----*----");
	CHECK_STR_CONTAINS(c.out, "^ 2");
	capture_reset(&c);
	CHECK(run(ws, "state bloch; state density"));
	CHECK_STR_CONTAINS(c.out, "q0: <X> = +0.0000000000");
	CHECK_STR_CONTAINS(c.out, "trace 1.0000000000, purity 1.0000000000");
	/* measure fills the histogram */
	CHECK(run(ws, "goto 2; measure 2000"));
	CHECK(ws->counts && ws->counts_shots == 2000);
	CHECK(ws->counts[1] == 0 && ws->counts[2] == 0);
	CHECK(fabs(ws->counts[0] - 1000) < 5 * sqrt(500));
	CHECK(ws->counts[0] + ws->counts[3] == 2000);
	cmd_workspace_destroy(ws);
}

static void test_symbolic_angles_and_json(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	ws->json = true;
	CHECK(run(ws, "circuit new 1; circuit gate ry 0 w0; circuit gate rz 0 pi*x0; run; "
		      "expect Z0"));
	CHECK(ws->circuit->nweights == 1 && ws->circuit->ninputs == 1);
	CHECK_STR_CONTAINS(c.json, "{\"result\":\"expect\",\"cursor\":2,\"shots\":0,"
				   "\"values\":{\"Z0\":1}}");
	CHECK_STR_CONTAINS(c.json, "\"result\":\"circuit-gate\"");
	CHECK_STR_CONTAINS(c.json, "\"result\":\"run\",\"cursor\":2");
	capture_reset(&c);
	CHECK(run(ws, "circuit show"));
	CHECK_STR_CONTAINS(c.json, "\"label\":\"ry(w0 = 0) q[0]\"");
	capture_reset(&c);
	CHECK(run(ws, "state"));
	CHECK_STR_CONTAINS(c.json, "{\"result\":\"state-amps\",\"qubits\":1,\"states\":[{\"label\":\"0\"");
	cmd_workspace_destroy(ws);
}

static void test_noise_and_shots_settings(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(run(ws, "circuit new 2; circuit gate h 0; circuit gate cx 0 1; run"));
	CHECK(qs_exec_state(ws->exec)->kind == QS_PURE);
	capture_reset(&c);
	/* Bell check of CONVENTIONS 11(e): <Z0Z1> = 1 - p2 */
	CHECK(run(ws, "set noise depolarizing p1=0.01 p2=0.02; expect Z0Z1"));
	CHECK(qs_exec_state(ws->exec)->kind == QS_DENSITY && qs_exec_cursor(ws->exec) == 2);
	CHECK_STR_CONTAINS(c.out, "<Z0Z1> = +0.9800000000000");
	CHECK(!run(ws, "state amps"));
	CHECK_STR_CONTAINS(c.err, "the state is a density matrix");
	capture_reset(&c);
	CHECK(run(ws, "set noise off; set shots 4096; expect Z0 Z0Z1"));
	CHECK(qs_exec_state(ws->exec)->kind == QS_PURE);
	CHECK_STR_CONTAINS(c.out, "<Z0Z1> = +1.0000000000000"); /* +1 eigenstate: no spread */
	CHECK_STR_CONTAINS(c.out, "estimated from 4096 shots");
	double z0;
	CHECK(sscanf(strstr(c.out, "<Z0> = "), "<Z0> = %lf", &z0) == 1);
	CHECK(fabs(z0) < 5 / 64.0); /* sd = 1/sqrt(4096) */
	cmd_workspace_destroy(ws);
}

/* `set noise damping`: set, show (text and JSON), composition with depolarizing, off,
 * and the circuit commands reading it (the executor is rebuilt when only gamma changes). */
static void test_damping_settings(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(run(ws, "set noise damping gamma=0.1; show settings"));
	CHECK(ws->set.gamma == 0.1 && ws->set.lambda == 0 && ws->set.p1 == 0);
	CHECK_STR_CONTAINS(c.out, "noise       damping gamma=0.1 lambda=0 (circuits)\n");
	CHECK(!strstr(c.out, "noise       off") && !strstr(c.out, "depolarizing"));
	ws->json = true;
	CHECK(run(ws, "show settings"));
	CHECK_STR_CONTAINS(c.json, "\"p2\":0,\"gamma\":0.1");
	CHECK_STR_CONTAINS(c.json, "\"lambda\":0,\"p01\":0,");
	ws->json = false;
	/* kinds compose; a parameter left out of the kind set is 0 */
	capture_reset(&c);
	CHECK(run(ws, "set noise depolarizing p1=0.01 p2=0.02; set noise damping lambda=0.2; "
		      "set noise readout p01=0.03; show settings"));
	CHECK(ws->set.p1 == 0.01 && ws->set.p2 == 0.02 && ws->set.gamma == 0 &&
	      ws->set.lambda == 0.2 && ws->set.p01 == 0.03);
	CHECK_STR_CONTAINS(c.out, "noise       depolarizing p1=0.01 p2=0.02\n"
				  "noise       damping gamma=0 lambda=0.2 (circuits)\n"
				  "readout     p01=0.03 p10=0 (measure)");
	CHECK(run(ws, "set noise depolarizing p2=0.05") && ws->set.lambda == 0.2);
	CHECK(run(ws, "set noise off")); /* set says what it was: damping ... */
	capture_reset(&c);
	CHECK(run(ws, "show settings"));
	CHECK(ws->set.p1 == 0 && ws->set.p2 == 0 && ws->set.gamma == 0 && ws->set.lambda == 0 &&
	      ws->set.p01 == 0 && ws->set.p10 == 0);
	CHECK_STR_CONTAINS(c.out, "noise       off");
	CHECK(!strstr(c.out, "damping"));
	/* bad input names the kind and leaves every setting as it was */
	CHECK(run(ws, "set noise damping gamma=0.1 lambda=0.2"));
	struct cmd_settings before = ws->set;
	static const struct { const char *cmd, *msg; } bad[] = {
		{"set noise damping", "set noise damping: give gamma=G and/or lambda=L"},
		{"set noise damping gamma=1.5", "gamma: 1.5 out of range [0, 1]"},
		{"set noise damping lambda=-0.1", "lambda: -0.1 out of range [0, 1]"},
		{"set noise damping gamma=0.2 lambda=x", "lambda"},
		{"set noise damping p1=0.1",
		 "set noise damping: takes gamma= and lambda= (p1/p2 belong to depolarizing)"},
		{"set noise damping gamma=0.1 p10=0.1",
		 "set noise damping: takes gamma= and lambda= (p01/p10 belong to readout)"},
		{"set noise depolarizing gamma=0.1",
		 "set noise depolarizing: takes p1= and p2= (gamma/lambda belong to damping)"},
		{"set noise readout lambda=0.1",
		 "set noise readout: takes p01= and p10= (gamma/lambda belong to damping)"},
		{"set noise off gamma=0", "set noise off: takes no options"},
		{"set noise amplitude gamma=0.1",
		 "set noise: expected 'depolarizing p1=P p2=P', 'damping gamma=G lambda=L', "
		 "'readout p01=P p10=P' or 'off', got 'amplitude'"},
		{"set shots 5 gamma=0.1", "set shots: takes no options"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		capture_reset(&c);
		CHECK(!run(ws, bad[i].cmd));
		CHECK_STR_CONTAINS(c.err, bad[i].msg);
		CHECK(memcmp(&before, &ws->set, sizeof before) == 0);
	}
	cmd_workspace_destroy(ws);
}

static double expect_value(const char *out, const char *pauli)
{
	char key[32];
	double v = NAN;
	snprintf(key, sizeof key, "<%s> = ", pauli);
	const char *at = strstr(out, key);
	if (at)
		sscanf(at + strlen(key), "%lf", &v);
	return v;
}

static void test_damping_circuits(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	/* H then phase damping: <X> = sqrt(1 - lambda) */
	CHECK(run(ws, "circuit new 1; circuit gate h 0; set noise damping lambda=0.36; step; "
		      "expect X0 Z0"));
	CHECK(qs_exec_state(ws->exec)->kind == QS_DENSITY);
	CHECK_STR_CONTAINS(c.out, "<X0> = +0.8000000000000");
	CHECK_NEAR(expect_value(c.out, "Z0"), 0, 1e-12);
	capture_reset(&c);
	/* only gamma changes: the executor follows; <X> = sqrt((1-g)(1-l)), <Z> = g */
	CHECK(run(ws, "set noise damping gamma=0.19 lambda=0.36; expect X0 Z0; state bloch"));
	CHECK_STR_CONTAINS(c.out, "<X0> = +0.7200000000000");
	CHECK_STR_CONTAINS(c.out, "<Z0> = +0.1900000000000");
	CHECK_STR_CONTAINS(c.out, "state after gate 1/1 (density matrix: damping gamma=0.19 "
				  "lambda=0.36)");
	capture_reset(&c);
	/* T1 over gates: X then two identities, gamma 0.25: <Z> = 1 - 2 (3/4)^3 */
	CHECK(run(ws, "circuit new 1; circuit gate x 0; circuit gate id 0; circuit gate rz 0 0; "
		      "set noise damping gamma=0.25; step; expect Z0; run; expect Z0"));
	CHECK_STR_CONTAINS(c.out, "<Z0> = -0.5000000000000");
	CHECK_STR_CONTAINS(c.out, "<Z0> = +0.1562500000000");
	capture_reset(&c);
	/* with depolarizing too: state is labelled with both */
	CHECK(run(ws, "set noise depolarizing p1=0.1; back 2; state probs"));
	CHECK_STR_CONTAINS(c.out, "(density matrix: depolarizing p1=0.1 p2=0, damping "
				  "gamma=0.25 lambda=0)");
	/* depolarizing first: <Z> = -0.9, P(1) = 0.95; then damping keeps 0.75 of it */
	capture_reset(&c);
	CHECK(run(ws, "expect Z0"));
	CHECK_NEAR(expect_value(c.out, "Z0"), 1 - 2 * 0.95 * 0.75, 1e-12);
	/* templates read the damping too: RealAmplitudes(2, reps 1) with w0 = pi flips both
	 * qubits (RY, CX), each damped three times: <Z> = 1 - 2 (1 - gamma)^3 */
	capture_reset(&c);
	CHECK(run(ws, "set noise off; set noise damping gamma=0.1; set depth 1; circuit template realamp "
		      "w=pi,0,0,0; run; expect Z0 Z1"));
	CHECK_NEAR(expect_value(c.out, "Z0"), 1 - 2 * pow(0.9, 3), 1e-12);
	CHECK_NEAR(expect_value(c.out, "Z1"), 1 - 2 * pow(0.9, 3), 1e-12);
	capture_reset(&c);
	CHECK(run(ws, "set noise off; expect Z0"));
	CHECK(qs_exec_state(ws->exec)->kind == QS_PURE);
	CHECK_STR_CONTAINS(c.out, "<Z0> = -1.0000000000000");
	cmd_workspace_destroy(ws);
}

/* Each bad command fails with its message and leaves circuit, cursor and counts alone. */
static void test_bad_input_leaves_workspace(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	static const struct { const char *cmd, *msg; } none[] = {
		{"step", "no circuit"}, {"state", "no circuit"}, {"circuit gate h 0", "no circuit"},
		{"circuit save /tmp/x.qasm", "no circuit"}, {"circuit new 29", "out of range"},
		{"circuit new 0", "out of range"},
	};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		capture_reset(&c);
		CHECK(!run(ws, none[i].cmd));
		CHECK_STR_CONTAINS(c.err, none[i].msg);
		CHECK(ws->circuit == NULL && ws->exec == NULL);
	}
	CHECK(run(ws, "circuit new 2; circuit gate h 0; circuit gate cx 0 1; step; measure 10"));
	static const struct { const char *cmd, *msg; } bad[] = {
		{"circuit gate foo 0", "unknown gate 'foo'"},
		{"circuit gate h 2", "qubit: 2 out of range"},
		{"circuit gate cx 1 1", "duplicate qubit 1"},
		{"circuit gate rx 0", "rx takes 1 qubit(s) and 1 angle(s), got 1 word(s)"},
		{"circuit gate rx 0 pi*", "angle 'pi*' column 4: expression expected"},
		{"circuit gate rx 0 y3", "unknown name 'y3'"},
		{"goto 3", "out of range"},
		{"step 0", "out of range"},
		{"back -1", "out of range"},
		{"state velocity", "'velocity' is not amps, probs, bloch or density"},
		{"expect Q0", "expected X, Y, Z or I"},
		{"expect Z2", "qubit 2 out of range"},
		{"measure 0", "out of range"},
		{"circuit load /nonexistent/file.qasm", "/nonexistent/file.qasm"},
		{"circuit show width=3", "width"},
		{"set noise depolarizing p1=0.5; circuit new 15", "density matrix"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		capture_reset(&c);
		CHECK(!run(ws, bad[i].cmd));
		CHECK_STR_CONTAINS(c.err, bad[i].msg);
		CHECK(ws->circuit->ngates == 2 && ws->circuit->nqubits == 2);
		CHECK(qs_exec_cursor(ws->exec) == 1);
		CHECK(ws->counts != NULL && ws->counts_shots == 10);
	}
	cmd_workspace_destroy(ws);
}

static void test_qasm_load_and_save(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	char path[] = "/tmp/qcq_cmd_qasmXXXXXX", bad[] = "/tmp/qcq_cmd_badXXXXXX";
	int fd = mkstemp(path);
	close(fd);
	fd = mkstemp(bad);
	CHECK(write(fd, "OPENQASM 2.0;\nqreg q[2];\nh q[0]\ncx q[0],q[1];\n", 45) == 45);
	close(fd);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "circuit new 3; circuit gate u 2 0.1 0.2 0.3; circuit gate ccx 0 1 2;"
				  "circuit gate barrier; circuit save %s", path);
	CHECK(run(ws, cmd));
	snprintf(cmd, sizeof cmd, "circuit new 1; circuit load %s", path);
	CHECK(run(ws, cmd));
	CHECK(ws->circuit->nqubits == 3 && ws->circuit->ngates == 3);
	CHECK(ws->circuit->gates[0].kind == QS_G_U && ws->circuit->gates[2].kind == QS_G_BARRIER);
	capture_reset(&c);
	snprintf(cmd, sizeof cmd, "circuit load %s", bad);
	CHECK(!run(ws, cmd));
	CHECK_STR_CONTAINS(c.err, "line 4, col 1: expected ';'");
	CHECK(ws->circuit->nqubits == 3);
	unlink(path);
	unlink(bad);
	cmd_workspace_destroy(ws);
}

int main(void)
{
	RUN(test_build_step_and_read);
	RUN(test_symbolic_angles_and_json);
	RUN(test_noise_and_shots_settings);
	RUN(test_damping_settings);
	RUN(test_damping_circuits);
	RUN(test_bad_input_leaves_workspace);
	RUN(test_qasm_load_and_save);
	return check_summary();
}
