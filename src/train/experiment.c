/*
 * train/experiment.c: a study from start to end — prepare the data sets, find the
 * finished runs on disk, train the others on `jobs` worker threads (and, under MPI,
 * on this rank's share of them), write each finished run's file at once, then the
 * reports.
 *
 * Threads: the calling thread coordinates. Workers take runs from a shared index in
 * plan order; each run builds its own model and reads the data sets, which nobody
 * writes after preparation, so a run's result depends on its settings only and the
 * outcome is the same for any number of workers. The coordinator watches the caller's
 * stop flag and turns it, or a worker's failure, into the one halt flag that every
 * train_fit reads between batches; on MPI rank 0 it also takes the other ranks' results.
 */
#include "experiment-internal.h"

#include "qcq/qml.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void train_exp_result_free(struct train_exp_result *r)
{
	free(r->table);
	r->table = NULL;
}

struct study {
	const struct train_exp_spec *spec;
	const struct qcq_sink *events;
	char out_dir[TRAIN_EXP_PATH_MAX];
	struct exp_run *runs;
	size_t nruns;
	struct exp_data data[TRAIN_EXP_NDATA];
	struct exp_notes notes;  /* how the study departs from the paper's protocol */
	int rank, nranks;

	size_t *mine;            /* indices of the runs this rank trains */
	size_t nmine;
	pthread_mutex_t lock;    /* next, finished, err, the events' counters */
	size_t next;
	size_t finished;         /* runs done, skipped ones included (progress) */
	size_t received;         /* rank 0: runs other ranks trained */
	qcq_stop_flag halt;       /* read by train_fit */
	bool failed;
	struct qcq_error err;
	int active;              /* workers still running */
};

static const struct exp_data *data_of(const struct study *S, const struct exp_run *r)
{
	return &S->data[r->data];
}

static void run_path(const struct study *S, const struct exp_run *r, char *buf, size_t n)
{
	snprintf(buf, n, "%s/runs/%s", S->out_dir, r->name);
}

static void progress(struct study *S, const struct exp_run *r)
{
	char series[128];
	train_exp_run_series(r, series, sizeof series);
	pthread_mutex_lock(&S->lock);
	size_t done = ++S->finished;
	pthread_mutex_unlock(&S->lock);
	qcq_post_log(S->events, "run %zu/%zu: %s %s seed %" PRIu64 ": test accuracy %.4f, %zu epochs "
		"(best %d), %.1f s", done, S->nruns, train_exp_data_name(r->data), series, r->seed,
		r->out.test_acc, r->out.nrows, r->out.best_epoch, r->out.seconds);
	struct qcq_event ev = {.kind = QCQ_EV_PROGRESS, .text = "runs"};
	ev.done = (double)done;
	ev.total = (double)S->nruns;
	qcq_post(S->events, &ev);
}

/* A finished run: rank 0 writes its file; other ranks send it there. */
static enum qcq_status keep_run(struct study *S, size_t i, struct qcq_error *err)
{
	size_t len;
	char *text = train_exp_run_format(&S->runs[i], &len);
	enum qcq_status st = QCQ_OK;
	if (S->rank == 0) {
		char path[TRAIN_EXP_PATH_MAX + 256];
		run_path(S, &S->runs[i], path, sizeof path);
		st = qcq_write_file_atomic(path, text, len, err);
	} else {
		train_exp_mpi_send_run(i, text, len);
	}
	free(text);
	return st;
}

static void fail(struct study *S, const struct qcq_error *e)
{
	pthread_mutex_lock(&S->lock);
	if (!S->failed) {
		S->failed = true;
		S->err = *e;
	}
	S->halt = 1;
	pthread_mutex_unlock(&S->lock);
}

static void *worker(void *arg)
{
	struct study *S = arg;
	for (;;) {
		pthread_mutex_lock(&S->lock);
		size_t k = S->next < S->nmine && !S->halt ? S->next++ : S->nmine;
		pthread_mutex_unlock(&S->lock);
		if (k == S->nmine)
			break;
		size_t i = S->mine[k];
		struct exp_run *r = &S->runs[i];
		struct qcq_error e;
		qcq_error_clear(&e);
		enum qcq_status st = train_exp_run_train(r, data_of(S, r), S->events, &S->halt, &e);
		if (st == QCQ_OK)
			st = keep_run(S, i, &e);
		if (st == QCQ_OK) {
			progress(S, r);
		} else if (st != QCQ_ESTOPPED) {
			qcq_error_prefix(&e, "%s", r->name);
			fail(S, &e);
		}
	}
	pthread_mutex_lock(&S->lock);
	S->active--;
	pthread_mutex_unlock(&S->lock);
	return NULL;
}

/* Rank 0: a result file from another rank. */
static void got_remote(void *ctx, size_t i, const char *text, size_t len)
{
	struct study *S = ctx;
	struct qcq_error e;
	if (i >= S->nruns || train_exp_run_parse(&S->runs[i], text, len, &e) != QCQ_OK) {
		qcq_post_log(S->events, "a result from another rank was refused (run %zu)", i);
		return;
	}
	char path[TRAIN_EXP_PATH_MAX + 256];
	run_path(S, &S->runs[i], path, sizeof path);
	if (qcq_write_file_atomic(path, text, len, &e) != QCQ_OK)
		fail(S, &e);
	S->received++;
	progress(S, &S->runs[i]);
}

static void nap(void)
{
	struct timespec ts = {0, 20 * 1000 * 1000};
	nanosleep(&ts, NULL);
}

/* Start the workers and coordinate until they end. */
static void train_pending(struct study *S, const qcq_stop_flag *stop)
{
	int nw = S->spec->jobs < (int)S->nmine ? S->spec->jobs : (int)S->nmine;
	pthread_t th[TRAIN_EXP_MAX_JOBS];
	int started = 0;
	S->active = nw;
	for (int w = 0; w < nw; w++) {
		if (pthread_create(&th[w], NULL, worker, S) != 0)
			break;
		started++;
	}
	pthread_mutex_lock(&S->lock);
	S->active -= nw - started;
	pthread_mutex_unlock(&S->lock);
	if (started == 0 && S->nmine > 0)
		worker(S); /* no thread could start: do the work here */
	for (;;) {
		pthread_mutex_lock(&S->lock);
		int active = S->active;
		pthread_mutex_unlock(&S->lock);
		if (active <= 0)
			break;
		if (stop && *stop)
			S->halt = 1;
		if (S->rank == 0 && S->nranks > 1)
			train_exp_mpi_collect(false, got_remote, S);
		nap();
	}
	for (int w = 0; w < started; w++)
		pthread_join(th[w], NULL);
	if (stop && *stop)
		S->halt = 1;
}

/* Rank 0: the runs whose files are there and valid. */
static void find_finished(struct study *S, bool *done)
{
	for (size_t i = 0; i < S->nruns; i++) {
		char path[TRAIN_EXP_PATH_MAX + 256], *text;
		size_t len;
		struct qcq_error e;
		run_path(S, &S->runs[i], path, sizeof path);
		done[i] = false;
		if (qcq_read_file(path, 1 << 24, &text, &len, &e) != QCQ_OK)
			continue;
		if (train_exp_run_parse(&S->runs[i], text, len, &e) == QCQ_OK)
			done[i] = true;
		else
			qcq_post_log(S->events, "%s: %s: trained again", path, e.msg);
		free(text);
	}
}

static enum qcq_status prepare(struct study *S, const struct qml_filter *filter,
			       struct qcq_error *err)
{
	const struct train_exp_spec *s = S->spec;
	struct qcq_pool *pool = qcq_pool_create(s->threads);
	enum qcq_status st = QCQ_OK;
	for (int k = 0; k < s->ndatasets && !st; k++)
		st = train_exp_data_prepare(s, s->datasets[k], filter, pool, S->events,
				      &S->data[s->datasets[k]], err);
	for (int m = 0; m < s->nmodels && !st; m++)
		if (s->models[m] == NN_ARCH_QCNN)
			for (int k = 0; k < s->ndatasets; k++)
				train_exp_data_downsample(&S->data[s->datasets[k]], EXP_QCNN_SIDE);
	qcq_pool_destroy(pool);
	if (st)
		return st;
	if (s->protocol == TRAIN_EXP_PAPER) {
		for (int k = 0; k < s->ndatasets; k++)
			if (S->data[s->datasets[k]].note[0])
				train_exp_notes_add(&S->notes, "deviation: %s", S->data[s->datasets[k]].note);
		train_exp_paper_notes(s, &S->notes);
		qcq_post_log(S->events, "the paper's protocol; where this study departs from it:");
		for (int i = 0; i < S->notes.n; i++)
			qcq_post_log(S->events, "  - %s", S->notes.line[i]);
	}
	for (size_t i = 0; i < S->nruns; i++)
		train_exp_run_identify(&S->runs[i], data_of(S, &S->runs[i]));
	return QCQ_OK;
}

static enum qcq_status run_study(struct study *S, const qcq_stop_flag *stop,
				 struct train_exp_result *res, struct qcq_error *err)
{
	bool *done = qcq_xcalloc(S->nruns + 1, sizeof *done);
	if (S->rank == 0)
		find_finished(S, done);
	train_exp_mpi_share_done(done, S->nruns);
	S->mine = qcq_xcalloc(S->nruns + 1, sizeof *S->mine);
	size_t pending = 0;
	for (size_t i = 0; i < S->nruns; i++) {
		if (done[i]) {
			S->runs[i].from_disk = true;
			res->skipped++;
			continue;
		}
		if (pending++ % (size_t)S->nranks == (size_t)S->rank)
			S->mine[S->nmine++] = i;
	}
	free(done);
	S->finished = res->skipped;
	if (res->skipped)
		qcq_post_log(S->events, "%zu of %zu runs already finished in %s/runs: skipped",
			res->skipped, S->nruns, S->out_dir);
	qcq_post_log(S->events, "%zu runs to train%s, %d at a time", pending,
		S->nranks > 1 ? " across the ranks" : "", S->spec->jobs);
	train_pending(S, stop);
	if (S->nranks > 1) {
		if (S->rank == 0)
			train_exp_mpi_collect(true, got_remote, S);
		else
			train_exp_mpi_send_end();
		train_exp_mpi_barrier();
	}
	for (size_t k = 0; k < S->nmine; k++)
		res->trained += S->runs[S->mine[k]].done;
	res->trained += S->received;
	if (S->failed) {
		*err = S->err;
		return err->code;
	}
	return QCQ_OK;
}

enum qcq_status train_exp_run(const struct train_exp_spec *spec, const struct qcq_sink *events,
			      const qcq_stop_flag *stop, struct train_exp_result *out,
			      struct qcq_error *err)
{
	enum qcq_status st = train_exp_spec_check(spec, err);
	if (st)
		return st;
	double t0 = qcq_now();
	struct study S;
	memset(&S, 0, sizeof S);
	S.spec = spec;
	S.events = events;
	memset(out, 0, sizeof *out);
	if ((st = train_exp_mpi_begin(spec, &S.rank, &S.nranks, err)))
		return st;
	if (S.rank > 0)
		S.events = events = NULL; /* rank 0 reports for everyone */
	if (spec->out_dir[0])
		snprintf(S.out_dir, sizeof S.out_dir, "%s", spec->out_dir);
	else
		snprintf(S.out_dir, sizeof S.out_dir, "results/%s", train_exp_kind_name(spec->kind));
	char runs_dir[TRAIN_EXP_PATH_MAX + 8];
	snprintf(runs_dir, sizeof runs_dir, "%s/runs", S.out_dir);
	if (S.rank == 0 && (st = qcq_mkdir_p(runs_dir, err)))
		return st;
	struct qml_filter *filter = NULL;
	if (spec->filter) {
		const struct qml_filter *f = spec->filter;
		int ng = qml_filter_ngates(f);
		struct qml_gate *g = qcq_xcalloc((size_t)ng + 1, sizeof *g);
		for (int i = 0; i < ng; i++)
			g[i] = *qml_filter_gate(f, i);
		st = qml_filter_create(&filter, qml_filter_patch(f), qml_filter_stride(f), g, ng,
				       qml_filter_name(f), err);
		free(g);
	} else {
		st = qml_filter_create_pennylane(&filter, 'C', err);
	}
	if (st)
		return qcq_error_prefix(err, "filter");
	S.runs = train_exp_plan(spec, &S.nruns);
	pthread_mutex_init(&S.lock, NULL);
#ifndef QCQ_HAVE_MPI
	if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE"))
		qcq_post_log(events, "started by an MPI launcher, but this qcqlab was built without MPI "
			"(meson -Dmpi=enabled): every process runs every run");
#endif
	qcq_post_log(events, "%s study: %zu runs into %s%s", train_exp_kind_name(spec->kind), S.nruns,
		S.out_dir, S.nranks > 1 ? " (MPI)" : "");
	st = prepare(&S, filter, err);
	if (!st)
		st = run_study(&S, stop, out, err);
	enum qcq_status halted = !st && stop && *stop ? QCQ_ESTOPPED : QCQ_OK;
	out->runs = S.nruns;
	out->rank = S.rank;
	out->nranks = S.nranks;
	snprintf(out->out_dir, sizeof out->out_dir, "%s", S.out_dir);
	out->seconds = qcq_now() - t0;
	if (!st && S.rank == 0)
		st = train_exp_report_write(spec, S.out_dir, S.runs, S.nruns, S.data, &S.notes,
				      out->seconds, &out->table, err);
	if (!st && halted)
		st = qcq_error_set(err, QCQ_ESTOPPED, "%zu of %zu runs finished; run the study "
				   "again to resume", S.finished, S.nruns);
	for (size_t i = 0; i < S.nruns; i++)
		train_exp_outcome_free(&S.runs[i].out);
	for (int k = 0; k < TRAIN_EXP_NDATA; k++)
		train_exp_data_free(&S.data[k]);
	free(S.runs);
	free(S.mine);
	pthread_mutex_destroy(&S.lock);
	qml_filter_destroy(filter);
	return st;
}
