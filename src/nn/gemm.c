/*
 * nn/gemm.c: C += A B for the small matrices of conv (after im2col) and dense.
 *
 * The models of the paper are tiny: at batch 1 the biggest product is (16 x 36) x
 * (36 x 144), about 80k multiply-adds. Measured with bench_train (1 thread, this
 * machine, loads vary because the machine is shared):
 *   - plain i-k-j loops (what gcc auto-vectorises) run at 2-10 GFLOP/s: the inner
 *     loop is short (N = 9..144) and C's row is loaded and stored for every k;
 *   - OpenBLAS sgemm runs at 25-40 GFLOP/s at these sizes (its Haswell kernel: this
 *     OpenBLAS does not use AVX-512 on this CPU) with ~2 us of fixed cost per call;
 *   - the AVX-512 register-blocked kernel below (C tile held in registers across
 *     the whole k loop, masked loads for ragged edges, no packing) beats sgemm on
 *     every product of the paper's models and loses only on big products, where
 *     sgemm's packing and cache blocking pay: from NN_GEMM_BLAS_MIN_WORK on.
 * Without AVX-512 (a build without -march=native) the loops are used up to the
 * threshold. nn_gemm_loops is also the naive twin that tests compare against.
 *
 * This is not a general BLAS: row-major, no strides, C is always accumulated.
 */
#include "nn-internal.h"

#include <cblas.h>

#if defined(__AVX512F__)
#include <immintrin.h>
#define NN_HAVE_AVX512 1
#endif

/* Work (M N K multiply-adds) from which sgemm wins (bench_train's product table). */
#define NN_GEMM_BLAS_MIN_WORK ((size_t)1 << 21)

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

#ifdef NN_HAVE_AVX512
/*
 * A tile of R rows x V vectors of 16 columns of C (columns j0.., masks m[v] for the
 * ragged right edge) kept in registers over all k: per k, V loads of B, R
 * broadcasts of A, R V FMAs. R and V are compile-time constants in each caller so
 * the accumulators stay in zmm registers.
 */
static inline __attribute__((always_inline)) void tile(float *C, const float *A, const float *B,
						       int M, int N, int K, bool ta, int i0, int j0,
						       int R, int V, const __mmask16 *m)
{
	__m512 acc[8][2];
	for (int r = 0; r < R; r++)
		for (int v = 0; v < V; v++)
			acc[r][v] = _mm512_maskz_loadu_ps(m[v], C + (size_t)(i0 + r) * N + j0 + 16 * v);
	const size_t sa = ta ? (size_t)M : 1, ra = ta ? 1 : (size_t)K;
	for (int k = 0; k < K; k++) {
		__m512 b[2];
		for (int v = 0; v < V; v++)
			b[v] = _mm512_maskz_loadu_ps(m[v], B + (size_t)k * N + j0 + 16 * v);
		const float *a = A + (size_t)k * sa + (size_t)i0 * ra;
		for (int r = 0; r < R; r++) {
			__m512 ar = _mm512_set1_ps(a[(size_t)r * ra]);
			for (int v = 0; v < V; v++)
				acc[r][v] = _mm512_fmadd_ps(ar, b[v], acc[r][v]);
		}
	}
	for (int r = 0; r < R; r++)
		for (int v = 0; v < V; v++)
			_mm512_mask_storeu_ps(C + (size_t)(i0 + r) * N + j0 + 16 * v, m[v],
					      acc[r][v]);
}

static __mmask16 mask_for(int cols)
{
	return cols >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (cols > 0 ? cols : 0)) - 1);
}

/* Column blocks of 32 (4 rows x 2 vectors) or, for the last <= 16 columns, of 16
 * (8 rows x 1 vector); leftover rows one at a time. */
static void gemm_avx512(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	for (int j0 = 0; j0 < N;) {
		int left = N - j0;
		if (left > 16) {
			__mmask16 m[2] = { 0xffff, mask_for(left - 16) };
			int i = 0;
			for (; i + 4 <= M; i += 4)
				tile(C, A, B, M, N, K, ta, i, j0, 4, 2, m);
			for (; i < M; i++)
				tile(C, A, B, M, N, K, ta, i, j0, 1, 2, m);
			j0 += 32;
		} else {
			__mmask16 m[2] = { mask_for(left), 0 };
			int i = 0;
			for (; i + 8 <= M; i += 8)
				tile(C, A, B, M, N, K, ta, i, j0, 8, 1, m);
			for (; i < M; i++)
				tile(C, A, B, M, N, K, ta, i, j0, 1, 1, m);
			j0 += 16;
		}
	}
}
#endif

/* The kernel nn_gemm uses below the sgemm threshold. */
void nn_gemm_small(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
#ifdef NN_HAVE_AVX512
	gemm_avx512(C, A, B, M, N, K, ta);
#else
	nn_gemm_loops(C, A, B, M, N, K, ta);
#endif
}

void nn_gemm(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	if ((size_t)M * N * K >= NN_GEMM_BLAS_MIN_WORK)
		nn_gemm_blas(C, A, B, M, N, K, ta);
	else
		nn_gemm_small(C, A, B, M, N, K, ta);
}
