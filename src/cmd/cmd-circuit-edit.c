/*
 * cmd/cmd-circuit-edit.c: building and storing circuits: `circuit new N`,
 * `circuit gate NAME QUBITS... [ANGLES...]`, `circuit load FILE.qasm`,
 * `circuit save FILE.qasm` and `circuit show` (the text diagram). Each edit makes a new
 * circuit and executor first and swaps them in only when everything succeeded.
 */
#include "cmd-circuit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report_circuit(struct cmd_ctx *ctx, const char *what)
{
	const struct qs_circuit *c = ctx->ws->circuit;
	cmd_print(ctx, "circuit: %s: %d qubits, %zu gates, %u inputs, %u weights", what,
		  c->nqubits, c->ngates, c->ninputs, c->nweights);
	cmd_json_begin(ctx, "circuit");
	cmd_json_str(ctx, "action", what);
	cmd_json_int(ctx, "qubits", c->nqubits);
	cmd_json_int(ctx, "gates", (long long)c->ngates);
	cmd_json_int(ctx, "inputs", c->ninputs);
	cmd_json_int(ctx, "weights", c->nweights);
	cmd_json_int(ctx, "cursor", (long long)qs_exec_cursor(ctx->ws->exec));
	cmd_json_end(ctx);
}

static enum qcq_status exec_new(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	long n;
	struct qs_circuit *c;
	if (cmd_parse_long(ctx, "qubits", cmd_arg(call, 0), 1, QS_MAX_QUBITS_PURE, &n) ||
	    qs_circuit_create((int)n, &c, ctx->err))
		return ctx->err->code;
	enum qcq_status st = cmd_circuit_install(ctx, c, 0, NULL);
	if (!st)
		report_circuit(ctx, "new");
	return st;
}

/* Parses the words after NAME into qubits and angles; appends to a copy of c. */
static enum qcq_status gate_from_words(struct cmd_ctx *ctx, const struct cmd_call *call,
				       struct qs_circuit *c)
{
	const char *name = cmd_arg(call, 0);
	enum qs_gate_kind k = qs_gate_lookup(name);
	if (k == QS_G_COUNT)
		return cmd_error(ctx, QCQ_EINVAL, "circuit gate: unknown gate '%s'", name);
	const struct qs_gate_info *gi = qs_gate_info(k);
	int nq = k == QS_G_BARRIER ? 0 : gi->nqubits, words = cmd_nargs(call) - 1;
	if (words != nq + gi->nangles)
		return cmd_error(ctx, QCQ_EINVAL,
				 "circuit gate: %s takes %d qubit(s) and %d angle(s), got %d word(s)",
				 gi->name, nq, gi->nangles, words);
	int q[3];
	struct qs_angle ang[3];
	for (int j = 0; j < nq; j++) {
		long v;
		if (cmd_parse_long(ctx, "qubit", cmd_arg(call, 1 + j), 0, c->nqubits - 1, &v))
			return ctx->err->code;
		q[j] = (int)v;
	}
	for (int j = 0; j < gi->nangles; j++) {
		const char *t = cmd_arg(call, 1 + nq + j);
		int col;
		if (qs_angle_parse(t, &ang[j], &col, ctx->err))
			return qcq_error_prefix(ctx->err, "angle '%s' column %d", t, col);
	}
	return qs_circuit_add(c, k, q, ang, ctx->err);
}

static enum qcq_status exec_gate(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	if (!ws->circuit)
		return cmd_error(ctx, QCQ_ESTATE, "no circuit (use circuit new N first)");
	struct qs_circuit *c;
	qs_circuit_clone(ws->circuit, &c, NULL);
	enum qcq_status st = gate_from_words(ctx, call, c);
	if (st) {
		qs_circuit_destroy(c);
		return st;
	}
	size_t cur = ws->exec ? qs_exec_cursor(ws->exec) : 0;
	st = cmd_circuit_install(ctx, c, cur, ws->exec);
	if (!st) {
		char label[256];
		qs_gate_format(&c->gates[c->ngates - 1], NULL, NULL, label, sizeof label);
		cmd_print(ctx, "gate %zu: %s", c->ngates, label);
		cmd_json_begin(ctx, "circuit-gate");
		cmd_json_int(ctx, "index", (long long)c->ngates);
		cmd_json_str(ctx, "gate", label);
		cmd_json_int(ctx, "gates", (long long)c->ngates);
		cmd_json_end(ctx);
	}
	return st;
}

static enum qcq_status exec_load(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_circuit *c;
	if (qs_qasm_load(cmd_arg(call, 0), &c, ctx->err))
		return ctx->err->code;
	enum qcq_status st = cmd_circuit_install(ctx, c, 0, NULL);
	if (!st)
		report_circuit(ctx, "loaded");
	return st;
}

static enum qcq_status exec_save(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_exec *e;
	enum qcq_status st = cmd_circuit_exec(ctx, &e);
	if (st)
		return st;
	const char *path = cmd_arg(call, 0);
	if (qs_qasm_save(qs_exec_circuit(e), qs_exec_inputs(e), qs_exec_weights(e), path, ctx->err))
		return ctx->err->code;
	cmd_print(ctx, "circuit saved to %s (%zu gates)", path, qs_exec_circuit(e)->ngates);
	cmd_json_begin(ctx, "circuit-save");
	cmd_json_str(ctx, "path", path);
	cmd_json_int(ctx, "gates", (long long)qs_exec_circuit(e)->ngates);
	cmd_json_end(ctx);
	return QCQ_OK;
}

static enum qcq_status exec_show(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_exec *e;
	long width;
	if (cmd_opt_long(ctx, "width", 40, 1000, 100, &width))
		return ctx->err->code;
	enum qcq_status st = cmd_circuit_exec(ctx, &e);
	if (st)
		return st;
	const struct qs_circuit *c = qs_exec_circuit(e);
	size_t cur = qs_exec_cursor(e);
	char *d = qs_circuit_draw(c, (long)cur - 1, (int)width);
	size_t len = strlen(d);
	if (len && d[len - 1] == '\n')
		d[len - 1] = 0;
	cmd_print(ctx, "%d qubits, %zu gates, cursor %zu (^ marks the gate just applied)",
		  c->nqubits, c->ngates, cur);
	cmd_print(ctx, "%s", d);
	free(d);
	cmd_json_begin(ctx, "circuit-show");
	cmd_json_int(ctx, "qubits", c->nqubits);
	cmd_json_int(ctx, "cursor", (long long)cur);
	cmd_json_arr_begin(ctx, "gates");
	for (size_t k = 0; k < c->ngates; k++) {
		char label[256];
		qs_gate_format(&c->gates[k], qs_exec_inputs(e), qs_exec_weights(e), label, sizeof label);
		cmd_json_obj_begin(ctx, NULL);
		cmd_json_str(ctx, "name", qs_gate_info(c->gates[k].kind)->name);
		cmd_json_str(ctx, "label", label);
		cmd_json_obj_end(ctx);
	}
	cmd_json_arr_end(ctx);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_circuit_new_entry = {
	.name = "circuit-new",
	.min_args = 1,
	.max_args = 1,
	.usage = "circuit new N",
	.help = "Start an empty circuit of N qubits (1 to 28) with the cursor at gate 0.\n"
		"Qubit 0 is the least significant bit of a basis index (Qiskit order).",
	.exec = exec_new,
};

const struct cmd_entry cmd_circuit_gate_entry = {
	.name = "circuit-gate",
	.min_args = 1,
	.max_args = 5,
	.usage = "circuit gate NAME QUBITS... [ANGLES...]",
	.help = "Append a gate: i h x y z s sdg t tdg sx rx ry rz p u cx cy cz swap crx cry crz\n"
		"cp rzz ccx barrier. Controls come first (cx 0 1: control 0, target 1). Angles\n"
		"are expressions: 0.5, pi/2, pi*x0, 2*(pi-x0)*(pi-x1), w3 (inputs x, weights w).",
	.exec = exec_gate,
};

const struct cmd_entry cmd_circuit_load_entry = {
	.name = "circuit-load",
	.min_args = 1,
	.max_args = 1,
	.usage = "circuit load FILE.qasm",
	.help = "Load an OpenQASM 2.0 circuit as the stepper's circuit.\n"
		"Accepted: the qelib1 gates, qreg/creg, barrier, final measurements and gate "
		"definitions (as Qiskit's qasm2.dumps writes them for composite gates); not "
		"opaque, if or reset. Errors name the line and column.",
	.exec = exec_load,
};

const struct cmd_entry cmd_circuit_save_entry = {
	.name = "circuit-save",
	.min_args = 1,
	.max_args = 1,
	.usage = "circuit save FILE.qasm",
	.help = "Write the circuit as OpenQASM 2.0 (atomically). Symbolic angles are written\n"
		"at the bound inputs and weights, with the expression as a comment.",
	.exec = exec_save,
};

static const char *const show_options[] = {"width", NULL};

const struct cmd_entry cmd_circuit_show_entry = {
	.name = "circuit-show",
	.min_args = 0,
	.max_args = 0,
	.options = show_options,
	.usage = "circuit show [width=W]",
	.help = "Draw the circuit as text, qubit 0 on top, one column per gate; '^' marks\n"
		"the gate just applied.",
	.flags = CMD_F_JOB_SAFE,
	.exec = exec_show,
};
