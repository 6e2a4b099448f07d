/*
 * nn/optim.c: Adam and SGD with momentum as single flat loops over a contiguous
 * parameter block (the model keeps parameters, gradients and moments in one block
 * each, llm.c style). Formulas follow torch.optim exactly (see nn.h), so a run
 * started from the same weights tracks PyTorch's to float rounding.
 */
#include "nn-internal.h"

#include <math.h>
#ifdef __AVX512F__
#include <immintrin.h>
#endif

/*
 * torch.optim.Adam (not amsgrad, not maximize):
 *   g += wd p;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 *   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * The bias corrections are per step scalars, computed once in double.
 */
/*
 * With math-errno (the project default) gcc keeps a scalar libm call for sqrtf
 * and does not vectorise the loop (measured: 5 ns per parameter, the biggest cost
 * of a QCQ-CNN step after the convolutions). The AVX-512 body does the same
 * arithmetic 16 parameters at a time; the scalar loop finishes the tail.
 */
void nn_adam_step(float *restrict p, const float *restrict g, float *restrict m,
		  float *restrict v, size_t n, const struct nn_adam *o, long t)
{
	float b1 = o->beta1, b2 = o->beta2, eps = o->eps, wd = o->weight_decay;
	float step = (float)(o->lr / (1.0 - pow(o->beta1, (double)t)));
	float inv_bc2 = (float)(1.0 / sqrt(1.0 - pow(o->beta2, (double)t)));
	size_t i = 0;
#ifdef __AVX512F__
	__m512 vb1 = _mm512_set1_ps(b1), vb2 = _mm512_set1_ps(b2), c1 = _mm512_set1_ps(1.0f - b1),
	       c2 = _mm512_set1_ps(1.0f - b2), veps = _mm512_set1_ps(eps), vwd = _mm512_set1_ps(wd),
	       vstep = _mm512_set1_ps(step), vbc = _mm512_set1_ps(inv_bc2);
	for (; i + 16 <= n; i += 16) {
		__m512 pi = _mm512_loadu_ps(p + i);
		__m512 gi = _mm512_fmadd_ps(vwd, pi, _mm512_loadu_ps(g + i));
		__m512 mi = _mm512_fmadd_ps(vb1, _mm512_loadu_ps(m + i), _mm512_mul_ps(c1, gi));
		__m512 vi = _mm512_fmadd_ps(vb2, _mm512_loadu_ps(v + i),
					    _mm512_mul_ps(c2, _mm512_mul_ps(gi, gi)));
		_mm512_storeu_ps(m + i, mi);
		_mm512_storeu_ps(v + i, vi);
		__m512 den = _mm512_fmadd_ps(_mm512_sqrt_ps(vi), vbc, veps);
		_mm512_storeu_ps(p + i, _mm512_fnmadd_ps(vstep, _mm512_div_ps(mi, den), pi));
	}
#endif
	for (; i < n; i++) {
		float gi = g[i] + wd * p[i];
		float mi = b1 * m[i] + (1.0f - b1) * gi;
		float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
		m[i] = mi, v[i] = vi;
		p[i] -= step * (mi / (sqrtf(vi) * inv_bc2 + eps));
	}
}

/* The same in double, element by element, as the reference for tests. */
void nn_adam_step_naive(float *p, const float *g, float *m, float *v, size_t n,
			const struct nn_adam *o, long t)
{
	double bc1 = 1.0 - pow(o->beta1, (double)t), bc2 = 1.0 - pow(o->beta2, (double)t);
	for (size_t i = 0; i < n; i++) {
		double gi = (double)g[i] + (double)o->weight_decay * p[i];
		double mi = o->beta1 * (double)m[i] + (1.0 - o->beta1) * gi;
		double vi = o->beta2 * (double)v[i] + (1.0 - o->beta2) * gi * gi;
		m[i] = (float)mi, v[i] = (float)vi;
		double denom = sqrt(vi) / sqrt(bc2) + o->eps;
		p[i] = (float)(p[i] - o->lr / bc1 * mi / denom);
	}
}

void nn_sgd_step(float *restrict p, const float *restrict g, float *restrict buf, size_t n,
		 float lr, float momentum, long t)
{
	for (size_t i = 0; i < n; i++) {
		float b = (t <= 1 || momentum == 0.0f) ? g[i] : momentum * buf[i] + g[i];
		buf[i] = b;
		p[i] -= lr * b;
	}
}
