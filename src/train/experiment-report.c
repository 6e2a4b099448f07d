/*
 * train/experiment-report.c: what a study leaves for a reader, from its finished runs —
 * epochs.csv (every run and epoch), runs.csv (every run), table.md (the paper's layout:
 * mean +- std of the test accuracy over seeds, in percent) and the figures: mean curves
 * with a +-std band per series, a legend and labelled axes.
 *
 * Runs come in plan order: series k (a model on a data set, a noise setting, a depth)
 * holds runs k*seeds .. k*seeds+seeds-1. Unfinished runs (a stopped study) are left out
 * and the tables say how many seeds each cell holds. Curves of runs that stopped early
 * are averaged over the runs still going at each epoch, as long as at least half of
 * them are. The std is numpy's default
 * (population, ddof 0). Wall times go into runs.csv and the table only, so the rest is
 * identical for any number of jobs.
 */
#include "experiment-internal.h"

#include "qcq/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct stats {
	int n;
	double mean, std;
};

static struct stats stats_of(const double *v, int n)
{
	struct stats s = {0, NAN, NAN};
	double sum = 0, sq = 0;
	for (int i = 0; i < n; i++)
		if (isfinite(v[i]))
			sum += v[i], s.n++;
	if (!s.n)
		return s;
	s.mean = sum / s.n;
	for (int i = 0; i < n; i++)
		if (isfinite(v[i]))
			sq += (v[i] - s.mean) * (v[i] - s.mean);
	s.std = sqrt(sq / s.n);
	return s;
}

struct rep_ctx {
	const struct train_exp_spec *s;
	const char *dir;
	const struct exp_run *runs;
	size_t n, nseries;
	int seeds;
};

static const struct exp_run *run_at(const struct rep_ctx *R, size_t k, int seed)
{
	return &R->runs[k * (size_t)R->seeds + (size_t)seed];
}

/* Test accuracy (in %), epochs and seconds of a series' finished runs. */
static void series_stats(const struct rep_ctx *R, size_t k, struct stats *acc,
			 struct stats *epochs, struct stats *secs, struct stats *per_epoch)
{
	double a[TRAIN_EXP_MAX_SEEDS], e[TRAIN_EXP_MAX_SEEDS], t[TRAIN_EXP_MAX_SEEDS],
		pe[TRAIN_EXP_MAX_SEEDS];
	int m = 0;
	for (int i = 0; i < R->seeds; i++) {
		const struct exp_run *r = run_at(R, k, i);
		if (!r->done)
			continue;
		a[m] = 100.0 * r->out.test_acc;
		e[m] = (double)r->out.nrows;
		t[m] = r->out.seconds;
		pe[m] = r->out.nrows ? r->out.seconds / (double)r->out.nrows : NAN;
		m++;
	}
	*acc = stats_of(a, m);
	*epochs = stats_of(e, m);
	*secs = stats_of(t, m);
	*per_epoch = stats_of(pe, m);
}

static void fmt_acc(char *buf, size_t n, struct stats a, int seeds)
{
	if (a.n == 0)
		snprintf(buf, n, "-");
	else if (a.n < seeds)
		snprintf(buf, n, "%.2f ± %.2f (%d of %d seeds)", a.mean, a.std, a.n, seeds);
	else
		snprintf(buf, n, "%.2f ± %.2f", a.mean, a.std);
}

/* ---------------------------------------------------------------- CSV */

static const char *obs_word(enum nn_observable o)
{
	return o == NN_OBS_ZZ ? "zz" : "z0";
}

static void csv_ident(struct rep_csv *c, const struct exp_run *r)
{
	rep_csv_str(c, train_exp_kind_name(r->kind));
	rep_csv_str(c, nn_arch_name(r->arch));
	rep_csv_str(c, train_exp_data_name(r->data));
	rep_csv_int(c, (long long)r->seed);
	rep_csv_int(c, r->depth);
	rep_csv_str(c, obs_word(r->obs));
	rep_csv_int(c, r->shots);
	rep_csv_num(c, r->p1);
	rep_csv_num(c, r->p2);
}

#define IDENT_COLS "study", "model", "data", "seed", "depth", "observable", "shots", "p1", "p2"

static enum qcq_status write_epochs_csv(const struct rep_ctx *R, struct qcq_error *err)
{
	static const char *const hdr[] = {IDENT_COLS, "epoch", "train_loss", "train_acc",
					  "val_loss", "val_acc"};
	char path[TRAIN_EXP_PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/epochs.csv", R->dir);
	struct rep_csv c;
	enum qcq_status st = rep_csv_open(&c, path, hdr, (int)(sizeof hdr / sizeof hdr[0]), err);
	if (st)
		return st;
	for (size_t i = 0; i < R->n; i++) {
		const struct exp_run *r = &R->runs[i];
		for (size_t e = 0; r->done && e < r->out.nrows; e++) {
			const struct train_epoch *row = &r->out.rows[e];
			csv_ident(&c, r);
			rep_csv_int(&c, row->epoch);
			rep_csv_num(&c, row->train_loss);
			rep_csv_num(&c, row->train_acc);
			rep_csv_num(&c, row->val_loss);
			rep_csv_num(&c, row->val_acc);
			rep_csv_end_row(&c);
		}
	}
	return rep_csv_close(&c, err);
}

static enum qcq_status write_runs_csv(const struct rep_ctx *R, struct qcq_error *err)
{
	static const char *const hdr[] = {IDENT_COLS, "batch", "train", "val", "test",
					  "epochs_run", "best_epoch", "end", "test_loss", "test_acc",
					  "tn", "fp", "fn", "tp", "params", "quantum_params",
					  "train_seconds", "file"};
	char path[TRAIN_EXP_PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/runs.csv", R->dir);
	struct rep_csv c;
	enum qcq_status st = rep_csv_open(&c, path, hdr, (int)(sizeof hdr / sizeof hdr[0]), err);
	if (st)
		return st;
	for (size_t i = 0; i < R->n; i++) {
		const struct exp_run *r = &R->runs[i];
		if (!r->done)
			continue;
		const struct exp_outcome *o = &r->out;
		csv_ident(&c, r);
		rep_csv_int(&c, r->batch);
		for (int p = 0; p < DATA_NPARTS; p++)
			rep_csv_int(&c, (long long)r->n[p]);
		rep_csv_int(&c, (long long)o->nrows);
		rep_csv_int(&c, o->best_epoch);
		rep_csv_str(&c, train_end_name(o->end));
		rep_csv_num(&c, o->test_loss);
		rep_csv_num(&c, o->test_acc);
		for (int a = 0; a < 2; a++)
			for (int b = 0; b < 2; b++)
				rep_csv_int(&c, (long long)o->confusion[a][b]);
		rep_csv_int(&c, (long long)o->nparams);
		rep_csv_int(&c, (long long)o->nparams_quantum);
		rep_csv_num(&c, o->seconds);
		rep_csv_str(&c, r->name);
		rep_csv_end_row(&c);
	}
	return rep_csv_close(&c, err);
}

/* ---------------------------------------------------------------- tables */

static char *table_compare(const struct rep_ctx *R)
{
	const struct train_exp_spec *s = R->s;
	const char *hdr[1 + TRAIN_EXP_NDATA];
	hdr[0] = "model";
	for (int d = 0; d < s->ndatasets; d++)
		hdr[1 + d] = train_exp_data_name(s->datasets[d]);
	struct rep_table *acc = rep_table_create(1 + s->ndatasets, hdr);
	struct rep_table *cost = rep_table_create(1 + s->ndatasets, hdr);
	for (int m = 0; m < s->nmodels; m++) {
		char cells[1 + TRAIN_EXP_NDATA][96], tcells[1 + TRAIN_EXP_NDATA][96];
		const char *row[1 + TRAIN_EXP_NDATA], *trow[1 + TRAIN_EXP_NDATA];
		snprintf(cells[0], sizeof cells[0], "%s", nn_arch_name(s->models[m]));
		snprintf(tcells[0], sizeof tcells[0], "%s", nn_arch_name(s->models[m]));
		for (int d = 0; d < s->ndatasets; d++) {
			struct stats a, e, t, pe;
			series_stats(R, (size_t)d * (size_t)s->nmodels + (size_t)m, &a, &e, &t, &pe);
			fmt_acc(cells[1 + d], sizeof cells[0], a, R->seeds);
			if (t.n)
				snprintf(tcells[1 + d], sizeof tcells[0], "%.1f s, %.0f epochs", t.mean,
					 e.mean);
			else
				snprintf(tcells[1 + d], sizeof tcells[0], "-");
		}
		for (int i = 0; i <= s->ndatasets; i++)
			row[i] = cells[i], trow[i] = tcells[i];
		rep_table_add_row(acc, row);
		rep_table_add_row(cost, trow);
	}
	for (int i = 1; i <= s->ndatasets; i++) {
		rep_table_set_align(acc, i, REP_ALIGN_RIGHT);
		rep_table_set_align(cost, i, REP_ALIGN_RIGHT);
	}
	char *a = rep_table_format(acc), *b = rep_table_format(cost);
	size_t n = strlen(a) + strlen(b) + 256;
	char *out = qcq_xmalloc(n);
	snprintf(out, n, "Test accuracy (%%), mean ± std over seeds:\n\n%s\n"
		 "Training time per run (mean) and epochs run (mean, early stopping):\n\n%s", a, b);
	free(a), free(b);
	rep_table_free(acc), rep_table_free(cost);
	return out;
}

static char *table_noise_depth(const struct rep_ctx *R)
{
	bool noise = R->s->kind == TRAIN_EXP_NOISE;
	static const char *const nh[] = {"shots", "p1", "p2", "test accuracy (%)",
					 "vs exact (points)", "epochs", "s per run"};
	static const char *const dh[] = {"depth", "trainable angles", "test accuracy (%)",
					 "epochs", "s per run", "s per epoch"};
	struct rep_table *t = noise ? rep_table_create(7, nh) : rep_table_create(6, dh);
	struct stats base = {0, NAN, NAN};
	for (size_t k = 0; k < R->nseries; k++) {
		const struct exp_run *r = run_at(R, k, 0);
		struct stats a, e, sec, pe;
		series_stats(R, k, &a, &e, &sec, &pe);
		if (k == 0)
			base = a;
		char acc[96], delta[32];
		fmt_acc(acc, sizeof acc, a, R->seeds);
		if (noise) {
			char shots[32];
			snprintf(shots, sizeof shots, r->shots ? "%ld" : "exact", r->shots);
			double dd = a.mean - base.mean;
			if (fabs(dd) < 0.005)
				dd = 0; /* no "-0.00" */
			snprintf(delta, sizeof delta, k == 0 ? "-" : "%+.2f", dd);
			rep_table_add_rowf(t, "%s\t%g\t%g\t%s\t%s\t%.1f\t%.1f", shots, r->p1, r->p2,
					   acc, delta, e.mean, sec.mean);
		} else {
			rep_table_add_rowf(t, "%d\t%d\t%s\t%.1f\t%.1f\t%.3f", r->depth,
					   2 * (r->depth + 1), acc, e.mean, sec.mean, pe.mean);
		}
	}
	for (int c = noise ? 3 : 2; c < (noise ? 7 : 6); c++)
		rep_table_set_align(t, c, REP_ALIGN_RIGHT);
	char *body = rep_table_format(t);
	rep_table_free(t);
	return body;
}

/* ---------------------------------------------------------------- figures */

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
 * in [0, 100]); lo and hi receive them. Returns the number of epochs.
 */
static size_t series_curve(const struct rep_ctx *R, size_t k, enum curve c, double *x,
			   double *mean, double *lo, double *hi)
{
	size_t len[TRAIN_EXP_MAX_SEEDS];
	int m = 0;
	for (int i = 0; i < R->seeds; i++) {
		const struct exp_run *r = run_at(R, k, i);
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
			const struct exp_run *r = run_at(R, k, i);
			if (r->done && e < r->out.nrows)
				v[n++] = curve_value(&r->out.rows[e], c);
		}
		struct stats st = stats_of(v, n);
		x[e] = (double)(e + 1);
		mean[e] = st.mean;
		lo[e] = st.mean - st.std;
		hi[e] = st.mean + st.std;
		if (lo[e] < 0)
			lo[e] = 0;
		if ((c == C_TRAIN_ACC || c == C_VAL_ACC) && hi[e] > 100)
			hi[e] = 100;
	}
	return maxe;
}

/* A 2 x 2 figure of the four curves for the series in [k0, k1) with a title. */
static enum qcq_status figure(const struct rep_ctx *R, const size_t *ks, int nk,
			      const char *title, const char *file, struct qcq_error *err)
{
	const int W = 1400, H = 1000, top = 64;
	size_t cap = (size_t)R->s->epochs;
	double *x = qcq_xmalloc(cap * sizeof *x), *mu = qcq_xmalloc(cap * sizeof *mu),
	       *lo = qcq_xmalloc(cap * sizeof *lo), *hi = qcq_xmalloc(cap * sizeof *hi);
	struct rep_canvas c;
	enum qcq_status st = rep_canvas_create(&c, W, H, REP_WHITE, err);
	for (int p = 0; p < C_N && !st; p++) {
		char yl[64];
		snprintf(yl, sizeof yl, p < 2 ? "cross-entropy loss" : "accuracy (%%)");
		struct rep_plot *pl = rep_plot_create(curve_title[p], "epoch", yl);
		rep_plot_set_integer_x(pl, true);
		for (int j = 0; j < nk; j++) {
			size_t n = series_curve(R, ks[j], (enum curve)p, x, mu, lo, hi);
			char label[128];
			exp_run_series(run_at(R, ks[j], 0), label, sizeof label);
			struct qcq_error e2;
			int sr = n ? rep_plot_add_series(pl, label, x, mu, n, &e2) : -1;
			if (sr >= 0)
				rep_plot_add_band(pl, sr, x, lo, hi, n, &e2);
		}
		rep_plot_draw(pl, &c, (p % 2) * W / 2, top + (p / 2) * (H - top) / 2, W / 2,
			      (H - top) / 2);
		rep_plot_free(pl);
	}
	if (!st) {
		char sub[160];
		snprintf(sub, sizeof sub, "lines: mean over %d seeds; bands: +-1 std; a curve ends when "
			 "fewer than half of its runs still train (early stopping)", R->seeds);
		rep_canvas_text(&c, W / 2 - rep_text_width(title, 2) / 2, 10, title, 0x111111, 2);
		rep_canvas_text(&c, W / 2 - rep_text_width(sub, 1) / 2, 36, sub, 0x444444, 1);
		char path[TRAIN_EXP_PATH_MAX + 64];
		snprintf(path, sizeof path, "%s/%s", R->dir, file);
		st = rep_canvas_write_png(&c, path, err);
	}
	rep_canvas_free(&c);
	free(x), free(mu), free(lo), free(hi);
	return st;
}

/* Depth study: training seconds per epoch against depth, mean +- std over seeds. */
static enum qcq_status depth_time_figure(const struct rep_ctx *R, struct qcq_error *err)
{
	double x[TRAIN_EXP_MAX_LIST], mu[TRAIN_EXP_MAX_LIST], sd[TRAIN_EXP_MAX_LIST];
	size_t n = 0;
	for (size_t k = 0; k < R->nseries; k++) {
		struct stats a, e, t, pe;
		series_stats(R, k, &a, &e, &t, &pe);
		if (!pe.n)
			continue;
		x[n] = run_at(R, k, 0)->depth;
		mu[n] = 1000 * pe.mean;
		sd[n] = 1000 * pe.std;
		n++;
	}
	if (n == 0)
		return QCQ_OK;
	struct rep_plot *pl = rep_plot_create("QCQ-CNN training time per epoch against ansatz depth",
					      "RealAmplitudes depth (reps)",
					      "milliseconds per epoch (train + validation)");
	rep_plot_set_integer_x(pl, true);
	double top = 0;
	for (size_t i = 0; i < n; i++)
		top = mu[i] + sd[i] > top ? mu[i] + sd[i] : top;
	rep_plot_set_ylim(pl, 0, top > 0 ? 1.15 * top : 1); /* from 0: a ratio reads true */
	rep_plot_add_mean_std(pl, "qcq-cnn (mean, +-1 std band)", x, mu, sd, n, err);
	char path[TRAIN_EXP_PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/depth-time.png", R->dir);
	enum qcq_status st = rep_plot_write_png(pl, path, 900, 600, err);
	rep_plot_free(pl);
	return st;
}

static enum qcq_status write_figures(const struct rep_ctx *R, const struct exp_data *data,
				     struct qcq_error *err)
{
	const struct train_exp_spec *s = R->s;
	size_t ks[TRAIN_EXP_MAX_LIST * TRAIN_EXP_MAX_LIST + 1];
	char title[256], file[128];
	enum qcq_status st = QCQ_OK;
	if (s->kind == TRAIN_EXP_COMPARE) {
		for (int d = 0; d < s->ndatasets && !st; d++) {
			const struct exp_data *ed = &data[s->datasets[d]];
			for (int m = 0; m < s->nmodels; m++)
				ks[m] = (size_t)d * (size_t)s->nmodels + (size_t)m;
			snprintf(title, sizeof title, "%s: %s vs %s", train_exp_data_name(s->datasets[d]),
				 ed->split->side_name[0],
				 s->datasets[d] == TRAIN_EXP_MRI ? "tumour (3 classes)"
								 : ed->split->side_name[1]);
			snprintf(file, sizeof file, "compare-%s.png", train_exp_data_name(s->datasets[d]));
			st = figure(R, ks, s->nmodels, title, file, err);
		}
	} else if (s->kind == TRAIN_EXP_NOISE) {
		for (int j = 0; j < s->nshots && !st; j++) {
			ks[0] = 0;
			for (int l = 0; l < s->nlevels; l++)
				ks[1 + l] = 1 + (size_t)j * (size_t)s->nlevels + (size_t)l;
			snprintf(title, sizeof title, "qcq-cnn on %s: %ld shots, depolarizing noise p1/p2",
				 train_exp_data_name(s->datasets[0]), s->shots[j]);
			snprintf(file, sizeof file, "noise-shots%ld.png", s->shots[j]);
			st = figure(R, ks, 1 + s->nlevels, title, file, err);
		}
	} else {
		for (int k = 0; k < s->ndepths; k++)
			ks[k] = (size_t)k;
		snprintf(title, sizeof title, "qcq-cnn on %s by RealAmplitudes depth",
			 train_exp_data_name(s->datasets[0]));
		st = figure(R, ks, s->ndepths, title, "depth-curves.png", err);
		if (!st)
			st = depth_time_figure(R, err);
	}
	return st;
}

/* ---------------------------------------------------------------- all of it */

static size_t series_total(const struct train_exp_spec *s)
{
	return train_exp_count_runs(s) / (size_t)s->seeds;
}

enum qcq_status exp_report_write(const struct train_exp_spec *s, const char *out_dir,
				 const struct exp_run *runs, size_t n, const struct exp_data *data,
				 double seconds, char **table, struct qcq_error *err)
{
	struct rep_ctx R = {s, out_dir, runs, n, series_total(s), s->seeds};
	*table = NULL;
	enum qcq_status st = write_epochs_csv(&R, err);
	if (!st)
		st = write_runs_csv(&R, err);
	if (!st)
		st = write_figures(&R, data, err);
	if (st)
		return qcq_error_prefix(err, "report");
	size_t finished = 0;
	double train_s = 0;
	for (size_t i = 0; i < n; i++)
		if (runs[i].done)
			finished++, train_s += runs[i].out.seconds;
	char *body = s->kind == TRAIN_EXP_COMPARE ? table_compare(&R) : table_noise_depth(&R);
	char head[4096], depth[32];
	snprintf(depth, sizeof depth, s->kind == TRAIN_EXP_DEPTH ? "depth per row" : "depth %d",
		 s->depth);
	int len = snprintf(head, sizeof head, "# %s study\n\n", train_exp_kind_name(s->kind));
	for (int d = 0; d < s->ndatasets; d++)
		len += snprintf(head + len, sizeof head - (size_t)len, "- %s\n",
				data[s->datasets[d]].desc);
	snprintf(head + len, sizeof head - (size_t)len,
		 "- %d seeds, up to %d epochs, patience %d, lr %g, batch %s, %s, "
		 "observable %s\n- %zu of %zu runs finished; training time of all runs %.1f s; "
		 "wall time of the last call %.1f s\n\n",
		 s->seeds, s->epochs, s->patience, s->lr,
		 s->batch ? "as given" : "4 (1 for qcq-cnn)", depth, obs_word(s->observable),
		 finished, n, train_s, seconds);
	size_t total = strlen(head) + strlen(body) + 1;
	*table = qcq_xmalloc(total);
	snprintf(*table, total, "%s%s", head, body);
	free(body);
	char path[TRAIN_EXP_PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/table.md", out_dir);
	st = qcq_write_file_atomic(path, *table, strlen(*table), err);
	if (st) {
		free(*table);
		*table = NULL;
	}
	return st;
}
