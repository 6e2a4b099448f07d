/*
 * cmd/cmd-export-npy.c: `export npy FILE features|images [PART] [labels=FILE] [layout=nchw|nhwc]`
 * -- write the quanvolved features or the images as a float32 .npy for NumPy users.
 * PART is train, val, test or all (default all: the parts concatenated in that order).
 * Images without a split are the loaded data set's. layout=nhwc writes features as
 * (N, 14, 14, 4), the layout of the paper's code.
 */
#include "cmd-internal.h"
#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>

/* Gather the chosen parts of per-part arrays into one block of n * per floats. */
static float *gather(float *const src[DATA_NPARTS], const size_t n[DATA_NPARTS], int part,
		     size_t per, size_t *total)
{
	*total = 0;
	for (int p = 0; p < DATA_NPARTS; p++)
		if (part < 0 || part == p)
			*total += n[p];
	float *v = qcq_xmalloc((*total ? *total : 1) * per * sizeof(float));
	size_t k = 0;
	for (int p = 0; p < DATA_NPARTS; p++)
		if ((part < 0 || part == p) && n[p]) {
			memcpy(v + k * per, src[p], n[p] * per * sizeof(float));
			k += n[p];
		}
	return v;
}

static enum qcq_status exec_export_npy(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	const char *path = cmd_arg(call, 0), *what = cmd_arg(call, 1);
	const char *pn = cmd_nargs(call) > 2 ? cmd_arg(call, 2) : "all";
	const char *lpath = cmd_opt(call, "labels"), *layout = cmd_opt(call, "layout");
	int part = -1;
	for (int p = 0; p < DATA_NPARTS; p++)
		if (strcmp(pn, data_part_names[p]) == 0)
			part = p;
	if (part < 0 && strcmp(pn, "all") != 0)
		return cmd_error(ctx, QCQ_EINVAL, "export npy: part '%s' is not train, val, test or all",
				 pn);
	bool nhwc = layout && strcmp(layout, "nhwc") == 0;
	if (layout && !nhwc && strcmp(layout, "nchw") != 0)
		return cmd_error(ctx, QCQ_EINVAL, "layout: '%s' is not nchw or nhwc", layout);
	bool feats = strcmp(what, "features") == 0;
	if (!feats && strcmp(what, "images") != 0)
		return cmd_error(ctx, QCQ_EINVAL, "export npy: '%s' is not features or images", what);
	const struct data_split *s = ws->split;
	if (feats && !ws->features)
		return cmd_error(ctx, QCQ_ESTATE, "no features yet: `classes A B`, then `quanv`");
	if (!ws->data)
		return cmd_error(ctx, QCQ_ESTATE, "no data loaded");
	if (part >= 0 && !s && !feats)
		return cmd_error(ctx, QCQ_ESTATE, "part %s: no split yet (classes A B)", pn);
	size_t n, shape[4];
	int ndim;
	float *v;
	float *lab = NULL;
	if (feats || s) {
		float *src[DATA_NPARTS];
		size_t ns[DATA_NPARTS], per;
		const struct data_features *f = ws->features;
		for (int p = 0; p < DATA_NPARTS; p++) {
			src[p] = feats ? f->part[p] : s->part[p].images;
			ns[p] = feats ? f->n[p] : s->part[p].n;
		}
		per = feats ? (size_t)f->c * f->oh * f->ow : (size_t)s->h * s->w;
		v = gather(src, ns, part, per, &n);
		if (s) {
			lab = qcq_xmalloc((n ? n : 1) * sizeof(float));
			size_t k = 0;
			for (int p = 0; p < DATA_NPARTS; p++)
				for (size_t i = 0; (part < 0 || part == p) && i < s->part[p].n; i++)
					lab[k++] = (float)s->part[p].labels[i];
		}
		if (feats && nhwc) {
			float *t = qcq_xmalloc((n ? n : 1) * per * sizeof(float));
			size_t plane = (size_t)f->oh * f->ow;
			for (size_t i = 0; i < n; i++)
				for (int c = 0; c < f->c; c++)
					for (size_t q = 0; q < plane; q++)
						t[(i * plane + q) * f->c + c] = v[(i * f->c + c) * plane + q];
			free(v);
			v = t;
		}
		ndim = feats ? 4 : 3;
		shape[0] = n;
		if (feats) {
			shape[1] = nhwc ? (size_t)f->oh : (size_t)f->c;
			shape[2] = nhwc ? (size_t)f->ow : (size_t)f->oh;
			shape[3] = nhwc ? (size_t)f->c : (size_t)f->ow;
		} else {
			shape[1] = (size_t)s->h;
			shape[2] = (size_t)s->w;
		}
	} else {
		const struct data_set *ds = ws->data;
		n = ds->n;
		v = ds->images; /* borrowed */
		lab = qcq_xmalloc(n * sizeof(float));
		for (size_t i = 0; i < n; i++)
			lab[i] = (float)ds->labels[i];
		ndim = 3;
		shape[0] = n;
		shape[1] = (size_t)ds->h;
		shape[2] = (size_t)ds->w;
	}
	enum qcq_status st = QCQ_OK;
	if (n == 0)
		st = cmd_error(ctx, QCQ_ESTATE, "export npy: part %s is empty", pn);
	if (!st)
		st = data_npy_write(path, DATA_F32, shape, ndim, v, ctx->err);
	if (!st && lpath) {
		size_t ls[1] = {n};
		st = data_npy_write(lpath, DATA_F32, ls, 1, lab, ctx->err);
	}
	if (v != ws->data->images)
		free(v);
	free(lab);
	if (st)
		return st;
	char sh[96];
	if (ndim == 4)
		snprintf(sh, sizeof sh, "(%zu, %zu, %zu, %zu)", shape[0], shape[1], shape[2], shape[3]);
	else
		snprintf(sh, sizeof sh, "(%zu, %zu, %zu)", shape[0], shape[1], shape[2]);
	cmd_print(ctx, "wrote %s: %s %s float32%s%s", path, what, sh, lpath ? ", labels to " : "",
		  lpath ? lpath : "");
	cmd_json_begin(ctx, "export");
	cmd_json_str(ctx, "file", path);
	cmd_json_str(ctx, "what", what);
	cmd_json_str(ctx, "shape", sh);
	cmd_json_end(ctx);
	return QCQ_OK;
}

static const char *const export_npy_options[] = {"labels", "layout", NULL};

const struct cmd_entry cmd_export_npy_entry = {
	.name = "export-npy",
	.min_args = 2,
	.max_args = 3,
	.options = export_npy_options,
	.usage = "export npy FILE features|images [train|val|test|all] [labels=FILE] "
		 "[layout=nchw|nhwc]",
	.help = "Write the quanvolved features (N, C, H, W) or the images (N, H, W) as a float32\n"
		".npy file, of one part of the split or all parts (train, val, test in order);\n"
		"labels=FILE writes the labels as an (N,) array. layout=nhwc writes features\n"
		"as (N, H, W, C), the layout the paper's code saves.",
	.exec = exec_export_npy,
};
