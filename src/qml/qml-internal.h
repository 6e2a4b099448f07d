/*
 * qml/qml-internal.h: what the qml source files share and users do not need: the
 * filter's full definition and the double-precision gate kernels of the naive paths.
 */
#ifndef QCQ_QML_INTERNAL_H
#define QCQ_QML_INTERNAL_H

#include "qcq/qml.h"

#include <complex.h>

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
	/* float copies of the matrices for the batched state-vector path */
	float *mre, *mim; /* 64 per gate */
};

/* Matrix of g (dimension 2^g->nq, row major, rows = output) into m[64]. */
void qml_gate_matrix(const struct qml_gate *g, double complex *m);

/* Apply a 2^nq_g matrix on qubits q[] of an n-qubit state a[2^n]. */
void qml_sv_apply(double complex *a, int n, const double complex *m, const int *q, int nqg);

/* Filter internals (filter-fast.c): builds coef/mre/mim and picks the path. */
void qml_filter_compile(struct qml_filter *f);

#endif
