/*
 * nn/layers.c: the small layers: max-pool, dense, ReLU, dropout, softmax
 * cross-entropy and PyTorch's default initialisation. Forward writes, backward
 * accumulates (+=). Convolution is in conv.c, optimisers in optim.c.
 */
#include "nn-internal.h"

#include "core/simd.h"

#include <assert.h>
#include <cblas.h>
#include <math.h>
#include <string.h>


/* ---------------------------------------------------------------- max-pool */

/*
 * 2x2 windows (every pool of the paper's models) without branches: which of the
 * four inputs wins is data, so a branch on it is mispredicted about every other
 * window (measured: 40% of a QCQ-CNN step on an AVX2 build in plain loops). Four
 * windows at a time in 16-byte vectors (SSE2, NEON or scalarised by the compiler),
 * or eight in 32-byte ones on a build with vectors that wide, for maps at least 8
 * windows wide (the CNN's first pool: 13; half the vector operations per window,
 * measured 12% of a CNN step before), a row's last block overlapping the ones
 * before; rows under 4 windows with bit masks. Backward writes all four positions
 * of a window (each input belongs to exactly one window) instead of scattering to a
 * recomputed arg max. Ties go to the first maximum in row-major order, as in the
 * generic path.
 */
#define NN_UNPAREN(...) __VA_ARGS__

/*
 * For N windows in vectors VT (lane masks VI): windowsN: a b on their top row, c d
 * on their bottom row; the top row's 2N floats are t0[0..N-1] t1[0..N-1], the
 * bottom's u0[..] u1[..] (EVEN, ODD pick them). maxN: y > x ? y : x lane by lane
 * (the scalar path's order, so NaNs go the same way). blockN_forward: the windows'
 * maxima. blockN_backward: in[] and d[] the runs as in maxpool2_forward, g their N
 * output gradients; lanes below `fresh` were done before (an overlapping last
 * block): accumulating, they add +0; writing, they write the same values again.
 * write and relu as in maxpool2_backward. LO, HI interleave two vectors.
 */
#define NN_DEFINE_POOL_BLOCKS(N, VT, VI, EVEN, ODD, LO, HI, LANES)                                \
	static inline void windows##N(const float *t0, const float *t1, const float *u0,          \
				      const float *u1, VT *a, VT *b, VT *c, VT *d)                \
	{                                                                                         \
		VT x0, x1, y0, y1;                                                                \
		memcpy(&x0, t0, sizeof x0), memcpy(&x1, t1, sizeof x1);                           \
		memcpy(&y0, u0, sizeof y0), memcpy(&y1, u1, sizeof y1);                           \
		*a = __builtin_shufflevector(x0, x1, NN_UNPAREN EVEN);                            \
		*b = __builtin_shufflevector(x0, x1, NN_UNPAREN ODD);                             \
		*c = __builtin_shufflevector(y0, y1, NN_UNPAREN EVEN);                            \
		*d = __builtin_shufflevector(y0, y1, NN_UNPAREN ODD);                             \
	}                                                                                         \
	static inline VT max##N(VT x, VT y)                                                       \
	{                                                                                         \
		VI m = y > x;                                                                     \
		return (VT)(((VI)y & m) | ((VI)x & ~m));                                          \
	}                                                                                         \
	static inline VT block##N##_forward(const float *const in[4])                             \
	{                                                                                         \
		VT a, b, c, d;                                                                    \
		windows##N(in[0], in[1], in[2], in[3], &a, &b, &c, &d);                           \
		return max##N(max##N(a, b), max##N(c, d));                                        \
	}                                                                                         \
	static inline void block##N##_backward(float *const d[4], const float *const in[4],      \
					       const float *g, int fresh, bool write, bool relu) \
	{                                                                                         \
		VT a, b, c, dd, gv, x;                                                            \
		windows##N(in[0], in[1], in[2], in[3], &a, &b, &c, &dd);                          \
		VT m = max##N(max##N(a, b), max##N(c, dd));                                       \
		/* the first position equal to the max */                                         \
		VI ea = a == m, eb = (b == m) & ~ea, ec = (c == m) & ~ea & ~eb;                   \
		VI ed = ~(ea | eb | ec);                                                          \
		memcpy(&gv, g, sizeof gv);                                                        \
		if (write) /* + 0 once here rather than on each of the 4 outputs: +0 either way */ \
			gv += 0.0f;                                                               \
		if (relu)                                                                         \
			gv = (VT)((VI)gv & (m > (VT){ 0 }));                                      \
		VI lane = { NN_UNPAREN LANES };                                                   \
		if (!write)                                                                       \
			gv = (VT)((VI)gv & (lane >= fresh));                                      \
		VT ga = (VT)((VI)gv & ea), gb = (VT)((VI)gv & eb);                                \
		VT gc = (VT)((VI)gv & ec), gd = (VT)((VI)gv & ed);                                \
		VT add[4] = { __builtin_shufflevector(ga, gb, NN_UNPAREN LO),                     \
			      __builtin_shufflevector(ga, gb, NN_UNPAREN HI),                     \
			      __builtin_shufflevector(gc, gd, NN_UNPAREN LO),                     \
			      __builtin_shufflevector(gc, gd, NN_UNPAREN HI) };                   \
		for (int i = 0; i < 4; i++) {                                                     \
			if (write) {                                                              \
				x = add[i];                                                       \
			} else {                                                                  \
				memcpy(&x, d[i], sizeof x);                                       \
				x += add[i];                                                      \
			}                                                                         \
			memcpy(d[i], &x, sizeof x);                                               \
		}                                                                                 \
	}

typedef float f4 __attribute__((vector_size(16)));
typedef int i4 __attribute__((vector_size(16)));
NN_DEFINE_POOL_BLOCKS(4, f4, i4, (0, 2, 4, 6), (1, 3, 5, 7), (0, 4, 1, 5), (2, 6, 3, 7),
		      (0, 1, 2, 3))
#if QCQ_VF_N >= 8
typedef float f8 __attribute__((vector_size(32)));
typedef int i8 __attribute__((vector_size(32)));
NN_DEFINE_POOL_BLOCKS(8, f8, i8, (0, 2, 4, 6, 8, 10, 12, 14), (1, 3, 5, 7, 9, 11, 13, 15),
		      (0, 8, 1, 9, 2, 10, 3, 11), (4, 12, 5, 13, 6, 14, 7, 15),
		      (0, 1, 2, 3, 4, 5, 6, 7))
#endif

static inline float max2(float x, float y)
{
	return y > x ? y : x;
}

/* g when the condition holds, else +0, with an integer mask (no branch). */
static inline float keep_if(float g, int cond)
{
	uint32_t u;
	memcpy(&u, &g, 4);
	u &= -(uint32_t)cond;
	memcpy(&g, &u, 4);
	return g;
}

/* Offset of the top input row of window row r = bc OH + oy. */
static inline size_t pair_off(int r, int OH, int H, int W)
{
	return ((size_t)(r / OH) * H + 2 * (r % OH)) * W;
}

/* From window row r's offset (and oy = r % OH) to row r + 1's, without pair_off's
 * division (measured: a third of the CNN's pool backward, one per row of 5 to 13
 * windows). */
static inline void pair_next(size_t *off, int *oy, int OH, int H, int W)
{
	*off += 2 * (size_t)W;
	if (++*oy == OH)
		*oy = 0, *off += (size_t)(H - 2 * OH) * W;
}

/* A window row's blocks of N windows from ox on (rows of at least N windows), the
 * last overlapping the one before (forward: the same values again; backward: see
 * blockN_backward's fresh). */
#define NN_POOL_FORWARD_ROW(N)                                                                    \
	for (; ox < OW && OW >= N; ox += N) {                                                     \
		int x0 = ox + N <= OW ? ox : OW - N;                                              \
		const float *s0 = r0 + 2 * x0, *s1 = r1 + 2 * x0;                                 \
		__typeof__(block##N##_forward(NULL)) m =                                          \
			block##N##_forward((const float *[4]){ s0, s0 + N, s1, s1 + N });         \
		memcpy(o + x0, &m, sizeof m);                                                     \
	}
#define NN_POOL_BACKWARD_ROW(N)                                                                   \
	for (; ox < OW && OW >= N; ox += N) {                                                     \
		int x0 = ox + N <= OW ? ox : OW - N;                                              \
		const float *s0 = r0 + 2 * x0, *s1 = r1 + 2 * x0;                                 \
		float *e0 = d0 + 2 * x0, *e1 = d1 + 2 * x0;                                       \
		block##N##_backward((float *[4]){ e0, e0 + N, e1, e1 + N },                        \
				    (const float *[4]){ s0, s0 + N, s1, s1 + N }, g + x0, ox - x0, \
				    write, relu);                                                 \
	}

/*
 * Maps of 2 windows a row (W = 4 or 5: qcq-cnn's second pool) have no room for a
 * vector in a row; two window rows at a time fill one (in[]: the four 4-float runs,
 * top rows of both then bottom rows), their outputs being contiguous. The rest
 * (and any odd last window row) goes row by row.
 */
static void maxpool2_forward(float *out, const float *inp, int BC, int H, int W)
{
	int OH = H / 2, OW = W / 2, rows = BC * OH, r = 0;
	if (OW == 2)
		for (; r + 2 <= rows; r += 2) {
			const float *t0 = inp + pair_off(r, OH, H, W), *t1 = inp + pair_off(r + 1, OH, H, W);
			f4 m = block4_forward((const float *[4]){ t0, t1, t0 + W, t1 + W });
			memcpy(out + (size_t)r * 2, &m, 16);
		}
	size_t off = pair_off(r, OH, H, W);
	for (int oy = r % OH; r < rows; r++, pair_next(&off, &oy, OH, H, W)) {
		const float *r0 = inp + off, *r1 = r0 + W;
		float *o = out + (size_t)r * OW;
		int ox = 0;
#if QCQ_VF_N >= 8
		NN_POOL_FORWARD_ROW(8);
#endif
		NN_POOL_FORWARD_ROW(4);
		for (; ox < OW; ox++)
			o[ox] = max2(max2(r0[2 * ox], r0[2 * ox + 1]), max2(r1[2 * ox], r1[2 * ox + 1]));
	}
}

/* write: dinp = the gradient (+ 0, so that a -0 comes out as +0, the same bits as
 * adding onto zeros), positions in no window (odd H or W) set to 0; else dinp +=.
 * relu (with write): the input is a ReLU's output and dinp the gradient of the
 * ReLU's input: a window whose max is not > 0 passes nothing back. */
static void maxpool2_backward(float *dinp, const float *dout, const float *inp, int BC, int H,
			      int W, bool write, bool relu)
{
	int OH = H / 2, OW = W / 2, rows = BC * OH, r = 0;
	if (OW == 2)
		for (; r + 2 <= rows; r += 2) {
			size_t o0 = pair_off(r, OH, H, W), o1 = pair_off(r + 1, OH, H, W);
			const float *t0 = inp + o0, *t1 = inp + o1;
			float *e0 = dinp + o0, *e1 = dinp + o1;
			block4_backward((float *[4]){ e0, e1, e0 + W, e1 + W },
				       (const float *[4]){ t0, t1, t0 + W, t1 + W }, dout + (size_t)r * 2,
				       0, write, relu);
		}
	size_t off = pair_off(r, OH, H, W);
	for (int oy = r % OH; r < rows; r++, pair_next(&off, &oy, OH, H, W)) {
		const float *r0 = inp + off, *r1 = r0 + W;
		float *d0 = dinp + off, *d1 = d0 + W;
		const float *g = dout + (size_t)r * OW;
		int ox = 0;
#if QCQ_VF_N >= 8
		NN_POOL_BACKWARD_ROW(8);
#endif
		NN_POOL_BACKWARD_ROW(4);
		for (; ox < OW; ox++) {
			float a = r0[2 * ox], b = r0[2 * ox + 1], c = r1[2 * ox], d = r1[2 * ox + 1];
			float m = max2(max2(a, b), max2(c, d));
			int ea = a == m, eb = (b == m) & !ea, ec = (c == m) & !ea & !eb;
			int ed = !(ea | eb | ec);
			float gx = relu ? keep_if(g[ox], m > 0.0f) : g[ox];
			float ga = keep_if(gx, ea), gb = keep_if(gx, eb);
			float gc = keep_if(gx, ec), gd = keep_if(gx, ed);
			if (write) {
				d0[2 * ox] = ga + 0.0f, d0[2 * ox + 1] = gb + 0.0f;
				d1[2 * ox] = gc + 0.0f, d1[2 * ox + 1] = gd + 0.0f;
			} else {
				d0[2 * ox] += ga, d0[2 * ox + 1] += gb;
				d1[2 * ox] += gc, d1[2 * ox + 1] += gd;
			}
		}
	}
	if (write && W & 1) {
		off = 0;
		for (int oy = r = 0; r < rows; r++, pair_next(&off, &oy, OH, H, W))
			dinp[off + W - 1] = dinp[off + 2 * W - 1] = 0.0f;
	}
	if (write && H & 1)
		for (int bc = 0; bc < BC; bc++)
			memset(dinp + ((size_t)bc * H + H - 1) * W, 0, sizeof(float) * W);
}

void nn_maxpool_forward(float *out, const float *inp, int B, int C, int H, int W, int k)
{
	int OH = H / k, OW = W / k;
	if (k == 2) {
		maxpool2_forward(out, inp, B * C, H, W);
		return;
	}
	for (int bc = 0; bc < B * C; bc++) {
		const float *in = inp + (size_t)bc * H * W;
		float *o = out + (size_t)bc * OH * OW;
		for (int oy = 0; oy < OH; oy++)
			for (int ox = 0; ox < OW; ox++) {
				const float *src = in + (size_t)oy * k * W + ox * k;
				float m = src[0];
				for (int y = 0; y < k; y++)
					for (int x = 0; x < k; x++)
						m = src[y * W + x] > m ? src[y * W + x] : m;
				o[oy * OW + ox] = m;
			}
	}
}

void nn_maxpool_backward(float *dinp, const float *dout, const float *inp, int B, int C, int H,
			 int W, int k)
{
	int OH = H / k, OW = W / k;
	if (k == 2) {
		maxpool2_backward(dinp, dout, inp, B * C, H, W, false, false);
		return;
	}
	for (int bc = 0; bc < B * C; bc++) {
		const float *in = inp + (size_t)bc * H * W;
		float *din = dinp + (size_t)bc * H * W;
		const float *g = dout + (size_t)bc * OH * OW;
		for (int oy = 0; oy < OH; oy++)
			for (int ox = 0; ox < OW; ox++) {
				size_t base = (size_t)oy * k * W + ox * k, best = base;
				for (int y = 0; y < k; y++)
					for (int x = 0; x < k; x++)
						if (in[base + y * W + x] > in[best])
							best = base + y * W + x;
				din[best] += g[oy * OW + ox];
			}
	}
}

void nn_maxpool2_backward_write(float *dinp, const float *dout, const float *inp, int B, int C,
				int H, int W)
{
	maxpool2_backward(dinp, dout, inp, B * C, H, W, true, false);
}

void nn_relu_maxpool2_backward_write(float *dinp, const float *dout, const float *out, int B,
				     int C, int H, int W)
{
	maxpool2_backward(dinp, dout, out, B * C, H, W, true, true);
}

/* ---------------------------------------------------------------- average pool */

void nn_avgpool_forward(float *out, const float *inp, int B, int C, int H, int W, int kh, int kw)
{
	int OH = H / kh, OW = W / kw;
	float inv = 1.0f / (float)(kh * kw);
	for (int bc = 0; bc < B * C; bc++)
		for (int oy = 0; oy < OH; oy++)
			for (int ox = 0; ox < OW; ox++) {
				const float *src = inp + ((size_t)bc * H + (size_t)oy * kh) * W + ox * kw;
				double acc = 0.0;
				for (int y = 0; y < kh; y++)
					for (int x = 0; x < kw; x++)
						acc += src[(size_t)y * W + x];
				out[((size_t)bc * OH + oy) * OW + ox] = (float)acc * inv;
			}
}

void nn_avgpool_backward(float *dinp, const float *dout, int B, int C, int H, int W, int kh,
			 int kw)
{
	int OH = H / kh, OW = W / kw;
	float inv = 1.0f / (float)(kh * kw);
	for (int bc = 0; bc < B * C; bc++)
		for (int oy = 0; oy < OH; oy++)
			for (int ox = 0; ox < OW; ox++) {
				float g = dout[((size_t)bc * OH + oy) * OW + ox] * inv;
				float *dst = dinp + ((size_t)bc * H + (size_t)oy * kh) * W + ox * kw;
				for (int y = 0; y < kh; y++)
					for (int x = 0; x < kw; x++)
						dst[(size_t)y * W + x] += g;
			}
}

/* ---------------------------------------------------------------- dense */

/*
 * out[n][o] = b[o] + w[o] . inp[n]. For the paper's heads (OUT = 2, IN <= 800) a dot
 * product with 16 independent partial sums (which gcc vectorises without
 * -ffast-math) beats an sgemm call; large layers go to sgemm.
 */
#define NN_DENSE_BLAS_MIN_WORK ((size_t)1 << 20)

static float dot(const float *restrict a, const float *restrict b, int n)
{
	float acc[16] = { 0 };
	int i = 0;
	for (; i + 16 <= n; i += 16)
		for (int j = 0; j < 16; j++)
			acc[j] += a[i + j] * b[i + j];
	float s = 0.0f;
	for (; i < n; i++)
		s += a[i] * b[i];
	for (int j = 0; j < 16; j++)
		s += acc[j];
	return s;
}

void nn_dense_forward(float *out, const float *inp, const float *w, const float *b, int B,
		      int IN, int OUT)
{
	if ((size_t)B * IN * OUT >= NN_DENSE_BLAS_MIN_WORK) {
		for (int n = 0; n < B; n++)
			for (int o = 0; o < OUT; o++)
				out[(size_t)n * OUT + o] = b ? b[o] : 0.0f;
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, OUT, IN, 1.0f, inp, IN, w,
			    IN, 1.0f, out, OUT);
		return;
	}
	for (int n = 0; n < B; n++)
		for (int o = 0; o < OUT; o++)
			out[(size_t)n * OUT + o] =
				(b ? b[o] : 0.0f) + dot(w + (size_t)o * IN, inp + (size_t)n * IN, IN);
}

void nn_dense_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
		       const float *w, int B, int IN, int OUT)
{
	if (db)
		for (int n = 0; n < B; n++)
			for (int o = 0; o < OUT; o++)
				db[o] += dout[(size_t)n * OUT + o];
	nn_gemm(dw, dout, inp, OUT, IN, B, true); /* dw (OUT,IN) += dout^T inp */
	if (dinp)
		nn_gemm(dinp, dout, w, B, IN, OUT, false); /* dinp (B,IN) += dout w */
}

void nn_dense_forward_naive(float *out, const float *inp, const float *w, const float *b, int B,
			    int IN, int OUT)
{
	for (int n = 0; n < B; n++)
		for (int o = 0; o < OUT; o++) {
			double acc = b ? b[o] : 0.0;
			for (int i = 0; i < IN; i++)
				acc += (double)w[(size_t)o * IN + i] * inp[(size_t)n * IN + i];
			out[(size_t)n * OUT + o] = (float)acc;
		}
}

void nn_dense_backward_naive(float *dinp, float *dw, float *db, const float *dout,
			     const float *inp, const float *w, int B, int IN, int OUT)
{
	for (int n = 0; n < B; n++)
		for (int o = 0; o < OUT; o++) {
			float g = dout[(size_t)n * OUT + o];
			if (db)
				db[o] += g;
			for (int i = 0; i < IN; i++) {
				dw[(size_t)o * IN + i] += g * inp[(size_t)n * IN + i];
				if (dinp)
					dinp[(size_t)n * IN + i] += g * w[(size_t)o * IN + i];
			}
		}
}

/* ---------------------------------------------------------------- ReLU */

void nn_relu_forward(float *restrict out, const float *restrict inp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = inp[i] > 0.0f ? inp[i] : 0.0f;
}

void nn_relu_backward(float *restrict dinp, const float *restrict dout, const float *restrict out,
		      size_t n)
{
	for (size_t i = 0; i < n; i++)
		dinp[i] += out[i] > 0.0f ? dout[i] : 0.0f;
}

void nn_relu_backward_write(float *restrict dinp, const float *restrict dout,
			    const float *restrict out, size_t n)
{
	/* in vectors by hand: gcc keeps the scalar select as a branch */
	size_t i = 0;
	const qcq_vf zero = { 0 };
	for (; i + QCQ_VF_N <= n; i += QCQ_VF_N) {
		qcq_vf g = qcq_vf_load(dout + i) + 0.0f;
		qcq_vf_store(dinp + i, qcq_vf_select(qcq_vf_load(out + i) > zero, g, zero));
	}
	for (; i < n; i++)
		dinp[i] = out[i] > 0.0f ? dout[i] + 0.0f : 0.0f;
}

/* ---------------------------------------------------------------- dropout */

void nn_dropout_forward(float *out, float *mask, const float *inp, size_t n, size_t group,
			float p, bool train, struct qcq_rng *rng)
{
	assert(group >= 1 && n % group == 0 && p >= 0.0f && p < 1.0f);
	if (!train || p == 0.0f) {
		for (size_t i = 0; i < n; i++)
			out[i] = inp[i], mask[i] = 1.0f;
		return;
	}
	float scale = 1.0f / (1.0f - p);
	for (size_t g0 = 0; g0 < n; g0 += group) {
		float f = qcq_rng_uniformf(rng) < p ? 0.0f : scale;
		for (size_t i = g0; i < g0 + group; i++)
			out[i] = inp[i] * f, mask[i] = f;
	}
}

void nn_dropout_backward(float *restrict dinp, const float *restrict dout,
			 const float *restrict mask, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dinp[i] += dout[i] * mask[i];
}

/* ---------------------------------------------------------------- softmax CE */

float nn_softmax_ce_forward(float *probs, const float *logits, const int32_t *labels, int B,
			    int K)
{
	double loss = 0.0;
	for (int n = 0; n < B; n++) {
		const float *z = logits + (size_t)n * K;
		float *pr = probs + (size_t)n * K;
		float mx = z[0];
		for (int j = 1; j < K; j++)
			mx = z[j] > mx ? z[j] : mx;
		double sum = 0.0;
		for (int j = 0; j < K; j++)
			sum += exp((double)z[j] - mx);
		for (int j = 0; j < K; j++)
			pr[j] = (float)(exp((double)z[j] - mx) / sum);
		assert(labels[n] >= 0 && labels[n] < K);
		/* -log softmax computed from the logits, not from a rounded probability */
		loss += log(sum) - ((double)z[labels[n]] - mx);
	}
	return (float)(loss / B);
}

void nn_softmax_ce_backward(float *dlogits, const float *probs, const int32_t *labels, int B,
			    int K, float dloss)
{
	float s = dloss / (float)B;
	for (int n = 0; n < B; n++)
		for (int j = 0; j < K; j++)
			dlogits[(size_t)n * K + j] +=
				s * (probs[(size_t)n * K + j] - (j == labels[n] ? 1.0f : 0.0f));
}

/* ---------------------------------------------------------------- init */

void nn_init_uniform(float *x, size_t n, float bound, struct qcq_rng *rng)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (2.0f * qcq_rng_uniformf(rng) - 1.0f) * bound;
}
