/*
 * cmd/cmd-patch.c: `patch I ROW COL` -- load the filter circuit of one patch, with that
 * patch's pixels encoded as constant angles RY(pi x_j), into the workspace's circuit and
 * a fresh executor (as `circuit template` does), so a person can step through exactly
 * what produced feature pixel (ROW, COL) of split image I. Prints the patch pixels and
 * the <Z_j> values the features hold there, to compare after `run`.
 */
#include "cmd-internal.h"
#include "qcq/data.h"
#include "qcq/qml.h"
#include "qcq/qsim.h"

#include <stdlib.h>
#include <string.h>

static enum qcq_status exec_patch(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	const struct data_split *s = ws->split;
	if (!s)
		return cmd_error(ctx, QCQ_ESTATE, "no split yet: load data, then `classes A B`");
	if (!ws->filter)
		return cmd_error(ctx, QCQ_ESTATE, "no filter yet (filter pennylane, filter random, or "
				 "quanv which picks one)");
	const struct qml_filter *flt = ws->filter;
	int k = qml_filter_patch(flt), stride = qml_filter_stride(flt), oh, ow;
	enum qcq_status st = qml_filter_out_dims(flt, s->h, s->w, &oh, &ow, ctx->err);
	if (st)
		return st;
	long idx, row, col;
	if (cmd_parse_long(ctx, "I", cmd_arg(call, 0), 0, (long)data_split_total(s) - 1, &idx) ||
	    cmd_parse_long(ctx, "ROW", cmd_arg(call, 1), 0, oh - 1, &row) ||
	    cmd_parse_long(ctx, "COL", cmd_arg(call, 2), 0, ow - 1, &col))
		return ctx->err->code;
	int part;
	size_t local;
	const struct data_subset *sub = data_split_locate(s, (size_t)idx, &part, &local);
	const float *img = sub->images + local * (size_t)s->h * s->w;
	double x[9];
	for (int a = 0; a < k; a++)
		for (int b = 0; b < k; b++)
			x[a * k + b] = img[(size_t)(row * stride + a) * s->w + col * stride + b];
	struct qs_circuit *c = NULL;
	struct qs_exec *e = NULL;
	struct qs_noise nm;
	cmd_circuit_noise(ws, &nm);
	st = qml_filter_to_circuit(flt, x, &c, ctx->err);
	if (!st)
		st = qs_exec_create(c, &nm, &e, ctx->err);
	if (st) {
		qs_circuit_destroy(c);
		return st;
	}
	cmd_circuit_put(ws, c, e);
	ws->cur_image = idx;
	ws->cur_patch_row = (int)row;
	ws->cur_patch_col = (int)col;
	ws->dirty |= CMD_DIRTY_CIRCUIT | CMD_DIRTY_STATE | CMD_DIRTY_DATA;
	double z[9];
	const struct data_features *f = ws->features;
	bool have = f && f->oh == oh && f->ow == ow && f->c == k * k && f->n[part] == sub->n;
	if (have) {
		size_t plane = (size_t)oh * ow;
		for (int j = 0; j < k * k; j++)
			z[j] = f->part[part][(local * (size_t)f->c + j) * plane + (size_t)row * ow + col];
	} else {
		qml_filter_patch_naive(flt, x, z);
	}
	char px[160], zs[200];
	size_t pl = 0, zl = 0;
	for (int j = 0; j < k * k; j++) {
		pl += (size_t)snprintf(px + pl, sizeof px - pl, "%s%.3f", j ? " " : "", x[j]);
		zl += (size_t)snprintf(zs + zl, sizeof zs - zl, "%s%+.4f", j ? " " : "", z[j]);
	}
	cmd_print(ctx, "patch (%ld, %ld) of %s image %zu: pixels x = [%s] (wire j = pixel (j/%d, "
		  "j%%%d))", row, col, data_part_names[part], local, px, k, k);
	cmd_print(ctx, "circuit: RY(pi*x_j) encoding + %d filter gates on %d qubits, %zu gates in "
		  "all; `run` then `expect Z0 Z1 Z2 Z3` should give", qml_filter_ngates(flt), k * k,
		  c->ngates);
	cmd_print(ctx, "<Z> = [%s] (%s)", zs, have ? "from the quanvolved features" : "computed");
	cmd_json_begin(ctx, "patch");
	cmd_json_int(ctx, "index", idx);
	cmd_json_int(ctx, "row", row);
	cmd_json_int(ctx, "col", col);
	cmd_json_nums(ctx, "x", x, (size_t)(k * k));
	cmd_json_nums(ctx, "z", z, (size_t)(k * k));
	cmd_json_int(ctx, "gates", (long long)c->ngates);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_patch_entry = {
	.name = "patch",
	.min_args = 3,
	.max_args = 3,
	.usage = "patch I ROW COL",
	.help = "Load the filter circuit of the patch behind feature pixel (ROW, COL) of split\n"
		"image I, its pixels encoded as RY(pi*x) angles, into the circuit view: `step`\n"
		"through it, `run`, and `expect Z0 Z1 Z2 Z3` reproduces that feature pixel.",
	.exec = exec_patch,
};
