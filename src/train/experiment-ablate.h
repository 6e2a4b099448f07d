/*
 * train/experiment-ablate.h: what the files of the ablation study share (ablate.h is
 * the public side): its tasks, the selection, the comparisons, and a seam through which
 * the no-leakage test corrupts the test labels after the data are prepared.
 */
#ifndef QCQ_EXPERIMENT_ABLATE_H
#define QCQ_EXPERIMENT_ABLATE_H

#include "experiment-internal.h"
#include "qcq/ablate.h"

/* One training run of the study: a search run (no test) or a final run. */
struct abl_task {
	int data;          /* index into spec.base.datasets */
	int model;         /* index into spec.base.models */
	int grid;          /* configuration index (train_ablate_grid_config) */
	int seed;
	bool final;
	/* outcome */
	bool done;
	bool from_disk;    /* read from its run file (found finished), not trained now */
	enum train_end end;
	double val_acc;    /* best validation accuracy (the early-stopping score) */
	int best_epoch, epochs;
	double test_acc, test_bal_acc; /* final runs only; NaN otherwise */
	size_t nparams, nparams_q;
	double seconds;
};

struct abl_config {
	double lr;
	int conv1, conv2, batch;
};

/* What a study found: the tasks (search runs, then final runs, in plan order) and, per
 * (data, model), the chosen configuration and its score. */
struct abl_result {
	struct abl_task *tasks;
	size_t ntasks, nsearch;
	int choice[TRAIN_EXP_NDATA][NN_ARCH_COUNT];    /* grid index */
	double score[TRAIN_EXP_NDATA][NN_ARCH_COUNT];  /* its mean validation accuracy */
	char data_desc[TRAIN_EXP_NDATA][600];
	double seconds;
};
void train_ablate_result_free(struct abl_result *r);

/* experiment-search.c */
int train_ablate_grid_size(const struct train_abl_spec *s);
/* Configuration k (lr fastest, then widths, then batches). */
struct abl_config train_ablate_grid_config(const struct train_abl_spec *s, int k);
/* The search tasks of every (data, model, configuration, search seed), in that order. */
struct abl_task *train_ablate_plan_search(const struct train_abl_spec *s, size_t *n);
/* Scores every configuration from the finished search tasks and picks the best per
 * (data, model) into r->choice / r->score. Reads val_acc only. */
void train_ablate_select(const struct train_abl_spec *s, const struct abl_task *search, size_t n,
		struct abl_result *r);
/* Mean validation score of configuration k of (data d, model m) over its search seeds. */
double train_ablate_config_score(const struct train_abl_spec *s, const struct abl_task *search, size_t n,
			int d, int m, int k);

/* experiment-verdict.c: comparisons.csv, runs.csv, search.csv, configs.csv, table.md */
struct abl_comparison {
	const char *what;       /* "quantum filter vs classical random filter" */
	enum nn_arch a, b;      /* difference a - b */
	bool a_tf, b_tf;        /* the trainable-filter arm of a, of b */
};
/* The comparisons the study's models allow, in report order; returns the count. */
int train_ablate_comparisons(const struct train_abl_spec *s, struct abl_comparison *out, int max);
enum qcq_status train_ablate_report_write(const struct train_abl_spec *s, const char *out_dir,
				 const struct abl_result *r, double seconds, char **table,
				 struct qcq_error *err);

/* experiment-ablate-file.c: the run files under OUT/runs that make the study resumable
 * (named and keyed by the run's own settings; floats as "%a", read back bit-identical). */
void train_ablate_task_path(const struct train_abl_spec *s, const struct exp_data *data,
			    const char *out_dir, const struct abl_task *t, char *buf, size_t n);
char *train_ablate_task_format(const struct train_abl_spec *s, const struct exp_data *data,
			       const struct abl_task *t, size_t *len);
/* Fills t's outcome (done, from_disk) from text when it is t's complete file; t is
 * unchanged on an error (which says why). */
enum qcq_status train_ablate_task_parse(const struct train_abl_spec *s,
					const struct exp_data *data, struct abl_task *t,
					const char *text, size_t len, struct qcq_error *err);
/* Reads the files of tasks [first, end) that are there; logs every bad one (path, why:
 * it is trained again); returns how many were found finished. */
size_t train_ablate_find_finished(const struct train_abl_spec *s, const struct exp_data *data,
				  const char *out_dir, struct abl_task *tasks, size_t first,
				  size_t end, const struct qcq_sink *events);
/* How many ablate_*.run files in OUT/runs belong to no run of this study (written under
 * other options): they are ignored, never reused. */
size_t train_ablate_count_foreign(const struct train_abl_spec *s, const struct exp_data *data,
				  const char *out_dir);

/* experiment-ablate.c: the study; hook (may be NULL) runs on every prepared data set
 * before any training (the no-leakage test flips the test labels there). */
struct abl_hooks {
	void (*after_prepare)(struct exp_data *d, void *ctx);
	void *ctx;
};
enum qcq_status train_ablate_run(const struct train_abl_spec *s, const struct abl_hooks *hooks,
			const struct qcq_sink *events, const qcq_stop_flag *stop,
			struct abl_result *res, char **table, struct qcq_error *err);

#endif
