/*
 * cmd/cmd-load.c: the `load` family: `load synth|mnist|fashion-mnist|idx|folder|csv|npy`.
 *
 * Each entry reads into a new data set first; only when that succeeded does it replace
 * the workspace's data (and drop the split and features made from the old data), so a
 * failed load leaves the workspace as it was. Not here: class selection and splits
 * (cmd-classes.c, cmd-split.c).
 */
#include "cmd-internal.h"
#include "qcq/data.h"

#include <stdio.h>
#include <string.h>

/* Replace the workspace's data with ds and report it. */
static enum qcq_status install(struct cmd_ctx *ctx, struct data_set *ds, double seconds)
{
	struct cmd_workspace *ws = ctx->ws;
	data_features_free(ws->features);
	data_features_free(ws->set_features);
	data_split_free(ws->split);
	data_set_free(ws->data);
	ws->features = ws->set_features = NULL;
	ws->split = NULL;
	ws->data = ds;
	ws->cur_image = 0;
	ws->cur_patch_row = ws->cur_patch_col = -1;
	ws->dirty |= CMD_DIRTY_DATA;
	cmd_print(ctx, "loaded %zu images of %dx%d, %d classes (%s) in %.2f s", ds->n, ds->h, ds->w,
		  ds->nclasses, ds->source, seconds);
	char line[1024];
	size_t len = 0;
	line[0] = '\0';
	for (int c = 0; c < ds->nclasses && c < 16 && len < sizeof line - 80; c++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%d=%s", c ? ", " : "", c,
					ds->class_names[c]);
	if (ds->nclasses > 16)
		snprintf(line + len, sizeof line - len, ", ...");
	cmd_print(ctx, "classes: %s", line);
	cmd_json_begin(ctx, "data");
	cmd_json_int(ctx, "n", (long long)ds->n);
	cmd_json_int(ctx, "h", ds->h);
	cmd_json_int(ctx, "w", ds->w);
	cmd_json_str(ctx, "source", ds->source);
	cmd_json_num(ctx, "seconds", seconds);
	cmd_json_arr_begin(ctx, "classes");
	for (int c = 0; c < ds->nclasses; c++)
		cmd_json_str(ctx, NULL, ds->class_names[c]);
	cmd_json_arr_end(ctx);
	cmd_json_end(ctx);
	return QCQ_OK;
}

/* size=N or size=HxW (0 = native); default 28x28. */
static enum qcq_status target_size(struct cmd_ctx *ctx, int *h, int *w)
{
	const char *v = cmd_opt(ctx->call, "size");
	*h = *w = DATA_DEFAULT_SIDE;
	if (!v)
		return QCQ_OK;
	if (strcmp(v, "native") == 0) {
		*h = *w = 0;
		return QCQ_OK;
	}
	int a, b, n = 0;
	if (sscanf(v, "%dx%d%n", &a, &b, &n) == 2 && v[n] == '\0') {
	} else if (sscanf(v, "%d%n", &a, &n) == 1 && v[n] == '\0') {
		b = a;
	} else {
		return cmd_error(ctx, QCQ_EINVAL, "size: '%s' is not N, HxW or native", v);
	}
	if (a < 1 || b < 1 || a > DATA_MAX_TARGET || b > DATA_MAX_TARGET)
		return cmd_error(ctx, QCQ_ERANGE, "size: %dx%d out of range [1, %d]", a, b,
				 DATA_MAX_TARGET);
	*h = a;
	*w = b;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- load synth */

static enum qcq_status exec_synth(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	long n = 10000, seed;
	if (cmd_nargs(call) > 0 && cmd_parse_long(ctx, "N", cmd_arg(call, 0), 1,
						  (long)DATA_MAX_IMAGES, &n))
		return ctx->err->code;
	if (cmd_opt_long(ctx, "seed", 0, 0x7fffffffffffffffL, (long)ctx->ws->set.seed, &seed))
		return ctx->err->code;
	double t0 = qcq_now();
	struct data_set *ds;
	enum qcq_status st = data_synth_digits((size_t)n, (uint64_t)seed, ctx->ws->pool, &ds,
					       ctx->err);
	if (st)
		return st;
	return install(ctx, ds, qcq_now() - t0);
}

static const char *const synth_options[] = {"seed", NULL};

const struct cmd_entry cmd_load_synth_entry = {
	.name = "load-synth",
	.min_args = 0,
	.max_args = 1,
	.options = synth_options,
	.usage = "load synth [N] [seed=S]",
	.help = "Load the built-in synthetic digits: N (default 10000) 28x28 handwritten-looking\n"
		"digits 0-9, balanced, drawn from strokes with random pose, thickness, blur and\n"
		"noise. The same N and seed give the same images. Needs no files.",
	.exec = exec_synth,
};

/* ---------------------------------------------------------------- load mnist / fashion-mnist */

static enum qcq_status load_named(struct cmd_ctx *ctx, const struct cmd_call *call,
				  const char *name)
{
	char dir[DATA_PATH_MAX * DATA_ROOTS_MAX];
	if (cmd_nargs(call) > 0)
		snprintf(dir, sizeof dir, "%s", cmd_arg(call, 0));
	else if (!data_find(name, dir, sizeof dir))
		return cmd_error(ctx, QCQ_EIO, "no %s files in %s: `fetch %s` downloads them, "
				 "or give the directory", name, dir, name);
	double t0 = qcq_now();
	struct data_set *ds;
	enum qcq_status st = data_load_idx_dir(dir, ctx->ws->pool, &ds, ctx->err);
	if (st)
		return st;
	if (strcmp(name, "fashion-mnist") == 0 && ds->nclasses <= 10) {
		data_set_set_names(ds, data_fashion_names, ds->nclasses);
	}
	char src[sizeof ds->source];
	snprintf(src, sizeof src, "%s: %s", name, ds->source);
	snprintf(ds->source, sizeof ds->source, "%s", src);
	return install(ctx, ds, qcq_now() - t0);
}

static enum qcq_status exec_mnist(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	return load_named(ctx, call, "mnist");
}

static enum qcq_status exec_fashion(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	return load_named(ctx, call, "fashion-mnist");
}

const struct cmd_entry cmd_load_mnist_entry = {
	.name = "load-mnist",
	.min_args = 0,
	.max_args = 1,
	.usage = "load mnist [DIR]",
	.help = "Load MNIST from DIR: the IDX files train-* and t10k-* (plain or .gz,\n"
		"concatenated train first) or one pair *-images-idx3-ubyte / *-labels-idx1-ubyte.\n"
		"Without DIR: mnist/ in $QCQ_DATA, then in $XDG_DATA_HOME/qcqlab (default\n"
		"~/.local/share/qcqlab, where `fetch mnist` puts it), then in ./data.",
	.exec = exec_mnist,
};

const struct cmd_entry cmd_load_fashion_mnist_entry = {
	.name = "load-fashion-mnist",
	.min_args = 0,
	.max_args = 1,
	.usage = "load fashion-mnist [DIR]",
	.help = "Load Fashion-MNIST from DIR (default fashion-mnist/ where `load mnist` looks\n"
		"for mnist/), as `load mnist`, with the class names\n"
		"(T-shirt/top, Trouser, ...; `classes tshirt trouser` finds them).",
	.exec = exec_fashion,
};

/* ---------------------------------------------------------------- load idx */

static enum qcq_status exec_idx(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	double t0 = qcq_now();
	struct data_set *ds;
	enum qcq_status st = data_load_idx(cmd_arg(call, 0), cmd_arg(call, 1), &ds, ctx->err);
	if (st)
		return st;
	return install(ctx, ds, qcq_now() - t0);
}

const struct cmd_entry cmd_load_idx_entry = {
	.name = "load-idx",
	.min_args = 2,
	.max_args = 2,
	.usage = "load idx IMAGES LABELS",
	.help = "Load an IDX image file (n, rows, cols unsigned bytes) and its label file,\n"
		"plain or gzip.",
	.exec = exec_idx,
};

/* ---------------------------------------------------------------- load folder */

static enum qcq_status exec_folder(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	int h, w;
	if (target_size(ctx, &h, &w))
		return ctx->err->code;
	double t0 = qcq_now();
	struct data_set *ds;
	enum qcq_status st = data_load_folder(cmd_arg(call, 0), h, w, ctx->ws->pool, &ds, ctx->err);
	if (st)
		return st;
	return install(ctx, ds, qcq_now() - t0);
}

static const char *const folder_options[] = {"size", NULL};

const struct cmd_entry cmd_load_folder_entry = {
	.name = "load-folder",
	.min_args = 1,
	.max_args = 1,
	.options = folder_options,
	.usage = "load folder DIR [size=28|HxW|native]",
	.help = "Load images from DIR/<class>/*.png|*.jpg (or DIR/<part>/<class>/..., as the MRI\n"
		"set's Training/Testing), one class per subfolder, converted to grayscale and\n"
		"resized to size (default 28x28; area averaging down, bilinear up). size=native\n"
		"keeps the size, and then all images must have the same size.",
	.exec = exec_folder,
};

/* ---------------------------------------------------------------- load csv */

static enum qcq_status exec_csv(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	double t0 = qcq_now();
	struct data_set *ds;
	enum qcq_status st = data_load_csv(cmd_arg(call, 0), &ds, ctx->err);
	if (st)
		return st;
	return install(ctx, ds, qcq_now() - t0);
}

const struct cmd_entry cmd_load_csv_entry = {
	.name = "load-csv",
	.min_args = 1,
	.max_args = 1,
	.usage = "load csv FILE",
	.help = "Load images from a CSV file: one image per line, the label then the pixels\n"
		"(0-255 or 0-1) row by row; a first line that is not numeric is a header.",
	.exec = exec_csv,
};

/* ---------------------------------------------------------------- load npy */

static enum qcq_status exec_npy(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	const char *lp = cmd_opt(call, "labels");
	double t0 = qcq_now();
	struct data_array im, lab;
	enum qcq_status st = data_npy_read(cmd_arg(call, 0), &im, ctx->err);
	if (st)
		return st;
	if (lp && (st = data_npy_read(lp, &lab, ctx->err))) {
		data_array_free(&im);
		return st;
	}
	struct data_set *ds;
	st = data_set_from_arrays(&im, lp ? &lab : NULL, cmd_arg(call, 0), &ds, ctx->err);
	data_array_free(&im);
	if (lp)
		data_array_free(&lab);
	if (st)
		return st;
	if (!lp)
		cmd_info(ctx, "no labels=FILE: every image has label 0");
	return install(ctx, ds, qcq_now() - t0);
}

static const char *const npy_options[] = {"labels", NULL};

const struct cmd_entry cmd_load_npy_entry = {
	.name = "load-npy",
	.min_args = 1,
	.max_args = 1,
	.options = npy_options,
	.usage = "load npy FILE [labels=FILE]",
	.help = "Load images from a NumPy .npy array (n, h, w), (n, h, w, 1), (n, 1, h, w) or\n"
		"(n, h*w) of float32, float64 or uint8, with labels from an (n,) array.\n"
		"uint8 and 0-255 floats are divided by 255.",
	.exec = exec_npy,
};
