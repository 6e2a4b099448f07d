/*
 * qsim/calc.c: what is read off a state: Pauli expectations (exact and from shots),
 * probabilities, Bloch vectors, purity, sampling with readout error, and the Pauli
 * string parser. Nothing here changes a state.
 *
 * A Pauli string with masks (x, z) acts on a basis state as
 *   P|c> = i^{ny} (-1)^{popcount(c & z)} |c ^ x>,   ny = popcount(x & z)
 * (Y|b> = i (-1)^b |b^1>), which gives <psi|P|psi> and tr(P rho) in one pass.
 */
#include "qsim-internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cplx i_pow(int k)
{
	static const cplx t[4] = {1, I, -1, -I};
	return t[k & 3];
}

double qs_pauli_unchecked(const struct qs_state *s, struct qs_pauli p)
{
	size_t d = (size_t)1 << s->n;
	cplx ph = i_pow(__builtin_popcountll(p.x & p.z));
	double acc_r = 0, acc_i = 0;
	for (size_t c = 0; c < d; c++) {
		double sg = __builtin_parityll(c & p.z) ? -1 : 1;
		cplx v = s->kind == QS_PURE ? conj(s->amp[c ^ p.x]) * s->amp[c]
					    : s->amp[c + ((c ^ p.x) << s->n)];
		acc_r += sg * creal(v);
		acc_i += sg * cimag(v);
	}
	return creal(ph * CMPLX(acc_r, acc_i));
}

void qs_pauli_apply_vec(cplx *out, const cplx *in, int n, struct qs_pauli p)
{
	size_t d = (size_t)1 << n;
	cplx ph = i_pow(__builtin_popcountll(p.x & p.z));
	for (size_t c = 0; c < d; c++)
		out[c ^ p.x] = (__builtin_parityll(c & p.z) ? -ph : ph) * in[c];
}

static enum qcq_status check_pauli(const struct qs_state *s, struct qs_pauli p,
				   struct qcq_error *err)
{
	uint64_t used = p.x | p.z;
	if (s->n < 64 && (used >> s->n))
		return qcq_error_set(err, QCQ_EINVAL, "pauli acts on qubit %d (state has %d)",
				     63 - __builtin_clzll(used), s->n);
	return QCQ_OK;
}

enum qcq_status qs_calc_pauli(const struct qs_state *s, struct qs_pauli p, double *out,
			      struct qcq_error *err)
{
	enum qcq_status st = check_pauli(s, p, err);
	if (!st)
		*out = qs_pauli_unchecked(s, p);
	return st;
}

void qs_calc_probs(const struct qs_state *s, double *probs)
{
	size_t d = (size_t)1 << s->n;
	for (size_t i = 0; i < d; i++)
		probs[i] = s->kind == QS_PURE ? creal(s->amp[i]) * creal(s->amp[i]) +
							cimag(s->amp[i]) * cimag(s->amp[i])
					      : creal(s->amp[i + (i << s->n)]);
}

enum qcq_status qs_calc_bloch(const struct qs_state *s, int q, double v[3], struct qcq_error *err)
{
	enum qcq_status st = qs_check_qubits(s, &q, 1, "bloch", err);
	if (st)
		return st;
	uint64_t b = UINT64_C(1) << q;
	v[0] = qs_pauli_unchecked(s, (struct qs_pauli){b, 0});
	v[1] = qs_pauli_unchecked(s, (struct qs_pauli){b, b});
	v[2] = qs_pauli_unchecked(s, (struct qs_pauli){0, b});
	return QCQ_OK;
}

double qs_calc_trace(const struct qs_state *s)
{
	size_t d = (size_t)1 << s->n;
	double t = 0;
	for (size_t i = 0; i < d; i++)
		t += s->kind == QS_PURE ? creal(s->amp[i] * conj(s->amp[i]))
					: creal(s->amp[i + (i << s->n)]);
	return t;
}

double qs_calc_purity(const struct qs_state *s)
{
	if (s->kind == QS_PURE) {
		double t = qs_calc_trace(s);
		return t * t;
	}
	double p = 0; /* tr(rho^2) = sum |rho_rc|^2 for Hermitian rho */
	for (size_t i = 0; i < s->dim; i++)
		p += creal(s->amp[i]) * creal(s->amp[i]) + cimag(s->amp[i]) * cimag(s->amp[i]);
	return p;
}

static size_t search_cdf(const double *cdf, size_t d, double u)
{
	size_t lo = 0, hi = d - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static size_t read_out(size_t i, int n, const struct qs_readout *ro, struct qcq_rng *rng)
{
	for (int q = 0; q < n; q++) {
		double pf = (i >> q & 1) ? ro->p10 : ro->p01;
		if (pf > 0 && qcq_rng_uniform(rng) < pf)
			i ^= (size_t)1 << q;
	}
	return i;
}

enum qcq_status qs_sample(const struct qs_state *s, long shots, const struct qs_readout *ro,
			  struct qcq_rng *rng, double *counts, struct qcq_error *err)
{
	if (shots < 1 || shots > 1000000000L)
		return qcq_error_set(err, QCQ_EINVAL, "shots %ld out of range (1 to 1e9)", shots);
	if (ro && !(ro->p01 >= 0 && ro->p01 <= 1 && ro->p10 >= 0 && ro->p10 <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "readout probabilities %g, %g out of range [0, 1]",
				     ro->p01, ro->p10);
	size_t d = (size_t)1 << s->n;
	double *cdf = qcq_alloc_checked(d, sizeof(double), "sampling table", err);
	if (!cdf)
		return err ? err->code : QCQ_ENOMEM;
	qs_calc_probs(s, cdf);
	for (size_t i = 1; i < d; i++)
		cdf[i] += cdf[i - 1];
	double total = cdf[d - 1]; /* ~1; scaling u keeps round-off from biasing the tail */
	for (long k = 0; k < shots; k++) {
		size_t i = search_cdf(cdf, d, qcq_rng_uniform(rng) * total);
		if (ro)
			i = read_out(i, s->n, ro, rng);
		counts[i] += 1;
	}
	qcq_aligned_free(cdf);
	return QCQ_OK;
}

double qs_shots_estimate(double e, long shots, struct qcq_rng *rng)
{
	double pplus = 0.5 * (1 + e);
	long plus = 0;
	for (long k = 0; k < shots; k++)
		plus += qcq_rng_uniform(rng) < pplus;
	return (2.0 * (double)plus - (double)shots) / (double)shots;
}

enum qcq_status qs_calc_pauli_shots(const struct qs_state *s, struct qs_pauli p, long shots,
				    struct qcq_rng *rng, double *out, struct qcq_error *err)
{
	if (shots < 1 || shots > 1000000000L)
		return qcq_error_set(err, QCQ_EINVAL, "shots %ld out of range (1 to 1e9)", shots);
	enum qcq_status st = check_pauli(s, p, err);
	if (!st)
		*out = qs_shots_estimate(qs_pauli_unchecked(s, p), shots, rng);
	return st;
}

static enum qcq_status set_letter(struct qs_pauli *p, char c, int q, int n, struct qcq_error *err)
{
	if (q < 0 || q >= n)
		return qcq_error_set(err, QCQ_EINVAL, "pauli: qubit %d out of range (state has %d)",
				     q, n);
	uint64_t b = UINT64_C(1) << q;
	if ((p->x | p->z) & b)
		return qcq_error_set(err, QCQ_EINVAL, "pauli: qubit %d named twice", q);
	c = (char)toupper((unsigned char)c);
	if (c == 'X' || c == 'Y')
		p->x |= b;
	if (c == 'Z' || c == 'Y')
		p->z |= b;
	return QCQ_OK;
}

static bool is_label(const char *t)
{
	for (; *t; t++)
		if (!strchr("IXYZ", *t))
			return false;
	return true;
}

enum qcq_status qs_pauli_parse(const char *text, int n, struct qs_pauli *out,
			       struct qcq_error *err)
{
	struct qs_pauli p = {0, 0};
	size_t len = strlen(text);
	if (len == 0)
		return qcq_error_set(err, QCQ_EINVAL, "pauli: empty string");
	if (is_label(text)) {
		if ((int)len != n)
			return qcq_error_set(err, QCQ_EINVAL,
					     "pauli label '%s' has %zu letters (state has %d qubits)",
					     text, len, n);
		for (int q = 0; q < n; q++)
			if (text[len - 1 - (size_t)q] != 'I')
				set_letter(&p, text[len - 1 - (size_t)q], q, n, err);
		*out = p;
		return QCQ_OK;
	}
	const char *t = text;
	while (*t) {
		if (*t == ' ' || *t == '*') {
			t++;
			continue;
		}
		char c = (char)toupper((unsigned char)*t);
		if (!strchr("IXYZ", c) || !isdigit((unsigned char)t[1]))
			return qcq_error_set(err, QCQ_EINVAL,
					     "pauli '%s': expected X, Y, Z or I and a qubit at '%s'",
					     text, t);
		char *end;
		long q = strtol(t + 1, &end, 10);
		if (q > 64)
			q = 64;
		if (c != 'I') {
			enum qcq_status st = set_letter(&p, c, (int)q, n, err);
			if (st)
				return st;
		}
		t = end;
	}
	*out = p;
	return QCQ_OK;
}

void qs_pauli_format(struct qs_pauli p, char *buf, size_t size)
{
	size_t len = 0;
	if (size)
		buf[0] = 0;
	for (int q = 0; q < 64; q++) {
		uint64_t b = UINT64_C(1) << q;
		if (!((p.x | p.z) & b))
			continue;
		char c = (p.x & b) ? ((p.z & b) ? 'Y' : 'X') : 'Z';
		int w = snprintf(buf + len, size > len ? size - len : 0, "%c%d", c, q);
		len += (size_t)(w > 0 ? w : 0);
	}
	if (len == 0 && size)
		snprintf(buf, size, "I");
}
