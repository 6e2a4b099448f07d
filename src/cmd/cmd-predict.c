/* cmd/cmd-predict.c: `predict I` -- the model's class probabilities for image I of the
 * split (numbered as `show image` does: train, then val, then test). */
#include "cmd-model-internal.h"

#include "qcq/data.h"

#include <stdio.h>

/* The one place a prediction is made: for `predict` and for front ends (the TUI's data
 * pane asks here instead of running the model itself). */
static enum qcq_status predict_image(struct cmd_ctx *ctx, long k, double *p, int *part,
				     size_t *local, int *label)
{
	struct cmd_workspace *ws = ctx->ws;
	struct nn_model *m;
	if (cmd_model_need(ctx, &m))
		return ctx->err->code;
	if (!ws->split)
		return cmd_error(ctx, QCQ_ESTATE, "no data split: load data and split first");
	size_t total = data_split_total(ws->split);
	if (total == 0)
		return cmd_error(ctx, QCQ_ESTATE, "the split is empty");
	if (k < 0 || (size_t)k >= total)
		return cmd_error(ctx, QCQ_ERANGE, "image: %ld out of range [0, %zu]", k, total - 1);
	data_split_locate(ws->split, (size_t)k, part, local);
	struct cmd_model_inputs in;
	if (cmd_model_follow_noise(ctx, m, "predict") || cmd_model_inputs(ctx, m, true, &in))
		return ctx->err->code;
	enum qcq_status st = train_predict(m, &in.part[*part], *local, p, ctx->err);
	*label = in.part[*part].y[*local];
	cmd_model_inputs_free(&in);
	if (st)
		return qcq_error_prefix(ctx->err, "predict %ld", k);
	return QCQ_OK;
}

enum qcq_status cmd_predict_image(struct cmd_workspace *ws, long k, double *probs, int *label,
				  struct qcq_error *err)
{
	if (cmd_job_running(ws)) /* the job holds the model */
		return qcq_error_set(err, QCQ_ESTATE, "predict: not while %s is running",
				     cmd_job_name(ws));
	struct cmd_ctx ctx = {.ws = ws, .err = err};
	int part;
	size_t local;
	return predict_image(&ctx, k, probs, &part, &local, label);
}

static enum qcq_status exec_predict(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	long k;
	if (cmd_parse_long(ctx, "image", cmd_arg(call, 0), 0, 0x7fffffffL, &k))
		return ctx->err->code;
	double p[DATA_MAX_SIDES];
	int part, label = 0;
	size_t local;
	if (predict_image(ctx, k, p, &part, &local, &label))
		return ctx->err->code;
	const struct data_split *s = ctx->ws->split;
	int K = s->nsides, pred = 0;
	for (int c = 1; c < K; c++) /* the first largest, as evaluation counts it */
		pred = p[c] > p[pred] ? c : pred;
	if (K == 2) {
		cmd_print(ctx, "image %ld (%s #%zu): true %d (%s), predicted %d (%s), p = %.4f / %.4f%s",
			  k, data_part_names[part], local, label, s->side_name[label], pred,
			  s->side_name[pred], p[0], p[1], pred == label ? "" : "  WRONG");
	} else {
		char list[DATA_MAX_SIDES * 12];
		int len = 0;
		for (int c = 0; c < K; c++)
			len += snprintf(list + len, sizeof list - (size_t)len, "%s%.4f", c ? " " : "",
					p[c]);
		cmd_print(ctx, "image %ld (%s #%zu): true %d (%s), predicted %d (%s, p %.4f)%s", k,
			  data_part_names[part], local, label, s->side_name[label], pred,
			  s->side_name[pred], p[pred], pred == label ? "" : "  WRONG");
		cmd_print(ctx, "  p = %s (classes 0..%d)", list, K - 1);
	}
	cmd_json_begin(ctx, "predict");
	cmd_json_int(ctx, "image", k);
	cmd_json_str(ctx, "part", data_part_names[part]);
	cmd_json_int(ctx, "label", label);
	cmd_json_int(ctx, "predicted", pred);
	cmd_json_nums(ctx, "probs", p, (size_t)K);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_predict_entry = {
	.name = "predict",
	.min_args = 1,
	.max_args = 1,
	.usage = "predict I",
	.help = "The model's class probabilities for image I of the split (numbered train, "
		"then val, then test, as `show image` numbers them).",
	.exec = exec_predict,
};
