/*
 * core/alloc.c: allocation. Two kinds: x* for small internal buffers (abort on OOM,
 * as tmux does: there is nothing sensible to do), and qcq_alloc_checked for sizes a
 * user controls (2^n amplitudes, N images from a file header), which are checked for
 * overflow and against a limit derived from the machine's memory and fail with a
 * message instead.
 */
#include "qcq/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/*
 * 64-byte aligned and zeroed. Through calloc, not aligned_alloc + memset: for large
 * blocks glibc's calloc maps fresh pages that are already zero, which saves a whole
 * pass over (say) the 220 MB of a 70,000-image data set. The pointer calloc returned is
 * kept just before the aligned block, for qcq_aligned_free.
 */
static void *aligned_zeroed(size_t bytes)
{
	size_t total = bytes + 64 + sizeof(void *);
	if (total < bytes)
		return NULL;
	char *raw = calloc(1, total);
	if (!raw)
		return NULL;
	/* Large blocks (images, state vectors) are touched page by page: ask for huge pages
	 * so that filling them costs a few hundred page faults instead of tens of thousands. */
	if (total >= ((size_t)8 << 20)) {
		uintptr_t lo = ((uintptr_t)raw + 4095) & ~(uintptr_t)4095;
		uintptr_t hi = ((uintptr_t)raw + total) & ~(uintptr_t)4095;
		if (hi > lo)
			madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	}
	uintptr_t a = ((uintptr_t)raw + sizeof(void *) + 63) & ~(uintptr_t)63;
	((void **)a)[-1] = raw;
	return (void *)a;
}

/* Physical memory in bytes, 0 when the system does not say. */
static size_t phys_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	if (pages <= 0 || page <= 0)
		return 0;
	size_t b;
	return qcq_mul_size((size_t)pages, (size_t)page, &b) ? b : SIZE_MAX;
}

size_t qcq_mem_limit(void)
{
	size_t phys = phys_bytes();
	return phys ? phys / 4 * 3 : (size_t)16 << 30;
}

void *qcq_alloc_checked(size_t n, size_t size, const char *what, struct qcq_error *err)
{
	size_t bytes, limit = qcq_mem_limit();
	if (!qcq_mul_size(n, size, &bytes) || bytes > limit) {
		qcq_error_set(err, QCQ_ERANGE, "%s: %zu x %zu bytes is over the limit of %.1f GiB "
			      "(3/4 of this machine's %.1f GiB of memory)", what, n, size,
			      (double)limit / (1 << 30), (double)phys_bytes() / (1 << 30));
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
	if (p)
		free(((void **)p)[-1]);
}
