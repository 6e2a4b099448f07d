/*
 * tests/nn/test_gemm_scalar.c: the register-blocked kernel of src/nn/gemm.c built
 * again at the plain scalar width (QCQ_SIMD_BYTES=4, the path of a CPU without
 * vectors; tests/nn/meson.build compiles gemm.c a second time with its functions
 * renamed *_scalar) against a double-precision reference, at the tolerance
 * test_layers uses for the native width.
 */
#include "qcq/nn.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

void nn_gemm_small_scalar(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_small_set_scalar(float *C, const float *A, const float *B, int M, int N, int K,
			      bool ta);

static void test_scalar_kernel(void)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, 5);
	int shapes[][3] = { { 16, 144, 36 }, { 32, 16, 144 }, { 3, 5, 7 }, { 1, 1, 1 }, { 64, 70, 33 },
			     { 13, 17, 5 }, { 9, 33, 2 }, { 144, 121, 32 } };
	for (int s = 0; s < 8; s++)
		for (int ta = 0; ta < 2; ta++) {
			int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
			float *A = malloc(sizeof(float) * M * K), *B = malloc(sizeof(float) * K * N);
			float *C = malloc(sizeof(float) * M * N);
			for (int i = 0; i < M * K; i++)
				A[i] = 2 * qcq_rng_uniformf(&r) - 1;
			for (int i = 0; i < K * N; i++)
				B[i] = 2 * qcq_rng_uniformf(&r) - 1;
			for (int i = 0; i < M * N; i++)
				C[i] = 2 * qcq_rng_uniformf(&r) - 1;
			double *ref = malloc(sizeof(double) * M * N);
			for (int i = 0; i < M; i++)
				for (int j = 0; j < N; j++) {
					double acc = C[i * N + j];
					for (int k = 0; k < K; k++)
						acc += (double)(ta ? A[k * M + i] : A[i * K + k]) * B[k * N + j];
					ref[i * N + j] = acc;
				}
			nn_gemm_small_scalar(C, A, B, M, N, K, ta);
			for (int i = 0; i < M * N; i++)
				CHECK_NEAR(C[i], ref[i], 1e-4);
			/* C = A B: the bits of accumulating onto zeros */
			float *S = malloc(sizeof(float) * M * N), *Z = calloc((size_t)M * N, 4);
			for (int i = 0; i < M * N; i++)
				S[i] = 1.0f;
			nn_gemm_small_set_scalar(S, A, B, M, N, K, ta);
			nn_gemm_small_scalar(Z, A, B, M, N, K, ta);
			CHECK(memcmp(S, Z, sizeof(float) * M * N) == 0);
			free(A), free(B), free(C), free(ref), free(S), free(Z);
		}
}

int main(void)
{
	RUN(test_scalar_kernel);
	return check_summary();
}
