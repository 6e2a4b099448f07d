/*
 * qml/qml-internal.h: what the qml source files share and users do not need: the
 * filter's full definition and the double-precision gate kernels of the naive paths.
 */
#ifndef QCQ_QML_INTERNAL_H
#define QCQ_QML_INTERNAL_H

#include "qcq/qml.h"

#include <complex.h>
#include <math.h>

struct qml_filter {
	int k, stride, nq;
	int ngates;
	struct qml_gate *gates;
	double complex *mats; /* gate i's 2^nq_i x 2^nq_i matrix (row major) at mats + 64*i */
	char name[96];
	uint64_t hash;
	enum qml_filter_path path; /* what QML_PATH_AUTO means for this filter */
	/* Heisenberg table: coef[j * 3^nq + d], digit of qubit q in base 3 (q = 0 least
	 * significant): 0 = I, 1 = X (sin pi x_q), 2 = Z (cos pi x_q). NULL above
	 * QML_HEIS_MAX_QUBITS. */
	float *coef;
	int ncoef; /* 3^nq */
	/* The table's nonzero entries, output j's at terms[tstart[j] .. tstart[j + 1]): the
	 * coefficient and the qubits whose factor is X (sin) or Z (cos). Evaluated instead
	 * of the whole table when sparse is set (few terms: most filters' observables
	 * have a handful of Pauli terms, not 3^nq). */
	struct qml_heis_term {
		float c;
		uint32_t xm, zm;
	} *terms;
	int tstart[QML_HEIS_MAX_QUBITS + 1];
	bool sparse;
	/* float copies of the matrices for the batched state-vector path */
	float *mre, *mim; /* 64 per gate */
};

/* x[j] = pixel of wire j of the patch behind output pixel (r, c) of a w-wide image
 * (CONVENTIONS section 3), for the naive paths. */
static inline void qml_patch_pixels(const struct qml_filter *f, const float *img, int w, int r,
				    int c, double *x)
{
	for (int j = 0; j < f->nq; j++)
		x[j] = img[(size_t)(r * f->stride + j / f->k) * (size_t)w +
			   (size_t)(c * f->stride + j % f->k)];
}

/* Matrix of g (dimension 2^g->nq, row major, rows = output) into m[64]. */
void qml_gate_matrix(const struct qml_gate *g, double complex *m);

/* Apply a 2^nq_g matrix on qubits q[] of an n-qubit state a[2^n]. */
void qml_sv_apply(double complex *a, int n, const double complex *m, const int *q, int nqg);

/* Filter internals (filter-fast.c): builds coef/mre/mim and picks the path. */
void qml_filter_compile(struct qml_filter *f);

/* Trainable-filter kernels (filter-fast.c, used by filter-grad.c). xs holds
 * nq * qml_heis_pad(oh * ow) floats (aligned); coef is a table laid out as f->coef. */
size_t qml_heis_pad(size_t plane);
size_t qml_heis_lanes(void);
/* out (nq, oh, ow) <- the filter with table coef over one image (h, w) */
void qml_heis_image(const struct qml_filter *f, const float *coef, const float *img, int h,
		    int w, int oh, int ow, float *out, float *xs);
/* acc[(j * ncoef + P) * lanes + lane] += sum over this image's patches (lane = patch mod
 * lanes) of dout[j][patch] * phi_P(patch): the gradient of the table, lane by lane */
void qml_heis_image_grad(const struct qml_filter *f, const float *img, int h, int w, int oh,
			 int ow, const float *dout, float *acc, float *xs);

/* ---------------------------------------------------------------- classifier circuit */

/*
 * The 2-qubit classifier circuit as a flat gate list with numeric angles: the one
 * source of truth for the exact, density-matrix and parameter-shift paths.
 * var says which variable the angle depends on and how: CG_VAR_X0 / X1 (angle =
 * 2 x_j), CG_VAR_ZZ (angle = 2 (pi - x0)(pi - x1)), CG_VAR_THETA + k (angle = theta_k).
 */
enum cg_kind { CG_H, CG_P, CG_RY, CG_CX };
enum { CG_VAR_NONE = -1, CG_VAR_X0 = 0, CG_VAR_X1 = 1, CG_VAR_ZZ = 2, CG_VAR_THETA = 3 };
struct cgate {
	int kind, q, var;
	double angle;
};
#define CG_MAX_GATES (14 + 3 * QML_QLAYER_MAX_DEPTH + 2)

/* A Binomial(n, p) draw from r (qlayer-noisy.c; exact, O(1 + sqrt(n p (1-p)))). */
long qml_binomial(struct qcq_rng *r, long n, double p);

/* Fills g (CG_MAX_GATES entries); returns the number of gates. */
int qml_cg_build(struct cgate *g, const double x[2], const double *theta, int depth);
/* d angle / d x_j for gate g (0 for gates not depending on x) */
double qml_cg_dangle_dx(const struct cgate *g, const double x[2], int j);
/* Exact expectation of obs after the gate list g[0..n-1] from |00>, with adjoint
 * gradients into dx[2] and dtheta (indexed by var - CG_VAR_THETA) when not NULL. */
double qml_cg_expect(const struct cgate *g, int n, const double x[2], enum qml_observable obs,
		     double *dx, double *dtheta);
/* classifier-product.c: the classifier without entangling gates (see qml.h). */
int qml_cg_build_product(struct cgate *g, const double x[2], const double *theta, int depth);

/* One gate of the 2-qubit classifier on a state vector a[4]; sign = -1 applies its
 * inverse (the adjoint pass). Shared by the exact and the density-matrix paths. */
/* amplitude index pairs (b_q = 0, b_q = 1) of qubit q in a 2-qubit state */
static const int pair_lo[2][2] = {{0, 2}, {0, 1}}, pair_hi[2][2] = {{1, 3}, {2, 3}};

/* sign = +1 applies the gate, -1 its inverse */
static inline void qml_q2_apply(double complex *a, const struct cgate *g, double sign)
{
	int q = g->q;
	switch (g->kind) {
	case CG_H:
		for (int k = 0; k < 2; k++) {
			double complex u = a[pair_lo[q][k]], v = a[pair_hi[q][k]];
			a[pair_lo[q][k]] = M_SQRT1_2 * (u + v);
			a[pair_hi[q][k]] = M_SQRT1_2 * (u - v);
		}
		break;
	case CG_P: {
		double complex ph = cos(g->angle) + I * (sign * sin(g->angle));
		a[pair_hi[q][0]] *= ph;
		a[pair_hi[q][1]] *= ph;
		break;
	}
	case CG_RY: {
		double c = cos(g->angle / 2), s = sign * sin(g->angle / 2);
		for (int k = 0; k < 2; k++) {
			double complex u = a[pair_lo[q][k]], v = a[pair_hi[q][k]];
			a[pair_lo[q][k]] = c * u - s * v;
			a[pair_hi[q][k]] = s * u + c * v;
		}
		break;
	}
	case CG_CX: { /* control q0, target q1: swap |b1 b0> = |01> and |11> */
		double complex t = a[1];
		a[1] = a[3];
		a[3] = t;
		break;
	}
	}
}

#endif
