/*
 * qml/classifier-multi.c: the K-class quantum classifier (K = 3..QML_MC_MAX_CLASSES) of
 * a K-class qcq-cnn, exact, with adjoint gradients.
 *
 * The readout, and why: the binary classifier reads one number, <Z0>, and a Linear(1,2)
 * head turns it into two logits. With K classes the circuit grows by as little as
 * possible: n = max(2, ceil(log2 K)) qubits (2 for 3-4 classes, 4 for 10, 5 for 32),
 * the same ZZFeatureMap(n, reps 2, full) on n inputs and RealAmplitudes(n, depth,
 * reverse_linear: Qiskit's default, n - 1 CX per layer), and its output is the Born
 * probability p_k = |<k|psi>|^2 of basis state k (Qiskit's little-endian index) for each
 * class k < K -- one measurement distribution gives every class its number, where
 * per-qubit expectations would give only n numbers for K classes. The model feeds it
 * x = tanh of its dense outputs and scales the probabilities by 2^n (nn/qlayer.c says
 * why), and a Linear(K,K) head and the softmax of the loss follow, as Linear(1,2) does
 * in the binary model.
 *
 * Gradients: sum_k g_k p_k is the expectation of the diagonal observable
 * diag(g_0 .. g_{K-1}, 0 ..), so one adjoint sweep per sample gives the gradient of the
 * loss with respect to every angle and input, whatever K is.
 */
#include "qml-internal.h"

#include <assert.h>
#include <string.h>

enum mg_kind { MG_H, MG_P, MG_RY, MG_CX };
enum { MG_NONE = -1, MG_X = -2, MG_ZZ = -3 }; /* var >= 0: theta index */

struct mgate {
	uint8_t kind, q, t; /* t: target of CX (q is the control) */
	int var;
	int xi, xj;         /* MG_X: angle 2 x_xi; MG_ZZ: 2 (pi - x_xi)(pi - x_xj) */
	double angle;
};

#define MG_MAX (2 * (2 * QML_MC_MAX_QUBITS + 3 * 10) + \
		(QML_QLAYER_MAX_DEPTH + 1) * QML_MC_MAX_QUBITS + \
		QML_QLAYER_MAX_DEPTH * (QML_MC_MAX_QUBITS - 1))

int qml_mc_qubits(int nclasses)
{
	int n = 2;
	while ((1 << n) < nclasses)
		n++;
	return n;
}

/* The circuit at x, theta (qml_circuit_classifier(n, 2, depth, reverse_linear)). */
static int build(struct mgate *g, int n, int depth, const double *x, const double *theta)
{
	int m = 0;
	for (int rep = 0; rep < 2; rep++) {
		for (int q = 0; q < n; q++)
			g[m++] = (struct mgate){MG_H, (uint8_t)q, 0, MG_NONE, 0, 0, 0};
		for (int q = 0; q < n; q++)
			g[m++] = (struct mgate){MG_P, (uint8_t)q, 0, MG_X, q, 0, 2 * x[q]};
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				double a = 2 * (M_PI - x[i]) * (M_PI - x[j]);
				g[m++] = (struct mgate){MG_CX, (uint8_t)i, (uint8_t)j, MG_NONE, 0, 0, 0};
				g[m++] = (struct mgate){MG_P, (uint8_t)j, 0, MG_ZZ, i, j, a};
				g[m++] = (struct mgate){MG_CX, (uint8_t)i, (uint8_t)j, MG_NONE, 0, 0, 0};
			}
	}
	for (int k = 0; k <= depth; k++) {
		for (int q = 0; q < n; q++)
			g[m++] = (struct mgate){MG_RY, (uint8_t)q, 0, k * n + q, 0, 0,
						theta[k * n + q]};
		if (k < depth)
			for (int i = n - 2; i >= 0; i--)
				g[m++] = (struct mgate){MG_CX, (uint8_t)i, (uint8_t)(i + 1), MG_NONE, 0, 0,
							0};
	}
	assert(m <= MG_MAX);
	return m;
}

/* Applies g (sign -1: its inverse) to a[2^n]. */
static void apply(double complex *a, int n, const struct mgate *g, int sign)
{
	size_t dim = (size_t)1 << n, bq = (size_t)1 << g->q;
	switch (g->kind) {
	case MG_H:
		for (size_t i = 0; i < dim; i++)
			if (!(i & bq)) {
				double complex u = a[i], v = a[i | bq];
				a[i] = M_SQRT1_2 * (u + v), a[i | bq] = M_SQRT1_2 * (u - v);
			}
		break;
	case MG_P: {
		double complex ph = cexp(I * sign * g->angle);
		for (size_t i = 0; i < dim; i++)
			if (i & bq)
				a[i] *= ph;
		break;
	}
	case MG_RY: {
		double c = cos(0.5 * g->angle), s = sign * sin(0.5 * g->angle);
		for (size_t i = 0; i < dim; i++)
			if (!(i & bq)) {
				double complex u = a[i], v = a[i | bq];
				a[i] = c * u - s * v, a[i | bq] = s * u + c * v;
			}
		break;
	}
	case MG_CX: {
		size_t bt = (size_t)1 << g->t;
		for (size_t i = 0; i < dim; i++)
			if ((i & bq) && !(i & bt)) {
				double complex u = a[i];
				a[i] = a[i | bt], a[i | bt] = u;
			}
		break;
	}
	}
}

void qml_mc_probs(int nclasses, int depth, const double *x, const double *theta, double *p,
		  const double *g, double *dx, double *dtheta)
{
	assert(nclasses >= 3 && nclasses <= QML_MC_MAX_CLASSES);
	assert(depth >= 1 && depth <= QML_QLAYER_MAX_DEPTH);
	int n = qml_mc_qubits(nclasses);
	size_t dim = (size_t)1 << n;
	struct mgate gate[MG_MAX];
	int m = build(gate, n, depth, x, theta);
	double complex a[1 << QML_MC_MAX_QUBITS], lam[1 << QML_MC_MAX_QUBITS];
	memset(a, 0, dim * sizeof *a);
	a[0] = 1;
	for (int i = 0; i < m; i++)
		apply(a, n, &gate[i], 1);
	for (int k = 0; k < nclasses; k++)
		p[k] = creal(a[k]) * creal(a[k]) + cimag(a[k]) * cimag(a[k]);
	if (!g)
		return;
	/* Adjoint sweep (as qlayer.c): a is the state after gate i, lam = G_{i+1}^dag ...
	 * D a_final with D = diag(g); dE/dangle_i = 2 Re <lam| dG_i psi_{i-1}>, where
	 * dG psi_{i-1} = -i Y/2 a for RY and i |1><1| a for P. */
	for (size_t k = 0; k < dim; k++)
		lam[k] = (int)k < nclasses ? g[k] * a[k] : 0;
	if (dx)
		memset(dx, 0, (size_t)n * sizeof *dx);
	for (int i = m - 1; i >= 0; i--) {
		const struct mgate *gi = &gate[i];
		if (gi->var != MG_NONE) {
			size_t bq = (size_t)1 << gi->q;
			double gr = 0;
			for (size_t k = 0; k < dim; k++) {
				double complex d;
				if (gi->kind == MG_RY) /* -iY/2 = [[0, -1/2], [1/2, 0]] */
					d = k & bq ? 0.5 * a[k ^ bq] : -0.5 * a[k | bq];
				else
					d = k & bq ? I * a[k] : 0;
				gr += creal(conj(lam[k]) * d);
			}
			gr *= 2;
			if (gi->var >= 0) {
				if (dtheta)
					dtheta[gi->var] = gr;
			} else if (dx && gi->var == MG_X) {
				dx[gi->xi] += 2 * gr;
			} else if (dx) {
				dx[gi->xi] += -2 * (M_PI - x[gi->xj]) * gr;
				dx[gi->xj] += -2 * (M_PI - x[gi->xi]) * gr;
			}
		}
		apply(a, n, gi, -1);
		apply(lam, n, gi, -1);
	}
}
