/*
 * qml/filter-fast.c: the fast paths of the quanvolution filter.
 *
 * The filter is fixed, so for up to QML_HEIS_MAX_QUBITS qubits we work in the
 * Heisenberg picture: O_j = U^dag Z_j U is computed once (exact, double), and since
 * the encoded state is a product of real single-qubit states with Bloch vectors
 * (sin pi x_q, 0, cos pi x_q), <Z_j> = sum_{P in {I,X,Z}^n} c_P prod_q f_q(P_q) with
 * c_P = Tr(P O_j) / 2^n, f(I) = 1, f(X) = sin pi x_q, f(Z) = cos pi x_q (Y terms
 * vanish). Per patch that is a contraction of a 3 x 3 x ... x 3 table with n vectors
 * (1, s_q, c_q): 4 * (27+9+3+1) * 2 FMAs for 2x2 patches, run one vector of patches
 * wide in float32 with a polynomial sincospi. Above that size the table (3^n per
 * output) costs more than simulating, so a batched float32 state-vector path (one
 * vector of patches per amplitude, gate by gate) takes over.
 *
 * It is not the reference: qml_filter_apply_naive (filter.c) is, in double.
 */
#include "qml-internal.h"

#include "core/simd.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A block of patches is one vector of the build's width (core/simd.h: 16 floats with
 * AVX-512, 8 with AVX2, 4 with SSE2 or NEON), at least 4 so that a scalar build still
 * gets the compiler's unrolling. Wider-than-native vectors would be split into
 * several registers and spilled (measured: the state-vector path 20x slower on AVX2
 * with 16 lanes). */
#if QCQ_VF_N >= 4
#define LANES QCQ_VF_N
#else
#define LANES 4
#endif
typedef float vf __attribute__((vector_size(LANES * 4)));
typedef int32_t vi __attribute__((vector_size(LANES * 4)));

#define INLINE static inline __attribute__((always_inline))

INLINE vf vload(const float *p)
{
	vf v;
	memcpy(&v, p, sizeof v);
	return v;
}

INLINE void vstore(float *p, const vf *v)
{
	memcpy(p, v, sizeof *v);
}

/*
 * sin(pi x), cos(pi x) for |x| < 2^22: x = n + r with n the nearest integer and
 * |r| <= 1/2, then Taylor polynomials in z = pi r (|z| <= pi/2; truncation error
 * < 6e-8, below float's half-ulp of 1) and the sign (-1)^n.
 */
INLINE void sincospi(const vf *xp, vf *s, vf *c)
{
	vf x = *xp;
	const float magic = 12582912.0f; /* 1.5 * 2^23: adding it rounds to an integer */
	vf n = (x + magic) - magic;
	vf r = x - n;
	vi sign = __builtin_convertvector(n, vi) << 31;
	vf z = r * (float)M_PI, z2 = z * z;
	vf ps = 1.0f + z2 * (-1.0f / 6 + z2 * (1.0f / 120 + z2 * (-1.0f / 5040 +
		z2 * (1.0f / 362880 + z2 * (-1.0f / 39916800)))));
	vf pc = 1.0f + z2 * (-1.0f / 2 + z2 * (1.0f / 24 + z2 * (-1.0f / 720 +
		z2 * (1.0f / 40320 + z2 * (-1.0f / 3628800 + z2 * (1.0f / 479001600))))));
	vf sv = z * ps;
	vi si, ci;
	memcpy(&si, &sv, sizeof si);
	memcpy(&ci, &pc, sizeof ci);
	si ^= sign;
	ci ^= sign;
	memcpy(s, &si, sizeof *s);
	memcpy(c, &ci, sizeof *c);
}

/* ---------------------------------------------------------------- compile */

/*
 * The nonzero entries of the table as terms (coefficients below 1e-9 are rounding
 * noise of the double computation: each term is at most |c| since every factor is in
 * [-1, 1]). The terms replace the table when their multiplies are fewer than half the
 * table's multiply-adds (3^nq - 1 per output).
 */
static void sparse_terms(struct qml_filter *f)
{
	int n = f->nq, nt = 0;
	for (int i = 0; i < n * f->ncoef; i++)
		nt += fabsf(f->coef[i]) > 1e-9f;
	f->terms = qcq_xcalloc((size_t)nt + 1, sizeof *f->terms);
	long work = 0;
	nt = 0;
	for (int j = 0; j < n; j++) {
		f->tstart[j] = nt;
		for (int idx = 0; idx < f->ncoef; idx++) {
			float c = f->coef[(size_t)j * f->ncoef + idx];
			if (!(fabsf(c) > 1e-9f))
				continue;
			uint32_t xm = 0, zm = 0;
			for (int q = 0, t = idx; q < n; q++, t /= 3) {
				xm |= (uint32_t)(t % 3 == 1) << q;
				zm |= (uint32_t)(t % 3 == 2) << q;
			}
			f->terms[nt++] = (struct qml_heis_term){c, xm, zm};
			work += 1 + __builtin_popcount(xm | zm);
		}
	}
	f->tstart[n] = nt;
	f->sparse = 2 * work < (long)n * (f->ncoef - 1);
}

static void compile_heisenberg(struct qml_filter *f)
{
	int n = f->nq, d = 1 << n;
	double complex *u = qcq_xcalloc((size_t)d * (size_t)d, sizeof *u); /* u[col*d + row] */
	double complex *o = qcq_xcalloc((size_t)d * (size_t)d, sizeof *o);
	for (int col = 0; col < d; col++) {
		double complex *a = u + (size_t)col * (size_t)d;
		a[col] = 1;
		for (int i = 0; i < f->ngates; i++)
			qml_sv_apply(a, n, f->mats + 64 * (size_t)i, f->gates[i].q, f->gates[i].nq);
	}
	int ncoef = 1;
	for (int q = 0; q < n; q++)
		ncoef *= 3;
	f->ncoef = ncoef;
	f->coef = qcq_aligned_xalloc((size_t)n * (size_t)ncoef * sizeof *f->coef);
	for (int j = 0; j < n; j++) {
		/* O[a][b] = sum_r conj(U[r][a]) z_r U[r][b] */
		for (int a = 0; a < d; a++)
			for (int b = 0; b < d; b++) {
				double complex s = 0;
				for (int r = 0; r < d; r++)
					s += conj(u[(size_t)a * d + r]) * ((r >> j & 1) ? -1 : 1) *
					     u[(size_t)b * d + r];
				o[(size_t)a * d + b] = s;
			}
		/* c_P = Tr(P O)/d = sum_c (-1)^{|c & zm|} O[c][c ^ xm] / d */
		for (int idx = 0; idx < ncoef; idx++) {
			int xm = 0, zm = 0, t = idx;
			for (int q = 0; q < n; q++, t /= 3) {
				if (t % 3 == 1)
					xm |= 1 << q;
				else if (t % 3 == 2)
					zm |= 1 << q;
			}
			double s = 0;
			for (int c = 0; c < d; c++)
				s += (__builtin_popcount((unsigned)(c & zm)) & 1 ? -1 : 1) *
				     creal(o[(size_t)c * d + (c ^ xm)]);
			f->coef[(size_t)j * ncoef + idx] = (float)(s / d);
		}
	}
	free(u);
	free(o);
	sparse_terms(f);
}

void qml_filter_compile(struct qml_filter *f)
{
	f->mre = qcq_xcalloc((size_t)f->ngates * 64 + 1, sizeof *f->mre);
	f->mim = qcq_xcalloc((size_t)f->ngates * 64 + 1, sizeof *f->mim);
	for (size_t i = 0; i < (size_t)f->ngates * 64; i++) {
		f->mre[i] = (float)creal(f->mats[i]);
		f->mim[i] = (float)cimag(f->mats[i]);
	}
	if (f->nq <= QML_HEIS_MAX_QUBITS) {
		compile_heisenberg(f);
		f->path = QML_PATH_HEISENBERG;
	} else {
		f->path = QML_PATH_STATEVEC;
	}
}

/* ---------------------------------------------------------------- Heisenberg kernel */

/* z[j] for 16 patches: x[q] are the pixel vectors; nq is a constant after inlining */
INLINE void heis_block(const float *coef, int ncoef, int nq, const vf *x, vf *z)
{
	vf s[9], c[9], t[81];
	for (int q = 0; q < nq; q++)
		sincospi(&x[q], &s[q], &c[q]);
	for (int j = 0; j < nq; j++) {
		const float *C = coef + (size_t)j * ncoef;
		int m = ncoef / 3;
		for (int i = 0; i < m; i++)
			t[i] = C[3 * i] + C[3 * i + 1] * s[0] + C[3 * i + 2] * c[0];
		for (int q = 1; q < nq; q++) {
			m /= 3;
			for (int i = 0; i < m; i++)
				t[i] = t[3 * i] + t[3 * i + 1] * s[q] + t[3 * i + 2] * c[q];
		}
		z[j] = t[0];
	}
}

static void heis_block_4(const float *coef, const vf *x, vf *z) { heis_block(coef, 81, 4, x, z); }

/* the same from the sparse terms: each a product of its sines and cosines */
static void heis_block_sparse(const struct qml_filter *f, const vf *x, vf *z)
{
	vf s[QML_HEIS_MAX_QUBITS], c[QML_HEIS_MAX_QUBITS];
	int nq = f->nq;
	for (int q = 0; q < nq; q++)
		sincospi(&x[q], &s[q], &c[q]);
	for (int j = 0; j < nq; j++) {
		vf acc = (vf){0};
		for (int t = f->tstart[j]; t < f->tstart[j + 1]; t++) {
			const struct qml_heis_term *T = &f->terms[t];
			vf v = -(vf){0} + T->c;
			for (int q = 0; q < nq; q++) {
				if (T->xm >> q & 1)
					v *= s[q];
				else if (T->zm >> q & 1)
					v *= c[q];
			}
			acc += v;
		}
		z[j] = acc;
	}
}
static void heis_block_n(const float *coef, int ncoef, int nq, const vf *x, vf *z)
{
	heis_block(coef, ncoef, nq, x, z);
}

/* ---------------------------------------------------------------- state-vector kernel */

/* re/im hold 2^nq amplitude vectors of 16 patches each */
static void sv_block(const struct qml_filter *f, const vf *x, vf *z, vf *re, vf *im)
{
	int nq = f->nq;
	size_t dim = (size_t)1 << nq;
	re[0] = (vf){0} + 1.0f;
	for (int q = 0; q < nq; q++) { /* RY(pi x)|0> = cos(pi x/2)|0> + sin(pi x/2)|1> */
		vf s, c, half = x[q] * 0.5f;
		sincospi(&half, &s, &c);
		size_t h = (size_t)1 << q;
		for (size_t i = 0; i < h; i++) {
			re[i + h] = re[i] * s;
			re[i] = re[i] * c;
		}
	}
	for (size_t i = 0; i < dim; i++)
		im[i] = (vf){0};
	for (int g = 0; g < f->ngates; g++) {
		const struct qml_gate *gt = &f->gates[g];
		const float *mr = f->mre + 64 * (size_t)g, *mi = f->mim + 64 * (size_t)g;
		int d = 1 << gt->nq;
		size_t mask = 0, off[8];
		for (int k = 0; k < gt->nq; k++)
			mask |= (size_t)1 << gt->q[k];
		for (int l = 0; l < d; l++) {
			off[l] = 0;
			for (int k = 0; k < gt->nq; k++)
				if (l >> k & 1)
					off[l] |= (size_t)1 << gt->q[k];
		}
		bool is_cx = gt->nq == 2 && !strcmp(gt->name, "cx");
		for (size_t i = 0; i < dim; i++) {
			if (i & mask)
				continue;
			if (is_cx) { /* swap |c=1,t=0> and |c=1,t=1> */
				vf tr = re[i | off[1]], ti = im[i | off[1]];
				re[i | off[1]] = re[i | off[3]], im[i | off[1]] = im[i | off[3]];
				re[i | off[3]] = tr, im[i | off[3]] = ti;
				continue;
			}
			vf vr[8], vi_[8];
			for (int l = 0; l < d; l++)
				vr[l] = re[i | off[l]], vi_[l] = im[i | off[l]];
			for (int r = 0; r < d; r++) {
				vf ar = (vf){0}, ai = (vf){0};
				for (int c = 0; c < d; c++) {
					float a = mr[r * d + c], b = mi[r * d + c];
					ar += a * vr[c] - b * vi_[c];
					ai += a * vi_[c] + b * vr[c];
				}
				re[i | off[r]] = ar, im[i | off[r]] = ai;
			}
		}
	}
	for (int q = 0; q < nq; q++)
		z[q] = (vf){0};
	for (size_t i = 0; i < dim; i++) {
		vf p = re[i] * re[i] + im[i] * im[i];
		for (int q = 0; q < nq; q++) {
			if (i >> q & 1)
				z[q] -= p;
			else
				z[q] += p;
		}
	}
}

/* ---------------------------------------------------------------- driver */

struct apply_ctx {
	const struct qml_filter *f;
	enum qml_filter_path path;
	const float *images;
	int h, w, oh, ow;
	float *out;
};

static void gather_patches(const struct apply_ctx *a, const float *img, float *xs, size_t pad)
{
	int k = a->f->k, s = a->f->stride, nq = a->f->nq, ow = a->ow;
	size_t w = (size_t)a->w;
	if (k == 2) {
		for (int r = 0; r < a->oh; r++) {
			const float *r0 = img + (size_t)(r * s) * w, *r1 = r0 + w;
			float *x0 = xs + (size_t)r * ow, *x1 = x0 + pad, *x2 = x1 + pad, *x3 = x2 + pad;
			for (int c = 0; c < ow; c++) {
				x0[c] = r0[c * s], x1[c] = r0[c * s + 1];
				x2[c] = r1[c * s], x3[c] = r1[c * s + 1];
			}
		}
		return;
	}
	for (int j = 0; j < nq; j++)
		for (int r = 0; r < a->oh; r++) {
			const float *src = img + (size_t)(r * s + j / k) * w + (size_t)(j % k);
			float *dst = xs + (size_t)j * pad + (size_t)r * ow;
			for (int c = 0; c < ow; c++)
				dst[c] = src[(size_t)c * (size_t)s];
		}
}

static void apply_range(void *ctxp, size_t begin, size_t end, int worker)
{
	const struct apply_ctx *a = ctxp;
	const struct qml_filter *f = a->f;
	int nq = f->nq;
	size_t plane = (size_t)a->oh * (size_t)a->ow;
	size_t pad = (plane + LANES - 1) / LANES * LANES;
	float *xs = qcq_aligned_xalloc((size_t)nq * pad * sizeof *xs);
	vf *svre = NULL, *svim = NULL;
	if (a->path == QML_PATH_STATEVEC) {
		svre = qcq_aligned_xalloc(((size_t)1 << nq) * sizeof *svre);
		svim = qcq_aligned_xalloc(((size_t)1 << nq) * sizeof *svim);
	}
	for (size_t i = begin; i < end; i++) {
		const float *img = a->images + i * (size_t)a->h * (size_t)a->w;
		float *o = a->out + i * (size_t)nq * plane;
		gather_patches(a, img, xs, pad);
		for (size_t p = 0; p < plane; p += LANES) {
			vf x[9], z[9];
			for (int q = 0; q < nq; q++)
				x[q] = vload(xs + (size_t)q * pad + p);
			if (a->path == QML_PATH_STATEVEC)
				sv_block(f, x, z, svre, svim);
			else if (f->sparse)
				heis_block_sparse(f, x, z);
			else if (nq == 4)
				heis_block_4(f->coef, x, z);
			else
				heis_block_n(f->coef, f->ncoef, nq, x, z);
			if (p + LANES <= plane) {
				for (int j = 0; j < nq; j++)
					vstore(o + (size_t)j * plane + p, &z[j]);
			} else {
				float tmp[LANES];
				for (int j = 0; j < nq; j++) {
					vstore(tmp, &z[j]);
					memcpy(o + (size_t)j * plane + p, tmp,
					       (plane - p) * sizeof *tmp);
				}
			}
		}
	}
	qcq_aligned_free(xs);
	qcq_aligned_free(svre);
	qcq_aligned_free(svim);
}

enum qcq_status qml_filter_apply_path(const struct qml_filter *f, enum qml_filter_path path,
				      const float *images, long n, int h, int w, float *out,
				      struct qcq_pool *pool, struct qcq_error *err)
{
	struct apply_ctx a = {.f = f, .images = images, .h = h, .w = w, .out = out};
	if (n < 0)
		return qcq_error_set(err, QCQ_EINVAL, "negative image count %ld", n);
	enum qcq_status st = qml_filter_out_dims(f, h, w, &a.oh, &a.ow, err);
	if (st)
		return st;
	if (path == QML_PATH_AUTO)
		path = f->path;
	if (path == QML_PATH_HEISENBERG && !f->coef)
		return qcq_error_set(err, QCQ_EUNSUPPORTED,
				     "heisenberg path needs at most %d qubits (filter has %d)",
				     QML_HEIS_MAX_QUBITS, f->nq);
	a.path = path;
	qcq_pool_for(pool, (size_t)n, 16, apply_range, &a);
	return QCQ_OK;
}

enum qcq_status qml_filter_apply(const struct qml_filter *f, const float *images, long n, int h,
				 int w, float *out, struct qcq_pool *pool, struct qcq_error *err)
{
	return qml_filter_apply_path(f, QML_PATH_AUTO, images, n, h, w, out, pool, err);
}

/*
 * Whether keeping this filter's features in the disk cache pays. Reading 16 bytes
 * per 2x2 patch back (and checking them) costs about what the Heisenberg path costs
 * to compute them, and writing them costs more (measured: 12,000 Fashion-MNIST images,
 * 2.4 M patches, ~40 ms to compute on one core), so only the state-vector path, tens
 * of times slower per patch, is cached unless the user asks for it.
 */
bool qml_filter_cache_pays(const struct qml_filter *f)
{
	return f->path != QML_PATH_HEISENBERG;
}

/* ---------------------------------------------------------------- trainable filter kernels */

/*
 * For the trainable filter (filter-grad.c), whose coefficient table changes every step:
 * the Heisenberg kernel over one image with a table other than the filter's own, and
 * its transpose, which gives the gradient of the loss with respect to that table.
 * The same gather and sincospi as above, so both agree with qml_filter_apply.
 */
size_t qml_heis_pad(size_t plane)
{
	return (plane + LANES - 1) / LANES * LANES;
}

static void gather_padded(const struct qml_filter *f, const float *img, int h, int w, int oh,
			  int ow, float *xs)
{
	struct apply_ctx a = {.f = f, .h = h, .w = w, .oh = oh, .ow = ow};
	size_t plane = (size_t)oh * (size_t)ow, pad = qml_heis_pad(plane);
	gather_patches(&a, img, xs, pad);
	for (int q = 0; q < f->nq; q++) /* lanes past the last patch: finite, unused */
		memset(xs + (size_t)q * pad + plane, 0, (pad - plane) * sizeof *xs);
}

void qml_heis_image(const struct qml_filter *f, const float *coef, const float *img, int h,
		    int w, int oh, int ow, float *out, float *xs)
{
	int nq = f->nq, ncoef = f->ncoef;
	size_t plane = (size_t)oh * (size_t)ow, pad = qml_heis_pad(plane);
	gather_padded(f, img, h, w, oh, ow, xs);
	for (size_t p = 0; p < plane; p += LANES) {
		vf x[QML_HEIS_MAX_QUBITS], z[QML_HEIS_MAX_QUBITS];
		for (int q = 0; q < nq; q++)
			x[q] = vload(xs + (size_t)q * pad + p);
		if (nq == 4)
			heis_block_4(coef, x, z);
		else
			heis_block_n(coef, ncoef, nq, x, z);
		float tmp[LANES];
		size_t len = plane - p < LANES ? plane - p : LANES;
		for (int j = 0; j < nq; j++) {
			vstore(tmp, &z[j]);
			memcpy(out + (size_t)j * plane + p, tmp, len * sizeof *tmp);
		}
	}
}

/* phi[i] = prod_q f_q(digit q of i), digits 0 = 1, 1 = sin pi x_q, 2 = cos pi x_q */
INLINE void heis_phi(int nq, const vf *x, vf *phi)
{
	int m = 1;
	phi[0] = (vf){0} + 1.0f;
	for (int q = 0; q < nq; q++, m *= 3) {
		vf s, c;
		sincospi(&x[q], &s, &c);
		for (int i = 0; i < m; i++) {
			phi[m + i] = phi[i] * s;
			phi[2 * m + i] = phi[i] * c;
		}
	}
}

void qml_heis_image_grad(const struct qml_filter *f, const float *img, int h, int w, int oh,
			 int ow, const float *dout, float *acc, float *xs)
{
	int nq = f->nq, ncoef = f->ncoef;
	size_t plane = (size_t)oh * (size_t)ow, pad = qml_heis_pad(plane);
	gather_padded(f, img, h, w, oh, ow, xs);
	for (size_t p = 0; p < plane; p += LANES) {
		vf x[QML_HEIS_MAX_QUBITS], phi[243];
		for (int q = 0; q < nq; q++)
			x[q] = vload(xs + (size_t)q * pad + p);
		heis_phi(nq, x, phi);
		size_t len = plane - p < LANES ? plane - p : LANES;
		for (int j = 0; j < nq; j++) {
			float tmp[LANES] = {0};
			memcpy(tmp, dout + (size_t)j * plane + p, len * sizeof *tmp);
			vf g = vload(tmp);
			float *a = acc + (size_t)j * (size_t)ncoef * LANES;
			for (int i = 0; i < ncoef; i++) {
				vf v = vload(a + (size_t)i * LANES) + g * phi[i];
				vstore(a + (size_t)i * LANES, &v);
			}
		}
	}
}

size_t qml_heis_lanes(void)
{
	return LANES;
}
