/*
 * train/experiment-internal.h: what the experiment files share (experiment.h is the
 * public side): a run's identity and outcome, a prepared data set, the run-file format,
 * the report writers and the MPI exchange.
 */
#ifndef QCQ_EXPERIMENT_INTERNAL_H
#define QCQ_EXPERIMENT_INTERNAL_H

#include "qcq/data.h"
#include "qcq/experiment.h"
#include "qcq/train.h"

#define EXP_DEPTH_MAX 8 /* RealAmplitudes reps the quantum layer takes */

/* What a finished run leaves: the curves and the test metrics. */
struct exp_outcome {
	enum train_end end;
	int best_epoch;
	double test_loss, test_acc;
	int nclasses;          /* K of the task (0 = 2) */
	uint64_t confusion[TRAIN_MAX_CLASSES][TRAIN_MAX_CLASSES]; /* K x K used */
	double seconds;        /* training wall time, all epochs */
	size_t nparams, nparams_quantum;
	size_t nrows;
	struct train_epoch *rows; /* malloc'd */
};

struct exp_run {
	/* identity */
	enum train_exp_kind kind;
	enum nn_arch arch;
	enum train_exp_data data;
	uint64_t seed;
	int depth;
	enum nn_observable obs;
	long shots;
	double p1, p2;
	int batch, epochs, patience;
	double lr;
	size_t n[DATA_NPARTS];
	uint64_t data_key;     /* split and filter */
	uint64_t key;          /* everything above */
	char name[200];        /* file name in OUT/runs */
	/* state */
	bool done;             /* outcome is valid */
	bool from_disk;        /* found finished (skipped) */
	struct exp_outcome out;
};

/* A data set ready for training: the split images (for mlp, cnn) and the quanvolved
 * features (for the quanv models). */
struct exp_data {
	enum train_exp_data which;
	struct data_split *split;
	struct data_features *feat;
	uint64_t key;          /* qcq_hash of the split hash and the filter hash */
	char desc[600];
	char note[600];        /* how the sizes depart from the paper's, "" if they do not */
	/* for qcnn: the images downsampled to (small_side, small_side), or NULL */
	float *small[DATA_NPARTS];
	int small_side;
};

#define EXP_QCNN_SIDE 8 /* qcnn's input: the image area-averaged to 8x8 (nn.h default) */

/* experiment-run.c: part p of d as a model of arch reads it: the quanvolved features for
 * the models that take them (unless images: a trainable filter reads the images), qcnn's
 * small images, else the images. */
void train_exp_part(const struct exp_data *d, enum nn_arch arch, bool images, int p,
		    struct train_data *td);
/* The model a study trains: arch's defaults for the input td holds and d's classes, with
 * the study's depth, observable and seed (the one place both studies build it). */
void train_exp_model_desc(struct nn_model_desc *desc, enum nn_arch arch,
			  const struct train_data *td, const struct exp_data *d, int depth, int obs,
			  uint64_t seed);

/* experiment-paper.c */
#define EXP_MAX_NOTES 24
/* Lines that say how a study departs from the paper (printed at its start, listed in
 * table.md). */
struct exp_notes {
	int n;
	char line[EXP_MAX_NOTES][400];
};
/* Appends a line (printf format); lines beyond EXP_MAX_NOTES are dropped. */
void train_exp_notes_add(struct exp_notes *n, const char *fmt, ...) QCQ_PRINTF(2, 3);
/* The paper's Table 1 cell (%, mean and std over 10 seeds); false if it has none. */
bool train_exp_paper_cell(enum nn_arch arch, enum train_exp_data data, double *mean, double *std);
/* The paper's QCQ-CNN training seconds per run on MNIST at reps 1..3; NAN otherwise. */
double train_exp_paper_depth_seconds(enum train_exp_data data, int depth);
/* Appends the settings that differ from the paper's protocol and the choices made where
 * the paper is silent or unclear (the data's own deviations come from exp_data). */
void train_exp_paper_notes(const struct train_exp_spec *s, struct exp_notes *n);

/* experiment-spec.c */
/* The batch a run of arch uses: spec->batch, or the paper's (4; 1 for qcq-cnn). */
int train_exp_batch_for(const struct train_exp_spec *s, enum nn_arch arch);
/* The runs of a study, in their canonical order (keys and names not yet set). */
struct exp_run *train_exp_plan(const struct train_exp_spec *s, size_t *n);

/* Comma lists as the spec parsers read them (at most TRAIN_EXP_MAX_LIST items, none
 * empty; item(ctx, i, word) for each), and one number in [lo, hi] (an integer for
 * train_exp_parse_int); for the ablation study's grids. */
enum qcq_status train_exp_split_list(const char *what, const char *text,
			       enum qcq_status (*item)(void *ctx, int i, const char *w,
						       struct qcq_error *err),
			       void *ctx, int *count, struct qcq_error *err);
enum qcq_status train_exp_parse_num(const char *w, double lo, double hi, double *out,
			      struct qcq_error *err);
enum qcq_status train_exp_parse_int(const char *w, long lo, long hi, long *out, struct qcq_error *err);

/* experiment-data.c */
/* Resolves "" to the first data root that exists (data_find), else the data home. */
void train_exp_data_dir(const struct train_exp_spec *s, char *buf, size_t n);
enum qcq_status train_exp_data_prepare(const struct train_exp_spec *s, enum train_exp_data which,
				 const struct qml_filter *filter, struct qcq_pool *pool,
				 const struct qcq_sink *events, struct exp_data *out,
				 struct qcq_error *err);
void train_exp_data_free(struct exp_data *d);
/* Fills d->small with every image resized to side x side (area averaging). */
void train_exp_data_downsample(struct exp_data *d, int side);

/* experiment-run.c */
/* Fills r->n, r->data_key, r->key and r->name from the prepared data. */
void train_exp_run_identify(struct exp_run *r, const struct exp_data *d);
/* Trains r (sets r->out, r->done on success). */
enum qcq_status train_exp_run_train(struct exp_run *r, const struct exp_data *d,
			      const struct qcq_sink *events, const qcq_stop_flag *stop,
			      struct qcq_error *err);
/* The run file: text (malloc'd, *len bytes) and its parser, which checks that the
 * file belongs to r (same key) and fills r->out. */
char *train_exp_run_format(const struct exp_run *r, size_t *len);
enum qcq_status train_exp_run_parse(struct exp_run *r, const char *text, size_t len,
			      struct qcq_error *err);
void train_exp_outcome_free(struct exp_outcome *o);
/* A label for logs and legends: "qcq-cnn", "shots 128, p1 0.01 p2 0.02", "depth 2". */
void train_exp_run_series(const struct exp_run *r, char *buf, size_t n);

/* experiment-report.c: epochs.csv, runs.csv, table.md, the figures. *table gets the
 * markdown (malloc'd). */
enum qcq_status train_exp_report_write(const struct train_exp_spec *s, const char *out_dir,
				 const struct exp_run *runs, size_t n, const struct exp_data *data,
				 const struct exp_notes *notes, double seconds, char **table,
				 struct qcq_error *err);

/* experiment-mpi.c (each a no-op, rank 0 of 1, without MPI) */
/* Lazily initialises MPI when started under a launcher and s->use_mpi. Fails when
 * several ranks run on an MPI that grants less than MPI_THREAD_SERIALIZED. */
enum qcq_status train_exp_mpi_begin(const struct train_exp_spec *s, int *rank, int *size,
			      struct qcq_error *err);
/* Rank 0 broadcasts which of the n runs are done; the other ranks receive it. */
void train_exp_mpi_share_done(bool *done, size_t n);
/* A rank other than 0 sends run i's file to rank 0, then, when it has no more, an end. */
void train_exp_mpi_send_run(size_t i, const char *text, size_t len);
void train_exp_mpi_send_end(void);
/* Rank 0: hands every run file that has arrived to got(ctx, i, text, len); with block,
 * until every other rank has sent its end. */
void train_exp_mpi_collect(bool block, void (*got)(void *ctx, size_t i, const char *text, size_t len),
		     void *ctx);
void train_exp_mpi_barrier(void);

#endif
