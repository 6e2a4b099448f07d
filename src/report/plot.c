/*
 * report/plot.c: x-y line plots — series with colour, marker and dash, ±std bands,
 * vertical marks, "nice" auto-scaled axes with numeric tick labels, a grid, axis titles,
 * a title and a legend in the least crowded corner.
 *
 * Layout is computed from the font's metrics, so labels never overlap the axes: the left
 * margin grows with the widest y tick label. Everything is drawn at font scale 2
 * (10x14-pixel glyphs), which stays readable when the PNG is shown scaled down.
 */
#include "qcq/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 1000000
#define MAX_VLINES 16
#define FS 2 /* font scale of labels */

struct series {
	char *label;
	double *x, *y;
	size_t n;
	struct rep_style st;
	double *bx, *blo, *bhi; /* band, or NULL */
	size_t bn;
};

struct vline {
	double x;
	char *label;
};

struct rep_plot {
	char *title, *xlabel, *ylabel;
	struct series *s;
	int ns;
	struct vline v[MAX_VLINES];
	int nv;
	bool ylim, int_x;
	double ylo, yhi;
};

static char *dup_or_null(const char *s)
{
	return s && *s ? qcq_xstrdup(s) : NULL;
}

struct rep_plot *rep_plot_create(const char *title, const char *xlabel, const char *ylabel)
{
	struct rep_plot *p = qcq_xcalloc(1, sizeof *p);
	p->title = dup_or_null(title);
	p->xlabel = dup_or_null(xlabel);
	p->ylabel = dup_or_null(ylabel);
	return p;
}

void rep_plot_free(struct rep_plot *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->ns; i++) {
		struct series *s = &p->s[i];
		free(s->label), free(s->x), free(s->y), free(s->bx), free(s->blo), free(s->bhi);
	}
	for (int i = 0; i < p->nv; i++)
		free(p->v[i].label);
	free(p->s), free(p->title), free(p->xlabel), free(p->ylabel);
	free(p);
}

static double *copy_doubles(const double *a, size_t n)
{
	double *d = qcq_xmalloc(n * sizeof *d);
	memcpy(d, a, n * sizeof *d);
	return d;
}

int rep_plot_add_series(struct rep_plot *p, const char *label, const double *x, const double *y,
			size_t n, struct qcq_error *err)
{
	if (n == 0 || n > MAX_POINTS) {
		qcq_error_set(err, QCQ_ERANGE, "series '%s': %zu points (1..%d allowed)",
			      label ? label : "", n, MAX_POINTS);
		return -1;
	}
	p->s = qcq_xrealloc(p->s, (size_t)(p->ns + 1) * sizeof *p->s);
	struct series *s = &p->s[p->ns];
	memset(s, 0, sizeof *s);
	s->label = dup_or_null(label);
	s->x = copy_doubles(x, n);
	s->y = copy_doubles(y, n);
	s->n = n;
	s->st.color = rep_palette(p->ns);
	s->st.marker = (enum rep_marker)(1 + p->ns % (REP_MARK_COUNT - 1));
	s->st.dash = REP_DASH_SOLID;
	s->st.width = 2.5;
	return p->ns++;
}

void rep_plot_set_style(struct rep_plot *p, int series, const struct rep_style *style)
{
	if (series >= 0 && series < p->ns)
		p->s[series].st = *style;
}

struct rep_style rep_plot_get_style(const struct rep_plot *p, int series)
{
	struct rep_style none = {0, REP_MARK_NONE, REP_DASH_SOLID, 0};
	return series >= 0 && series < p->ns ? p->s[series].st : none;
}

enum qcq_status rep_plot_add_band(struct rep_plot *p, int series, const double *x, const double *lo,
				  const double *hi, size_t n, struct qcq_error *err)
{
	if (series < 0 || series >= p->ns)
		return qcq_error_set(err, QCQ_EINVAL, "band: no series %d (plot has %d)", series,
				     p->ns);
	if (n < 1 || n > MAX_POINTS)
		return qcq_error_set(err, QCQ_ERANGE, "band: %zu points (1..%d allowed)", n,
				     MAX_POINTS);
	struct series *s = &p->s[series];
	free(s->bx), free(s->blo), free(s->bhi);
	s->bx = copy_doubles(x, n);
	s->blo = copy_doubles(lo, n);
	s->bhi = copy_doubles(hi, n);
	s->bn = n;
	return QCQ_OK;
}

int rep_plot_add_mean_std(struct rep_plot *p, const char *label, const double *x,
			  const double *mean, const double *std, size_t n, struct qcq_error *err)
{
	int k = rep_plot_add_series(p, label, x, mean, n, err);
	if (k < 0)
		return -1;
	double *lo = qcq_xmalloc(n * sizeof *lo), *hi = qcq_xmalloc(n * sizeof *hi);
	for (size_t i = 0; i < n; i++) {
		lo[i] = mean[i] - std[i];
		hi[i] = mean[i] + std[i];
	}
	enum qcq_status st = rep_plot_add_band(p, k, x, lo, hi, n, err);
	free(lo), free(hi);
	return st ? -1 : k;
}

void rep_plot_set_ylim(struct rep_plot *p, double lo, double hi)
{
	if (lo < hi) {
		p->ylim = true;
		p->ylo = lo;
		p->yhi = hi;
	}
}

void rep_plot_set_integer_x(struct rep_plot *p, bool on)
{
	p->int_x = on;
}

void rep_plot_add_vline(struct rep_plot *p, double x, const char *label)
{
	if (p->nv >= MAX_VLINES || !isfinite(x))
		return;
	p->v[p->nv].x = x;
	p->v[p->nv].label = dup_or_null(label);
	p->nv++;
}

/* ---------------------------------------------------------------- axes */

int rep_nice_ticks(double lo, double hi, int target, double *ticks, int max, double *step)
{
	if (!(hi > lo) || target < 1 || max < 1)
		return 0;
	double raw = (hi - lo) / target, mag = pow(10, floor(log10(raw))), f = raw / mag;
	double st = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
	int n = 0;
	for (double k = ceil(lo / st - 1e-9); n < max; k++) {
		double t = k * st;
		if (t > hi + st * 1e-9)
			break;
		ticks[n++] = fabs(t) < st * 1e-9 ? 0 : t;
	}
	if (step)
		*step = st;
	return n;
}

static void format_tick(char *buf, size_t size, double v, double step)
{
	if (fabs(v) >= 1e5 || (fabs(v) > 0 && fabs(v) < 1e-4)) {
		snprintf(buf, size, "%.3g", v);
		return;
	}
	int dec = (int)-floor(log10(step) + 1e-9);
	snprintf(buf, size, "%.*f", dec < 0 ? 0 : dec, v);
}

struct range {
	double lo, hi;
};

static void range_add(struct range *r, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			r->lo = fmin(r->lo, v[i]);
			r->hi = fmax(r->hi, v[i]);
		}
}

/* Data ranges padded by 4% (x: none when integer epochs), degenerate ranges widened. */
static void plot_ranges(const struct rep_plot *p, struct range *xr, struct range *yr)
{
	*xr = (struct range){INFINITY, -INFINITY};
	*yr = (struct range){INFINITY, -INFINITY};
	for (int i = 0; i < p->ns; i++) {
		const struct series *s = &p->s[i];
		range_add(xr, s->x, s->n);
		range_add(yr, s->y, s->n);
		if (s->bn) {
			range_add(xr, s->bx, s->bn);
			range_add(yr, s->blo, s->bn);
			range_add(yr, s->bhi, s->bn);
		}
	}
	if (!(xr->lo <= xr->hi))
		*xr = (struct range){0, 1};
	if (!(yr->lo <= yr->hi))
		*yr = (struct range){0, 1};
	if (xr->hi - xr->lo < 1e-12) {
		double d = fmax(fabs(xr->lo) * 0.1, 0.5);
		xr->lo -= d, xr->hi += d;
	} else {
		/* room for the first and last markers, also on integer (epoch) axes */
		double d = (xr->hi - xr->lo) * 0.025;
		xr->lo -= d, xr->hi += d;
	}
	if (yr->hi - yr->lo < 1e-12) {
		double d = fmax(fabs(yr->lo) * 0.1, 0.5);
		yr->lo -= d, yr->hi += d;
	} else {
		double d = (yr->hi - yr->lo) * 0.05;
		yr->lo -= d, yr->hi += d;
	}
	if (p->ylim)
		*yr = (struct range){p->ylo, p->yhi};
}

/* ---------------------------------------------------------------- drawing */

struct frame {
	int x0, y0, x1, y1; /* plot area in pixels */
	struct range xr, yr;
};

static double px_x(const struct frame *f, double x)
{
	return f->x0 + (x - f->xr.lo) / (f->xr.hi - f->xr.lo) * (f->x1 - f->x0);
}

static double px_y(const struct frame *f, double y)
{
	return f->y1 - (y - f->yr.lo) / (f->yr.hi - f->yr.lo) * (f->y1 - f->y0);
}

static void draw_series(struct rep_canvas *c, const struct frame *f, const struct series *s)
{
	double *xs = qcq_xmalloc(s->n * sizeof *xs), *ys = qcq_xmalloc(s->n * sizeof *ys);
	for (size_t i = 0; i < s->n; i++) {
		xs[i] = px_x(f, s->x[i]);
		ys[i] = px_y(f, s->y[i]);
	}
	rep_canvas_polyline(c, xs, ys, s->n, s->st.color, s->st.width, s->st.dash);
	size_t stride = s->n > 25 ? (s->n + 24) / 25 : 1;
	for (size_t i = 0; i < s->n; i += stride)
		rep_canvas_marker(c, xs[i], ys[i], s->st.marker, 3.6 * s->st.width, s->st.color);
	free(xs), free(ys);
}

static void draw_band(struct rep_canvas *c, const struct frame *f, const struct series *s)
{
	double *xs = qcq_xmalloc(s->bn * sizeof *xs), *lo = qcq_xmalloc(s->bn * sizeof *lo),
	       *hi = qcq_xmalloc(s->bn * sizeof *hi);
	for (size_t i = 0; i < s->bn; i++) {
		xs[i] = px_x(f, s->bx[i]);
		lo[i] = px_y(f, s->blo[i]);
		hi[i] = px_y(f, s->bhi[i]);
	}
	rep_canvas_band(c, xs, lo, hi, s->bn, s->st.color, 0.2);
	free(xs), free(lo), free(hi);
}

/* Legend: a sample of each style and its label, in the corner with fewest points. */
static void draw_legend(const struct rep_plot *p, struct rep_canvas *c, const struct frame *f)
{
	int n = 0, lw = 0;
	for (int i = 0; i < p->ns; i++)
		if (p->s[i].label) {
			n++;
			int w = rep_text_width(p->s[i].label, FS);
			lw = w > lw ? w : lw;
		}
	if (!n)
		return;
	int row = REP_FONT_H * FS + 8, sample = 44, pad = 10;
	int bw = pad + sample + 10 + lw + pad, bh = pad + n * row - 8 + pad, inset = 10;
	int best = -1, best_score = 0, bx = 0, by = 0;
	for (int corner = 0; corner < 4; corner++) {
		/* order of preference: top right, bottom right, top left, bottom left */
		int cx = corner < 2 ? f->x1 - inset - bw : f->x0 + inset;
		int cy = corner % 2 == 0 ? f->y0 + inset : f->y1 - inset - bh;
		int score = 0;
		for (int i = 0; i < p->ns; i++) {
			const struct series *s = &p->s[i];
			for (size_t k = 0; k < s->n; k++) {
				double x = px_x(f, s->x[k]), y = px_y(f, s->y[k]);
				score += x >= cx - 6 && x <= cx + bw + 6 && y >= cy - 6 &&
					 y <= cy + bh + 6;
			}
		}
		if (best < 0 || score < best_score)
			best = corner, best_score = score, bx = cx, by = cy;
	}
	rep_canvas_fill_rect(c, bx, by, bx + bw, by + bh, REP_WHITE, 0.88);
	rep_canvas_rect(c, bx, by, bx + bw, by + bh, 0x999999);
	int y = by + pad;
	for (int i = 0; i < p->ns; i++) {
		const struct series *s = &p->s[i];
		if (!s->label)
			continue;
		double cy = y + 7.0 * FS / 2 + 0.5;
		if (s->bn)
			rep_canvas_fill_rect(c, bx + pad, (int)cy - 7, bx + pad + sample, (int)cy + 8,
					     s->st.color, 0.2);
		double xs[2] = {bx + pad, bx + pad + sample}, ys[2] = {cy, cy};
		rep_canvas_polyline(c, xs, ys, 2, s->st.color, s->st.width, s->st.dash);
		rep_canvas_marker(c, bx + pad + sample / 2.0, cy, s->st.marker, 3.6 * s->st.width,
				  s->st.color);
		rep_canvas_text(c, bx + pad + sample + 10, y, s->label, 0x222222, FS);
		y += row;
	}
}

static void draw_axes(const struct rep_plot *p, struct rep_canvas *c, const struct frame *f,
		      const double *xt, int nxt, double xstep, const double *yt, int nyt,
		      double ystep)
{
	char buf[64];
	for (int i = 0; i < nxt; i++) {
		int x = (int)lround(px_x(f, xt[i]));
		rep_canvas_fill_rect(c, x, f->y1, x + 1, f->y1 + 6, 0x333333, 1);
		format_tick(buf, sizeof buf, xt[i], xstep);
		rep_canvas_text(c, x - rep_text_width(buf, FS) / 2, f->y1 + 10, buf, 0x222222, FS);
	}
	for (int i = 0; i < nyt; i++) {
		int y = (int)lround(px_y(f, yt[i]));
		rep_canvas_fill_rect(c, f->x0 - 6, y, f->x0, y + 1, 0x333333, 1);
		format_tick(buf, sizeof buf, yt[i], ystep);
		rep_canvas_text(c, f->x0 - 10 - rep_text_width(buf, FS), y - 7 * FS / 2, buf,
				0x222222, FS);
	}
	rep_canvas_rect(c, f->x0, f->y0, f->x1 + 1, f->y1 + 1, 0x333333);
}

void rep_plot_draw(const struct rep_plot *p, struct rep_canvas *c, int x, int y, int w, int h)
{
	struct frame f;
	plot_ranges(p, &f.xr, &f.yr);
	double xt[64], yt[64], xstep = 1, ystep = 1;
	int nyt = rep_nice_ticks(f.yr.lo, f.yr.hi, h > 400 ? 6 : 4, yt, 64, &ystep);
	int nxt = rep_nice_ticks(f.xr.lo, f.xr.hi, w > 700 ? 8 : 5, xt, 64, &xstep);
	if (p->int_x && xstep < 1)
		nxt = rep_nice_ticks(f.xr.lo, f.xr.hi, (int)fmax(1, f.xr.hi - f.xr.lo), xt, 64,
				     &xstep);
	/* margins from the labels they hold */
	char buf[64];
	int yw = 0;
	for (int i = 0; i < nyt; i++) {
		format_tick(buf, sizeof buf, yt[i], ystep);
		int tw = rep_text_width(buf, FS);
		yw = tw > yw ? tw : yw;
	}
	int th = 7 * FS; /* cap height */
	f.x0 = x + 12 + (p->ylabel ? th + 14 : 0) + yw + 10;
	f.x1 = x + w - 24;
	bool vlabels = false;
	for (int i = 0; i < p->nv; i++)
		vlabels = vlabels || p->v[i].label;
	f.y0 = y + (p->title ? 16 + th + 16 : 20) + (vlabels ? th + 8 : 0);
	f.y1 = y + h - (10 + th + 12 + (p->xlabel ? th + 16 : 0));
	if (f.x1 - f.x0 < 20 || f.y1 - f.y0 < 20)
		return; /* too small to draw anything readable */

	for (int i = 0; i < nyt; i++) {
		int py = (int)lround(px_y(&f, yt[i]));
		rep_canvas_fill_rect(c, f.x0, py, f.x1, py + 1, 0xe3e3e3, 1);
	}
	for (int i = 0; i < nxt; i++) {
		int px = (int)lround(px_x(&f, xt[i]));
		rep_canvas_fill_rect(c, px, f.y0, px + 1, f.y1, 0xe3e3e3, 1);
	}
	rep_canvas_set_clip(c, f.x0, f.y0, f.x1 + 1, f.y1 + 1);
	for (int i = 0; i < p->ns; i++)
		if (p->s[i].bn)
			draw_band(c, &f, &p->s[i]);
	for (int i = 0; i < p->nv; i++) {
		double vx = px_x(&f, p->v[i].x);
		rep_canvas_polyline(c, (double[]){vx, vx}, (double[]){f.y0, f.y1}, 2, 0x777777, 1.5,
				    REP_DASH_DOTTED);
		if (p->v[i].label) {
			/* above the frame (the margin has room for it), on the side with more room */
			int tw = rep_text_width(p->v[i].label, FS), lx = (int)vx + 6;
			if (lx + tw + 4 > f.x1)
				lx = (int)vx - 6 - tw;
			rep_canvas_reset_clip(c);
			rep_canvas_text(c, lx, f.y0 - 7 * FS - 5, p->v[i].label, 0x555555, FS);
			rep_canvas_set_clip(c, f.x0, f.y0, f.x1 + 1, f.y1 + 1);
		}
	}
	for (int i = 0; i < p->ns; i++)
		draw_series(c, &f, &p->s[i]);
	draw_legend(p, c, &f);
	rep_canvas_reset_clip(c);
	draw_axes(p, c, &f, xt, nxt, xstep, yt, nyt, ystep);

	if (p->title) {
		int tx = (f.x0 + f.x1) / 2 - rep_text_width(p->title, FS) / 2;
		rep_canvas_text(c, tx, y + 16, p->title, 0x111111, FS);
		rep_canvas_text(c, tx + 1, y + 16, p->title, 0x111111, FS); /* bold */
	}
	if (p->xlabel)
		rep_canvas_text(c, (f.x0 + f.x1) / 2 - rep_text_width(p->xlabel, FS) / 2,
				y + h - 10 - th, p->xlabel, 0x222222, FS);
	if (p->ylabel)
		rep_canvas_text_up(c, x + 12, (f.y0 + f.y1) / 2 + rep_text_width(p->ylabel, FS) / 2,
				   p->ylabel, 0x222222, FS);
}

enum qcq_status rep_plot_write_png(const struct rep_plot *p, const char *path, int w, int h,
				   struct qcq_error *err)
{
	if (w < 200 || h < 200 || w > REP_MAX_SIDE || h > REP_MAX_SIDE)
		return qcq_error_set(err, QCQ_ERANGE, "%s: plot size %dx%d out of range (200..%d)",
				     path, w, h, REP_MAX_SIDE);
	struct rep_canvas c;
	enum qcq_status st = rep_canvas_create(&c, w, h, REP_WHITE, err);
	if (st)
		return st;
	rep_plot_draw(p, &c, 0, 0, w, h);
	st = rep_canvas_write_png(&c, path, err);
	rep_canvas_free(&c);
	return st;
}
