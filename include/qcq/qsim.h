/*
 * qsim: the quantum simulator of qcqlab.
 *
 * Pure states (state vectors) and mixed states (density matrices) in complex double,
 * the gate set of CONVENTIONS.md (Qiskit's definitions), noise channels, exact and
 * sampled expectation values of Pauli strings, a gate-list circuit IR whose angles are
 * small expressions of input features x[i] and trainable weights w[k], an executor
 * with a cursor (the workbench's gate-by-gate view), gradients (adjoint and parameter
 * shift) and OpenQASM 2.0 import/export.
 *
 * It is not the quanvolution filter nor the classifier layer (qml builds those on top
 * of this header) and it does not print: formatting functions fill buffers.
 *
 * Ordering (Qiskit little-endian, CONVENTIONS.md section 1): basis index
 * i = sum_q b_q 2^q, qubit 0 is the least significant bit. A basis state is labelled
 * with qubit n-1 leftmost, "|q1q0> = |01>" is index 1 (qubit 0 set). Pauli labels
 * without indices follow the same rule: "IZ" is Z on qubit 0. A 2-qubit gate matrix in
 * the local basis uses l = b(first qubit listed) + 2 b(second qubit listed).
 *
 * Density matrices are stored vectorised as a 2n-qubit vector: rho[r][c] is
 * amp[r + (c << n)] (column-major), so ket qubit q is vector qubit q and bra qubit q is
 * vector qubit q + n. A unitary U acts as U on the ket and conj(U) on the bra, so one
 * set of kernels serves both kinds of state.
 *
 * Errors: every fallible function validates its arguments before touching any state
 * and returns enum qcq_status with err filled (see core.h). Messages:
 *   "29 qubits is out of range for a state vector (1 to 28)" (before any allocation),
 *   "cx: qubit 5 out of range (state has 4)", "cx: duplicate qubit 1",
 *   "depolarizing probability 1.5 out of range [0, 1.33333]",
 *   "depolarizing needs a density matrix (state is pure)", ...
 * Kernels are single-threaded (the caller parallelises over states, e.g. patches).
 */
#ifndef QCQ_QSIM_H
#define QCQ_QSIM_H

#include "qcq/core.h"

#include <complex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- states */

#define QS_MAX_QUBITS_PURE 28    /* 2^28 amplitudes = 4 GiB */
#define QS_MAX_QUBITS_DENSITY 14 /* 4^14 entries = 4 GiB */

enum qs_kind { QS_PURE = 0, QS_DENSITY = 1 };

/* Fields are read-only for users; change a state only through qs_* functions. */
struct qs_state {
	int n;                /* qubits of the register */
	enum qs_kind kind;
	int nvec;             /* qubits of the stored vector: n (pure) or 2n (density) */
	size_t dim;           /* 2^nvec stored complex entries */
	double complex *amp;  /* 64-byte aligned */
};

/* A new state in |0...0> (or |0><0|). Rejects n < 1 or n over the maximum for its kind
 * (before allocating); QCQ_ENOMEM when the allocation fails. */
enum qcq_status qs_create(int n, enum qs_kind kind, struct qs_state **out, struct qcq_error *err);
void qs_destroy(struct qs_state *s);
/* A deep copy (same kind and size). */
enum qcq_status qs_clone(const struct qs_state *s, struct qs_state **out, struct qcq_error *err);
/* dst = src; both must have the same n and kind (asserted). */
void qs_copy(struct qs_state *dst, const struct qs_state *src);

/* Density-matrix element rho[r][c] (r, c < 2^n); for a pure state a[r] conj(a[c]). */
double complex qs_density_get(const struct qs_state *s, size_t r, size_t c);

/* ---------------------------------------------------------------- initialisation */

void qs_init_zero(struct qs_state *s);                     /* |0...0> */
enum qcq_status qs_init_basis(struct qs_state *s, uint64_t index, struct qcq_error *err);
void qs_init_plus(struct qs_state *s);                     /* |+...+> */
/* Pure: amplitudes (2^n, must have norm 1 within 1e-9). Density: rho = |psi><psi|. */
enum qcq_status qs_init_amps(struct qs_state *s, const double complex *amps,
			     struct qcq_error *err);
/* Density from a pure state with the same n (rho = |psi><psi|); pure dst copies. */
enum qcq_status qs_init_from(struct qs_state *dst, const struct qs_state *pure,
			     struct qcq_error *err);

/* ---------------------------------------------------------------- gates */

enum qs_gate_kind {
	QS_G_I, QS_G_H, QS_G_X, QS_G_Y, QS_G_Z, QS_G_S, QS_G_SDG, QS_G_T, QS_G_TDG, QS_G_SX,
	QS_G_RX, QS_G_RY, QS_G_RZ, QS_G_P, QS_G_U,
	QS_G_CX, QS_G_CY, QS_G_CZ, QS_G_SWAP, QS_G_CRX, QS_G_CRY, QS_G_CRZ, QS_G_CP, QS_G_RZZ,
	QS_G_CCX,
	QS_G_BARRIER, /* circuits only: no-op marker, all qubits */
	QS_G_COUNT
};

struct qs_gate_info {
	const char *name;  /* lower-case QASM name: "h", "rzz", "u" (= u3), "ccx" */
	int nqubits;       /* qubits listed: controls first, then targets */
	int nangles;       /* 0, 1 or 3 (U: theta, phi, lambda) */
};
const struct qs_gate_info *qs_gate_info(enum qs_gate_kind k);
/* By name, case-insensitive; also accepts u3, u1 (= p), cnot (= cx), id, toffoli, cphase.
 * Returns QS_G_COUNT when unknown. */
enum qs_gate_kind qs_gate_lookup(const char *name);
/* The 2^k x 2^k matrix (row-major, rows = output) in the local basis
 * l = b(q[0]) + 2 b(q[1]) + 4 b(q[2]). Not for QS_G_BARRIER. */
void qs_gate_matrix(enum qs_gate_kind k, const double *angles, double complex *m);

/*
 * Apply a gate. qubits has info->nqubits entries (control(s) first: CX(c, t), CCX(c1,
 * c2, t); CP, CRZ, RZZ likewise as listed), angles info->nangles entries in radians.
 * Rejects qubits out of range, duplicate qubits and non-finite angles.
 */
enum qcq_status qs_apply_gate(struct qs_state *s, enum qs_gate_kind k, const int *qubits,
			      const double *angles, struct qcq_error *err);
/* The dense reference twin: builds the full 2^n x 2^n unitary (pure n <= 12, density
 * n <= 6, else QCQ_ERANGE) and multiplies. Tests compare it with qs_apply_gate. */
enum qcq_status qs_apply_gate_naive(struct qs_state *s, enum qs_gate_kind k, const int *qubits,
				    const double *angles, struct qcq_error *err);
/* Arbitrary matrices (unitary or not: nothing renormalises). m is 2x2 / 4x4 row-major,
 * 2-qubit local basis l = b(q0) + 2 b(q1). */
enum qcq_status qs_apply_matrix1(struct qs_state *s, int q, const double complex m[4],
				 struct qcq_error *err);
enum qcq_status qs_apply_matrix2(struct qs_state *s, int q0, int q1, const double complex m[16],
				 struct qcq_error *err);

/* Named gates: thin wrappers over qs_apply_gate. */
enum qcq_status qs_apply_i(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_h(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_x(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_y(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_z(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_s(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_sdg(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_t(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_tdg(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_sx(struct qs_state *s, int q, struct qcq_error *err);
enum qcq_status qs_apply_rx(struct qs_state *s, int q, double theta, struct qcq_error *err);
enum qcq_status qs_apply_ry(struct qs_state *s, int q, double theta, struct qcq_error *err);
enum qcq_status qs_apply_rz(struct qs_state *s, int q, double theta, struct qcq_error *err);
enum qcq_status qs_apply_p(struct qs_state *s, int q, double lambda, struct qcq_error *err);
enum qcq_status qs_apply_u(struct qs_state *s, int q, double theta, double phi, double lambda,
			   struct qcq_error *err);
enum qcq_status qs_apply_cx(struct qs_state *s, int c, int t, struct qcq_error *err);
enum qcq_status qs_apply_cy(struct qs_state *s, int c, int t, struct qcq_error *err);
enum qcq_status qs_apply_cz(struct qs_state *s, int c, int t, struct qcq_error *err);
enum qcq_status qs_apply_swap(struct qs_state *s, int a, int b, struct qcq_error *err);
enum qcq_status qs_apply_crx(struct qs_state *s, int c, int t, double theta, struct qcq_error *err);
enum qcq_status qs_apply_cry(struct qs_state *s, int c, int t, double theta, struct qcq_error *err);
enum qcq_status qs_apply_crz(struct qs_state *s, int c, int t, double theta, struct qcq_error *err);
enum qcq_status qs_apply_cp(struct qs_state *s, int c, int t, double lambda, struct qcq_error *err);
enum qcq_status qs_apply_rzz(struct qs_state *s, int a, int b, double theta, struct qcq_error *err);

/* ---------------------------------------------------------------- channels (density only) */

/*
 * Channels act on density matrices only (QCQ_ESTATE on a pure state); p = 0 is a no-op.
 * Depolarizing in Qiskit's parameterisation: rho -> (1-p) rho + p tr_q(rho) (x) I/2^k,
 * 0 <= p <= 4^k/(4^k-1) (k = 1: 4/3, k = 2: 16/15). Amplitude damping (gamma; Kraus
 * [[1,0],[0,sqrt(1-g)]], [[0,sqrt g],[0,0]]) and phase damping (lambda; Kraus
 * [[1,0],[0,sqrt(1-l)]], [[0,0],[0,sqrt l]]) are Qiskit's amplitude_damping_error(g)
 * and phase_damping_error(l); bit flip and phase flip (X or Z with probability p). All
 * four take p in [0, 1].
 */
enum qcq_status qs_mix_depolarizing(struct qs_state *s, int q, double p, struct qcq_error *err);
enum qcq_status qs_mix_depolarizing2(struct qs_state *s, int q0, int q1, double p,
				     struct qcq_error *err);
enum qcq_status qs_mix_amplitude_damping(struct qs_state *s, int q, double gamma,
					 struct qcq_error *err);
enum qcq_status qs_mix_phase_damping(struct qs_state *s, int q, double lambda,
				     struct qcq_error *err);
enum qcq_status qs_mix_bit_flip(struct qs_state *s, int q, double p, struct qcq_error *err);
enum qcq_status qs_mix_phase_flip(struct qs_state *s, int q, double p, struct qcq_error *err);
/* General 1-qubit channel rho -> sum_k K_k rho K_k^dag, nk in 1..16 Kraus 2x2 matrices
 * (not checked for completeness). */
enum qcq_status qs_mix_kraus1(struct qs_state *s, int q, const double complex (*kraus)[4],
			      int nk, struct qcq_error *err);

/* Readout error: a measured 0 reads as 1 with p01, a 1 reads as 0 with p10. Used by
 * qs_sample and qs_readout_probs; the state is never changed. */
struct qs_readout {
	double p01, p10;
};
/* Turns exact basis probabilities (2^n) into read-out probabilities, in place. */
enum qcq_status qs_readout_probs(double *probs, int n, const struct qs_readout *ro,
				 struct qcq_error *err);

/* ---------------------------------------------------------------- Pauli strings */

/* P = prod_q P_q; bit q of x and z: I (0,0), X (1,0), Z (0,1), Y (1,1). */
struct qs_pauli {
	uint64_t x, z;
};
/*
 * Parses "Z0", "Z0Z1", "X2 Y0", "z0*z1" (indexed form) or a Qiskit label of exactly n
 * letters from IXYZ ("IZ" = Z on qubit 0). Rejects other letters, qubits >= n,
 * a qubit named twice and the empty string.
 */
enum qcq_status qs_pauli_parse(const char *text, int n, struct qs_pauli *out,
			       struct qcq_error *err);
/* Indexed form "Z0Z1" ("I" for the identity) into buf. */
void qs_pauli_format(struct qs_pauli p, char *buf, size_t size);

/* ---------------------------------------------------------------- calculations */

/* <P> = <psi|P|psi> or tr(P rho), real; rejects Pauli qubits >= n. */
enum qcq_status qs_calc_pauli(const struct qs_state *s, struct qs_pauli p, double *out,
			      struct qcq_error *err);
/* Basis probabilities (2^n entries). */
void qs_calc_probs(const struct qs_state *s, double *probs);
/* Bloch vector (<X>, <Y>, <Z>) of qubit q. */
enum qcq_status qs_calc_bloch(const struct qs_state *s, int q, double v[3], struct qcq_error *err);
double qs_calc_purity(const struct qs_state *s); /* tr(rho^2); 1 for a pure state */
double qs_calc_trace(const struct qs_state *s);  /* <psi|psi> or tr(rho) */

/*
 * Sampling. qs_sample draws shots basis outcomes from the state's probabilities (with
 * readout error if ro is not NULL) and ADDS them to counts (2^n doubles). shots in
 * 1..1e9. Deterministic for a given rng state.
 */
enum qcq_status qs_sample(const struct qs_state *s, long shots, const struct qs_readout *ro,
			  struct qcq_rng *rng, double *counts, struct qcq_error *err);
/* Finite-shot estimate of <P>: a +-1 outcome per shot with P(+1) = (1 + <P>)/2, which is
 * the exact distribution of measuring P; mean of shots outcomes. */
enum qcq_status qs_calc_pauli_shots(const struct qs_state *s, struct qs_pauli p, long shots,
				    struct qcq_rng *rng, double *out, struct qcq_error *err);

/* ---------------------------------------------------------------- angle expressions */

/*
 * An angle is a short postfix program over constants, pi, input features x[i] and
 * weights w[k] with + - * / ^, unary minus and sin cos tan exp ln sqrt. Constant parts
 * are folded when built, so "pi/2" is one token and "2*(pi-x0)*(pi-x1)" is nine.
 * Derivatives with respect to any x[i] or w[k] are exact (forward-mode dual numbers).
 */
#define QS_ANGLE_MAX_TOKENS 20

enum qs_tok_op {
	QS_T_CONST, QS_T_X, QS_T_W, QS_T_ADD, QS_T_SUB, QS_T_MUL, QS_T_DIV, QS_T_POW, QS_T_NEG,
	QS_T_SIN, QS_T_COS, QS_T_TAN, QS_T_EXP, QS_T_LN, QS_T_SQRT,
};
struct qs_tok {
	uint8_t op;     /* enum qs_tok_op */
	uint32_t index; /* QS_T_X, QS_T_W */
	double c;       /* QS_T_CONST */
};
struct qs_angle {
	int ntok;
	struct qs_tok tok[QS_ANGLE_MAX_TOKENS];
};

struct qs_angle qs_angle_const(double c);
struct qs_angle qs_angle_x(uint32_t i, double scale); /* scale * x[i] */
struct qs_angle qs_angle_w(uint32_t k);               /* w[k] */
/*
 * Parses "0.5", "-pi/4", "pi*x3", "x[3]", "2*(pi-x0)*(pi-x1)", "w2", "sin(x0)^2".
 * Identifiers other than pi, x<i>, w<k> and the functions are rejected, as are
 * unbalanced parentheses, trailing text, more than QS_ANGLE_MAX_TOKENS tokens and
 * indices over 1e6. On error *col (if not NULL) is the 1-based column of the problem.
 */
enum qcq_status qs_angle_parse(const char *text, struct qs_angle *out, int *col,
			       struct qcq_error *err);
/* Infix text ("2*(pi-x0)*(pi-x1)"); constants with %.17g unless a multiple of pi/k. */
void qs_angle_format(const struct qs_angle *a, char *buf, size_t size);
/* x, w may be NULL when the angle does not use them (asserted). */
double qs_angle_eval(const struct qs_angle *a, const double *x, const double *w);
/* d angle / d x[index] (wrt_weight false) or d angle / d w[index] (true). */
double qs_angle_diff(const struct qs_angle *a, const double *x, const double *w, bool wrt_weight,
		     uint32_t index);
bool qs_angle_is_const(const struct qs_angle *a);
/* Largest x index + 1 and w index + 1 used (0 if none). */
void qs_angle_vars(const struct qs_angle *a, uint32_t *nx, uint32_t *nw);

/* ---------------------------------------------------------------- circuits */

/*
 * One gate. angle points at its qs_gate_info(kind)->nangles angles (NULL for none),
 * owned by the circuit. The last of them is stored with only its ntok tokens (a
 * million-gate QASM file must not take a kilobyte a gate), so angles are read through
 * pointers (&g->angle[j]) and never copied whole.
 */
struct qs_gate {
	enum qs_gate_kind kind;
	int q[3];
	const struct qs_angle *angle;
};

/* The gate-list IR. Fields read-only; build with qs_circuit_*. */
struct qs_circuit {
	int nqubits;
	int nclbits;           /* classical bits (from QASM creg or measure) */
	uint32_t ninputs;      /* x[0 .. ninputs-1] used by angles */
	uint32_t nweights;     /* w[0 .. nweights-1] */
	size_t ngates, cap;
	struct qs_gate *gates;
	size_t nmeas;          /* final measurements: qubit meas_q[i] -> clbit meas_c[i] */
	int *meas_q, *meas_c;
};

#define QS_MAX_CIRCUIT_GATES 1000000

/* A circuit over n qubits (1..QS_MAX_QUBITS_PURE), no gates. */
enum qcq_status qs_circuit_create(int n, struct qs_circuit **out, struct qcq_error *err);
void qs_circuit_destroy(struct qs_circuit *c);
enum qcq_status qs_circuit_clone(const struct qs_circuit *c, struct qs_circuit **out,
				 struct qcq_error *err);
/* Appends a gate (validates qubits, duplicates, the number of angles; grows
 * ninputs/nweights from the angles). angles may be NULL for gates without angles. */
enum qcq_status qs_circuit_add(struct qs_circuit *c, enum qs_gate_kind k, const int *qubits,
			       const struct qs_angle *angles, struct qcq_error *err);
/* Convenience: constant angles. */
enum qcq_status qs_circuit_addc(struct qs_circuit *c, enum qs_gate_kind k, const int *qubits,
				const double *angles, struct qcq_error *err);
enum qcq_status qs_circuit_measure(struct qs_circuit *c, int q, int clbit, struct qcq_error *err);
/* "ry(pi*x0) q[1]" or with values bound "ry(pi*x0 = 0.9425) q[1]" (x, w may be NULL). */
void qs_gate_format(const struct qs_gate *g, const double *x, const double *w, char *buf,
		    size_t size);
/*
 * A text diagram, one row per qubit (qubit 0 on top), one column per gate:
 *   q0: -[H]--*--[RY]-
 *   q1: -[H]--X-------
 * mark >= 0 draws a '^' under column mark (the gate just applied). Returns a malloc'ed
 * string (caller frees). Wide circuits are wrapped at width columns (>= 40).
 */
char *qs_circuit_draw(const struct qs_circuit *c, long mark, int width);

/* ---------------------------------------------------------------- noise model */

/*
 * The paper's model: depolarizing(p1) on the qubit after every 1-qubit gate (I included),
 * depolarizing(p2, 2) on both qubits after every 2-qubit gate; CCX gets none.
 * Then, after every gate (1-, 2- and 3-qubit alike), amplitude damping(gamma) and phase
 * damping(lambda) on each qubit the gate acts on, in the parameterisation of Qiskit's
 * amplitude_damping_error / phase_damping_error (the Kraus operators of
 * qs_mix_amplitude_damping and qs_mix_phase_damping): a |1> population decays to
 * (1-gamma) of itself, a coherence rho01 to sqrt((1-gamma)(1-lambda)) of itself. The two
 * commute, so their order does not matter. Barriers get no noise.
 * Readout error applies to sampling. Zero gate noise (p1 = p2 = gamma = lambda = 0) is
 * noiseless: pure-state simulation. A zero-initialised struct is noiseless.
 */
struct qs_noise {
	double p1, p2;            /* depolarizing, [0, 4/3] and [0, 16/15] */
	struct qs_readout readout;
	double gamma, lambda;     /* amplitude and phase damping, [0, 1] */
};
bool qs_noise_is_zero(const struct qs_noise *nm); /* NULL counts as zero; readout ignored */
/* Rejects fields out of range: "noise gamma 2 out of range [0, 1]". NULL is valid. */
enum qcq_status qs_noise_check(const struct qs_noise *nm, struct qcq_error *err);
/* "depolarizing p1=0.01 p2=0.02, damping gamma=0.1 lambda=0" (readout too if set), or
 * "noiseless"; the kinds that are all zero are left out. NULL is noiseless. */
void qs_noise_describe(const struct qs_noise *nm, char *buf, size_t size);

/* ---------------------------------------------------------------- executor */

/*
 * The executor owns a copy of the circuit, the bound inputs x and weights w (zero until
 * set), the state at the cursor (pure when the noise model is zero, else a density
 * matrix with noise after each gate) and snapshots so that going back replays from the
 * nearest saved state instead of from the start. The cursor counts gates applied,
 * 0..ngates.
 */
struct qs_exec;

enum qcq_status qs_exec_create(const struct qs_circuit *c, const struct qs_noise *nm,
			       struct qs_exec **out, struct qcq_error *err);
void qs_exec_destroy(struct qs_exec *e);
const struct qs_circuit *qs_exec_circuit(const struct qs_exec *e);
const struct qs_noise *qs_exec_noise(const struct qs_exec *e);
/* Bind inputs/weights (n must equal circuit ninputs / nweights); the cursor stays and
 * the state is recomputed. */
enum qcq_status qs_exec_set_inputs(struct qs_exec *e, const double *x, size_t n,
				   struct qcq_error *err);
enum qcq_status qs_exec_set_weights(struct qs_exec *e, const double *w, size_t n,
				    struct qcq_error *err);
const double *qs_exec_inputs(const struct qs_exec *e);
const double *qs_exec_weights(const struct qs_exec *e);
/* Moves; steps past the end or before 0 stop there (the number moved is returned in
 * *moved if not NULL). goto rejects k > ngates. */
enum qcq_status qs_exec_step(struct qs_exec *e, size_t n, size_t *moved, struct qcq_error *err);
enum qcq_status qs_exec_back(struct qs_exec *e, size_t n, size_t *moved, struct qcq_error *err);
enum qcq_status qs_exec_goto(struct qs_exec *e, size_t k, struct qcq_error *err);
enum qcq_status qs_exec_run(struct qs_exec *e, struct qcq_error *err);
void qs_exec_reset(struct qs_exec *e);
size_t qs_exec_cursor(const struct qs_exec *e);
const struct qs_state *qs_exec_state(const struct qs_exec *e);
/* The gate just applied (index cursor-1) or NULL at 0; label as qs_gate_format with the
 * bound values. */
const struct qs_gate *qs_exec_last_gate(const struct qs_exec *e);
void qs_exec_last_label(const struct qs_exec *e, char *buf, size_t size);

/* ---------------------------------------------------------------- whole-circuit runs */

/*
 * Runs circuit c with inputs x and weights w from |0...0> (pure if the noise model is
 * zero, else density) and returns <P_j> for each Pauli (np of them): exact when
 * shots == 0, else the finite-shot estimate with rng (required then).
 */
enum qcq_status qs_circuit_expect(const struct qs_circuit *c, const double *x, const double *w,
				  const struct qs_noise *nm, const struct qs_pauli *obs, int np,
				  long shots, struct qcq_rng *rng, double *out,
				  struct qcq_error *err);

/*
 * Gradients of E = <P> with respect to inputs (dx: c->ninputs entries) and weights
 * (dw: c->nweights), each may be NULL; written, not accumulated. *value gets E.
 * Adjoint: pure, exact, one forward and one backward sweep (about 3 circuit costs).
 * Shift: parameter-shift rule per gate occurrence (two terms for RX RY RZ P U RZZ
 * CP, four for CRX CRY CRZ), chain rule through the angle expressions; works with noise
 * and with shots (each shifted circuit then sampled with rng).
 */
enum qcq_status qs_grad_adjoint(const struct qs_circuit *c, const double *x, const double *w,
				struct qs_pauli obs, double *value, double *dx, double *dw,
				struct qcq_error *err);
enum qcq_status qs_grad_shift(const struct qs_circuit *c, const double *x, const double *w,
			      const struct qs_noise *nm, struct qs_pauli obs, long shots,
			      struct qcq_rng *rng, double *value, double *dx, double *dw,
			      struct qcq_error *err);

/* ---------------------------------------------------------------- OpenQASM 2.0 */

/*
 * Import: OPENQASM 2.0; include "qelib1.inc"; qreg/creg (several, concatenated in
 * order), the gates of this header plus u1 u2 u3 cu1 id cnot, register broadcasting
 * (h q; cx a,b;), barrier, measure (final measurements only: no gate may follow a
 * measured qubit), constant expressions with pi, + - * / ^ and sin cos tan exp ln sqrt.
 * gate definitions (as Qiskit's qasm2.dumps writes them for composite gates):
 * "gate name(p0, p1) a, b { ... }" or "gate name a { ... }", up to 16 parameters and 16
 * qubits; the body calls built-ins, u2 and earlier definitions on the formal qubit names
 * (no indexing), and barrier; its angles use the parameter names. A call expands the body
 * inline (broadcasting as for built-ins). A definition is checked when read, even if never
 * called; one whose name is a built-in gate (e.g. "gate rzz(t) a, b { ... }") must have
 * the built-in's parameter and qubit counts and is otherwise ignored: calls use the
 * built-in. Limits: 256 definitions, nesting 32 deep, 65536 body statements plus
 * parameters, 100000 gates added by expansion in all (checked before expanding). Errors
 * in a body name the gate, and the call when they appear only at call time: "line 3,
 * col 5: in gate 'f' called at line 9, col 1: rz: parameter 1 is not finite (inf)".
 * Rejected with "line L, col C: message": syntax errors, unknown gates, opaque, if, reset,
 * index out of range, mid-circuit measurement. Never crashes.
 */
enum qcq_status qs_qasm_parse(const char *text, size_t len, struct qs_circuit **out,
			      struct qcq_error *err);
enum qcq_status qs_qasm_load(const char *path, struct qs_circuit **out, struct qcq_error *err);
/*
 * Export with angles evaluated at x, w (NULL allowed when the circuit has no inputs /
 * weights); a symbolic angle gets its expression as a trailing comment. One qreg q,
 * one creg c when there are measurements. Returns a malloc'ed string.
 */
enum qcq_status qs_qasm_format(const struct qs_circuit *c, const double *x, const double *w,
			       char **out, struct qcq_error *err);
enum qcq_status qs_qasm_save(const struct qs_circuit *c, const double *x, const double *w,
			     const char *path, struct qcq_error *err);

#endif
