/*
 * cmd/cmd-classes.c: `classes A B` and `classes A vs B+C+D` -- choose the binary task:
 * one class (or several merged with '+') on each side, by index or name. It makes a
 * first balanced split right away (fractions 0.7 / 0.15 / 0.15 of the smaller side,
 * seeded with the `set seed` value), which `split` can redo with other sizes.
 */
#include "cmd-data.h"
#include "qcq/data.h"

#include <string.h>

/* Print a split and emit its JSON (shared by classes and split: same result kind). */
static void report_split(struct cmd_ctx *ctx, const struct data_split *s, const char *how)
{
	cmd_print(ctx, "task: %s (label 0, %zu images) vs %s (label 1, %zu images)", s->side_name[0],
		  s->available[0], s->side_name[1], s->available[1]);
	cmd_print(ctx, "split%s: train %zu, val %zu, test %zu (balanced, seed %llu)", how,
		  s->part[0].n, s->part[1].n, s->part[2].n, (unsigned long long)s->seed);
	cmd_data_split_json(ctx, s);
}

static enum qcq_status exec_classes(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	if (!ws->data)
		return cmd_error(ctx, QCQ_ESTATE, "no data loaded (load synth, load mnist, ...)");
	const char *a, *b;
	if (cmd_nargs(call) == 3) {
		if (strcmp(cmd_arg(call, 1), "vs") != 0)
			return cmd_error(ctx, QCQ_EINVAL, "classes: expected 'A vs B', got '%s %s %s'",
					 cmd_arg(call, 0), cmd_arg(call, 1), cmd_arg(call, 2));
		a = cmd_arg(call, 0);
		b = cmd_arg(call, 2);
	} else if (cmd_nargs(call) == 2) {
		a = cmd_arg(call, 0);
		b = cmd_arg(call, 1);
	} else {
		return cmd_error(ctx, QCQ_EINVAL, "classes: needs two sides (classes A B or A vs B+C)");
	}
	struct data_classes cls;
	enum qcq_status st = data_classes_parse(ws->data, a, b, &cls, ctx->err);
	if (st)
		return st;
	struct data_split_spec spec = {{0.7, 0.15, 0.15}, true, ws->set.seed};
	struct data_split *s;
	if ((st = data_split_make(ws->data, &cls, &spec, &s, ctx->err)))
		return st;
	cmd_data_install_split(ws, s);
	report_split(ctx, s, " (default 0.7/0.15/0.15; `split train=N val=N test=N` to change)");
	if (ws->features) /* quanv ran before: the split's features come from it */
		cmd_print(ctx, "features: %zu images -> (%d, %d, %d) each, taken from the quanvolved "
			  "data set (no quanv needed)",
			  ws->features->n[0] + ws->features->n[1] + ws->features->n[2],
			  ws->features->c, ws->features->oh, ws->features->ow);
	return QCQ_OK;
}

const struct cmd_entry cmd_classes_entry = {
	.name = "classes",
	.min_args = 2,
	.max_args = 3,
	.usage = "classes A B | classes A vs B+C+D",
	.help = "Choose the two classes of the binary task, by index or name (Fashion-MNIST\n"
		"names such as tshirt, trouser; folder names). A side may merge classes with '+':\n"
		"`classes no_tumor vs glioma_tumor+meningioma_tumor+pituitary_tumor`. Makes a\n"
		"balanced split (0.7/0.15/0.15 of the smaller side); `split` changes it.",
	.exec = exec_classes,
};
