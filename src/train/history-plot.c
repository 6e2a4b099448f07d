/*
 * train/history-plot.c: the figure of one training run — loss and accuracy per epoch,
 * train and validation, side by side, with the best epoch marked. Drawn with the report
 * module's plots; here, not there, so that report knows nothing of training (train
 * uses report, never the other way round).
 */
#include "qcq/train.h"

#include "qcq/report.h"

#include <stdlib.h>

static void add_pair(struct rep_plot *p, const struct train_history *h, const double *x,
		     const double *tr, const double *va, bool has_val)
{
	struct qcq_error e;
	int a = rep_plot_add_series(p, "train", x, tr, h->n, &e);
	struct rep_style st = {rep_palette(0), REP_MARK_CIRCLE, REP_DASH_SOLID, 2.5};
	rep_plot_set_style(p, a, &st);
	if (has_val) {
		int b = rep_plot_add_series(p, "validation", x, va, h->n, &e);
		st = (struct rep_style){rep_palette(1), REP_MARK_SQUARE, REP_DASH_DASHED, 2.5};
		rep_plot_set_style(p, b, &st);
	}
	rep_plot_set_integer_x(p, true);
	if (h->best_epoch > 0)
		rep_plot_add_vline(p, h->best_epoch, "best");
}

enum qcq_status train_history_plot(const struct train_history *h, const char *title,
				   const char *path, int w, int h_px, struct qcq_error *err)
{
	if (!h || h->n == 0)
		return qcq_error_set(err, QCQ_ESTATE, "%s: no training history to plot (train first)",
				     path);
	if (w < 400 || h_px < 200 || w > REP_MAX_SIDE || h_px > REP_MAX_SIDE)
		return qcq_error_set(err, QCQ_ERANGE, "%s: figure size %dx%d out of range", path, w,
				     h_px);
	size_t n = h->n;
	double *x = qcq_xmalloc(n * sizeof *x), *tl = qcq_xmalloc(n * sizeof *tl),
	       *vl = qcq_xmalloc(n * sizeof *vl), *ta = qcq_xmalloc(n * sizeof *ta),
	       *va = qcq_xmalloc(n * sizeof *va);
	bool has_val = false;
	for (size_t i = 0; i < n; i++) {
		x[i] = h->rows[i].epoch;
		tl[i] = h->rows[i].train_loss, vl[i] = h->rows[i].val_loss;
		ta[i] = h->rows[i].train_acc, va[i] = h->rows[i].val_acc;
		has_val = has_val || va[i] == va[i];
	}
	struct rep_plot *loss = rep_plot_create("loss", "epoch", "cross-entropy loss");
	struct rep_plot *acc = rep_plot_create("accuracy", "epoch", "accuracy");
	add_pair(loss, h, x, tl, vl, has_val);
	add_pair(acc, h, x, ta, va, has_val);
	struct rep_canvas c;
	enum qcq_status st = rep_canvas_create(&c, w, h_px, REP_WHITE, err);
	if (!st) {
		int top = 0;
		if (title && *title) {
			top = 7 * 2 + 20;
			int tx = w / 2 - rep_text_width(title, 2) / 2;
			rep_canvas_text(&c, tx, 12, title, 0x111111, 2);
			rep_canvas_text(&c, tx + 1, 12, title, 0x111111, 2);
		}
		rep_plot_draw(loss, &c, 0, top, w / 2, h_px - top);
		rep_plot_draw(acc, &c, w / 2, top, w - w / 2, h_px - top);
		st = rep_canvas_write_png(&c, path, err);
		rep_canvas_free(&c);
	}
	rep_plot_free(loss);
	rep_plot_free(acc);
	free(x), free(tl), free(vl), free(ta), free(va);
	return st;
}
