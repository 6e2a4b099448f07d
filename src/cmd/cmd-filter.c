/*
 * cmd/cmd-filter.c: `filter random|qasm|pennylane|show` -- choose the quanvolution
 * filter of the workspace (ws->filter) or show it. A new filter invalidates the
 * quanvolved features (ws->features), which were computed with the old one.
 */
#include "cmd-internal.h"
#include "qcq/data.h"
#include "qcq/qml.h"
#include "qcq/qsim.h"

#include <stdio.h>
#include <string.h>

/* every option given must be one of allowed (a NULL-terminated list) */
static enum qcq_status only_options(struct cmd_ctx *ctx, const char *form,
				    const char *const *allowed)
{
	const struct cmd_call *call = ctx->call;
	for (int i = 0; i < call->nopt; i++) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			ok = ok || strcmp(*a, call->opts[i].key) == 0;
		if (!ok)
			return cmd_error(ctx, QCQ_EINVAL, "filter %s: option '%s' not allowed here",
					 form, call->opts[i].key);
	}
	return QCQ_OK;
}

static void describe(struct cmd_ctx *ctx, const struct qml_filter *f, bool gates)
{
	int k = qml_filter_patch(f), n = qml_filter_ngates(f);
	char hash[32], buf[128];
	snprintf(hash, sizeof hash, "%016llx", (unsigned long long)qml_filter_hash(f));
	cmd_print(ctx, "filter: %s: %dx%d patch, stride %d, %d qubits, %d gates, %s path, hash %s",
		  qml_filter_name(f), k, k, qml_filter_stride(f), qml_filter_qubits(f), n,
		  qml_filter_path_name(f), hash);
	for (int i = 0; gates && i < n; i++) {
		qml_gate_format(qml_filter_gate(f, i), buf, sizeof buf);
		cmd_print(ctx, "  %3d  %s", i, buf);
	}
	cmd_json_begin(ctx, "filter");
	cmd_json_str(ctx, "name", qml_filter_name(f));
	cmd_json_int(ctx, "patch", k);
	cmd_json_int(ctx, "stride", qml_filter_stride(f));
	cmd_json_int(ctx, "qubits", qml_filter_qubits(f));
	cmd_json_str(ctx, "path", qml_filter_path_name(f));
	cmd_json_str(ctx, "hash", hash);
	cmd_json_arr_begin(ctx, "gates");
	for (int i = 0; i < n; i++) {
		qml_gate_format(qml_filter_gate(f, i), buf, sizeof buf);
		cmd_json_str(ctx, NULL, buf);
	}
	cmd_json_arr_end(ctx);
	cmd_json_end(ctx);
}

static enum qcq_status make_random(struct cmd_ctx *ctx, struct qml_filter **f)
{
	static const char *const allowed[] = {"layers", "seed", "patch", "stride", NULL};
	long layers, seed, patch, stride;
	if (only_options(ctx, "random", allowed) ||
	    cmd_opt_long(ctx, "layers", 1, 64, 1, &layers) ||
	    cmd_opt_long(ctx, "seed", 0, 0x7fffffffL, (long)ctx->ws->set.seed, &seed) ||
	    cmd_opt_long(ctx, "patch", 1, QML_FILTER_MAX_PATCH, 2, &patch) ||
	    cmd_opt_long(ctx, "stride", 1, 64, patch, &stride))
		return ctx->err->code;
	return qml_filter_create_random(f, (int)patch, (int)stride, (int)layers, (uint64_t)seed,
					ctx->err);
}

static enum qcq_status make_qasm(struct cmd_ctx *ctx, struct qml_filter **f)
{
	static const char *const allowed[] = {"stride", NULL};
	const struct cmd_call *call = ctx->call;
	long stride;
	if (cmd_nargs(call) != 2)
		return cmd_error(ctx, QCQ_EINVAL, "filter qasm: needs a FILE");
	const char *path = cmd_arg(call, 1);
	struct qs_circuit *c;
	if (only_options(ctx, "qasm", allowed))
		return ctx->err->code;
	if (qs_qasm_load(path, &c, ctx->err))
		return qcq_error_prefix(ctx->err, "%s", path);
	int k = c->nqubits == 9 ? 3 : c->nqubits == 1 ? 1 : 2;
	enum qcq_status st = cmd_opt_long(ctx, "stride", 1, 64, k, &stride);
	if (!st) {
		char name[96];
		const char *base = strrchr(path, '/');
		snprintf(name, sizeof name, "qasm %s", base ? base + 1 : path);
		st = qml_filter_from_circuit(c, (int)stride, name, f, ctx->err);
		if (st)
			qcq_error_prefix(ctx->err, "%s", path);
	}
	qs_circuit_destroy(c);
	return st;
}

static enum qcq_status make_pennylane(struct cmd_ctx *ctx, struct qml_filter **f)
{
	static const char *const allowed[] = {"generation", NULL};
	const char *g = cmd_opt(ctx->call, "generation");
	if (only_options(ctx, "pennylane", allowed))
		return ctx->err->code;
	if (g && strlen(g) != 1)
		return cmd_error(ctx, QCQ_EINVAL, "generation: '%s' is not A, B or C", g);
	return qml_filter_create_pennylane(f, g ? g[0] : 'C', ctx->err);
}

static enum qcq_status exec_filter(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	const char *form = cmd_arg(call, 0);
	struct qml_filter *f = NULL;
	enum qcq_status st;
	if (strcmp(form, "show") == 0) {
		static const char *const none[] = {NULL};
		if (only_options(ctx, "show", none))
			return ctx->err->code;
		if (cmd_nargs(call) != 1)
			return cmd_error(ctx, QCQ_EINVAL, "filter show: takes no arguments");
		if (!ws->filter)
			return cmd_error(ctx, QCQ_ESTATE,
					 "no filter yet (filter random|qasm|pennylane sets one)");
		describe(ctx, ws->filter, true);
		return QCQ_OK;
	}
	if (strcmp(form, "qasm") != 0 && cmd_nargs(call) != 1)
		return cmd_error(ctx, QCQ_EINVAL, "filter %s: takes no further arguments", form);
	if (strcmp(form, "random") == 0)
		st = make_random(ctx, &f);
	else if (strcmp(form, "qasm") == 0)
		st = make_qasm(ctx, &f);
	else if (strcmp(form, "pennylane") == 0)
		st = make_pennylane(ctx, &f);
	else
		return cmd_error(ctx, QCQ_EINVAL,
				 "filter: '%s' is not random, qasm, pennylane or show", form);
	if (st)
		return st;
	qml_filter_destroy(ws->filter);
	ws->filter = f;
	/* features quanvolved with the old filter are stale */
	data_features_free(ws->features);
	data_features_free(ws->set_features);
	ws->features = ws->set_features = NULL;
	ws->dirty |= CMD_DIRTY_DATA;
	describe(ctx, f, false);
	return QCQ_OK;
}

static const char *const filter_options[] = {"layers", "seed", "patch", "stride", "generation",
					     NULL};

const struct cmd_entry cmd_filter_entry = {
	.name = "filter",
	.min_args = 1,
	.max_args = 2,
	.options = filter_options,
	.usage = "filter random [layers=L] [seed=S] [patch=K] [stride=S] | filter qasm FILE "
		 "[stride=S] | filter pennylane [generation=A|B|C] | filter show",
	.help = "Choose the quanvolution filter (the fixed circuit applied to every k x k patch).\n"
		"random: PennyLane's RandomLayers algorithm (30% CNOTs, RX/RY/RZ, k*k rotations\n"
		"per layer, weights in [0, 2pi)) on our own seeded RNG, so seed=42 is not\n"
		"PennyLane's circuit; patch=K (1..3, default 2), stride default K, seed default\n"
		"the `set seed` value. pennylane: the demo's seed-42 circuit as derived for\n"
		"PennyLane generation A (<= 0.9), B (0.10-0.28) or C (>= 0.29, default), with the\n"
		"demo weights. qasm: the gates of FILE (1, 4 or 9 qubits, constant angles) run\n"
		"after the RY(pi*x) encoding. show: the gate list. Changing the filter drops\n"
		"quanvolved features.",
	.exec = exec_filter,
};
