/*
 * qsim/state.c: creating, copying and initialising states, and the qubit validation
 * every public qsim function shares. A density matrix is a 2n-qubit vector with
 * rho[r][c] at r + (c << n) (see qsim.h).
 */
#include "qsim-internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum qcq_status qs_check_qubits_n(int n, const int *q, int nq, const char *what,
				  struct qcq_error *err)
{
	for (int j = 0; j < nq; j++) {
		if (q[j] < 0 || q[j] >= n)
			return qcq_error_set(err, QCQ_EINVAL, "%s: qubit %d out of range (state has %d)",
					     what, q[j], n);
		for (int i = 0; i < j; i++)
			if (q[i] == q[j])
				return qcq_error_set(err, QCQ_EINVAL, "%s: duplicate qubit %d", what,
						     q[j]);
	}
	return QCQ_OK;
}

enum qcq_status qs_check_qubits(const struct qs_state *s, const int *q, int nq, const char *what,
				struct qcq_error *err)
{
	return qs_check_qubits_n(s->n, q, nq, what, err);
}

enum qcq_status qs_create(int n, enum qs_kind kind, struct qs_state **out, struct qcq_error *err)
{
	int max = kind == QS_DENSITY ? QS_MAX_QUBITS_DENSITY : QS_MAX_QUBITS_PURE;
	const char *what = kind == QS_DENSITY ? "density matrix" : "state vector";
	if (kind != QS_PURE && kind != QS_DENSITY)
		return qcq_error_set(err, QCQ_EINVAL, "unknown state kind %d", (int)kind);
	if (n < 1 || n > max)
		return qcq_error_set(err, QCQ_ERANGE,
				     "%d qubits is out of range for a %s (1 to %d)", n, what, max);
	int nvec = kind == QS_DENSITY ? 2 * n : n;
	size_t dim = (size_t)1 << nvec;
	cplx *amp = qcq_alloc_checked(dim, sizeof(cplx), what, err);
	if (!amp)
		return err ? err->code : QCQ_ENOMEM;
	struct qs_state *s = qcq_xcalloc(1, sizeof *s);
	*s = (struct qs_state){.n = n, .kind = kind, .nvec = nvec, .dim = dim, .amp = amp};
	s->amp[0] = 1;
	*out = s;
	return QCQ_OK;
}

void qs_destroy(struct qs_state *s)
{
	if (!s)
		return;
	qcq_aligned_free(s->amp);
	free(s);
}

enum qcq_status qs_clone(const struct qs_state *s, struct qs_state **out, struct qcq_error *err)
{
	struct qs_state *c;
	enum qcq_status st = qs_create(s->n, s->kind, &c, err);
	if (st)
		return st;
	qs_copy(c, s);
	*out = c;
	return QCQ_OK;
}

void qs_copy(struct qs_state *dst, const struct qs_state *src)
{
	assert(dst->n == src->n && dst->kind == src->kind);
	memcpy(dst->amp, src->amp, sizeof(cplx) * src->dim);
}

double complex qs_density_get(const struct qs_state *s, size_t r, size_t c)
{
	assert(r < ((size_t)1 << s->n) && c < ((size_t)1 << s->n));
	if (s->kind == QS_PURE)
		return s->amp[r] * conj(s->amp[c]);
	return s->amp[r + (c << s->n)];
}

void qs_init_zero(struct qs_state *s)
{
	memset(s->amp, 0, sizeof(cplx) * s->dim);
	s->amp[0] = 1;
}

enum qcq_status qs_init_basis(struct qs_state *s, uint64_t index, struct qcq_error *err)
{
	uint64_t d = UINT64_C(1) << s->n;
	if (index >= d)
		return qcq_error_set(err, QCQ_EINVAL,
				     "basis index %llu out of range (state has %llu)",
				     (unsigned long long)index, (unsigned long long)d);
	memset(s->amp, 0, sizeof(cplx) * s->dim);
	s->amp[s->kind == QS_DENSITY ? index + (index << s->n) : index] = 1;
	return QCQ_OK;
}

void qs_init_plus(struct qs_state *s)
{
	/* |+..+> has every amplitude 2^{-n/2}; its density matrix every entry 2^{-n} */
	double v = s->kind == QS_DENSITY ? ldexp(1.0, -s->n) : sqrt(ldexp(1.0, -s->n));
	for (size_t i = 0; i < s->dim; i++)
		s->amp[i] = v;
}

static void outer_product(struct qs_state *s, const cplx *psi)
{
	size_t d = (size_t)1 << s->n;
	for (size_t c = 0; c < d; c++)
		for (size_t r = 0; r < d; r++)
			s->amp[r + (c << s->n)] = psi[r] * conj(psi[c]);
}

enum qcq_status qs_init_amps(struct qs_state *s, const double complex *amps,
			     struct qcq_error *err)
{
	size_t d = (size_t)1 << s->n;
	double norm = 0;
	for (size_t i = 0; i < d; i++) {
		if (!isfinite(creal(amps[i])) || !isfinite(cimag(amps[i])))
			return qcq_error_set(err, QCQ_ENUMERIC, "amplitude %zu is not finite", i);
		norm += creal(amps[i]) * creal(amps[i]) + cimag(amps[i]) * cimag(amps[i]);
	}
	if (fabs(norm - 1) > 1e-9)
		return qcq_error_set(err, QCQ_EINVAL, "amplitudes have norm^2 %.12g, not 1", norm);
	if (s->kind == QS_PURE)
		memcpy(s->amp, amps, sizeof(cplx) * d);
	else
		outer_product(s, amps);
	return QCQ_OK;
}

enum qcq_status qs_init_from(struct qs_state *dst, const struct qs_state *pure,
			     struct qcq_error *err)
{
	if (pure->kind != QS_PURE)
		return qcq_error_set(err, QCQ_EINVAL, "source state must be pure");
	if (pure->n != dst->n)
		return qcq_error_set(err, QCQ_EINVAL, "source has %d qubits, destination %d",
				     pure->n, dst->n);
	if (dst->kind == QS_PURE)
		qs_copy(dst, pure);
	else
		outer_product(dst, pure->amp);
	return QCQ_OK;
}
