/*
 * cmd/cmd-heatmap.c: `heatmap I [CHANNEL]` -- the quanvolved feature maps of split image I
 * as shaded heatmaps side by side (all channels, or one), with a legend of the value
 * range. <Z> lies in [-1, 1]; the shading spans that fixed range so maps of different
 * images compare, and each map's own min/max is printed above it.
 */
#include "cmd-internal.h"
#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HM_MAX_CH 16

static const char *const uni[5] = {" ", "\xe2\x96\x91", "\xe2\x96\x92", "\xe2\x96\x93",
				   "\xe2\x96\x88"};
static const char ascii_ramp[] = " .:-=+*#%@";

/* Glyph for v in [-1, 1]. */
static const char *glyph(float v, bool utf8, char buf[2])
{
	float t = (v + 1) * 0.5f;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	if (utf8)
		return uni[(int)(t * 4.999f)];
	buf[0] = ascii_ramp[(int)(t * 9.999f)];
	buf[1] = '\0';
	return buf;
}

static enum qcq_status exec_heatmap(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	/* before a task: the features of every image loaded (quanv right after load) */
	bool all = !ws->split && ws->set_features;
	const struct data_features *f = all ? ws->set_features : ws->features;
	if ((!ws->split && !all) || !f)
		return cmd_error(ctx, QCQ_ESTATE, "no features yet: run quanv (after load, or after "
				 "`classes A B`)");
	size_t total = f->n[0] + f->n[1] + f->n[2];
	long idx, ch = -1;
	if (cmd_parse_long(ctx, "I", cmd_arg(call, 0), 0, (long)total - 1, &idx))
		return ctx->err->code;
	if (cmd_nargs(call) > 1 &&
	    cmd_parse_long(ctx, "CHANNEL", cmd_arg(call, 1), 0, f->c - 1, &ch))
		return ctx->err->code;
	int part = 0;
	size_t local = (size_t)idx;
	while (local >= f->n[part])
		local -= f->n[part++];
	int c0 = ch < 0 ? 0 : (int)ch, c1 = ch < 0 ? (f->c < HM_MAX_CH ? f->c : HM_MAX_CH) : (int)ch + 1;
	size_t plane = (size_t)f->oh * f->ow;
	const float *maps = f->part[part] + local * (size_t)f->c * plane;
	if (all) {
		const struct data_set *ds = ws->data;
		cmd_print(ctx, "image %zu (class %s): features (%d, %d, %d)", local,
			  ds->class_names[ds->labels[local]], f->c, f->oh, f->ow);
	} else {
		const struct data_subset *sub = &ws->split->part[part];
		cmd_print(ctx, "%s image %zu (label %d = %s): features (%d, %d, %d)",
			  data_part_names[part], local, sub->labels[local],
			  ws->split->side_name[sub->labels[local]], f->c, f->oh, f->ow);
	}
	bool utf8 = cmd_utf8_text(call);
	cmd_json_begin(ctx, "heatmap");
	cmd_json_int(ctx, "index", idx);
	cmd_json_arr_begin(ctx, "channels");
	/* header: channel names and ranges, each padded to the map's width (2 cells per px) */
	size_t cap = (size_t)(c1 - c0) * ((size_t)f->ow * 6 + 24) + 256;
	char *line = qcq_xmalloc(cap);
	size_t k = 0;
	for (int c = c0; c < c1; c++) {
		float lo = 1e9f, hi = -1e9f;
		for (size_t i = 0; i < plane; i++) {
			float v = maps[(size_t)c * plane + i];
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		char head[64];
		int hl = snprintf(head, sizeof head, "Z%d [%.2f,%.2f]", c, lo, hi);
		int width = 2 * f->ow;
		k += (size_t)snprintf(line + k, cap - k, "%-*s  ", width > hl ? width : hl, head);
		cmd_json_obj_begin(ctx, NULL);
		cmd_json_int(ctx, "channel", c);
		cmd_json_num(ctx, "min", lo);
		cmd_json_num(ctx, "max", hi);
		cmd_json_obj_end(ctx);
	}
	cmd_json_arr_end(ctx);
	cmd_json_end(ctx);
	cmd_print(ctx, "%s", line);
	for (int y = 0; y < f->oh; y++) {
		k = 0;
		for (int c = c0; c < c1; c++) {
			char b[2];
			for (int x = 0; x < f->ow; x++) {
				const char *g = glyph(maps[(size_t)c * plane + (size_t)y * f->ow + x], utf8, b);
				size_t gl = strlen(g);
				memcpy(line + k, g, gl);
				memcpy(line + k + gl, g, gl);
				k += 2 * gl;
			}
			int pad = 14 - 2 * f->ow; /* headers are at least 14 wide */
			for (int i = 0; i < (pad > 0 ? pad : 0) + 2; i++)
				line[k++] = ' ';
		}
		line[k] = '\0';
		cmd_print(ctx, "%s", line);
	}
	/* legend */
	k = 0;
	k += (size_t)snprintf(line + k, cap - k, "legend: <Z> from -1 ");
	for (int i = 0; i < (utf8 ? 5 : 10); i++) {
		char b[2];
		const char *g = glyph(-1 + 2.0f * (i + 0.5f) / (utf8 ? 5 : 10), utf8, b);
		k += (size_t)snprintf(line + k, cap - k, "%s", g);
	}
	snprintf(line + k, cap - k, " to +1");
	cmd_print(ctx, "%s", line);
	free(line);
	ws->cur_image = idx;
	ws->cur_patch_row = ws->cur_patch_col = -1;
	ws->dirty |= CMD_DIRTY_DATA;
	return QCQ_OK;
}

static const char *const heatmap_options[] = {"ascii", NULL};

const struct cmd_entry cmd_heatmap_entry = {
	.name = "heatmap",
	.min_args = 1,
	.max_args = 2,
	.options = heatmap_options,
	.usage = "heatmap I [CHANNEL] [ascii=1]",
	.help = "Show the quanvolved feature maps of split image I (train, val, test in that\n"
		"order; before `classes`, image I of the data set) side by side, or only CHANNEL, shaded over the range [-1, 1] of <Z>, with\n"
		"each map's own range above it and a legend below. Needs `quanv` first (it works "
		"right after load).",
	.flags = CMD_F_JOB_SAFE,
	.exec = exec_heatmap,
};
