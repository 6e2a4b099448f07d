/*
 * report/canvas.c: a small RGB raster with the few primitives plots need — blended
 * pixels, rectangles, anti-aliased thick polylines with dash patterns, filled bands,
 * markers and bitmap text.
 *
 * Anti-aliasing is by coverage: a polyline first computes, per pixel, the largest
 * coverage over its segments and only then blends, so joints do not darken; markers are
 * supersampled 4x4. Coordinates are pixels, origin top left, pixel centres at +0.5.
 */
#include "qcq/report.h"

#include "font.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum qcq_status rep_canvas_create(struct rep_canvas *c, int w, int h, uint32_t bg,
				  struct qcq_error *err)
{
	if (w < 1 || h < 1 || w > REP_MAX_SIDE || h > REP_MAX_SIDE)
		return qcq_error_set(err, QCQ_ERANGE, "canvas size %dx%d out of range (1..%d)", w, h,
				     REP_MAX_SIDE);
	c->rgb = qcq_xcalloc((size_t)w * (size_t)h, 3);
	c->w = w;
	c->h = h;
	rep_canvas_reset_clip(c);
	rep_canvas_fill_rect(c, 0, 0, w, h, bg, 1.0);
	return QCQ_OK;
}

void rep_canvas_free(struct rep_canvas *c)
{
	free(c->rgb);
	memset(c, 0, sizeof *c);
}

uint32_t rep_canvas_get(const struct rep_canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return 0;
	const uint8_t *p = c->rgb + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
	return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

void rep_canvas_set_clip(struct rep_canvas *c, int x0, int y0, int x1, int y1)
{
	c->clip_x0 = x0 < 0 ? 0 : x0;
	c->clip_y0 = y0 < 0 ? 0 : y0;
	c->clip_x1 = x1 > c->w ? c->w : x1;
	c->clip_y1 = y1 > c->h ? c->h : y1;
}

void rep_canvas_reset_clip(struct rep_canvas *c)
{
	rep_canvas_set_clip(c, 0, 0, c->w, c->h);
}

void rep_canvas_blend(struct rep_canvas *c, int x, int y, uint32_t color, double a)
{
	if (x < c->clip_x0 || y < c->clip_y0 || x >= c->clip_x1 || y >= c->clip_y1 || !(a > 0))
		return;
	if (a > 1)
		a = 1;
	uint8_t *p = c->rgb + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
	if (a >= 1) { /* opaque: exact, and the old pixel is not read */
		p[0] = (uint8_t)(color >> 16), p[1] = (uint8_t)(color >> 8), p[2] = (uint8_t)color;
		return;
	}
	for (int k = 0; k < 3; k++) {
		double src = (double)((color >> (16 - 8 * k)) & 0xff);
		p[k] = (uint8_t)lround(p[k] + a * (src - p[k]));
	}
}

void rep_canvas_fill_rect(struct rep_canvas *c, int x0, int y0, int x1, int y1, uint32_t color,
			  double a)
{
	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > c->w ? c->w : x1;
	y1 = y1 > c->h ? c->h : y1;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			rep_canvas_blend(c, x, y, color, a);
}

void rep_canvas_rect(struct rep_canvas *c, int x0, int y0, int x1, int y1, uint32_t color)
{
	rep_canvas_fill_rect(c, x0, y0, x1, y0 + 1, color, 1);
	rep_canvas_fill_rect(c, x0, y1 - 1, x1, y1, color, 1);
	rep_canvas_fill_rect(c, x0, y0, x0 + 1, y1, color, 1);
	rep_canvas_fill_rect(c, x1 - 1, y0, x1, y1, color, 1);
}

/* Dash patterns as on/off lengths in units of max(1, width/2) pixels; 0 ends. */
static const double dash_patterns[REP_DASH_COUNT][5] = {
	[REP_DASH_SOLID] = {0},
	[REP_DASH_DASHED] = {9, 5, 0},
	[REP_DASH_DOTTED] = {1.5, 3.5, 0},
	[REP_DASH_DASHDOT] = {9, 3.5, 1.5, 3.5, 0},
};

/* Is position s (pixels along the line) in an "on" part of the pattern? */
static bool dash_on(enum rep_dash dash, double s, double unit)
{
	const double *pat = dash_patterns[dash];
	if (dash == REP_DASH_SOLID)
		return true;
	double period = 0;
	for (int i = 0; pat[i] > 0; i++)
		period += pat[i] * unit;
	double ph = fmod(s, period), acc = 0;
	for (int i = 0; pat[i] > 0; i++) {
		acc += pat[i] * unit;
		if (ph < acc)
			return (i % 2) == 0;
	}
	return false;
}

struct cover {
	int x0, y0, w, h;
	float *a;
};

static void cover_segment(struct cover *cv, double ax, double ay, double bx, double by, double hw,
			  enum rep_dash dash, double s0, double unit)
{
	double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, len = sqrt(l2);
	int xa = (int)floor(fmin(ax, bx) - hw - 1), xb = (int)ceil(fmax(ax, bx) + hw + 1);
	int ya = (int)floor(fmin(ay, by) - hw - 1), yb = (int)ceil(fmax(ay, by) + hw + 1);
	xa = xa < cv->x0 ? cv->x0 : xa;
	ya = ya < cv->y0 ? cv->y0 : ya;
	xb = xb > cv->x0 + cv->w ? cv->x0 + cv->w : xb;
	yb = yb > cv->y0 + cv->h ? cv->y0 + cv->h : yb;
	for (int y = ya; y < yb; y++) {
		for (int x = xa; x < xb; x++) {
			double px = x + 0.5 - ax, py = y + 0.5 - ay;
			double t = l2 > 0 ? (px * dx + py * dy) / l2 : 0;
			t = t < 0 ? 0 : t > 1 ? 1 : t;
			double ex = px - t * dx, ey = py - t * dy;
			double cov = hw + 0.5 - sqrt(ex * ex + ey * ey);
			if (cov <= 0 || !dash_on(dash, s0 + t * len, unit))
				continue;
			float *slot = &cv->a[(size_t)(y - cv->y0) * (size_t)cv->w + (size_t)(x - cv->x0)];
			if (cov > *slot)
				*slot = (float)(cov > 1 ? 1 : cov);
		}
	}
}

void rep_canvas_polyline(struct rep_canvas *c, const double *xs, const double *ys, size_t n,
			 uint32_t color, double width, enum rep_dash dash)
{
	double hw = width / 2, unit = width / 2 > 1 ? width / 2 : 1;
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(xs[i]) || !isfinite(ys[i]))
			continue;
		x0 = fmin(x0, xs[i]), x1 = fmax(x1, xs[i]);
		y0 = fmin(y0, ys[i]), y1 = fmax(y1, ys[i]);
	}
	if (!(x0 <= x1))
		return;
	struct cover cv;
	cv.x0 = (int)fmax(0, floor(x0 - hw - 2));
	cv.y0 = (int)fmax(0, floor(y0 - hw - 2));
	int xe = (int)fmin(c->w, ceil(x1 + hw + 2)), ye = (int)fmin(c->h, ceil(y1 + hw + 2));
	if (xe <= cv.x0 || ye <= cv.y0)
		return;
	cv.w = xe - cv.x0;
	cv.h = ye - cv.y0;
	cv.a = qcq_xcalloc((size_t)cv.w * (size_t)cv.h, sizeof(float));
	double s = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (!isfinite(xs[i]) || !isfinite(ys[i]) || !isfinite(xs[i + 1]) ||
		    !isfinite(ys[i + 1]))
			continue; /* a gap in the data breaks the line */
		cover_segment(&cv, xs[i], ys[i], xs[i + 1], ys[i + 1], hw, dash, s, unit);
		s += hypot(xs[i + 1] - xs[i], ys[i + 1] - ys[i]);
	}
	for (int y = 0; y < cv.h; y++)
		for (int x = 0; x < cv.w; x++)
			rep_canvas_blend(c, cv.x0 + x, cv.y0 + y, color,
					 cv.a[(size_t)y * (size_t)cv.w + (size_t)x]);
	free(cv.a);
}

void rep_canvas_line(struct rep_canvas *c, double x0, double y0, double x1, double y1,
		     uint32_t color, double width)
{
	double xs[2] = {x0, x1}, ys[2] = {y0, y1};
	rep_canvas_polyline(c, xs, ys, 2, color, width, REP_DASH_SOLID);
}

void rep_canvas_band(struct rep_canvas *c, const double *xs, const double *lo,
		     const double *hi, size_t n, uint32_t color, double a)
{
	if (n < 2)
		return;
	size_t i = 0;
	int xa = (int)fmax(0, ceil(xs[0] - 0.5)), xb = (int)fmin(c->w - 1, floor(xs[n - 1] - 0.5));
	for (int px = xa; px <= xb; px++) {
		double x = px + 0.5;
		while (i + 2 < n && xs[i + 1] < x)
			i++;
		double dx = xs[i + 1] - xs[i];
		if (!(dx > 0) || !isfinite(lo[i]) || !isfinite(hi[i]) || !isfinite(lo[i + 1]) ||
		    !isfinite(hi[i + 1]))
			continue;
		double f = (x - xs[i]) / dx;
		f = f < 0 ? 0 : f > 1 ? 1 : f;
		double l = lo[i] + f * (lo[i + 1] - lo[i]), h = hi[i] + f * (hi[i + 1] - hi[i]);
		int ya = (int)lround(fmin(l, h)), yb = (int)lround(fmax(l, h));
		for (int y = ya; y <= yb; y++)
			rep_canvas_blend(c, px, y, color, a);
	}
}

static bool marker_inside(enum rep_marker m, double dx, double dy, double r)
{
	double t = r * 0.28; /* stroke half-width of cross and plus */
	switch (m) {
	case REP_MARK_CIRCLE:
		return dx * dx + dy * dy <= r * r;
	case REP_MARK_SQUARE:
		return fabs(dx) <= r * 0.82 && fabs(dy) <= r * 0.82;
	case REP_MARK_TRIANGLE:
		return dy <= 0.62 * r && dy >= -r && fabs(dx) <= (dy + r) * 0.62;
	case REP_MARK_DIAMOND:
		return fabs(dx) + fabs(dy) <= r * 1.1;
	case REP_MARK_CROSS:
		return fmax(fabs(dx), fabs(dy)) <= r * 0.8 &&
		       (fabs(dx - dy) <= t * 1.41 || fabs(dx + dy) <= t * 1.41);
	case REP_MARK_PLUS:
		return (fabs(dx) <= t && fabs(dy) <= r) || (fabs(dy) <= t && fabs(dx) <= r);
	case REP_MARK_NONE:
	case REP_MARK_COUNT:
		break;
	}
	return false;
}

void rep_canvas_marker(struct rep_canvas *c, double x, double y, enum rep_marker m,
		       double size, uint32_t color)
{
	if (m == REP_MARK_NONE || !isfinite(x) || !isfinite(y))
		return;
	double r = size / 2;
	int xa = (int)floor(x - r - 1), xb = (int)ceil(x + r + 1);
	int ya = (int)floor(y - r - 1), yb = (int)ceil(y + r + 1);
	for (int py = ya; py < yb; py++) {
		for (int px = xa; px < xb; px++) {
			int hits = 0;
			for (int sy = 0; sy < 4; sy++)
				for (int sx = 0; sx < 4; sx++)
					hits += marker_inside(m, px + (sx + 0.5) / 4 - x,
							      py + (sy + 0.5) / 4 - y, r);
			rep_canvas_blend(c, px, py, color, hits / 16.0);
		}
	}
}

int rep_text_width(const char *s, int scale)
{
	size_t n = strlen(s);
	return n ? (int)(n * REP_FONT_W - 1) * scale : 0;
}

void rep_canvas_text(struct rep_canvas *c, int x, int y, const char *s, uint32_t color,
		     int scale)
{
	for (int i = 0; s[i]; i++) {
		int gx = x + i * REP_FONT_W * scale;
		for (int fy = 0; fy < 9; fy++)
			for (int fx = 0; fx < 5; fx++)
				if (rep_font_pixel((unsigned char)s[i], fx, fy))
					rep_canvas_fill_rect(c, gx + fx * scale, y + fy * scale,
							     gx + (fx + 1) * scale,
							     y + (fy + 1) * scale, color, 1);
	}
}

void rep_canvas_text_up(struct rep_canvas *c, int x, int y, const char *s, uint32_t color,
			int scale)
{
	/* glyph pixel (fx, fy) of character i goes to (x + fy, y - (i*W + fx)) */
	for (int i = 0; s[i]; i++) {
		int gy = y - i * REP_FONT_W * scale;
		for (int fy = 0; fy < 9; fy++)
			for (int fx = 0; fx < 5; fx++)
				if (rep_font_pixel((unsigned char)s[i], fx, fy))
					rep_canvas_fill_rect(c, x + fy * scale, gy - (fx + 1) * scale,
							     x + (fy + 1) * scale, gy - fx * scale,
							     color, 1);
	}
}
