/*
 * qsim/kernels.c: the bit-twiddling gate kernels over a vector of 2^nvec complex
 * amplitudes (a pure state, or a density matrix vectorised as 2n qubits).
 *
 * Complex products are written out on (re, im) pairs: C's complex multiply checks for
 * NaN/Inf (a libcall per product in GCC) and defeats vectorisation. The uncontrolled
 * 1-qubit kernel runs over contiguous blocks so the compiler can vectorise it; the
 * controlled ones enumerate only the amplitudes whose control bits are set, by
 * inserting zero bits into a counter. These are checked against the dense 2^n path
 * (naive.c) in tests/qsim.
 */
#include "qsim-internal.h"

#include <string.h>

/* k with a 0 bit inserted at each position in pos (ascending). */
static inline uint64_t insert_zeros(uint64_t k, const int *pos, int np)
{
	for (int j = 0; j < np; j++) {
		uint64_t low = k & ((UINT64_C(1) << pos[j]) - 1);
		k = ((k >> pos[j]) << (pos[j] + 1)) | low;
	}
	return k;
}

static void sort_small(int *p, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && p[j - 1] > p[j]; j--) {
			int t = p[j];
			p[j] = p[j - 1];
			p[j - 1] = t;
		}
}

/* Positions of t and the bits of cmask, ascending; returns how many. */
static int target_and_controls(int t, uint64_t cmask, int *pos)
{
	int np = 0;
	pos[np++] = t;
	for (int b = 0; b < 64 && cmask; b++)
		if (cmask >> b & 1) {
			pos[np++] = b;
			cmask &= ~(UINT64_C(1) << b);
		}
	sort_small(pos, np);
	return np;
}

/* The hot loop: (x, y) <- (m00 x + m01 y, m10 x + m11 y) over contiguous runs. */
static void k1_uncontrolled(double *restrict a, size_t dim, int t, const double *m)
{
	const double m0r = m[0], m0i = m[1], m1r = m[2], m1i = m[3];
	const double m2r = m[4], m2i = m[5], m3r = m[6], m3i = m[7];
	size_t st = (size_t)1 << t;
	for (size_t b = 0; b < dim; b += 2 * st) {
		double *restrict x = a + 2 * b, *restrict y = a + 2 * (b + st);
		for (size_t k = 0; k < 2 * st; k += 2) {
			double xr = x[k], xi = x[k + 1], yr = y[k], yi = y[k + 1];
			x[k] = m0r * xr - m0i * xi + m1r * yr - m1i * yi;
			x[k + 1] = m0r * xi + m0i * xr + m1r * yi + m1i * yr;
			y[k] = m2r * xr - m2i * xi + m3r * yr - m3i * yi;
			y[k + 1] = m2r * xi + m2i * xr + m3r * yi + m3i * yr;
		}
	}
}

void qs_kernel_1q(cplx *a, int nvec, int t, uint64_t cmask, const cplx m[4])
{
	assert(t >= 0 && t < nvec && !(cmask >> t & 1));
	double md[8];
	for (int j = 0; j < 4; j++) {
		md[2 * j] = creal(m[j]);
		md[2 * j + 1] = cimag(m[j]);
	}
	size_t dim = (size_t)1 << nvec;
	if (!cmask) {
		k1_uncontrolled((double *)a, dim, t, md);
		return;
	}
	int pos[66];
	int np = target_and_controls(t, cmask, pos);
	size_t count = dim >> np, st = (size_t)1 << t;
	double *d = (double *)a;
	for (size_t k = 0; k < count; k++) {
		size_t i = insert_zeros(k, pos, np) | cmask, j = i | st;
		double xr = d[2 * i], xi = d[2 * i + 1], yr = d[2 * j], yi = d[2 * j + 1];
		d[2 * i] = md[0] * xr - md[1] * xi + md[2] * yr - md[3] * yi;
		d[2 * i + 1] = md[0] * xi + md[1] * xr + md[2] * yi + md[3] * yr;
		d[2 * j] = md[4] * xr - md[5] * xi + md[6] * yr - md[7] * yi;
		d[2 * j + 1] = md[4] * xi + md[5] * xr + md[6] * yi + md[7] * yr;
	}
}

static inline void cmul_at(double *d, size_t i, double cr, double ci)
{
	double xr = d[2 * i], xi = d[2 * i + 1];
	d[2 * i] = cr * xr - ci * xi;
	d[2 * i + 1] = cr * xi + ci * xr;
}

void qs_kernel_diag1(cplx *a, int nvec, int t, uint64_t cmask, cplx d0, cplx d1)
{
	assert(t >= 0 && t < nvec && !(cmask >> t & 1));
	int pos[66];
	int np = target_and_controls(t, cmask, pos);
	size_t count = ((size_t)1 << nvec) >> np, st = (size_t)1 << t;
	double *d = (double *)a;
	bool skip0 = d0 == 1.0;
	for (size_t k = 0; k < count; k++) {
		size_t i = insert_zeros(k, pos, np) | cmask;
		if (!skip0)
			cmul_at(d, i, creal(d0), cimag(d0));
		cmul_at(d, i | st, creal(d1), cimag(d1));
	}
}

void qs_kernel_x(cplx *a, int nvec, int t, uint64_t cmask)
{
	assert(t >= 0 && t < nvec && !(cmask >> t & 1));
	int pos[66];
	int np = target_and_controls(t, cmask, pos);
	size_t count = ((size_t)1 << nvec) >> np, st = (size_t)1 << t;
	for (size_t k = 0; k < count; k++) {
		size_t i = insert_zeros(k, pos, np) | cmask;
		cplx tmp = a[i];
		a[i] = a[i | st];
		a[i | st] = tmp;
	}
}

void qs_kernel_swap(cplx *a, int nvec, int q0, int q1)
{
	assert(q0 != q1 && q0 < nvec && q1 < nvec);
	int pos[2] = {q0 < q1 ? q0 : q1, q0 < q1 ? q1 : q0};
	size_t count = ((size_t)1 << nvec) >> 2;
	size_t b0 = (size_t)1 << q0, b1 = (size_t)1 << q1;
	for (size_t k = 0; k < count; k++) {
		size_t i = insert_zeros(k, pos, 2);
		cplx tmp = a[i | b0];
		a[i | b0] = a[i | b1];
		a[i | b1] = tmp;
	}
}

void qs_kernel_zz(cplx *a, int nvec, int q0, int q1, cplx even, cplx odd)
{
	assert(q0 != q1 && q0 < nvec && q1 < nvec);
	size_t dim = (size_t)1 << nvec;
	const double pr[2] = {creal(even), creal(odd)}, pi[2] = {cimag(even), cimag(odd)};
	double *restrict d = (double *)a;
	/* the parity is constant on runs of 2^min(q0, q1) entries: scale each run by one
	 * constant, a loop the compiler vectorises */
	size_t run = (size_t)1 << (q0 < q1 ? q0 : q1);
	for (size_t b = 0; b < dim; b += run) {
		size_t par = ((b >> q0) ^ (b >> q1)) & 1;
		const double cr = pr[par], ci = pi[par];
		double *restrict x = d + 2 * b;
		for (size_t k = 0; k < 2 * run; k += 2) {
			double xr = x[k], xi = x[k + 1];
			x[k] = cr * xr - ci * xi;
			x[k + 1] = cr * xi + ci * xr;
		}
	}
}

void qs_kernel_kq(cplx *a, int nvec, int k, const int *q, const cplx *m)
{
	assert(k >= 1 && k <= 4);
	int pos[4];
	memcpy(pos, q, sizeof(int) * (size_t)k);
	sort_small(pos, k);
	size_t count = ((size_t)1 << nvec) >> k, kd = (size_t)1 << k;
	size_t off[16];
	for (size_t l = 0; l < kd; l++) {
		off[l] = 0;
		for (int j = 0; j < k; j++)
			if (l >> j & 1)
				off[l] |= (size_t)1 << q[j];
	}
	cplx in[16];
	for (size_t c = 0; c < count; c++) {
		size_t base = insert_zeros(c, pos, k);
		for (size_t l = 0; l < kd; l++)
			in[l] = a[base | off[l]];
		for (size_t r = 0; r < kd; r++) {
			double sr = 0, si = 0;
			for (size_t l = 0; l < kd; l++) {
				double mr = creal(m[r * kd + l]), mi = cimag(m[r * kd + l]);
				sr += mr * creal(in[l]) - mi * cimag(in[l]);
				si += mr * cimag(in[l]) + mi * creal(in[l]);
			}
			a[base | off[r]] = CMPLX(sr, si);
		}
	}
}

void qs_kernel_keep_controlled(cplx *a, int nvec, uint64_t cmask)
{
	size_t dim = (size_t)1 << nvec;
	for (size_t i = 0; i < dim; i++)
		if ((i & cmask) != cmask)
			a[i] = 0;
}
