/*
 * cmd/cmd-export-png.c: `export png FILE image|heatmap I [scale=K]` -- the picture `show
 * image` or `heatmap` draws, as a PNG: the image in grayscale, or its feature maps side
 * by side in the blue-white-red map over [-1, 1] that the workbench's Data pane draws them
 * in (report's REP_CMAP_DIVERGING: the same data look the same in both).
 * I indexes the split (train, val, test) when there is one, else the loaded data.
 */
#include "cmd-internal.h"
#include "qcq/data.h"
#include "qcq/report.h"

#include <stdlib.h>
#include <string.h>

/* The largest side of an exported picture: user-sized (scale x the data's size), so it
 * is refused before anything is allocated. 8192 x 8192 RGB is 192 MiB. */
#define EXPORT_PNG_MAX_SIDE 8192

/* h x w values in [0, 1] (clamped), each pixel scaled up to scale x scale, as gray. */
static enum qcq_status write_gray(const char *path, const float *px, int h, int w, int scale,
				  struct qcq_error *err)
{
	int oh = h * scale, ow = w * scale;
	uint8_t *g = qcq_alloc_checked((size_t)oh * (size_t)ow, 1, "export png", err);
	if (!g)
		return err->code;
	for (int y = 0; y < oh; y++)
		for (int x = 0; x < ow; x++) {
			float v = px[(size_t)(y / scale) * w + x / scale];
			v = v > 0 ? (v < 1 ? v : 1) : 0; /* NaN too */
			g[(size_t)y * ow + x] = (uint8_t)(v * 255.0f + 0.5f);
		}
	enum qcq_status st = rep_png_write_gray(path, g, ow, oh, err);
	qcq_aligned_free(g);
	return st;
}

static enum qcq_status export_heatmap(struct cmd_ctx *ctx, const char *path, long idx, int scale)
{
	const struct data_features *f = ctx->ws->features;
	int part = 0;
	size_t local = (size_t)idx;
	while (local >= f->n[part])
		local -= f->n[part++];
	const int gap = 4;
	long lh = (long)f->oh * scale, lw = (long)f->c * f->ow * scale + (long)(f->c - 1) * gap;
	if (lh > EXPORT_PNG_MAX_SIDE || lw > EXPORT_PNG_MAX_SIDE)
		return cmd_error(ctx, QCQ_ERANGE, "export png: %d maps of %dx%d at scale %d make "
				 "%ldx%ld px, over %d a side: use a smaller scale", f->c, f->ow,
				 f->oh, scale, lw, lh, EXPORT_PNG_MAX_SIDE);
	int h = (int)lh, w = (int)lw;
	uint8_t *rgb = qcq_alloc_checked((size_t)h * w, 3, "export png", ctx->err);
	if (!rgb)
		return ctx->err->code;
	memset(rgb, 255, (size_t)h * w * 3);
	size_t plane = (size_t)f->oh * f->ow;
	const float *maps = f->part[part] + local * (size_t)f->c * plane;
	for (int c = 0; c < f->c; c++)
		for (int y = 0; y < h; y++)
			for (int x = 0; x < f->ow * scale; x++) {
				float v = maps[(size_t)c * plane + (size_t)(y / scale) * f->ow + x / scale];
				uint8_t *o = rgb + ((size_t)y * w + (size_t)c * (f->ow * scale + gap) + x) * 3;
				uint32_t rgbv = rep_cmap_color(REP_CMAP_DIVERGING, (v + 1) * 0.5);
				o[0] = (uint8_t)(rgbv >> 16), o[1] = (uint8_t)(rgbv >> 8), o[2] = (uint8_t)rgbv;
			}
	enum qcq_status st = rep_png_write_rgb(path, rgb, w, h, ctx->err);
	qcq_aligned_free(rgb);
	if (!st)
		cmd_print(ctx, "wrote %s: %d feature maps of split image %ld, %dx%d px (<Z> over "
			  "[-1, 1]: blue -1, white 0, red +1, as the Data pane)", path, f->c, idx, w, h);
	return st;
}

static enum qcq_status exec_export_png(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	const char *path = cmd_arg(call, 0), *what = cmd_arg(call, 1);
	bool heat = strcmp(what, "heatmap") == 0;
	if (!heat && strcmp(what, "image") != 0)
		return cmd_error(ctx, QCQ_EINVAL, "export png: '%s' is not image or heatmap", what);
	long scale, idx;
	if (cmd_opt_long(ctx, "scale", 1, 32, heat ? 16 : 8, &scale))
		return ctx->err->code;
	if (heat && !ws->features)
		return cmd_error(ctx, QCQ_ESTATE, "no features yet: `classes A B`, then `quanv`");
	if (!ws->data)
		return cmd_error(ctx, QCQ_ESTATE, "no data loaded (load synth, load mnist, ...)");
	const struct data_split *s = ws->split;
	size_t total = s ? data_split_total(s) : ws->data->n;
	if (cmd_parse_long(ctx, "I", cmd_arg(call, 2), 0, (long)total - 1, &idx))
		return ctx->err->code;
	enum qcq_status st;
	if (heat) {
		st = export_heatmap(ctx, path, idx, (int)scale);
	} else {
		const float *img;
		int h = ws->data->h, w = ws->data->w;
		if (s) {
			size_t local;
			const struct data_subset *sub = data_split_locate(s, (size_t)idx, NULL, &local);
			img = sub->images + local * (size_t)h * w;
		} else {
			img = ws->data->images + (size_t)idx * h * w;
		}
		long side = h > w ? h : w;
		if (side * scale > EXPORT_PNG_MAX_SIDE) {
			if (cmd_opt(call, "scale"))
				return cmd_error(ctx, QCQ_ERANGE, "export png: a %dx%d image at scale "
						 "%ld makes %ldx%ld px, over %d a side: use a "
						 "smaller scale", w, h, scale, (long)w * scale,
						 (long)h * scale, EXPORT_PNG_MAX_SIDE);
			scale = side >= EXPORT_PNG_MAX_SIDE ? 1 : EXPORT_PNG_MAX_SIDE / side;
		}
		st = write_gray(path, img, h, w, (int)scale, ctx->err);
		if (!st)
			cmd_print(ctx, "wrote %s: %s image %ld, %ldx%ld px", path, s ? "split" : "data",
				  idx, w * scale, h * scale);
	}
	if (st)
		return st;
	cmd_json_begin(ctx, "export");
	cmd_json_str(ctx, "file", path);
	cmd_json_str(ctx, "what", what);
	cmd_json_int(ctx, "index", idx);
	cmd_json_end(ctx);
	return QCQ_OK;
}

static const char *const export_png_options[] = {"scale", NULL};

const struct cmd_entry cmd_export_png_entry = {
	.name = "export-png",
	.min_args = 3,
	.max_args = 3,
	.options = export_png_options,
	.usage = "export png FILE image|heatmap I [scale=K]",
	.help = "Write image I as a grayscale PNG (scaled up K times, default 8), or its\n"
		"quanvolved feature maps side by side, blue (-1) - white (0) - red (+1) as the\n"
		"workbench draws them\n"
		"(default scale 16). I counts the split's train, val and test images.",
	.exec = exec_export_png,
};
