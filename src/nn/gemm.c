/*
 * nn/gemm.c: C += A B for the small matrices of conv (after im2col) and dense.
 *
 * The models of the paper are tiny: at batch 1 the biggest product is (16 x 36) x
 * (36 x 144), about 80k multiply-adds. Three implementations:
 *   - plain i-k-j loops (what the compiler auto-vectorises): the inner loop is short
 *     (N = 9..144) and C's row is loaded and stored for every k;
 *   - the register-blocked kernel below: a tile of C held in vector registers over
 *     the whole k loop, no packing except for the ragged right edge. It is written
 *     once on qcq_vf (core/simd.h) and so compiles to AVX-512, AVX2, SSE2/NEON or
 *     scalar code, whatever the build targets;
 *   - OpenBLAS sgemm, whose packing and cache blocking pay on big products, and
 *     whose kernels are chosen by OpenBLAS at run time (it may use wider vectors
 *     than this build's own kernel was compiled for).
 * Which one is fastest depends on the machine and the shape, so nn_gemm does not
 * decide by preprocessor flags: the planner (gemm-plan.c) times the candidates once
 * per shape and caches the winner for the process.
 *
 * This is not a general BLAS: row-major, no strides, C is always accumulated.
 */
#include "nn-internal.h"

#include "core/simd.h"

#include <cblas.h>

/* Row i of C gets sum_k a(i,k) B[k]; the j loop is contiguous in B and C. */
void nn_gemm_loops(float *restrict C, const float *restrict A, const float *restrict B, int M,
		   int N, int K, bool ta)
{
	for (int i = 0; i < M; i++) {
		float *restrict c = C + (size_t)i * N;
		for (int k = 0; k < K; k++) {
			float a = ta ? A[(size_t)k * M + i] : A[(size_t)i * K + k];
			const float *restrict b = B + (size_t)k * N;
			for (int j = 0; j < N; j++)
				c[j] += a * b[j];
		}
	}
}

void nn_gemm_blas(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, A,
		    ta ? M : K, B, N, 1.0f, C, N);
}

/*
 * A tile of R rows x V vectors of C (rows i0.., columns j0..) kept in registers
 * over k = 0..K-1: per k, V loads of B (row stride ldb), R broadcasts of A, R V
 * multiply-adds. The last vector holds `last` valid columns (QCQ_VF_N when full).
 * R and V are compile-time constants in each caller so the accumulators stay in
 * registers (8 x 1 or 4 x 2 fit the 16 registers of AVX2 with room for B and A).
 */
static inline __attribute__((always_inline)) void tile(float *C, int ldc, const float *A,
						       size_t sa, size_t ra, const float *B, int ldb,
						       int K, int R, int V, int last)
{
	qcq_vf acc[8][2];
	for (int r = 0; r < R; r++)
		for (int v = 0; v < V; v++) {
			const float *c = C + (size_t)r * ldc + v * QCQ_VF_N;
			acc[r][v] = (v == V - 1 && last < QCQ_VF_N) ? qcq_vf_load_part(c, last)
								     : qcq_vf_load(c);
		}
	for (int k = 0; k < K; k++) {
		qcq_vf b[2];
		for (int v = 0; v < V; v++)
			b[v] = qcq_vf_load(B + (size_t)k * ldb + v * QCQ_VF_N);
		const float *a = A + (size_t)k * sa;
		for (int r = 0; r < R; r++) {
			qcq_vf ar = qcq_vf_splat(a[(size_t)r * ra]);
			for (int v = 0; v < V; v++)
				acc[r][v] += ar * b[v];
		}
	}
	for (int r = 0; r < R; r++)
		for (int v = 0; v < V; v++) {
			float *c = C + (size_t)r * ldc + v * QCQ_VF_N;
			if (v == V - 1 && last < QCQ_VF_N)
				qcq_vf_store_part(c, acc[r][v], last);
			else
				qcq_vf_store(c, acc[r][v]);
		}
}

/* All rows of one column strip: blocks of 4 rows x 2 vectors, or 8 rows x 1 vector,
 * leftover rows one at a time. A's element (i, k) is at A[i ra + k sa]. */
static void strip(float *C, int ldc, const float *A, size_t sa, size_t ra, const float *B,
		  int ldb, int M, int K, int V, int last)
{
	int i = 0;
	if (V == 2) {
		for (; i + 4 <= M; i += 4)
			tile(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldb, K, 4, 2, QCQ_VF_N);
		for (; i < M; i++)
			tile(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldb, K, 1, 2, QCQ_VF_N);
		return;
	}
	if (last == QCQ_VF_N) {
		for (; i + 8 <= M; i += 8)
			tile(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldb, K, 8, 1, QCQ_VF_N);
		for (; i < M; i++)
			tile(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldb, K, 1, 1, QCQ_VF_N);
		return;
	}
	for (; i + 8 <= M; i += 8)
		tile(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldb, K, 8, 1, last);
	for (; i < M; i++)
		tile(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldb, K, 1, 1, last);
}

/* Rows of B packed per chunk of the ragged right edge (chunk x one vector on the stack). */
#define NN_GEMM_PACK_K 128

void nn_gemm_small(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	const size_t sa = ta ? (size_t)M : 1, ra = ta ? 1 : (size_t)K;
	int j0 = 0;
	for (; j0 + 2 * QCQ_VF_N <= N; j0 += 2 * QCQ_VF_N)
		strip(C + j0, N, A, sa, ra, B + j0, N, M, K, 2, QCQ_VF_N);
	for (; j0 + QCQ_VF_N <= N; j0 += QCQ_VF_N)
		strip(C + j0, N, A, sa, ra, B + j0, N, M, K, 1, QCQ_VF_N);
	int last = N - j0;
	if (last == 0)
		return;
	/* The ragged edge: its columns of B, zero-padded to whole vectors, a chunk of k at
	 * a time (C is accumulated, so the chunks simply follow each other). */
	float pack[NN_GEMM_PACK_K * QCQ_VF_N] __attribute__((aligned(64)));
	for (int k0 = 0; k0 < K; k0 += NN_GEMM_PACK_K) {
		int kc = K - k0 < NN_GEMM_PACK_K ? K - k0 : NN_GEMM_PACK_K;
		for (int k = 0; k < kc; k++)
			for (int j = 0; j < QCQ_VF_N; j++)
				pack[k * QCQ_VF_N + j] = j < last ? B[(size_t)(k0 + k) * N + j0 + j] : 0.0f;
		strip(C + j0, N, A + (size_t)k0 * sa, sa, ra, pack, QCQ_VF_N, M, kc, 1, last);
	}
}

void nn_gemm(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	switch (nn_gemm_plan(M, N, K, ta)) {
	case NN_GEMM_LOOPS:
		nn_gemm_loops(C, A, B, M, N, K, ta);
		break;
	case NN_GEMM_KERNEL:
		nn_gemm_small(C, A, B, M, N, K, ta);
		break;
	case NN_GEMM_SGEMM:
		nn_gemm_blas(C, A, B, M, N, K, ta);
		break;
	}
}
