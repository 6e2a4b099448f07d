/*
 * train/experiment-figures.c: the figures of a study, laid out like the paper's — mean
 * curves over seeds with a ±1 std band per series, a legend, labelled axes, and a
 * caption that carries the baselines (each test set's majority-class accuracy and
 * every series' balanced accuracy beside its accuracy):
 *
 *  - compare: compare-<task>.png, loss and accuracy (training, validation) per epoch,
 *    a line per model (Figs 6-8);
 *  - noise:   noise-train-shots<N>.png, training accuracy per epoch, a line per noise
 *    level and the exact run, one figure per shot count (Figs 9-10), and
 *    noise-shots<N>.png with all four curves;
 *  - depth:   depth-accuracy.png, validation accuracy per epoch, a line per depth, a
 *    panel per task (Fig 11); depth-curves-<task>.png with all four curves;
 *    depth-time.png, training time per epoch against depth, a line per task.
 *
 * Curves of runs that stopped early are averaged over the runs still going at each
 * epoch, as long as at least half of them are.
 */
#include "experiment-report.h"

#include "qcq/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum curve { C_TRAIN_LOSS, C_VAL_LOSS, C_TRAIN_ACC, C_VAL_ACC, C_N };
static const char *const curve_title[C_N] = {"training loss", "validation loss",
					     "training accuracy", "validation accuracy"};

static double curve_value(const struct train_epoch *e, enum curve c)
{
	switch (c) {
	case C_TRAIN_LOSS: return e->train_loss;
	case C_VAL_LOSS: return e->val_loss;
	case C_TRAIN_ACC: return 100 * e->train_acc;
	default: return 100 * e->val_acc;
	}
}

/*
 * Mean and std per epoch over a series' finished runs, up to the last epoch that at least
 * half of them reached (beyond it a mean of one or two early-stopped survivors would
 * read as a trend). Bands are clipped to what the quantity can be (loss >= 0, accuracy
 * in [0, 100]); with one run there is no band. Returns the number of epochs.
 */
static size_t series_curve(const struct exp_rep *R, size_t k, enum curve c, double *x,
			   double *mean, double *lo, double *hi)
{
	size_t len[TRAIN_EXP_MAX_SEEDS];
	int m = 0;
	for (int i = 0; i < R->seeds; i++) {
		const struct exp_run *r = train_exp_rep_run(R, k, i);
		if (r->done)
			len[m++] = r->out.nrows;
	}
	size_t maxe = 0;
	for (size_t e = 1; m > 0; e++) {
		int reach = 0;
		for (int i = 0; i < m; i++)
			reach += len[i] >= e;
		if (2 * reach < m || reach == 0)
			break;
		maxe = e;
	}
	for (size_t e = 0; e < maxe; e++) {
		double v[TRAIN_EXP_MAX_SEEDS];
		int n = 0;
		for (int i = 0; i < R->seeds; i++) {
			const struct exp_run *r = train_exp_rep_run(R, k, i);
			if (r->done && e < r->out.nrows)
				v[n++] = curve_value(&r->out.rows[e], c);
		}
		struct exp_stats st = train_exp_stats_of(v, n);
		double sd = isfinite(st.std) ? st.std : 0;
		x[e] = (double)(e + 1);
		mean[e] = st.mean;
		lo[e] = st.mean - sd;
		hi[e] = st.mean + sd;
		if (lo[e] < 0)
			lo[e] = 0;
		if ((c == C_TRAIN_ACC || c == C_VAL_ACC) && hi[e] > 100)
			hi[e] = 100;
	}
	return maxe;
}

/* One panel: a curve of the series ks[0..nk). */
struct panel {
	char title[128];
	enum curve c;
	const size_t *ks;
	int nk;
	bool legend_strip; /* accuracy: room below the bands for the legend */
};

static void draw_panel(const struct exp_rep *R, const struct panel *P, struct rep_canvas *c,
		       int x, int y, int w, int h)
{
	size_t cap = (size_t)R->s->epochs;
	double *xs = qcq_xmalloc(cap * sizeof *xs), *mu = qcq_xmalloc(cap * sizeof *mu),
	       *lo = qcq_xmalloc(cap * sizeof *lo), *hi = qcq_xmalloc(cap * sizeof *hi);
	struct rep_plot *pl = rep_plot_create(P->title, "epoch", P->c < C_TRAIN_ACC ?
					      "cross-entropy loss" : "accuracy (%)");
	rep_plot_set_integer_x(pl, true);
	double ymin = INFINITY, ymax = -INFINITY;
	for (int j = 0; j < P->nk; j++) {
		size_t n = series_curve(R, P->ks[j], P->c, xs, mu, lo, hi);
		for (size_t e = 0; e < n; e++) {
			ymin = lo[e] < ymin ? lo[e] : ymin;
			ymax = hi[e] > ymax ? hi[e] : ymax;
		}
		char label[128];
		train_exp_run_series(train_exp_rep_run(R, P->ks[j], 0), label, sizeof label);
		struct qcq_error e2;
		int sr = n ? rep_plot_add_series(pl, label, xs, mu, n, &e2) : -1;
		if (sr >= 0)
			rep_plot_add_band(pl, sr, xs, lo, hi, n, &e2);
	}
	/* accuracy climbs to the top of its panel: keep a strip below the bands free for
	 * the legend, a line per series */
	if (P->legend_strip && P->c >= C_TRAIN_ACC && ymax > ymin) {
		double span = ymax - ymin, lo_y = ymin - span * 0.12 * (P->nk + 1);
		rep_plot_set_ylim(pl, lo_y < 0 ? 0 : lo_y, ymax + 0.05 * span);
	}
	rep_plot_draw(pl, c, x, y, w, h);
	rep_plot_free(pl);
	free(xs), free(mu), free(lo), free(hi);
}

/* Writes text centred in lines that fit width w (breaking at spaces and at '\n') from
 * y down; returns the y below the last line. */
static int wrap_text(struct rep_canvas *c, const char *text, int w, int y, uint32_t color,
		     int scale)
{
	const char *p = text;
	while (*p) {
		char line[512];
		size_t len = 0, fit = 0;
		while (p[len] && p[len] != '\n' && len < sizeof line - 1) {
			memcpy(line, p, len + 1);
			line[len + 1] = '\0';
			if (rep_text_width(line, scale) > w - 40)
				break;
			len++;
			if (p[len] == ' ' || p[len] == '\0' || p[len] == '\n')
				fit = len;
		}
		if (fit == 0)
			fit = len ? len : 1;
		memcpy(line, p, fit);
		line[fit] = '\0';
		rep_canvas_text(c, w / 2 - rep_text_width(line, scale) / 2, y, line, color, scale);
		y += 9 * scale + 6;
		p += fit;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	return y;
}

/* A figure of np panels in cols columns, with a title and a caption above them. */
static enum qcq_status panel_figure(const struct exp_rep *R, const struct panel *P, int np,
				    int cols, int W, int H, const char *title,
				    const char *caption, const char *file, struct qcq_error *err)
{
	struct rep_canvas c;
	enum qcq_status st = rep_canvas_create(&c, W, H, REP_WHITE, err);
	if (st)
		return st;
	rep_canvas_text(&c, W / 2 - rep_text_width(title, 2) / 2, 10, title, 0x111111, 2);
	char sub[4000];
	snprintf(sub, sizeof sub, "lines: mean over %d seeds; bands: +-1 std; a curve ends when "
		 "fewer than half of its runs still train (early stopping).\n%s", R->seeds, caption);
	int top = wrap_text(&c, sub, W, 38, 0x333333, 1) + 4;
	int rows = (np + cols - 1) / cols;
	for (int i = 0; i < np; i++)
		draw_panel(R, &P[i], &c, (i % cols) * W / cols, top + (i / cols) * (H - top) / rows,
			   W / cols, (H - top) / rows);
	char path[TRAIN_EXP_PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", R->dir, file);
	st = rep_canvas_write_png(&c, path, err);
	rep_canvas_free(&c);
	return st;
}

/* The four curves of the series ks in a 2 x 2 figure. */
static enum qcq_status four_curves(const struct exp_rep *R, const size_t *ks, int nk,
				   const char *title, const char *caption, const char *file,
				   struct qcq_error *err)
{
	struct panel P[C_N];
	for (int p = 0; p < C_N; p++) {
		snprintf(P[p].title, sizeof P[p].title, "%s", curve_title[p]);
		P[p].c = (enum curve)p;
		P[p].ks = ks;
		P[p].nk = nk;
		P[p].legend_strip = false;
	}
	return panel_figure(R, P, C_N, 2, 1400, 1040, title, caption, file, err);
}

/* "label acc (balanced bal)" for each series, then the test set's majority class. */
static void baseline_caption(const struct exp_rep *R, const size_t *ks, int nk,
			     enum train_exp_data d, char *buf, size_t n)
{
	int len = snprintf(buf, n, "Test accuracy %% (balanced accuracy %%), mean over seeds:");
	for (int j = 0; j < nk && len < (int)n; j++) {
		struct exp_series_stats ss;
		train_exp_rep_series_stats(R, ks[j], &ss);
		char label[128];
		train_exp_run_series(train_exp_rep_run(R, ks[j], 0), label, sizeof label);
		len += snprintf(buf + len, n - (size_t)len, "%s %s %.2f (%.2f)", j ? ";" : "", label,
				ss.acc.mean, ss.bal.mean);
	}
	if (len < (int)n)
		snprintf(buf + len, n - (size_t)len, ". Majority class of the test set: %.2f %%.",
			 100 * train_exp_majority_accuracy(&R->data[d]));
}

static const char *task_title(const struct exp_rep *R, enum train_exp_data d, char *buf,
			      size_t n)
{
	const struct data_split *sp = R->data[d].split;
	if (sp->nsides > 2)
		snprintf(buf, n, "%s: %d classes", train_exp_data_name(d), sp->nsides);
	else
		snprintf(buf, n, "%s: %s vs %s", train_exp_data_name(d), sp->side_name[0],
			 d == TRAIN_EXP_MRI ? "tumour (3 classes)" : sp->side_name[1]);
	return buf;
}

static enum qcq_status compare_figures(const struct exp_rep *R, struct qcq_error *err)
{
	const struct train_exp_spec *s = R->s;
	size_t ks[NN_ARCH_COUNT];
	char title[256], file[128], cap[1200], tt[200];
	enum qcq_status st = QCQ_OK;
	for (int d = 0; d < s->ndatasets && !st; d++) {
		for (int m = 0; m < s->nmodels; m++)
			ks[m] = train_exp_rep_series_of(R, d, m);
		snprintf(title, sizeof title, "%s", task_title(R, s->datasets[d], tt, sizeof tt));
		baseline_caption(R, ks, s->nmodels, s->datasets[d], cap, sizeof cap);
		snprintf(file, sizeof file, "compare-%s.png", train_exp_data_name(s->datasets[d]));
		st = four_curves(R, ks, s->nmodels, title, cap, file, err);
	}
	return st;
}

static enum qcq_status noise_figures(const struct exp_rep *R, struct qcq_error *err)
{
	const struct train_exp_spec *s = R->s;
	size_t ks[TRAIN_EXP_MAX_LIST + 1];
	char title[256], file[128], cap[1200];
	enum qcq_status st = QCQ_OK;
	for (int j = 0; j < s->nshots && !st; j++) {
		ks[0] = 0;
		for (int l = 0; l < s->nlevels; l++)
			ks[1 + l] = 1 + (size_t)j * (size_t)s->nlevels + (size_t)l;
		baseline_caption(R, ks, 1 + s->nlevels, s->datasets[0], cap, sizeof cap);
		snprintf(title, sizeof title, "qcq-cnn on %s: %ld shots, depolarizing noise p1/p2",
			 train_exp_data_name(s->datasets[0]), s->shots[j]);
		snprintf(file, sizeof file, "noise-shots%ld.png", s->shots[j]);
		st = four_curves(R, ks, 1 + s->nlevels, title, cap, file, err);
		if (st)
			break;
		struct panel P = {.c = C_TRAIN_ACC, .ks = ks, .nk = 1 + s->nlevels,
				  .legend_strip = true};
		snprintf(P.title, sizeof P.title, "training accuracy per epoch, %ld shots",
			 s->shots[j]);
		snprintf(title, sizeof title, "qcq-cnn on %s, %ld shots: training accuracy by noise "
			 "level", train_exp_data_name(s->datasets[0]), s->shots[j]);
		snprintf(file, sizeof file, "noise-train-shots%ld.png", s->shots[j]);
		st = panel_figure(R, &P, 1, 1, 1100, 760, title, cap, file, err);
	}
	return st;
}

/* Training seconds per epoch against depth, mean ± std over seeds, a line per task. */
static enum qcq_status depth_time_figure(const struct exp_rep *R, struct qcq_error *err)
{
	const struct train_exp_spec *s = R->s;
	struct rep_plot *pl = rep_plot_create("QCQ-CNN training time per epoch against ansatz depth",
					      "RealAmplitudes depth (reps)",
					      "milliseconds per epoch (train + validation)");
	rep_plot_set_integer_x(pl, true);
	double top = 0;
	int lines = 0;
	for (int d = 0; d < s->ndatasets; d++) {
		double x[TRAIN_EXP_MAX_LIST], mu[TRAIN_EXP_MAX_LIST], sd[TRAIN_EXP_MAX_LIST];
		size_t n = 0;
		for (int j = 0; j < s->ndepths; j++) {
			struct exp_series_stats ss;
			train_exp_rep_series_stats(R, train_exp_rep_series_of(R, d, j), &ss);
			if (!ss.per_epoch.n)
				continue;
			x[n] = s->depths[j];
			mu[n] = 1000 * ss.per_epoch.mean;
			sd[n] = isfinite(ss.per_epoch.std) ? 1000 * ss.per_epoch.std : 0;
			top = mu[n] + sd[n] > top ? mu[n] + sd[n] : top;
			n++;
		}
		char label[96];
		snprintf(label, sizeof label, "%s (mean, +-1 std band)",
			 train_exp_data_name(s->datasets[d]));
		if (n && rep_plot_add_mean_std(pl, label, x, mu, sd, n, err) >= 0)
			lines++;
	}
	enum qcq_status st = QCQ_OK;
	if (lines) {
		rep_plot_set_ylim(pl, 0, top > 0 ? 1.15 * top : 1); /* from 0: a ratio reads true */
		char path[TRAIN_EXP_PATH_MAX + 32];
		snprintf(path, sizeof path, "%s/depth-time.png", R->dir);
		st = rep_plot_write_png(pl, path, 900, 600, err);
	}
	rep_plot_free(pl);
	return st;
}

static enum qcq_status depth_figures(const struct exp_rep *R, struct qcq_error *err)
{
	const struct train_exp_spec *s = R->s;
	size_t ks[TRAIN_EXP_NDATA][TRAIN_EXP_MAX_LIST];
	struct panel P[TRAIN_EXP_NDATA];
	char title[256], file[128], cap[1200], tt[200], all[2400] = "";
	enum qcq_status st = QCQ_OK;
	for (int d = 0; d < s->ndatasets && !st; d++) {
		for (int j = 0; j < s->ndepths; j++)
			ks[d][j] = train_exp_rep_series_of(R, d, j);
		baseline_caption(R, ks[d], s->ndepths, s->datasets[d], cap, sizeof cap);
		snprintf(title, sizeof title, "qcq-cnn by RealAmplitudes depth, %s",
			 task_title(R, s->datasets[d], tt, sizeof tt));
		snprintf(file, sizeof file, "depth-curves-%s.png", train_exp_data_name(s->datasets[d]));
		st = four_curves(R, ks[d], s->ndepths, title, cap, file, err);
		P[d].c = C_VAL_ACC;
		P[d].ks = ks[d];
		P[d].nk = s->ndepths;
		P[d].legend_strip = true;
		snprintf(P[d].title, sizeof P[d].title, "%s", tt);
		size_t len = strlen(all);
		snprintf(all + len, sizeof all - len, "%s%s. %s", d ? "\n" : "",
			 train_exp_data_name(s->datasets[d]), cap);
	}
	if (!st)
		st = panel_figure(R, P, s->ndatasets, s->ndatasets, 680 * s->ndatasets, 760,
				  "qcq-cnn validation accuracy per epoch by RealAmplitudes depth",
				  all, "depth-accuracy.png", err);
	if (!st)
		st = depth_time_figure(R, err);
	return st;
}

enum qcq_status train_exp_figures_write(const struct exp_rep *R, struct qcq_error *err)
{
	switch (R->s->kind) {
	case TRAIN_EXP_COMPARE:
		return compare_figures(R, err);
	case TRAIN_EXP_NOISE:
		return noise_figures(R, err);
	default:
		return depth_figures(R, err);
	}
}
