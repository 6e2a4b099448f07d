/*
 * ablate: "does the quantum part help?" as one study (part of the train module; prefix
 * train_abl_). Command: `experiment ablate`.
 *
 * Per task, every model of the study (the paper's cnn, qccnn, qcq-cnn and the controls
 * of nn.h that each remove one quantum part) gets the same hyperparameter search:
 *
 *  1. search: every configuration of the grid lrs x widths (conv1/conv2) x batches is
 *     trained with seeds 1..search_seeds, early-stopped on validation accuracy; its
 *     score is the mean over those seeds of the best validation accuracy. The test part
 *     is not given to these runs at all.
 *  2. selection: per (task, model) the configuration with the highest score (ties: the
 *     first in grid order).
 *  3. final: the chosen configuration is trained with seeds 1..seeds; only then is the
 *     test part evaluated, once per run, with the weights of the best validation epoch.
 *
 * Seed s of every model shares the task's split and sample order, and models with the
 * same CNN shapes (qcq-cnn, its -noent, -chead, -tf and rf- controls at the same widths)
 * also start from the same CNN weights, so seeds pair across models.
 *
 * The trainable-filter arms qcq-cnn-tf and qccnn-tf (study names, not nn architectures:
 * qcq-cnn and qccnn with filter=trainable, as `model qcq-cnn filter=trainable`) read the
 * images, start from the study's filter (the same angles as the fixed arm) and train its
 * angles with the rest of the model, at filter_lr or, when that is 0, at the
 * configuration's lr. The filter lr is not searched, so every model keeps the same number
 * of configurations.
 *
 * Comparisons (when both models are in the study), difference a - b in test accuracy
 * per seed: quantum vs classical random filter (qcq-cnn - rf-qcq-cnn, qccnn - rf-qccnn),
 * quantum classifier vs classical head (qcq-cnn - qcq-cnn-chead), entangling vs not
 * (qcq-cnn - qcq-cnn-noent), qcq-cnn - cnn, qcq-cnn - cnn-pm, qccnn - cnn, and with the
 * trainable arms trainable vs fixed quantum filter (qcq-cnn-tf - qcq-cnn, qccnn-tf -
 * qccnn) and trainable quantum vs classical random filter (qcq-cnn-tf - rf-qcq-cnn,
 * qccnn-tf - rf-qccnn). For each: the
 * mean difference with its 95 % paired-t confidence interval, the paired t-test's p, the
 * Welch test's p, Cohen's d (pooled sd), and the paired p adjusted by Holm's method over
 * all comparisons x tasks of the study; the verdict is "helps" (adjusted p < 0.05 and
 * mean difference > 0), "hurts" (< 0) or "no detectable difference".
 *
 * Output in out_dir (default results/ablate): search.csv (every search run), configs.csv
 * (every configuration's score, the chosen one marked), runs.csv (final runs),
 * comparisons.csv, and table.md (method, grids, choices, test accuracies, comparisons,
 * verdicts). Runs go spec.base.jobs at a time; MPI is not used. The study is resumable:
 * every finished run (search and final) is written at once, atomically, to
 * out_dir/runs/ablate_<phase>_<data>_<model>_g<grid>_seed<seed>_<key>.run, and the same
 * study run again reads those files instead of training ("N found finished"). The key
 * hashes the run's own settings (data split and filter, sizes, model and arm, depth,
 * observable, filter lr, the configuration's lr/widths/batch, seed, epochs, patience,
 * phase), so a file written under other options is never reused (the study counts such
 * files in its log and leaves them); a damaged file is reported and its run retrained.
 * Floats are stored as "%a", so a resumed study's reports are bit-identical to an
 * uninterrupted one's (but for the wall times).
 */
#ifndef QCQ_ABLATE_H
#define QCQ_ABLATE_H

#include "qcq/experiment.h"

struct train_abl_width {
	int conv1, conv2;
};

struct train_abl_spec {
	/* models (cnn-like only: cnn, qccnn, qcq-cnn and the controls), datasets, seeds (the
	 * final seeds), epochs, patience, sizes, split_seed, depth, observable, data_dir,
	 * out_dir, cache_dir, jobs, threads, filter; kind, batch, lr and the noise and depth
	 * lists are not used */
	struct train_exp_spec base;
	int nlrs;
	double lrs[TRAIN_EXP_MAX_LIST];
	int nwidths;
	struct train_abl_width widths[TRAIN_EXP_MAX_LIST];
	int nbatches;
	int batches[TRAIN_EXP_MAX_LIST];
	int search_seeds; /* 1..base.seeds */
	/* bit m set: base.models[m] (qccnn or qcq-cnn) is its trainable-filter arm; the
	 * same architecture may then appear twice in base.models, once per arm */
	uint32_t trainable;
	double filter_lr; /* the trainable arms' filter lr, in [0, 1]; 0 = the config's lr */
};

/* models cnn, qccnn, qcq-cnn, rf-qccnn, rf-qcq-cnn, qcq-cnn-noent, qcq-cnn-chead, cnn-pm
 * on mnist, fashion, mri; lrs 1e-4, 1e-3, 1e-2; widths 8/16, 16/32; batches 4, 16;
 * search seeds 2; final seeds 5; 30 epochs, patience 5; the compare study's sizes. */
void train_abl_spec_default(struct train_abl_spec *s);
/* base as train_exp_spec_check, plus: grid lists non-empty, no repeats, lr in (0, 1],
 * widths 1..1024, batches 1..4096, search_seeds in 1..seeds, only cnn-like models,
 * trainable arms only of qccnn and qcq-cnn, filter_lr in [0, 1]. */
enum qcq_status train_abl_spec_check(const struct train_abl_spec *s, struct qcq_error *err);
/* Comma-separated grids: "1e-4,1e-3,1e-2"; "8/16,16/32" (conv1/conv2); "4,16". Each
 * validates first and replaces the list (a failed call leaves s as it was). */
enum qcq_status train_abl_parse_lrs(struct train_abl_spec *s, const char *text,
				    struct qcq_error *err);
enum qcq_status train_abl_parse_widths(struct train_abl_spec *s, const char *text,
				       struct qcq_error *err);
enum qcq_status train_abl_parse_batches(struct train_abl_spec *s, const char *text,
					struct qcq_error *err);
/* "cnn,qcq-cnn,qcq-cnn-tf": the models and arms (any name of nn_arch_from_name, and
 * qccnn-tf, qcq-cnn-tf), no repeats; validates first and replaces base.models and
 * trainable (a failed call leaves s as it was). */
enum qcq_status train_abl_parse_models(struct train_abl_spec *s, const char *text,
				       struct qcq_error *err);
/* The report name of model m: nn_arch_name, or "qcq-cnn-tf" / "qccnn-tf" for an arm. */
const char *train_abl_model_name(const struct train_abl_spec *s, int m);
/* Search runs + final runs of a checked spec. */
size_t train_abl_count_runs(const struct train_abl_spec *s);

/* Runs the study (events, stop and out as train_exp_run; out->skipped counts the runs
 * found finished on disk). */
enum qcq_status train_abl_run(const struct train_abl_spec *s, const struct qcq_sink *events,
			      const qcq_stop_flag *stop, struct train_exp_result *out,
			      struct qcq_error *err);

#endif
