/* cmd/cmd-eval.c: `eval [train|val|test]` -- loss and accuracy of the model on a part of
 * the split (default test), in evaluation mode. */
#include "cmd-model-internal.h"

#include "qcq/data.h"

static enum qcq_status exec_eval(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	int part;
	struct train_metrics mt;
	if (cmd_model_evaluate(ctx, call, &part, &mt))
		return ctx->err->code;
	cmd_print(ctx, "%s: accuracy %.4f, loss %.4f (%zu images)", data_part_names[part], mt.acc,
		  mt.loss, mt.n);
	cmd_json_begin(ctx, "eval");
	cmd_json_str(ctx, "part", data_part_names[part]);
	cmd_json_num(ctx, "accuracy", mt.acc);
	cmd_json_num(ctx, "loss", mt.loss);
	cmd_json_int(ctx, "n", (long long)mt.n);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_eval_entry = {
	.name = "eval",
	.min_args = 0,
	.max_args = 1,
	.usage = "eval [train|val|test]",
	.help = "Accuracy and mean cross-entropy loss of the model on a part of the split "
		"(default test).",
	.exec = exec_eval,
};
