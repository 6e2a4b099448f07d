/*
 * nn/conv.c: 2-D convolution (PyTorch Conv2d semantics, square kernel, zero
 * padding, stride), forward and backward, fast path and naive twin.
 *
 * Fast path, per sample: im2col turns the input into col (K, P) with K = C k k
 * rows and P = OH OW columns, so that
 *     out (OC,P)  = w (OC,K) col (K,P) + b
 *     dw  (OC,K) += dout (OC,P) row (P,K)      where row = col^T (im2row)
 *     dcol (K,P)  = w^T (K,OC) dout (OC,P)     then col2im adds dcol into dinp
 * Each product is nn_gemm (kernel, sgemm or loops as planned for the shape). Building col^T directly for dw
 * keeps all three products in the broadcast-times-contiguous-row form that
 * vectorises without a horizontal reduction.
 *
 * Not here: dilation, groups, non-square kernels (the paper's models have none).
 */
#include "nn-internal.h"

#include <assert.h>
#include <string.h>

#include "core/simd.h"

bool nn_conv2d_dims_init(struct nn_conv2d_dims *d, int B, int C, int H, int W, int OC, int k,
			 int stride, int pad)
{
	d->B = B, d->C = C, d->H = H, d->W = W;
	d->OC = OC, d->k = k, d->stride = stride, d->pad = pad;
	d->OH = d->OW = 0;
	if (B < 1 || C < 1 || H < 1 || W < 1 || OC < 1 || k < 1 || stride < 1 || pad < 0)
		return false;
	if (k > H + 2 * pad || k > W + 2 * pad)
		return false;
	d->OH = (H + 2 * pad - k) / stride + 1;
	d->OW = (W + 2 * pad - k) / stride + 1;
	return true;
}

size_t nn_conv2d_scratch_floats(const struct nn_conv2d_dims *d)
{
	size_t K = (size_t)d->C * d->k * d->k, P = (size_t)d->OH * d->OW;
	return 2 * K * P; /* col or row, and dcol */
}

/* col (K,P): col[(c k + ky) k + kx][oy OW + ox] = inp[c][oy s + ky - pad][ox s + kx - pad]. */
static void im2col(float *restrict col, const float *restrict inp, const struct nn_conv2d_dims *d)
{
	int k = d->k, s = d->stride, pad = d->pad, OH = d->OH, OW = d->OW;
	for (int c = 0; c < d->C; c++)
		for (int ky = 0; ky < k; ky++)
			for (int kx = 0; kx < k; kx++) {
				const float *in = inp + (size_t)c * d->H * d->W;
				for (int oy = 0; oy < OH; oy++) {
					int iy = oy * s + ky - pad;
					float *dst = col + (size_t)oy * OW;
					if (iy < 0 || iy >= d->H) {
						memset(dst, 0, sizeof(float) * OW);
						continue;
					}
					const float *src = in + (size_t)iy * d->W;
					if (s == 1 && pad == 0) {
						qcq_copy_floats(dst, src + kx, OW);
						continue;
					}
					for (int ox = 0; ox < OW; ox++) {
						int ix = ox * s + kx - pad;
						dst[ox] = (ix >= 0 && ix < d->W) ? src[ix] : 0.0f;
					}
				}
				col += (size_t)OH * OW;
			}
}

/* im2col for stride 1 and no padding (every conv of the paper's models): row
 * (c ky kx) is OH runs of OW floats of the input, no bounds to check. The general
 * loop above spent 6 cycles on each 4-float run of QCQ-CNN's conv2 (measured: its
 * im2col took as long as the matrix product); runs of 4 (that conv2) are one
 * move each here, runs of 8 to 16 two, others go through qcq_copy_floats. */
static void im2col_s1(float *restrict col, const float *restrict inp,
		      const struct nn_conv2d_dims *d)
{
	int k = d->k, OH = d->OH, OW = d->OW, W = d->W;
	size_t HW = (size_t)d->H * W;
	for (int c = 0; c < d->C; c++)
		for (int ky = 0; ky < k; ky++)
			for (int kx = 0; kx < k; kx++, col += (size_t)OH * OW) {
				const float *src = inp + c * HW + (size_t)ky * W + kx;
				if (OW == 4) {
					for (int oy = 0; oy < OH; oy++) {
						qcq_f4 v;
						memcpy(&v, src + (size_t)oy * W, 16);
						memcpy(col + 4 * oy, &v, 16);
					}
					continue;
				}
				if (OW >= 8 && OW <= 16) { /* two 8-float moves, overlapping */
					for (int oy = 0; oy < OH; oy++) {
						const float *sr = src + (size_t)oy * W;
						float *dr = col + (size_t)oy * OW;
						qcq_f8 a, b;
						memcpy(&a, sr, 32), memcpy(&b, sr + OW - 8, 32);
						memcpy(dr, &a, 32), memcpy(dr + OW - 8, &b, 32);
					}
					continue;
				}
				for (int oy = 0; oy < OH; oy++)
					qcq_copy_floats(col + (size_t)oy * OW, src + (size_t)oy * W, OW);
			}
}

/* row (P,K) = col^T, built directly. */
static void im2row(float *restrict row, const float *restrict inp, const struct nn_conv2d_dims *d)
{
	int k = d->k, s = d->stride, pad = d->pad, K = d->C * k * k;
	if (pad == 0) { /* every tap is inside: runs of k contiguous floats, no checks */
		for (int oy = 0; oy < d->OH; oy++)
			for (int ox = 0; ox < d->OW; ox++) {
				float *r = row + ((size_t)oy * d->OW + ox) * K;
				const float *base = inp + (size_t)oy * s * d->W + (size_t)ox * s;
				/* the paper's kernels: each run of 3 taps as one 4-float move whose
				 * 4th float the next run (or the next row) overwrites; gcc
				 * otherwise assembles the scalars into vectors lane by lane. Not
				 * in the last column, where the 4th float would lie past the
				 * input row (and past the rows, for the last one). */
				if (k == 3 && ox + 1 < d->OW) {
					for (int c = 0; c < d->C; c++)
						for (int ky = 0; ky < 3; ky++, r += 3) {
							const float *src = base + ((size_t)c * d->H + ky) * d->W;
							qcq_f4 v;
							memcpy(&v, src, 16);
							memcpy(r, &v, 16);
						}
					continue;
				}
				if (k == 3) {
					for (int c = 0; c < d->C; c++)
						for (int ky = 0; ky < 3; ky++, r += 3) {
							const float *src = base + ((size_t)c * d->H + ky) * d->W;
							r[0] = src[0], r[1] = src[1], r[2] = src[2];
						}
					continue;
				}
				for (int c = 0; c < d->C; c++)
					for (int ky = 0; ky < k; ky++) {
						const float *src = base + ((size_t)c * d->H + ky) * d->W;
						for (int kx = 0; kx < k; kx++)
							*r++ = src[kx];
					}
			}
		return;
	}
	for (int oy = 0; oy < d->OH; oy++)
		for (int ox = 0; ox < d->OW; ox++) {
			float *r = row + ((size_t)oy * d->OW + ox) * K;
			for (int c = 0; c < d->C; c++) {
				const float *in = inp + (size_t)c * d->H * d->W;
				for (int ky = 0; ky < k; ky++) {
					int iy = oy * s + ky - pad;
					for (int kx = 0; kx < k; kx++) {
						int ix = ox * s + kx - pad;
						bool inside = iy >= 0 && iy < d->H && ix >= 0 && ix < d->W;
						*r++ = inside ? in[(size_t)iy * d->W + ix] : 0.0f;
					}
				}
			}
		}
}

/* dinp += col2im(dcol): the adjoint of im2col. */
static void col2im_add(float *restrict dinp, const float *restrict dcol,
		       const struct nn_conv2d_dims *d)
{
	int k = d->k, s = d->stride, pad = d->pad, OH = d->OH, OW = d->OW;
	for (int c = 0; c < d->C; c++)
		for (int ky = 0; ky < k; ky++)
			for (int kx = 0; kx < k; kx++) {
				float *in = dinp + (size_t)c * d->H * d->W;
				for (int oy = 0; oy < OH; oy++) {
					int iy = oy * s + ky - pad;
					if (iy < 0 || iy >= d->H)
						continue;
					float *dst = in + (size_t)iy * d->W;
					const float *src = dcol + (size_t)oy * OW;
					if (s == 1 && pad == 0) {
						for (int ox = 0; ox < OW; ox++)
							dst[ox + kx] += src[ox];
						continue;
					}
					for (int ox = 0; ox < OW; ox++) {
						int ix = ox * s + kx - pad;
						if (ix >= 0 && ix < d->W)
							dst[ix] += src[ox];
					}
				}
				dcol += (size_t)OH * OW;
			}
}

/* Sum with 16 independent partial sums: a single accumulator is a chain of
 * dependent adds (4 cycles each; measured 15% of a CNN step), this vectorises. */
static float sum(const float *x, int n)
{
	float acc[16] = { 0 };
	int i = 0;
	for (; i + 16 <= n; i += 16)
		for (int j = 0; j < 16; j++)
			acc[j] += x[i + j];
	float s = 0.0f;
	for (; i < n; i++)
		s += x[i];
	for (int j = 0; j < 16; j++)
		s += acc[j];
	return s;
}

void nn_conv2d_forward(float *out, const float *inp, const float *w, const float *b,
		       const struct nn_conv2d_dims *d, float *scratch)
{
	assert(d->OH > 0 && d->OW > 0);
	int K = d->C * d->k * d->k, P = d->OH * d->OW;
	size_t in_sz = (size_t)d->C * d->H * d->W, out_sz = (size_t)d->OC * P;
	for (int n = 0; n < d->B; n++) {
		float *o = out + n * out_sz;
		for (int oc = 0; oc < d->OC; oc++) {
			float bias = b ? b[oc] : 0.0f;
			for (int p = 0; p < P; p++)
				o[(size_t)oc * P + p] = bias;
		}
		if (d->stride == 1 && d->pad == 0)
			im2col_s1(scratch, inp + n * in_sz, d);
		else
			im2col(scratch, inp + n * in_sz, d);
		nn_gemm(o, w, scratch, d->OC, P, K, false);
	}
}

void nn_conv2d_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
			const float *w, const struct nn_conv2d_dims *d, float *scratch)
{
	assert(d->OH > 0 && d->OW > 0);
	int K = d->C * d->k * d->k, P = d->OH * d->OW;
	size_t in_sz = (size_t)d->C * d->H * d->W, out_sz = (size_t)d->OC * P;
	float *row = scratch, *dcol = scratch + (size_t)K * P;
	for (int n = 0; n < d->B; n++) {
		const float *g = dout + n * out_sz;
		if (db)
			for (int oc = 0; oc < d->OC; oc++)
				db[oc] += sum(g + (size_t)oc * P, P);
		im2row(row, inp + n * in_sz, d);
		nn_gemm(dw, g, row, d->OC, K, P, false);
		if (dinp) {
			memset(dcol, 0, sizeof(float) * (size_t)K * P);
			nn_gemm(dcol, w, g, K, P, d->OC, true);
			col2im_add(dinp + n * in_sz, dcol, d);
		}
	}
}

/* ---------------------------------------------------------------- naive twins */

static float in_at(const float *in, const struct nn_conv2d_dims *d, int n, int c, int y, int x)
{
	if (y < 0 || y >= d->H || x < 0 || x >= d->W)
		return 0.0f;
	return in[(((size_t)n * d->C + c) * d->H + y) * d->W + x];
}

void nn_conv2d_forward_naive(float *out, const float *inp, const float *w, const float *b,
			     const struct nn_conv2d_dims *d)
{
	int k = d->k, s = d->stride, pad = d->pad;
	for (int n = 0; n < d->B; n++)
		for (int oc = 0; oc < d->OC; oc++)
			for (int oy = 0; oy < d->OH; oy++)
				for (int ox = 0; ox < d->OW; ox++) {
					double acc = b ? b[oc] : 0.0;
					for (int c = 0; c < d->C; c++)
						for (int ky = 0; ky < k; ky++)
							for (int kx = 0; kx < k; kx++)
								acc += (double)w[((oc * d->C + c) * k + ky) * k + kx] *
								       in_at(inp, d, n, c, oy * s + ky - pad,
									     ox * s + kx - pad);
					out[(((size_t)n * d->OC + oc) * d->OH + oy) * d->OW + ox] = (float)acc;
				}
}

void nn_conv2d_backward_naive(float *dinp, float *dw, float *db, const float *dout,
			      const float *inp, const float *w, const struct nn_conv2d_dims *d)
{
	int k = d->k, s = d->stride, pad = d->pad;
	for (int n = 0; n < d->B; n++)
		for (int oc = 0; oc < d->OC; oc++)
			for (int oy = 0; oy < d->OH; oy++)
				for (int ox = 0; ox < d->OW; ox++) {
					float g = dout[(((size_t)n * d->OC + oc) * d->OH + oy) * d->OW + ox];
					if (db)
						db[oc] += g;
					for (int c = 0; c < d->C; c++)
						for (int ky = 0; ky < k; ky++)
							for (int kx = 0; kx < k; kx++) {
								int iy = oy * s + ky - pad, ix = ox * s + kx - pad;
								size_t wi = ((size_t)(oc * d->C + c) * k + ky) * k + kx;
								dw[wi] += g * in_at(inp, d, n, c, iy, ix);
								if (dinp && iy >= 0 && iy < d->H && ix >= 0 && ix < d->W)
									dinp[(((size_t)n * d->C + c) * d->H + iy) * d->W + ix] +=
										g * w[wi];
							}
				}
}
