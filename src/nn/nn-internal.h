/*
 * nn/nn-internal.h: what the files of the nn module share and nobody else sees:
 * the small matrix kernels (loops or sgemm) that conv and dense are built on.
 */
#ifndef QCQ_NN_INTERNAL_H
#define QCQ_NN_INTERNAL_H

#include "qcq/nn.h"

/*
 * C (M,N) += A (M,K) B (K,N), all row-major and dense; ta = true reads A as (K,M)
 * (C += A^T B). Chooses loops or sgemm by size (see gemm.c); nn_gemm_loops and
 * nn_gemm_blas force one path (bench_train times both on the models' shapes).
 */
void nn_gemm(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_loops(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_blas(float *C, const float *A, const float *B, int M, int N, int K, bool ta);

#endif
