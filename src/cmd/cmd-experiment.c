/*
 * cmd/cmd-experiment.c: `experiment compare|noise|depth [options]` — the paper's
 * studies as one background job each (train_exp_run in experiment.h). The command only
 * turns options and settings into a struct train_exp_spec, checks it (and that the data
 * folders exist) before anything starts, and prints the table when the job ends.
 * Settings read: jobs, threads, depth, observable; the workspace's filter if one is set.
 * shots and noise are not (each study fixes its runs' estimator): a note says so.
 */
#include "cmd-internal.h"

#include "qcq/data.h"
#include "qcq/experiment.h"

#include <stdlib.h>
#include <string.h>

static const char *const options[] = {
	"models", "datasets", "seeds", "epochs", "patience", "batch", "lr", "train", "val",
	"test", "size", "split-seed", "out", "data", "cache", "jobs", "shots", "levels", "depths",
	"protocol", "lrs", "widths", "batches", "search-seeds", "filter-lr", NULL,
};

struct exp_job {
	struct train_exp_spec spec;
	struct train_exp_result res;
	int threads; /* restored after the study (it runs OpenBLAS on one thread) */
};

static enum qcq_status list_opt(struct cmd_ctx *ctx, const char *key, struct train_exp_spec *s,
				enum qcq_status (*parse)(struct train_exp_spec *, const char *,
							 struct qcq_error *))
{
	const char *v = cmd_opt(ctx->call, key);
	return v ? parse(s, v, ctx->err) : QCQ_OK;
}

static enum qcq_status path_opt(struct cmd_ctx *ctx, const char *key, char *dst, size_t n)
{
	const char *v = cmd_opt(ctx->call, key);
	if (!v)
		return QCQ_OK;
	if (!*v || strlen(v) >= n)
		return cmd_error(ctx, QCQ_EINVAL, "%s: path is empty or longer than %zu bytes", key,
				 n - 1);
	snprintf(dst, n, "%s", v);
	return QCQ_OK;
}

static enum qcq_status only_for(struct cmd_ctx *ctx, const struct train_exp_spec *s,
				const char *key, enum train_exp_kind kind)
{
	if (cmd_opt(ctx->call, key) && s->kind != kind)
		return cmd_error(ctx, QCQ_EINVAL, "experiment %s: %s= belongs to the %s study",
				 train_exp_kind_name(s->kind), key, train_exp_kind_name(kind));
	return QCQ_OK;
}

/* Options and settings into s; nothing else changes. */
static enum qcq_status build_spec(struct cmd_ctx *ctx, struct train_exp_spec *s)
{
	const struct cmd_settings *set = &ctx->ws->set;
	enum train_exp_kind kind = TRAIN_EXP_COMPARE; /* ablate: its base options are compare's */
	bool ablate = strcmp(cmd_arg(ctx->call, 0), "ablate") == 0;
	if (!ablate &&
	    train_exp_kind_from_name(cmd_arg(ctx->call, 0), &kind, ctx->err))
		return ctx->err->code;
	train_exp_spec_default(s, kind);
	s->jobs = set->jobs;
	s->threads = set->threads;
	s->depth = set->depth;
	s->observable = set->observable == CMD_OBS_ZZ ? NN_OBS_ZZ : NN_OBS_Z0;
	s->filter = ctx->ws->filter;
	const char *proto = cmd_opt(ctx->call, "protocol");
	enum train_exp_protocol pr = TRAIN_EXP_OWN;
	if (proto && train_exp_protocol_from_name(proto, &pr, ctx->err))
		return ctx->err->code;
	if (pr == TRAIN_EXP_PAPER)
		train_exp_spec_paper(s); /* the options below change it (reduced runs) */
	long v, sz[3];
	double lr;
	if (only_for(ctx, s, "models", TRAIN_EXP_COMPARE) ||
	    only_for(ctx, s, "shots", TRAIN_EXP_NOISE) ||
	    only_for(ctx, s, "levels", TRAIN_EXP_NOISE) ||
	    only_for(ctx, s, "depths", TRAIN_EXP_DEPTH) ||
	    /* ablate reads models= itself: it also takes the trainable-filter arms */
	    (!ablate && list_opt(ctx, "models", s, train_exp_parse_models)) ||
	    list_opt(ctx, "datasets", s, train_exp_parse_datasets) ||
	    list_opt(ctx, "shots", s, train_exp_parse_shots) ||
	    list_opt(ctx, "levels", s, train_exp_parse_levels) ||
	    list_opt(ctx, "depths", s, train_exp_parse_depths))
		return ctx->err->code;
	if (cmd_opt_long(ctx, "seeds", 1, TRAIN_EXP_MAX_SEEDS, s->seeds, &v))
		return ctx->err->code;
	s->seeds = (int)v;
	if (cmd_opt_long(ctx, "epochs", 1, 100000, s->epochs, &v))
		return ctx->err->code;
	s->epochs = (int)v;
	if (cmd_opt_long(ctx, "patience", 0, 100000, s->patience, &v))
		return ctx->err->code;
	s->patience = (int)v;
	if (cmd_opt_long(ctx, "batch", 1, 4096, 0, &v))
		return ctx->err->code;
	s->batch = (int)v;
	if (cmd_opt_double(ctx, "lr", 1e-9, 1, s->lr, &lr))
		return ctx->err->code;
	s->lr = lr;
	if (cmd_opt_long(ctx, "train", 2, (long)DATA_MAX_IMAGES, -1, &sz[0]) ||
	    cmd_opt_long(ctx, "val", 0, (long)DATA_MAX_IMAGES, -1, &sz[1]) ||
	    cmd_opt_long(ctx, "test", 0, (long)DATA_MAX_IMAGES, -1, &sz[2]))
		return ctx->err->code;
	s->ntrain = sz[0], s->nval = sz[1], s->ntest = sz[2];
	if (cmd_opt_double(ctx, "size", 1e-6, 1, 1, &s->size))
		return ctx->err->code;
	if (cmd_opt_long(ctx, "split-seed", 0, 0x7fffffffL, 1, &v))
		return ctx->err->code;
	s->split_seed = (uint64_t)v;
	if (cmd_opt_long(ctx, "jobs", 1, TRAIN_EXP_MAX_JOBS, s->jobs, &v))
		return ctx->err->code;
	s->jobs = (int)v;
	if (path_opt(ctx, "out", s->out_dir, sizeof s->out_dir) ||
	    path_opt(ctx, "data", s->data_dir, sizeof s->data_dir) ||
	    path_opt(ctx, "cache", s->cache_dir, sizeof s->cache_dir))
		return ctx->err->code;
	if (train_exp_spec_check(s, ctx->err) || train_exp_check_data(s, ctx->err))
		return ctx->err->code;
	return QCQ_OK;
}

static enum qcq_status job_run(void *arg, const struct qcq_sink *events, const qcq_stop_flag *stop,
			       struct qcq_error *err)
{
	struct exp_job *j = arg;
	return train_exp_run(&j->spec, events, stop, &j->res, err);
}

static void out_line(struct cmd_workspace *ws, enum cmd_stream s, const char *text)
{
	if (ws->out.write)
		ws->out.write(ws->out.ctx, s, text);
}

/*
 * What a finished study reports, for every study (compare, noise, depth, ablate):
 * its table (unless --json), one line saying what ran and where the results are, and
 * with --json one result object. A job's finish has no command context, so the JSON
 * is built on a result-less one, as cmd_report_error does.
 */
void cmd_experiment_report(struct cmd_workspace *ws, const char *study, enum qcq_status st,
			   const struct train_exp_result *res)
{
	if (res->table && !ws->json) {
		char *save = NULL;
		for (char *l = strtok_r(res->table, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			out_line(ws, CMD_STREAM_OUT, l);
	}
	if (res->runs && res->rank > 0) {
		char m[200];
		snprintf(m, sizeof m, "%s study: rank %d of %d trained %zu runs and sent them to rank 0",
			 study, res->rank, res->nranks, res->trained);
		out_line(ws, CMD_STREAM_INFO, m);
	} else if (res->runs) {
		char m[TRAIN_EXP_PATH_MAX + 200];
		snprintf(m, sizeof m, "%s study%s: %zu runs, %zu found finished, %zu trained%s, "
			 "%.1f s; results in %s/", study, res->nranks > 1 ? " (MPI)" : "", res->runs,
			 res->skipped, res->trained, res->nranks > 1 ? " by all ranks" : "",
			 res->seconds, res->out_dir);
		out_line(ws, CMD_STREAM_INFO, m);
	}
	if (ws->json) {
		struct cmd_ctx ctx = { .ws = ws };
		cmd_json_begin(&ctx, "experiment");
		cmd_json_str(&ctx, "study", study);
		cmd_json_str(&ctx, "status", qcq_status_name(st));
		cmd_json_int(&ctx, "runs", (long long)res->runs);
		cmd_json_int(&ctx, "skipped", (long long)res->skipped);
		cmd_json_int(&ctx, "trained", (long long)res->trained);
		cmd_json_num(&ctx, "seconds", res->seconds);
		cmd_json_int(&ctx, "rank", res->rank);
		cmd_json_int(&ctx, "ranks", res->nranks > 1 ? res->nranks : 1);
		cmd_json_str(&ctx, "out", res->out_dir);
		cmd_json_end(&ctx);
		free(ctx.json);
	}
	ws->dirty |= CMD_DIRTY_LOG;
}

static void job_finish(struct cmd_workspace *ws, void *arg, enum qcq_status st,
		       const struct qcq_error *err)
{
	struct exp_job *j = arg;
	(void)err; /* the job layer has reported it */
	cmd_workspace_set_threads(ws, j->threads);
	cmd_experiment_report(ws, train_exp_kind_name(j->spec.kind), st, &j->res);
	train_exp_result_free(&j->res);
	free(j);
}

static enum qcq_status exec_experiment(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct exp_job *j = qcq_xcalloc(1, sizeof *j);
	if (build_spec(ctx, &j->spec)) {
		free(j);
		return ctx->err->code;
	}
	bool ablate = strcmp(cmd_arg(call, 0), "ablate") == 0;
	const struct cmd_settings *set = &ctx->ws->set;
	if (set->shots || set->p1 > 0 || set->p2 > 0)
		/* said, not silently ignored: a study fixes its own estimator per run */
		cmd_info(ctx, "experiment %s: the settings shots and noise do not apply to studies "
			 "(compare, depth and ablate train exact; the noise study takes shots= and "
			 "levels=)", cmd_arg(call, 0));
	if (ablate || cmd_experiment_ablate_only(ctx)) {
		enum qcq_status ast = ablate ? cmd_experiment_ablate(ctx, &j->spec) : ctx->err->code;
		free(j);
		return ast;
	}
	j->threads = ctx->ws->set.threads;
	size_t n = train_exp_count_runs(&j->spec);
	cmd_info(ctx, "experiment %s: %zu runs, %d at a time", cmd_arg(call, 0), n, j->spec.jobs);
	/* Parallelism comes from the runs; OpenBLAS threads would only compete with them. */
	qcq_blas_set_threads(1);
	char name[64];
	snprintf(name, sizeof name, "experiment %s", cmd_arg(call, 0));
	enum qcq_status st = cmd_job_start(ctx, name, job_run, job_finish, j);
	if (st) {
		qcq_blas_set_threads(j->threads);
		free(j);
	}
	return st;
}

const struct cmd_entry cmd_experiment_entry = {
	.name = "experiment",
	.alias = "exp",
	.min_args = 1,
	.max_args = 1,
	.options = options,
	.usage = "experiment compare|noise|depth|ablate [protocol=paper] [models=A,B] "
		 "[datasets=D,E] [seeds=N] [epochs=N] "
		 "[patience=N] [batch=N] [lr=X] [train=N val=N test=N] [size=F] [split-seed=S] [out=DIR] "
		 "[data=DIR] [cache=DIR] [jobs=N] [shots=128,1024] [levels=0/0,0.01/0.02] "
		 "[depths=1,2,3] [lrs=X,Y] [widths=C1/C2,...] [batches=N,M] [search-seeds=N] [filter-lr=X]",
	.help = "Run one of the paper's studies as a background job, resumable.\n"
		"compare: models (mlp, quanv-mlp, cnn, qccnn, qcq-cnn; qcnn on request) x data sets "
		"(synth, mnist = 3 vs 5, fashion = T-shirt/top vs Trouser, mri = no_tumor vs "
		"tumour; with every class of the set: synth10, mnist10 = digits 0-9, fashion10 = its "
		"10 classes, mri4 = glioma, meningioma, no tumour, pituitary; sizes are totals, the "
		"same count from each class; models with a K-class form only, see `help model`) x "
		"seeds 1..N: Table 1 and the curves of Figures 6-8. noise: qcq-cnn with "
		"finite shots x depolarizing levels p1/p2, against the exact noiseless run "
		"(Figures 9-10). depth: qcq-cnn with RealAmplitudes reps 1, 2, 3 on one or more data "
		"sets (Figure 11). protocol=paper runs the paper's protocol: 10 seeds, reps 2, the "
		"MRI set whole and stratified (2089/653/523, its natural class proportions), the "
		"depth study on all three tasks with 100 training images for mnist and fashion, "
		"the noise study at 128 and 1024 shots x p1/p2 0.01/0.02 and 0.02/0.03; it prints "
		"where it departs from the paper and puts each Table 1 cell beside the paper's "
		"(seeds=, epochs= and size=F still apply, for reduced runs). "
		"Defaults (protocol=own): 5 seeds, 100 epochs, patience 10, lr 0.001, batch 4 (1 for qcq-cnn), "
		"the paper's 5000/1250/1000 split scaled down to what a data set holds (size=F takes "
		"that fraction of it; train=/val=/test= set counts), data from "
		"data=DIR (default the first of $QCQ_DATA, $XDG_DATA_HOME/qcqlab, ./data), results in out=DIR "
		"(default results/<study>): runs/*.run per run, epochs.csv, runs.csv, table.md and "
		"PNG figures. Finished runs are skipped when the same study runs again; `stop` "
		"ends it cleanly. Runs go jobs=N at a time (default `set jobs`), and across MPI "
		"ranks under mpirun. Uses the settings depth and observable (protocol=paper: reps 2, "
		"<Z0>), and the filter if one is set (else PennyLane's demo filter); not the "
		"settings shots and noise (compare, depth and ablate train exact, the noise study "
		"takes shots= and levels=). runs.csv and "
		"table.md give balanced accuracy (mean per-class recall; 1/K for a constant guess) "
		"and each test set's majority-class accuracy beside accuracy.\n"
		"ablate [lrs=1e-4,1e-3,1e-2] [widths=8/16,16/32] [batches=4,16] [search-seeds=N]: "
		"does the quantum part help? Per task, the models (default cnn, qccnn, qcq-cnn and "
		"the controls rf-qccnn, rf-qcq-cnn, qcq-cnn-noent, qcq-cnn-chead, cnn-pm; see `help "
		"model`; on request also the trainable-filter arms qcq-cnn-tf and qccnn-tf) each "
		"get the same grid search on the validation part only: every "
		"configuration is trained with seeds 1..search-seeds (default 2) and scored by its "
		"mean best validation accuracy; the best one is trained with seeds 1..seeds and only "
		"then evaluated on the test part. Seeds pair across models (same split and sample "
		"order, same initial CNN weights for the same CNN shapes). Per comparison (quantum vs "
		"classical random filter, quantum classifier vs classical head, entangling vs not, "
		"QCQ-CNN vs CNN and vs parameter-matched CNN, QCCNN vs CNN; with the arms, trainable "
		"vs fixed quantum filter and trainable quantum vs classical random filter): mean "
		"difference in test "
		"accuracy with its 95 % paired-t CI, paired t-test and Welch p, Cohen's d, the "
		"paired p Holm-adjusted over all comparisons x tasks, and a verdict helps / hurts / "
		"no detectable difference at adjusted p < 0.05. The trainable arms train the filter's "
		"angles at the configuration's lr, or at filter-lr=X when given (not searched: every "
		"model keeps the same number of configurations). Defaults 30 epochs, patience 5; "
		"lr= and batch= are compare's (ablate searches lrs= and batches=). Writes "
		"search.csv, configs.csv, runs.csv, comparisons.csv and table.md (default "
		"results/ablate). Resumable like the other studies: each finished run (search and "
		"final) is written at once to OUT/runs/ablate_*.run, and the same study run again "
		"skips them (\"N found finished\"); a file is reused only for a run with the same "
		"settings (data and sizes, model, depth, observable, filter-lr, lr, widths, batch, "
		"seed, epochs, patience): files written under other options are ignored (counted in "
		"the log), a damaged one is named and its run trained again.",
	.exec = exec_experiment,
};
