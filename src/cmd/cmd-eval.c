/* cmd/cmd-eval.c: `eval [train|val|test]` -- loss and accuracy of the model on a part of
 * the split (default test), in evaluation mode, with per-class recall and balanced
 * accuracy for a K-class task. */
#include "cmd-model-internal.h"

#include "qcq/data.h"

#include <stdio.h>
#include <stdlib.h>

static enum qcq_status exec_eval(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	int part;
	struct train_metrics *mt = qcq_xmalloc(sizeof *mt);
	if (cmd_model_evaluate(ctx, call, &part, mt)) {
		free(mt);
		return ctx->err->code;
	}
	int K = train_metrics_classes(mt);
	double bal = train_metrics_balanced_accuracy(mt), rec[TRAIN_MAX_CLASSES];
	for (int k = 0; k < K; k++)
		rec[k] = train_metrics_recall(mt, k);
	cmd_print(ctx, "%s: accuracy %.4f, loss %.4f (%zu images)", data_part_names[part], mt->acc,
		  mt->loss, mt->n);
	if (K > 2) { /* per-class recall: what a plain accuracy hides */
		char line[64 + TRAIN_MAX_CLASSES * 40];
		int len = snprintf(line, sizeof line, "  balanced accuracy %.4f; recall", bal);
		for (int k = 0; k < K; k++)
			len += snprintf(line + len, sizeof line - (size_t)len, "%s %.24s %.3f",
					k ? "," : "", ctx->ws->split->side_name[k], rec[k]);
		cmd_print(ctx, "%s", line);
	}
	cmd_json_begin(ctx, "eval");
	cmd_json_str(ctx, "part", data_part_names[part]);
	cmd_json_num(ctx, "accuracy", mt->acc);
	cmd_json_num(ctx, "loss", mt->loss);
	cmd_json_int(ctx, "n", (long long)mt->n);
	cmd_json_num(ctx, "balanced_accuracy", bal);
	cmd_json_nums(ctx, "recall", rec, (size_t)K);
	cmd_json_end(ctx);
	free(mt);
	return QCQ_OK;
}

const struct cmd_entry cmd_eval_entry = {
	.name = "eval",
	.min_args = 0,
	.max_args = 1,
	.usage = "eval [train|val|test]",
	.help = "Accuracy and mean cross-entropy loss of the model on a part of the split "
		"(default test); with more than two classes also the balanced accuracy (mean "
		"per-class recall) and each class's recall (JSON: balanced_accuracy and recall "
		"for every task).",
	.exec = exec_eval,
};
