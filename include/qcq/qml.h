/*
 * qml: the quantum parts of the QCQ-CNN that are more than a simulator.
 *
 *  - the quanvolution filter (struct qml_filter): a fixed k x k-patch circuit applied
 *    to whole batches of images, RY(pi*x) angle encoding, <Z_j> of every qubit as output
 *    channels. Fast path: the Heisenberg picture (each <Z_j> compiled once into real
 *    Pauli coefficients, then evaluated per patch in float32 SIMD) for up to
 *    QML_HEIS_MAX_QUBITS qubits, a batched float32 state-vector path above that, and a
 *    gate-by-gate double `_naive` twin that the tests hold them against.
 *  - the same filter with trainable angles (struct qml_tfilter): forward and exact
 *    gradients of its angles over whole batches (Heisenberg picture, filter-grad.c),
 *    with an adjoint state-vector `_naive` twin.
 *  - the trainable 2-qubit quantum classifier layer (struct qml_qlayer):
 *    ZZFeatureMap(x; reps 2, full) + RealAmplitudes(theta; depth r), output <Z0> or
 *    <Z0 Z1>; forward/backward over a batch; exact adjoint path, density-matrix path
 *    with depolarizing noise and a shot-sampled path (parameter shift).
 *  - the K-class classifier of a K-class qcq-cnn (qml_mc_probs): Born probabilities
 *    of the first K basis states of ceil(log2 K) qubits, adjoint gradients.
 *  - circuit templates returning struct qs_circuit (see the templates section).
 *
 * Not here: the simulator itself (qsim.h), layers other than the quantum one (nn.h),
 * caching of quanvolved features (data.h; it keys on qml_filter_hash).
 *
 * Conventions: Qiskit's (little-endian qubit order, Qiskit's gate matrices). Images are
 * float32 row-major (h, w); outputs float32 NCHW.
 */
#ifndef QCQ_QML_H
#define QCQ_QML_H

#include "qcq/core.h"

/* ================================================================ gates of a filter */

/*
 * A gate with constant angles, as a filter holds it. name is the lower-case OpenQASM
 * (qelib1) name; q[0..nq-1] are its qubits in QASM argument order (controls first);
 * for a multi-qubit matrix the local basis index is sum_m b_{q[m]} 2^m (Qiskit).
 * Known names: id h x y z s sdg t tdg sx (0 params), rx ry rz p (1), u (3: theta phi
 * lambda), cx cy cz swap (0), crx cry crz cp rzz (1), ccx (0).
 */
#define QML_GATE_MAX_QUBITS 3
struct qml_gate {
	char name[8];
	int nq;
	int q[QML_GATE_MAX_QUBITS];
	int nparam;
	double param[3];
};

/*
 * Fills g from a name, qubits and params (copies nq and nparam from the gate table).
 * Rejects unknown names, a wrong number of qubits or params, repeated qubits and
 * non-finite params. Qubit range is checked by whoever knows the register size.
 */
enum qcq_status qml_gate_make(struct qml_gate *g, const char *name, const int *q, int nq,
			      const double *param, int nparam, struct qcq_error *err);

/* Writes "rx(0.7) q[0]" / "cx q[1],q[2]" into buf (always NUL-terminated). */
void qml_gate_format(const struct qml_gate *g, char *buf, size_t size);

/* ================================================================ the quanvolution filter */

struct qml_filter;

#define QML_FILTER_MAX_PATCH 3   /* k <= 3: 9 qubits */
#define QML_FILTER_MAX_GATES 4096
#define QML_HEIS_MAX_QUBITS 5    /* Heisenberg table 3^n per output up to here */

/*
 * A filter from an explicit gate list acting on k*k qubits (wire j = patch pixel
 * (j / k, j % k), CONVENTIONS section 3). Rejects k outside 1..QML_FILTER_MAX_PATCH,
 * stride < 1 or > 64, more than QML_FILTER_MAX_GATES gates and gates whose qubits are
 * outside 0..k*k-1. name (may be NULL) labels it for display. The gates are copied.
 */
enum qcq_status qml_filter_create(struct qml_filter **out, int k, int stride,
				  const struct qml_gate *gates, int ngates, const char *name,
				  struct qcq_error *err);

/*
 * PennyLane's RandomLayers algorithm (CONVENTIONS section 4: ratio_imprim 0.3, CNOT
 * entangler, rotations RX/RY/RZ, `layers` layers of k*k rotations each, weights
 * uniform in [0, 2 pi)) on k*k wires -- the same algorithm, but driven by qcq_rng
 * (xoshiro256**), NOT numpy's stream: the same seed gives a different circuit than
 * PennyLane. The structure is drawn from qcq_rng_split(seed, 1), the weights from
 * qcq_rng_split(seed, 2). With k = 1 (one wire) entangler draws are skipped.
 * Rejects layers outside 1..64 and what qml_filter_create rejects.
 */
enum qcq_status qml_filter_create_random(struct qml_filter **out, int k, int stride, int layers,
					 uint64_t seed, struct qcq_error *err);

/*
 * The PennyLane quanvolution demo's filter (2x2, stride 2): the seed-42 RandomLayers
 * gate list derived for PennyLane generation 'A' (<= 0.9), 'B' (0.10 .. 0.28) or 'C'
 * (>= 0.29), with the demo weights (CONVENTIONS section 4). Rejects other letters.
 */
enum qcq_status qml_filter_create_pennylane(struct qml_filter **out, char generation,
					    struct qcq_error *err);

void qml_filter_destroy(struct qml_filter *f);

int qml_filter_patch(const struct qml_filter *f);  /* k */
int qml_filter_stride(const struct qml_filter *f);
int qml_filter_qubits(const struct qml_filter *f); /* k*k = number of output channels */
int qml_filter_ngates(const struct qml_filter *f);
const struct qml_gate *qml_filter_gate(const struct qml_filter *f, int i);
const char *qml_filter_name(const struct qml_filter *f);
/* qcq_hash over a versioned serialisation of k, stride and the gate list (not the
 * name): equal hashes = equal features, for caching quanvolved data. */
uint64_t qml_filter_hash(const struct qml_filter *f);
/* Whether the features are worth a disk cache: false for the Heisenberg path (as fast
 * to compute as to read back), true for the state-vector path. */
bool qml_filter_cache_pays(const struct qml_filter *f);
/* "heisenberg" or "statevector": the path qml_filter_apply takes. */
const char *qml_filter_path_name(const struct qml_filter *f);

/*
 * Output size for an (h, w) image: oh = (h - k)/stride + 1, ow likewise (patches that
 * do not fit are dropped, as range(0, 28, 2) in the demo). Rejects h or w < k and
 * h, w > 65536.
 */
enum qcq_status qml_filter_out_dims(const struct qml_filter *f, int h, int w, int *oh, int *ow,
				    struct qcq_error *err);

/*
 * Quanvolve n images (n, h, w) float32 into out (n, k*k, oh, ow) NCHW float32, channel
 * j = <Z_j>. Uses the fast path (Heisenberg or batched state vector), float32, agreeing
 * with the naive path to about 1e-6. pool may be NULL (calling thread only); images
 * are split over its threads. Pixels are meant to be in [0, 1]; any |x| < 2^22 is
 * handled exactly as pi*x, larger values give unspecified finite results.
 * Rejects n < 0 and what qml_filter_out_dims rejects; n = 0 does nothing.
 */
enum qcq_status qml_filter_apply(const struct qml_filter *f, const float *images, long n, int h,
				 int w, float *out, struct qcq_pool *pool, struct qcq_error *err);

/* Force a fast path, for benchmarks and tests: */
enum qml_filter_path { QML_PATH_AUTO, QML_PATH_HEISENBERG, QML_PATH_STATEVEC };
/* Like qml_filter_apply with a chosen path; QML_PATH_HEISENBERG is rejected
 * (QCQ_EUNSUPPORTED) for filters over QML_HEIS_MAX_QUBITS qubits. */
enum qcq_status qml_filter_apply_path(const struct qml_filter *f, enum qml_filter_path path,
				      const float *images, long n, int h, int w, float *out,
				      struct qcq_pool *pool, struct qcq_error *err);

/* The naive twin: gate-by-gate state-vector simulation in double, one patch at a time,
 * single-threaded. Same arguments and checks as qml_filter_apply. */
enum qcq_status qml_filter_apply_naive(const struct qml_filter *f, const float *images, long n,
				       int h, int w, float *out, struct qcq_error *err);

/* One patch, naive, double: x[k*k] (wire order) -> z[k*k] = <Z_j>. */
void qml_filter_patch_naive(const struct qml_filter *f, const double *x, double *z);

/* ================================================================ the trainable filter */

/*
 * The filter's angles as parameters: every angle of every gate, in gate order (one for
 * rx ry rz p crx cry crz cp rzz, three for u: theta phi lambda; none for fixed gates).
 */
int qml_filter_nangles(const struct qml_filter *f);
void qml_filter_angles(const struct qml_filter *f, double *theta);
/* A new filter: f's patch, stride and gates with the angles theta (qml_filter_nangles
 * of them), named name (NULL: f's name). Rejects non-finite angles. */
enum qcq_status qml_filter_with_angles(const struct qml_filter *f, const double *theta,
				       const char *name, struct qml_filter **out,
				       struct qcq_error *err);

/*
 * Forward and exact gradients of a filter whose angles change (a model trains them),
 * for (h, w) images. Made once (allocates); then set_angles / forward / backward do
 * not allocate. Exact in the Heisenberg picture (filter-grad.c): the coefficient table
 * of the current angles and its derivative are compiled in double (Pauli transfer
 * matrices, reverse mode over the gates), patches are evaluated in float32 SIMD as
 * qml_filter_apply does. Rejects filters over 2x2 patches (QCQ_EUNSUPPORTED) and
 * images smaller than the patch.
 */
struct qml_tfilter;
enum qcq_status qml_tfilter_create(struct qml_tfilter **out, const struct qml_filter *f, int h,
				   int w, struct qcq_error *err);
void qml_tfilter_destroy(struct qml_tfilter *t);
int qml_tfilter_nangles(const struct qml_tfilter *t);
/* Compiles the table for theta (nangles floats); a no-op when theta is what it holds.
 * Must be called before the first forward. */
void qml_tfilter_set_angles(struct qml_tfilter *t, const float *theta);
/* out (n, k*k, oh, ow) <- the filter with the current angles over images (n, h, w). */
void qml_tfilter_forward(struct qml_tfilter *t, float *out, const float *images, long n);
/* dtheta (nangles) += sum over images, patches and channels j of dout * d<Z_j>/dtheta at
 * the current angles; dout is (n, k*k, oh, ow) like forward's out. */
void qml_tfilter_backward(struct qml_tfilter *t, float *dtheta, const float *dout,
			  const float *images, long n);
/* The naive twin: a double state vector per patch and the adjoint method over the
 * gates, at f's own angles; dtheta (nangles) += the same sum. Rejects n < 0, filters
 * over 2x2 and what qml_filter_out_dims rejects. */
enum qcq_status qml_filter_backward_naive(const struct qml_filter *f, const float *images,
					  long n, int h, int w, const float *dout, double *dtheta,
					  struct qcq_error *err);

/* ================================================================ the quantum classifier layer */

enum qml_observable { QML_OBS_Z0 = 0, QML_OBS_ZZ = 1 }; /* <Z0> (paper) or <Z0 Z1> */

#define QML_QLAYER_MAX_DEPTH 8

/* Number of trainable angles of RealAmplitudes(2 qubits, depth reps) = 2 (depth + 1). */
static inline int qml_qlayer_nparams(int depth) { return 2 * (depth + 1); }

/*
 * Double-precision reference functions for one input (CONVENTIONS sections 5-9):
 * circuit = ZZFeatureMap(x; reps 2, full) then RealAmplitudes(theta; depth).
 *
 * qml_classifier_expect: exact (pure state) expectation of obs; if dx / dtheta are
 * not NULL they receive d/dx[2] and d/dtheta[2(depth+1)] (adjoint method; written,
 * not accumulated). depth must be 1..QML_QLAYER_MAX_DEPTH (asserted).
 */
double qml_classifier_expect(const double x[2], const double *theta, int depth,
			     enum qml_observable obs, double *dx, double *dtheta);
/* The final state: amp[2*i] + i*amp[2*i+1], i = b0 + 2 b1 (4 amplitudes). */
void qml_classifier_state(const double x[2], const double *theta, int depth, double amp[8]);
/*
 * The same classifier with no entangling gate (the ablation control of model
 * qcq-cnn-noent): each ZZ block CX(0,1) P(phi) q1 CX(0,1) = [P(phi) q0 P(phi) q1]
 * CP(-2 phi) keeps its local part P(phi) on both qubits and drops the controlled
 * phase; RealAmplitudes keeps its 2 (depth + 1) RY angles and drops its CX. Exact,
 * adjoint gradients; arguments as qml_classifier_expect. qml_circuit_classifier_product
 * builds the same circuit for qsim.
 */
double qml_classifier_product_expect(const double x[2], const double *theta, int depth,
				     enum qml_observable obs, double *dx, double *dtheta);
/*
 * Density-matrix expectation with depolarizing(p1, 1) after every 1-qubit gate and
 * depolarizing(p2, 2) after every CX (CONVENTIONS section 8); gradients (if dx, dtheta
 * are not NULL) by parameter shift over every gate occurrence of each variable.
 * 0 <= p1 <= 4/3, 0 <= p2 <= 16/15 (asserted).
 */
double qml_classifier_expect_noisy(const double x[2], const double *theta, int depth,
				   enum qml_observable obs, double p1, double p2, double *dx,
				   double *dtheta);

/*
 * The layer: configuration validated once, then forward/backward that cannot fail
 * and do not allocate. Mode:
 *   shots == 0 and p1 == p2 == 0: exact, adjoint gradients (the fast path);
 *   p1 or p2 > 0: density matrix, parameter-shift gradients;
 *   shots > 0: each expectation (forward and every shifted circuit of backward) is
 *   estimated from `shots` samples of the +-1 observable (binomial, drawn with the
 *   layer's qcq_rng seeded from seed), on top of noise if any.
 */
struct qml_qlayer_config {
	int depth;                 /* RealAmplitudes reps, 1..8 */
	enum qml_observable obs;
	double p1, p2;             /* depolarizing; 0 = off */
	long shots;                /* 0 = exact; else 1..QML_QLAYER_MAX_SHOTS */
	uint64_t seed;             /* for shots */
};
#define QML_QLAYER_MAX_SHOTS 100000000L

struct qml_qlayer {
	struct qml_qlayer_config cfg;
	int nparams;
	struct qcq_rng rng;
};

/* Rejects depth outside 1..8, p1 outside [0, 4/3], p2 outside [0, 16/15], shots < 0
 * or over QML_QLAYER_MAX_SHOTS, and an unknown observable. */
enum qcq_status qml_qlayer_init(struct qml_qlayer *L, const struct qml_qlayer_config *cfg,
				struct qcq_error *err);

/*
 * out (B) <- f(inp[b*2 .. b*2+1]; theta) for b < B. theta has L->nparams entries.
 * Computed in double, stored as float. Advances L->rng in shots mode only.
 */
void qml_qlayer_forward(struct qml_qlayer *L, float *out, const float *inp, const float *theta,
			int B);
/*
 * Given dout (B): dtheta (nparams) += sum_b dout[b] df/dtheta; dinp (B, 2) =
 * dout[b] df/dx (written, not accumulated; dinp may be NULL when not needed).
 * Recomputes the forward state (cheap at 2 qubits), so it needs only inp and theta.
 */
void qml_qlayer_backward(struct qml_qlayer *L, float *dinp, float *dtheta, const float *dout,
			 const float *inp, const float *theta, int B);

/* ================================================================ the K-class classifier */

/*
 * The quantum classifier of a K-class qcq-cnn (K = 3..QML_MC_MAX_CLASSES; the binary
 * model keeps qml_qlayer): n = qml_mc_qubits(K) = max(2, ceil(log2 K)) qubits,
 * ZZFeatureMap(x; n, reps 2, full) + RealAmplitudes(theta; n, depth, reverse_linear)
 * (qml_circuit_classifier(n, 2, depth, QML_ENT_REVERSE_LINEAR) is the same circuit), read
 * out as the Born probabilities p[k] = |<k|psi>|^2 of the basis states k < K (Qiskit's
 * little-endian index). Exact (pure state). n inputs, n (depth + 1) angles.
 *
 * qml_mc_probs: p (K entries); when g is not NULL, dx (n) and dtheta (n (depth + 1)),
 * either may be NULL, receive the gradient of sum_k g[k] p[k] (one adjoint sweep; written,
 * not accumulated). depth 1..QML_QLAYER_MAX_DEPTH (asserted, as K).
 */
#define QML_MC_MAX_CLASSES 32
#define QML_MC_MAX_QUBITS 5
int qml_mc_qubits(int nclasses);
static inline int qml_mc_nparams(int nclasses, int depth)
{
	return qml_mc_qubits(nclasses) * (depth + 1);
}
void qml_mc_probs(int nclasses, int depth, const double *x, const double *theta, double *p,
		  const double *g, double *dx, double *dtheta);

/* ================================================================ circuit templates */

/*
 * Builders of struct qs_circuit (qsim.h). The append forms (qml_tpl_*) add gates to an
 * existing circuit c, reading inputs from x[x_offset ...] and weights from
 * w[w_offset ...], so templates compose (the classifier = ZZ map + RealAmplitudes);
 * the create forms (qml_circuit_*) make a new circuit with offsets 0. A failed append
 * may leave some gates appended (build into a fresh circuit when that matters; the
 * create forms free it on failure). All check n against c->nqubits first.
 */
struct qs_circuit;

enum qml_entanglement { QML_ENT_FULL, QML_ENT_LINEAR, QML_ENT_REVERSE_LINEAR };
/* "full" | "linear" | "reverse_linear"; rejects anything else. */
enum qcq_status qml_entanglement_parse(const char *text, enum qml_entanglement *out,
				       struct qcq_error *err);
const char *qml_entanglement_name(enum qml_entanglement e);

#define QML_TPL_MAX_QUBITS 24
#define QML_TPL_MAX_REPS 64

/* RY(pi * x[x_offset + q]) on qubit q, q < n (the quanvolution encoding). */
enum qcq_status qml_tpl_angle_encoding(struct qs_circuit *c, int n, uint32_t x_offset,
				       struct qcq_error *err);
/*
 * Qiskit ZZFeatureMap(n, reps, entanglement), default data map (CONVENTIONS 5): per rep
 * H on all, P(2 x_i) on i, then per pair (i, j) of the entanglement CX(i,j)
 * P(2 (pi - x_i)(pi - x_j)) on j CX(i,j). Pairs: full = all i<j lexicographic, linear =
 * (0,1) .. (n-2,n-1), reverse_linear = (n-2,n-1) .. (0,1). n 1..24, reps 1..64.
 */
enum qcq_status qml_tpl_zz_feature_map(struct qs_circuit *c, int n, int reps,
				       enum qml_entanglement ent, uint32_t x_offset,
				       struct qcq_error *err);
/*
 * Qiskit RealAmplitudes(n, reps, entanglement) (CONVENTIONS 6): layer k = 0..reps uses
 * RY(w[w_offset + k n + q]) on q, a CX per entanglement pair between layers (none after
 * the last); n (reps + 1) weights. n 1..24, reps 0..64.
 */
enum qcq_status qml_tpl_real_amplitudes(struct qs_circuit *c, int n, int reps,
					enum qml_entanglement ent, uint32_t w_offset,
					struct qcq_error *err);
/*
 * QCNN blocks (Cong, Choi, Lukin 2019 style), exactly as in the Qiskit Machine Learning
 * QCNN tutorial, so that a reader can compare:
 *   conv(a, b; w0..w2) = RZ(-pi/2) b; CX(b,a); RZ(w0) a; RY(w1) b; CX(a,b); RY(w2) b;
 *                        CX(b,a); RZ(pi/2) a
 *   pool(src, snk; w0..w2) = RZ(-pi/2) snk; CX(snk,src); RZ(w0) src; RY(w1) snk;
 *                            CX(src,snk); RY(w2) snk
 * A conv layer over qubits q[0..n-1] (n even >= 2) applies conv to (q0,q1), (q2,q3), ...
 * then to (q1,q2), (q3,q4), ..., (q[n-1], q0): 3n weights (n = 2: (q0,q1), (q1,q0)).
 * A pool layer applies pool(src[i], snk[i]) for i < m: 3m weights; afterwards only the
 * sinks carry information.
 */
enum qcq_status qml_tpl_qcnn_conv(struct qs_circuit *c, const int *q, int n, uint32_t w_offset,
				  struct qcq_error *err);
enum qcq_status qml_tpl_qcnn_pool(struct qs_circuit *c, const int *src, const int *snk, int m,
				  uint32_t w_offset, struct qcq_error *err);

/* New circuits (offsets 0); *out is NULL on failure. */
enum qcq_status qml_circuit_zz(int n, int reps, enum qml_entanglement ent,
			       struct qs_circuit **out, struct qcq_error *err);
enum qcq_status qml_circuit_realamp(int n, int reps, enum qml_entanglement ent,
				    struct qs_circuit **out, struct qcq_error *err);
/* ZZFeatureMap(n, fm_reps, full) then RealAmplitudes(n, reps, ent): the classifier;
 * with n = 2, fm_reps = 2 it is the QCQ-CNN decision layer. */
enum qcq_status qml_circuit_classifier(int n, int fm_reps, int reps, enum qml_entanglement ent,
				       struct qs_circuit **out, struct qcq_error *err);
/* The 2-qubit classifier without entangling gates (qml_classifier_product_expect):
 * inputs x0, x1, weights w0 .. w[2 depth + 1]; depth 1..QML_QLAYER_MAX_DEPTH. */
enum qcq_status qml_circuit_classifier_product(int depth, struct qs_circuit **out,
					       struct qcq_error *err);
/*
 * The 8-qubit QCNN of the qcnn model: angle encoding RY(pi x_q) of 8 inputs (a
 * downsampled image), conv(0..7), pool({0,1,2,3} -> {4,5,6,7}), conv(4..7),
 * pool({4,5} -> {6,7}), conv(6,7), pool(6 -> 7); QML_QCNN8_WEIGHTS = 63 weights; read
 * out <Z7>. (The tutorial encodes with ZFeatureMap; we use the quanvolution encoding.)
 */
#define QML_QCNN8_WEIGHTS 63
#define QML_QCNN8_READOUT 7
enum qcq_status qml_circuit_qcnn8(struct qs_circuit **out, struct qcq_error *err);

/*
 * The filter as a circuit over k*k qubits: encoding RY(pi x_j) then its gates. With
 * patch == NULL the encoding angles are the expressions pi*x_j (inputs x[0..k*k-1]);
 * otherwise they are the constants pi*patch[j] (for stepping through one patch).
 */
enum qcq_status qml_filter_to_circuit(const struct qml_filter *f, const double *patch,
				      struct qs_circuit **out, struct qcq_error *err);
/*
 * A filter from a circuit (e.g. a QASM file) holding the fixed part only -- the gates
 * after the encoding. The circuit must have 1, 4 or 9 qubits (k = 1, 2, 3), only
 * constant angles (no x or w), gates of at most 3 qubits; barriers and final
 * measurements are ignored. name labels it.
 */
enum qcq_status qml_filter_from_circuit(const struct qs_circuit *c, int stride, const char *name,
					struct qml_filter **out, struct qcq_error *err);

#endif
