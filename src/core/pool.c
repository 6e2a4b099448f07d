/*
 * core/pool.c: a fixed pool of worker threads for data-parallel loops.
 *
 * One job at a time: qcq_pool_for publishes (fn, ctx, n, chunking), wakes the
 * workers, takes chunk 0 itself and waits for the rest. Chunk boundaries depend only
 * on n, min_chunk and the thread count, so results are reproducible. Calls from
 * several threads at once are serialised by a mutex (the caller may be the TUI's
 * training worker and the main loop quanvolving a preview).
 */
#include "qcq/core.h"

#include <pthread.h>
#include <stdlib.h>

struct qcq_pool {
	int nthreads;
	pthread_t *threads;
	pthread_mutex_t call_lock; /* one qcq_pool_for at a time */
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	uint64_t generation;
	int pending;
	bool quit;
	/* the current job */
	qcq_range_fn fn;
	void *ctx;
	size_t n, chunk;
	int nchunks;
};

struct worker_arg {
	struct qcq_pool *pool;
	int id;
};

static void run_chunk(struct qcq_pool *p, int c)
{
	size_t b = (size_t)c * p->chunk;
	size_t e = b + p->chunk < p->n ? b + p->chunk : p->n;
	if (b < e)
		p->fn(p->ctx, b, e, c);
}

static void *worker_main(void *argp)
{
	struct worker_arg *a = argp;
	struct qcq_pool *p = a->pool;
	int id = a->id;
	free(a);
	uint64_t seen = 0;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->quit && p->generation == seen)
			pthread_cond_wait(&p->wake, &p->lock);
		if (p->quit)
			break;
		seen = p->generation;
		pthread_mutex_unlock(&p->lock);
		if (id < p->nchunks)
			run_chunk(p, id);
		pthread_mutex_lock(&p->lock);
		if (--p->pending == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct qcq_pool *qcq_pool_create(int nthreads)
{
	if (nthreads < 1)
		nthreads = 1;
	struct qcq_pool *p = qcq_xcalloc(1, sizeof *p);
	p->nthreads = nthreads;
	pthread_mutex_init(&p->call_lock, NULL);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	pthread_cond_init(&p->done, NULL);
	p->threads = qcq_xcalloc((size_t)nthreads, sizeof *p->threads);
	for (int i = 1; i < nthreads; i++) {
		struct worker_arg *a = qcq_xmalloc(sizeof *a);
		a->pool = p;
		a->id = i;
		if (pthread_create(&p->threads[i], NULL, worker_main, a) != 0) {
			free(a);
			p->nthreads = i; /* run with what we have */
			break;
		}
	}
	return p;
}

void qcq_pool_destroy(struct qcq_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = true;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (int i = 1; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->call_lock);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	pthread_cond_destroy(&p->done);
	free(p->threads);
	free(p);
}

int qcq_pool_threads(const struct qcq_pool *p)
{
	return p ? p->nthreads : 1;
}

void qcq_pool_for(struct qcq_pool *p, size_t n, size_t min_chunk, qcq_range_fn fn, void *ctx)
{
	if (n == 0)
		return;
	if (min_chunk < 1)
		min_chunk = 1;
	int nt = p ? p->nthreads : 1;
	size_t chunk = (n + (size_t)nt - 1) / (size_t)nt;
	if (chunk < min_chunk)
		chunk = min_chunk;
	int nchunks = (int)((n + chunk - 1) / chunk);
	if (!p || nt == 1 || nchunks == 1) {
		fn(ctx, 0, n, 0);
		return;
	}
	pthread_mutex_lock(&p->call_lock);
	pthread_mutex_lock(&p->lock);
	p->fn = fn;
	p->ctx = ctx;
	p->n = n;
	p->chunk = chunk;
	p->nchunks = nchunks;
	p->pending = p->nthreads - 1;
	p->generation++;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);

	run_chunk(p, 0);

	pthread_mutex_lock(&p->lock);
	while (p->pending > 0)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_unlock(&p->call_lock);
}
