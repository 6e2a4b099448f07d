/*
 * qsim/gates.c: the gate set (names, matrices as in CONVENTIONS.md section 2, which are
 * Qiskit's) and its application to states through the fast kernels: diagonal gates as
 * phases, X-like gates as swaps, the rest as 2x2 matrices on the target under controls.
 * The dense reference path lives in naive.c.
 */
#include "qsim-internal.h"

#include <math.h>
#include <string.h>
#include <strings.h>

static const struct qs_gate_info gate_table[QS_G_COUNT] = {
	[QS_G_I] = {"id", 1, 0},     [QS_G_H] = {"h", 1, 0},      [QS_G_X] = {"x", 1, 0},
	[QS_G_Y] = {"y", 1, 0},      [QS_G_Z] = {"z", 1, 0},      [QS_G_S] = {"s", 1, 0},
	[QS_G_SDG] = {"sdg", 1, 0},  [QS_G_T] = {"t", 1, 0},      [QS_G_TDG] = {"tdg", 1, 0},
	[QS_G_SX] = {"sx", 1, 0},    [QS_G_RX] = {"rx", 1, 1},    [QS_G_RY] = {"ry", 1, 1},
	[QS_G_RZ] = {"rz", 1, 1},    [QS_G_P] = {"p", 1, 1},      [QS_G_U] = {"u", 1, 3},
	[QS_G_CX] = {"cx", 2, 0},    [QS_G_CY] = {"cy", 2, 0},    [QS_G_CZ] = {"cz", 2, 0},
	[QS_G_SWAP] = {"swap", 2, 0}, [QS_G_CRX] = {"crx", 2, 1}, [QS_G_CRY] = {"cry", 2, 1},
	[QS_G_CRZ] = {"crz", 2, 1},  [QS_G_CP] = {"cp", 2, 1},    [QS_G_RZZ] = {"rzz", 2, 1},
	[QS_G_CCX] = {"ccx", 3, 0},  [QS_G_BARRIER] = {"barrier", 0, 0},
};

const struct qs_gate_info *qs_gate_info(enum qs_gate_kind k)
{
	assert(k >= 0 && k < QS_G_COUNT);
	return &gate_table[k];
}

enum qs_gate_kind qs_gate_lookup(const char *name)
{
	static const struct { const char *name; enum qs_gate_kind k; } extra[] = {
		{"i", QS_G_I}, {"u3", QS_G_U}, {"u1", QS_G_P}, {"cnot", QS_G_CX},
		{"toffoli", QS_G_CCX}, {"cphase", QS_G_CP}, {"cu1", QS_G_CP},
	};
	for (int k = 0; k < QS_G_COUNT; k++)
		if (strcasecmp(name, gate_table[k].name) == 0)
			return (enum qs_gate_kind)k;
	for (size_t j = 0; j < sizeof extra / sizeof extra[0]; j++)
		if (strcasecmp(name, extra[j].name) == 0)
			return extra[j].k;
	return QS_G_COUNT;
}

int qs_gate_ncontrols(enum qs_gate_kind k)
{
	switch (k) {
	case QS_G_CX: case QS_G_CY: case QS_G_CZ: case QS_G_CRX: case QS_G_CRY: case QS_G_CRZ:
	case QS_G_CP:
		return 1;
	case QS_G_CCX:
		return 2;
	default:
		return 0;
	}
}

static void set2(cplx m[4], cplx a, cplx b, cplx c, cplx d)
{
	m[0] = a, m[1] = b, m[2] = c, m[3] = d;
}

/* U3(t, p, l) = [[cos(t/2), -e^{il} sin(t/2)], [e^{ip} sin(t/2), e^{i(p+l)} cos(t/2)]] */
static void u3_matrix(double t, double p, double l, cplx m[4])
{
	/* e^{i(p+l)} as e^{ip} e^{il}: p + l rounds away l when |p| is huge (found by
	 * fuzzing: the matrix was then not unitary) */
	double c = cos(t / 2), s = sin(t / 2);
	cplx ep = cexp(I * p), el = cexp(I * l);
	set2(m, c, -el * s, ep * s, ep * el * c);
}

void qs_target_matrix(enum qs_gate_kind k, const double *ang, cplx m[4])
{
	const double r2 = M_SQRT1_2;
	double c = ang ? cos(ang[0] / 2) : 0, s = ang ? sin(ang[0] / 2) : 0;
	switch (k) {
	case QS_G_I: set2(m, 1, 0, 0, 1); break;
	case QS_G_H: set2(m, r2, r2, r2, -r2); break;
	case QS_G_X: case QS_G_CX: case QS_G_CCX: set2(m, 0, 1, 1, 0); break;
	case QS_G_Y: case QS_G_CY: set2(m, 0, -I, I, 0); break;
	case QS_G_Z: case QS_G_CZ: set2(m, 1, 0, 0, -1); break;
	case QS_G_S: set2(m, 1, 0, 0, I); break;
	case QS_G_SDG: set2(m, 1, 0, 0, -I); break;
	case QS_G_T: set2(m, 1, 0, 0, CMPLX(r2, r2)); break;
	case QS_G_TDG: set2(m, 1, 0, 0, CMPLX(r2, -r2)); break;
	case QS_G_SX: set2(m, CMPLX(0.5, 0.5), CMPLX(0.5, -0.5), CMPLX(0.5, -0.5), CMPLX(0.5, 0.5)); break;
	case QS_G_RX: case QS_G_CRX: set2(m, c, -I * s, -I * s, c); break;
	case QS_G_RY: case QS_G_CRY: set2(m, c, -s, s, c); break;
	case QS_G_RZ: case QS_G_CRZ: set2(m, CMPLX(c, -s), 0, 0, CMPLX(c, s)); break;
	case QS_G_P: case QS_G_CP: set2(m, 1, 0, 0, cexp(I * ang[0])); break;
	case QS_G_U: u3_matrix(ang[0], ang[1], ang[2], m); break;
	default: assert(!"no 2x2 target matrix"); break;
	}
}

/* Full 2^k matrix: controlled gates put the target matrix on the control = 1 block. */
void qs_gate_matrix(enum qs_gate_kind k, const double *ang, cplx *m)
{
	int nq = gate_table[k].nqubits, d = 1 << nq;
	assert(nq >= 1);
	memset(m, 0, sizeof(cplx) * (size_t)(d * d));
	if (k == QS_G_SWAP || k == QS_G_RZZ) {
		for (int l = 0; l < 4; l++) {
			int r = k == QS_G_SWAP ? ((l & 1) << 1 | l >> 1) : l;
			int odd = (l ^ l >> 1) & 1;
			m[r * 4 + l] = k == QS_G_SWAP ? 1 : cexp(I * (odd ? 0.5 : -0.5) * ang[0]);
		}
		return;
	}
	cplx u[4];
	qs_target_matrix(k, ang, u);
	int nc = qs_gate_ncontrols(k), cm = (1 << nc) - 1;
	for (int l = 0; l < d; l++)
		if ((l & cm) != cm)
			m[l * d + l] = 1;
	int t = 1 << nc; /* target bit in the local index */
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 2; b++)
			m[(cm | a * t) * d + (cm | b * t)] = u[a * 2 + b];
}

static cplx cj(cplx z, bool cc) { return cc ? conj(z) : z; }

void qs_kernel_gate(cplx *a, int nvec, enum qs_gate_kind k, const int *q, const double *ang,
		    bool cc)
{
	int nc = qs_gate_ncontrols(k);
	uint64_t cm = 0;
	for (int j = 0; j < nc; j++)
		cm |= UINT64_C(1) << q[j];
	int t = q[nc];
	cplx m[4];
	switch (k) {
	case QS_G_I: case QS_G_BARRIER: return;
	case QS_G_X: case QS_G_CX: case QS_G_CCX: qs_kernel_x(a, nvec, t, cm); return;
	case QS_G_SWAP: qs_kernel_swap(a, nvec, q[0], q[1]); return;
	case QS_G_RZZ:
		qs_kernel_zz(a, nvec, q[0], q[1], cj(cexp(-0.5 * I * ang[0]), cc),
		       cj(cexp(0.5 * I * ang[0]), cc));
		return;
	case QS_G_Z: case QS_G_S: case QS_G_SDG: case QS_G_T: case QS_G_TDG: case QS_G_RZ:
	case QS_G_P: case QS_G_CZ: case QS_G_CRZ: case QS_G_CP:
		qs_target_matrix(k, ang, m);
		qs_kernel_diag1(a, nvec, t, cm, cj(m[0], cc), cj(m[3], cc));
		return;
	default:
		qs_target_matrix(k, ang, m);
		for (int j = 0; j < 4; j++)
			m[j] = cj(m[j], cc);
		qs_kernel_1q(a, nvec, t, cm, m);
		return;
	}
}

void qs_gate_unchecked(struct qs_state *s, enum qs_gate_kind k, const int *q, const double *ang)
{
	qs_kernel_gate(s->amp, s->nvec, k, q, ang, false);
	if (s->kind == QS_DENSITY) {
		int qb[3];
		for (int j = 0; j < gate_table[k].nqubits; j++)
			qb[j] = q[j] + s->n;
		qs_kernel_gate(s->amp, s->nvec, k, qb, ang, true);
	}
}

static enum qcq_status check_gate(const struct qs_state *s, enum qs_gate_kind k, const int *q,
				  const double *ang, struct qcq_error *err)
{
	if ((int)k < 0 || k >= QS_G_BARRIER)
		return qcq_error_set(err, QCQ_EINVAL, "unknown gate kind %d", (int)k);
	const struct qs_gate_info *gi = &gate_table[k];
	enum qcq_status st = qs_check_qubits(s, q, gi->nqubits, gi->name, err);
	if (st)
		return st;
	for (int j = 0; j < gi->nangles; j++)
		if (!isfinite(ang[j]))
			return qcq_error_set(err, QCQ_ENUMERIC, "%s: angle %d is not finite",
					     gi->name, j);
	return QCQ_OK;
}

enum qcq_status qs_apply_gate(struct qs_state *s, enum qs_gate_kind k, const int *qubits,
			      const double *angles, struct qcq_error *err)
{
	enum qcq_status st = check_gate(s, k, qubits, angles, err);
	if (st)
		return st;
	qs_gate_unchecked(s, k, qubits, angles);
	return QCQ_OK;
}

enum qcq_status qs_apply_matrix1(struct qs_state *s, int q, const cplx m[4], struct qcq_error *err)
{
	enum qcq_status st = qs_check_qubits(s, &q, 1, "matrix", err);
	if (st)
		return st;
	qs_kernel_1q(s->amp, s->nvec, q, 0, m);
	if (s->kind == QS_DENSITY) {
		cplx c[4] = {conj(m[0]), conj(m[1]), conj(m[2]), conj(m[3])};
		qs_kernel_1q(s->amp, s->nvec, q + s->n, 0, c);
	}
	return QCQ_OK;
}

enum qcq_status qs_apply_matrix2(struct qs_state *s, int q0, int q1, const cplx m[16],
				 struct qcq_error *err)
{
	int q[2] = {q0, q1};
	enum qcq_status st = qs_check_qubits(s, q, 2, "matrix", err);
	if (st)
		return st;
	qs_kernel_kq(s->amp, s->nvec, 2, q, m);
	if (s->kind == QS_DENSITY) {
		cplx c[16];
		for (int j = 0; j < 16; j++)
			c[j] = conj(m[j]);
		int qb[2] = {q0 + s->n, q1 + s->n};
		qs_kernel_kq(s->amp, s->nvec, 2, qb, c);
	}
	return QCQ_OK;
}

#define APPLY0(fn, K)                                                                    \
	enum qcq_status fn(struct qs_state *s, int q, struct qcq_error *err)             \
	{                                                                                \
		return qs_apply_gate(s, K, &q, NULL, err);                               \
	}
#define APPLY1(fn, K)                                                                    \
	enum qcq_status fn(struct qs_state *s, int q, double a, struct qcq_error *err)   \
	{                                                                                \
		return qs_apply_gate(s, K, &q, &a, err);                                 \
	}
#define APPLY2(fn, K)                                                                    \
	enum qcq_status fn(struct qs_state *s, int c, int t, struct qcq_error *err)      \
	{                                                                                \
		int q[2] = {c, t};                                                       \
		return qs_apply_gate(s, K, q, NULL, err);                                \
	}
#define APPLY2A(fn, K)                                                                   \
	enum qcq_status fn(struct qs_state *s, int c, int t, double a, struct qcq_error *err) \
	{                                                                                \
		int q[2] = {c, t};                                                       \
		return qs_apply_gate(s, K, q, &a, err);                                  \
	}

APPLY0(qs_apply_i, QS_G_I)
APPLY0(qs_apply_h, QS_G_H)
APPLY0(qs_apply_x, QS_G_X)
APPLY0(qs_apply_y, QS_G_Y)
APPLY0(qs_apply_z, QS_G_Z)
APPLY0(qs_apply_s, QS_G_S)
APPLY0(qs_apply_sdg, QS_G_SDG)
APPLY0(qs_apply_t, QS_G_T)
APPLY0(qs_apply_tdg, QS_G_TDG)
APPLY0(qs_apply_sx, QS_G_SX)
APPLY1(qs_apply_rx, QS_G_RX)
APPLY1(qs_apply_ry, QS_G_RY)
APPLY1(qs_apply_rz, QS_G_RZ)
APPLY1(qs_apply_p, QS_G_P)
APPLY2(qs_apply_cx, QS_G_CX)
APPLY2(qs_apply_cy, QS_G_CY)
APPLY2(qs_apply_cz, QS_G_CZ)
APPLY2(qs_apply_swap, QS_G_SWAP)
APPLY2A(qs_apply_crx, QS_G_CRX)
APPLY2A(qs_apply_cry, QS_G_CRY)
APPLY2A(qs_apply_crz, QS_G_CRZ)
APPLY2A(qs_apply_cp, QS_G_CP)
APPLY2A(qs_apply_rzz, QS_G_RZZ)

enum qcq_status qs_apply_u(struct qs_state *s, int q, double theta, double phi, double lambda,
			   struct qcq_error *err)
{
	double a[3] = {theta, phi, lambda};
	return qs_apply_gate(s, QS_G_U, &q, a, err);
}
