/*
 * cmd/cmd-load-features.c: `load features TRAIN.npy [VAL.npy [TEST.npy]]` — quanvolved
 * features computed elsewhere (the paper's own code saves them as (N, 14, 14, 4) float32
 * .npy) in place of `quanv`, for the current split: the files are its parts in order,
 * each must hold as many samples as that part and the same (h, w, c). A part not given
 * keeps the workspace's features for it when they fit, or else it is an error: features
 * are never half made up. Nothing changes unless every file is accepted.
 */
#include "cmd-internal.h"
#include "qcq/data.h"

#include <string.h>

/* Reads file into features of one part, checked against the split. */
static enum qcq_status read_part(struct cmd_ctx *ctx, const char *path, int p,
				 struct data_features **out)
{
	const struct data_split *s = ctx->ws->split;
	struct data_array a;
	enum qcq_status st = data_npy_read(path, &a, ctx->err);
	if (st == QCQ_OK) {
		st = data_features_from_nhwc(&a, (enum data_part)p, out, ctx->err);
		data_array_free(&a);
		if (st)
			qcq_error_prefix(ctx->err, "%s", path);
	}
	if (st == QCQ_OK && (*out)->n[p] != s->part[p].n) {
		cmd_error(ctx, QCQ_EFORMAT, "%s: %zu samples, the %s part of the split has %zu", path,
			  (*out)->n[p], data_part_names[p], s->part[p].n);
		data_features_free(*out);
		*out = NULL;
		st = QCQ_EFORMAT;
	}
	return st;
}

static bool same_shape(const struct data_features *a, const struct data_features *b)
{
	return a->c == b->c && a->oh == b->oh && a->ow == b->ow;
}

static enum qcq_status exec_load_features(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	if (!ws->split)
		return cmd_error(ctx, QCQ_ESTATE, "load features: no split yet (load the images, "
				 "choose classes and split first: the features need its labels)");
	struct data_features *got[DATA_NPARTS] = {NULL, NULL, NULL};
	const struct data_features *shape = NULL;
	enum qcq_status st = QCQ_OK;
	for (int p = 0; p < cmd_nargs(call) && st == QCQ_OK; p++) {
		st = read_part(ctx, cmd_arg(call, p), p, &got[p]);
		if (st == QCQ_OK && shape && !same_shape(shape, got[p]))
			st = cmd_error(ctx, QCQ_EFORMAT, "%s: features (%d, %d, %d), the first file "
				       "has (%d, %d, %d)", cmd_arg(call, p), got[p]->c, got[p]->oh,
				       got[p]->ow, shape->c, shape->oh, shape->ow);
		if (st == QCQ_OK && !shape)
			shape = got[p];
	}
	const struct data_features *old = ws->features;
	for (int p = cmd_nargs(call); p < DATA_NPARTS && st == QCQ_OK; p++) {
		size_t n = ws->split->part[p].n;
		if (n && !(old && same_shape(old, shape) && old->n[p] == n))
			st = cmd_error(ctx, QCQ_ESTATE, "load features: no features for the %s part "
				       "(%zu samples): give its file too, or run quanv first",
				       data_part_names[p], n);
	}
	struct data_features *f = NULL;
	size_t ns[DATA_NPARTS];
	for (int p = 0; p < DATA_NPARTS; p++)
		ns[p] = ws->split->part[p].n;
	if (st == QCQ_OK)
		st = data_features_create(ns, shape->c, shape->oh, shape->ow, &f, ctx->err);
	for (int p = 0; p < DATA_NPARTS && st == QCQ_OK; p++) {
		const float *src = got[p] ? got[p]->part[p] : old->part[p];
		if (ns[p])
			memcpy(f->part[p], src,
			       ns[p] * (size_t)shape->c * shape->oh * shape->ow * sizeof(float));
	}
	for (int p = 0; p < DATA_NPARTS; p++)
		data_features_free(got[p]);
	if (st)
		return st;
	data_features_free(ws->features);
	ws->features = f;
	ws->dirty |= CMD_DIRTY_DATA;
	cmd_print(ctx, "features: (%d, %d, %d) per sample for train %zu, val %zu, test %zu "
		  "(%d of the parts from files)", f->c, f->oh, f->ow, ns[0], ns[1], ns[2],
		  cmd_nargs(call));
	cmd_json_begin(ctx, "features");
	cmd_json_int(ctx, "c", f->c);
	cmd_json_int(ctx, "h", f->oh);
	cmd_json_int(ctx, "w", f->ow);
	cmd_json_int(ctx, "from_files", cmd_nargs(call));
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_load_features_entry = {
	.name = "load-features",
	.min_args = 1,
	.max_args = 3,
	.usage = "load features TRAIN.npy [VAL.npy [TEST.npy]]",
	.help = "Use quanvolved features from .npy files (n, h, w, c) float32, as the paper's code\n"
		"saves them, instead of running quanv: one file per part of the current split,\n"
		"in order, each with as many samples as that part. A part without a file keeps\n"
		"the features quanv made for it, if any; otherwise it is an error.",
	.exec = exec_load_features,
};
