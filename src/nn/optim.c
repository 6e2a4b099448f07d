/*
 * nn/optim.c: Adam and SGD with momentum as single flat loops over a contiguous
 * parameter block (the model keeps parameters, gradients and moments in one block
 * each, llm.c style). Formulas follow torch.optim exactly (see nn.h), so a run
 * started from the same weights tracks PyTorch's to float rounding.
 */
#include "nn-internal.h"

#include <math.h>

/*
 * torch.optim.Adam (not amsgrad, not maximize):
 *   g += wd p;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 *   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * The bias corrections are per step scalars, computed once in double.
 */
/*
 * Written as a plain loop that the compiler vectorises at the build's width (the
 * kernel flags: no errno for sqrtf). What made Adam slow was not the arithmetic but
 * subnormal floats: a parameter whose gradient is (nearly) always zero decays its
 * moments by b1 and b2 every step into the subnormal range, where every multiply
 * takes a microcode assist of ~100 cycles (measured: 25 us per step for 5,498
 * parameters instead of 2.6). So moments below 2^-100 are stored as zero and
 * gradients below 2^-56 in magnitude count as zero, which keeps every product of
 * the next step normal; the update they drop is below 1e-13 of a parameter.
 */
#define NN_ADAM_TINY_MOMENT 0x1p-100f
#define NN_ADAM_TINY_GRAD 0x1p-56f

void nn_adam_step(float *restrict p, const float *restrict g, float *restrict m,
		  float *restrict v, size_t n, const struct nn_adam *o, long t)
{
	float b1 = o->beta1, b2 = o->beta2, eps = o->eps, wd = o->weight_decay;
	float step = (float)(o->lr / (1.0 - pow(o->beta1, (double)t)));
	float inv_bc2 = (float)(1.0 / sqrt(1.0 - pow(o->beta2, (double)t)));
	for (size_t i = 0; i < n; i++) {
		float gi = g[i] + wd * p[i];
		gi = fabsf(gi) < NN_ADAM_TINY_GRAD ? 0.0f : gi;
		float mi = b1 * m[i] + (1.0f - b1) * gi;
		float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
		mi = fabsf(mi) < NN_ADAM_TINY_MOMENT ? 0.0f : mi;
		vi = vi < NN_ADAM_TINY_MOMENT ? 0.0f : vi;
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
