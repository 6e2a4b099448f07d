/*
 * cmd/cmd-train.c: `train [options]` and `train resume [options]` -- train the
 * workspace's model as a background job.
 *
 * The job takes the model and a copy of its inputs off the workspace (ws->model is NULL
 * while it runs; model commands are refused then anyway), runs train_fit on its thread,
 * posts progress events, and its finish callback puts the model (with the best weights)
 * and the history back and prints one line of results. Batch front ends wait for it;
 * the TUI keeps going and draws the events.
 *
 * `train` starts from freshly initialised weights (seed=S, default the model's own seed)
 * with the sample order drawn from the same seed, so the same command gives the same
 * curves; `train resume` continues the run in ws->history (after a stop, or from a
 * loaded checkpoint) exactly where its last completed epoch ended.
 */
#include "cmd-model-internal.h"

#include "qcq/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const train_options[] = {"epochs", "lr", "batch", "seed", "patience", "optim",
					    "keep", "filter-lr", NULL};

/* filter-lr=X: the trainable filter's own learning rate (0 = lr); refused for models
 * without one, so that it is never silently ignored. */
static enum qcq_status filter_lr_option(struct cmd_ctx *ctx, const struct nn_model *m,
					double def, double *out)
{
	if (cmd_opt(ctx->call, "filter-lr") && !nn_model_nparams_filter(m))
		return cmd_error(ctx, QCQ_EINVAL,
				 "filter-lr: model %s has no trainable filter (build it with "
				 "filter=trainable)",
				 nn_arch_name((enum nn_arch)nn_model_get_desc(m)->arch));
	return cmd_opt_double(ctx, "filter-lr", 0, 1, def, out);
}

struct train_job {
	struct nn_model *m;
	struct train_history *h;
	struct cmd_model_inputs in;
	struct train_opts opts;
	size_t history_at; /* where save-session's history records this command */
	size_t epochs_before; /* of the history it continues (train resume) */
};

static enum qcq_status job_run(void *arg, const struct qcq_sink *events, const qcq_stop_flag *stop,
			       struct qcq_error *err)
{
	struct train_job *j = arg;
	const struct train_data *val = j->in.part[DATA_VAL].n ? &j->in.part[DATA_VAL] : NULL;
	const struct train_data *test = j->in.part[DATA_TEST].n ? &j->in.part[DATA_TEST] : NULL;
	return train_fit(j->m, &j->in.part[DATA_TRAIN], val, test, &j->opts, j->h, events, stop,
			 err);
}

static void job_finish(struct cmd_workspace *ws, void *arg, enum qcq_status st,
		       const struct qcq_error *err)
{
	struct train_job *j = arg;
	const struct train_history *h = j->h;
	const char *arch = nn_arch_name((enum nn_arch)nn_model_get_desc(j->m)->arch);
	cmd_model_put(ws, j->m, j->h);
	cmd_model_inputs_free(&j->in);
	const char *fnote = cmd_model_sync_filter(ws);
	if (h->end == TRAIN_STOPPED) /* a replay trains what was trained, not what was asked */
		cmd_history_train_stopped(ws, j->history_at, h->n, h->n > j->epochs_before);
	if (h->n && !ws->json) {
		char best[96] = "", test[64] = "";
		if (h->best_epoch)
			snprintf(best, sizeof best, ", best validation accuracy %.4f at epoch %d",
				 h->best_val_acc, h->best_epoch);
		if (h->has_test)
			snprintf(test, sizeof test, ", test accuracy %.4f", h->test.acc);
		cmd_model_out(ws, CMD_STREAM_OUT, "trained %s: %zu epochs in %.2f s (%s)%s%s", arch,
			      h->n, h->total_seconds, train_end_name(h->end), best, test);
	}
	if (*fnote)
		cmd_model_out(ws, CMD_STREAM_INFO, "%s", fnote);
	/* finish runs outside a command: a context of its own for the result line */
	struct cmd_ctx jc = {.ws = ws};
	cmd_json_begin(&jc, "train");
	cmd_json_str(&jc, "arch", arch);
	cmd_json_int(&jc, "epochs", (long long)h->n);
	cmd_json_str(&jc, "end", train_end_name(h->end));
	cmd_json_bool(&jc, "ok", st == QCQ_OK);
	cmd_json_int(&jc, "best_epoch", h->best_epoch);
	cmd_json_num(&jc, "best_val_acc", h->best_epoch ? h->best_val_acc : NAN);
	cmd_json_num(&jc, "test_acc", h->has_test ? h->test.acc : NAN);
	cmd_json_num(&jc, "seconds", h->total_seconds);
	cmd_json_end(&jc);
	free(jc.json);
	(void)err; /* the job layer has reported it */
	free(j);
}

/* keep=best|last: which weights the model holds when the run ends. */
static enum qcq_status keep_option(struct cmd_ctx *ctx, bool def, bool *restore_best)
{
	const char *keep = cmd_opt(ctx->call, "keep");
	if (!keep)
		*restore_best = def;
	else if (strcmp(keep, "best") == 0 || strcmp(keep, "last") == 0)
		*restore_best = keep[0] == 'b';
	else
		return cmd_error(ctx, QCQ_EINVAL,
				 "keep: '%s' is not best (the best validation epoch's weights) or "
				 "last (the final epoch's)",
				 keep);
	return QCQ_OK;
}

static enum qcq_status fresh_options(struct cmd_ctx *ctx, struct nn_model *m,
				     struct train_opts *o)
{
	const struct nn_model_desc *d = nn_model_get_desc(m);
	train_opts_default(o);
	long epochs, batch, seed, patience;
	double lr;
	/* the paper: batch 4, and batch 1 for QCQ-CNN */
	long def_batch = d->arch == NN_ARCH_QCQ_CNN ? 1 : 4;
	if (cmd_opt_long(ctx, "epochs", 1, 100000, 20, &epochs) ||
	    cmd_opt_long(ctx, "batch", 1, CMD_MODEL_MAX_BATCH, def_batch, &batch) ||
	    cmd_opt_long(ctx, "seed", 0, 0x7fffffffffffffffL, (long)d->seed, &seed) ||
	    cmd_opt_long(ctx, "patience", 0, 100000, 0, &patience) ||
	    cmd_opt_double(ctx, "lr", 1e-9, 1, 0.001, &lr) ||
	    filter_lr_option(ctx, m, 0, &o->filter_lr) ||
	    keep_option(ctx, o->restore_best, &o->restore_best))
		return ctx->err->code;
	const char *optim = cmd_opt(ctx->call, "optim");
	if (optim && strcmp(optim, "sgd") == 0)
		o->optim = TRAIN_SGD;
	else if (optim && strcmp(optim, "adam") != 0)
		return cmd_error(ctx, QCQ_EINVAL, "optim: '%s' is not adam or sgd", optim);
	o->epochs = (int)epochs, o->batch = (int)batch, o->seed = (uint64_t)seed;
	o->patience = (int)patience, o->lr = lr;
	o->event_interval = 0.05;
	return QCQ_OK;
}

static enum qcq_status resume_options(struct cmd_ctx *ctx, const struct nn_model *m,
				      const struct train_history *h, struct train_opts *o)
{
	if (cmd_opt(ctx->call, "batch") || cmd_opt(ctx->call, "seed") || cmd_opt(ctx->call, "optim"))
		return cmd_error(ctx, QCQ_EINVAL,
				 "train resume: batch, seed and optim stay as in the run (batch %d, "
				 "seed %llu)",
				 h->opts.batch, (unsigned long long)h->opts.seed);
	*o = h->opts;
	long epochs, patience;
	long def = h->n < (size_t)h->opts.epochs ? h->opts.epochs : (long)h->n + 10;
	if (cmd_opt_long(ctx, "epochs", (long)h->n + 1, 100000, def, &epochs) ||
	    cmd_opt_long(ctx, "patience", 0, 100000, h->opts.patience, &patience) ||
	    cmd_opt_double(ctx, "lr", 1e-9, 1, h->opts.lr, &o->lr) ||
	    filter_lr_option(ctx, m, h->opts.filter_lr, &o->filter_lr) ||
	    keep_option(ctx, h->opts.restore_best, &o->restore_best))
		return ctx->err->code;
	o->epochs = (int)epochs, o->patience = (int)patience;
	o->event_interval = 0.05;
	return QCQ_OK;
}

static enum qcq_status exec_train(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	bool resume = cmd_nargs(call) == 1;
	if (resume && strcmp(cmd_arg(call, 0), "resume") != 0)
		return cmd_error(ctx, QCQ_EINVAL, "train: unknown word '%s' (did you mean resume?)",
				 cmd_arg(call, 0));
	struct nn_model *m;
	if (cmd_model_need(ctx, &m))
		return ctx->err->code;
	if (resume && (!ws->history || ws->history->n == 0))
		return cmd_error(ctx, QCQ_ESTATE,
				 "nothing to resume: train first, or load a checkpoint saved during "
				 "training");
	struct train_opts o;
	if (resume ? resume_options(ctx, m, ws->history, &o) : fresh_options(ctx, m, &o))
		return ctx->err->code;
	struct train_job *j = qcq_xcalloc(1, sizeof *j);
	if (cmd_model_inputs(ctx, m, false, &j->in)) {
		free(j);
		return ctx->err->code;
	}
	size_t ntrain = j->in.part[DATA_TRAIN].n, nval = j->in.part[DATA_VAL].n;
	enum qcq_status st = QCQ_OK;
	if (ntrain == 0)
		st = cmd_error(ctx, QCQ_ESTATE, "the split has no training images");
	else if (o.patience && nval == 0)
		st = cmd_error(ctx, QCQ_EINVAL, "patience %d needs validation images: split with val=N",
			       o.patience);
	else if (nn_model_nparams_quantum(m) && cmd_model_refuse_damping(ctx, "train", "train"))
		st = ctx->err->code; /* the classifier has no damping: refused, not ignored */
	else
		st = cmd_model_follow_noise(ctx, m, "train");
	if (st) {
		cmd_model_inputs_free(&j->in);
		free(j);
		return st;
	}
	/* everything checked: the job takes the model and the history */
	j->m = m;
	j->opts = o;
	j->history_at = ws->nhistory; /* the runner records the call after it started */
	if (resume) {
		j->h = ws->history;
		j->epochs_before = j->h->n;
	} else {
		nn_model_reset(m, o.seed);
		/* reseeds the quantum layer's shot stream from the new seed as well, so that a
		 * sampled (shots) run is as reproducible as an exact one; it succeeded above */
		const struct nn_model_desc *d = nn_model_get_desc(m);
		if (nn_model_nparams_quantum(m))
			nn_model_set_noise(m, d->p1, d->p2, d->shots, NULL);
		j->h = train_history_create();
		train_history_free(ws->history);
	}
	ws->model = NULL;
	ws->history = NULL;
	cmd_info(ctx, "%s %s: %d epochs, batch %d, lr %g, %zu training images%s",
		 resume ? "resuming" : "training", nn_arch_name((enum nn_arch)nn_model_get_desc(m)->arch),
		 o.epochs, o.batch, o.lr, ntrain,
		 nn_model_get_desc(m)->filter == NN_FILTER_TRAINABLE
			 ? " (images through the trainable filter)"
		 : cmd_model_takes_features((enum nn_arch)nn_model_get_desc(m)->arch)
			 ? " (quanvolved features)"
			 : "");
	if (cmd_job_start(ctx, "train", job_run, job_finish, j)) {
		cmd_model_put(ws, j->m, resume ? j->h : NULL);
		if (!resume)
			train_history_free(j->h);
		cmd_model_inputs_free(&j->in);
		free(j);
		return ctx->err->code;
	}
	return QCQ_OK;
}

const struct cmd_entry cmd_train_entry = {
	.name = "train",
	.min_args = 0,
	.max_args = 1,
	.options = train_options,
	.usage = "train [resume] [epochs=N] [lr=X] [batch=N] [seed=S] [patience=N] [optim=adam|sgd] [keep=best|last]",
	.help = "Train the model on the split (in the background at the prompt; `stop` ends it "
		"early, keeping the weights that keep= says).\n"
		"Defaults: 20 epochs, Adam with lr 0.001, batch 4 (1 for qcq-cnn, as the paper), no "
		"early stopping (patience=N stops after N epochs without a better validation "
		"accuracy). At the end the model holds the weights of the epoch with the best "
		"validation accuracy (keep=best, the default; the run's last epoch when there is "
		"no validation part) or of the last epoch (keep=last, as a plain PyTorch or Keras "
		"loop). `train` starts from freshly initialised "
		"weights drawn from seed (default: the model's seed), so the same command gives the "
		"same curves. `train resume` continues the last run (also one loaded with `load "
		"model`) exactly where it stopped; epochs=N extends it. quanv-mlp, qccnn and "
		"qcq-cnn need the quanvolved features (run quanv first), unless built with "
		"filter=trainable: then they read the images, train the filter's angles too "
		"(filter-lr=X gives them their own learning rate; default lr) and, when the run "
		"ends, the workspace's filter becomes the trained one. The quantum layer follows "
		"`set noise depolarizing` and `set shots`; it has no damping, so a model with one "
		"is not trained while `set noise damping` is on.",
	.exec = exec_train,
};
