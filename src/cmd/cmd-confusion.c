/* cmd/cmd-confusion.c: `confusion [train|val|test]` -- the 2x2 confusion matrix of the
 * model on a part of the split (default test), rows = true class, columns = predicted. */
#include "cmd-model-internal.h"

#include "qcq/data.h"

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
	cmd_print(ctx, "  %-20.20s %10.10s %10.10s", "", n0, n1);
	cmd_print(ctx, "  %-20.20s %10llu %10llu", n0, (unsigned long long)mt.confusion[0][0],
		  (unsigned long long)mt.confusion[0][1]);
	cmd_print(ctx, "  %-20.20s %10llu %10llu", n1, (unsigned long long)mt.confusion[1][0],
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
