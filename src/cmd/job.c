/*
 * cmd/job.c: the one background job of a workspace (training, an experiment sweep).
 *
 * The job's function runs on its own thread and posts events into a queue guarded
 * by a mutex; the front end's main loop drains the queue with cmd_job_poll and hands
 * each event to ws->ui there, so drawing never happens off the main thread. When the
 * function returns, poll joins the thread and runs the job's finish callback on the
 * main thread, which is where results enter the workspace.
 */
#include "cmd-internal.h"

#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct queued_event {
	struct qcq_event ev;
	char *text;
};

struct cmd_job {
	char name[64];
	pthread_t thread;
	cmd_job_run_fn run;
	cmd_job_finish_fn finish;
	void *arg;
	qcq_stop_flag stop; /* set by the main thread (stop, Ctrl-C), read by the job's */

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct queued_event *q;
	size_t qn, qcap;
	bool ended;
	enum qcq_status status;
	struct qcq_error err;
};

/*
 * Batch events are only progress: when the front end falls far behind (JOB_QUEUE_SOFT
 * events waiting), the BATCH events already queued are dropped (the newest is about to
 * be queued) rather than the queue growing without limit. Every other event (log
 * lines, epochs, the end) is kept, in order.
 */
#define JOB_QUEUE_SOFT 1024

static void drop_old_batches(struct cmd_job *j)
{
	size_t k = 0;
	for (size_t i = 0; i < j->qn; i++) {
		if (j->q[i].ev.kind == QCQ_EV_BATCH)
			free(j->q[i].text);
		else
			j->q[k++] = j->q[i];
	}
	j->qn = k;
}

static void job_post(void *ctx, const struct qcq_event *ev)
{
	struct cmd_job *j = ctx;
	pthread_mutex_lock(&j->lock);
	if (j->qn >= JOB_QUEUE_SOFT && ev->kind == QCQ_EV_BATCH)
		drop_old_batches(j);
	if (j->qn == j->qcap) {
		j->qcap = j->qcap ? j->qcap * 2 : 64;
		j->q = qcq_xrealloc(j->q, j->qcap * sizeof *j->q);
	}
	j->q[j->qn].ev = *ev;
	j->q[j->qn].text = ev->text ? qcq_xstrdup(ev->text) : NULL;
	j->q[j->qn].ev.text = NULL;
	j->qn++;
	pthread_cond_signal(&j->cond);
	pthread_mutex_unlock(&j->lock);
}

static void *job_main(void *argp)
{
	struct cmd_job *j = argp;
	struct qcq_sink sink = {job_post, j};
	struct qcq_error err;
	qcq_error_clear(&err);
	enum qcq_status st = j->run(j->arg, &sink, &j->stop, &err);
	pthread_mutex_lock(&j->lock);
	j->status = st;
	j->err = err;
	j->ended = true;
	pthread_cond_signal(&j->cond);
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

enum qcq_status cmd_job_start(struct cmd_ctx *ctx, const char *name, cmd_job_run_fn run,
			      cmd_job_finish_fn finish, void *arg)
{
	struct cmd_workspace *ws = ctx->ws;
	if (ws->job)
		return cmd_error(ctx, QCQ_ESTATE, "a job (%s) is already running; type stop first",
				 cmd_job_name(ws));
	struct cmd_job *j = qcq_xcalloc(1, sizeof *j);
	snprintf(j->name, sizeof j->name, "%s", name);
	j->run = run;
	j->finish = finish;
	j->arg = arg;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->cond, NULL);
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		pthread_mutex_destroy(&j->lock);
		pthread_cond_destroy(&j->cond);
		free(j);
		return cmd_error(ctx, QCQ_ENOMEM, "%s: cannot start a thread", name);
	}
	ws->job = j;
	return QCQ_OK;
}

bool cmd_job_running(const struct cmd_workspace *ws)
{
	return ws->job != NULL;
}

const char *cmd_job_name(const struct cmd_workspace *ws)
{
	return ws->job ? ws->job->name : "";
}

void cmd_job_stop(struct cmd_workspace *ws)
{
	struct cmd_job *j = ws->job;
	if (j)
		j->stop = 1;
}

static void deliver(struct cmd_workspace *ws, struct queued_event *q, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		q[i].ev.text = q[i].text;
		qcq_post(&ws->ui, &q[i].ev);
		free(q[i].text);
	}
}

static bool drain(struct cmd_workspace *ws, bool block)
{
	struct cmd_job *j = ws->job;
	pthread_mutex_lock(&j->lock);
	if (block) {
		while (j->qn == 0 && !j->ended) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&j->cond, &j->lock, &ts);
			if (ws->interrupt && *ws->interrupt)
				j->stop = 1;
		}
	}
	struct queued_event *q = j->q;
	size_t n = j->qn;
	bool ended = j->ended;
	j->q = NULL;
	j->qn = j->qcap = 0;
	pthread_mutex_unlock(&j->lock);
	deliver(ws, q, n);
	free(q);
	return ended;
}

static enum qcq_status collect(struct cmd_workspace *ws)
{
	struct cmd_job *j = ws->job;
	pthread_join(j->thread, NULL);
	drain(ws, false);
	ws->job = NULL;
	enum qcq_status st = j->status;
	/* The job's own error is reported here, the one place that sees every job end. */
	if (ws->out.write && st == QCQ_ESTOPPED) {
		char m[QCQ_ERROR_MSG_MAX + 80];
		snprintf(m, sizeof m, "%s stopped%s%s", j->name, j->err.msg[0] ? ": " : "",
			 j->err.msg);
		ws->out.write(ws->out.ctx, CMD_STREAM_INFO, m);
	} else if (st != QCQ_OK) {
		char m[QCQ_ERROR_MSG_MAX + 80];
		snprintf(m, sizeof m, "%s: %s", j->name, j->err.msg);
		cmd_report_error(ws, m, NULL);
	}
	if (j->finish)
		j->finish(ws, j->arg, j->status, &j->err);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->cond);
	free(j);
	ws->dirty |= CMD_DIRTY_ALL;
	return st;
}

bool cmd_job_poll(struct cmd_workspace *ws)
{
	if (!ws->job)
		return false;
	if (drain(ws, false)) {
		collect(ws);
		return false;
	}
	return true;
}

enum qcq_status cmd_job_wait(struct cmd_workspace *ws)
{
	if (!ws->job)
		return QCQ_OK;
	while (!drain(ws, true))
		;
	return collect(ws);
}
