/*
 * cmd/cmd-split.c: `split train=N val=N test=N [seed=S]` -- redo the balanced split of the
 * chosen task with counts (totals per part, half per side) or fractions (values < 1 or
 * with a decimal point: fractions of the smaller side per side).
 */
#include "cmd-data.h"
#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>

static enum qcq_status exec_split(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	if (!ws->data || !ws->split)
		return cmd_error(ctx, QCQ_ESTATE, "no task yet: load data, then `classes A B`");
	static const char *const keys[DATA_NPARTS] = {"train", "val", "test"};
	struct data_split_spec spec;
	memset(&spec, 0, sizeof spec);
	int nfrac = 0, ncount = 0, ngiven = 0;
	for (int p = 0; p < DATA_NPARTS; p++) {
		const char *v = cmd_opt(call, keys[p]);
		if (!v) {
			spec.amount[p] = ws->split->part[p].n; /* keep the current count */
			continue;
		}
		if (cmd_parse_double(ctx, keys[p], v, 0, (double)DATA_MAX_IMAGES, &spec.amount[p]))
			return ctx->err->code;
		ngiven++;
		/* a plain 0 (an empty part) fits either kind */
		if (strchr(v, '.') != NULL || (spec.amount[p] > 0 && spec.amount[p] < 1))
			nfrac++;
		else if (spec.amount[p] >= 1)
			ncount++;
	}
	if (ngiven == 0)
		return cmd_error(ctx, QCQ_EINVAL, "split: give train=, val= and/or test=");
	if (nfrac && ncount)
		return cmd_error(ctx, QCQ_EINVAL, "split: mix of counts and fractions (use all counts, "
				 "e.g. train=5000, or all fractions, e.g. train=0.7)");
	spec.fractions = nfrac > 0;
	if (spec.fractions)
		for (int p = 0; p < DATA_NPARTS; p++)
			if (!cmd_opt(call, keys[p]))
				spec.amount[p] = 0; /* a fraction split names every part it wants */
	long seed;
	if (cmd_opt_long(ctx, "seed", 0, 0x7fffffffffffffffL, (long)ws->split->seed, &seed))
		return ctx->err->code;
	spec.seed = (uint64_t)seed;
	struct data_split *s;
	enum qcq_status st = data_split_make(ws->data, &ws->split->classes, &spec, &s, ctx->err);
	if (st)
		return st;
	cmd_data_install_split(ws, s);
	if (s->nsides == 2) {
		cmd_print(ctx, "split: train %zu, val %zu, test %zu of %s (%zu) vs %s (%zu), seed %llu",
			  s->part[0].n, s->part[1].n, s->part[2].n, s->side_name[0],
			  s->available[0], s->side_name[1], s->available[1],
			  (unsigned long long)s->seed);
	} else {
		char line[1024];
		cmd_data_task_line(s, line, sizeof line);
		cmd_print(ctx, "split: train %zu, val %zu, test %zu of %d classes, seed %llu: %s",
			  s->part[0].n, s->part[1].n, s->part[2].n, s->nsides,
			  (unsigned long long)s->seed, line);
	}
	cmd_data_split_json(ctx, s);
	return QCQ_OK;
}

static const char *const split_options[] = {"train", "val", "test", "seed", NULL};

const struct cmd_entry cmd_split_entry = {
	.name = "split",
	.min_args = 0,
	.max_args = 0,
	.options = split_options,
	.usage = "split train=N val=N test=N [seed=S]",
	.help = "Split the chosen task into balanced train/validation/test parts. Counts are\n"
		"totals per part, the same share from each side (half each for a binary task; the\n"
		"paper: train=5000 val=1250 test=1000); a side with too few images is an error.\n"
		"Fractions (train=0.7 val=0.15 test=0.15) take that share of the smallest side\n"
		"from each side. Parts not named\n"
		"keep their current count (with counts) or are empty (with fractions).",
	.exec = exec_split,
};

void cmd_data_install_split(struct cmd_workspace *ws, struct data_split *s)
{
	data_features_free(ws->features);
	data_split_free(ws->split);
	ws->features = NULL;
	ws->split = s;
	ws->cur_image = 0;
	ws->cur_patch_row = ws->cur_patch_col = -1;
	ws->dirty |= CMD_DIRTY_DATA;
	cmd_data_features_from_set(ws); /* quanv before classes: nothing to compute again */
}

void cmd_data_task_line(const struct data_split *s, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int k = 0; k < s->nsides; k++) {
		char one[DATA_SIDE_NAME_MAX + 48];
		snprintf(one, sizeof one, "%s%s (label %d, %zu images)", k ? ", " : "",
			 s->side_name[k], k, s->available[k]);
		if (len + strlen(one) + 5 >= size) {
			snprintf(buf + len, size - len, ", ...");
			return;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s", one);
	}
}

void cmd_data_split_json(struct cmd_ctx *ctx, const struct data_split *s)
{
	cmd_json_begin(ctx, "split");
	cmd_json_str(ctx, "side0", s->side_name[0]);
	cmd_json_str(ctx, "side1", s->side_name[1]);
	cmd_json_int(ctx, "available0", (long long)s->available[0]);
	cmd_json_int(ctx, "available1", (long long)s->available[1]);
	cmd_json_int(ctx, "nclasses", s->nsides);
	cmd_json_arr_begin(ctx, "classes");
	for (int k = 0; k < s->nsides; k++)
		cmd_json_str(ctx, NULL, s->side_name[k]);
	cmd_json_arr_end(ctx);
	double avail[DATA_MAX_SIDES];
	for (int k = 0; k < s->nsides; k++)
		avail[k] = (double)s->available[k];
	cmd_json_nums(ctx, "available", avail, (size_t)s->nsides);
	for (int p = 0; p < DATA_NPARTS; p++)
		cmd_json_int(ctx, data_part_names[p], (long long)s->part[p].n);
	cmd_json_int(ctx, "seed", (long long)s->seed);
	cmd_json_end(ctx);
}
