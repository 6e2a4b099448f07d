/* cmd/cmd-confusion.c: `confusion [train|val|test]` -- the K x K confusion matrix of the
 * model on a part of the split (default test), rows = true class, columns = predicted;
 * with K > 2 also each class's recall and the balanced accuracy. */
#include "cmd-model-internal.h"

#include "qcq/data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The K x K table of a K-class task: classes numbered, their names listed first. */
static void print_k(struct cmd_ctx *ctx, const struct data_split *s,
		    const struct train_metrics *mt)
{
	int K = train_metrics_classes(mt);
	for (int k = 0; k < K; k++)
		cmd_print(ctx, "  %2d = %s (recall %.4f)", k, s->side_name[k],
			  train_metrics_recall(mt, k));
	uint64_t mx = 0;
	for (int a = 0; a < K; a++)
		for (int b = 0; b < K; b++)
			mx = mt->confusion[a][b] > mx ? mt->confusion[a][b] : mx;
	int w = snprintf(NULL, 0, "%llu", (unsigned long long)mx);
	w = w < 3 ? 3 : w;
	char line[64 + TRAIN_MAX_CLASSES * 24];
	int len = snprintf(line, sizeof line, "  true\\pred");
	for (int b = 0; b < K; b++)
		len += snprintf(line + len, sizeof line - (size_t)len, " %*d", w, b);
	cmd_print(ctx, "%s", line);
	for (int a = 0; a < K; a++) {
		len = snprintf(line, sizeof line, "  %9d", a); /* as wide as "  true\\pred" */
		for (int b = 0; b < K; b++)
			len += snprintf(line + len, sizeof line - (size_t)len, " %*llu", w,
					(unsigned long long)mt->confusion[a][b]);
		cmd_print(ctx, "%s", line);
	}
	cmd_print(ctx, "  balanced accuracy %.4f", train_metrics_balanced_accuracy(mt));
}

/* The 2 x 2 table of a binary task, headed by the sides' names. */
static void print_2(struct cmd_ctx *ctx, const struct data_split *s,
		    const struct train_metrics *mt)
{
	const char *n0 = s->side_name[0][0] ? s->side_name[0] : "0";
	const char *n1 = s->side_name[1][0] ? s->side_name[1] : "1";
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
	cmd_print(ctx, "  %-*s  %*llu  %*llu", rw, r0, w0, (unsigned long long)mt->confusion[0][0], w1,
		  (unsigned long long)mt->confusion[0][1]);
	cmd_print(ctx, "  %-*s  %*llu  %*llu", rw, r1, w0, (unsigned long long)mt->confusion[1][0], w1,
		  (unsigned long long)mt->confusion[1][1]);
}

static enum qcq_status exec_confusion(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	int part;
	struct train_metrics *mt = qcq_xmalloc(sizeof *mt);
	if (cmd_model_evaluate(ctx, call, &part, mt)) {
		free(mt);
		return ctx->err->code;
	}
	const struct data_split *s = ctx->ws->split;
	int K = train_metrics_classes(mt);
	cmd_print(ctx, "%s (%zu images, accuracy %.4f): rows true, columns predicted",
		  data_part_names[part], mt->n, mt->acc);
	if (K == 2)
		print_2(ctx, s, mt);
	else
		print_k(ctx, s, mt);
	cmd_json_begin(ctx, "confusion");
	cmd_json_str(ctx, "part", data_part_names[part]);
	cmd_json_arr_begin(ctx, "classes");
	for (int k = 0; k < K; k++)
		cmd_json_str(ctx, NULL, s->side_name[k][0] || K > 2 ? s->side_name[k] : k ? "1" : "0");
	cmd_json_arr_end(ctx);
	double mat[TRAIN_MAX_CLASSES * TRAIN_MAX_CLASSES], rec[TRAIN_MAX_CLASSES];
	for (int i = 0; i < K * K; i++)
		mat[i] = (double)mt->confusion[i / K][i % K];
	for (int k = 0; k < K; k++)
		rec[k] = train_metrics_recall(mt, k);
	cmd_json_nums(ctx, "matrix", mat, (size_t)(K * K));
	cmd_json_num(ctx, "accuracy", mt->acc);
	cmd_json_nums(ctx, "recall", rec, (size_t)K);
	cmd_json_num(ctx, "balanced_accuracy", train_metrics_balanced_accuracy(mt));
	cmd_json_end(ctx);
	free(mt);
	return QCQ_OK;
}

const struct cmd_entry cmd_confusion_entry = {
	.name = "confusion",
	.min_args = 0,
	.max_args = 1,
	.usage = "confusion [train|val|test]",
	.help = "The confusion matrix of the model on a part of the split (default test): "
		"rows are the true classes, columns the predicted ones. With more than two "
		"classes the classes are numbered as their labels and each one's recall and the "
		"balanced accuracy (the mean recall) are shown.",
	.exec = exec_confusion,
};
