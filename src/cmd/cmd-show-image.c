/*
 * cmd/cmd-show-image.c: `show image I [part=train|val|test]` -- one image as shading in
 * the terminal: Unicode blocks when the locale is UTF-8, ASCII otherwise (or with
 * ascii=1). With a split, I counts train, then val, then test (or within part=); without
 * one, I indexes the loaded data. The data pane shows the same image afterwards.
 */
#include "cmd-internal.h"
#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static enum qcq_status exec_show_image(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	if (!ws->data)
		return cmd_error(ctx, QCQ_ESTATE, "no data loaded (load synth, load mnist, ...)");
	const char *pname = cmd_opt(call, "part");
	const struct data_split *s = ws->split;
	int part = -1;
	if (pname) {
		for (int p = 0; p < DATA_NPARTS; p++)
			if (strcmp(pname, data_part_names[p]) == 0)
				part = p;
		if (part < 0)
			return cmd_error(ctx, QCQ_EINVAL, "part: '%s' is not train, val or test", pname);
		if (!s)
			return cmd_error(ctx, QCQ_ESTATE, "part=%s: no split yet (classes A B)", pname);
	}
	size_t total = pname ? s->part[part].n : s ? data_split_total(s) : ws->data->n;
	long idx;
	if (total == 0)
		return cmd_error(ctx, QCQ_ESTATE, "no images in %s", pname ? pname : "the split");
	if (cmd_parse_long(ctx, "I", cmd_arg(call, 0), 0, (long)total - 1, &idx))
		return ctx->err->code;
	const float *img;
	int h = ws->data->h, w = ws->data->w;
	char label[600];
	long global = idx;
	if (s) {
		size_t local = (size_t)idx;
		if (part >= 0) {
			for (int p = 0; p < part; p++)
				global += (long)s->part[p].n;
		} else {
			data_split_locate(s, (size_t)idx, &part, &local);
		}
		const struct data_subset *sub = &s->part[part];
		img = sub->images + local * (size_t)h * w;
		snprintf(label, sizeof label, "%s image %zu (split image %ld, data image %zu): label %d "
			 "= %s", data_part_names[part], local, global, sub->index[local],
			 sub->labels[local], s->side_name[sub->labels[local]]);
	} else {
		img = ws->data->images + (size_t)idx * h * w;
		int l = ws->data->labels[idx];
		snprintf(label, sizeof label, "data image %ld: label %d = %s", idx, l,
			 ws->data->class_names[l]);
	}
	bool utf8 = cmd_utf8_text(call);
	static const char *const uni[5] = {" ", "\xe2\x96\x91", "\xe2\x96\x92", "\xe2\x96\x93",
					   "\xe2\x96\x88"};
	static const char ascii[] = " .:-=+*#%@";
	int step = w > 64 ? (w + 63) / 64 : 1; /* at most 64 columns of 2 cells */
	cmd_print(ctx, "%s", label);
	char *line = qcq_xmalloc((size_t)w * 8 + 16);
	for (int y = 0; y < h; y += step) {
		size_t k = 0;
		for (int x = 0; x < w; x += step) {
			float v = img[(size_t)y * w + x];
			v = v < 0 ? 0 : v > 1 ? 1 : v;
			const char *g;
			char a[2] = {0, 0};
			if (utf8) {
				g = uni[(int)(v * 4.999f)];
			} else {
				a[0] = ascii[(int)(v * 9.999f)];
				g = a;
			}
			size_t gl = strlen(g);
			memcpy(line + k, g, gl);
			memcpy(line + k + gl, g, gl);
			k += 2 * gl;
		}
		line[k] = '\0';
		cmd_print(ctx, "%s", line);
	}
	free(line);
	ws->cur_image = global;
	ws->cur_patch_row = ws->cur_patch_col = -1;
	ws->dirty |= CMD_DIRTY_DATA;
	cmd_json_begin(ctx, "image");
	cmd_json_int(ctx, "index", global);
	cmd_json_int(ctx, "h", h);
	cmd_json_int(ctx, "w", w);
	cmd_json_str(ctx, "label", label);
	cmd_json_end(ctx);
	return QCQ_OK;
}

static const char *const show_image_options[] = {"part", "ascii", NULL};

const struct cmd_entry cmd_show_image_entry = {
	.name = "show-image",
	.min_args = 1,
	.max_args = 1,
	.options = show_image_options,
	.usage = "show image I [part=train|val|test] [ascii=1]",
	.help = "Show image I as shading (Unicode blocks in a UTF-8 locale, else ASCII). With a\n"
		"split, I counts the train, val and test images in that order (or within part=);\n"
		"without one it indexes the loaded data.",
	.flags = CMD_F_JOB_SAFE,
	.exec = exec_show_image,
};
