/*
 * cmd/cmd-classes.c: `classes A B [C ...]`, `classes A vs B+C+D` and `classes all` --
 * choose the task: one class (or several merged with '+') per side, by index or name,
 * two sides for a binary task and K for a K-class one. It makes a first balanced split
 * right away (fractions 0.7 / 0.15 / 0.15 of the smallest side, seeded with the `set
 * seed` value), which `split` can redo with other sizes.
 */
#include "cmd-data.h"
#include "qcq/data.h"
#include "qcq/nn.h"

#include <stdlib.h>
#include <string.h>

/* a task's classes become a model's outputs */
_Static_assert(DATA_MAX_SIDES == NN_MAX_CLASSES, "task and model class limits differ");

/* Print a split and emit its JSON (shared by classes and split: same result kind). */
static void report_split(struct cmd_ctx *ctx, const struct data_split *s, const char *how)
{
	if (s->nsides == 2) {
		cmd_print(ctx, "task: %s (label 0, %zu images) vs %s (label 1, %zu images)",
			  s->side_name[0], s->available[0], s->side_name[1], s->available[1]);
	} else {
		char line[1024];
		cmd_data_task_line(s, line, sizeof line);
		cmd_print(ctx, "task: %s", line);
	}
	cmd_print(ctx, "split%s: train %zu, val %zu, test %zu (balanced, seed %llu)", how,
		  s->part[0].n, s->part[1].n, s->part[2].n, (unsigned long long)s->seed);
	cmd_data_split_json(ctx, s);
}

/* The selection the call names: `all`, `A vs B`, or one side per argument. */
static enum qcq_status parse_call(struct cmd_ctx *ctx, const struct cmd_call *call,
				  struct data_classes *cls)
{
	const struct data_set *ds = ctx->ws->data;
	int n = cmd_nargs(call);
	if (n == 1 && strcmp(cmd_arg(call, 0), "all") == 0)
		return data_classes_all(ds, cls, ctx->err);
	if (n == 1)
		return cmd_error(ctx, QCQ_EINVAL, "classes: needs two sides or more (classes A B, "
				 "classes A B C ..., classes A vs B+C, classes all)");
	bool vs = false;
	for (int i = 0; i < n; i++)
		vs |= strcmp(cmd_arg(call, i), "vs") == 0;
	if (vs && (n != 3 || strcmp(cmd_arg(call, 1), "vs") != 0))
		return cmd_error(ctx, QCQ_EINVAL, "classes: 'vs' goes between two sides (classes A vs "
				 "B+C)");
	if (vs)
		return data_classes_parse(ds, cmd_arg(call, 0), cmd_arg(call, 2), cls, ctx->err);
	const char *sides[DATA_MAX_SIDES];
	for (int i = 0; i < n; i++)
		sides[i] = cmd_arg(call, i);
	return data_classes_parse_sides(ds, sides, n, cls, ctx->err);
}

static enum qcq_status exec_classes(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	if (!ws->data)
		return cmd_error(ctx, QCQ_ESTATE, "no data loaded (load synth, load mnist, ...)");
	struct data_classes *cls = qcq_xmalloc(sizeof *cls);
	enum qcq_status st = parse_call(ctx, call, cls);
	struct data_split_spec spec = {{0.7, 0.15, 0.15}, true, ws->set.seed};
	struct data_split *s = NULL;
	if (!st)
		st = data_split_make(ws->data, cls, &spec, &s, ctx->err);
	free(cls);
	if (st)
		return st;
	cmd_data_install_split(ws, s);
	report_split(ctx, s, " (default 0.7/0.15/0.15; `split train=N val=N test=N` to change)");
	if (ws->features) /* quanv ran before: the split's features come from it */
		cmd_print(ctx, "features: %zu images -> (%d, %d, %d) each, taken from the quanvolved "
			  "data set (no quanv needed)",
			  ws->features->n[0] + ws->features->n[1] + ws->features->n[2],
			  ws->features->c, ws->features->oh, ws->features->ow);
	if (ws->model && (int)nn_model_get_desc(ws->model)->nclasses != s->nsides)
		cmd_info(ctx, "the model has %u outputs, the task %d classes: build it again "
			 "(`model NAME`) before training", nn_model_get_desc(ws->model)->nclasses,
			 s->nsides);
	return QCQ_OK;
}

const struct cmd_entry cmd_classes_entry = {
	.name = "classes",
	.min_args = 1,
	.max_args = DATA_MAX_SIDES,
	.usage = "classes A B [C ...] | classes A vs B+C+D | classes all",
	.help = "Choose the classes of the task, by index or name (Fashion-MNIST names such as\n"
		"tshirt, trouser; folder names): two for a binary task, more for a K-class one\n"
		"(`classes 0 1 2`; `classes all` takes every class of the data, up to 32); label k\n"
		"is the k-th class named. A side may merge classes with '+':\n"
		"`classes no_tumor vs glioma_tumor+meningioma_tumor+pituitary_tumor`. Makes a\n"
		"balanced split (0.7/0.15/0.15 of the smallest class, the same count from every\n"
		"class); `split` changes it. A model has as many outputs as the task has classes\n"
		"when it is built: build it again after changing their number.",
	.exec = exec_classes,
};
