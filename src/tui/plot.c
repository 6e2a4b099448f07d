/*
 * tui/plot.c: a small line plot for the curves pane — braille dots (2x4 per cell) for
 * the lines when the terminal speaks UTF-8, one '.' per cell otherwise, a marker glyph
 * at the data points (every few when they are dense) so that series differ by shape as
 * well as colour, auto-scaled
 * y axis with three labels, and the x range labelled at both ends.
 */
#include "tui-internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct canvas {
	int w, h;        /* cells */
	int dw, dh;      /* dots: 2w x 4h (UTF-8) or w x h */
	bool braille;
	uint8_t *dots;   /* per cell: braille bits, or 1 = a line passes */
	int8_t *color;   /* per cell: series drawing there last, -1 none */
	int8_t *marker;  /* per cell: series whose marker sits there, -1 none */
};

static void set_dot(struct canvas *cv, int dx, int dy, int series)
{
	static const uint8_t bit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
	if (dx < 0 || dy < 0 || dx >= cv->dw || dy >= cv->dh)
		return;
	int cx = cv->braille ? dx / 2 : dx, cy = cv->braille ? dy / 4 : dy;
	size_t i = (size_t)cy * cv->w + cx;
	cv->dots[i] |= cv->braille ? bit[dy % 4][dx % 2] : 1;
	cv->color[i] = (int8_t)series;
}

static void line(struct canvas *cv, int x0, int y0, int x1, int y1, int series)
{
	int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
	int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
	int e = dx + dy;
	for (int guard = 0; guard < 100000; guard++) {
		set_dot(cv, x0, y0, series);
		if (x0 == x1 && y0 == y1)
			break;
		int e2 = 2 * e;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += sy;
		}
	}
}

static void y_range(const struct tui_series *s, int ns, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int k = 0; k < ns; k++)
		for (size_t i = 0; i < s[k].n; i++)
			if (isfinite(s[k].y[i])) {
				*lo = fmin(*lo, s[k].y[i]);
				*hi = fmax(*hi, s[k].y[i]);
			}
	if (!isfinite(*lo)) {
		*lo = 0;
		*hi = 1;
	} else if (*hi - *lo < 1e-9) {
		*lo -= 0.5;
		*hi += 0.5;
	} else {
		double pad = 0.05 * (*hi - *lo);
		bool nonneg = *lo >= 0; /* losses: the axis does not go below 0 */
		*lo -= pad;
		*hi += pad;
		if (nonneg && *lo < 0)
			*lo = 0;
	}
}

static void draw_canvas(const struct tui *t, WINDOW *w, int y, int x, const struct canvas *cv,
			const struct tui_series *s)
{
	for (int r = 0; r < cv->h; r++) {
		for (int c = 0; c < cv->w; c++) {
			size_t i = (size_t)r * cv->w + c;
			if (cv->marker[i] >= 0) {
				const struct tui_series *m = &s[cv->marker[i]];
				tui_glyph(t, w, y + r, x + c, m->marker, m->ascii,
					  tui_attr(t, m->color) | A_BOLD);
			} else if (cv->dots[i]) {
				attr_t a = tui_attr(t, s[cv->color[i]].color);
				if (cv->braille) {
					char u[4] = {(char)0xe2, (char)(0xa0 | (cv->dots[i] >> 6)),
						     (char)(0x80 | (cv->dots[i] & 0x3f)), 0};
					tui_glyph(t, w, y + r, x + c, u, '.', a);
				} else {
					tui_glyph(t, w, y + r, x + c, NULL, '.', a);
				}
			}
		}
	}
}

void tui_plot(const struct tui *t, WINDOW *w, int y, int x, int h, int wd, const char *title,
	      const struct tui_series *s, int ns, double xmin, double xmax, bool fixed_y,
	      double ymin, double ymax)
{
	const int lab = 7; /* y labels "0.693 " and the axis */
	if (h < 5 || wd < lab + 8)
		return;
	/* title and legend */
	int cx = x + tui_put(w, y, x, wd, title, tui_attr(t, TUI_C_LABEL) | A_BOLD) + 2;
	for (int k = 0; k < ns; k++) {
		tui_glyph(t, w, y, cx, s[k].marker, s[k].ascii, tui_attr(t, s[k].color) | A_BOLD);
		cx += 2;
		cx += tui_put(w, y, cx, x + wd - cx, s[k].name, tui_attr(t, s[k].color)) + 2;
	}
	if (!fixed_y)
		y_range(s, ns, &ymin, &ymax);
	if (!(xmax > xmin))
		xmax = xmin + 1;

	struct canvas cv;
	cv.w = wd - lab;
	cv.h = h - 3;
	cv.braille = t->utf8;
	cv.dw = cv.braille ? 2 * cv.w : cv.w;
	cv.dh = cv.braille ? 4 * cv.h : cv.h;
	size_t cells = (size_t)cv.w * cv.h;
	cv.dots = qcq_xcalloc(cells, 1);
	cv.color = qcq_xmalloc(cells);
	cv.marker = qcq_xmalloc(cells);
	memset(cv.color, -1, cells);
	memset(cv.marker, -1, cells);

	for (int k = 0; k < ns; k++) {
		int px = 0, py = 0;
		bool have = false;
		for (size_t i = 0; i < s[k].n; i++) {
			if (!isfinite(s[k].y[i]))
				continue;
			int dx = (int)lround((s[k].x[i] - xmin) / (xmax - xmin) * (cv.dw - 1));
			int dy = (int)lround((ymax - s[k].y[i]) / (ymax - ymin) * (cv.dh - 1));
			if (have)
				line(&cv, px, py, dx, dy, k);
			else
				set_dot(&cv, dx, dy, k);
			px = dx, py = dy, have = true;
		}
	}
	/* markers last, on top of the lines: at every data point while they are sparse;
	 * with more points than a few per column only every step-th (and the last) gets
	 * one, so the lines stay visible and the series still differ by shape */
	for (int k = 0; k < ns; k++) {
		size_t most = (size_t)(cv.w / 3 > 1 ? cv.w / 3 : 1);
		size_t step = s[k].n > most ? (s[k].n + most - 1) / most : 1;
		for (size_t i = 0; i < s[k].n; i++) {
			if (!isfinite(s[k].y[i]) || (i % step && i + 1 != s[k].n))
				continue;
			int dx = (int)lround((s[k].x[i] - xmin) / (xmax - xmin) * (cv.dw - 1));
			int dy = (int)lround((ymax - s[k].y[i]) / (ymax - ymin) * (cv.dh - 1));
			if (dx < 0 || dy < 0 || dx >= cv.dw || dy >= cv.dh)
				continue;
			int c = cv.braille ? dx / 2 : dx, r = cv.braille ? dy / 4 : dy;
			cv.marker[(size_t)r * cv.w + c] = (int8_t)k;
		}
	}
	draw_canvas(t, w, y + 1, x + lab, &cv, s);
	free(cv.dots);
	free(cv.color);
	free(cv.marker);

	/* axes and labels */
	attr_t ax = tui_attr(t, TUI_C_AXIS);
	for (int r = 0; r < cv.h; r++)
		tui_glyph(t, w, y + 1 + r, x + lab - 1, "│", '|', ax);
	tui_glyph(t, w, y + 1 + cv.h, x + lab - 1, "└", '+', ax);
	tui_hline(t, w, y + 1 + cv.h, x + lab, cv.w, ax);
	tui_putf(w, y + 1, x, lab - 1, ax, "%6.3g", ymax);
	if (cv.h >= 3)
		tui_putf(w, y + 1 + (cv.h - 1) / 2, x, lab - 1, ax, "%6.3g", 0.5 * (ymin + ymax));
	tui_putf(w, y + cv.h, x, lab - 1, ax, "%6.3g", ymin);
	tui_putf(w, y + 2 + cv.h, x + lab, 12, ax, "%g", xmin);
	char right[32];
	snprintf(right, sizeof right, "epoch %g", xmax);
	int rl = (int)strlen(right);
	tui_put(w, y + 2 + cv.h, x + wd - rl, rl, right, ax);
}
