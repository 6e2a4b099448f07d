/*
 * train: the training loop of an nn_model, its metrics, early stopping and checkpoints.
 *
 * Data enter as plain arrays (struct train_data), so this module does not care how the
 * data module stores splits or features. Progress leaves as events through a struct
 * qcq_sink (core.h): a QCQ_EV_BATCH per batch (throttled by opts.event_interval; epoch,
 * step, done/total batches, train_loss of the batch, rate in samples/s), a QCQ_EV_EPOCH
 * per epoch (the row's numbers, done/total epochs), QCQ_EV_LOG lines (early stopping,
 * restoring the best weights, the test accuracy) and one QCQ_EV_DONE at the end (text
 * "done after 20 of 20 epochs", val_acc the best). A `stop` flag is read between
 * batches; a stopped run keeps the best weights.
 *
 * Reproducibility: the order of the samples in epoch e is a function of (opts.seed, e)
 * only, and the model's own stream (dropout, shots) is part of the model, so the same
 * model seed, options and thread count give bit-identical curves, also across
 * stop + resume at an epoch boundary.
 *
 * The resumable state of a run lives in struct train_history next to its per-epoch rows:
 * a history is "the last training of this model" and train_fit with a non-empty history
 * continues it. Checkpoints (.qcqm) hold the model, its optimiser state and RNG, the
 * history (with the state) and the quanvolution filter.
 *
 * Not here: building models (nn), computing features (qml, data), plots (report).
 */
#ifndef QCQ_TRAIN_H
#define QCQ_TRAIN_H

#include "qcq/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nn_model;
struct qml_filter;

/* ---------------------------------------------------------------- data */

/* n samples of (c, h, w) float32 back to back, labels in [0, K) for a K-class model. n may be 0 for val
 * and test (then those metrics are NaN). The arrays are borrowed, not copied. */
struct train_data {
	const float *x;
	const int32_t *y;
	size_t n;
	int c, h, w;
};

/* ---------------------------------------------------------------- options */

enum train_optim { TRAIN_ADAM = 0, TRAIN_SGD = 1 };

struct train_opts {
	int epochs;            /* total epochs of the run, 1..100000 */
	int batch;             /* 1..nn_model_max_batch */
	double lr;             /* (0, 1] */
	uint64_t seed;         /* the shuffling stream */
	bool shuffle;          /* reshuffle every epoch (else the data order) */
	int patience;          /* early stopping: stop after this many epochs without a better
				* validation accuracy; 0 = never (needs validation data) */
	bool restore_best;     /* at the end, put back the weights of the best epoch */
	enum train_optim optim;
	double momentum;       /* SGD only, [0, 1) */
	double event_interval; /* seconds between QCQ_EV_BATCH events (0 = every batch); the
				* last batch of an epoch is always posted */
	double filter_lr;      /* learning rate of a trainable filter's angles: 0 = lr, else
				* (0, 1] (nn_model_set_filter_lr) */
};

/* Adam, lr 0.001, batch 4, 100 epochs, seed 1, shuffling, patience 0, restore_best. */
void train_opts_default(struct train_opts *o);
/* Checks every field (not batch against a model: train_fit does that). */
enum qcq_status train_opts_check(const struct train_opts *o, struct qcq_error *err);

/* ---------------------------------------------------------------- history */

struct train_epoch {
	int epoch;                    /* 1-based */
	double train_loss, train_acc; /* means over the epoch's batches (train mode) */
	double val_loss, val_acc;     /* after the epoch, evaluation mode; NaN without val */
	double seconds;               /* wall time of the epoch, evaluation included */
};

/* Metrics of a model on one data set. */
#define TRAIN_MAX_CLASSES 32 /* = NN_MAX_CLASSES */
struct train_metrics {
	size_t n;
	double loss, acc;      /* NaN when n = 0 */
	int nclasses;          /* the model's K (0 = 2); confusion uses K x K */
	uint64_t confusion[TRAIN_MAX_CLASSES][TRAIN_MAX_CLASSES]; /* [true label][predicted] */
};
/* K of m (2 when nclasses is 0). */
int train_metrics_classes(const struct train_metrics *m);
/* Recall of class k: confusion[k][k] over row k's total; NaN for a class without samples. */
double train_metrics_recall(const struct train_metrics *m, int k);
/* The mean of the K recalls (NaN when a class has no samples): the accuracy of a model
 * that is as good on every class; 1/K for a constant guess. */
double train_metrics_balanced_accuracy(const struct train_metrics *m);

enum train_end {
	TRAIN_RUNNING = 0,   /* not finished: can be resumed */
	TRAIN_DONE,          /* all epochs ran */
	TRAIN_EARLY_STOPPED, /* patience ran out */
	TRAIN_STOPPED,       /* stop flag (resumable) */
	TRAIN_FAILED,        /* NaN/Inf loss (resumable after a change, e.g. of lr) */
};

struct train_history {
	struct train_epoch *rows;
	size_t n, cap;
	struct train_opts opts;  /* of the run */
	/* resumable state */
	int best_epoch;          /* 0 = none yet */
	double best_val_acc;
	int since_best;          /* epochs since the best */
	float *best_params;      /* the best epoch's parameters (nparams), or NULL */
	size_t nparams;
	/* The model at the end of the last completed epoch: parameters, Adam m, Adam v
	 * (3 x nparams floats), step and RNG. The model itself may hold the best epoch's
	 * weights instead; a resume starts from this, so it continues exactly. */
	float *resume_state;
	long resume_t;
	struct qcq_rng resume_rng;
	enum train_end end;
	/* test set, filled by train_fit when test data are given */
	struct train_metrics test;
	bool has_test;
	double total_seconds;
};

struct train_history *train_history_create(void);
void train_history_free(struct train_history *h);
/* Deep copy (rows and best parameters). */
struct train_history *train_history_clone(const struct train_history *h);
/* Writes one row per epoch: epoch,train_loss,train_acc,val_loss,val_acc,seconds,best
 * (best = 1 on the best epoch), atomically. Rejects an empty history. */
enum qcq_status train_history_write_csv(const struct train_history *h, const char *path,
					struct qcq_error *err);
/*
 * A figure of two panels, loss and accuracy per epoch, train (solid, circles) and
 * validation (dashed, squares), the best epoch marked by a vertical line; w x h pixels
 * (w, h in [400, REP_MAX_SIDE]; 1200 x 520 reads well), written atomically as PNG.
 * Rejects an empty history.
 */
enum qcq_status train_history_plot(const struct train_history *h, const char *title,
				   const char *path, int w, int h_px, struct qcq_error *err);
/* "done", "early stopped", ... */
const char *train_end_name(enum train_end e);

/* ---------------------------------------------------------------- the loop */

/*
 * Trains m on train (validating on val after every epoch, testing on test at the end;
 * val and test may be NULL or empty) until h->opts.epochs epochs are in h, early
 * stopping, the stop flag, or a non-finite loss.
 *
 * An empty h starts a run with opts (copied into h); a non-empty h whose end is
 * TRAIN_RUNNING, TRAIN_STOPPED or TRAIN_FAILED resumes it (opts NULL keeps h->opts;
 * otherwise epochs, lr, patience and event_interval may change, batch and seed may not).
 * Validates everything (shapes against the model's input, labels, batch against the
 * model's max batch, opts) before touching m or h.
 *
 * Returns QCQ_OK (done or early stopped), QCQ_ESTOPPED (stop flag: h holds the completed
 * epochs), QCQ_ENUMERIC ("epoch 3, batch 17: loss is nan"). In every case the model ends
 * with the best epoch's weights if opts.restore_best and there was a best epoch.
 * The loop allocates only at its start (memory stays flat over epochs).
 */
enum qcq_status train_fit(struct nn_model *m, const struct train_data *train,
			  const struct train_data *val, const struct train_data *test,
			  const struct train_opts *opts, struct train_history *h,
			  const struct qcq_sink *sink, const qcq_stop_flag *stop,
			  struct qcq_error *err);

/*
 * Loss, accuracy and confusion matrix of m on d in evaluation mode, in batches of up
 * to `batch` (clamped to the model's max batch). Rejects shapes that do not match the
 * model and labels outside [0, K). Non-finite losses are counted as NaN in the mean.
 */
enum qcq_status train_evaluate(struct nn_model *m, const struct train_data *d, int batch,
			       struct train_metrics *out, struct qcq_error *err);

/* Class probabilities (p0 .. p[K-1], K = the model's classes) of sample i of d; rejects
 * i >= n. */
enum qcq_status train_predict(struct nn_model *m, const struct train_data *d, size_t i,
			      double *probs, struct qcq_error *err);

/*
 * The sample order of epoch `epoch` (1-based) of a run: perm (n entries, n <= UINT32_MAX)
 * becomes a permutation of 0..n-1, the identity without shuffling, else a uniform random
 * one that is a function of (seed, epoch) only. train_fit uses exactly this order. The
 * streams are domain-separated from every other use of the same seed (data split, model
 * init and dropout, filter, synthetic data), so a run whose seeds all agree does not
 * replay another module's permutation (which made epoch 10 class-sorted once).
 */
void train_epoch_order(uint64_t seed, int epoch, bool shuffle, uint32_t *perm, size_t n);

/* Checks d against the model's input shape and labels in [0, K); what names the set. */
enum qcq_status train_data_check(const struct nn_model *m, const struct train_data *d,
				 const char *what, struct qcq_error *err);

/* ---------------------------------------------------------------- checkpoints */

/*
 * A .qcqm file: a 48-byte header ("QCQMODEL", format version, header size, payload
 * size, FNV-1a 64 checksum of the payload, model parameter count) and a payload of
 * tagged sections, all little-endian: the architecture descriptor (nn_model_desc), the
 * parameters, the optimiser moments and step, the model's RNG, the history with its
 * resumable state (may be absent), and the quanvolution filter (k, stride, name and the
 * gate list; may be absent). Written atomically. For a model with a trainable filter
 * the filter written is the model's own (its gates at the current angles), not f.
 */
#define TRAIN_CKPT_VERSION 1
#define TRAIN_CKPT_MAX_BYTES ((size_t)2 << 30)

enum qcq_status train_checkpoint_save(const char *path, struct nn_model *m,
				      const struct train_history *h, const struct qml_filter *f,
				      struct qcq_error *err);

/*
 * Reads a checkpoint and builds a new model (max batch max_batch), history (NULL when
 * the file has none) and filter (NULL when none). Refuses, with a message naming the
 * file, a foreign file (bad magic), another version, a truncated or over-long file, a
 * checksum mismatch, a descriptor nn_model_desc_check rejects, and a parameter count
 * that does not match the architecture. On error nothing is allocated.
 * h_out and f_out may be NULL (those parts are then skipped).
 */
enum qcq_status train_checkpoint_load(const char *path, int max_batch, struct nn_model **m_out,
				      struct train_history **h_out, struct qml_filter **f_out,
				      struct qcq_error *err);

#endif
