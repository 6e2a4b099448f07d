/*
 * cmd/cmd-load-model.c: `load model FILE` -- replace the model (and its training
 * history) with a checkpoint's. If the checkpoint holds a filter different from the
 * workspace's, the workspace takes the checkpoint's (the model was trained on its
 * features) and drops the quanvolved features computed with the old one.
 */
#include "cmd-model-internal.h"

#include "qcq/data.h"
#include "qcq/qml.h"

static enum qcq_status exec_load_model(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	const char *path = cmd_arg(call, 0);
	struct nn_model *m;
	struct train_history *h;
	struct qml_filter *f;
	if (train_checkpoint_load(path, CMD_MODEL_MAX_BATCH, &m, &h, &f, ctx->err))
		return ctx->err->code;
	cmd_model_put(ws, m, h);
	const char *fnote = "";
	if (f && ws->filter && qml_filter_hash(f) == qml_filter_hash(ws->filter)) {
		qml_filter_destroy(f);
	} else if (f) {
		if (ws->filter)
			qml_filter_destroy(ws->filter);
		ws->filter = f;
		if (ws->features) {
			data_features_free(ws->features);
			ws->features = NULL;
			fnote = "; its filter replaces the workspace's: run quanv again";
		} else {
			fnote = "; filter restored";
		}
		ws->dirty |= CMD_DIRTY_DATA;
	}
	const struct nn_model_desc *d = nn_model_get_desc(m);
	cmd_print(ctx, "loaded %s: input (%u,%u,%u), %u classes, %zu parameters%s%s",
		  nn_arch_name((enum nn_arch)d->arch), d->in_c, d->in_h, d->in_w,
		  (unsigned)nn_desc_classes(d), nn_model_nparams(m),
		  h && h->n ? ", training history (train resume continues it)" : "", fnote);
	int K = nn_desc_classes(d);
	if (ws->split && ws->split->nsides != K)
		cmd_info(ctx, "the model has %d classes, the task %d: choose %d classes (`classes`) "
			 "to use it", K, ws->split->nsides, K);
	cmd_model_note_noise(ctx, "load model"); /* the settings' shots and noise, said */
	cmd_json_begin(ctx, "load-model");
	cmd_json_int(ctx, "nclasses", K);
	cmd_json_str(ctx, "path", path);
	cmd_json_str(ctx, "arch", nn_arch_name((enum nn_arch)d->arch));
	cmd_json_int(ctx, "params", (long long)nn_model_nparams(m));
	cmd_json_int(ctx, "epochs", h ? (long long)h->n : 0);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_load_model_entry = {
	.name = "load-model",
	.min_args = 1,
	.max_args = 1,
	.usage = "load model FILE",
	.help = "Load a model checkpoint (.qcqm) written by `save model`: the model, its "
		"training history (continue it with `train resume`) and its quanvolution filter. "
		"Its quantum classifier takes the current settings shots and noise (the log says "
		"when they differ from those it was saved with). A truncated, corrupt or foreign "
		"file is refused and the workspace is unchanged.",
	.exec = exec_load_model,
};
