/*
 * cmd/cmd-circuit-template.c: `circuit template filter|zz|realamp|classifier|qcnn` --
 * load a template circuit (qml.h) into the workspace's circuit and a fresh executor
 * at cursor 0, with inputs x and weights w bound (zeros unless given) and the
 * workspace's noise model.
 */
#include "cmd-internal.h"
#include "qcq/qml.h"
#include "qcq/qsim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VALUES 1024

/* "0.1,pi/2,-0.3" -> v (at most MAX_VALUES), *n values */
static enum qcq_status parse_list(struct cmd_ctx *ctx, const char *key, double *v, size_t *n)
{
	const char *text = cmd_opt(ctx->call, key);
	*n = 0;
	if (!text)
		return QCQ_OK;
	char *copy = qcq_xstrdup(text), *save = NULL;
	enum qcq_status st = QCQ_OK;
	for (char *tok = strtok_r(copy, ",", &save); tok && !st; tok = strtok_r(NULL, ",", &save)) {
		if (*n == MAX_VALUES) {
			st = cmd_error(ctx, QCQ_ERANGE, "%s: more than %d values", key, MAX_VALUES);
			break;
		}
		st = cmd_parse_angle(ctx, key, tok, &v[(*n)++]);
	}
	if (!st && *n == 0)
		st = cmd_error(ctx, QCQ_EINVAL, "%s: no values in '%s'", key, text);
	free(copy);
	return st;
}

static enum qcq_status build(struct cmd_ctx *ctx, const char *kind, struct qs_circuit **c,
			     char *label, size_t lsize)
{
	struct cmd_workspace *ws = ctx->ws;
	long n, reps, fm_reps;
	enum qml_entanglement ent = QML_ENT_FULL;
	const char *ents = cmd_opt(ctx->call, "entanglement");
	bool realamp = strcmp(kind, "realamp") == 0, classifier = strcmp(kind, "classifier") == 0;
	if (strcmp(kind, "filter") == 0) {
		if (cmd_opt(ctx->call, "n") || cmd_opt(ctx->call, "reps") || ents)
			return cmd_error(ctx, QCQ_EINVAL,
					 "circuit template filter: n, reps and entanglement do not "
					 "apply (the filter fixes them)");
		struct qml_filter *def = NULL;
		const struct qml_filter *f = ws->filter;
		if (!f && qml_filter_create_pennylane(&def, 'C', ctx->err))
			return ctx->err->code;
		snprintf(label, lsize, "filter (%s)", qml_filter_name(f ? f : def));
		enum qcq_status st = qml_filter_to_circuit(f ? f : def, NULL, c, ctx->err);
		qml_filter_destroy(def);
		return st;
	}
	if (strcmp(kind, "qcnn") == 0) {
		if (cmd_opt(ctx->call, "n") || cmd_opt(ctx->call, "reps") || ents)
			return cmd_error(ctx, QCQ_EINVAL,
					 "circuit template qcnn: n, reps and entanglement do not apply");
		snprintf(label, lsize, "qcnn (8 qubits, readout Z%d)", QML_QCNN8_READOUT);
		return qml_circuit_qcnn8(c, ctx->err);
	}
	if (!realamp && !classifier && strcmp(kind, "zz") != 0)
		return cmd_error(ctx, QCQ_EINVAL,
				 "circuit template: '%s' is not filter, zz, realamp, classifier or "
				 "qcnn", kind);
	/* RealAmplitudes' default entanglement is Qiskit's current one; for 2 qubits all
	 * three are the same circuit */
	if (realamp || classifier)
		ent = QML_ENT_REVERSE_LINEAR;
	if (ents && qml_entanglement_parse(ents, &ent, ctx->err))
		return ctx->err->code;
	if (cmd_opt_long(ctx, "n", 1, QML_TPL_MAX_QUBITS, 2, &n) ||
	    cmd_opt_long(ctx, "reps", realamp || classifier ? 0 : 1, QML_TPL_MAX_REPS,
			 realamp || classifier ? ws->set.depth : 2, &reps) ||
	    cmd_opt_long(ctx, "fm_reps", 1, QML_TPL_MAX_REPS, 2, &fm_reps))
		return ctx->err->code;
	if (!classifier && cmd_opt(ctx->call, "fm_reps"))
		return cmd_error(ctx, QCQ_EINVAL, "fm_reps: only for the classifier template");
	snprintf(label, lsize, "%s (n=%ld reps=%ld entanglement=%s)", kind, n, reps,
		 qml_entanglement_name(ent));
	if (classifier)
		return qml_circuit_classifier((int)n, (int)fm_reps, (int)reps, ent, c, ctx->err);
	if (realamp)
		return qml_circuit_realamp((int)n, (int)reps, ent, c, ctx->err);
	return qml_circuit_zz((int)n, (int)reps, ent, c, ctx->err);
}

/* binds x= / w= (zeros when absent); counts must match the circuit's */
static enum qcq_status bind1(struct cmd_ctx *ctx, struct qs_exec *e, const struct qs_circuit *c,
			     double *v)
{
	size_t nv;
	const char *keys[2] = {"x", "w"};
	size_t want[2] = {c->ninputs, c->nweights};
	for (int k = 0; k < 2; k++) {
		if (parse_list(ctx, keys[k], v, &nv))
			return ctx->err->code;
		if (nv && nv != want[k])
			return cmd_error(ctx, QCQ_EINVAL, "%s: %zu values given, the circuit has %zu",
					 keys[k], nv, want[k]);
		if (!nv)
			memset(v, 0, MAX_VALUES * sizeof *v);
		if (want[k] > MAX_VALUES)
			return cmd_error(ctx, QCQ_ERANGE, "circuit has more than %d %s", MAX_VALUES,
					 k ? "weights" : "inputs");
		if (!want[k])
			continue;
		enum qcq_status st = k ? qs_exec_set_weights(e, v, want[k], ctx->err)
				       : qs_exec_set_inputs(e, v, want[k], ctx->err);
		if (st)
			return st;
	}
	return QCQ_OK;
}

static enum qcq_status bind(struct cmd_ctx *ctx, struct qs_exec *e, const struct qs_circuit *c)
{
	double *v = qcq_xcalloc(MAX_VALUES, sizeof *v);
	enum qcq_status st = bind1(ctx, e, c, v);
	free(v);
	return st;
}

static enum qcq_status exec_template(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	struct qs_circuit *c = NULL;
	struct qs_exec *e = NULL;
	char label[160];
	struct qs_noise nm;
	cmd_circuit_noise(ws, &nm);
	enum qcq_status st = build(ctx, cmd_arg(call, 0), &c, label, sizeof label);
	if (!st)
		st = qs_exec_create(c, &nm, &e, ctx->err);
	if (!st)
		st = bind(ctx, e, c);
	if (st) {
		qs_exec_destroy(e);
		qs_circuit_destroy(c);
		return st;
	}
	cmd_circuit_put(ws, c, e);
	cmd_print(ctx, "circuit: %s: %d qubits, %zu gates, %u inputs, %u weights", label,
		  c->nqubits, c->ngates, c->ninputs, c->nweights);
	cmd_json_begin(ctx, "circuit");
	cmd_json_str(ctx, "template", cmd_arg(call, 0));
	cmd_json_str(ctx, "label", label);
	cmd_json_int(ctx, "qubits", c->nqubits);
	cmd_json_int(ctx, "gates", (long long)c->ngates);
	cmd_json_int(ctx, "inputs", c->ninputs);
	cmd_json_int(ctx, "weights", c->nweights);
	cmd_json_end(ctx);
	return QCQ_OK;
}

static const char *const template_options[] = {"n", "reps", "fm_reps", "entanglement", "x", "w",
					       NULL};

const struct cmd_entry cmd_circuit_template_entry = {
	.name = "circuit-template",
	.min_args = 1,
	.max_args = 1,
	.options = template_options,
	.usage = "circuit template filter|zz|realamp|classifier|qcnn [n=N] [reps=R] [fm_reps=R] "
		 "[entanglement=full|linear|reverse_linear] [x=V,V,...] [w=V,V,...]",
	.help = "Load a template circuit and reset the cursor to gate 0.\n"
		"filter: RY(pi*x_j) encoding then the workspace's filter (pennylane C if none).\n"
		"zz: Qiskit ZZFeatureMap (n=2, reps=2, entanglement=full).\n"
		"realamp: RealAmplitudes (n=2, reps = `set depth`, entanglement=reverse_linear).\n"
		"classifier: ZZFeatureMap (fm_reps=2, full) then RealAmplitudes: the QCQ-CNN\n"
		"decision circuit. qcnn: the 8-qubit QCNN (63 weights, readout Z7).\n"
		"x= and w= bind the inputs and weights (all of them; default zeros); angles may\n"
		"use pi. The noise model is the one of `set noise`.",
	.exec = exec_template,
};
