/*
 * qsim/channels.c: noise channels on density matrices (qs_mix_*), built as
 * superoperators S = sum_k K_k (x) conj(K_k) and applied by the dense k-qubit kernel to
 * the ket and bra copies of the qubits (vector qubits q and q + n). Depolarizing uses
 * Qiskit's parameterisation (CONVENTIONS.md section 8) through its Pauli-Kraus form.
 * Readout error lives here too: it changes probabilities, never the state.
 */
#include "qsim-internal.h"

#include <math.h>
#include <string.h>

static const cplx pauli_m[4][4] = {
	{1, 0, 0, 1}, {0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1},
};

/* S[(a + 2b)][(a' + 2b')] = sum_k K[a][a'] conj(K[b][b']) on (q, q + n). */
void qs_kraus1_unchecked(struct qs_state *s, int q, const cplx (*kraus)[4], int nk)
{
	cplx S[16] = {0};
	for (int k = 0; k < nk; k++)
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++)
				S[r * 4 + c] += kraus[k][(r & 1) * 2 + (c & 1)] *
						conj(kraus[k][(r >> 1) * 2 + (c >> 1)]);
	int qv[2] = {q, q + s->n};
	qs_kernel_kq(s->amp, s->nvec, 2, qv, S);
}

void qs_depol1_unchecked(struct qs_state *s, int q, double p)
{
	cplx K[4][4];
	double w0 = sqrt(1 - 0.75 * p), w = sqrt(0.25 * p);
	for (int k = 0; k < 4; k++)
		for (int j = 0; j < 4; j++)
			K[k][j] = (k ? w : w0) * pauli_m[k][j];
	qs_kraus1_unchecked(s, q, (const cplx(*)[4])K, 4);
}

/* Two-qubit Pauli-Kraus: identity weight 1 - 15p/16, the 15 others p/16; the 16x16
 * superoperator acts on vector qubits (q0, q1, q0 + n, q1 + n). */
void qs_depol2_unchecked(struct qs_state *s, int q0, int q1, double p)
{
	cplx S[256] = {0};
	for (int pa = 0; pa < 4; pa++)
		for (int pb = 0; pb < 4; pb++) {
			double wt = (pa == 0 && pb == 0) ? 1 - 15.0 * p / 16 : p / 16;
			cplx K[16];
			for (int r = 0; r < 4; r++)
				for (int c = 0; c < 4; c++)
					K[r * 4 + c] = pauli_m[pa][(r & 1) * 2 + (c & 1)] *
						       pauli_m[pb][(r >> 1) * 2 + (c >> 1)];
			for (int r = 0; r < 16; r++)
				for (int c = 0; c < 16; c++)
					S[r * 16 + c] += wt * K[(r & 3) * 4 + (c & 3)] *
							 conj(K[(r >> 2) * 4 + (c >> 2)]);
		}
	int qv[4] = {q0, q1, q0 + s->n, q1 + s->n};
	qs_kernel_kq(s->amp, s->nvec, 4, qv, S);
}

/*
 * Amplitude damping A0 = [[1,0],[0,sqrt(1-g)]], A1 = [[0,sqrt g],[0,0]] (Qiskit's
 * amplitude_damping_error), then phase damping P0 = [[1,0],[0,sqrt(1-l)]],
 * P1 = [[0,0],[0,sqrt l]] (phase_damping_error). The products P_i A_j are the Kraus set of
 * the composition; P1 A1 = 0, so three remain and the state is swept once.
 */
void qs_damp_unchecked(struct qs_state *s, int q, double g, double l)
{
	double a = sqrt(fmax(0, 1 - g)), b = sqrt(fmax(0, 1 - l));
	const cplx K[3][4] = {
		{1, 0, 0, a * b},                /* P0 A0 */
		{0, sqrt(fmax(0, g)), 0, 0},     /* P0 A1 = A1 */
		{0, 0, 0, a * sqrt(fmax(0, l))}, /* P1 A0 */
	};
	qs_kraus1_unchecked(s, q, K, 3);
}

static enum qcq_status check_mix(const struct qs_state *s, const int *q, int nq, double p,
				 double pmax, const char *name, struct qcq_error *err)
{
	if (s->kind != QS_DENSITY)
		return qcq_error_set(err, QCQ_ESTATE, "%s needs a density matrix (state is pure)",
				     name);
	enum qcq_status st = qs_check_qubits(s, q, nq, name, err);
	if (st)
		return st;
	if (!(p >= 0 && p <= pmax))
		return qcq_error_set(err, QCQ_EINVAL, "%s probability %g out of range [0, %g]",
				     name, p, pmax);
	return QCQ_OK;
}

enum qcq_status qs_mix_depolarizing(struct qs_state *s, int q, double p, struct qcq_error *err)
{
	enum qcq_status st = check_mix(s, &q, 1, p, 4.0 / 3, "depolarizing", err);
	if (!st && p > 0)
		qs_depol1_unchecked(s, q, p);
	return st;
}

enum qcq_status qs_mix_depolarizing2(struct qs_state *s, int q0, int q1, double p,
				     struct qcq_error *err)
{
	int q[2] = {q0, q1};
	enum qcq_status st = check_mix(s, q, 2, p, 16.0 / 15, "depolarizing2", err);
	if (!st && p > 0)
		qs_depol2_unchecked(s, q0, q1, p);
	return st;
}

static enum qcq_status mix_two_kraus(struct qs_state *s, int q, double p, const char *name,
				     const cplx k0[4], const cplx k1[4], struct qcq_error *err)
{
	enum qcq_status st = check_mix(s, &q, 1, p, 1, name, err);
	if (st || p == 0)
		return st;
	cplx K[2][4];
	memcpy(K[0], k0, sizeof K[0]);
	memcpy(K[1], k1, sizeof K[1]);
	qs_kraus1_unchecked(s, q, (const cplx(*)[4])K, 2);
	return QCQ_OK;
}

enum qcq_status qs_mix_amplitude_damping(struct qs_state *s, int q, double g,
					 struct qcq_error *err)
{
	cplx k0[4] = {1, 0, 0, sqrt(fmax(0, 1 - g))}, k1[4] = {0, sqrt(fmax(0, g)), 0, 0};
	return mix_two_kraus(s, q, g, "amplitude damping", k0, k1, err);
}

enum qcq_status qs_mix_phase_damping(struct qs_state *s, int q, double l, struct qcq_error *err)
{
	cplx k0[4] = {1, 0, 0, sqrt(fmax(0, 1 - l))}, k1[4] = {0, 0, 0, sqrt(fmax(0, l))};
	return mix_two_kraus(s, q, l, "phase damping", k0, k1, err);
}

enum qcq_status qs_mix_bit_flip(struct qs_state *s, int q, double p, struct qcq_error *err)
{
	double a = sqrt(fmax(0, 1 - p)), b = sqrt(fmax(0, p));
	cplx k0[4] = {a, 0, 0, a}, k1[4] = {0, b, b, 0};
	return mix_two_kraus(s, q, p, "bit flip", k0, k1, err);
}

enum qcq_status qs_mix_phase_flip(struct qs_state *s, int q, double p, struct qcq_error *err)
{
	double a = sqrt(fmax(0, 1 - p)), b = sqrt(fmax(0, p));
	cplx k0[4] = {a, 0, 0, a}, k1[4] = {b, 0, 0, -b};
	return mix_two_kraus(s, q, p, "phase flip", k0, k1, err);
}

enum qcq_status qs_mix_kraus1(struct qs_state *s, int q, const double complex (*kraus)[4],
			      int nk, struct qcq_error *err)
{
	if (nk < 1 || nk > 16)
		return qcq_error_set(err, QCQ_EINVAL, "kraus: %d operators (1 to 16)", nk);
	enum qcq_status st = check_mix(s, &q, 1, 0, 1, "kraus", err);
	if (st)
		return st;
	qs_kraus1_unchecked(s, q, kraus, nk);
	return QCQ_OK;
}

enum qcq_status qs_readout_probs(double *probs, int n, const struct qs_readout *ro,
				 struct qcq_error *err)
{
	if (!(ro->p01 >= 0 && ro->p01 <= 1 && ro->p10 >= 0 && ro->p10 <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "readout probabilities %g, %g out of range [0, 1]",
				     ro->p01, ro->p10);
	if (n < 1 || n > QS_MAX_QUBITS_PURE)
		return qcq_error_set(err, QCQ_ERANGE, "readout: %d qubits out of range", n);
	size_t d = (size_t)1 << n;
	/* bit by bit: (P0, P1) <- ((1-p01) P0 + p10 P1, p01 P0 + (1-p10) P1) */
	for (int q = 0; q < n; q++) {
		size_t st = (size_t)1 << q;
		for (size_t i = 0; i < d; i++) {
			if (i & st)
				continue;
			double a = probs[i], b = probs[i | st];
			probs[i] = (1 - ro->p01) * a + ro->p10 * b;
			probs[i | st] = ro->p01 * a + (1 - ro->p10) * b;
		}
	}
	return QCQ_OK;
}
