/*
 * train/experiment-ablate.c: the ablation study from start to end (ablate.h) — prepare
 * the tasks' data, train every search run on `jobs` threads, select one configuration
 * per (task, model) from validation scores, train the final runs, evaluate each on the
 * test part once, write the reports. Every finished run's file is written at once
 * (experiment-ablate-file.c) and the runs whose files are there are not trained again, so
 * a stopped study resumes where it stopped.
 *
 * The separation of the test part is structural: a search run is trained with the
 * training and validation parts only and its record has no test field filled; the
 * selection (experiment-search.c) reads validation scores only; and the test part is
 * first read by train_evaluate after a final run has finished training. The no-leakage
 * test (tests/experiment/test_ablate.c) flips every test label through the hook and
 * checks that every search score and choice stays bit-identical.
 *
 * Threads as in experiment.c: workers take tasks from a shared index, each builds its
 * own model, the prepared data are read-only, so results do not depend on `jobs`.
 */
#include "experiment-ablate.h"

#include "qcq/qml.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void train_ablate_result_free(struct abl_result *r)
{
	free(r->tasks);
	r->tasks = NULL;
	r->ntasks = r->nsearch = 0;
}

struct pool {
	const struct train_abl_spec *spec;
	const struct exp_data *data; /* by spec.base.datasets index */
	const struct abl_result *res;
	const struct qml_filter *filter; /* the study's: the trainable arms start from it */
	const char *out_dir;         /* each finished run's file goes to out_dir/runs */
	struct abl_task *tasks;
	size_t first, end;           /* the tasks of this phase */
	const struct qcq_sink *events;
	pthread_mutex_t lock;
	size_t next, total_done, total;
	int active;                  /* workers still running */
	qcq_stop_flag halt;
	bool failed;
	struct qcq_error err;
};

/* Trains one task; a final task then evaluates the test part (the only place it is read). */
static enum qcq_status train_task(struct pool *P, struct abl_task *t, struct qcq_error *err)
{
	const struct train_abl_spec *s = P->spec;
	enum nn_arch a = s->base.models[t->model];
	const struct exp_data *d = &P->data[t->data];
	struct abl_config c = train_ablate_grid_config(s, t->grid);
	struct train_data train, val;
	bool tf = s->trainable >> t->model & 1u;
	/* the trainable arms read the images: their layer 0 is the filter */
	train_exp_part(d, a, tf, DATA_TRAIN, &train);
	train_exp_part(d, a, tf, DATA_VAL, &val);
	struct nn_model_desc desc;
	train_exp_model_desc(&desc, a, &train, d, s->base.depth, s->base.observable,
			     (uint64_t)t->seed);
	desc.conv1 = (uint32_t)c.conv1, desc.conv2 = (uint32_t)c.conv2;
	if (tf) {
		desc.filter = NN_FILTER_TRAINABLE;
		desc.filter_k = (uint32_t)qml_filter_patch(P->filter);
		desc.filter_stride = (uint32_t)qml_filter_stride(P->filter);
	}
	struct nn_model *m;
	enum qcq_status st = nn_model_create_filter(&m, &desc, c.batch > 256 ? c.batch : 256, NULL,
						    P->filter, err);
	if (st)
		return st;
	struct train_opts o;
	train_opts_default(&o);
	o.epochs = s->base.epochs, o.batch = c.batch, o.lr = c.lr, o.seed = (uint64_t)t->seed;
	o.patience = s->base.patience;
	o.restore_best = true;
	if (tf)
		o.filter_lr = s->filter_lr;
	o.event_interval = 3600;
	struct train_history *h = train_history_create();
	double t0 = qcq_now();
	st = train_fit(m, &train, &val, NULL, &o, h, NULL, &P->halt, err);
	if (st == QCQ_OK || st == QCQ_ENUMERIC) {
		t->end = st == QCQ_OK ? h->end : TRAIN_FAILED;
		t->val_acc = h->best_epoch > 0 ? h->best_val_acc : NAN;
		t->best_epoch = h->best_epoch;
		t->epochs = (int)h->n;
		t->nparams = nn_model_nparams(m);
		t->nparams_q = nn_model_nparams_quantum(m);
		st = QCQ_OK;
		if (t->final) {
			struct train_data test;
			struct train_metrics tm;
			train_exp_part(d, a, tf, DATA_TEST, &test);
			st = train_evaluate(m, &test, 256, &tm, err);
			if (!st) {
				t->test_acc = tm.acc;
				t->test_bal_acc = train_metrics_balanced_accuracy(&tm);
			}
		}
		t->seconds = qcq_now() - t0;
		t->done = st == QCQ_OK;
	}
	train_history_free(h);
	nn_model_destroy(m);
	return st;
}

static void log_task(struct pool *P, const struct abl_task *t, size_t done)
{
	const struct train_abl_spec *s = P->spec;
	struct abl_config c = train_ablate_grid_config(s, t->grid);
	char what[96] = "";
	if (t->final)
		snprintf(what, sizeof what, ", test %.4f", t->test_acc);
	qcq_post_log(P->events, "%s %zu/%zu: %s %s lr %g widths %d/%d batch %d seed %d: val %.4f%s%s, "
		"%d epochs, %.1f s", t->final ? "final" : "search", done, P->total,
		train_exp_data_name(s->base.datasets[t->data]), train_abl_model_name(s, t->model),
		c.lr, c.conv1, c.conv2, c.batch, t->seed, t->val_acc, what,
		t->end == TRAIN_FAILED ? " (diverged)" : "", t->epochs, t->seconds);
	struct qcq_event ev = {.kind = QCQ_EV_PROGRESS, .text = "runs"};
	ev.done = (double)done;
	ev.total = (double)P->total;
	qcq_post(P->events, &ev);
}

/* A finished run's file, written at once (atomically) so that a stop loses no run. */
static enum qcq_status keep_task(struct pool *P, const struct abl_task *t, struct qcq_error *err)
{
	char path[TRAIN_EXP_PATH_MAX + 256];
	size_t len;
	train_ablate_task_path(P->spec, P->data, P->out_dir, t, path, sizeof path);
	char *text = train_ablate_task_format(P->spec, P->data, t, &len);
	enum qcq_status st = len ? qcq_write_file_atomic(path, text, len, err)
				 : qcq_error_set(err, QCQ_ERANGE, "%s: run record too long", path);
	free(text);
	return st;
}

static void *worker(void *arg)
{
	struct pool *P = arg;
	for (;;) {
		pthread_mutex_lock(&P->lock);
		size_t i = P->next < P->end && !P->halt ? P->next++ : P->end;
		pthread_mutex_unlock(&P->lock);
		if (i == P->end)
			break;
		if (P->tasks[i].from_disk)
			continue; /* found finished */
		struct qcq_error e;
		qcq_error_clear(&e);
		enum qcq_status st = train_task(P, &P->tasks[i], &e);
		if (st == QCQ_OK)
			st = keep_task(P, &P->tasks[i], &e);
		pthread_mutex_lock(&P->lock);
		if (st == QCQ_OK) {
			size_t done = ++P->total_done;
			pthread_mutex_unlock(&P->lock);
			log_task(P, &P->tasks[i], done);
			continue;
		}
		if (st != QCQ_ESTOPPED && !P->failed) {
			P->failed = true;
			P->err = e;
		}
		P->halt = 1;
		pthread_mutex_unlock(&P->lock);
	}
	pthread_mutex_lock(&P->lock);
	P->active--;
	pthread_mutex_unlock(&P->lock);
	return NULL;
}

/* Runs tasks [first, end) on the spec's jobs; returns the first failure. */
static enum qcq_status run_phase(struct pool *P, size_t first, size_t end,
				 const qcq_stop_flag *stop, struct qcq_error *err)
{
	P->first = P->next = first;
	P->end = end;
	int nw = P->spec->base.jobs;
	if ((size_t)nw > end - first)
		nw = (int)(end - first);
	pthread_t th[TRAIN_EXP_MAX_JOBS];
	int started = 0;
	P->active = nw;
	for (int w = 0; w < nw; w++)
		if (pthread_create(&th[started], NULL, worker, P) == 0)
			started++;
	pthread_mutex_lock(&P->lock);
	P->active -= nw - started;
	pthread_mutex_unlock(&P->lock);
	if (started == 0 && end > first) {
		P->active = 1;
		worker(P);
	}
	/* watch the caller's stop flag until every worker has left (train_fit reads halt
	 * between batches, so a stop also ends the runs in flight) */
	for (;;) {
		pthread_mutex_lock(&P->lock);
		int active = P->active;
		pthread_mutex_unlock(&P->lock);
		if (stop && *stop)
			P->halt = 1;
		if (active == 0)
			break;
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	for (int w = 0; w < started; w++)
		pthread_join(th[w], NULL);
	if (P->failed) {
		*err = P->err;
		return err->code;
	}
	/* a stop that came after the phase's last run ends nothing */
	size_t left = 0;
	for (size_t i = first; i < end; i++)
		left += !P->tasks[i].done;
	if (left && ((stop && *stop) || P->halt))
		return qcq_error_set(err, QCQ_ESTOPPED,
				     "stopped after %zu of %zu runs (the finished ones are kept in "
				     "%s/runs: the same study again resumes there)", P->total_done,
				     P->total, P->out_dir);
	return QCQ_OK;
}

static enum qcq_status make_filter(const struct train_exp_spec *s, struct qml_filter **f,
				   struct qcq_error *err)
{
	if (!s->filter)
		return qml_filter_create_pennylane(f, 'C', err);
	int ng = qml_filter_ngates(s->filter);
	struct qml_gate *g = qcq_xcalloc((size_t)ng + 1, sizeof *g);
	for (int i = 0; i < ng; i++)
		g[i] = *qml_filter_gate(s->filter, i);
	enum qcq_status st = qml_filter_create(f, qml_filter_patch(s->filter),
					       qml_filter_stride(s->filter), g, ng,
					       qml_filter_name(s->filter), err);
	free(g);
	return st;
}

static enum qcq_status prepare(const struct train_abl_spec *s, const struct abl_hooks *hooks,
			       const struct qml_filter *filter, const struct qcq_sink *events,
			       struct exp_data *data, struct abl_result *res, struct qcq_error *err)
{
	enum qcq_status st = QCQ_OK;
	struct qcq_pool *pool = qcq_pool_create(s->base.threads);
	for (int k = 0; k < s->base.ndatasets && !st; k++) {
		st = train_exp_data_prepare(&s->base, s->base.datasets[k], filter, pool, events, &data[k],
				      err);
		if (!st) {
			snprintf(res->data_desc[k], sizeof res->data_desc[k], "%s", data[k].desc);
			if (hooks && hooks->after_prepare)
				hooks->after_prepare(&data[k], hooks->ctx);
		}
	}
	qcq_pool_destroy(pool);
	return st;
}

/* The final tasks: the chosen configuration of every (data, model), seeds 1..seeds. */
static void plan_final(const struct train_abl_spec *s, struct abl_result *r)
{
	size_t i = r->nsearch;
	for (int d = 0; d < s->base.ndatasets; d++)
		for (int m = 0; m < s->base.nmodels; m++)
			for (int seed = 1; seed <= s->base.seeds; seed++, i++) {
				struct abl_task *t = &r->tasks[i];
				memset(t, 0, sizeof *t);
				t->data = d, t->model = m, t->grid = r->choice[d][m], t->seed = seed;
				t->final = true;
				t->test_acc = t->test_bal_acc = NAN;
			}
}

enum qcq_status train_ablate_run(const struct train_abl_spec *s, const struct abl_hooks *hooks,
			const struct qcq_sink *events, const qcq_stop_flag *stop,
			struct abl_result *res, char **table, struct qcq_error *err)
{
	memset(res, 0, sizeof *res);
	if (table)
		*table = NULL;
	enum qcq_status st = train_abl_spec_check(s, err);
	if (st)
		return st;
	double t0 = qcq_now();
	char out_dir[TRAIN_EXP_PATH_MAX];
	snprintf(out_dir, sizeof out_dir, "%s", s->base.out_dir[0] ? s->base.out_dir : "results/ablate");
	char runs_dir[TRAIN_EXP_PATH_MAX + 16];
	snprintf(runs_dir, sizeof runs_dir, "%s/runs", out_dir);
	if ((st = qcq_mkdir_p(runs_dir, err)))
		return st;
	struct exp_data data[TRAIN_EXP_NDATA];
	memset(data, 0, sizeof data);
	qcq_post_log(events, "ablate study: %zu runs (%d configurations x %d search seeds, then %d "
		"seeds of the chosen one, per model and task) into %s", train_abl_count_runs(s),
		train_ablate_grid_size(s), s->search_seeds, s->base.seeds, out_dir);
	struct qml_filter *filter = NULL;
	st = make_filter(&s->base, &filter, err);
	if (st)
		qcq_error_prefix(err, "filter");
	else if (s->trainable && qml_filter_patch(filter) > 2)
		st = qcq_error_set(err, QCQ_EUNSUPPORTED,
				   "ablate: the trainable arms take filters over patches up to 2x2 "
				   "(this one is %dx%d)", qml_filter_patch(filter),
				   qml_filter_patch(filter));
	else
		st = prepare(s, hooks, filter, events, data, res, err);
	struct pool P;
	memset(&P, 0, sizeof P);
	pthread_mutex_init(&P.lock, NULL);
	P.spec = s, P.data = data, P.res = res, P.events = events, P.filter = filter;
	P.out_dir = out_dir;
	P.total = train_abl_count_runs(s);
	if (!st) {
		size_t ns;
		struct abl_task *search = train_ablate_plan_search(s, &ns);
		res->tasks = qcq_xcalloc(P.total ? P.total : 1, sizeof *res->tasks);
		memcpy(res->tasks, search, ns * sizeof *search);
		free(search);
		res->nsearch = ns;
		res->ntasks = P.total;
		P.tasks = res->tasks;
		size_t foreign = train_ablate_count_foreign(s, data, out_dir);
		if (foreign)
			qcq_post_log(events, "%zu run files in %s/runs were written under other study "
				     "options (grid, epochs, patience, sizes, depth, filter-lr, ...): "
				     "ignored, not reused", foreign, out_dir);
		size_t found = train_ablate_find_finished(s, data, out_dir, res->tasks, 0, ns, events);
		P.total_done = found;
		qcq_post_log(events, "search: %zu runs, %zu found finished in %s/runs, %d at a time "
			     "(test parts unused)", ns, found, out_dir, s->base.jobs);
		st = run_phase(&P, 0, ns, stop, err);
	}
	if (!st) {
		train_ablate_select(s, res->tasks, res->nsearch, res);
		plan_final(s, res);
		size_t found = train_ablate_find_finished(s, data, out_dir, res->tasks, res->nsearch,
							  res->ntasks, events);
		P.total_done += found;
		qcq_post_log(events, "final: %zu runs of the chosen configurations, %zu found finished",
			res->ntasks - res->nsearch, found);
		st = run_phase(&P, res->nsearch, res->ntasks, stop, err);
	}
	res->seconds = qcq_now() - t0;
	if (!st)
		st = train_ablate_report_write(s, out_dir, res, res->seconds, table, err);
	pthread_mutex_destroy(&P.lock);
	qml_filter_destroy(filter);
	for (int k = 0; k < TRAIN_EXP_NDATA; k++)
		train_exp_data_free(&data[k]);
	return st;
}

enum qcq_status train_abl_run(const struct train_abl_spec *s, const struct qcq_sink *events,
			      const qcq_stop_flag *stop, struct train_exp_result *out,
			      struct qcq_error *err)
{
	memset(out, 0, sizeof *out);
	struct abl_result r;
	enum qcq_status st = train_ablate_run(s, NULL, events, stop, &r, &out->table, err);
	out->runs = train_abl_count_runs(s);
	for (size_t i = 0; i < r.ntasks; i++) {
		out->trained += r.tasks[i].done && !r.tasks[i].from_disk;
		out->skipped += r.tasks[i].from_disk;
	}
	out->seconds = r.seconds;
	out->nranks = 1;
	snprintf(out->out_dir, sizeof out->out_dir, "%s",
		 s->base.out_dir[0] ? s->base.out_dir : "results/ablate");
	train_ablate_result_free(&r);
	return st;
}
