/* cmd/cmd-save-model.c: `save model FILE` -- write the model, its optimiser state and
 * RNG, the training history (so that `train resume` can continue after `load model`) and
 * the quanvolution filter to a .qcqm checkpoint, atomically. */
#include "cmd-model-internal.h"

static enum qcq_status exec_save_model(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct nn_model *m;
	if (cmd_model_need(ctx, &m))
		return ctx->err->code;
	const char *path = cmd_arg(call, 0);
	if (train_checkpoint_save(path, m, ctx->ws->history, ctx->ws->filter, ctx->err))
		return ctx->err->code;
	const struct train_history *h = ctx->ws->history;
	cmd_print(ctx, "saved %s (%zu parameters%s%s) to %s",
		  nn_arch_name((enum nn_arch)nn_model_get_desc(m)->arch), nn_model_nparams(m),
		  h && h->n ? ", training history" : "", ctx->ws->filter ? ", filter" : "", path);
	cmd_json_begin(ctx, "save-model");
	cmd_json_str(ctx, "path", path);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_save_model_entry = {
	.name = "save-model",
	.min_args = 1,
	.max_args = 1,
	.usage = "save model FILE",
	.help = "Save the model to a checkpoint (.qcqm): architecture, weights, optimiser "
		"state, random state, training history and the quanvolution filter. The file is "
		"written to a temporary name and renamed, so a crash never leaves half a file.",
	.exec = exec_save_model,
};
