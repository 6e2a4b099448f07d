/*
 * cmd/cmd-circuit-util.c: helpers shared by the circuit commands (see cmd-circuit.h).
 * The executor is a function of the circuit and the noise settings: when `set noise`
 * changes, the next circuit command rebuilds it at the same cursor.
 */
#include "cmd-circuit.h"

#include <stdlib.h>
#include <string.h>

static bool same_noise(const struct qs_noise *a, const struct qs_noise *b)
{
	return a->p1 == b->p1 && a->p2 == b->p2 && a->gamma == b->gamma && a->lambda == b->lambda;
}

/* A new executor for c with the settings' noise, old's bindings and cursor. */
static enum qcq_status make_exec(struct cmd_ctx *ctx, const struct qs_circuit *c, size_t cursor,
				 const struct qs_exec *old, struct qs_exec **out)
{
	struct qs_noise nm;
	cmd_circuit_noise(ctx->ws, &nm);
	struct qs_exec *e;
	enum qcq_status st = qs_exec_create(c, &nm, &e, ctx->err);
	if (st)
		return st;
	if (old) {
		const struct qs_circuit *oc = qs_exec_circuit(old);
		double *x = qcq_xcalloc(c->ninputs + 1, sizeof *x);
		double *w = qcq_xcalloc(c->nweights + 1, sizeof *w);
		memcpy(x, qs_exec_inputs(old), sizeof *x * (oc->ninputs < c->ninputs ? oc->ninputs : c->ninputs));
		memcpy(w, qs_exec_weights(old), sizeof *w * (oc->nweights < c->nweights ? oc->nweights : c->nweights));
		if (c->ninputs)
			qs_exec_set_inputs(e, x, c->ninputs, NULL);
		if (c->nweights)
			qs_exec_set_weights(e, w, c->nweights, NULL);
		free(x);
		free(w);
	}
	qs_exec_goto(e, cursor < c->ngates ? cursor : c->ngates, NULL);
	*out = e;
	return QCQ_OK;
}

enum qcq_status cmd_circuit_exec(struct cmd_ctx *ctx, struct qs_exec **out)
{
	struct cmd_workspace *ws = ctx->ws;
	if (!ws->circuit)
		return cmd_error(ctx, QCQ_ESTATE,
				 "no circuit (use circuit new N, circuit load FILE or circuit template)");
	struct qs_noise want;
	cmd_circuit_noise(ws, &want);
	const struct qs_noise *have = ws->exec ? qs_exec_noise(ws->exec) : NULL;
	if (!have || !same_noise(have, &want)) {
		struct qs_exec *e;
		size_t cur = ws->exec ? qs_exec_cursor(ws->exec) : 0;
		enum qcq_status st = make_exec(ctx, ws->circuit, cur, ws->exec, &e);
		if (st)
			return st;
		qs_exec_destroy(ws->exec);
		ws->exec = e;
		ws->dirty |= CMD_DIRTY_STATE;
	}
	*out = ws->exec;
	return QCQ_OK;
}

enum qcq_status cmd_circuit_install(struct cmd_ctx *ctx, struct qs_circuit *c, size_t cursor,
			     const struct qs_exec *old)
{
	struct cmd_workspace *ws = ctx->ws;
	struct qs_exec *e;
	enum qcq_status st = make_exec(ctx, c, cursor, old, &e);
	if (st) {
		qs_circuit_destroy(c);
		return st;
	}
	cmd_circuit_put(ws, c, e);
	return QCQ_OK;
}

void cmd_circuit_bits(size_t index, int n, char *buf)
{
	for (int q = 0; q < n; q++)
		buf[n - 1 - q] = (index >> q & 1) ? '1' : '0';
	buf[n] = 0;
}

void cmd_circuit_report_cursor(struct cmd_ctx *ctx, const char *kind, size_t moved)
{
	const struct qs_exec *e = ctx->ws->exec;
	size_t cur = qs_exec_cursor(e), ng = qs_exec_circuit(e)->ngates;
	char label[256];
	qs_exec_last_label(e, label, sizeof label);
	if (cur == 0)
		cmd_print(ctx, "gate 0/%zu: start (|0...0>)", ng);
	else
		cmd_print(ctx, "gate %zu/%zu: %s", cur, ng, label);
	cmd_json_begin(ctx, kind);
	cmd_json_int(ctx, "cursor", (long long)cur);
	cmd_json_int(ctx, "gates", (long long)ng);
	cmd_json_int(ctx, "moved", (long long)moved);
	cmd_json_str(ctx, "gate", cur ? label : "");
	cmd_json_end(ctx);
	ctx->ws->dirty |= CMD_DIRTY_CIRCUIT | CMD_DIRTY_STATE;
}
