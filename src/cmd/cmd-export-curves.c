/* cmd/cmd-export-curves.c: `export curves FILE.csv` -- the training history, one row per
 * epoch (train/val loss and accuracy, seconds, the best epoch marked), written
 * atomically. */
#include "cmd-model-internal.h"

static enum qcq_status exec_export_curves(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	const char *path = cmd_arg(call, 0);
	if (train_history_write_csv(ctx->ws->history, path, ctx->err))
		return ctx->err->code;
	cmd_print(ctx, "wrote %zu epochs to %s", ctx->ws->history->n, path);
	cmd_json_begin(ctx, "export-curves");
	cmd_json_str(ctx, "path", path);
	cmd_json_int(ctx, "rows", (long long)ctx->ws->history->n);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_export_curves_entry = {
	.name = "export-curves",
	.min_args = 1,
	.max_args = 1,
	.usage = "export curves FILE.csv",
	.help = "Write the training curves as CSV: epoch, train_loss, train_acc, val_loss, "
		"val_acc, seconds, best (1 on the best epoch).",
	.exec = exec_export_curves,
};
