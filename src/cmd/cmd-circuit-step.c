/*
 * cmd/cmd-circuit-step.c: moving the executor's cursor: `step [N]`, `back [N]`,
 * `goto K`, `reset`, `run`. Each reports the gate just applied ("gate 3/14: ry(w0 =
 * 0.1) q[0]"); the state is then shown by `state`.
 */
#include "cmd-circuit.h"

#define MAX_STEP 1000000000L

static enum qcq_status count_arg(struct cmd_ctx *ctx, const struct cmd_call *call, long *n)
{
	*n = 1;
	if (cmd_nargs(call) == 0)
		return QCQ_OK;
	return cmd_parse_long(ctx, "N", cmd_arg(call, 0), 1, MAX_STEP, n);
}

static enum qcq_status exec_step(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_exec *e;
	long n;
	size_t moved;
	if (count_arg(ctx, call, &n) || cmd_circuit_exec(ctx, &e) ||
	    qs_exec_step(e, (size_t)n, &moved, ctx->err))
		return ctx->err->code;
	cmd_circuit_report_cursor(ctx, "step", moved);
	return QCQ_OK;
}

static enum qcq_status exec_back(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_exec *e;
	long n;
	size_t moved;
	if (count_arg(ctx, call, &n) || cmd_circuit_exec(ctx, &e) ||
	    qs_exec_back(e, (size_t)n, &moved, ctx->err))
		return ctx->err->code;
	cmd_circuit_report_cursor(ctx, "back", moved);
	return QCQ_OK;
}

static enum qcq_status exec_goto(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_exec *e;
	long k;
	if (cmd_circuit_exec(ctx, &e) ||
	    cmd_parse_long(ctx, "K", cmd_arg(call, 0), 0, (long)qs_exec_circuit(e)->ngates, &k))
		return ctx->err->code;
	size_t before = qs_exec_cursor(e);
	if (qs_exec_goto(e, (size_t)k, ctx->err))
		return ctx->err->code;
	cmd_circuit_report_cursor(ctx, "goto", before > (size_t)k ? before - (size_t)k : (size_t)k - before);
	return QCQ_OK;
}

static enum qcq_status exec_reset(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_exec *e;
	if (cmd_circuit_exec(ctx, &e))
		return ctx->err->code;
	size_t before = qs_exec_cursor(e);
	qs_exec_reset(e);
	cmd_circuit_report_cursor(ctx, "reset", before);
	return QCQ_OK;
}

static enum qcq_status exec_run(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_exec *e;
	if (cmd_circuit_exec(ctx, &e))
		return ctx->err->code;
	size_t before = qs_exec_cursor(e);
	if (qs_exec_run(e, ctx->err))
		return ctx->err->code;
	cmd_circuit_report_cursor(ctx, "run", qs_exec_cursor(e) - before);
	return QCQ_OK;
}

const struct cmd_entry cmd_step_entry = {
	.name = "step",
	.min_args = 0,
	.max_args = 1,
	.usage = "step [N]",
	.help = "Apply the next N gates of the circuit (default 1; stops at the end).",
	.exec = exec_step,
};

const struct cmd_entry cmd_back_entry = {
	.name = "back",
	.min_args = 0,
	.max_args = 1,
	.usage = "back [N]",
	.help = "Go back N gates (default 1), replaying from the nearest snapshot.",
	.exec = exec_back,
};

const struct cmd_entry cmd_goto_entry = {
	.name = "goto",
	.min_args = 1,
	.max_args = 1,
	.usage = "goto K",
	.help = "Put the cursor after gate K (0 = before the first gate).",
	.exec = exec_goto,
};

const struct cmd_entry cmd_reset_entry = {
	.name = "reset",
	.min_args = 0,
	.max_args = 0,
	.usage = "reset",
	.help = "Put the cursor back to gate 0 (the state |0...0>).",
	.exec = exec_reset,
};

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.min_args = 0,
	.max_args = 0,
	.usage = "run",
	.help = "Apply every remaining gate of the circuit.",
	.exec = exec_run,
};
