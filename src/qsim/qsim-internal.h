/*
 * qsim/qsim-internal.h: what the qsim files share: the bit-twiddling kernels over a
 * raw vector of 2^nvec complex amplitudes and a few validation helpers. Kernels assert,
 * never validate: the public functions in state.c, gates.c, channels.c check first.
 */
#ifndef QCQ_QSIM_INTERNAL_H
#define QCQ_QSIM_INTERNAL_H

#include "qcq/qsim.h"

#include <assert.h>

typedef double complex cplx;

#ifndef CMPLX /* clang < 15 with glibc: no CMPLX; the sum is exact for finite parts */
#define CMPLX(x, y) ((double complex)((double)(x) + I * (double)(y)))
#endif

/* ---- kernels (kernels.c); cmask = bits that must all be 1 (controls), 0 = none */
/* 2x2 matrix m on target t of the entries whose control bits are set. */
void qs_kernel_1q(cplx *a, int nvec, int t, uint64_t cmask, const cplx m[4]);
/* diag(d0, d1) on t under controls. */
void qs_kernel_diag1(cplx *a, int nvec, int t, uint64_t cmask, cplx d0, cplx d1);
/* X on t under controls (CX, CCX). */
void qs_kernel_x(cplx *a, int nvec, int t, uint64_t cmask);
void qs_kernel_swap(cplx *a, int nvec, int q0, int q1);
/* Multiply by even when bits q0, q1 have equal values, else by odd (RZZ). */
void qs_kernel_zz(cplx *a, int nvec, int q0, int q1, cplx even, cplx odd);
/* Dense 2^k x 2^k matrix on qubits q[0..k-1] (k <= 4), local l = sum b(q[j]) 2^j. */
void qs_kernel_kq(cplx *a, int nvec, int k, const int *q, const cplx *m);
/* Zero every entry whose cmask bits are not all set. */
void qs_kernel_keep_controlled(cplx *a, int nvec, uint64_t cmask);

/* ---- gates.c */
/* Applies gate k to a vector of nvec qubits with the fast kernels; conj applies the
 * complex conjugate matrix (the bra half of a density matrix). No validation. */
void qs_kernel_gate(cplx *a, int nvec, enum qs_gate_kind k, const int *q, const double *ang,
		    bool cc);
/* Gate on a state (ket, and conj on the bra of a density matrix). No validation. */
void qs_gate_unchecked(struct qs_state *s, enum qs_gate_kind k, const int *q, const double *ang);
/* 2x2 target matrix of a 1-qubit or controlled gate. */
void qs_target_matrix(enum qs_gate_kind k, const double *ang, cplx m[4]);
/* Number of control qubits listed first (CX 1, CCX 2, SWAP and RZZ 0). */
int qs_gate_ncontrols(enum qs_gate_kind k);

/* ---- state.c validation helpers: 0 or an error */
enum qcq_status qs_check_qubits(const struct qs_state *s, const int *q, int nq, const char *what,
				struct qcq_error *err);
enum qcq_status qs_check_qubits_n(int n, const int *q, int nq, const char *what,
				  struct qcq_error *err);

/* ---- channels.c: superoperator of a Kraus set applied without checks */
void qs_kraus1_unchecked(struct qs_state *s, int q, const cplx (*kraus)[4], int nk);
void qs_depol1_unchecked(struct qs_state *s, int q, double p);
void qs_depol2_unchecked(struct qs_state *s, int q0, int q1, double p);
/* Amplitude damping(gamma) then phase damping(lambda) on q, as one 3-Kraus channel. */
void qs_damp_unchecked(struct qs_state *s, int q, double gamma, double lambda);

/* ---- calc.c */
double qs_pauli_unchecked(const struct qs_state *s, struct qs_pauli p);
/* out = P in on a pure vector of n qubits (out != in). */
void qs_pauli_apply_vec(cplx *out, const cplx *in, int n, struct qs_pauli p);
/* Mean of shots +-1 outcomes with P(+1) = (1 + e)/2. */
double qs_shots_estimate(double e, long shots, struct qcq_rng *rng);

/* ---- angle.c */
/* Parses an expression at text[0..len) and stops before a ',' or an unmatched ')' at the
 * top level, or at ';' / end; *used = characters consumed. allow_vars false rejects
 * x<i> and w<k> (QASM). On error *col is the 0-based offset of the problem. */
enum qcq_status qs_expr_parse(const char *text, size_t len, bool allow_vars,
			      struct qs_angle *out, size_t *used, size_t *col,
			      struct qcq_error *err);
/* Shortest text that reads back to v exactly ("0.1", "pi/2", "-3*pi/4"). */
void qs_format_number(double v, char *buf, size_t size);

/* ---- exec.c: run a circuit on a fresh state with numeric angles (ngates x 3) */
enum qcq_status qs_run_numeric(const struct qs_circuit *c, const double *ang,
			       const struct qs_noise *nm, struct qs_state **out,
			       struct qcq_error *err);
/* Numeric angles of every gate (ngates x 3) for x, w: malloc'ed. */
double *qs_circuit_angles(const struct qs_circuit *c, const double *x, const double *w);
/* Validation of a whole run (inputs, weights, shots, rng, noise, one observable). */
enum qcq_status qs_check_run(const struct qs_circuit *c, const double *x, const double *w,
			     const struct qs_noise *nm, long shots, struct qcq_rng *rng,
			     const struct qs_pauli *obs, struct qcq_error *err);
/* Applies gate g with numeric angles and the noise model after it. */
void qs_step_gate(struct qs_state *s, const struct qs_gate *g, const double *ang,
		  const struct qs_noise *nm);

#endif
