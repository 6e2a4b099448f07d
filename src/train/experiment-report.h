/*
 * train/experiment-report.h: what the two report files share (experiment-report.c: the
 * CSV files and table.md; experiment-figures.c: the PNG figures) — the summary of a
 * series of runs over seeds and the per-run metrics beside accuracy.
 *
 * Runs come in plan order: series k (a model on a data set, a noise setting, a depth on
 * a data set) holds runs k*seeds .. k*seeds+seeds-1. Unfinished runs (a stopped study)
 * are left out.
 */
#ifndef QCQ_EXPERIMENT_REPORT_H
#define QCQ_EXPERIMENT_REPORT_H

#include "experiment-internal.h"

/* Mean and sample standard deviation (ddof 1; NAN with fewer than 2 values) of the
 * finite values. */
struct exp_stats {
	int n;
	double mean, std;
};
struct exp_stats train_exp_stats_of(const double *v, int n);

struct exp_rep {
	const struct train_exp_spec *s;
	const char *dir;
	const struct exp_run *runs;
	const struct exp_data *data; /* indexed by enum train_exp_data */
	size_t n, nseries;
	int seeds;
};

const struct exp_run *train_exp_rep_run(const struct exp_rep *R, size_t k, int seed);

/* What a series' finished runs give, each over seeds: test accuracy and balanced
 * accuracy (in %), epochs run, training seconds per run and per epoch, and the training
 * accuracy (%) of the last epoch run. */
struct exp_series_stats {
	struct exp_stats acc, bal, epochs, secs, per_epoch, last_train;
};
void train_exp_rep_series_stats(const struct exp_rep *R, size_t k, struct exp_series_stats *out);

/* Balanced accuracy (mean recall of the two classes) from a [true][predicted]
 * confusion matrix, in [0, 1]; NAN when a class has no test image. */
double train_exp_balanced_accuracy(const struct exp_outcome *o);
/* The accuracy of always answering the test set's larger class, in [0, 1] (NAN for an
 * empty test set). */
double train_exp_majority_accuracy(const struct exp_data *d);

/* "mean ± std", "mean (1 seed)", "... (k of N seeds)" or "-". */
void train_exp_fmt_acc(char *buf, size_t n, struct exp_stats a, int seeds);

/* Series index of (data set d, model m) in a compare study, (d, depth j) in a depth
 * study. */
size_t train_exp_rep_series_of(const struct exp_rep *R, int d, int j);

/* experiment-figures.c: the PNG figures of the study (compare-<task>.png, noise-*.png,
 * depth-*.png). */
enum qcq_status train_exp_figures_write(const struct exp_rep *R, struct qcq_error *err);

#endif
