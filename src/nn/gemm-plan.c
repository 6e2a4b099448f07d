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
 * depend on the plan; the kernel is kept unless another path is clearly faster
 * (NN_PLAN_MARGIN), so that choices do not flip with timing noise from run to run.
 */
#include "nn-internal.h"

#include "core/simd.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define NN_PLAN_SLOTS 256
/* Work (M N K) from which sgemm is taken without timing: its packing always pays. */
#define NN_PLAN_SGEMM_WORK ((size_t)1 << 24)
/* Loops are timed only on small products (they never win big ones). */
#define NN_PLAN_LOOPS_WORK ((size_t)1 << 16)
/* Another path replaces the kernel only when at least this much faster. */
#define NN_PLAN_MARGIN 0.92

struct plan_slot {
	_Atomic uint64_t key; /* 0 = empty */
	_Atomic int impl;
	float us[3];          /* measured microseconds per call, 0 = not timed */
};

static struct plan_slot plans[NN_PLAN_SLOTS];
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

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

typedef void (*gemm_fn)(float *, const float *, const float *, int, int, int, bool);

/* Microseconds per call: the best of 3 rounds of about 20 us each (at least 2 calls). */
static float time_one(gemm_fn f, float *C, const float *A, const float *B, int M, int N, int K,
		      bool ta)
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
	if (s) {
		pthread_mutex_unlock(&plan_lock);
		return (enum nn_gemm_impl)atomic_load_explicit(&s->impl, memory_order_relaxed);
	}
	float us[3];
	enum nn_gemm_impl impl = plan_measure(M, N, K, ta, us);
	size_t h = plan_home(key);
	for (size_t i = 0; i < NN_PLAN_SLOTS; i++) {
		struct plan_slot *e = &plans[(h + i) % NN_PLAN_SLOTS];
		if (atomic_load_explicit(&e->key, memory_order_relaxed) != 0)
			continue;
		e->us[0] = us[0], e->us[1] = us[1], e->us[2] = us[2];
		atomic_store_explicit(&e->impl, (int)impl, memory_order_relaxed);
		atomic_store_explicit(&e->key, key, memory_order_release);
		break;
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
