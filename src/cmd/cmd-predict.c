/* cmd/cmd-predict.c: `predict I` -- the model's class probabilities for image I of the
 * split (numbered as `show image` does: train, then val, then test). */
#include "cmd-model-internal.h"

#include "qcq/data.h"

static enum qcq_status exec_predict(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct nn_model *m;
	long k;
	if (cmd_model_need(ctx, &m))
		return ctx->err->code;
	if (!ctx->ws->split)
		return cmd_error(ctx, QCQ_ESTATE, "no data split: load data and split first");
	size_t total = data_split_total(ctx->ws->split);
	if (total == 0)
		return cmd_error(ctx, QCQ_ESTATE, "the split is empty");
	if (cmd_parse_long(ctx, "image", cmd_arg(call, 0), 0, (long)total - 1, &k))
		return ctx->err->code;
	int part;
	size_t local;
	data_split_locate(ctx->ws->split, (size_t)k, &part, &local);
	struct cmd_model_inputs in;
	if (cmd_model_inputs(ctx, m, true, &in))
		return ctx->err->code;
	double p[2];
	enum qcq_status st = train_predict(m, &in.part[part], local, p, ctx->err);
	int label = in.part[part].y[local];
	cmd_model_inputs_free(&in);
	if (st)
		return qcq_error_prefix(ctx->err, "predict %ld", k);
	const struct data_split *s = ctx->ws->split;
	int pred = p[1] > p[0];
	cmd_print(ctx, "image %ld (%s #%zu): true %d (%s), predicted %d (%s), p = %.4f / %.4f%s", k,
		  data_part_names[part], local, label, s->side_name[label], pred,
		  s->side_name[pred], p[0], p[1], pred == label ? "" : "  WRONG");
	cmd_json_begin(ctx, "predict");
	cmd_json_int(ctx, "image", k);
	cmd_json_str(ctx, "part", data_part_names[part]);
	cmd_json_int(ctx, "label", label);
	cmd_json_int(ctx, "predicted", pred);
	cmd_json_nums(ctx, "probs", p, 2);
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
