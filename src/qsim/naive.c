/*
 * qsim/naive.c: the dense reference twin of the gate kernels (STYLE 7). It embeds the
 * gate's 2^k matrix into a full 2^n x 2^n unitary entry by entry and multiplies:
 * psi' = U psi, rho' = U rho U^dag. Slow on purpose and independent of kernels.c, so
 * tests can compare the two on random states.
 */
#include "qsim-internal.h"

#include <stdlib.h>
#include <string.h>

/* Local index of basis state i on the gate's qubits. */
static size_t local_index(size_t i, const int *q, int k)
{
	size_t l = 0;
	for (int j = 0; j < k; j++)
		l |= ((i >> q[j]) & 1) << j;
	return l;
}

static cplx *full_unitary(int n, enum qs_gate_kind kind, const int *q, const double *ang)
{
	int k = qs_gate_info(kind)->nqubits;
	size_t d = (size_t)1 << n, kd = (size_t)1 << k, gmask = 0;
	cplx g[64];
	qs_gate_matrix(kind, ang, g);
	for (int j = 0; j < k; j++)
		gmask |= (size_t)1 << q[j];
	cplx *u = qcq_xcalloc(d * d, sizeof(cplx));
	for (size_t r = 0; r < d; r++)
		for (size_t c = 0; c < d; c++)
			if ((r & ~gmask) == (c & ~gmask))
				u[r * d + c] = g[local_index(r, q, k) * kd + local_index(c, q, k)];
	return u;
}

static void matvec(const cplx *u, cplx *v, size_t d)
{
	cplx *out = qcq_xcalloc(d, sizeof(cplx));
	for (size_t r = 0; r < d; r++)
		for (size_t c = 0; c < d; c++)
			out[r] += u[r * d + c] * v[c];
	memcpy(v, out, d * sizeof(cplx));
	free(out);
}

/* rho (column-major: rho[r][c] at r + c*d) <- U rho U^dag */
static void conjugate_density(const cplx *u, cplx *rho, size_t d)
{
	cplx *t = qcq_xcalloc(d * d, sizeof(cplx));
	for (size_t r = 0; r < d; r++)
		for (size_t c = 0; c < d; c++)
			for (size_t m = 0; m < d; m++)
				t[r + c * d] += u[r * d + m] * rho[m + c * d];
	for (size_t r = 0; r < d; r++)
		for (size_t c = 0; c < d; c++) {
			cplx s = 0;
			for (size_t m = 0; m < d; m++)
				s += t[r + m * d] * conj(u[c * d + m]);
			rho[r + c * d] = s;
		}
	free(t);
}

enum qcq_status qs_apply_gate_naive(struct qs_state *s, enum qs_gate_kind k, const int *qubits,
				    const double *angles, struct qcq_error *err)
{
	int max = s->kind == QS_DENSITY ? 6 : 12;
	if (s->n > max)
		return qcq_error_set(err, QCQ_ERANGE,
				     "naive gate path limited to %d qubits (state has %d)", max, s->n);
	if ((int)k < 0 || k >= QS_G_BARRIER)
		return qcq_error_set(err, QCQ_EINVAL, "unknown gate kind %d", (int)k);
	enum qcq_status st = qs_check_qubits(s, qubits, qs_gate_info(k)->nqubits,
					     qs_gate_info(k)->name, err);
	if (st)
		return st;
	size_t d = (size_t)1 << s->n;
	cplx *u = full_unitary(s->n, k, qubits, angles);
	if (s->kind == QS_PURE)
		matvec(u, s->amp, d);
	else
		conjugate_density(u, s->amp, d);
	free(u);
	return QCQ_OK;
}
