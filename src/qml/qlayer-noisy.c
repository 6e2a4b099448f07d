/*
 * qml/qlayer-noisy.c: the 2-qubit classifier under depolarizing noise (a 4x4 density
 * matrix, CONVENTIONS section 8) and with finite shots (section 10), with
 * parameter-shift gradients (section 9); and the layer's batch API, which picks the
 * exact adjoint path (qlayer.c) when there is neither noise nor shots.
 */
#include "qml-internal.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- density matrix */

/*
 * M (row major 4x4) -> G M G^dag with G the gate (dir 1) or its inverse (dir -1),
 * worked out per kind on the matrix (the angle's sine and cosine once, not per
 * column as a gate applied to each column and row would): CX permutes, P multiplies
 * the 8 entries whose row and column differ in the qubit's bit by a phase, H and RY
 * are a real 2x2 on row pairs then column pairs.
 */
static void conj_gate(double complex *M, const struct cgate *g, double dir)
{
	int q = g->q;
	switch (g->kind) {
	case CG_CX: /* swaps basis states 1 and 3: rows, then columns */
		for (int c = 0; c < 4; c++) {
			double complex t = M[4 + c];
			M[4 + c] = M[12 + c], M[12 + c] = t;
		}
		for (int r = 0; r < 4; r++) {
			double complex t = M[r * 4 + 1];
			M[r * 4 + 1] = M[r * 4 + 3], M[r * 4 + 3] = t;
		}
		return;
	case CG_P: {
		double complex ph = cos(g->angle) + I * (dir * sin(g->angle));
		int b = 1 << q;
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++) {
				if ((r & b) && !(c & b))
					M[r * 4 + c] *= ph;
				else if (!(r & b) && (c & b))
					M[r * 4 + c] *= conj(ph);
			}
		return;
	}
	default: {
		double u00, u01, u10, u11;
		if (g->kind == CG_H) {
			u00 = u01 = u10 = M_SQRT1_2, u11 = -M_SQRT1_2;
		} else { /* RY: [[c, -s], [s, c]], s negated for the inverse */
			double c = cos(g->angle / 2), sn = dir * sin(g->angle / 2);
			u00 = c, u01 = -sn, u10 = sn, u11 = c;
		}
		for (int k = 0; k < 2; k++) {
			int lo = pair_lo[q][k], hi = pair_hi[q][k];
			for (int c = 0; c < 4; c++) { /* G M */
				double complex x = M[lo * 4 + c], y = M[hi * 4 + c];
				M[lo * 4 + c] = u00 * x + u01 * y;
				M[hi * 4 + c] = u10 * x + u11 * y;
			}
		}
		for (int k = 0; k < 2; k++) {
			int lo = pair_lo[q][k], hi = pair_hi[q][k];
			for (int r = 0; r < 4; r++) { /* (G M) G^T, G real */
				double complex x = M[r * 4 + lo], y = M[r * 4 + hi];
				M[r * 4 + lo] = u00 * x + u01 * y;
				M[r * 4 + hi] = u10 * x + u11 * y;
			}
		}
		return;
	}
	}
}

/*
 * The depolarizing channel that follows gate g. Both channels are their own
 * adjoints (Pauli Kraus operators; (1-p) M + p tr(M) I/4 for two qubits), so the
 * same function moves a state forward and an observable backward.
 */
static void depolarize(double complex *M, const struct cgate *g, double p1, double p2)
{
	if (g->kind == CG_CX) {
		if (p2 > 0) { /* (1-p) M + p I/4 tr(M) */
			double complex tr = M[0] + M[5] + M[10] + M[15];
			for (int i = 0; i < 16; i++)
				M[i] *= 1 - p2;
			for (int i = 0; i < 4; i++)
				M[i * 5] += p2 * tr / 4;
		}
	} else if (p1 > 0) { /* (1-p) M + p tr_q(M) (x) I/2 */
		int b = 1 << g->q;
		double complex out[16];
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++) {
				double complex m = 0;
				if (((r ^ c) & b) == 0)
					m = 0.5 * (M[r * 4 + c] + M[(r ^ b) * 4 + (c ^ b)]);
				out[r * 4 + c] = (1 - p1) * M[r * 4 + c] + p1 * m;
			}
		memcpy(M, out, sizeof out);
	}
}

static const double obs_diag[2][4] = {{1, -1, 1, -1}, {1, -1, -1, 1}};

/* Re tr(A B) for 4x4 matrices */
static double re_trace_prod(const double complex *A, const double complex *B)
{
	double t = 0;
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 4; c++)
			t += creal(A[r * 4 + c] * B[c * 4 + r]);
	return t;
}

static double density_expect(const struct cgate *g, int n, enum qml_observable obs, double p1,
			     double p2)
{
	double complex rho[16] = {1};
	for (int i = 0; i < n; i++) {
		conj_gate(rho, &g[i], 1);
		depolarize(rho, &g[i], p1, p2);
	}
	const double *d = obs_diag[obs == QML_OBS_ZZ];
	return d[0] * creal(rho[0]) + d[1] * creal(rho[5]) + d[2] * creal(rho[10]) +
	       d[3] * creal(rho[15]);
}

static double pure_expect(const struct cgate *g, int n, enum qml_observable obs)
{
	double complex a[4] = {1, 0, 0, 0};
	for (int i = 0; i < n; i++)
		qml_q2_apply(a, &g[i], 1);
	const double *d = obs_diag[obs == QML_OBS_ZZ];
	double e = 0;
	for (int i = 0; i < 4; i++)
		e += d[i] * (creal(a[i]) * creal(a[i]) + cimag(a[i]) * cimag(a[i]));
	return e;
}

/*
 * Exact expectations of every parameter-shifted circuit (fp[i], fm[i] for gate i
 * shifted by +-pi/2; only gates with a variable) and of the circuit itself, without
 * running the unshifted gates again for each shift: the states before each gate go
 * forward once (Schroedinger picture), the observable goes backward once through
 * the adjoint gates and channels (Heisenberg picture), and a shifted value is one
 * gate applied to the stored state, traced against the stored observable:
 *   f = tr( D_i(O_i) U_i' rho_{i-1} U_i'^dag ),  O_i = the observable after gate i
 * moved back through gates i+1..n. About 3 n gate conjugations instead of (2 v + 1) n
 * for v shifted gates.
 */
static double shifted_expectations(const struct cgate *g, int n, enum qml_observable obs,
				   double p1, double p2, double *fp, double *fm)
{
	double complex rho[CG_MAX_GATES][16], P[16], O[16] = {0};
	double complex cur[16] = {1};
	for (int i = 0; i < n; i++) {
		memcpy(rho[i], cur, sizeof cur);
		conj_gate(cur, &g[i], 1);
		depolarize(cur, &g[i], p1, p2);
	}
	const double *d = obs_diag[obs == QML_OBS_ZZ];
	double e = d[0] * creal(cur[0]) + d[1] * creal(cur[5]) + d[2] * creal(cur[10]) +
		   d[3] * creal(cur[15]);
	for (int i = 0; i < 4; i++)
		O[i * 5] = d[i];
	for (int i = n - 1; i >= 0; i--) {
		memcpy(P, O, sizeof O);
		depolarize(P, &g[i], p1, p2); /* P = D_i(O_i) */
		if (g[i].var != CG_VAR_NONE) {
			struct cgate s = g[i];
			double complex X[16];
			s.angle = g[i].angle + M_PI / 2;
			memcpy(X, rho[i], sizeof X);
			conj_gate(X, &s, 1);
			fp[i] = re_trace_prod(P, X);
			s.angle = g[i].angle - M_PI / 2;
			memcpy(X, rho[i], sizeof X);
			conj_gate(X, &s, 1);
			fm[i] = re_trace_prod(P, X);
		}
		memcpy(O, P, sizeof P);
		conj_gate(O, &g[i], -1); /* O_{i-1} = U_i^dag P U_i */
	}
	return e;
}

/* ---------------------------------------------------------------- shots */

/*
 * Binomial(n, p) exactly (to double rounding) in O(1 + sqrt(n p (1-p))) uniform-free
 * steps: one uniform u, then the outcomes in the order m, m+1, m-1, m+2, m-2, ...
 * from the mode m, subtracting each probability from u until it is used up (inversion
 * over a fixed order of the outcomes, so every outcome gets exactly its probability).
 * The probabilities follow from the mode's by the ratio of neighbours. Drawing each
 * shot would cost n draws: 1024 per estimate, 20 estimates per gradient.
 */
long qml_binomial(struct qcq_rng *r, long n, double p)
{
	if (!(p > 0) || n <= 0)
		return 0;
	if (p >= 1)
		return n;
	double q = 1 - p, m = floor((double)(n + 1) * p);
	if (m > (double)n)
		m = (double)n;
	double lf = lgamma((double)n + 1) - lgamma(m + 1) - lgamma((double)n - m + 1) +
		    m * log(p) + ((double)n - m) * log1p(-p);
	double fm = exp(lf), u = qcq_rng_uniform(r);
	double up = fm, dn = fm; /* probabilities of k_up and k_dn */
	long k_up = (long)m, k_dn = (long)m;
	u -= fm;
	if (u < 0)
		return k_up;
	while (k_up < n || k_dn > 0) {
		if (k_up < n) {
			up *= (double)(n - k_up) / (double)(k_up + 1) * p / q;
			k_up++;
			u -= up;
			if (u < 0)
				return k_up;
		}
		if (k_dn > 0) {
			dn *= (double)k_dn / (double)(n - k_dn + 1) * q / p;
			k_dn--;
			u -= dn;
			if (u < 0)
				return k_dn;
		}
	}
	return (long)m; /* u left over by rounding (below 1e-12): the mode */
}

/* N-shot estimate of a +-1 observable with exact mean e */
static double sample_pm1(struct qcq_rng *r, long shots, double e)
{
	double p = 0.5 * (1 + (e > 1 ? 1 : e < -1 ? -1 : e));
	long plus = qml_binomial(r, shots, p);
	return (double)(2 * plus - shots) / (double)shots;
}

/* ---------------------------------------------------------------- one circuit, any mode */

struct mode {
	enum qml_observable obs;
	double p1, p2;
	long shots;
	struct qcq_rng *rng;
};

static double eval_mode(const struct mode *m, const struct cgate *g, int n)
{
	double e = m->p1 > 0 || m->p2 > 0 ? density_expect(g, n, m->obs, m->p1, m->p2)
					  : pure_expect(g, n, m->obs);
	return m->shots > 0 ? sample_pm1(m->rng, m->shots, e) : e;
}

/* parameter-shift gradients (dx[2], dtheta written) and, if want_value, the value
 * (skipped otherwise: with shots it would cost a sample and advance the rng). With
 * shots every value is sampled from its exact expectation, in the order value, then
 * per shifted gate plus and minus. */
static double shift_grad(const struct mode *m, const double x[2], const double *theta, int depth,
			 double *dx, double *dtheta, bool want_value)
{
	struct cgate g[CG_MAX_GATES];
	double fp[CG_MAX_GATES], fm[CG_MAX_GATES];
	int n = qml_cg_build(g, x, theta, depth);
	double e = shifted_expectations(g, n, m->obs, m->p1, m->p2, fp, fm);
	if (m->shots > 0) {
		e = want_value ? sample_pm1(m->rng, m->shots, e) : NAN;
		for (int i = 0; i < n; i++)
			if (g[i].var != CG_VAR_NONE) {
				fp[i] = sample_pm1(m->rng, m->shots, fp[i]);
				fm[i] = sample_pm1(m->rng, m->shots, fm[i]);
			}
	} else if (!want_value) {
		e = NAN;
	}
	if (dx)
		dx[0] = dx[1] = 0;
	for (int i = 0; i < n; i++) {
		if (g[i].var == CG_VAR_NONE)
			continue;
		double d = 0.5 * (fp[i] - fm[i]);
		if (g[i].var >= CG_VAR_THETA) {
			if (dtheta)
				dtheta[g[i].var - CG_VAR_THETA] = d;
		} else if (dx) {
			dx[0] += d * qml_cg_dangle_dx(&g[i], x, 0);
			dx[1] += d * qml_cg_dangle_dx(&g[i], x, 1);
		}
	}
	return e;
}

double qml_classifier_expect_noisy(const double x[2], const double *theta, int depth,
				   enum qml_observable obs, double p1, double p2, double *dx,
				   double *dtheta)
{
	assert(p1 >= 0 && p1 <= 4.0 / 3 && p2 >= 0 && p2 <= 16.0 / 15);
	struct mode m = {obs, p1, p2, 0, NULL};
	if (!dx && !dtheta) {
		struct cgate g[CG_MAX_GATES];
		int n = qml_cg_build(g, x, theta, depth);
		return eval_mode(&m, g, n);
	}
	return shift_grad(&m, x, theta, depth, dx, dtheta, true);
}

/* ---------------------------------------------------------------- the layer */

enum qcq_status qml_qlayer_init(struct qml_qlayer *L, const struct qml_qlayer_config *cfg,
				struct qcq_error *err)
{
	if (cfg->depth < 1 || cfg->depth > QML_QLAYER_MAX_DEPTH)
		return qcq_error_set(err, QCQ_ERANGE, "depth %d out of range [1, %d]", cfg->depth,
				     QML_QLAYER_MAX_DEPTH);
	if (cfg->obs != QML_OBS_Z0 && cfg->obs != QML_OBS_ZZ)
		return qcq_error_set(err, QCQ_EINVAL, "unknown observable %d", (int)cfg->obs);
	if (!(cfg->p1 >= 0 && cfg->p1 <= 4.0 / 3))
		return qcq_error_set(err, QCQ_ERANGE, "p1 %g out of range [0, 4/3]", cfg->p1);
	if (!(cfg->p2 >= 0 && cfg->p2 <= 16.0 / 15))
		return qcq_error_set(err, QCQ_ERANGE, "p2 %g out of range [0, 16/15]", cfg->p2);
	if (cfg->shots < 0 || cfg->shots > QML_QLAYER_MAX_SHOTS)
		return qcq_error_set(err, QCQ_ERANGE, "shots %ld out of range [0, %ld]", cfg->shots,
				     QML_QLAYER_MAX_SHOTS);
	L->cfg = *cfg;
	L->nparams = qml_qlayer_nparams(cfg->depth);
	qcq_rng_seed_domain(&L->rng, cfg->seed, "qml.shots");
	return QCQ_OK;
}

static bool layer_exact(const struct qml_qlayer *L)
{
	return L->cfg.shots == 0 && L->cfg.p1 == 0 && L->cfg.p2 == 0;
}

void qml_qlayer_forward(struct qml_qlayer *L, float *out, const float *inp, const float *theta,
			int B)
{
	double th[2 * (QML_QLAYER_MAX_DEPTH + 1)];
	for (int k = 0; k < L->nparams; k++)
		th[k] = theta[k];
	struct mode m = {L->cfg.obs, L->cfg.p1, L->cfg.p2, L->cfg.shots, &L->rng};
	for (int b = 0; b < B; b++) {
		double x[2] = {inp[2 * b], inp[2 * b + 1]};
		if (layer_exact(L)) {
			out[b] = (float)qml_classifier_expect(x, th, L->cfg.depth, L->cfg.obs, NULL,
							      NULL);
		} else {
			struct cgate g[CG_MAX_GATES];
			int n = qml_cg_build(g, x, th, L->cfg.depth);
			out[b] = (float)eval_mode(&m, g, n);
		}
	}
}

void qml_qlayer_backward(struct qml_qlayer *L, float *dinp, float *dtheta, const float *dout,
			 const float *inp, const float *theta, int B)
{
	double th[2 * (QML_QLAYER_MAX_DEPTH + 1)], dth[2 * (QML_QLAYER_MAX_DEPTH + 1)];
	for (int k = 0; k < L->nparams; k++)
		th[k] = theta[k];
	struct mode m = {L->cfg.obs, L->cfg.p1, L->cfg.p2, L->cfg.shots, &L->rng};
	for (int b = 0; b < B; b++) {
		double x[2] = {inp[2 * b], inp[2 * b + 1]}, dx[2];
		if (layer_exact(L))
			qml_classifier_expect(x, th, L->cfg.depth, L->cfg.obs, dx, dth);
		else
			shift_grad(&m, x, th, L->cfg.depth, dx, dth, false);
		for (int k = 0; k < L->nparams; k++)
			dtheta[k] += (float)(dout[b] * dth[k]);
		if (dinp) {
			dinp[2 * b] = (float)(dout[b] * dx[0]);
			dinp[2 * b + 1] = (float)(dout[b] * dx[1]);
		}
	}
}
