/*
 * cmd/cmd-experiment-ablate.c: `experiment ablate [options]` — the ablation study
 * (ablate.h) as one background job. cmd-experiment.c parses the options the studies share
 * into a compare spec (all but models=); this file applies ablate's own defaults where
 * those options were not given (models, epochs, patience), refuses compare's lr= and
 * batch= (ablate searches lrs= and batches=), reads models= (which also takes the
 * trainable-filter arms qcq-cnn-tf, qccnn-tf), the grid options and filter-lr=, checks,
 * and starts the job.
 */
#include "cmd-internal.h"

#include "qcq/ablate.h"

#include <stdlib.h>
#include <string.h>

static const char *const ablate_options[] = {"lrs",          "widths",    "batches",
					     "search-seeds", "filter-lr", NULL};

bool cmd_experiment_ablate_only(struct cmd_ctx *ctx)
{
	for (const char *const *o = ablate_options; *o; o++)
		if (cmd_opt(ctx->call, *o)) {
			cmd_error(ctx, QCQ_EINVAL, "experiment %s: %s= belongs to the ablate study",
				  cmd_arg(ctx->call, 0), *o);
			return true;
		}
	return false;
}

struct abl_job {
	struct train_abl_spec spec;
	struct train_exp_result res;
	int threads;
};

static enum qcq_status job_run(void *arg, const struct qcq_sink *events, const qcq_stop_flag *stop,
			       struct qcq_error *err)
{
	struct abl_job *j = arg;
	return train_abl_run(&j->spec, events, stop, &j->res, err);
}

static void job_finish(struct cmd_workspace *ws, void *arg, enum qcq_status st,
		       const struct qcq_error *err)
{
	struct abl_job *j = arg;
	(void)err; /* the job layer has reported it */
	cmd_workspace_set_threads(ws, j->threads);
	cmd_experiment_report(ws, "ablate", st, &j->res);
	train_exp_result_free(&j->res);
	free(j);
}

static enum qcq_status grid_opt(struct cmd_ctx *ctx, const char *key, struct train_abl_spec *s,
				enum qcq_status (*parse)(struct train_abl_spec *, const char *,
							 struct qcq_error *))
{
	const char *v = cmd_opt(ctx->call, key);
	return v ? parse(s, v, ctx->err) : QCQ_OK;
}

enum qcq_status cmd_experiment_ablate(struct cmd_ctx *ctx, const struct train_exp_spec *base)
{
	if (cmd_opt(ctx->call, "lr") || cmd_opt(ctx->call, "batch"))
		return cmd_error(ctx, QCQ_EINVAL, "experiment ablate: it searches lrs= and batches= "
				 "(lr= and batch= belong to compare)");
	struct abl_job *j = qcq_xcalloc(1, sizeof *j);
	struct train_abl_spec *s = &j->spec;
	train_abl_spec_default(s);
	struct train_exp_spec def = s->base;
	s->base = *base;
	s->base.nmodels = def.nmodels, memcpy(s->base.models, def.models, sizeof def.models);
	if (!cmd_opt(ctx->call, "epochs"))
		s->base.epochs = def.epochs;
	if (!cmd_opt(ctx->call, "patience"))
		s->base.patience = def.patience;
	long v;
	enum qcq_status st = grid_opt(ctx, "models", s, train_abl_parse_models);
	if (!st)
		st = grid_opt(ctx, "lrs", s, train_abl_parse_lrs);
	if (!st)
		st = grid_opt(ctx, "widths", s, train_abl_parse_widths);
	if (!st)
		st = grid_opt(ctx, "batches", s, train_abl_parse_batches);
	if (!st)
		st = cmd_opt_long(ctx, "search-seeds", 1, TRAIN_EXP_MAX_SEEDS, s->search_seeds, &v);
	if (!st) {
		s->search_seeds = (int)v;
		st = cmd_opt_double(ctx, "filter-lr", 0, 1, 0, &s->filter_lr);
	}
	if (!st) {
		st = train_abl_spec_check(s, ctx->err);
	}
	if (st) {
		free(j);
		return ctx->err->code ? ctx->err->code : st;
	}
	j->threads = ctx->ws->set.threads;
	cmd_info(ctx, "experiment ablate: %zu runs (%d configurations x %d search seeds + %d final "
		 "seeds, per model and task), %d at a time", train_abl_count_runs(s),
		 s->nlrs * s->nwidths * s->nbatches, s->search_seeds, s->base.seeds, s->base.jobs);
	qcq_blas_set_threads(1);
	st = cmd_job_start(ctx, "experiment ablate", job_run, job_finish, j);
	if (st) {
		qcq_blas_set_threads(j->threads);
		free(j);
	}
	return st;
}
