/*
 * train/experiment-verdict.c: the ablation study's reports — which comparisons its
 * models allow, their statistics (through core's qcq_stats_*), Holm's adjustment over
 * the whole study, the verdicts, and the files: search.csv, configs.csv, runs.csv,
 * comparisons.csv and table.md (ablate.h says what each holds).
 */
#include "experiment-ablate.h"

#include "qcq/report.h"
#include "qcq/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct abl_comparison all_comparisons[] = {
	{"quantum filter vs classical random filter", NN_ARCH_QCQ_CNN, NN_ARCH_RF_QCQ_CNN, false,
	 false},
	{"quantum filter vs classical random filter (qccnn)", NN_ARCH_QCCNN, NN_ARCH_RF_QCCNN,
	 false, false},
	{"quantum classifier vs classical head", NN_ARCH_QCQ_CNN, NN_ARCH_QCQ_CNN_CHEAD, false,
	 false},
	{"entangling vs not", NN_ARCH_QCQ_CNN, NN_ARCH_QCQ_CNN_NOENT, false, false},
	{"QCQ-CNN vs CNN", NN_ARCH_QCQ_CNN, NN_ARCH_CNN, false, false},
	{"QCQ-CNN vs parameter-matched CNN", NN_ARCH_QCQ_CNN, NN_ARCH_CNN_PM, false, false},
	{"QCCNN vs CNN", NN_ARCH_QCCNN, NN_ARCH_CNN, false, false},
	/* the trainable-filter arms (last, so that a study without them keeps its rows) */
	{"trainable vs fixed quantum filter", NN_ARCH_QCQ_CNN, NN_ARCH_QCQ_CNN, true, false},
	{"trainable quantum filter vs classical random filter", NN_ARCH_QCQ_CNN,
	 NN_ARCH_RF_QCQ_CNN, true, false},
	{"trainable vs fixed quantum filter (qccnn)", NN_ARCH_QCCNN, NN_ARCH_QCCNN, true, false},
	{"trainable quantum filter vs classical random filter (qccnn)", NN_ARCH_QCCNN,
	 NN_ARCH_RF_QCCNN, true, false},
};
#define NCMP ((int)(sizeof all_comparisons / sizeof all_comparisons[0]))

static int model_index(const struct train_abl_spec *s, enum nn_arch a, bool tf)
{
	for (int m = 0; m < s->base.nmodels; m++)
		if (s->base.models[m] == a && (bool)(s->trainable >> m & 1u) == tf)
			return m;
	return -1;
}

/* The report names of a comparison's sides (both are in the study). */
static const char *name_a(const struct train_abl_spec *s, const struct abl_comparison *c)
{
	return train_abl_model_name(s, model_index(s, c->a, c->a_tf));
}

static const char *name_b(const struct train_abl_spec *s, const struct abl_comparison *c)
{
	return train_abl_model_name(s, model_index(s, c->b, c->b_tf));
}

int train_ablate_comparisons(const struct train_abl_spec *s, struct abl_comparison *out, int max)
{
	int n = 0;
	for (int i = 0; i < NCMP && n < max; i++)
		if (model_index(s, all_comparisons[i].a, all_comparisons[i].a_tf) >= 0 &&
		    model_index(s, all_comparisons[i].b, all_comparisons[i].b_tf) >= 0)
			out[n++] = all_comparisons[i];
	return n;
}

/* ---------------------------------------------------------------- statistics */

struct cmp_row {
	const struct abl_comparison *c;
	int data;
	int n;
	double mean_a, mean_b, diff, lo, hi, p_paired, p_welch, p_holm, d;
	bool constant;   /* every seed gave the same non-zero difference (see tests()) */
	const char *verdict;
};

/* Test accuracies of (data d, model m) by seed 1..S into x. */
static void final_accs(const struct train_abl_spec *s, const struct abl_result *r, int d, int m,
		       double *x)
{
	for (size_t i = r->nsearch; i < r->ntasks; i++) {
		const struct abl_task *t = &r->tasks[i];
		if (t->data == d && t->model == m)
			x[t->seed - 1] = t->test_acc;
	}
}

static double mean_of(const double *x, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += x[i];
	return s / n;
}

/*
 * The tests of one row. qcq_stats refuses a t-test when every seed gives the same
 * non-zero difference (zero spread: t is infinite). The study takes the limit there:
 * p = 0, the interval collapses to the difference, d = +-inf, and the row is flagged
 * "constant" in the reports. With one seed no test exists: p = NaN, never "helps".
 */
static void tests(const double *x, const double *y, int S, struct cmp_row *row)
{
	struct qcq_stats_test paired, welch;
	struct qcq_error e;
	row->lo = row->hi = row->p_paired = row->p_welch = row->d = NAN;
	if (S < 2)
		return;
	enum qcq_status st = qcq_stats_paired(x, y, (size_t)S, 0.95, &paired, &e);
	if (st == QCQ_OK) {
		row->lo = paired.ci_lo, row->hi = paired.ci_hi, row->p_paired = paired.p;
	} else if (st == QCQ_EINVAL) {
		row->constant = true;
		row->lo = row->hi = row->diff, row->p_paired = 0;
	}
	if (qcq_stats_welch(x, (size_t)S, y, (size_t)S, 0.95, &welch, &e) == QCQ_OK)
		row->p_welch = welch.p;
	else
		row->p_welch = 0;
	if (qcq_stats_cohen_d(x, (size_t)S, y, (size_t)S, &row->d, &e) != QCQ_OK)
		row->d = row->diff > 0 ? INFINITY : -INFINITY;
}

static void compare(const struct train_abl_spec *s, const struct abl_result *r,
		    struct cmp_row *row)
{
	int S = s->base.seeds;
	double x[TRAIN_EXP_MAX_SEEDS], y[TRAIN_EXP_MAX_SEEDS];
	final_accs(s, r, row->data, model_index(s, row->c->a, row->c->a_tf), x);
	final_accs(s, r, row->data, model_index(s, row->c->b, row->c->b_tf), y);
	row->n = S;
	row->mean_a = mean_of(x, S), row->mean_b = mean_of(y, S);
	row->diff = row->mean_a - row->mean_b;
	tests(x, y, S, row);
}

/* Holm over every row's paired p (at 5 %), then the verdicts. */
static void decide(struct cmp_row *rows, int n)
{
	double p[TRAIN_EXP_NDATA * NCMP], adj[TRAIN_EXP_NDATA * NCMP];
	bool reject[TRAIN_EXP_NDATA * NCMP];
	bool ok = true;
	for (int i = 0; i < n; i++) {
		p[i] = rows[i].p_paired;
		ok = ok && p[i] >= 0 && p[i] <= 1;
	}
	struct qcq_error e;
	if (!ok || qcq_stats_holm(p, (size_t)n, 0.05, adj, reject, &e) != QCQ_OK) {
		for (int i = 0; i < n; i++) /* one seed: nothing to test */
			adj[i] = NAN, reject[i] = false;
	}
	for (int i = 0; i < n; i++) {
		rows[i].p_holm = adj[i];
		if (reject[i] && rows[i].diff > 0)
			rows[i].verdict = "helps";
		else if (reject[i] && rows[i].diff < 0)
			rows[i].verdict = "hurts";
		else
			rows[i].verdict = "no detectable difference";
	}
}

/* ---------------------------------------------------------------- CSV files */

static void path_in(char *buf, size_t n, const char *dir, const char *file)
{
	snprintf(buf, n, "%s/%s", dir, file);
}

static void csv_config(struct rep_csv *c, const struct train_abl_spec *s, const struct abl_task *t)
{
	struct abl_config k = train_ablate_grid_config(s, t->grid);
	rep_csv_str(c, train_exp_data_name(s->base.datasets[t->data]));
	rep_csv_str(c, train_abl_model_name(s, t->model));
	rep_csv_int(c, t->grid);
	rep_csv_num(c, k.lr);
	rep_csv_int(c, k.conv1);
	rep_csv_int(c, k.conv2);
	rep_csv_int(c, k.batch);
	rep_csv_int(c, t->seed);
}

static enum qcq_status write_runs(const struct train_abl_spec *s, const char *dir,
				  const struct abl_result *r, bool final, struct qcq_error *err)
{
	static const char *const hdr[] = {"data", "model", "config", "lr", "conv1", "conv2",
					  "batch", "seed", "params", "params_quantum", "epochs",
					  "best_epoch", "end", "best_val_acc", "test_acc",
					  "test_balanced_acc", "seconds"};
	int nc = (int)(sizeof hdr / sizeof hdr[0]) - (final ? 0 : 2);
	char path[TRAIN_EXP_PATH_MAX + 32];
	path_in(path, sizeof path, dir, final ? "runs.csv" : "search.csv");
	const char *h[sizeof hdr / sizeof hdr[0]];
	memcpy(h, hdr, sizeof h);
	if (!final)
		h[nc - 1] = "seconds";
	struct rep_csv c;
	enum qcq_status st = rep_csv_open(&c, path, h, nc, err);
	if (st)
		return st;
	size_t a = final ? r->nsearch : 0, b = final ? r->ntasks : r->nsearch;
	for (size_t i = a; i < b; i++) {
		const struct abl_task *t = &r->tasks[i];
		csv_config(&c, s, t);
		rep_csv_int(&c, (long long)t->nparams);
		rep_csv_int(&c, (long long)t->nparams_q);
		rep_csv_int(&c, t->epochs);
		rep_csv_int(&c, t->best_epoch);
		rep_csv_str(&c, train_end_name(t->end));
		rep_csv_num(&c, t->val_acc);
		if (final) {
			rep_csv_num(&c, t->test_acc);
			rep_csv_num(&c, t->test_bal_acc);
		}
		rep_csv_num(&c, t->seconds);
		rep_csv_end_row(&c);
	}
	return rep_csv_close(&c, err);
}

static enum qcq_status write_configs(const struct train_abl_spec *s, const char *dir,
				     const struct abl_result *r, struct qcq_error *err)
{
	static const char *const hdr[] = {"data", "model", "config", "lr", "conv1", "conv2",
					  "batch", "search_seeds", "mean_val_acc", "chosen"};
	char path[TRAIN_EXP_PATH_MAX + 32];
	path_in(path, sizeof path, dir, "configs.csv");
	struct rep_csv c;
	enum qcq_status st = rep_csv_open(&c, path, hdr, (int)(sizeof hdr / sizeof hdr[0]), err);
	if (st)
		return st;
	for (int d = 0; d < s->base.ndatasets; d++)
		for (int m = 0; m < s->base.nmodels; m++)
			for (int k = 0; k < train_ablate_grid_size(s); k++) {
				struct abl_task t = {.data = d, .model = m, .grid = k,
						     .seed = s->search_seeds};
				csv_config(&c, s, &t);
				rep_csv_num(&c, train_ablate_config_score(s, r->tasks, r->nsearch, d, m, k));
				rep_csv_int(&c, r->choice[d][m] == k);
				rep_csv_end_row(&c);
			}
	return rep_csv_close(&c, err);
}

static enum qcq_status write_comparisons(const struct train_abl_spec *s, const char *dir,
					 const struct cmp_row *rows, int n, struct qcq_error *err)
{
	static const char *const hdr[] = {"data", "comparison", "a", "b", "seeds", "mean_a",
					  "mean_b", "diff", "ci95_lo", "ci95_hi", "p_paired",
					  "p_welch", "p_holm", "cohen_d", "zero_spread", "verdict"};
	char path[TRAIN_EXP_PATH_MAX + 32];
	path_in(path, sizeof path, dir, "comparisons.csv");
	struct rep_csv c;
	enum qcq_status st = rep_csv_open(&c, path, hdr, (int)(sizeof hdr / sizeof hdr[0]), err);
	if (st)
		return st;
	for (int i = 0; i < n; i++) {
		const struct cmp_row *w = &rows[i];
		rep_csv_str(&c, train_exp_data_name(s->base.datasets[w->data]));
		rep_csv_str(&c, w->c->what);
		rep_csv_str(&c, name_a(s, w->c));
		rep_csv_str(&c, name_b(s, w->c));
		rep_csv_int(&c, w->n);
		rep_csv_num(&c, w->mean_a);
		rep_csv_num(&c, w->mean_b);
		rep_csv_num(&c, w->diff);
		rep_csv_num(&c, w->lo);
		rep_csv_num(&c, w->hi);
		rep_csv_num(&c, w->p_paired);
		rep_csv_num(&c, w->p_welch);
		rep_csv_num(&c, w->p_holm);
		rep_csv_num(&c, w->d);
		rep_csv_int(&c, w->constant);
		rep_csv_str(&c, w->verdict);
		rep_csv_end_row(&c);
	}
	return rep_csv_close(&c, err);
}

/* ---------------------------------------------------------------- table.md */

static void md_table(FILE *b, struct rep_table *t)
{
	char *text = rep_table_format(t);
	fprintf(b, "%s\n", text);
	free(text);
	rep_table_free(t);
}

static void method(FILE *b, const struct train_abl_spec *s, int ncmp_total)
{
	fprintf(b, "# ablate study: does the quantum part help?\n\n");
	fprintf(b, "Method. Per task every model gets the same hyperparameter search, on the "
	       "validation part only: lr {");
	for (int i = 0; i < s->nlrs; i++)
		fprintf(b, "%s%g", i ? ", " : "", s->lrs[i]);
	fprintf(b, "} x conv1/conv2 {");
	for (int i = 0; i < s->nwidths; i++)
		fprintf(b, "%s%d/%d", i ? ", " : "", s->widths[i].conv1, s->widths[i].conv2);
	fprintf(b, "} x batch {");
	for (int i = 0; i < s->nbatches; i++)
		fprintf(b, "%s%d", i ? ", " : "", s->batches[i]);
	fprintf(b, "} = %d configurations, each trained with seeds 1..%d (Adam, up to %d epochs, "
	       "early stopping with patience %d on validation accuracy, the best epoch's weights "
	       "kept); a configuration's score is its mean best validation accuracy. The best-"
	       "scoring configuration (ties: the first) is trained with seeds 1..%d and only then "
	       "evaluated on the test part. Seed s shares the split and the sample order across "
	       "models, and models with the same CNN shapes share its initial weights, so seeds "
	       "pair. Each comparison a - b is the per-seed difference in test accuracy: mean with "
	       "its 95 %% paired-t confidence interval, two-sided paired t-test p, Welch t-test p, "
	       "Cohen's d (pooled sd), and the paired p adjusted by Holm's method over all %d "
	       "comparisons x tasks of this study. Verdict at adjusted p < 0.05: helps (a above "
	       "b), hurts (a below b), otherwise no detectable difference. A difference that is the "
	       "same non-zero value on every seed has no finite t: it is given p = 0 and marked "
	       "\"zero spread\". Quantum classifier depth "
	       "%d (RealAmplitudes reps), observable %s.\n\n",
	       train_ablate_grid_size(s), s->search_seeds, s->base.epochs, s->base.patience, s->base.seeds,
	       ncmp_total, s->base.depth, s->base.observable == NN_OBS_ZZ ? "<Z0 Z1>" : "<Z0>");
	if (!s->trainable)
		return;
	fprintf(b, "Trainable-filter arms (");
	for (int m = 0, k = 0; m < s->base.nmodels; m++)
		if (s->trainable >> m & 1u)
			fprintf(b, "%s%s", k++ ? ", " : "", train_abl_model_name(s, m));
	fprintf(b, "): the model reads the images and its layer 0 is the study's quanvolution "
	       "filter, starting from the fixed arm's angles and trained with the rest of the "
	       "model (adjoint gradients) at ");
	if (s->filter_lr > 0)
		fprintf(b, "filter lr %g", s->filter_lr);
	else
		fprintf(b, "the configuration's lr");
	fprintf(b, ". The filter lr is not searched, so every model has the same number of "
	       "configurations (%d).\n\n", train_ablate_grid_size(s));
}

static void verdict_table(FILE *b, const struct train_abl_spec *s, const struct cmp_row *rows,
			  int n)
{
	const char *hdr[1 + TRAIN_EXP_NDATA] = {"comparison (a - b)"};
	for (int d = 0; d < s->base.ndatasets; d++)
		hdr[1 + d] = train_exp_data_name(s->base.datasets[d]);
	struct rep_table *t = rep_table_create(1 + s->base.ndatasets, hdr);
	for (int i = 0; i < n; i++) {
		if (rows[i].data != 0)
			continue;
		char what[200];
		const char *cells[1 + TRAIN_EXP_NDATA];
		snprintf(what, sizeof what, "%s (%s - %s)", rows[i].c->what, name_a(s, rows[i].c),
			 name_b(s, rows[i].c));
		cells[0] = what;
		for (int j = 0; j < n; j++)
			if (rows[j].c == rows[i].c)
				cells[1 + rows[j].data] = rows[j].verdict;
		rep_table_add_row(t, cells);
	}
	fprintf(b, "## Verdicts (Holm-adjusted paired t-test, 5 %%)\n\n");
	md_table(b, t);
}

static void choices_table(FILE *b, const struct train_abl_spec *s, const struct abl_result *r)
{
	static const char *const hdr[] = {"task", "model", "params (quantum)", "lr", "conv1/conv2",
					  "batch", "val score", "test acc % (mean ± std)",
					  "balanced acc %"};
	struct rep_table *t = rep_table_create(9, hdr);
	int S = s->base.seeds;
	for (int d = 0; d < s->base.ndatasets; d++)
		for (int m = 0; m < s->base.nmodels; m++) {
			struct abl_config k = train_ablate_grid_config(s, r->choice[d][m]);
			double x[TRAIN_EXP_MAX_SEEDS], bal = 0, sd = 0;
			size_t np = 0, nq = 0;
			final_accs(s, r, d, m, x);
			for (size_t i = r->nsearch; i < r->ntasks; i++)
				if (r->tasks[i].data == d && r->tasks[i].model == m) {
					bal += r->tasks[i].test_bal_acc / S;
					np = r->tasks[i].nparams, nq = r->tasks[i].nparams_q;
				}
			double mu = mean_of(x, S);
			for (int i = 0; i < S; i++)
				sd += (x[i] - mu) * (x[i] - mu);
			sd = S > 1 ? sqrt(sd / (S - 1)) : 0;
			rep_table_add_rowf(t, "%s\t%s\t%zu (%zu)\t%g\t%d/%d\t%d\t%.4f\t%.2f ± %.2f\t%.2f",
					   train_exp_data_name(s->base.datasets[d]),
					   train_abl_model_name(s, m), np, nq, k.lr, k.conv1,
					   k.conv2, k.batch, r->score[d][m], 100 * mu, 100 * sd,
					   100 * bal);
		}
	fprintf(b, "## Chosen configurations (by validation score) and their test accuracy over "
	       "%d seeds\n\n", S);
	md_table(b, t);
}

static void comparisons_table(FILE *b, const struct train_abl_spec *s,
			      const struct cmp_row *rows, int n)
{
	static const char *const hdr[] = {"task", "comparison", "a - b (pp)", "95 % CI (pp)",
					  "paired p", "Welch p", "Holm p", "Cohen's d", "verdict"};
	struct rep_table *t = rep_table_create(9, hdr);
	for (int i = 0; i < n; i++) {
		const struct cmp_row *w = &rows[i];
		rep_table_add_rowf(t, "%s\t%s (%s - %s)\t%+.2f\t[%+.2f, %+.2f]\t%.3g%s\t%.3g\t%.3g\t%.2f\t%s",
				   train_exp_data_name(s->base.datasets[w->data]), w->c->what,
				   name_a(s, w->c), name_b(s, w->c), 100 * w->diff,
				   100 * w->lo, 100 * w->hi, w->p_paired,
				   w->constant ? " (zero spread)" : "", w->p_welch, w->p_holm, w->d,
				   w->verdict);
	}
	fprintf(b, "## Comparisons\n\n");
	md_table(b, t);
}

enum qcq_status train_ablate_report_write(const struct train_abl_spec *s, const char *out_dir,
				 const struct abl_result *r, double seconds, char **table,
				 struct qcq_error *err)
{
	struct abl_comparison cmp[NCMP];
	int nc = train_ablate_comparisons(s, cmp, NCMP);
	struct cmp_row rows[TRAIN_EXP_NDATA * NCMP];
	int n = 0;
	for (int i = 0; i < nc; i++)
		for (int d = 0; d < s->base.ndatasets; d++) {
			memset(&rows[n], 0, sizeof rows[n]);
			rows[n].c = &cmp[i], rows[n].data = d;
			compare(s, r, &rows[n]);
			n++;
		}
	if (n)
		decide(rows, n);
	enum qcq_status st = write_runs(s, out_dir, r, false, err);
	if (!st)
		st = write_runs(s, out_dir, r, true, err);
	if (!st)
		st = write_configs(s, out_dir, r, err);
	if (!st)
		st = write_comparisons(s, out_dir, rows, n, err);
	if (st)
		return st;
	char *text = NULL;
	size_t len = 0;
	FILE *b = open_memstream(&text, &len);
	if (!b)
		return qcq_error_set(err, QCQ_ENOMEM, "table.md: out of memory");
	method(b, s, n);
	for (int d = 0; d < s->base.ndatasets; d++)
		fprintf(b, "- %s\n", r->data_desc[d]);
	fprintf(b, "- %zu runs (%zu search, %zu final), wall time %.1f s\n\n", r->ntasks, r->nsearch,
	       r->ntasks - r->nsearch, seconds);
	if (n)
		verdict_table(b, s, rows, n);
	else
		fprintf(b, "No comparisons: the study needs both models of a pair (ablate.h).\n\n");
	choices_table(b, s, r);
	if (n)
		comparisons_table(b, s, rows, n);
	char path[TRAIN_EXP_PATH_MAX + 32];
	path_in(path, sizeof path, out_dir, "table.md");
	fclose(b);
	st = qcq_write_file_atomic(path, text, len, err);
	if (st == QCQ_OK && table)
		*table = text;
	else
		free(text);
	return st;
}
