/*
 * train/experiment-report.c: what a study leaves for a reader, from its finished runs —
 * epochs.csv (every run and epoch), runs.csv (every run, with balanced accuracy and the
 * test set's majority-class accuracy beside accuracy) and table.md: the paper's layout
 * (mean ± std over seeds, in percent), the baselines, and under the paper's protocol
 * every Table 1 cell beside the paper's with the difference and Welch's p. The figures
 * are experiment-figures.c.
 *
 * The std is the sample standard deviation (ddof 1), the one Welch's test takes. Wall
 * times go into runs.csv and the tables only, so the rest is identical for any number
 * of jobs.
 */
#include "experiment-report.h"

#include "qcq/report.h"
#include "qcq/stats.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct exp_stats train_exp_stats_of(const double *v, int n)
{
	struct exp_stats s = {0, NAN, NAN};
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
	if (s.n > 1)
		s.std = sqrt(sq / (s.n - 1));
	return s;
}

const struct exp_run *train_exp_rep_run(const struct exp_rep *R, size_t k, int seed)
{
	return &R->runs[k * (size_t)R->seeds + (size_t)seed];
}

size_t train_exp_rep_series_of(const struct exp_rep *R, int d, int j)
{
	int per = R->s->kind == TRAIN_EXP_DEPTH ? R->s->ndepths : R->s->nmodels;
	return (size_t)d * (size_t)per + (size_t)j;
}

double train_exp_balanced_accuracy(const struct exp_outcome *o)
{
	const uint64_t (*c)[TRAIN_MAX_CLASSES] = o->confusion;
	int K = o->nclasses ? o->nclasses : 2;
	if (K == 2) {
		double n0 = (double)(c[0][0] + c[0][1]), n1 = (double)(c[1][0] + c[1][1]);
		if (n0 == 0 || n1 == 0)
			return NAN;
		return 0.5 * ((double)c[0][0] / n0 + (double)c[1][1] / n1);
	}
	double sum = 0;
	for (int a = 0; a < K; a++) {
		uint64_t row = 0;
		for (int b = 0; b < K; b++)
			row += c[a][b];
		if (row == 0)
			return NAN;
		sum += (double)c[a][a] / (double)row;
	}
	return sum / K;
}

double train_exp_majority_accuracy(const struct exp_data *d)
{
	const struct data_subset *t = &d->split->part[DATA_TEST];
	if (t->n == 0)
		return NAN;
	size_t count[DATA_MAX_SIDES] = {0}, big = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->labels[i] >= 0 && t->labels[i] < DATA_MAX_SIDES)
			count[t->labels[i]]++;
	for (int k = 0; k < DATA_MAX_SIDES; k++)
		big = count[k] > big ? count[k] : big;
	return (double)big / (double)t->n;
}

void train_exp_rep_series_stats(const struct exp_rep *R, size_t k, struct exp_series_stats *out)
{
	double v[6][TRAIN_EXP_MAX_SEEDS];
	int m = 0;
	for (int i = 0; i < R->seeds; i++) {
		const struct exp_run *r = train_exp_rep_run(R, k, i);
		if (!r->done)
			continue;
		const struct exp_outcome *o = &r->out;
		v[0][m] = 100.0 * o->test_acc;
		v[1][m] = 100.0 * train_exp_balanced_accuracy(o);
		v[2][m] = (double)o->nrows;
		v[3][m] = o->seconds;
		v[4][m] = o->nrows ? o->seconds / (double)o->nrows : NAN;
		v[5][m] = o->nrows ? 100.0 * o->rows[o->nrows - 1].train_acc : NAN;
		m++;
	}
	out->acc = train_exp_stats_of(v[0], m);
	out->bal = train_exp_stats_of(v[1], m);
	out->epochs = train_exp_stats_of(v[2], m);
	out->secs = train_exp_stats_of(v[3], m);
	out->per_epoch = train_exp_stats_of(v[4], m);
	out->last_train = train_exp_stats_of(v[5], m);
}

void train_exp_fmt_acc(char *buf, size_t n, struct exp_stats a, int seeds)
{
	if (a.n == 0)
		snprintf(buf, n, "-");
	else if (a.n == 1)
		snprintf(buf, n, "%.2f (1 seed)", a.mean);
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

static enum qcq_status write_epochs_csv(const struct exp_rep *R, struct qcq_error *err)
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

static enum qcq_status write_runs_csv(const struct exp_rep *R, struct qcq_error *err)
{
	static const char *const hdr[] = {IDENT_COLS, "batch", "train", "val", "test",
					  "epochs_run", "best_epoch", "end", "test_loss", "test_acc",
					  "balanced_acc", "majority_acc", "tn", "fp", "fn", "tp",
					  "params", "quantum_params", "train_seconds", "file"};
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
		rep_csv_num(&c, train_exp_balanced_accuracy(o));
		rep_csv_num(&c, train_exp_majority_accuracy(&R->data[r->data]));
		int K = o->nclasses ? o->nclasses : 2;
		for (int a = 0; a < 2; a++) /* tn fp fn tp: binary tasks only */
			for (int b = 0; b < 2; b++)
				if (K == 2)
					rep_csv_int(&c, (long long)o->confusion[a][b]);
				else
					rep_csv_num(&c, NAN);
		rep_csv_int(&c, (long long)o->nparams);
		rep_csv_int(&c, (long long)o->nparams_quantum);
		rep_csv_num(&c, o->seconds);
		rep_csv_str(&c, r->name);
		rep_csv_end_row(&c);
	}
	return rep_csv_close(&c, err);
}

/* ---------------------------------------------------------------- tables */

/* A markdown text that grows. */
struct text {
	char *s;
	size_t n;
};

static void QCQ_PRINTF(2, 3) put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k <= 0)
		return;
	t->s = qcq_xrealloc(t->s, t->n + (size_t)k + 1);
	va_start(ap, fmt);
	vsnprintf(t->s + t->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	t->n += (size_t)k;
}

/* Appends a table and frees it. */
static void put_table(struct text *t, struct rep_table *tab)
{
	char *s = rep_table_format(tab);
	put(t, "%s\n", s);
	free(s);
	rep_table_free(tab);
}

/* One value per (model, task): the test accuracy or the balanced accuracy, with the
 * majority-class accuracy of each test set as the last row. */
static void table_by_task(const struct exp_rep *R, bool balanced, struct text *out)
{
	const struct train_exp_spec *s = R->s;
	const char *hdr[1 + TRAIN_EXP_NDATA];
	hdr[0] = "model";
	for (int d = 0; d < s->ndatasets; d++)
		hdr[1 + d] = train_exp_data_name(s->datasets[d]);
	struct rep_table *t = rep_table_create(1 + s->ndatasets, hdr);
	char cells[1 + TRAIN_EXP_NDATA][96];
	const char *row[1 + TRAIN_EXP_NDATA];
	for (int m = 0; m <= s->nmodels; m++) {
		snprintf(cells[0], sizeof cells[0], "%s", m < s->nmodels ?
			 nn_arch_name(s->models[m]) : "majority class (test set)");
		for (int d = 0; d < s->ndatasets; d++) {
			if (m == s->nmodels) {
				double maj = train_exp_majority_accuracy(&R->data[s->datasets[d]]);
				/* a constant guess has balanced accuracy 1/K */
				snprintf(cells[1 + d], sizeof cells[0], "%.2f",
					 balanced ? 100.0 / R->data[s->datasets[d]].split->nsides
						  : 100 * maj);
				continue;
			}
			struct exp_series_stats ss;
			train_exp_rep_series_stats(R, train_exp_rep_series_of(R, d, m), &ss);
			train_exp_fmt_acc(cells[1 + d], sizeof cells[0], balanced ? ss.bal : ss.acc, R->seeds);
		}
		for (int i = 0; i <= s->ndatasets; i++) {
			row[i] = cells[i];
			if (i)
				rep_table_set_align(t, i, REP_ALIGN_RIGHT);
		}
		rep_table_add_row(t, row);
	}
	put_table(out, t);
}

/* Welch's two-sided p of ours against the paper's mean ± std over 10 runs, as text;
 * "-" when it cannot be formed (fewer than 2 seeds). */
static void welch_text(struct exp_stats ours, double pm, double ps, char *buf, size_t n)
{
	struct qcq_stats_sample x = {ours.mean, ours.std, (size_t)ours.n};
	struct qcq_stats_sample y = {pm, ps, TRAIN_EXP_PAPER_SEEDS};
	struct qcq_stats_test t;
	struct qcq_error e;
	if (ours.n < 2 || qcq_stats_welch_summary(&x, &y, 0.95, &t, &e) != QCQ_OK)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, t.p >= 0.001 ? "%.3f" : "%.1e", t.p);
}

/* Every cell beside the paper's Table 1. */
static void table_side_by_side(const struct exp_rep *R, struct text *out)
{
	const struct train_exp_spec *s = R->s;
	static const char *const hdr[] = {"task", "model", "ours", "paper", "ours − paper",
					  "Welch p", "balanced accuracy (ours)", "majority class"};
	struct rep_table *t = rep_table_create(8, hdr);
	for (int c = 2; c < 8; c++)
		rep_table_set_align(t, c, REP_ALIGN_RIGHT);
	int rows = 0;
	for (int d = 0; d < s->ndatasets; d++) {
		double maj = 100 * train_exp_majority_accuracy(&R->data[s->datasets[d]]);
		for (int m = 0; m < s->nmodels; m++) {
			double pm, ps;
			if (!train_exp_paper_cell(s->models[m], s->datasets[d], &pm, &ps))
				continue;
			struct exp_series_stats ss;
			train_exp_rep_series_stats(R, train_exp_rep_series_of(R, d, m), &ss);
			char ours[96], bal[96], diff[32], p[32];
			train_exp_fmt_acc(ours, sizeof ours, ss.acc, R->seeds);
			train_exp_fmt_acc(bal, sizeof bal, ss.bal, R->seeds);
			snprintf(diff, sizeof diff, ss.acc.n ? "%+.2f" : "-", ss.acc.mean - pm);
			welch_text(ss.acc, pm, ps, p, sizeof p);
			rep_table_add_rowf(t, "%s\t%s\t%s\t%.2f ± %.2f\t%s\t%s\t%s\t%.2f",
					   train_exp_data_name(s->datasets[d]),
					   nn_arch_name(s->models[m]), ours, pm, ps, diff, p, bal, maj);
			rows++;
		}
	}
	if (!rows) {
		rep_table_free(t);
		return;
	}
	put(out, "Side by side with the paper's Table 1, test accuracy (%%), mean ± std over "
	    "seeds. Welch p: Welch's two-sided t-test from both means and standard deviations, "
	    "n = our finished seeds and n = 10 for the paper; it assumes that the paper's ± is "
	    "a sample standard deviation over 10 runs (the paper does not say). Each run here "
	    "uses the one split of its task; the paper's seeds may also have drawn the data, "
	    "which would widen its spread.\n\n");
	put_table(out, t);
}

static void table_compare(const struct exp_rep *R, struct text *out)
{
	const struct train_exp_spec *s = R->s;
	bool multi = false;
	for (int d = 0; d < s->ndatasets; d++)
		multi |= train_exp_data_multiclass(s->datasets[d]);
	if (!multi) {
		put(out, "Test accuracy (%%), mean ± std over seeds, and the accuracy of always "
		    "answering the test set's larger class:\n\n");
		table_by_task(R, false, out);
		put(out, "Balanced accuracy (%%): the mean of the two classes' recall (50 = chance "
		    "for any class proportions), mean ± std over seeds:\n\n");
	} else {
		put(out, "Test accuracy (%%), mean ± std over seeds, and the accuracy of always "
		    "answering the test set's largest class:\n\n");
		table_by_task(R, false, out);
		put(out, "Balanced accuracy (%%): the mean of the K classes' recall (100/K = chance "
		    "for any class proportions: 50 for two classes, 25 for four, 10 for ten; the "
		    "last row), mean ± std over seeds:\n\n");
	}
	table_by_task(R, true, out);
	if (s->protocol == TRAIN_EXP_PAPER)
		table_side_by_side(R, out);
	const char *hdr[1 + TRAIN_EXP_NDATA];
	hdr[0] = "model";
	for (int d = 0; d < s->ndatasets; d++)
		hdr[1 + d] = train_exp_data_name(s->datasets[d]);
	struct rep_table *t = rep_table_create(1 + s->ndatasets, hdr);
	for (int m = 0; m < s->nmodels; m++) {
		char cells[1 + TRAIN_EXP_NDATA][96];
		const char *row[1 + TRAIN_EXP_NDATA];
		snprintf(cells[0], sizeof cells[0], "%s", nn_arch_name(s->models[m]));
		for (int d = 0; d < s->ndatasets; d++) {
			struct exp_series_stats ss;
			train_exp_rep_series_stats(R, train_exp_rep_series_of(R, d, m), &ss);
			if (ss.secs.n)
				snprintf(cells[1 + d], sizeof cells[0], "%.1f s, %.0f epochs",
					 ss.secs.mean, ss.epochs.mean);
			else
				snprintf(cells[1 + d], sizeof cells[0], "-");
		}
		for (int i = 0; i <= s->ndatasets; i++) {
			row[i] = cells[i];
			if (i)
				rep_table_set_align(t, i, REP_ALIGN_RIGHT);
		}
		rep_table_add_row(t, row);
	}
	put(out, "Training time per run (mean) and epochs run (mean, early stopping):\n\n");
	put_table(out, t);
}

static void table_noise(const struct exp_rep *R, struct text *out)
{
	static const char *const hdr[] = {"shots", "p1", "p2", "test accuracy (%)",
					  "balanced accuracy (%)", "vs exact (points)",
					  "train accuracy, last epoch (%)", "epochs", "s per run"};
	struct rep_table *t = rep_table_create(9, hdr);
	double base = NAN;
	for (size_t k = 0; k < R->nseries; k++) {
		const struct exp_run *r = train_exp_rep_run(R, k, 0);
		struct exp_series_stats ss;
		train_exp_rep_series_stats(R, k, &ss);
		if (k == 0)
			base = ss.acc.mean;
		char acc[96], bal[96], last[96], delta[32], shots[32];
		train_exp_fmt_acc(acc, sizeof acc, ss.acc, R->seeds);
		train_exp_fmt_acc(bal, sizeof bal, ss.bal, R->seeds);
		train_exp_fmt_acc(last, sizeof last, ss.last_train, R->seeds);
		snprintf(shots, sizeof shots, r->shots ? "%ld" : "exact", r->shots);
		double dd = ss.acc.mean - base;
		if (fabs(dd) < 0.005)
			dd = 0; /* no "-0.00" */
		snprintf(delta, sizeof delta, k == 0 ? "-" : "%+.2f", dd);
		rep_table_add_rowf(t, "%s\t%g\t%g\t%s\t%s\t%s\t%s\t%.1f\t%.1f", shots, r->p1, r->p2,
				   acc, bal, delta, last, ss.epochs.mean, ss.secs.mean);
	}
	for (int c = 3; c < 9; c++)
		rep_table_set_align(t, c, REP_ALIGN_RIGHT);
	put_table(out, t);
}

static void table_depth(const struct exp_rep *R, struct text *out)
{
	const struct train_exp_spec *s = R->s;
	static const char *const hdr[] = {"data", "depth", "trainable angles",
					  "test accuracy (%)", "balanced accuracy (%)", "epochs",
					  "s per run", "s per epoch", "paper: s per run"};
	struct rep_table *t = rep_table_create(9, hdr);
	for (int d = 0; d < s->ndatasets; d++) {
		for (int j = 0; j < s->ndepths; j++) {
			size_t k = train_exp_rep_series_of(R, d, j);
			const struct exp_run *r = train_exp_rep_run(R, k, 0);
			struct exp_series_stats ss;
			train_exp_rep_series_stats(R, k, &ss);
			char acc[96], bal[96], paper[32] = "-";
			train_exp_fmt_acc(acc, sizeof acc, ss.acc, R->seeds);
			train_exp_fmt_acc(bal, sizeof bal, ss.bal, R->seeds);
			double ps = train_exp_paper_depth_seconds(r->data, r->depth);
			if (isfinite(ps))
				snprintf(paper, sizeof paper, "%.2f", ps);
			rep_table_add_rowf(t, "%s\t%d\t%d\t%s\t%s\t%.1f\t%.2f\t%.4f\t%s",
					   train_exp_data_name(r->data), r->depth, 2 * (r->depth + 1),
					   acc, bal, ss.epochs.mean, ss.secs.mean, ss.per_epoch.mean,
					   paper);
		}
	}
	for (int c = 3; c < 9; c++)
		rep_table_set_align(t, c, REP_ALIGN_RIGHT);
	put_table(out, t);
}

/* ---------------------------------------------------------------- all of it */

static size_t series_total(const struct train_exp_spec *s)
{
	return train_exp_count_runs(s) / (size_t)s->seeds;
}

static void put_head(const struct exp_rep *R, const struct exp_notes *notes, double seconds,
		     struct text *t)
{
	const struct train_exp_spec *s = R->s;
	size_t finished = 0;
	double train_s = 0;
	for (size_t i = 0; i < R->n; i++)
		if (R->runs[i].done)
			finished++, train_s += R->runs[i].out.seconds;
	put(t, "# %s study (%s protocol)\n\n", train_exp_kind_name(s->kind),
	    s->protocol == TRAIN_EXP_PAPER ? "the paper's" : "qcqlab's own");
	for (int d = 0; d < s->ndatasets; d++) {
		const struct exp_data *ed = &R->data[s->datasets[d]];
		put(t, "- %s; majority class of the test set: %.2f %%\n", ed->desc,
		    100 * train_exp_majority_accuracy(ed));
	}
	char depth[32];
	snprintf(depth, sizeof depth, s->kind == TRAIN_EXP_DEPTH ? "depth per row" : "depth %d",
		 s->depth);
	put(t, "- %d seeds, up to %d epochs, patience %d, lr %g, batch %s, %s, observable %s\n"
	    "- %zu of %zu runs finished; training time of all runs %.1f s; wall time of the "
	    "last call %.1f s\n- std: the sample standard deviation over seeds (ddof 1)\n\n",
	    s->seeds, s->epochs, s->patience, s->lr, s->batch ? "as given" : "4 (1 for qcq-cnn)",
	    depth, obs_word(s->observable), finished, R->n, train_s, seconds);
	if (notes->n)
		put(t, "Where this study departs from the paper's protocol:\n\n");
	for (int i = 0; i < notes->n; i++)
		put(t, "- %s\n%s", notes->line[i], i + 1 == notes->n ? "\n" : "");
}

enum qcq_status train_exp_report_write(const struct train_exp_spec *s, const char *out_dir,
				 const struct exp_run *runs, size_t n, const struct exp_data *data,
				 const struct exp_notes *notes, double seconds, char **table,
				 struct qcq_error *err)
{
	struct exp_rep R = {s, out_dir, runs, data, n, series_total(s), s->seeds};
	*table = NULL;
	enum qcq_status st = write_epochs_csv(&R, err);
	if (!st)
		st = write_runs_csv(&R, err);
	if (!st)
		st = train_exp_figures_write(&R, err);
	if (st)
		return qcq_error_prefix(err, "report");
	struct text t = {qcq_xmalloc(1), 0};
	t.s[0] = '\0';
	put_head(&R, notes, seconds, &t);
	if (s->kind == TRAIN_EXP_COMPARE)
		table_compare(&R, &t);
	else if (s->kind == TRAIN_EXP_NOISE)
		table_noise(&R, &t);
	else
		table_depth(&R, &t);
	char path[TRAIN_EXP_PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/table.md", out_dir);
	st = qcq_write_file_atomic(path, t.s, t.n, err);
	if (st)
		free(t.s);
	else
		*table = t.s;
	return st;
}
