/*
 * experiment: the paper's three studies as reproducible, resumable runs (part of the
 * train module; prefix train_exp_).
 *
 *  - compare: models x data sets x seeds (Table 1, Figures 6-8): mean +- std of the test
 *    accuracy over seeds, mean accuracy and loss curves per model;
 *  - noise:   QCQ-CNN trained and evaluated with finite shots and depolarizing noise
 *    (p1 after 1-qubit gates, p2 after CX) against the exact noiseless run (Figs 9-10);
 *  - depth:   QCQ-CNN with RealAmplitudes reps 1, 2, 3, ... on one or more data sets
 *    (Figure 11): curves and training time per depth and data set.
 *
 * Two protocols: qcqlab's own (the defaults below: balanced parts, the paper's sizes
 * scaled down to what a data set holds) and the paper's (train_exp_spec_paper: 10
 * seeds, reps 2, the MRI task whole and in its natural class proportions, the depth
 * study on 100 training images; the study lists every way it departs from the paper).
 *
 * A study is a list of runs. A run is identified by (study, model, data set, seed,
 * settings); its key is a hash of all of them plus the hash of the split's pixels and
 * of the quanvolution filter, so changing anything makes a new run. Each finished run
 * is written atomically to OUT/runs/<readable name>-<key>.run; running a study again
 * skips every run whose file is there and valid (an interrupted study resumes).
 * At the end the study writes, into OUT: epochs.csv (one row per run and epoch),
 * runs.csv (one row per run), table.md (the paper's layout, mean +- std over seeds)
 * and PNG figures (mean curve with a +-std band per series, legend, axis labels).
 *
 * Runs are independent: `jobs` threads each train their own model, and the results
 * (files, tables) are identical to a serial run except for the wall-time columns.
 * Built with -Dmpi=enabled and started under mpirun, rank r of K takes the pending runs
 * i with i % K == r; the other ranks send their result files to rank 0, which writes
 * them and the reports.
 *
 * Data: synth (the built-in digits, 3 vs 5), mnist (3 vs 5), fashion (T-shirt/top vs
 * Trouser), mri (no_tumor vs the three tumour classes merged), and the K-class tasks
 * synth10, mnist10, fashion10 (10 classes) and mri4 (4), read from data_dir
 * (mnist/, fashion-mnist/, brain-mri/png128 or brain-mri/). The sizes of a K-class task
 * are totals over its classes (K times the per-class count). Quanvolved features are
 * computed once per data set and kept in the data module's feature cache.
 *
 * Not here: the training loop (train.h), models (nn.h), the command (cmd-experiment.c).
 */
#ifndef QCQ_EXPERIMENT_H
#define QCQ_EXPERIMENT_H

#include "qcq/core.h"
#include "qcq/nn.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qml_filter;

enum train_exp_kind { TRAIN_EXP_COMPARE = 0, TRAIN_EXP_NOISE, TRAIN_EXP_DEPTH, TRAIN_EXP_NKINDS };

enum train_exp_data {
	TRAIN_EXP_SYNTH = 0, /* built-in digits, 3 vs 5 */
	TRAIN_EXP_MNIST,     /* MNIST 3 vs 5 */
	TRAIN_EXP_FASHION,   /* Fashion-MNIST T-shirt/top vs Trouser */
	TRAIN_EXP_MRI,       /* brain MRI no_tumor vs tumour */
	/* K-class tasks: every class of the set its own label, balanced per class */
	TRAIN_EXP_SYNTH10,   /* built-in digits 0-9 */
	TRAIN_EXP_MNIST10,   /* MNIST 0-9 */
	TRAIN_EXP_FASHION10, /* Fashion-MNIST's 10 classes */
	TRAIN_EXP_MRI4,      /* brain MRI's 4 classes (glioma, meningioma, no tumour, pituitary) */
	TRAIN_EXP_NDATA
};
/* The set a task reads (synth10 -> synth, mnist10 -> mnist, ...). */
enum train_exp_data train_exp_data_base(enum train_exp_data d);
/* Whether a task has more than two classes (synth10, mnist10, fashion10, mri4). */
bool train_exp_data_multiclass(enum train_exp_data d);

#define TRAIN_EXP_MAX_LIST 16   /* shots values, noise levels, depths */
#define TRAIN_EXP_MAX_SEEDS 100
#define TRAIN_EXP_MAX_JOBS 64
#define TRAIN_EXP_PATH_MAX 2048

/* The paper's sizes per task (train, validation, test). */
#define TRAIN_EXP_PAPER_TRAIN 5000
#define TRAIN_EXP_PAPER_VAL 1250
#define TRAIN_EXP_PAPER_TEST 1000
/* The paper's MRI split (the whole set, classes in their natural proportions) and the
 * training part of its depth study on MNIST and Fashion-MNIST (50 per class). */
#define TRAIN_EXP_PAPER_MRI_TRAIN 2089
#define TRAIN_EXP_PAPER_MRI_VAL 653
#define TRAIN_EXP_PAPER_MRI_TEST 523
#define TRAIN_EXP_PAPER_DEPTH_TRAIN 100
#define TRAIN_EXP_PAPER_SEEDS 10

enum train_exp_protocol {
	TRAIN_EXP_OWN = 0, /* qcqlab's: balanced parts, sizes as given or scaled to fit */
	TRAIN_EXP_PAPER,   /* the paper's (train_exp_spec_paper) */
};

struct train_exp_level {
	double p1, p2; /* depolarizing after 1-qubit gates / after each CX */
};

struct train_exp_spec {
	enum train_exp_kind kind;
	enum train_exp_protocol protocol;
	/* compare: the models (noise and depth always train qcq-cnn) */
	int nmodels;
	enum nn_arch models[NN_ARCH_COUNT];
	/* compare and depth: any data sets; noise: exactly one */
	int ndatasets;
	enum train_exp_data datasets[TRAIN_EXP_NDATA];
	int seeds;             /* seeds 1..seeds: model initialisation and shuffling */
	int epochs;            /* 1..100000 */
	int patience;          /* early stopping on validation accuracy; 0 = off */
	int batch;             /* 0 = the paper's: 4, and 1 for qcq-cnn */
	double lr;             /* Adam */
	/* sizes of the parts, both classes together; -1 = the paper's 5000/1250/1000,
	 * scaled down (same ratios) to what a data set holds when it holds fewer; the
	 * paper's protocol sets them per task and refuses explicit ones */
	long ntrain, nval, ntest;
	double size;           /* (0, 1]: the fraction of those default sizes to use (each part
				* at least 2); also under the paper's protocol (reduced runs) */
	uint64_t split_seed;   /* the split is the same for every run of a data set */
	int depth;             /* compare and noise: RealAmplitudes reps, 1..8 */
	enum nn_observable observable;
	/* noise: shots values (>= 1) x levels, plus the exact noiseless baseline */
	int nshots;
	long shots[TRAIN_EXP_MAX_LIST];
	int nlevels;
	struct train_exp_level levels[TRAIN_EXP_MAX_LIST];
	/* depth: the reps to compare */
	int ndepths;
	int depths[TRAIN_EXP_MAX_LIST];

	char data_dir[TRAIN_EXP_PATH_MAX]; /* "" = data_find's first root */
	char out_dir[TRAIN_EXP_PATH_MAX];  /* "" = results/<study> */
	char cache_dir[TRAIN_EXP_PATH_MAX]; /* "" = the data module's default cache */
	int jobs;              /* runs in parallel, 1..TRAIN_EXP_MAX_JOBS */
	int threads;           /* for loading and quanvolving data, 1..64 */
	bool use_mpi;          /* split runs across MPI ranks when started under mpirun */
	/* the quanvolution filter; NULL = PennyLane's demo filter (generation C). The
	 * study copies it. */
	const struct qml_filter *filter;
};

/* The defaults of a study: compare = mlp, quanv-mlp, cnn, qccnn, qcq-cnn on mnist,
 * fashion and mri; noise = shots 128, 1024 x levels 0/0, 0.01/0.02, 0.02/0.03 on mnist;
 * depth = depths 1, 2, 3 on mnist. All: 5 seeds, 100 epochs, patience 10, paper batch,
 * lr 0.001, paper sizes (size 1), split seed 1, depth NN_DEFAULT_DEPTH (2), <Z0>, 1 job, 1 thread, MPI on. */
void train_exp_spec_default(struct train_exp_spec *s, enum train_exp_kind kind);

/*
 * The paper's protocol for the study s->kind (Long et al., Sci. Rep. 2025; the facts are
 * in experiment-paper.c): 10 seeds, at most 100 epochs, early stopping (patience 10),
 * Adam lr 0.001, batch 4 and 1 for qcq-cnn, RealAmplitudes reps 2, <Z0>; compare: the
 * five models on mnist, fashion and mri; noise: mnist, shots 128 and 1024 x (p1, p2) =
 * (0.01, 0.02) and (0.02, 0.03) plus the exact run; depth: reps 1, 2, 3 on all three
 * tasks. Sizes per task when the data are loaded: mnist and fashion 5000/1250/1000
 * balanced (scaled down at the same ratios to what the data hold), the depth study
 * training on 100 of them; mri the whole set split 2089/653/523, stratified.
 * Leaves the paths, jobs, threads and the filter as they are.
 */
void train_exp_spec_paper(struct train_exp_spec *s);

/* "own", "paper"; from_name rejects anything else. */
const char *train_exp_protocol_name(enum train_exp_protocol p);
enum qcq_status train_exp_protocol_from_name(const char *name, enum train_exp_protocol *out,
					     struct qcq_error *err);

/* Checks every field (lists non-empty and within limits, no repeats, ranges as
 * documented, one data set for noise, p1 in [0, 4/3], p2 in [0, 16/15]; no explicit
 * sizes under the paper's protocol). Does not look at files. */
enum qcq_status train_exp_spec_check(const struct train_exp_spec *s, struct qcq_error *err);

/* "compare", "noise", "depth"; from_name rejects anything else. */
const char *train_exp_kind_name(enum train_exp_kind k);
enum qcq_status train_exp_kind_from_name(const char *name, enum train_exp_kind *out,
					 struct qcq_error *err);
/* "synth", "mnist", "fashion", "mri", "synth10", "mnist10", "fashion10", "mri4" (also
 * accepted: fashion-mnist, brain-mri). */
const char *train_exp_data_name(enum train_exp_data d);
enum qcq_status train_exp_data_from_name(const char *name, enum train_exp_data *out,
					 struct qcq_error *err);

/*
 * Comma-separated lists into the spec (each replaces the field and validates first,
 * so a failed call leaves s as it was): model names (nn_arch_from_name), data set
 * names, shots ("128,1024"; each 1..1e8), noise levels ("0/0,0.01/0.02": p1/p2 pairs)
 * and depths ("1,2,3"; each 1..8). Empty items, repeats and more than
 * TRAIN_EXP_MAX_LIST items are refused.
 */
enum qcq_status train_exp_parse_models(struct train_exp_spec *s, const char *text,
				       struct qcq_error *err);
enum qcq_status train_exp_parse_datasets(struct train_exp_spec *s, const char *text,
					 struct qcq_error *err);
enum qcq_status train_exp_parse_shots(struct train_exp_spec *s, const char *text,
				      struct qcq_error *err);
enum qcq_status train_exp_parse_levels(struct train_exp_spec *s, const char *text,
				       struct qcq_error *err);
enum qcq_status train_exp_parse_depths(struct train_exp_spec *s, const char *text,
				       struct qcq_error *err);

/* Checks that the folder of every data set of the study is there (the built-in set
 * needs none); the message names the folder and what belongs in it. */
enum qcq_status train_exp_check_data(const struct train_exp_spec *s, struct qcq_error *err);

/* Number of runs a (checked) spec makes. */
size_t train_exp_count_runs(const struct train_exp_spec *s);

/* What a study did. table is the markdown of table.md (malloc'd; free it with
 * train_exp_result_free), NULL on a rank other than 0. */
struct train_exp_result {
	size_t runs;      /* in the study */
	size_t skipped;   /* found finished on disk */
	size_t trained;   /* trained by this call (rank 0 under MPI: by all ranks; other
			   * ranks: by this one) */
	double seconds;   /* wall time of this call */
	int rank, nranks; /* 0, 1 without MPI */
	char out_dir[TRAIN_EXP_PATH_MAX];
	char *table;
};
void train_exp_result_free(struct train_exp_result *r);

/*
 * Runs a study: loads and splits the data sets, quanvolves them (feature cache), skips
 * the finished runs, trains the others (spec->jobs at a time), and writes the reports.
 * Posts QCQ_EV_LOG lines (data sets, each finished run with its test accuracy) and
 * QCQ_EV_PROGRESS (runs done of total) through events (may be NULL). stop (may be NULL)
 * is read between batches: the runs in flight are abandoned (nothing written for them),
 * the finished ones stay, the reports are written for what is finished, and the call
 * returns QCQ_ESTOPPED. A missing data set is an error that names the folder it looked in.
 * Under MPI only rank 0 posts events (the other ranks' runs show up there as they arrive).
 */
enum qcq_status train_exp_run(const struct train_exp_spec *spec, const struct qcq_sink *events,
			      const qcq_stop_flag *stop, struct train_exp_result *out,
			      struct qcq_error *err);

/*
 * MPI, when built with it (QCQ_HAVE_MPI); otherwise these do nothing. main() may call
 * train_exp_mpi_init(&argc, &argv) first thing and train_exp_mpi_finalize() before it
 * returns; if it does not, a study started under mpirun (detected from the launcher's
 * environment) initialises MPI itself and finalizes it at exit. Rank and size are 0, 1
 * without MPI. init asks for MPI_THREAD_SERIALIZED (the study calls MPI from its job
 * thread only).
 */
void train_exp_mpi_init(int *argc, char ***argv);
void train_exp_mpi_finalize(void);
bool train_exp_mpi_active(void);
int train_exp_mpi_rank(void);
int train_exp_mpi_size(void);

#endif
