/*
 * report/heatmap.c: a grid of feature maps as one PNG, each map scaled up by an integer
 * factor (nearest neighbour, so pixels stay pixels), captions, a title and a colour bar
 * with labelled ticks. One image's quanvolved channels (4 x 14 x 14, values in [-1, 1])
 * with the diverging map is the typical use.
 */
#include "qcq/report.h"

#include <math.h>
#include <stdlib.h>

#define FS 2
#define GAP 14
#define MARGIN 18
#define BAR_W 22

static void draw_map(struct rep_canvas *c, int x0, int y0, const float *m, int h, int w, int k,
		     enum rep_cmap cmap, double lo, double hi)
{
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double t = (m[(size_t)y * (size_t)w + (size_t)x] - lo) / (hi - lo);
			rep_canvas_fill_rect(c, x0 + x * k, y0 + y * k, x0 + (x + 1) * k,
					     y0 + (y + 1) * k, rep_cmap_color(cmap, t), 1);
		}
	rep_canvas_rect(c, x0 - 1, y0 - 1, x0 + w * k + 1, y0 + h * k + 1, 0x888888);
}

static void draw_bar(struct rep_canvas *c, int x0, int y0, int bh, enum rep_cmap cmap, double lo,
		     double hi)
{
	for (int y = 0; y < bh; y++)
		rep_canvas_fill_rect(c, x0, y0 + y, x0 + BAR_W, y0 + y + 1,
				     rep_cmap_color(cmap, 1.0 - (y + 0.5) / bh), 1);
	rep_canvas_rect(c, x0 - 1, y0 - 1, x0 + BAR_W + 1, y0 + bh + 1, 0x555555);
	double ticks[32], step;
	int nt = rep_nice_ticks(lo, hi, bh > 200 ? 5 : 3, ticks, 32, &step);
	for (int i = 0; i < nt; i++) {
		int y = y0 + (int)lround((1.0 - (ticks[i] - lo) / (hi - lo)) * (bh - 1));
		char buf[32];
		int dec = (int)-floor(log10(step) + 1e-9);
		snprintf(buf, sizeof buf, "%.*f", dec < 0 ? 0 : dec, ticks[i]);
		rep_canvas_fill_rect(c, x0 + BAR_W, y, x0 + BAR_W + 5, y + 1, 0x333333, 1);
		rep_canvas_text(c, x0 + BAR_W + 8, y - 7 * FS / 2, buf, 0x222222, FS);
	}
}

enum qcq_status rep_heatmap_grid_png(const char *path, const float *maps, int n, int h, int w,
				     int cols, enum rep_cmap cmap, double lo, double hi,
				     const char *const *titles, const char *title,
				     struct qcq_error *err)
{
	if (n < 1 || n > 1024 || h < 1 || w < 1 || h > 4096 || w > 4096)
		return qcq_error_set(err, QCQ_ERANGE,
				     "%s: heatmap grid of %d maps of %dx%d out of range "
				     "(1..1024 maps, sides 1..4096)",
				     path, n, h, w);
	size_t total = (size_t)n * (size_t)h * (size_t)w;
	if (!(lo < hi)) {
		lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < total; i++)
			if (isfinite(maps[i]))
				lo = fmin(lo, maps[i]), hi = fmax(hi, maps[i]);
		if (!(lo < hi)) { /* constant or empty: a unit range around it */
			double v = isfinite(lo) ? lo : 0;
			lo = v - 0.5, hi = v + 0.5;
		}
	}
	int side = h > w ? h : w, k = side >= 112 ? 1 : 112 / side;
	if (cols < 1)
		cols = n < 8 ? n : 8;
	if (cols > n)
		cols = n;
	int rows = (n + cols - 1) / cols;
	int cap = titles ? REP_FONT_H * FS + 4 : 0, th = title ? 7 * FS + 18 : 0;
	int cw = w * k, ch = h * k;
	int bar_lab = rep_text_width("-0.00", FS) + 12;
	int W = MARGIN + cols * cw + (cols - 1) * GAP + GAP + 8 + BAR_W + bar_lab + MARGIN;
	int H = MARGIN + th + rows * (cap + ch) + (rows - 1) * GAP + MARGIN;
	if (title && rep_text_width(title, FS) + 2 * MARGIN > W)
		W = rep_text_width(title, FS) + 2 * MARGIN;
	struct rep_canvas c;
	enum qcq_status st = rep_canvas_create(&c, W, H, REP_WHITE, err);
	if (st)
		return qcq_error_prefix(err, "%s", path);
	if (title) {
		rep_canvas_text(&c, MARGIN, MARGIN, title, 0x111111, FS);
		rep_canvas_text(&c, MARGIN + 1, MARGIN, title, 0x111111, FS);
	}
	for (int i = 0; i < n; i++) {
		int x0 = MARGIN + (i % cols) * (cw + GAP);
		int y0 = MARGIN + th + (i / cols) * (cap + ch + GAP);
		if (titles && titles[i]) {
			int fs = rep_text_width(titles[i], FS) <= cw + GAP - 2 ? FS : 1;
			rep_canvas_text(&c, x0, y0, titles[i], 0x222222, fs);
		}
		draw_map(&c, x0, y0 + cap, maps + (size_t)i * (size_t)h * (size_t)w, h, w, k, cmap,
			 lo, hi);
	}
	int grid_h = rows * (cap + ch) + (rows - 1) * GAP - cap;
	draw_bar(&c, MARGIN + cols * cw + (cols - 1) * GAP + GAP + 8, MARGIN + th + cap, grid_h,
		 cmap, lo, hi);
	st = rep_canvas_write_png(&c, path, err);
	rep_canvas_free(&c);
	return st;
}
