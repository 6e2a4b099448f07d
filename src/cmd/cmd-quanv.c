/*
 * cmd/cmd-quanv.c: `quanv [cache=DIR|off]` -- run the quanvolution filter over every part
 * of the split, all images of a part in one batched call on the workspace's pool, and
 * keep the features (NCHW) in the workspace. Features of slow filters (or any, with
 * cache=DIR) are cached on disk under a key made of the split's and the filter's hashes,
 * so a second run (this session or a later one) reads them back instead of computing;
 * fast filters are cheaper to compute than to read (qml_filter_cache_pays). With no
 * filter chosen yet, the PennyLane demo's filter (`filter pennylane`) is set.
 *
 * Before a task is chosen (right after `load`) it quanvolves every image of the data set
 * into ws->set_features, so feature maps can be looked at at once; a split made later
 * takes its features from there instead of computing them again.
 */
#include "cmd-data.h"
#include "qcq/qml.h"

#include <string.h>

static void report(struct cmd_ctx *ctx, const struct data_features *f, const char *how,
		   const char *path, double seconds)
{
	size_t n = f->n[0] + f->n[1] + f->n[2];
	if (f == ctx->ws->set_features)
		cmd_print(ctx, "features: %zu images (all loaded) -> (%d, %d, %d) each, %s", n, f->c,
			  f->oh, f->ow, how);
	else
		cmd_print(ctx,
			  "features: %zu images -> (%d, %d, %d) each (train %zu, val %zu, test %zu), %s",
			  n, f->c, f->oh, f->ow, f->n[0], f->n[1], f->n[2], how);
	cmd_json_begin(ctx, "quanv");
	cmd_json_str(ctx, "how", how);
	cmd_json_int(ctx, "n", (long long)n);
	cmd_json_int(ctx, "c", f->c);
	cmd_json_int(ctx, "oh", f->oh);
	cmd_json_int(ctx, "ow", f->ow);
	char key[32];
	snprintf(key, sizeof key, "%016llx", (unsigned long long)f->key);
	cmd_json_str(ctx, "key", key);
	cmd_json_str(ctx, "cache", path ? path : "");
	cmd_json_num(ctx, "seconds", seconds);
	cmd_json_end(ctx);
}

static enum qcq_status compute(struct cmd_ctx *ctx, const struct qml_filter *flt,
			       const struct data_split *s, int oh, int ow,
			       struct data_features **out)
{
	enum qcq_status st = data_features_create(
		(size_t[DATA_NPARTS]){s->part[0].n, s->part[1].n, s->part[2].n},
		qml_filter_qubits(flt), oh, ow, out, ctx->err);
	for (int p = 0; p < DATA_NPARTS && !st; p++)
		if (s->part[p].n)
			st = qml_filter_apply(flt, s->part[p].images, (long)s->part[p].n, s->h, s->w,
					      (*out)->part[p], ctx->ws->pool, ctx->err);
	if (st) {
		data_features_free(*out);
		*out = NULL;
	}
	return st;
}

bool cmd_data_features_from_set(struct cmd_workspace *ws)
{
	const struct data_features *a = ws->set_features;
	const struct data_split *s = ws->split;
	if (!a || !s || !ws->filter || a->key != qml_filter_hash(ws->filter))
		return false;
	struct data_features *f;
	size_t ns[DATA_NPARTS] = {s->part[0].n, s->part[1].n, s->part[2].n};
	if (data_features_create(ns, a->c, a->oh, a->ow, &f, NULL))
		return false;
	size_t one = (size_t)a->c * a->oh * a->ow;
	for (int p = 0; p < DATA_NPARTS; p++)
		for (size_t i = 0; i < ns[p]; i++) {
			size_t k = s->part[p].index[i];
			if (k >= a->n[0]) { /* cannot happen: the split is of these data */
				data_features_free(f);
				return false;
			}
			memcpy(f->part[p] + i * one, a->part[0] + k * one, one * sizeof *f->part[p]);
		}
	f->key = data_cache_key(s, a->key);
	data_features_free(ws->features);
	ws->features = f;
	ws->dirty |= CMD_DIRTY_DATA;
	return true;
}

/* quanv with no task chosen: every image of the data set into ws->set_features. */
static enum qcq_status quanv_all(struct cmd_ctx *ctx, const struct qml_filter *flt, int oh,
				 int ow)
{
	struct cmd_workspace *ws = ctx->ws;
	const struct data_set *ds = ws->data;
	uint64_t key = qml_filter_hash(flt);
	if (ws->set_features && ws->set_features->key == key) {
		report(ctx, ws->set_features, "already computed for these images and filter", NULL,
		       0);
		return QCQ_OK;
	}
	double t0 = qcq_now();
	struct data_features *f;
	enum qcq_status st = data_features_create((size_t[DATA_NPARTS]){ds->n, 0, 0},
						  qml_filter_qubits(flt), oh, ow, &f, ctx->err);
	if (!st)
		st = qml_filter_apply(flt, ds->images, (long)ds->n, ds->h, ds->w, f->part[0],
				      ws->pool, ctx->err);
	if (st) {
		data_features_free(f);
		return st;
	}
	f->key = key;
	data_features_free(ws->set_features);
	ws->set_features = f;
	ws->dirty |= CMD_DIRTY_DATA;
	report(ctx, f, "computed for all images (no task chosen yet: `classes A B` reuses them)",
	       NULL, qcq_now() - t0);
	return QCQ_OK;
}

static enum qcq_status exec_quanv(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	const struct data_split *s = ws->split;
	if (!s && !ws->data)
		return cmd_error(ctx, QCQ_ESTATE, "no data loaded (load synth, load mnist, ...)");
	struct qml_filter *made = NULL;
	const struct qml_filter *flt = ws->filter;
	enum qcq_status st;
	if (!flt) {
		if ((st = qml_filter_create_pennylane(&made, 'C', ctx->err)))
			return st;
		flt = made;
	}
	int oh, ow;
	if ((st = qml_filter_out_dims(flt, s ? s->h : ws->data->h, s ? s->w : ws->data->w, &oh,
				      &ow, ctx->err))) {
		qml_filter_destroy(made);
		return st;
	}
	if (made) { /* from here on the default filter is the workspace's */
		ws->filter = made;
		made = NULL;
		cmd_info(ctx, "no filter chosen: using `filter pennylane` (the demo's circuit)");
	}
	if (!s)
		return quanv_all(ctx, flt, oh, ow);
	const char *copt = cmd_opt(call, "cache");
	/* without cache=, only filters slower to compute than to read back are cached */
	bool use_cache = copt ? strcmp(copt, "off") != 0 : qml_filter_cache_pays(flt);
	char dir[4096] = "", path[4200] = "";
	if (use_cache && (st = data_cache_dir(copt, dir, sizeof dir, ctx->err)))
		return st;
	uint64_t key = data_cache_key(s, qml_filter_hash(flt));
	if (use_cache)
		data_cache_path(dir, key, path, sizeof path);
	if (ws->features && ws->features->key == key) {
		report(ctx, ws->features, "already computed for this split and filter", NULL, 0);
		return QCQ_OK;
	}
	if (cmd_data_features_from_set(ws)) {
		report(ctx, ws->features, "taken from the features of all images (no quanvolution "
			   "needed)", NULL, 0);
		return QCQ_OK;
	}
	double t0 = qcq_now();
	struct data_features *f = NULL;
	size_t ns[DATA_NPARTS] = {s->part[0].n, s->part[1].n, s->part[2].n};
	if (use_cache) {
		struct qcq_error cerr = {0};
		if (data_cache_load(dir, key, ns, &f, &cerr))
			cmd_info(ctx, "cache: %s; computing again", cerr.msg);
		if (f && (f->oh != oh || f->ow != ow || f->c != qml_filter_qubits(flt))) {
			data_features_free(f);
			f = NULL;
		}
	}
	const char *how = "read from the cache (no quanvolution needed)";
	if (!f) {
		if ((st = compute(ctx, flt, s, oh, ow, &f)))
			return st;
		f->key = key;
		how = "computed";
		double dt = qcq_now() - t0;
		double patches = (double)(ns[0] + ns[1] + ns[2]) * oh * ow;
		cmd_info(ctx, "quanvolved %.0f patches in %.3f s (%.3g patches/s, %d threads, %s path)",
			 patches, dt, dt > 0 ? patches / dt : 0, qcq_pool_threads(ws->pool),
			 qml_filter_path_name(flt));
		struct qcq_error cerr = {0};
		if (use_cache && data_cache_store(dir, f, &cerr)) {
			cmd_info(ctx, "cache not written: %s", cerr.msg);
			path[0] = '\0';
		}
	}
	data_features_free(ws->features);
	ws->features = f;
	ws->dirty |= CMD_DIRTY_DATA;
	report(ctx, f, how, use_cache ? path : NULL, qcq_now() - t0);
	return QCQ_OK;
}

static const char *const quanv_options[] = {"cache", NULL};

const struct cmd_entry cmd_quanv_entry = {
	.name = "quanv",
	.min_args = 0,
	.max_args = 0,
	.options = quanv_options,
	.usage = "quanv [cache=DIR|off]",
	.help = "Quanvolve the split (before `classes`: every image loaded): every k x k patch of "
		"every image through the filter,\n"
		"<Z_j> of each qubit as channel j (28x28 -> 4 x 14 x 14 with the default 2x2\n"
		"filter). Slow filters (the state-vector path: more than 4 qubits) are cached on\n"
		"disk ($QCQ_CACHE_DIR, $XDG_CACHE_HOME/qcqlab or ~/.cache/qcqlab, or cache=DIR,\n"
		"which caches any filter) keyed by the data and the filter, so running it again\n"
		"reads them back; fast ones are computed again, which costs less than the file.\n"
		"Without a filter, `filter pennylane` is chosen. Run before `classes`, the split\n"
		"that classes makes takes its features from these.",
	.exec = exec_quanv,
};
