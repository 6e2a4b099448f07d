/*
 * cmd/cmd-stats.c: `stats` -- class counts, pixel statistics and the mean image of the
 * loaded data and of each part of the split.
 */
#include "cmd-data.h"
#include "qcq/data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The mean image as a few rows of ASCII shading (every other row: terminal cells are tall). */
static void print_mean(struct cmd_ctx *ctx, const float *m, int h, int w)
{
	static const char ramp[] = " .:-=+*#%@";
	char line[2 * DATA_MAX_TARGET + 8];
	int step = w > 56 ? (w + 55) / 56 : 1;
	for (int y = 0; y < h; y += 2 * step) {
		int k = 0;
		for (int x = 0; x < w && k < (int)sizeof line - 2; x += step) {
			float v = m[(size_t)y * w + x];
			int i = (int)(v * 9.999f);
			line[k++] = ramp[i < 0 ? 0 : i > 9 ? 9 : i];
		}
		line[k] = '\0';
		cmd_print(ctx, "  |%s|", line);
	}
}

static enum qcq_status exec_stats(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	const struct data_set *ds = ws->data;
	if (!ds)
		return cmd_error(ctx, QCQ_ESTATE, "no data loaded (load synth, load mnist, ...)");
	struct data_stats st;
	data_stats_compute(ds->images, ds->labels, ds->n, ds->h, ds->w, ds->nclasses, &st);
	cmd_print(ctx, "data: %zu images of %dx%d (%s)", ds->n, ds->h, ds->w, ds->source);
	cmd_print(ctx, "pixels: mean %.4f, std %.4f, min %.3f, max %.3f", st.pixel_mean,
		  st.pixel_std, st.pixel_min, st.pixel_max);
	cmd_json_begin(ctx, "stats");
	cmd_json_int(ctx, "n", (long long)ds->n);
	cmd_json_num(ctx, "pixel_mean", st.pixel_mean);
	cmd_json_num(ctx, "pixel_std", st.pixel_std);
	cmd_json_arr_begin(ctx, "classes");
	for (int c = 0; c < ds->nclasses; c++) {
		cmd_print(ctx, "  class %2d %-24s %zu", c, ds->class_names[c], st.count[c]);
		cmd_json_obj_begin(ctx, NULL);
		cmd_json_str(ctx, "name", ds->class_names[c]);
		cmd_json_int(ctx, "count", (long long)st.count[c]);
		cmd_json_obj_end(ctx);
	}
	cmd_json_arr_end(ctx);
	cmd_print(ctx, "mean image:");
	print_mean(ctx, st.mean, ds->h, ds->w);
	data_stats_free(&st);
	const struct data_split *s = ws->split;
	if (s) {
		int K = s->nsides;
		if (K == 2) {
			cmd_print(ctx, "task: %s (0) vs %s (1)", s->side_name[0], s->side_name[1]);
		} else {
			char line[1024];
			cmd_data_task_line(s, line, sizeof line);
			cmd_print(ctx, "task: %s", line);
		}
		cmd_json_arr_begin(ctx, "parts");
		for (int p = 0; p < DATA_NPARTS; p++) {
			const struct data_subset *sub = &s->part[p];
			data_stats_compute(sub->images, sub->labels, sub->n, s->h, s->w, K, &st);
			if (K == 2) {
				cmd_print(ctx, "  %-5s %6zu images: %zu of side 0, %zu of side 1, pixel "
					  "mean %.4f", data_part_names[p], sub->n, st.count[0],
					  st.count[1], st.pixel_mean);
			} else {
				char per[DATA_MAX_SIDES * 12];
				int len = 0;
				for (int k = 0; k < K; k++)
					len += snprintf(per + len, sizeof per - (size_t)len, "%s%zu",
							k ? " " : "", st.count[k]);
				cmd_print(ctx, "  %-5s %6zu images, per class %s, pixel mean %.4f",
					  data_part_names[p], sub->n, per, st.pixel_mean);
			}
			cmd_json_obj_begin(ctx, NULL);
			cmd_json_str(ctx, "part", data_part_names[p]);
			cmd_json_int(ctx, "n", (long long)sub->n);
			cmd_json_int(ctx, "side0", (long long)st.count[0]);
			cmd_json_int(ctx, "side1", (long long)st.count[1]);
			double cnt[DATA_MAX_SIDES];
			for (int k = 0; k < K; k++)
				cnt[k] = (double)st.count[k];
			cmd_json_nums(ctx, "per_class", cnt, (size_t)K);
			cmd_json_obj_end(ctx);
			data_stats_free(&st);
		}
		cmd_json_arr_end(ctx);
	}
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.min_args = 0,
	.max_args = 0,
	.usage = "stats",
	.help = "Class counts, pixel statistics and the mean image of the loaded data, and the\n"
		"size and balance of each part of the split.",
	.exec = exec_stats,
};
