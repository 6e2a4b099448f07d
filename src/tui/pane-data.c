/*
 * tui/pane-data.c: the data pane — the current image (ws->cur_image) and its
 * quanvolved feature maps (ws->features) as heat maps side by side, with the class
 * label, the split part it belongs to and the model's prediction when one is built.
 *
 * Pictures are drawn with half blocks (two pixels per cell, one above the other) and
 * shrunk by whole factors (area averaging) until they fit; the layout tries the
 * feature maps in one row, then in a grid, and picks the largest that fits.
 * ws->cur_image counts the split's images (train, val, test) as `show image` does, or
 * the data set's without a split. Prediction runs the model only while no job trains it.
 */
#include "tui-internal.h"

#include "qcq/data.h"
#include "qcq/qml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Smallest whole factor f with ceil(h/f/2) <= rows and ceil(w/f) <= cols (0: none);
 * a negative f magnifies by -f (up to max_mag) when even that fits. */
static int fit_factor(int h, int w, int rows, int cols, int max_mag)
{
	if (rows < 1 || cols < 1)
		return 0;
	for (int m = max_mag; m >= 2; m--)
		if ((h * m + 1) / 2 <= rows && w * m <= cols)
			return -m;
	for (int f = 1; f <= 64; f++)
		if ((h / f + (h % f != 0) + 1) / 2 <= rows && w / f + (w % f != 0) <= cols)
			return f;
	return 0;
}

/* Area-average v (h x w) by f into out ((h/f rounded up) x (w/f rounded up)), or
 * repeat each pixel -f times each way when f < 0. */
static float *shrink(const float *v, int h, int w, int f, int *oh, int *ow)
{
	if (f < 0) {
		int m = -f;
		*oh = h * m;
		*ow = w * m;
		float *o = qcq_xmalloc((size_t)*oh * *ow * sizeof *o);
		for (int r = 0; r < *oh; r++)
			for (int c = 0; c < *ow; c++)
				o[(size_t)r * *ow + c] = v[(size_t)(r / m) * w + c / m];
		return o;
	}
	*oh = (h + f - 1) / f;
	*ow = (w + f - 1) / f;
	float *o = qcq_xcalloc((size_t)*oh * *ow, sizeof *o);
	for (int r = 0; r < *oh; r++)
		for (int c = 0; c < *ow; c++) {
			double s = 0;
			int n = 0;
			for (int i = r * f; i < h && i < (r + 1) * f; i++)
				for (int j = c * f; j < w && j < (c + 1) * f; j++)
					s += v[(size_t)i * w + j], n++;
			o[(size_t)r * *ow + c] = (float)(s / (n ? n : 1));
		}
	return o;
}

static int picture(const struct tui *t, WINDOW *win, int y, int x, const float *v, int h, int w,
		   int f, float lo, float hi, enum tui_ramp ramp)
{
	int sh, sw;
	float *s = shrink(v, h, w, f, &sh, &sw);
	tui_heatmap(t, win, y, x, s, sh, sw, lo, hi, ramp);
	free(s);
	return sw;
}

/* Mark the pixels [r0, r1) x [c0, c1) of a picture drawn at (y, x) with factor f (see
 * fit_factor) by overwriting the cells they fall in with the marker glyph: a cell
 * holds two pixel rows, so a pixel that shares its cell is marked too. */
static void mark_pixels(const struct tui *t, WINDOW *win, int y, int x, int f, int r0, int c0,
			int r1, int c1)
{
	int m = f < 0 ? -f : 1, d = f > 0 ? f : 1;
	int dr0 = r0 * m / d, dr1 = (r1 * m - 1) / d;
	int dc0 = c0 * m / d, dc1 = (c1 * m - 1) / d;
	for (int cy = dr0 / 2; cy <= dr1 / 2; cy++)
		for (int cx = dc0; cx <= dc1; cx++)
			tui_glyph(t, win, y + cy, x + cx, "▣", 'X', tui_attr(t, TUI_C_MARK));
}

/* The patch `patch` loaded, if it belongs to the image shown and fits it: the feature
 * pixel (row, col) and the k x k image pixels at (row*stride, col*stride). */
struct patch_mark {
	bool on;
	int row, col, k, stride;
};

static struct patch_mark patch_of(const struct cmd_workspace *ws, int h, int w)
{
	struct patch_mark pm = {0};
	if (ws->cur_patch_row < 0 || ws->cur_patch_col < 0 || !ws->filter)
		return pm;
	pm.row = ws->cur_patch_row, pm.col = ws->cur_patch_col;
	pm.k = qml_filter_patch(ws->filter), pm.stride = qml_filter_stride(ws->filter);
	/* a filter changed since `patch` ran may no longer fit: then there is no mark */
	pm.on = pm.k > 0 && pm.row * pm.stride + pm.k <= h && pm.col * pm.stride + pm.k <= w;
	return pm;
}

/* The image the pane shows: with a split, ws->cur_image counts train, then val, then
 * test (as `show image` does); without one it indexes the loaded data set. */
struct shown {
	const float *img;
	int h, w;
	long k, total;
	bool in_split;
	int part;
	size_t local;
	int cls;      /* class in the data set, -1 unknown */
	int side;     /* the task's label (0/1), -1 without a split */
};

static struct shown resolve(const struct cmd_workspace *ws)
{
	struct shown s = {0};
	const struct data_set *ds = ws->data;
	s.h = ds->h, s.w = ds->w, s.side = -1;
	const struct data_split *sp = ws->split;
	s.total = sp ? (long)data_split_total(sp) : (long)ds->n;
	s.k = ws->cur_image < 0 || ws->cur_image >= s.total ? 0 : ws->cur_image;
	if (sp && s.total > 0) {
		const struct data_subset *sub = data_split_locate(sp, (size_t)s.k, &s.part, &s.local);
		s.in_split = true;
		s.h = sp->h, s.w = sp->w;
		s.img = sub->images + s.local * (size_t)s.h * s.w;
		s.side = sub->labels[s.local];
		s.cls = sub->index[s.local] < ds->n ? ds->labels[sub->index[s.local]] : -1;
	} else {
		s.img = ds->images + (size_t)s.k * ds->h * ds->w;
		s.cls = ds->labels[s.k];
	}
	return s;
}

/* Side i's name for the pane, a merged side cut to its first class. */
static void side_short(const struct data_split *sp, int i, char out[32])
{
	snprintf(out, 32, "%.*s", (int)strcspn(sp->side_name[i], "+"), sp->side_name[i]);
}

/* Row 1: which image, its class and side, and the model's verdict. When the verdict
 * does not fit there it goes on rows alt_y, alt_y + 1 (alt_w columns) under the image,
 * if there are such rows (alt_y < 0: none); returns the last row used. */
static int draw_info(struct tui *t, struct tui_pane *p, const struct shown *s, int alt_y,
		     int alt_w)
{
	struct cmd_workspace *ws = t->ws;
	const struct data_set *ds = ws->data;
	attr_t lab = tui_attr(t, TUI_C_LABEL), val = tui_attr(t, TUI_C_VALUE);
	int x = tui_putf(p->win, 1, 0, p->cw, lab, "image ");
	x += tui_putf(p->win, 1, x, p->cw - x, val, "%ld", s->k);
	x += tui_putf(p->win, 1, x, p->cw - x, lab, "/%ld", s->total);
	if (s->in_split)
		x += tui_putf(p->win, 1, x, p->cw - x, lab, " (%s #%zu)", data_part_names[s->part],
			      s->local);
	if (s->cls >= 0 && s->cls < ds->nclasses) {
		x += tui_put(p->win, 1, x, p->cw - x, "  class ", lab);
		x += tui_put(p->win, 1, x, p->cw - x, ds->class_names[s->cls], val);
	}
	if (!s->in_split)
		return 1;
	/* the task's label (0 .. K-1) of the image, named by its side of the task: a merged
	 * side ("glioma_tumor+...") is cut to its first class */
	char side[32], pside[32];
	side_short(ws->split, s->side, side);
	if (s->cls < 0 || strcmp(ds->class_names[s->cls], side) != 0)
		x += tui_putf(p->win, 1, x, p->cw - x, lab, "  (label %d: %s)", s->side, side);
	else
		x += tui_putf(p->win, 1, x, p->cw - x, lab, "  (label %d)", s->side);
	double probs[DATA_MAX_SIDES];
	int label;
	struct qcq_error err;
	if (!ws->model || cmd_predict_image(ws, s->k, probs, &label, &err) != QCQ_OK)
		return 1;
	int pred = 0;
	for (int c = 1; c < ws->split->nsides; c++)
		pred = probs[c] > probs[pred] ? c : pred;
	side_short(ws->split, pred, pside);
	char verdict[96];
	snprintf(verdict, sizeof verdict, "%s (p %.2f) %s", pside, probs[pred],
		 pred == s->side ? "right" : "WRONG");
	attr_t va = tui_attr(t, pred == s->side ? TUI_C_TRAIN_ACC : TUI_C_ERROR);
	if (x + 12 + tui_text_width(verdict) <= p->cw || alt_y < 0 || alt_y + 1 >= p->h) {
		x += tui_put(p->win, 1, x, p->cw - x, "  predicted ", lab);
		tui_put(p->win, 1, x, p->cw - x, verdict, va);
		return 1;
	}
	tui_put(p->win, alt_y, 0, alt_w, "predicted", lab);
	tui_put(p->win, alt_y + 1, 0, alt_w, verdict, va);
	return alt_y + 1;
}

/* v (h x w) resampled to dh x dw: each output pixel averages the input pixels its box
 * covers, or takes the nearest one when magnifying (any scale, not just whole factors). */
static float *resample(const float *v, int h, int w, int dh, int dw)
{
	float *o = qcq_xmalloc((size_t)dh * dw * sizeof *o);
	for (int r = 0; r < dh; r++) {
		int i0 = r * h / dh, i1 = (r + 1) * h / dh;
		i1 = i1 > i0 ? i1 : i0 + 1;
		for (int c = 0; c < dw; c++) {
			int j0 = c * w / dw, j1 = (c + 1) * w / dw;
			j1 = j1 > j0 ? j1 : j0 + 1;
			double s = 0;
			for (int i = i0; i < i1; i++)
				for (int j = j0; j < j1; j++)
					s += v[(size_t)i * w + j];
			o[(size_t)r * dw + c] = (float)(s / ((i1 - i0) * (j1 - j0)));
		}
	}
	return o;
}

struct grid {
	int dw, dh; /* each map drawn dh x dw pixels (dh/2 rows of half blocks) */
	int cols, rows;
};

/* The largest maps (any scale, up to 3x) that n maps of oh x ow fit into rows x cols
 * cells; among grids with maps as large, the one with fewest empty places (four maps
 * as 2x2 rather than 3 + 1), then fewest rows. dw 0: no room. */
static struct grid choose_grid(int n, int oh, int ow, int rows, int cols)
{
	struct grid best = {0, 0, 1, n};
	for (int gc = n; gc >= 1; gc--) {
		int gr = (n + gc - 1) / gc;
		int bw = (cols - 2 * (gc - 1)) / gc;
		int bh = rows / gr - 1; /* a label row under each */
		int dw = bw < 3 * ow ? bw : 3 * ow;
		while (dw >= 2 && ((dw * oh + ow - 1) / ow + 1) / 2 > bh)
			dw--;
		if (dw > ow && dw * 4 < ow * 5) /* a few columns more only distort */
			dw = ow;
		if (dw < 2 || dw < ow / 4)
			continue;
		int empty = gc * gr - n, bempty = best.cols * best.rows - n;
		if (dw > best.dw || (dw == best.dw && (empty < bempty ||
						       (empty == bempty && gr < best.rows))))
			best = (struct grid){dw, (dw * oh + ow - 1) / ow, gc, gr};
	}
	return best;
}

/* Returns the last row used. */
static int draw_maps(struct tui *t, struct tui_pane *p, int y, int x, int rows, int cols,
		     const float *maps, int c, int oh, int ow, const struct patch_mark *pm)
{
	struct grid g = choose_grid(c, oh, ow, rows, cols);
	if (!g.dw) {
		tui_put(p->win, y, x, cols, "(no room for the feature maps)", tui_attr(t, TUI_C_DIM));
		return y;
	}
	int bw = g.dw, bh = (g.dh + 1) / 2;
	for (int j = 0; j < c; j++) {
		int gx = x + (j % g.cols) * (bw + 2), gy = y + (j / g.cols) * (bh + 1);
		float *m = resample(maps + (size_t)j * oh * ow, oh, ow, g.dh, g.dw);
		tui_heatmap(t, p->win, gy, gx, m, g.dh, g.dw, -1, 1, TUI_RAMP_DIVERGE);
		free(m);
		if (pm->on && pm->row < oh && pm->col < ow) {
			/* the display pixels of feature pixel (row, col), two to a cell row */
			int r0 = pm->row * g.dh / oh, r1 = ((pm->row + 1) * g.dh - 1) / oh;
			int c0 = pm->col * g.dw / ow, c1 = ((pm->col + 1) * g.dw - 1) / ow;
			for (int cy = r0 / 2; cy <= r1 / 2; cy++)
				for (int cx = c0; cx <= c1; cx++)
					tui_glyph(t, p->win, gy + cy, gx + cx, "▣", 'X',
						  tui_attr(t, TUI_C_MARK));
		}
		tui_putf(p->win, gy + bh, gx, bw, tui_attr(t, TUI_C_LABEL), "<Z%d>", j);
	}
	return y + g.rows * (bh + 1) - 1;
}

static void data_draw(struct tui *t, struct tui_pane *p)
{
	struct cmd_workspace *ws = t->ws;
	const struct data_set *ds = ws->data;
	int rows = p->h - 1;
	if (!ds) {
		static const char *const first[][2] = {
			{"load synth 1000", "built-in handwritten digits (28x28)"},
			{"classes 3 8", "a binary task, 3 vs 8, split 70/15/15"},
			{"quanv", "every 2x2 patch through a 4-qubit circuit"},
			{"patch 0 7 7", "one patch's circuit: F3, then n/p to step"},
			{"model qcq-cnn", "quanvolution + CNN + quantum classifier"},
			{"train epochs=5", "live curves (F5); Ctrl-C or stop ends it"},
		};
		tui_put(p->win, 1, 0, p->cw, "No data loaded. A first session, one line at a time:",
			tui_attr(t, TUI_C_NORMAL));
		int n = (int)(sizeof first / sizeof first[0]);
		for (int i = 0; i < n && 2 + i < rows; i++) {
			tui_put(p->win, 2 + i, 2, p->cw - 2, first[i][0], tui_attr(t, TUI_C_LOG_CMD));
			tui_put(p->win, 2 + i, 20, p->cw - 20, first[i][1], tui_attr(t, TUI_C_DIM));
		}
		if (2 + n < rows)
			tui_put(p->win, 2 + n, 0, p->cw,
				"or type  tour  for a guided walk-through,  help  for every command.",
				tui_attr(t, TUI_C_NORMAL));
		return;
	}
	snprintf(p->subtitle, sizeof p->subtitle, "%s", ds->source);
	struct shown s = resolve(ws);

	/* the split's features, or (quanv before classes) those of every image loaded */
	const struct data_features *f = s.in_split ? ws->features : ws->set_features;
	size_t fk = s.in_split ? s.local : (size_t)s.k;
	int fp = s.in_split ? s.part : 0;
	bool maps = f && f->part[fp] && fk < f->n[fp];
	int top = 3, avail = rows - top; /* picture rows, label row included */
	int imgcols = maps ? p->cw * 2 / 5 : p->cw;
	int fi = fit_factor(s.h, s.w, avail - 1, imgcols, 2);
	int used = 0, bottom = 2; /* the last row used */
	if (fi) {
		used = picture(t, p->win, top, 0, s.img, s.h, s.w, fi, 0, 1, TUI_RAMP_GRAY);
		int sh = fi < 0 ? s.h * -fi : (s.h + fi - 1) / fi;
		bottom = top + (sh + 1) / 2;
		tui_putf(p->win, bottom, 0, used + 10, tui_attr(t, TUI_C_LABEL), "%dx%d%s", s.h, s.w,
			 fi > 1 ? " shrunk" : "");
	}
	int mx = used + 3;
	struct patch_mark pm = patch_of(ws, s.h, s.w);
	if (pm.on && fi) {
		int r0 = pm.row * pm.stride, c0 = pm.col * pm.stride;
		mark_pixels(t, p->win, top, 0, fi, r0, c0, r0 + pm.k, c0 + pm.k);
		/* the legend sits above the image, left of the feature maps' caption */
		int lw = maps ? mx - 1 : p->cw;
		tui_glyph(t, p->win, 2, 0, "▣", 'X', tui_attr(t, TUI_C_MARK));
		tui_putf(p->win, 2, 2, lw - 2, tui_attr(t, TUI_C_LABEL), "patch (%d,%d)", pm.row,
			 pm.col);
	}
	/* the model's verdict goes under the image's label when row 1 is too narrow */
	int info_end = draw_info(t, p, &s, fi ? bottom + 1 : -1, maps ? mx - 1 : p->cw);
	int maps_end = bottom;
	if (maps) {
		const float *m = f->part[fp] + fk * (size_t)f->c * f->oh * f->ow;
		const char *ends = t->heat_pair0[1] ? "blue..red" : "dark..light";
		char cap[96];
		snprintf(cap, sizeof cap, "quanvolved %dx%dx%d: <Z> -1 %s +1", f->c, f->oh, f->ow, ends);
		if (tui_text_width(cap) > p->cw - mx) /* narrow: the colour key matters most */
			snprintf(cap, sizeof cap, "%dx%dx%d <Z>: -1 %s +1", f->c, f->oh, f->ow, ends);
		if (tui_text_width(cap) > p->cw - mx)
			snprintf(cap, sizeof cap, "<Z>: -1 %s +1", ends);
		tui_put(p->win, 2, mx, p->cw - mx, cap, tui_attr(t, TUI_C_LABEL));
		maps_end = draw_maps(t, p, top, mx, avail, p->cw - mx, m, f->c, f->oh, f->ow, &pm);
	} else if (!ws->split) {
		tui_put(p->win, 2, 0, p->cw, "next: quanv (feature maps), classes A B (a binary task)",
			tui_attr(t, TUI_C_DIM));
	} else if (!f) {
		int hx = pm.on && fi ? 18 : 0; /* after the patch legend */
		tui_put(p->win, 2, hx, p->cw - hx, "no feature maps yet: type  quanv",
			tui_attr(t, TUI_C_DIM));
	}
	/* a free last row across the pane: what a person can do here next */
	int last = p->h - 1;
	if (maps && last > maps_end + 1 && last > info_end + 1 && last > bottom + 1) {
		const char *hint = pm.on ? "F3, then n/p: step the patch's circuit gate by gate"
			: !ws->model ? "next:  patch I ROW COL  (the circuit behind a pixel),  model qcq-cnn"
				     : "F2, then n/p: other images and the model's verdict on each";
		tui_put(p->win, last, 0, p->cw, hint, tui_attr(t, TUI_C_DIM));
	}
}

/* n/p or the arrows: the next/previous image, through `show image` like a typed one. */
static bool data_key(struct tui *t, struct tui_pane *p, int key)
{
	(void)p;
	if (!t->ws->data)
		return false;
	struct shown s = resolve(t->ws);
	int d = key == 'n' || key == KEY_RIGHT || key == KEY_DOWN ? 1
		: key == 'p' || key == KEY_LEFT || key == KEY_UP ? -1
								  : 0;
	if (!d || s.total <= 0)
		return d != 0;
	long k = (s.k + d + s.total) % s.total;
	char cmd[64];
	snprintf(cmd, sizeof cmd, "show image %ld", k);
	tui_run_line(t, cmd, true);
	return true;
}

const struct tui_pane_ops tui_data_ops = {
	.title = "Data",
	.draw = data_draw,
	.on_key = data_key,
	.resize = NULL,
};
