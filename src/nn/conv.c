/*
 * nn/conv.c: 2-D convolution (PyTorch Conv2d semantics, square kernel, zero
 * padding, stride), forward and backward, fast path and naive twin.
 *
 * Fast path: im2col turns the input of nb samples into col (K, nb P) with K = C k k
 * rows and the samples' P = OH OW columns side by side, so that
 *     out (OC, nb P)  = w (OC,K) col (K, nb P) + b       then each sample's block
 *                                                       is copied to its place
 *                                                       (or per sample, where the
 *                                                       plan's times say so)
 *     dw^T (K,OC)    += col (K, nb P) G (nb P, OC)       G = the samples' dout^T
 *                                                       (dw += dout row for nb = 1)
 *     dcol (K,P)      = w^T (K,OC) dout (OC,P)           per sample (set, not added
 *                                                       to a cleared dcol), then col2im adds
 *                                                       dcol into dinp
 * Each product is nn_gemm (kernel, sgemm or loops as planned for the shape). One
 * product across the samples rather than one per sample: the columns of all nb
 * samples make long rows (few ragged edges, one call), and it computes exactly what
 * the per-sample products did, addition for addition: an output's column is the
 * same k sum; a weight gradient adds sample after sample, column after column, as
 * before (the K = nb P sum in sample order). The weight gradient as dw^T = col G
 * takes the forward's col (rebuilt, cheaper than the im2row the form dw = dout row
 * needs) and keeps every product in the broadcast-times-contiguous-row form with
 * long rows (OC = 16 or 32 columns, where K = 9 left a ragged column of 676 or more
 * multiply-adds per row); G and the transposes of dw are small.
 * The batch goes in chunks of nb samples (nn_conv2d_chunk) so scratch stays small
 * however big the batch.
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

/* The vector col2im's largest kernel (k x k), and the floats its shifted vector
 * loads read (masked off) before and after dcol. */
#define NN_COL2IM_KMAX 9
#define NN_COL2IM_SLACK (NN_COL2IM_KMAX - 1)

/* Floats of col a chunk may take: it is rebuilt per chunk, and a bigger chunk
 * gains nothing once its rows are long. */
#define NN_CONV_CHUNK_FLOATS ((size_t)1 << 17)

/* The most samples a chunk of these dims may hold, whatever the batch. */
static size_t chunk_cap(const struct nn_conv2d_dims *d)
{
	size_t KP = (size_t)d->C * d->k * d->k * d->OH * d->OW;
	size_t cap = NN_CONV_CHUNK_FLOATS / (KP ? KP : 1);
	return cap < 1 ? 1 : cap;
}

int nn_conv2d_chunk(const struct nn_conv2d_dims *d)
{
	size_t cap = chunk_cap(d);
	int nchunks, B = d->B > 1 ? d->B : 1;
	nchunks = (int)(((size_t)B + cap - 1) / cap);
	return (B + nchunks - 1) / nchunks; /* chunks as even as they come */
}

/* Floats of the backward's G (nb P, OC), or of row (P, K) for chunks of one. */
static size_t g_floats(const struct nn_conv2d_dims *d, int chunk)
{
	size_t P = (size_t)d->OH * d->OW;
	return chunk > 1 ? chunk * P * d->OC : P * d->C * d->k * d->k;
}

/*
 * Scratch for every batch up to d->B, not only for d->B: the chunks are made even, so a
 * smaller batch can have a larger chunk (32 samples at a cap of 10 go as 4 x 8, 30 as
 * 3 x 10), and a batch of one builds row (P, K) where a larger one builds G (nb P, OC).
 * Every chunk is at most min(cap, d->B) samples; both backward forms are provided for.
 */
size_t nn_conv2d_scratch_floats(const struct nn_conv2d_dims *d)
{
	size_t cap = chunk_cap(d), B = d->B > 1 ? (size_t)d->B : 1;
	size_t chunk = cap < B ? cap : B;
	size_t K = (size_t)d->C * d->k * d->k, P = (size_t)d->OH * d->OW, OC = (size_t)d->OC;
	size_t nbP = chunk * P;
	/* col, then the forward's out (OC, nb P) or the backward's G (nb P, OC) or row
	 * (P, K), dw^T and dcol (with slack each side for col2im's shifted loads) */
	size_t g = g_floats(d, (int)chunk), g1 = g_floats(d, 1);
	g = g > g1 ? g : g1;
	size_t fwd = OC * nbP, bwd = g + K * OC + K * P + 2 * NN_COL2IM_SLACK;
	return K * nbP + (fwd > bwd ? fwd : bwd);
}

/* col (K,P) with rows ld floats apart: col[(c k + ky) k + kx][oy OW + ox] =
 * inp[c][oy s + ky - pad][ox s + kx - pad]. */
static void im2col(float *restrict col, size_t ld, const float *restrict inp,
		   const struct nn_conv2d_dims *d)
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
				col += ld;
			}
}

/* im2col for stride 1 and no padding (every conv of the paper's models): row
 * (c ky kx) is OH runs of OW floats of the input, no bounds to check. The general
 * loop above spent 6 cycles on each 4-float run of QCQ-CNN's conv2 (measured: its
 * im2col took as long as the matrix product); runs of 4 (that conv2) are one
 * move each here, runs of 8 to 16 two, others go through qcq_copy_floats. */
static void im2col_s1(float *restrict col, size_t ld, const float *restrict inp,
		      const struct nn_conv2d_dims *d)
{
	int k = d->k, OH = d->OH, OW = d->OW, W = d->W;
	size_t HW = (size_t)d->H * W;
	for (int c = 0; c < d->C; c++)
		for (int ky = 0; ky < k; ky++)
			for (int kx = 0; kx < k; kx++, col += ld) {
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

/* row (P,K) = col^T of one sample, built directly (the weight gradient of a lone
 * sample, see nn_conv2d_backward_with). */
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

/*
 * col2im_add for stride 1 and no padding, rows of dinp held in vectors of VN floats
 * while their k k taps are added: per element the same additions in the same order
 * (taps (ky, kx) in turn), but dinp is loaded and stored once instead of k k times,
 * and no scalar tails (measured: the loop above spent most of a CNN conv2
 * backward's own time on 11-float runs). A vector covers dinp columns x0 .. x0 + VN
 * - 1; tap (ky, kx) adds dcol row oy = iy - ky at column x - kx, so its load starts
 * kx floats before the columns it adds, and lanes outside 0 <= x - kx < OW (or a row
 * oy outside the map) add -0 instead, which leaves every float as it is (+0 would
 * turn a -0 into +0).
 * Two rows and two vectors a row at a time (four chains of additions keep the adder
 * busy): vector a at columns j0.., vector b at the next VN columns, or ending at the
 * row's end and overlapping a, whose lanes it leaves alone (b is stored first, so
 * that a's store has the last word there; no load follows a store it overlaps,
 * which would stall store forwarding: measured a third of the time). The loads
 * reach up to k - 1 floats outside a dcol row, so outside dcol too: the caller
 * keeps NN_COL2IM_SLACK floats of zeros on each side. Needs W >= VN.
 */
/* acc += the VT at src + x0 - kx where mask m, else -0 (z = -0 & ~m). */
#define NN_COL2IM_TAP(VT, VI, acc, src, x0, m, z)                                                 \
	do {                                                                                      \
		VT t_;                                                                            \
		memcpy(&t_, (src) + (x0) - kx, sizeof t_);                                        \
		acc += (VT)(((VI)t_ & (m)) | (z));                                                \
	} while (0)

#define NN_DEFINE_COL2IM(NAME, VT, VI, VN)                                                        \
	static void NAME(float *restrict dinp, const float *restrict dcol,                        \
			 const struct nn_conv2d_dims *d)                                          \
	{                                                                                         \
		int k = d->k, OH = d->OH, OW = d->OW, H = d->H, W = d->W;                         \
		size_t P = (size_t)OH * OW;                                                       \
		VI lane, nz = (VI)(-(VT){ 0 });                                                   \
		for (int i = 0; i < VN; i++)                                                      \
			lane[i] = i;                                                              \
		VI ma[NN_COL2IM_KMAX], za[NN_COL2IM_KMAX], mb[NN_COL2IM_KMAX], zb[NN_COL2IM_KMAX]; \
		for (int c = 0; c < d->C; c++)                                                    \
			for (int iy = 0; iy < H; iy += 2) {                                       \
				bool two = iy + 1 < H;                                            \
				float *r0 = dinp + ((size_t)c * H + iy) * W, *r1 = r0 + (two ? W : 0); \
				for (int j0 = 0; j0 < W; j0 += 2 * VN) {                          \
					int xa = j0 + VN <= W ? j0 : W - VN, jb = j0 + VN;        \
					int xb = jb + VN <= W ? jb : jb < W ? W - VN : xa;        \
					VI x = lane + xa, y = lane + xb;                          \
					VI fa = x >= j0, fb = (y >= jb) & -(int)(jb < W);         \
					for (int kx = 0; kx < k; kx++) { /* lanes tap kx adds to */ \
						ma[kx] = fa & (x >= kx) & (x < kx + OW);          \
						mb[kx] = fb & (y >= kx) & (y < kx + OW);          \
						za[kx] = nz & ~ma[kx], zb[kx] = nz & ~mb[kx];     \
					}                                                         \
					VT a0, b0, a1, b1;                                        \
					memcpy(&a0, r0 + xa, sizeof a0), memcpy(&b0, r0 + xb, sizeof b0); \
					memcpy(&a1, r1 + xa, sizeof a1), memcpy(&b1, r1 + xb, sizeof b1); \
					for (int ky = 0; ky < k; ky++) {                          \
						int oy = iy - ky; /* row 1's is oy + 1 */         \
						bool ok0 = oy >= 0 && oy < OH;                    \
						bool ok1 = two && oy + 1 >= 0 && oy + 1 < OH;     \
						const float *s0 = dcol + (size_t)(c * k + ky) * k * P; \
						const float *s1 = s0 + (size_t)(oy + 1) * OW;     \
						s0 += (size_t)(ok0 ? oy : 0) * OW;                \
						if (ok0 && ok1)                                   \
							for (int kx = 0; kx < k; kx++, s0 += P, s1 += P) { \
								NN_COL2IM_TAP(VT, VI, a0, s0, xa, ma[kx], za[kx]); \
								NN_COL2IM_TAP(VT, VI, b0, s0, xb, mb[kx], zb[kx]); \
								NN_COL2IM_TAP(VT, VI, a1, s1, xa, ma[kx], za[kx]); \
								NN_COL2IM_TAP(VT, VI, b1, s1, xb, mb[kx], zb[kx]); \
							}                                         \
						else if (ok0)                                     \
							for (int kx = 0; kx < k; kx++, s0 += P) { \
								NN_COL2IM_TAP(VT, VI, a0, s0, xa, ma[kx], za[kx]); \
								NN_COL2IM_TAP(VT, VI, b0, s0, xb, mb[kx], zb[kx]); \
							}                                         \
						else if (ok1)                                     \
							for (int kx = 0; kx < k; kx++, s1 += P) { \
								NN_COL2IM_TAP(VT, VI, a1, s1, xa, ma[kx], za[kx]); \
								NN_COL2IM_TAP(VT, VI, b1, s1, xb, mb[kx], zb[kx]); \
							}                                         \
					}                                                         \
					/* r1 = r0 when there is one row: r0's last */            \
					memcpy(r1 + xb, &b1, sizeof b1), memcpy(r1 + xa, &a1, sizeof a1); \
					memcpy(r0 + xb, &b0, sizeof b0), memcpy(r0 + xa, &a0, sizeof a0); \
				}                                                                 \
			}                                                                         \
	}

NN_DEFINE_COL2IM(col2im_add_w, qcq_vf, qcq_vi, QCQ_VF_N)
#if QCQ_VF_N > 8
typedef int nn_i8 __attribute__((vector_size(32)));
NN_DEFINE_COL2IM(col2im_add_8, qcq_f8, nn_i8, 8)
#endif

/* dinp += col2im(dcol), by the vector rows above where they apply. */
static void col2im_add_fast(float *dinp, const float *dcol, const struct nn_conv2d_dims *d)
{
	bool s1 = d->stride == 1 && d->pad == 0 && d->k <= NN_COL2IM_KMAX;
	if (s1 && d->W >= QCQ_VF_N)
		col2im_add_w(dinp, dcol, d);
#if QCQ_VF_N > 8
	else if (s1 && d->W >= 8)
		col2im_add_8(dinp, dcol, d);
#endif
	else
		col2im_add(dinp, dcol, d);
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

/* db[oc] += sum(g row oc) for every oc, from G = g^T (P, OC): the same sums (16
 * partial sums, the tail, then the partials, lane oc doing what sum does on row
 * oc) in vectors across OC, where sum's rows of 121 or 676 floats left it mostly
 * scalar. OC % QCQ_VF_N rows go through sum itself. */
static void sum_rows(float *db, const float *G, const float *g, int P, int OC)
{
	int oc0 = 0;
	for (; oc0 + QCQ_VF_N <= OC; oc0 += QCQ_VF_N) {
		const float *x = G + oc0;
		qcq_vf acc[16] = { 0 }, s = { 0 };
		int i = 0;
		for (; i + 16 <= P; i += 16)
			for (int j = 0; j < 16; j++)
				acc[j] += qcq_vf_load(x + (size_t)(i + j) * OC);
		for (; i < P; i++)
			s += qcq_vf_load(x + (size_t)i * OC);
		for (int j = 0; j < 16; j++)
			s += acc[j];
		qcq_vf_store(db + oc0, qcq_vf_load(db + oc0) + s);
	}
	for (; oc0 < OC; oc0++)
		db[oc0] += sum(g + (size_t)oc0 * P, P);
}

/* dst (cols, rows) = src (rows, cols)^T, row strides ldd and lds: 4 x 4 blocks in
 * 16-byte vectors (SSE2, NEON or scalarised), the edges one float at a time. Down
 * the rows first, so that dst's rows (16 or 32 floats for G) fill a few lines at a
 * time (across them first was twice as slow on the 16 x 676 dout of CNN's conv1). */
static void transpose(float *restrict dst, size_t ldd, const float *restrict src, size_t lds,
		      int rows, int cols)
{
	int j = 0;
	for (; j + 4 <= cols; j += 4) {
		float *t = dst + (size_t)j * ldd;
		int i = 0;
		for (; i + 4 <= rows; i += 4) {
			const float *s = src + (size_t)i * lds + j;
			qcq_f4 r0, r1, r2, r3;
			memcpy(&r0, s, 16), memcpy(&r1, s + lds, 16);
			memcpy(&r2, s + 2 * lds, 16), memcpy(&r3, s + 3 * lds, 16);
			qcq_f4 t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5);
			qcq_f4 t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
			qcq_f4 t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5);
			qcq_f4 t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
			qcq_f4 c0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
			qcq_f4 c1 = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
			qcq_f4 c2 = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
			qcq_f4 c3 = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
			memcpy(t + i, &c0, 16), memcpy(t + ldd + i, &c1, 16);
			memcpy(t + 2 * ldd + i, &c2, 16), memcpy(t + 3 * ldd + i, &c3, 16);
		}
		for (; i < rows; i++)
			for (int c = 0; c < 4; c++)
				t[(size_t)c * ldd + i] = src[(size_t)i * lds + j + c];
	}
	for (; j < cols; j++)
		for (int i = 0; i < rows; i++)
			dst[(size_t)j * ldd + i] = src[(size_t)i * lds + j];
}

/* col (K, nb P) of samples inp[0..nb-1], sample n in columns n P .. n P + P - 1. */
static void im2col_chunk(float *col, const float *inp, int nb, const struct nn_conv2d_dims *d)
{
	size_t in_sz = (size_t)d->C * d->H * d->W, P = (size_t)d->OH * d->OW;
	for (int n = 0; n < nb; n++) {
		if (d->stride == 1 && d->pad == 0)
			im2col_s1(col + n * P, nb * P, inp + n * in_sz, d);
		else
			im2col(col + n * P, nb * P, inp + n * in_sz, d);
	}
}

/* Margin by which a chunk's one product must beat its samples' products (their
 * planned times) to be used: it pays for copying the outputs to their places. */
#define NN_CONV_CHUNK_MARGIN 0.9f

/* Whether the forward of a chunk of nb samples runs one product for the chunk. */
static bool chunk_forward(const struct nn_conv2d_dims *d, int nb, enum nn_conv_fwd how)
{
	if (nb == 1 || how != NN_CONV_FWD_PLANNED)
		return nb > 1 && how == NN_CONV_FWD_CHUNK;
	int K = d->C * d->k * d->k, P = d->OH * d->OW;
	float one = nn_gemm_plan_us(d->OC, P, K, false), all = nn_gemm_plan_us(d->OC, nb * P, K, false);
	return one <= 0 || all <= 0 || all < NN_CONV_CHUNK_MARGIN * nb * one;
}

bool nn_conv2d_forward_with(float *out, const float *inp, const float *w, const float *b,
			    const struct nn_conv2d_dims *d, float *scratch, enum nn_conv_fwd how,
			    const struct nn_gemm_ops *gemm)
{
	assert(d->OH > 0 && d->OW > 0);
	int K = d->C * d->k * d->k, P = d->OH * d->OW, chunk = nn_conv2d_chunk(d);
	size_t in_sz = (size_t)d->C * d->H * d->W, out_sz = (size_t)d->OC * P;
	bool kept = false;
	for (int n0 = 0; n0 < d->B; n0 += chunk) {
		int nb = d->B - n0 < chunk ? d->B - n0 : chunk;
		bool one = chunk_forward(d, nb, how);
		/* one product: col (K, nb P), outputs (OC, nb P) then copied; else per
		 * sample: col (K, P), outputs in place */
		size_t ld = one ? (size_t)nb * P : (size_t)P;
		for (int n = 0; n < (one ? 1 : nb); n++) {
			float *col = scratch;
			float *o = one ? scratch + (size_t)K * ld : out + (n0 + n) * out_sz;
			im2col_chunk(col, inp + (n0 + n) * in_sz, one ? nb : 1, d);
			for (int oc = 0; oc < d->OC; oc++) {
				float bias = b ? b[oc] : 0.0f;
				for (size_t p = 0; p < ld; p++)
					o[(size_t)oc * ld + p] = bias;
			}
			gemm->add(o, w, col, d->OC, (int)ld, K, false);
		}
		for (int n = 0; one && n < nb; n++)
			for (int oc = 0; oc < d->OC; oc++)
				memcpy(out + (n0 + n) * out_sz + (size_t)oc * P,
				       scratch + (size_t)K * ld + (size_t)oc * ld + (size_t)n * P,
				       sizeof(float) * P);
		kept = nb == d->B && (one || nb == 1);
	}
	return kept;
}

void nn_conv2d_forward(float *out, const float *inp, const float *w, const float *b,
		       const struct nn_conv2d_dims *d, float *scratch)
{
	nn_conv2d_forward_with(out, inp, w, b, d, scratch, NN_CONV_FWD_PLANNED, &nn_gemm_planned);
}

void nn_conv2d_backward_with(float *dinp, float *dw, float *db, const float *dout,
			     const float *inp, const float *w, const struct nn_conv2d_dims *d,
			     float *scratch, bool kept_col, const struct nn_gemm_ops *gemm)
{
	assert(d->OH > 0 && d->OW > 0);
	int K = d->C * d->k * d->k, P = d->OH * d->OW, OC = d->OC, chunk = nn_conv2d_chunk(d);
	size_t in_sz = (size_t)d->C * d->H * d->W, out_sz = (size_t)OC * P;
	float *col = scratch, *G = col + (size_t)K * chunk * P, *dwt = G + g_floats(d, chunk);
	float *dcol = dwt + (size_t)K * OC + NN_COL2IM_SLACK;
	/* Chunks of one sample (a batch of one) share no product: there the weight
	 * gradient is dw += dout row (row = im2row of the input), without the transposes
	 * of dw and dout that dw^T = col G needs (measured: QCQ-CNN at batch 1 was 3%
	 * slower with them). Both add in the same order. */
	bool lone = chunk == 1;
	if (dinp) { /* what col2im_add_fast reads around dcol: defined, and finite */
		memset(dcol - NN_COL2IM_SLACK, 0, sizeof(float) * NN_COL2IM_SLACK);
		memset(dcol + (size_t)K * P, 0, sizeof(float) * NN_COL2IM_SLACK);
	}
	if (!lone)
		transpose(dwt, OC, dw, K, OC, K);
	for (int n0 = 0; n0 < d->B; n0 += chunk) {
		int nb = d->B - n0 < chunk ? d->B - n0 : chunk;
		for (int n = 0; n < nb; n++) {
			const float *g = dout + (n0 + n) * out_sz;
			if (!lone)
				transpose(G + (size_t)n * P * OC, OC, g, P, OC, P);
			if (db && !lone)
				sum_rows(db, G + (size_t)n * P * OC, g, P, OC);
			else if (db)
				for (int oc = 0; oc < OC; oc++)
					db[oc] += sum(g + (size_t)oc * P, P);
		}
		if (lone) {
			im2row(G, inp + n0 * in_sz, d);
			gemm->add(dw, dout + n0 * out_sz, G, OC, K, P, false);
		} else {
			if (!kept_col || nb < d->B)
				im2col_chunk(col, inp + n0 * in_sz, nb, d);
			gemm->add(dwt, col, G, K, OC, nb * P, false);
		}
		for (int n = 0; dinp && n < nb; n++) {
			gemm->set(dcol, w, dout + (n0 + n) * out_sz, K, P, OC, true);
			col2im_add_fast(dinp + (n0 + n) * in_sz, dcol, d);
		}
	}
	if (!lone)
		transpose(dw, K, dwt, OC, K, OC);
}

void nn_conv2d_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
			const float *w, const struct nn_conv2d_dims *d, float *scratch)
{
	nn_conv2d_backward_with(dinp, dw, db, dout, inp, w, d, scratch, false, &nn_gemm_planned);
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
