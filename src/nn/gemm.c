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
#include <string.h>

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

void nn_gemm_loops_set(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	memset(C, 0, sizeof(float) * (size_t)M * N);
	nn_gemm_loops(C, A, B, M, N, K, ta);
}

static void blas(float *C, const float *A, const float *B, int M, int N, int K, bool ta,
		 float beta)
{
	cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, A,
		    ta ? M : K, B, N, beta, C, N);
}

void nn_gemm_blas(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	blas(C, A, B, M, N, K, ta, 1.0f);
}

void nn_gemm_blas_set(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	blas(C, A, B, M, N, K, ta, 0.0f);
}

/*
 * A tile of R rows x V vectors of C (rows i0.., columns j0..) kept in registers
 * over k = 0..K-1: per k, V loads of B, R broadcasts of A, R V multiply-adds. The
 * tile is defined once per vector type VT of VN floats: the build's own width
 * (qcq_vf) for the body and the narrower widths down to one float for the ragged
 * right edge, so no column is ever masked, packed or done by plain loops. R and V
 * are compile-time constants at each call so the accumulators stay in registers
 * (8 x 1 and 6 x 2 fit AVX2's 16 registers with room for B and A). 6 x 2 rather
 * than 4 x 2: 8 loads per 12 multiply-adds instead of 6 per 8, measured 8-10%
 * faster on every product of the paper's models (AVX2 build, CPU time). The tile
 * shape does not change the order of any element's additions. zero: the tile starts
 * from +0 instead of C (C = A B), the bits of clearing C first.
 */
#define NN_DEFINE_TILE(NAME, VT, VN)                                                              \
	static inline __attribute__((always_inline)) void NAME(float *C, int ldc, const float *A, \
							       size_t sa, size_t ra, const float *B, \
							       int ldb, int K, int R, int V,         \
							       bool zero)                            \
	{                                                                                         \
		VT acc[8][2];                                                                     \
		for (int r = 0; r < R; r++)                                                       \
			for (int v = 0; v < V; v++)                                               \
				if (zero)                                                         \
					acc[r][v] = (VT){ 0 };                                    \
				else                                                              \
					memcpy(&acc[r][v], C + (size_t)r * ldc + v * VN, sizeof(VT)); \
		for (int k = 0; k < K; k++) {                                                     \
			VT b[2];                                                                  \
			for (int v = 0; v < V; v++)                                               \
				memcpy(&b[v], B + (size_t)k * ldb + v * VN, sizeof(VT));          \
			const float *a = A + (size_t)k * sa;                                      \
			for (int r = 0; r < R; r++) {                                             \
				VT ar = -(VT){ 0 } + a[(size_t)r * ra]; /* see qcq_vf_splat */    \
				for (int v = 0; v < V; v++)                                       \
					acc[r][v] += ar * b[v];                                   \
			}                                                                         \
		}                                                                                 \
		for (int r = 0; r < R; r++)                                                       \
			for (int v = 0; v < V; v++)                                               \
				memcpy(C + (size_t)r * ldc + v * VN, &acc[r][v], sizeof(VT));     \
	}

/* All M rows of one strip of V vectors: blocks of 8 x 1, or of 6 x 2 then one of 4
 * and one of 2 rows, leftover rows one at a time. A's element (i, k) is at A[i ra + k sa]. */
#define NN_DEFINE_STRIP(NAME, TILE)                                                               \
	static void NAME(float *C, int ldc, const float *A, size_t sa, size_t ra, const float *B, \
			 int M, int K, int V, bool zero)                                          \
	{                                                                                         \
		int i = 0;                                                                        \
		if (V == 2) {                                                                     \
			for (; i + 6 <= M; i += 6)                                                \
				TILE(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldc, K, 6, 2, zero); \
			if (i + 4 <= M)                                                           \
				TILE(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldc, K, 4, 2, zero), \
					i += 4;                                                   \
			if (i + 2 <= M)                                                           \
				TILE(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldc, K, 2, 2, zero), \
					i += 2;                                                   \
			for (; i < M; i++)                                                        \
				TILE(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldc, K, 1, 2, zero); \
			return;                                                                   \
		}                                                                                 \
		for (; i + 8 <= M; i += 8)                                                        \
			TILE(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldc, K, 8, 1, zero);      \
		for (; i < M; i++)                                                                \
			TILE(C + (size_t)i * ldc, ldc, A + i * ra, sa, ra, B, ldc, K, 1, 1, zero);      \
	}

typedef float nn_v8 __attribute__((vector_size(32)));
typedef float nn_v4 __attribute__((vector_size(16)));
typedef float nn_v2 __attribute__((vector_size(8)));
typedef float nn_v1 __attribute__((vector_size(4)));

NN_DEFINE_TILE(tile_w, qcq_vf, QCQ_VF_N)
NN_DEFINE_STRIP(strip_w, tile_w)
#if QCQ_VF_N > 8
NN_DEFINE_TILE(tile_8, nn_v8, 8)
NN_DEFINE_STRIP(strip_8, tile_8)
#endif
#if QCQ_VF_N > 4
NN_DEFINE_TILE(tile_4, nn_v4, 4)
NN_DEFINE_STRIP(strip_4, tile_4)
#endif
#if QCQ_VF_N > 2
NN_DEFINE_TILE(tile_2, nn_v2, 2)
NN_DEFINE_STRIP(strip_2, tile_2)
#endif
#if QCQ_VF_N > 1
NN_DEFINE_TILE(tile_1, nn_v1, 1)
NN_DEFINE_STRIP(strip_1, tile_1)
#endif

static void gemm_small(float *C, const float *A, const float *B, int M, int N, int K, bool ta,
		       bool zero)
{
	const size_t sa = ta ? (size_t)M : 1, ra = ta ? 1 : (size_t)K;
	int j0 = 0;
	for (; j0 + 2 * QCQ_VF_N <= N; j0 += 2 * QCQ_VF_N)
		strip_w(C + j0, N, A, sa, ra, B + j0, M, K, 2, zero);
	for (; j0 + QCQ_VF_N <= N; j0 += QCQ_VF_N)
		strip_w(C + j0, N, A, sa, ra, B + j0, M, K, 1, zero);
	/* the ragged edge (< QCQ_VF_N columns) in halving widths */
#if QCQ_VF_N > 8
	if (j0 + 8 <= N)
		strip_8(C + j0, N, A, sa, ra, B + j0, M, K, 1, zero), j0 += 8;
#endif
#if QCQ_VF_N > 4
	if (j0 + 4 <= N)
		strip_4(C + j0, N, A, sa, ra, B + j0, M, K, 1, zero), j0 += 4;
#endif
#if QCQ_VF_N > 2
	if (j0 + 2 <= N)
		strip_2(C + j0, N, A, sa, ra, B + j0, M, K, 1, zero), j0 += 2;
#endif
#if QCQ_VF_N > 1
	if (j0 + 1 <= N)
		strip_1(C + j0, N, A, sa, ra, B + j0, M, K, 1, zero), j0 += 1;
#endif
}

void nn_gemm_small(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	gemm_small(C, A, B, M, N, K, ta, false);
}

void nn_gemm_small_set(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	gemm_small(C, A, B, M, N, K, ta, true);
}

/* Each implementation's accumulating and setting product, by enum nn_gemm_impl. */
static const struct nn_gemm_ops by_impl[] = {
	[NN_GEMM_LOOPS] = { nn_gemm_loops, nn_gemm_loops_set },
	[NN_GEMM_KERNEL] = { nn_gemm_small, nn_gemm_small_set },
	[NN_GEMM_SGEMM] = { nn_gemm_blas, nn_gemm_blas_set },
};

const struct nn_gemm_ops nn_gemm_planned = { nn_gemm, nn_gemm_set };
const struct nn_gemm_ops nn_gemm_kernel = { nn_gemm_small, nn_gemm_small_set };
const struct nn_gemm_ops nn_gemm_plain = { nn_gemm_loops, nn_gemm_loops_set };

void nn_gemm(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	by_impl[nn_gemm_plan(M, N, K, ta)].add(C, A, B, M, N, K, ta);
}

void nn_gemm_set(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	by_impl[nn_gemm_plan(M, N, K, ta)].set(C, A, B, M, N, K, ta);
}
