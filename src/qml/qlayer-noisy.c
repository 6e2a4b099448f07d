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

/* rho (row major 4x4) -> G rho G^dag, then the gate's depolarizing channel */
static void density_gate(double complex *rho, const struct cgate *g, double p1, double p2)
{
	double complex v[4];
	for (int c = 0; c < 4; c++) { /* G rho: columns as kets */
		for (int r = 0; r < 4; r++)
			v[r] = rho[r * 4 + c];
		qml_q2_apply(v, g, 1);
		for (int r = 0; r < 4; r++)
			rho[r * 4 + c] = v[r];
	}
	for (int r = 0; r < 4; r++) { /* (G rho) G^dag = conj(G conj(rows)) */
		for (int c = 0; c < 4; c++)
			v[c] = conj(rho[r * 4 + c]);
		qml_q2_apply(v, g, 1);
		for (int c = 0; c < 4; c++)
			rho[r * 4 + c] = conj(v[c]);
	}
	if (g->kind == CG_CX) {
		if (p2 > 0) { /* (1-p) rho + p I/4 tr(rho) */
			double tr = creal(rho[0] + rho[5] + rho[10] + rho[15]);
			for (int i = 0; i < 16; i++)
				rho[i] *= 1 - p2;
			for (int i = 0; i < 4; i++)
				rho[i * 5] += p2 * tr / 4;
		}
	} else if (p1 > 0) { /* (1-p) rho + p tr_q(rho) (x) I/2 */
		int b = 1 << g->q;
		double complex out[16];
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++) {
				double complex m = 0;
				if (((r ^ c) & b) == 0)
					m = 0.5 * (rho[r * 4 + c] + rho[(r ^ b) * 4 + (c ^ b)]);
				out[r * 4 + c] = (1 - p1) * rho[r * 4 + c] + p1 * m;
			}
		memcpy(rho, out, sizeof out);
	}
}

static const double obs_diag[2][4] = {{1, -1, 1, -1}, {1, -1, -1, 1}};

static double density_expect(const struct cgate *g, int n, enum qml_observable obs, double p1,
			     double p2)
{
	double complex rho[16] = {1};
	for (int i = 0; i < n; i++)
		density_gate(rho, &g[i], p1, p2);
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

/* ---------------------------------------------------------------- shots */

/*
 * Binomial(n, p) exactly, by skipping over failures with geometric gaps: expected
 * n min(p, 1-p) + 1 uniform draws.
 */
static long binomial(struct qcq_rng *r, long n, double p)
{
	if (!(p > 0))
		return 0;
	if (p >= 1)
		return n;
	bool flip = p > 0.5;
	if (flip)
		p = 1 - p;
	double lq = log1p(-p), pos = 0;
	long k = 0;
	for (;;) {
		double gap = floor(log1p(-qcq_rng_uniform(r)) / lq);
		pos += gap + 1;
		if (pos > (double)n)
			break;
		k++;
	}
	return flip ? n - k : k;
}

/* N-shot estimate of a +-1 observable with exact mean e */
static double sample_pm1(struct qcq_rng *r, long shots, double e)
{
	double p = 0.5 * (1 + (e > 1 ? 1 : e < -1 ? -1 : e));
	long plus = binomial(r, shots, p);
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
 * (skipped otherwise: with shots it would cost a sample and advance the rng) */
static double shift_grad(const struct mode *m, const double x[2], const double *theta, int depth,
			 double *dx, double *dtheta, bool want_value)
{
	struct cgate g[CG_MAX_GATES];
	int n = qml_cg_build(g, x, theta, depth);
	double e = want_value ? eval_mode(m, g, n) : NAN;
	if (dx)
		dx[0] = dx[1] = 0;
	for (int i = 0; i < n; i++) {
		if (g[i].var == CG_VAR_NONE)
			continue;
		double a = g[i].angle;
		g[i].angle = a + M_PI / 2;
		double fp = eval_mode(m, g, n);
		g[i].angle = a - M_PI / 2;
		double fm = eval_mode(m, g, n);
		g[i].angle = a;
		double d = 0.5 * (fp - fm);
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
