/*
 * core/alloc.c: allocation. Two kinds: x* for small internal buffers (abort on OOM,
 * as tmux does: there is nothing sensible to do), and qcq_alloc_checked for sizes a
 * user controls (2^n amplitudes, N images from a file header), which are checked for
 * overflow and against a limit and fail with a message instead.
 */
#include "qcq/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t size)
{
	fprintf(stderr, "qcqlab: out of memory allocating %zu bytes\n", size);
	abort();
}

void *qcq_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *qcq_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *qcq_xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		oom(size);
	return q;
}

char *qcq_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = qcq_xmalloc(n);
	memcpy(d, s, n);
	return d;
}

bool qcq_mul_size(size_t n, size_t size, size_t *out)
{
	if (size && n > SIZE_MAX / size)
		return false;
	*out = n * size;
	return true;
}

static void *aligned_zeroed(size_t bytes)
{
	size_t rounded = (bytes + 63) & ~(size_t)63;
	void *p = aligned_alloc(64, rounded ? rounded : 64);
	if (p)
		memset(p, 0, rounded ? rounded : 64);
	return p;
}

void *qcq_alloc_checked(size_t n, size_t size, const char *what, struct qcq_error *err)
{
	size_t bytes;
	if (!qcq_mul_size(n, size, &bytes) || bytes > QCQ_ALLOC_LIMIT - 64) {
		qcq_error_set(err, QCQ_ERANGE, "%s: %zu x %zu bytes is over the %zu GiB limit", what, n,
			      size, QCQ_ALLOC_LIMIT >> 30);
		return NULL;
	}
	void *p = aligned_zeroed(bytes);
	if (!p)
		qcq_error_set(err, QCQ_ENOMEM, "%s: cannot allocate %zu bytes", what, bytes);
	return p;
}

void *qcq_aligned_xalloc(size_t size)
{
	void *p = aligned_zeroed(size);
	if (!p)
		oom(size);
	return p;
}

void qcq_aligned_free(void *p)
{
	free(p);
}
