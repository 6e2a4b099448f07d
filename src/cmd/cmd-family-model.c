/*
 * cmd/cmd-family-model.c: the model commands, as one array of the command table, the
 * release of the workspace fields they own (ws->model, ws->history), and the helpers
 * they share (cmd-model-internal.h): where a model's inputs come from.
 *
 * Inputs: quanv-mlp, qccnn and qcq-cnn train on the quanvolved features of the split
 * (ws->features, made by `quanv`); mlp and cnn on the split's images; qcnn on the images
 * resized to its (small) input. Missing features are an error that says to run `quanv`:
 * quanvolving is a visible step of the workflow (and cached), not a side effect.
 */
#include "cmd-model-internal.h"

#include "qcq/data.h"
#include "qcq/qml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_entry cmd_model_entry, cmd_summary_entry, cmd_train_entry,
	cmd_eval_entry, cmd_confusion_entry, cmd_predict_entry, cmd_save_model_entry,
	cmd_load_model_entry, cmd_export_curves_entry;

const struct cmd_entry *const cmd_family_model[] = {
	&cmd_model_entry,
	&cmd_summary_entry,
	&cmd_train_entry,
	&cmd_eval_entry,
	&cmd_confusion_entry,
	&cmd_predict_entry,
	&cmd_save_model_entry,
	&cmd_load_model_entry,
	&cmd_export_curves_entry,
	NULL,
};

void cmd_model_release(struct cmd_workspace *ws)
{
	cmd_model_put(ws, NULL, NULL);
}

void cmd_model_put(struct cmd_workspace *ws, struct nn_model *m, struct train_history *h)
{
	if (ws->model != m)
		nn_model_destroy(ws->model);
	if (ws->history != h)
		train_history_free(ws->history);
	ws->model = m;
	ws->history = h;
	ws->dirty |= CMD_DIRTY_CURVES;
}

const char *cmd_model_sync_filter(struct cmd_workspace *ws)
{
	struct qml_filter *f;
	if (!ws->model || nn_model_get_desc(ws->model)->filter != NN_FILTER_TRAINABLE ||
	    nn_model_filter(ws->model, &f, NULL))
		return "";
	if (ws->filter && qml_filter_hash(ws->filter) == qml_filter_hash(f)) {
		qml_filter_destroy(f);
		return "";
	}
	qml_filter_destroy(ws->filter);
	ws->filter = f;
	ws->dirty |= CMD_DIRTY_DATA;
	if (!ws->features)
		return "filter: the workspace's filter is now the trained one";
	data_features_free(ws->features);
	ws->features = NULL;
	return "filter: the workspace's filter is now the trained one; its features replace "
	       "the old ones at the next `quanv`";
}

void cmd_model_out(struct cmd_workspace *ws, enum cmd_stream s, const char *fmt, ...)
{
	if (!ws->out.write)
		return;
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ws->out.write(ws->out.ctx, s, buf);
}

bool cmd_model_takes_features(enum nn_arch arch)
{
	return nn_arch_takes_features(arch);
}

enum qcq_status cmd_model_need(struct cmd_ctx *ctx, struct nn_model **m)
{
	if (!ctx->ws->model)
		return cmd_error(ctx, QCQ_ESTATE,
				 "no model: create one with `model NAME` (mlp, quanv-mlp, cnn, qccnn, "
				 "qcq-cnn, qcnn; `help model` lists the controls) or `load model FILE`");
	*m = ctx->ws->model;
	return QCQ_OK;
}

enum qcq_status cmd_model_refuse_damping(struct cmd_ctx *ctx, const char *what,
					 const char *todo)
{
	const struct cmd_settings *s = &ctx->ws->set;
	if (s->gamma == 0 && s->lambda == 0)
		return QCQ_OK;
	char set[64];
	if (s->gamma > 0 && s->lambda > 0)
		snprintf(set, sizeof set, "gamma %g, lambda %g", s->gamma, s->lambda);
	else if (s->gamma > 0)
		snprintf(set, sizeof set, "gamma %g", s->gamma);
	else
		snprintf(set, sizeof set, "lambda %g", s->lambda);
	return cmd_error(ctx, QCQ_EUNSUPPORTED,
			 "%s: the quantum classifier simulates depolarizing noise only; damping "
			 "(%s) applies to circuits (step/run/expect): `set noise damping gamma=0 "
			 "lambda=0` to %s",
			 what, set, todo);
}

/* "1024 shots and depolarizing p1 0.01, p2 0.02", "exact expectations and no noise" */
static void describe_noise(char *buf, size_t n, uint64_t shots, double p1, double p2)
{
	int len = shots ? snprintf(buf, n, "%llu shots", (unsigned long long)shots)
			: snprintf(buf, n, "exact expectations");
	if (p1 > 0 || p2 > 0)
		snprintf(buf + len, n - (size_t)len, " and depolarizing p1 %g, p2 %g", p1, p2);
	else
		snprintf(buf + len, n - (size_t)len, " and no noise");
}

enum qcq_status cmd_model_follow_noise(struct cmd_ctx *ctx, struct nn_model *m, const char *what)
{
	const struct cmd_settings *s = &ctx->ws->set;
	const struct nn_model_desc *d = nn_model_get_desc(m);
	const char *arch = nn_arch_name((enum nn_arch)d->arch);
	bool noisy = s->shots || s->p1 > 0 || s->p2 > 0;
	if (!nn_model_nparams_quantum(m)) {
		if (noisy)
			cmd_info(ctx, "%s: the model %s has no quantum classifier: the settings shots "
				 "and noise do not apply to it", what, arch);
		return QCQ_OK;
	}
	if (d->p1 == (float)s->p1 && d->p2 == (float)s->p2 && d->shots == (uint64_t)s->shots)
		return QCQ_OK;
	char was[120];
	describe_noise(was, sizeof was, d->shots, d->p1, d->p2);
	struct qcq_error e;
	if (nn_model_set_noise(m, (float)s->p1, (float)s->p2, (uint64_t)s->shots, &e)) {
		if (e.code == QCQ_EUNSUPPORTED) /* qcnn, the K-class classifier: exact only */
			return cmd_error(ctx, e.code,
					 "%s: the quantum layer of %s is exact only (%s); it runs with "
					 "`set shots exact` and `set noise off`",
					 what, arch, e.msg);
		*ctx->err = e;
		return qcq_error_prefix(ctx->err, "%s", what);
	}
	char now[120];
	describe_noise(now, sizeof now, (uint64_t)s->shots, s->p1, s->p2);
	cmd_info(ctx, "%s: the quantum classifier of %s now runs with %s (the settings; it ran "
		 "with %s)", what, arch, now, was);
	return QCQ_OK;
}

void cmd_model_note_noise(struct cmd_ctx *ctx, const char *what)
{
	if (!ctx->ws->model)
		return;
	struct qcq_error e;
	struct cmd_ctx quiet = *ctx;
	quiet.err = &e;
	if (cmd_model_follow_noise(&quiet, ctx->ws->model, what))
		cmd_info(ctx, "%s", e.msg);
}

enum qcq_status cmd_model_part(struct cmd_ctx *ctx, const char *text, int *part)
{
	for (int p = 0; p < DATA_NPARTS; p++)
		if (strcmp(text, data_part_names[p]) == 0) {
			*part = p;
			return QCQ_OK;
		}
	return cmd_error(ctx, QCQ_EINVAL, "unknown part '%s' (train, val or test)", text);
}

void cmd_model_inputs_free(struct cmd_model_inputs *in)
{
	for (int p = 0; p < 3; p++) {
		qcq_aligned_free(in->x[p]);
		free(in->y[p]);
	}
	memset(in, 0, sizeof *in);
}

/* Copies (or resizes) the part's source into new arrays. */
static enum qcq_status copy_part(struct cmd_ctx *ctx, struct cmd_model_inputs *in, int p,
				 const float *src, int sc, int sh, int sw, const int32_t *labels,
				 size_t n, const struct nn_model_desc *d, bool borrow)
{
	size_t per = (size_t)d->in_c * d->in_h * d->in_w;
	bool same = sc == (int)d->in_c && sh == (int)d->in_h && sw == (int)d->in_w;
	if (borrow && same) {
		in->part[p] = (struct train_data){src, labels, n, (int)d->in_c, (int)d->in_h,
						  (int)d->in_w};
		return QCQ_OK;
	}
	float *x = n ? qcq_alloc_checked(n, per * sizeof(float), "model inputs", ctx->err) : NULL;
	if (n && !x)
		return ctx->err->code;
	if (same) {
		if (n)
			memcpy(x, src, n * per * sizeof(float));
	} else {
		for (size_t i = 0; i < n; i++) /* qcnn: one channel, resized */
			data_resize(x + i * per, (int)d->in_h, (int)d->in_w,
				    src + i * (size_t)sh * (size_t)sw, sh, sw);
	}
	int32_t *y = n ? qcq_xmalloc(n * sizeof *y) : NULL;
	if (n)
		memcpy(y, labels, n * sizeof *y);
	in->x[p] = x;
	in->y[p] = y;
	in->part[p] = (struct train_data){x, y, n, (int)d->in_c, (int)d->in_h, (int)d->in_w};
	return QCQ_OK;
}

enum qcq_status cmd_model_inputs(struct cmd_ctx *ctx, const struct nn_model *m, bool borrow,
				 struct cmd_model_inputs *in)
{
	struct cmd_workspace *ws = ctx->ws;
	const struct nn_model_desc *d = nn_model_get_desc(m);
	enum nn_arch arch = (enum nn_arch)d->arch;
	memset(in, 0, sizeof *in);
	if (!ws->split)
		return cmd_error(ctx, QCQ_ESTATE,
				 "no data split: load data, choose classes and split first "
				 "(e.g. `load synth 1000; classes 3 5; split`)");
	const struct data_split *s = ws->split;
	if (nn_desc_classes(d) != s->nsides)
		return cmd_error(ctx, QCQ_ESTATE,
				 "the %s model has %d classes but the task has %d: create the model "
				 "again with `model %s` (it takes the task's classes), or choose %d "
				 "classes",
				 nn_arch_name(arch), nn_desc_classes(d), s->nsides, nn_arch_name(arch),
				 nn_desc_classes(d));
	bool feat = cmd_model_takes_features(arch) && d->filter != NN_FILTER_TRAINABLE;
	const struct data_features *f = ws->features;
	if (feat && !f)
		return cmd_error(ctx, QCQ_ESTATE,
				 "no quanvolved features: run quanv first (the %s model trains on "
				 "them)",
				 nn_arch_name(arch));
	int sc = feat ? f->c : 1, sh = feat ? f->oh : s->h, sw = feat ? f->ow : s->w;
	bool resize = arch == NN_ARCH_QCNN && d->in_c == 1;
	if (!resize && (sc != (int)d->in_c || sh != (int)d->in_h || sw != (int)d->in_w))
		return cmd_error(ctx, QCQ_ESTATE,
				 "the %s model takes (%u,%u,%u) but the %s are (%d,%d,%d): create the "
				 "model again with `model %s` now that the data are loaded",
				 nn_arch_name(arch), d->in_c, d->in_h, d->in_w,
				 feat ? "features" : "images", sc, sh, sw, nn_arch_name(arch));
	for (int p = 0; p < DATA_NPARTS; p++) {
		size_t n = s->part[p].n;
		if (feat && f->n[p] != n) {
			cmd_model_inputs_free(in);
			return cmd_error(ctx, QCQ_ESTATE,
					 "the features (%zu %s samples) do not match the split (%zu): "
					 "run quanv again",
					 f->n[p], data_part_names[p], n);
		}
		const float *src = feat ? f->part[p] : s->part[p].images;
		if (copy_part(ctx, in, p, src, sc, sh, sw, s->part[p].labels, n, d, borrow)) {
			cmd_model_inputs_free(in);
			return ctx->err->code;
		}
	}
	return QCQ_OK;
}

enum qcq_status cmd_model_evaluate(struct cmd_ctx *ctx, const struct cmd_call *call, int *part,
				   struct train_metrics *mt)
{
	const char *what = ctx->entry->name;
	struct nn_model *m;
	*part = DATA_TEST;
	if ((cmd_nargs(call) && cmd_model_part(ctx, cmd_arg(call, 0), part)) ||
	    cmd_model_need(ctx, &m))
		return ctx->err->code;
	struct cmd_model_inputs in;
	if (cmd_model_follow_noise(ctx, m, what) || cmd_model_inputs(ctx, m, true, &in))
		return ctx->err->code;
	const struct cmd_settings *set = &ctx->ws->set;
	if (nn_model_nparams_quantum(m) && (set->gamma > 0 || set->lambda > 0))
		cmd_info(ctx, "%s: the damping setting applies to circuits only; the classifier "
			 "takes depolarizing noise only (p1 %g, p2 %g)",
			 what, (double)nn_model_get_desc(m)->p1, (double)nn_model_get_desc(m)->p2);
	enum qcq_status st = train_evaluate(m, &in.part[*part], CMD_MODEL_MAX_BATCH, mt, ctx->err);
	cmd_model_inputs_free(&in);
	if (st)
		return qcq_error_prefix(ctx->err, "%s %s", what, data_part_names[*part]);
	if (mt->n == 0)
		return cmd_error(ctx, QCQ_ESTATE, "%s: the %s part of the split is empty", what,
				 data_part_names[*part]);
	return QCQ_OK;
}
