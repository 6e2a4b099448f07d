/*
 * nn/gemm-plan.c: which implementation nn_gemm uses for a shape, chosen by timing.
 *
 * The fastest of loops, the register-blocked kernel and sgemm depends on the CPU
 * (vector width, OpenBLAS's kernel for it, caches) and on the shape, so the first
 * product of each shape (M, N, K, ta) times the candidates on scratch matrices of
 * that shape and the winner is cached for the process. Models plan their shapes
 * when they are built (nn_model_create), so training never pays for it; a shape
 * first met elsewhere is planned on its first call.
 *
 * The cache is a fixed open-addressing table shared by all threads: a slot is
 * published by storing its key last with release order, so a reader that sees the
 * key sees the choice; planning itself is serialised by a mutex (two threads
 * meeting a new shape at once plan it once). When the table is full, shapes are
 * decided by size without timing.
 *
 * The implementations differ in the order of float additions, so a run's last bits
 * depend on the plan, and a plan timed anew in every process would make the same
 * seeded run differ between two processes (a resumed study, the ranks of an MPI run,
 * yesterday's session). So a program can keep the plan in a file
 * (nn_gemm_plan_attach, one per CPU and vector width): a shape is timed once per
 * machine and every later process reads the choice. Processes that meet a new
 * shape at the same time serialise on flock(2), so the second reads what the first
 * measured. Without a file the plan lives for the process only. The kernel is kept
 * unless another path is clearly faster (NN_PLAN_MARGIN).
 *
 * The table and the file's path are process-wide like the choice they cache
 * (nothing in them belongs to a workspace); both are written under plan_lock.
 */
#include "nn-internal.h"

#include "core/simd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define NN_PLAN_SLOTS 256
/* Work (M N K) from which sgemm is taken without timing: its packing always pays. */
#define NN_PLAN_SGEMM_WORK ((size_t)1 << 24)
/* Loops are timed only on small products (they never win big ones). */
#define NN_PLAN_LOOPS_WORK ((size_t)1 << 16)
/* Another path replaces the kernel only when at least this much faster. */
#define NN_PLAN_MARGIN 0.92
/* The plan file's version (its name): 2 since the 6-row gemm tiles, 3 since the
 * kernel's tiles can start from zero (C = A B) and conv's batched products. */
#define NN_PLAN_VERSION 3

struct plan_slot {
	_Atomic uint64_t key; /* 0 = empty */
	_Atomic int impl;
	float us[3];          /* measured microseconds per call, 0 = not timed */
};

static struct plan_slot plans[NN_PLAN_SLOTS];
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;
static char plan_path[PATH_MAX]; /* "" = no file; under plan_lock */

/* 21 bits each for M, N, K and one for ta; 0 when a size does not fit. */
static uint64_t plan_key(int M, int N, int K, bool ta)
{
	const int lim = 1 << 21;
	if (M < 1 || N < 1 || K < 1 || M >= lim || N >= lim || K >= lim)
		return 0;
	return (uint64_t)M << 43 | (uint64_t)N << 22 | (uint64_t)K << 1 | (ta ? 1u : 0u);
}

static size_t plan_home(uint64_t key)
{
	key ^= key >> 29;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 32;
	return (size_t)(key % NN_PLAN_SLOTS);
}

/* The slot holding key, or NULL. */
static struct plan_slot *plan_find(uint64_t key)
{
	size_t h = plan_home(key);
	for (size_t i = 0; i < NN_PLAN_SLOTS; i++) {
		struct plan_slot *s = &plans[(h + i) % NN_PLAN_SLOTS];
		uint64_t k = atomic_load_explicit(&s->key, memory_order_acquire);
		if (k == key)
			return s;
		if (k == 0)
			return NULL;
	}
	return NULL;
}

static enum nn_gemm_impl by_size(size_t work)
{
	return work >= NN_PLAN_SGEMM_WORK ? NN_GEMM_SGEMM : NN_GEMM_KERNEL;
}

/* Microseconds per call: the best of 3 rounds of about 20 us each (at least 2 calls). */
static float time_one(nn_gemm_fn f, float *C, const float *A, const float *B, int M, int N,
		      int K, bool ta)
{
	f(C, A, B, M, N, K, ta); /* warm caches and OpenBLAS's first-call set-up */
	double best = 1e30;
	for (int round = 0; round < 3; round++) {
		long n = 0;
		double t0 = qcq_now(), dt;
		do {
			f(C, A, B, M, N, K, ta);
			f(C, A, B, M, N, K, ta);
			n += 2;
			dt = qcq_now() - t0;
		} while (dt < 20e-6);
		best = dt / n < best ? dt / n : best;
	}
	return (float)(1e6 * best);
}

/* Times the candidates for one shape; fills us[] (0 = not timed), returns the winner. */
static enum nn_gemm_impl plan_measure(int M, int N, int K, bool ta, float us[3])
{
	size_t work = (size_t)M * N * K;
	us[0] = us[1] = us[2] = 0;
	if (work >= NN_PLAN_SGEMM_WORK)
		return NN_GEMM_SGEMM;
	float *A = malloc(sizeof(float) * (size_t)M * K), *B = malloc(sizeof(float) * (size_t)K * N);
	float *C = calloc((size_t)M * N, sizeof(float));
	if (!A || !B || !C) {
		free(A), free(B), free(C);
		return by_size(work);
	}
	/* small values that stay normal floats however often C is accumulated */
	for (size_t i = 0; i < (size_t)M * K; i++)
		A[i] = (float)(i % 7) * 1e-3f;
	for (size_t i = 0; i < (size_t)K * N; i++)
		B[i] = (float)(i % 5) * 1e-3f;
	us[NN_GEMM_KERNEL] = time_one(nn_gemm_small, C, A, B, M, N, K, ta);
	us[NN_GEMM_SGEMM] = time_one(nn_gemm_blas, C, A, B, M, N, K, ta);
	if (work < NN_PLAN_LOOPS_WORK)
		us[NN_GEMM_LOOPS] = time_one(nn_gemm_loops, C, A, B, M, N, K, ta);
	free(A), free(B), free(C);
	enum nn_gemm_impl best = NN_GEMM_KERNEL;
	for (int i = 0; i < 3; i++)
		if (us[i] > 0 && us[i] < NN_PLAN_MARGIN * us[best])
			best = (enum nn_gemm_impl)i;
	return best;
}

/* Stores a choice in the first free slot of its probe chain (plan_lock held); a full
 * table keeps deciding by size. */
static void plan_insert(uint64_t key, enum nn_gemm_impl impl, const float us[3])
{
	size_t h = plan_home(key);
	for (size_t i = 0; i < NN_PLAN_SLOTS; i++) {
		struct plan_slot *e = &plans[(h + i) % NN_PLAN_SLOTS];
		if (atomic_load_explicit(&e->key, memory_order_relaxed) != 0)
			continue;
		e->us[0] = us[0], e->us[1] = us[1], e->us[2] = us[2];
		atomic_store_explicit(&e->impl, (int)impl, memory_order_relaxed);
		atomic_store_explicit(&e->key, key, memory_order_release);
		return;
	}
}

/*
 * The plan file: a header line, then one line per shape,
 *   M N K ta impl us_loops us_kernel us_sgemm
 * appended by whoever timed it. Lines that do not parse (a write cut short, another
 * version) are skipped, so their shapes are timed again; the first line for a shape
 * wins. Loads every shape of the open file fd into the table (plan_lock held).
 */
static int plan_load_fd(int fd)
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		return 0;
	int fd2 = dup(fd);
	FILE *f = fd2 >= 0 ? fdopen(fd2, "r") : NULL;
	if (!f) {
		if (fd2 >= 0)
			close(fd2);
		return 0;
	}
	char line[256];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		int M, N, K, ta, impl;
		float us[3];
		char end;
		if (line[0] == '#' ||
		    sscanf(line, "%d %d %d %d %d %f %f %f%c", &M, &N, &K, &ta, &impl, &us[0], &us[1],
			   &us[2], &end) != 9 || end != '\n' || (ta != 0 && ta != 1) ||
		    impl < NN_GEMM_LOOPS || impl > NN_GEMM_SGEMM)
			continue;
		uint64_t key = plan_key(M, N, K, ta != 0);
		if (key && !plan_find(key)) {
			plan_insert(key, (enum nn_gemm_impl)impl, us);
			n++;
		}
	}
	fclose(f);
	return n;
}

enum qcq_status nn_gemm_plan_attach(const char *dir, struct qcq_error *err)
{
	/* one file per CPU model and vector width: a home directory shared by several
	 * machines (or builds) keeps a plan for each. NN_PLAN_VERSION is in the name:
	 * raise it when a kernel's speed changes, so that plans timed on the old kernels
	 * are timed again rather than kept */
	char cpu[128], path[PATH_MAX];
	qcq_cpu_name(cpu, sizeof cpu);
	uint64_t h = qcq_hash(QCQ_HASH_INIT, cpu, strlen(cpu));
	const char *simd = qcq_simd_name(); /* "AVX-512 (16 floats)": its first word */
	int sw = (int)strcspn(simd, " ");
	int w = dir && *dir ? snprintf(path, sizeof path, "%s/gemm-plan-v%d-%.*s-%016llx.txt", dir,
				       NN_PLAN_VERSION, sw, simd, (unsigned long long)h)
			    : -1;
	if (w < 0 || (size_t)w >= sizeof path)
		return qcq_error_set(err, QCQ_EINVAL, "gemm plan: the directory name is empty or "
				     "too long");
	int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return qcq_error_set(err, QCQ_EIO, "gemm plan: cannot open %s: %s", path,
				     strerror(errno));
	pthread_mutex_lock(&plan_lock);
	if (flock(fd, LOCK_EX) == 0) {
		struct stat st;
		if (fstat(fd, &st) == 0 && st.st_size == 0) {
			char head[256];
			w = snprintf(head, sizeof head, "# qcqlab matrix-product plan v%d, %s, "
					 "vectors %s: M N K ta impl(0 loops, 1 kernel, 2 sgemm) "
					 "us_loops us_kernel us_sgemm\n", NN_PLAN_VERSION, cpu,
					 qcq_simd_name());
			if (w > 0 && write(fd, head, (size_t)w) != w) {
				/* a header that did not fit is a skipped line, nothing worse */
			}
		}
		plan_load_fd(fd);
	}
	snprintf(plan_path, sizeof plan_path, "%s", path);
	pthread_mutex_unlock(&plan_lock);
	close(fd); /* releases the lock */
	return QCQ_OK;
}

size_t nn_gemm_plan_file(char *buf, size_t n)
{
	pthread_mutex_lock(&plan_lock);
	int w = snprintf(buf, n, "%s", plan_path);
	pthread_mutex_unlock(&plan_lock);
	return w < 0 ? 0 : (size_t)w;
}

enum nn_gemm_impl nn_gemm_plan(int M, int N, int K, bool ta)
{
	uint64_t key = plan_key(M, N, K, ta);
	if (!key)
		return by_size((size_t)M * N * K);
	struct plan_slot *s = plan_find(key);
	if (s)
		return (enum nn_gemm_impl)atomic_load_explicit(&s->impl, memory_order_relaxed);
	pthread_mutex_lock(&plan_lock);
	s = plan_find(key); /* another thread may have planned it meanwhile */
	int fd = -1;
	if (!s && plan_path[0]) {
		/* another process may have timed it since: read the file under its lock, and
		 * keep the lock while timing so that nobody times it twice */
		fd = open(plan_path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd >= 0 && flock(fd, LOCK_EX) != 0)
			close(fd), fd = -1;
		if (fd >= 0) {
			plan_load_fd(fd);
			s = plan_find(key);
		}
	}
	if (s) {
		if (fd >= 0)
			close(fd);
		pthread_mutex_unlock(&plan_lock);
		return (enum nn_gemm_impl)atomic_load_explicit(&s->impl, memory_order_relaxed);
	}
	float us[3];
	enum nn_gemm_impl impl = plan_measure(M, N, K, ta, us);
	plan_insert(key, impl, us);
	if (fd >= 0) {
		/* one write(2) of one line to an O_APPEND file: whole or cut short, never
		 * interleaved; a cut line is skipped by the next reader */
		char line[160];
		int w = snprintf(line, sizeof line, "%d %d %d %d %d %.3f %.3f %.3f\n", M, N, K,
				 ta ? 1 : 0, (int)impl, (double)us[0], (double)us[1], (double)us[2]);
		if (w > 0 && write(fd, line, (size_t)w) != w) {
			/* not kept: this process still uses its choice; others time it again */
		}
		close(fd);
	}
	pthread_mutex_unlock(&plan_lock);
	return impl;
}

const char *nn_gemm_impl_name(enum nn_gemm_impl impl)
{
	switch (impl) {
	case NN_GEMM_LOOPS:
		return "loops";
	case NN_GEMM_KERNEL:
		return "kernel";
	case NN_GEMM_SGEMM:
		return "sgemm";
	}
	return "?";
}

float nn_gemm_plan_us(int M, int N, int K, bool ta)
{
	enum nn_gemm_impl impl = nn_gemm_plan(M, N, K, ta);
	uint64_t key = plan_key(M, N, K, ta);
	const struct plan_slot *s = key ? plan_find(key) : NULL;
	return s ? s->us[impl] : 0.0f;
}

size_t nn_gemm_plan_describe(char *buf, size_t n, int M, int N, int K, bool ta)
{
	enum nn_gemm_impl impl = nn_gemm_plan(M, N, K, ta);
	uint64_t key = plan_key(M, N, K, ta);
	const struct plan_slot *s = key ? plan_find(key) : NULL;
	char t[3][24] = { "-", "-", "-" };
	for (int i = 0; s && i < 3; i++)
		if (s->us[i] > 0)
			snprintf(t[i], sizeof t[i], "%.2f", (double)s->us[i]);
	int w = snprintf(buf, n, "%dx%dx%d%s %s (us: loops %s, kernel %s, sgemm %s)", M, N, K,
			 ta ? "t" : "", nn_gemm_impl_name(impl), t[0], t[1], t[2]);
	return w < 0 ? 0 : (size_t)w;
}
