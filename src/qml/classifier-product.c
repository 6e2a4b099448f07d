/*
 * qml/classifier-product.c: the 2-qubit classifier with its entangling gates removed,
 * the control of the "entangling vs not" ablation (model qcq-cnn-noent).
 *
 * What is removed, and what stays: the ZZFeatureMap's pair block
 * CX(0,1) P(phi) q1 CX(0,1), phi = 2 (pi - x0)(pi - x1), is the diagonal phase
 * exp(i phi (b0 XOR b1)) and b0 XOR b1 = b0 + b1 - 2 b0 b1, so the block equals
 * [P(phi) q0 . P(phi) q1] . CP(-2 phi): local phases times a controlled phase. The
 * control keeps the local part, P(phi) on each qubit (so the product feature
 * (pi - x0)(pi - x1) still reaches both qubits), and drops the controlled phase.
 * RealAmplitudes loses its CX between rotation layers (the same 2 (depth + 1) angles).
 * The state stays a product state: <Z0 Z1> = <Z0><Z1>.
 *
 * Exact (pure state) only: the ablation compares noiseless models.
 */
#include "qml-internal.h"

#include <assert.h>

int qml_cg_build_product(struct cgate *g, const double x[2], const double *theta, int depth)
{
	int n = 0;
	double zz = 2 * (M_PI - x[0]) * (M_PI - x[1]);
	assert(depth >= 1 && depth <= QML_QLAYER_MAX_DEPTH);
	for (int rep = 0; rep < 2; rep++) {
		g[n++] = (struct cgate){CG_H, 0, CG_VAR_NONE, 0};
		g[n++] = (struct cgate){CG_H, 1, CG_VAR_NONE, 0};
		g[n++] = (struct cgate){CG_P, 0, CG_VAR_X0, 2 * x[0]};
		g[n++] = (struct cgate){CG_P, 1, CG_VAR_X1, 2 * x[1]};
		g[n++] = (struct cgate){CG_P, 0, CG_VAR_ZZ, zz};
		g[n++] = (struct cgate){CG_P, 1, CG_VAR_ZZ, zz};
	}
	for (int k = 0; k <= depth; k++) {
		g[n++] = (struct cgate){CG_RY, 0, CG_VAR_THETA + 2 * k, theta[2 * k]};
		g[n++] = (struct cgate){CG_RY, 1, CG_VAR_THETA + 2 * k + 1, theta[2 * k + 1]};
	}
	assert(n <= CG_MAX_GATES);
	return n;
}

double qml_classifier_product_expect(const double x[2], const double *theta, int depth,
				     enum qml_observable obs, double *dx, double *dtheta)
{
	struct cgate g[CG_MAX_GATES];
	int n = qml_cg_build_product(g, x, theta, depth);
	return qml_cg_expect(g, n, x, obs, dx, dtheta);
}
