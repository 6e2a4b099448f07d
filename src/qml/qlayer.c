/*
 * qml/qlayer.c: the exact (noise-free) path of the 2-qubit quantum classifier --
 * ZZFeatureMap(x; reps 2, full) + RealAmplitudes(theta; depth), <Z0> or <Z0 Z1> --
 * on four complex amplitudes, with adjoint-method gradients. This runs once per
 * training sample, so nothing here allocates and every gate is a few lines.
 * The density-matrix and sampled paths and the layer's batch API are in
 * qlayer-noisy.c.
 */
#include "qml-internal.h"

#include <assert.h>
#include <math.h>
#include <string.h>

int qml_cg_build(struct cgate *g, const double x[2], const double *theta, int depth)
{
	int n = 0;
	double zz = 2 * (M_PI - x[0]) * (M_PI - x[1]);
	assert(depth >= 1 && depth <= QML_QLAYER_MAX_DEPTH);
	for (int rep = 0; rep < 2; rep++) { /* CONVENTIONS section 5 */
		g[n++] = (struct cgate){CG_H, 0, CG_VAR_NONE, 0};
		g[n++] = (struct cgate){CG_H, 1, CG_VAR_NONE, 0};
		g[n++] = (struct cgate){CG_P, 0, CG_VAR_X0, 2 * x[0]};
		g[n++] = (struct cgate){CG_P, 1, CG_VAR_X1, 2 * x[1]};
		g[n++] = (struct cgate){CG_CX, 0, CG_VAR_NONE, 0};
		g[n++] = (struct cgate){CG_P, 1, CG_VAR_ZZ, zz};
		g[n++] = (struct cgate){CG_CX, 0, CG_VAR_NONE, 0};
	}
	for (int k = 0; k <= depth; k++) { /* section 6 */
		g[n++] = (struct cgate){CG_RY, 0, CG_VAR_THETA + 2 * k, theta[2 * k]};
		g[n++] = (struct cgate){CG_RY, 1, CG_VAR_THETA + 2 * k + 1, theta[2 * k + 1]};
		if (k < depth)
			g[n++] = (struct cgate){CG_CX, 0, CG_VAR_NONE, 0};
	}
	return n;
}

double qml_cg_dangle_dx(const struct cgate *g, const double x[2], int j)
{
	switch (g->var) {
	case CG_VAR_X0: return j == 0 ? 2 : 0;
	case CG_VAR_X1: return j == 1 ? 2 : 0;
	case CG_VAR_ZZ: return -2 * (M_PI - x[1 - j]);
	default: return 0;
	}
}

/* ---------------------------------------------------------------- 4-amplitude kernels */

/* amplitude index i = b0 + 2 b1; the pairs a 1-qubit gate on q mixes */
static inline double complex cdot(const double complex *l, const double complex *v)
{
	return conj(l[0]) * v[0] + conj(l[1]) * v[1] + conj(l[2]) * v[2] + conj(l[3]) * v[3];
}

static void run(double complex *a, const struct cgate *g, int n)
{
	a[0] = 1, a[1] = a[2] = a[3] = 0;
	for (int i = 0; i < n; i++)
		qml_q2_apply(a, &g[i], 1);
}

/* diagonal of the observable: Z0 = (+1,-1,+1,-1), Z0Z1 = (+1,-1,-1,+1) */
static const double obs_diag[2][4] = {{1, -1, 1, -1}, {1, -1, -1, 1}};

void qml_classifier_state(const double x[2], const double *theta, int depth, double amp[8])
{
	struct cgate g[CG_MAX_GATES];
	double complex a[4];
	run(a, g, qml_cg_build(g, x, theta, depth));
	for (int i = 0; i < 4; i++)
		amp[2 * i] = creal(a[i]), amp[2 * i + 1] = cimag(a[i]);
}

double qml_classifier_expect(const double x[2], const double *theta, int depth,
			     enum qml_observable obs, double *dx, double *dtheta)
{
	struct cgate g[CG_MAX_GATES];
	int n = qml_cg_build(g, x, theta, depth);
	return qml_cg_expect(g, n, x, obs, dx, dtheta);
}

double qml_cg_expect(const struct cgate *g, int n, const double x[2], enum qml_observable obs,
		     double *dx, double *dtheta)
{
	double complex a[4], lam[4];
	const double *d = obs_diag[obs == QML_OBS_ZZ];
	run(a, g, n);
	double e = 0;
	for (int i = 0; i < 4; i++) {
		lam[i] = d[i] * a[i];
		e += d[i] * (creal(a[i]) * creal(a[i]) + cimag(a[i]) * cimag(a[i]));
	}
	if (!dx && !dtheta)
		return e;
	/*
	 * Adjoint sweep: a is the state after gate i, lam = G_{i+1}^dag ... O a_final.
	 * dE/dangle_i = 2 Re <lam| dG_i psi_{i-1}> with dG psi_{i-1} = D a, where D is
	 * -i Y/2 for RY and i |1><1| for P.
	 */
	double gx[2] = {0, 0};
	for (int i = n - 1; i >= 0; i--) {
		const struct cgate *gi = &g[i];
		if (gi->var != CG_VAR_NONE) {
			double complex da[4] = {0, 0, 0, 0};
			int q = gi->q;
			for (int k = 0; k < 2; k++) {
				int lo = pair_lo[q][k], hi = pair_hi[q][k];
				if (gi->kind == CG_RY) /* -iY/2 = [[0, -1/2], [1/2, 0]] */
					da[lo] = -0.5 * a[hi], da[hi] = 0.5 * a[lo];
				else
					da[hi] = I * a[hi];
			}
			double gr = 2 * creal(cdot(lam, da));
			if (gi->var >= CG_VAR_THETA) {
				if (dtheta)
					dtheta[gi->var - CG_VAR_THETA] = gr;
			} else {
				gx[0] += gr * qml_cg_dangle_dx(gi, x, 0);
				gx[1] += gr * qml_cg_dangle_dx(gi, x, 1);
			}
		}
		qml_q2_apply(a, gi, -1);
		qml_q2_apply(lam, gi, -1);
	}
	if (dx)
		dx[0] = gx[0], dx[1] = gx[1];
	return e;
}
