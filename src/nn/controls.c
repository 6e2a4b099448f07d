/*
 * nn/controls.c: the two classical pieces of the ablation controls (nn.h, the study
 * `experiment ablate`):
 *
 *  - the classical random filter of rf-qccnn / rf-qcq-cnn: a fixed, untrained 2x2,
 *    stride-2 convolution of a 1-channel image to 4 channels followed by cos(pi .), so
 *    each output lies in [-1,1] like the quanvolution's <Z_j> (whose channel j is
 *    cos(pi x_j) when the random layers are empty). Weights U(-1,1), biases U(-pi,pi),
 *    drawn once from NN_RFILTER_SEED: like the quantum filter, one filter for every
 *    seed. It is always the first layer and has no parameters, so it has no backward.
 *
 *  - the classical head of qcq-cnn-chead, in place of the 2-qubit classifier: 2 inputs,
 *    one output in (-1,1), n = 2 (depth + 1) trainable parameters laid out as nn.h says.
 */
#include "nn-internal.h"

#include <assert.h>
#include <math.h>

void nn_rfilter_init(float fw[16], float fb[4])
{
	struct qcq_rng r;
	qcq_rng_seed_domain(&r, NN_RFILTER_SEED, "nn.rfilter");
	for (int i = 0; i < 16; i++)
		fw[i] = 2.0f * qcq_rng_uniformf(&r) - 1.0f;
	for (int j = 0; j < 4; j++)
		fb[j] = (float)M_PI * (2.0f * qcq_rng_uniformf(&r) - 1.0f);
}

/* inp (B,1,H,W) -> out (B,4,H/2,W/2); fw[j*4 + dy*2 + dx] */
void nn_rfilter_forward(float *out, const float *inp, const float *fw, const float *fb, int B,
			int H, int W)
{
	int OH = H / 2, OW = W / 2;
	for (int b = 0; b < B; b++) {
		const float *im = inp + (size_t)b * H * W;
		float *o = out + (size_t)b * 4 * OH * OW;
		for (int y = 0; y < OH; y++)
			for (int x = 0; x < OW; x++) {
				const float *p = im + (size_t)(2 * y) * W + 2 * x;
				float px[4] = {p[0], p[1], p[W], p[W + 1]};
				for (int j = 0; j < 4; j++) {
					float s = fb[j];
					for (int k = 0; k < 4; k++)
						s += (float)M_PI * fw[4 * j + k] * px[k];
					o[((size_t)j * OH + y) * OW + x] = cosf(s);
				}
			}
	}
}

/* ---------------------------------------------------------------- the classical head */

struct head_shape {
	size_t m;   /* hidden units */
	bool skip;  /* direct term c . x */
};

static struct head_shape head_shape(size_t n)
{
	assert(n >= 4 && n % 2 == 0);
	return (struct head_shape){n / 4, n % 4 == 2};
}

void nn_head_init(float *w, size_t n, struct qcq_rng *rng)
{
	struct head_shape s = head_shape(n);
	/* PyTorch's default bounds: 1/sqrt(fan_in) for the hidden units (fan-in 2) and for
	 * the output (fan-in m, plus 2 with the direct term) */
	nn_init_uniform(w, 3 * s.m, 1.0f / sqrtf(2.0f), rng);
	nn_init_uniform(w + 3 * s.m, n - 3 * s.m, 1.0f / sqrtf((float)(s.m + (s.skip ? 2 : 0))),
			rng);
}

/* z of one sample; h[m] receives the hidden units */
static float head_one(const float *x, const float *w, struct head_shape s, float *h)
{
	const float *W = w, *bias = w + 2 * s.m, *v = w + 3 * s.m, *c = w + 4 * s.m;
	float acc = 0;
	for (size_t i = 0; i < s.m; i++) {
		h[i] = tanhf(W[2 * i] * x[0] + W[2 * i + 1] * x[1] + bias[i]);
		acc += v[i] * h[i];
	}
	if (s.skip)
		acc += c[0] * x[0] + c[1] * x[1];
	return tanhf(acc);
}

#define HEAD_MAX_UNITS 8 /* depth <= 8: n <= 18, m <= 4 */

void nn_head_forward(float *out, const float *inp, const float *w, size_t n, int B)
{
	struct head_shape s = head_shape(n);
	float h[HEAD_MAX_UNITS];
	assert(s.m <= HEAD_MAX_UNITS);
	for (int b = 0; b < B; b++)
		out[b] = head_one(inp + 2 * b, w, s, h);
}

/* dw (n) += ...; dinp (B,2) += ... when not NULL */
void nn_head_backward(float *dinp, float *dw, const float *dout, const float *inp,
		      const float *w, size_t n, int B)
{
	struct head_shape s = head_shape(n);
	const float *W = w, *v = w + 3 * s.m, *c = w + 4 * s.m;
	float *dW = dw, *db = dw + 2 * s.m, *dv = dw + 3 * s.m, *dc = dw + 4 * s.m;
	float h[HEAD_MAX_UNITS];
	for (int b = 0; b < B; b++) {
		const float *x = inp + 2 * b;
		float z = head_one(x, w, s, h);
		float ds = dout[b] * (1 - z * z), dx0 = 0, dx1 = 0;
		for (size_t i = 0; i < s.m; i++) {
			dv[i] += ds * h[i];
			float dp = ds * v[i] * (1 - h[i] * h[i]);
			dW[2 * i] += dp * x[0];
			dW[2 * i + 1] += dp * x[1];
			db[i] += dp;
			dx0 += dp * W[2 * i], dx1 += dp * W[2 * i + 1];
		}
		if (s.skip) {
			dc[0] += ds * x[0], dc[1] += ds * x[1];
			dx0 += ds * c[0], dx1 += ds * c[1];
		}
		if (dinp)
			dinp[2 * b] += dx0, dinp[2 * b + 1] += dx1;
	}
}
