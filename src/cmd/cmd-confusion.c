/* cmd/cmd-confusion.c: `confusion [train|val|test]` -- the 2x2 confusion matrix of the
 * model on a part of the split (default test), rows = true class, columns = predicted. */
#include "cmd-model-internal.h"

#include "qcq/data.h"

#include <stdio.h>
#include <string.h>

static enum qcq_status exec_confusion(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	int part;
	struct train_metrics mt;
	if (cmd_model_evaluate(ctx, call, &part, &mt))
		return ctx->err->code;
	const struct data_split *s = ctx->ws->split;
	const char *n0 = s->side_name[0][0] ? s->side_name[0] : "0";
	const char *n1 = s->side_name[1][0] ? s->side_name[1] : "1";
	cmd_print(ctx, "%s (%zu images, accuracy %.4f): rows true, columns predicted",
		  data_part_names[part], mt.n, mt.acc);
	/* headers are whole names, never cut: names that fit head the rows and columns;
	 * longer ones (merged MRI classes) are numbered, with the names listed above */
	int l0 = (int)strlen(n0), l1 = (int)strlen(n1);
	char r0[64], r1[64], c0[64], c1[64];
	if (l0 <= 24 && l1 <= 24) {
		snprintf(r0, sizeof r0, "%s", n0), snprintf(r1, sizeof r1, "%s", n1);
		snprintf(c0, sizeof c0, "%s", n0), snprintf(c1, sizeof c1, "%s", n1);
	} else {
		cmd_print(ctx, "  0 = %s", n0);
		cmd_print(ctx, "  1 = %s", n1);
		snprintf(r0, sizeof r0, "true 0"), snprintf(r1, sizeof r1, "true 1");
		snprintf(c0, sizeof c0, "pred 0"), snprintf(c1, sizeof c1, "pred 1");
	}
	int rw = (int)(strlen(r0) > strlen(r1) ? strlen(r0) : strlen(r1));
	int w0 = (int)strlen(c0) > 8 ? (int)strlen(c0) : 8, w1 = (int)strlen(c1) > 8 ? (int)strlen(c1) : 8;
	cmd_print(ctx, "  %-*s  %*s  %*s", rw, "", w0, c0, w1, c1);
	cmd_print(ctx, "  %-*s  %*llu  %*llu", rw, r0, w0, (unsigned long long)mt.confusion[0][0], w1,
		  (unsigned long long)mt.confusion[0][1]);
	cmd_print(ctx, "  %-*s  %*llu  %*llu", rw, r1, w0, (unsigned long long)mt.confusion[1][0], w1,
		  (unsigned long long)mt.confusion[1][1]);
	cmd_json_begin(ctx, "confusion");
	cmd_json_str(ctx, "part", data_part_names[part]);
	cmd_json_arr_begin(ctx, "classes");
	cmd_json_str(ctx, NULL, n0);
	cmd_json_str(ctx, NULL, n1);
	cmd_json_arr_end(ctx);
	double mat[4] = {(double)mt.confusion[0][0], (double)mt.confusion[0][1],
			 (double)mt.confusion[1][0], (double)mt.confusion[1][1]};
	cmd_json_nums(ctx, "matrix", mat, 4);
	cmd_json_num(ctx, "accuracy", mt.acc);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_confusion_entry = {
	.name = "confusion",
	.min_args = 0,
	.max_args = 1,
	.usage = "confusion [train|val|test]",
	.help = "The confusion matrix of the model on a part of the split (default test): "
		"rows are the true classes, columns the predicted ones.",
	.exec = exec_confusion,
};
