/*
 * tests/qsim/qsim_helpers.h: circuits the qsim tests share, built by hand from the
 * gate lists of CONVENTIONS.md sections 5-6 (the qml templates are tested in
 * tests/qml), and small helpers for random states and dense comparisons.
 */
#ifndef QCQ_TESTS_QSIM_HELPERS_H
#define QCQ_TESTS_QSIM_HELPERS_H

#include "qcq/qsim.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ZZFeatureMap(2 qubits, reps 2, full) with x0, x1 symbolic, then RealAmplitudes(reps r)
 * with weights w[0 .. 2(r+1)-1]. */
static inline struct qs_circuit *classifier_circuit(int r)
{
	struct qs_circuit *c;
	struct qcq_error e;
	struct qs_angle zz;
	int q0 = 0, q1 = 1, cx[2] = {0, 1};
	qs_circuit_create(2, &c, &e);
	qs_angle_parse("2*(pi-x0)*(pi-x1)", &zz, NULL, &e);
	for (int rep = 0; rep < 2; rep++) {
		qs_circuit_add(c, QS_G_H, &q0, NULL, &e);
		qs_circuit_add(c, QS_G_H, &q1, NULL, &e);
		struct qs_angle a0 = qs_angle_x(0, 2), a1 = qs_angle_x(1, 2);
		qs_circuit_add(c, QS_G_P, &q0, &a0, &e);
		qs_circuit_add(c, QS_G_P, &q1, &a1, &e);
		qs_circuit_add(c, QS_G_CX, cx, NULL, &e);
		qs_circuit_add(c, QS_G_P, &q1, &zz, &e);
		qs_circuit_add(c, QS_G_CX, cx, NULL, &e);
	}
	for (int k = 0; k <= r; k++) {
		struct qs_angle w0 = qs_angle_w((uint32_t)(2 * k)), w1 = qs_angle_w((uint32_t)(2 * k + 1));
		qs_circuit_add(c, QS_G_RY, &q0, &w0, &e);
		qs_circuit_add(c, QS_G_RY, &q1, &w1, &e);
		if (k < r)
			qs_circuit_add(c, QS_G_CX, cx, NULL, &e);
	}
	return c;
}

/* A random normalised pure state, or a random mixed state (mixture of 3 pure). */
static inline void random_state(struct qs_state *s, struct qcq_rng *rng)
{
	size_t d = (size_t)1 << s->n;
	double complex *v = malloc(sizeof *v * d);
	double complex *acc = s->kind == QS_DENSITY ? calloc(s->dim, sizeof *acc) : NULL;
	int mix = s->kind == QS_DENSITY ? 3 : 1;
	for (int m = 0; m < mix; m++) {
		double nrm = 0;
		for (size_t i = 0; i < d; i++) {
			v[i] = qcq_rng_normal(rng) + I * qcq_rng_normal(rng);
			nrm += creal(v[i] * conj(v[i]));
		}
		for (size_t i = 0; i < d; i++)
			v[i] /= sqrt(nrm);
		qs_init_amps(s, v, NULL);
		if (acc)
			for (size_t i = 0; i < s->dim; i++)
				acc[i] += s->amp[i] * (m == 0 ? 0.5 : 0.25);
	}
	if (acc)
		for (size_t i = 0; i < s->dim; i++)
			s->amp[i] = acc[i];
	free(v);
	free(acc);
}

static inline double max_diff(const struct qs_state *a, const struct qs_state *b)
{
	double m = 0;
	for (size_t i = 0; i < a->dim; i++)
		m = fmax(m, cabs(a->amp[i] - b->amp[i]));
	return m;
}

/* One gate of a test circuit written as a table: kind, qubits, angle expressions (NULL
 * where the gate has fewer angles). */
struct gate_row {
	enum qs_gate_kind k;
	int q[3];
	const char *a[3];
};

/* An n-qubit circuit from n rows; NULL (and the message on stderr) if a row is refused. */
static inline struct qs_circuit *circuit_from_rows(int nq, const struct gate_row *g, size_t n)
{
	struct qs_circuit *c;
	struct qcq_error e;
	if (qs_circuit_create(nq, &c, &e))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		struct qs_angle a[3];
		for (int j = 0; j < qs_gate_info(g[i].k)->nangles; j++)
			if (qs_angle_parse(g[i].a[j], &a[j], NULL, &e))
				goto bad;
		if (qs_circuit_add(c, g[i].k, g[i].q, a, &e))
			goto bad;
	}
	return c;
bad:
	fprintf(stderr, "circuit_from_rows: %s\n", e.msg);
	qs_circuit_destroy(c);
	return NULL;
}

#endif
