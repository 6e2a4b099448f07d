/*
 * nn/gemm.c: C += A B for the small matrices of conv (after im2col) and dense.
 *
 * The models of the paper are tiny: at batch 1 the biggest product is (16 x 36) x
 * (36 x 144). At that size the fixed cost of an sgemm call (argument checks, buffer
 * packing) is comparable to the arithmetic, so plain loops in i-k-j order (a
 * broadcast of A[i][k] times a contiguous row of B added to a contiguous row of C,
 * which gcc vectorises to AVX-512 FMAs) win; sgemm wins once the product is large.
 * bench_train measures both paths; the threshold below comes from that.
 *
 * This is not a general BLAS: row-major, no strides, C is always accumulated.
 */
#include "nn-internal.h"

#include <cblas.h>

/*
 * Work (M N K multiply-adds) from which sgemm beats the loops on this machine
 * (bench_train --gemm): with one OpenBLAS thread the crossover was measured near
 * 2^20 multiply-adds; the paper's models stay below it at batch <= 16.
 */
#define NN_GEMM_BLAS_MIN_WORK ((size_t)1 << 20)

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

void nn_gemm(float *C, const float *A, const float *B, int M, int N, int K, bool ta)
{
	if ((size_t)M * N * K >= NN_GEMM_BLAS_MIN_WORK)
		nn_gemm_blas(C, A, B, M, N, K, ta);
	else
		nn_gemm_loops(C, A, B, M, N, K, ta);
}
