/*
 * qml/gates.c: the constant-angle gates a filter is made of -- a name table, matrices
 * (CONVENTIONS section 2; Qiskit's definitions) and the double-precision kernel that
 * applies a small matrix to a state vector. This is the reference the fast filter
 * paths are compiled from and tested against; it is not the simulator (qsim).
 */
#include "qml-internal.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct gate_def {
	const char *name;
	int nq, nparam;
};

static const struct gate_def gate_defs[] = {
	{"id", 1, 0},  {"h", 1, 0},   {"x", 1, 0},   {"y", 1, 0},    {"z", 1, 0},
	{"s", 1, 0},   {"sdg", 1, 0}, {"t", 1, 0},   {"tdg", 1, 0},  {"sx", 1, 0},
	{"rx", 1, 1},  {"ry", 1, 1},  {"rz", 1, 1},  {"p", 1, 1},    {"u", 1, 3},
	{"cx", 2, 0},  {"cy", 2, 0},  {"cz", 2, 0},  {"swap", 2, 0}, {"crx", 2, 1},
	{"cry", 2, 1}, {"crz", 2, 1}, {"cp", 2, 1},  {"rzz", 2, 1},  {"ccx", 3, 0},
};

static const struct gate_def *find_def(const char *name)
{
	for (size_t i = 0; i < sizeof gate_defs / sizeof gate_defs[0]; i++)
		if (strcmp(gate_defs[i].name, name) == 0)
			return &gate_defs[i];
	return NULL;
}

enum qcq_status qml_gate_make(struct qml_gate *g, const char *name, const int *q, int nq,
			      const double *param, int nparam, struct qcq_error *err)
{
	const struct gate_def *d = find_def(name);
	if (!d)
		return qcq_error_set(err, QCQ_EINVAL, "unknown gate '%s'", name);
	if (nq != d->nq)
		return qcq_error_set(err, QCQ_EINVAL, "gate %s takes %d qubit(s), got %d", name,
				     d->nq, nq);
	if (nparam != d->nparam)
		return qcq_error_set(err, QCQ_EINVAL, "gate %s takes %d angle(s), got %d", name,
				     d->nparam, nparam);
	for (int i = 0; i < nq; i++) {
		if (q[i] < 0)
			return qcq_error_set(err, QCQ_EINVAL, "gate %s: negative qubit %d", name,
					     q[i]);
		for (int j = 0; j < i; j++)
			if (q[i] == q[j])
				return qcq_error_set(err, QCQ_EINVAL,
						     "gate %s: qubit %d used twice", name, q[i]);
	}
	for (int i = 0; i < nparam; i++)
		if (!isfinite(param[i]))
			return qcq_error_set(err, QCQ_ENUMERIC, "gate %s: angle %d is not finite",
					     name, i);
	memset(g, 0, sizeof *g);
	snprintf(g->name, sizeof g->name, "%s", name);
	g->nq = nq;
	g->nparam = nparam;
	for (int i = 0; i < nq; i++)
		g->q[i] = q[i];
	for (int i = 0; i < nparam; i++)
		g->param[i] = param[i];
	return QCQ_OK;
}

void qml_gate_format(const struct qml_gate *g, char *buf, size_t size)
{
	size_t len = 0;
	int r = snprintf(buf, size, "%s", g->name);
	len = r > 0 ? (size_t)r : 0;
	for (int i = 0; i < g->nparam && len < size; i++) {
		r = snprintf(buf + len, size - len, "%s%.10g%s", i ? "," : "(", g->param[i],
			     i + 1 == g->nparam ? ")" : "");
		len += r > 0 ? (size_t)r : 0;
	}
	for (int i = 0; i < g->nq && len < size; i++) {
		r = snprintf(buf + len, size - len, "%sq[%d]", i ? "," : " ", g->q[i]);
		len += r > 0 ? (size_t)r : 0;
	}
}

/* 1-qubit matrix of a named gate. */
static void matrix1(const struct qml_gate *g, double complex m[4])
{
	const char *n = g->name;
	double t = g->param[0], c = cos(t / 2), s = sin(t / 2);
	const double r2 = 1 / sqrt(2.0);
	m[0] = 1, m[1] = 0, m[2] = 0, m[3] = 1;
	if (!strcmp(n, "h")) {
		m[0] = r2, m[1] = r2, m[2] = r2, m[3] = -r2;
	} else if (!strcmp(n, "x")) {
		m[0] = 0, m[1] = 1, m[2] = 1, m[3] = 0;
	} else if (!strcmp(n, "y")) {
		m[0] = 0, m[1] = -I, m[2] = I, m[3] = 0;
	} else if (!strcmp(n, "z")) {
		m[3] = -1;
	} else if (!strcmp(n, "s")) {
		m[3] = I;
	} else if (!strcmp(n, "sdg")) {
		m[3] = -I;
	} else if (!strcmp(n, "t")) {
		m[3] = cexp(I * M_PI / 4);
	} else if (!strcmp(n, "tdg")) {
		m[3] = cexp(-I * M_PI / 4);
	} else if (!strcmp(n, "sx")) { /* sqrt(X) = 1/2 [[1+i, 1-i], [1-i, 1+i]] */
		m[0] = m[3] = 0.5 * (1 + I);
		m[1] = m[2] = 0.5 * (1 - I);
	} else if (!strcmp(n, "rx")) {
		m[0] = c, m[1] = -I * s, m[2] = -I * s, m[3] = c;
	} else if (!strcmp(n, "ry")) {
		m[0] = c, m[1] = -s, m[2] = s, m[3] = c;
	} else if (!strcmp(n, "rz")) {
		m[0] = cexp(-I * t / 2), m[3] = cexp(I * t / 2);
	} else if (!strcmp(n, "p")) {
		m[3] = cexp(I * t);
	} else if (!strcmp(n, "u")) {
		double ph = g->param[1], la = g->param[2];
		m[0] = c, m[1] = -cexp(I * la) * s;
		m[2] = cexp(I * ph) * s, m[3] = cexp(I * (ph + la)) * c;
	} else {
		assert(!strcmp(n, "id"));
	}
}

void qml_gate_matrix(const struct qml_gate *g, double complex *m)
{
	int d = 1 << g->nq;
	if (g->nq == 1) {
		matrix1(g, m);
		return;
	}
	for (int i = 0; i < d * d; i++)
		m[i] = 0;
	for (int i = 0; i < d; i++)
		m[i * d + i] = 1;
	const char *n = g->name;
	if (!strcmp(n, "swap")) {
		m[1 * 4 + 1] = m[2 * 4 + 2] = 0;
		m[1 * 4 + 2] = m[2 * 4 + 1] = 1;
	} else if (!strcmp(n, "rzz")) { /* exp(-i t/2 Z(x)Z) */
		double t = g->param[0];
		for (int i = 0; i < 4; i++)
			m[i * 4 + i] = cexp((((i ^ (i >> 1)) & 1) ? 0.5 : -0.5) * I * t);
	} else if (!strcmp(n, "ccx")) { /* controls q0, q1 (bits 0, 1), target bit 2 */
		m[3 * 8 + 3] = m[7 * 8 + 7] = 0;
		m[3 * 8 + 7] = m[7 * 8 + 3] = 1;
	} else {
		/* controlled 1-qubit gate: control = local bit 0, target = local bit 1; the
		 * target's 2x2 acts on indices 1 (target 0) and 3 (target 1) */
		struct qml_gate t1 = *g;
		t1.nq = 1;
		const char *base = n[0] == 'c' ? n + 1 : n;
		snprintf(t1.name, sizeof t1.name, "%s", !strcmp(base, "x") ? "x" : base);
		double complex u[4];
		matrix1(&t1, u);
		m[1 * 4 + 1] = u[0], m[1 * 4 + 3] = u[1];
		m[3 * 4 + 1] = u[2], m[3 * 4 + 3] = u[3];
	}
}

void qml_sv_apply(double complex *a, int n, const double complex *m, const int *q, int nqg)
{
	int d = 1 << nqg;
	size_t dim = (size_t)1 << n;
	size_t mask = 0, off[8];
	for (int k = 0; k < nqg; k++)
		mask |= (size_t)1 << q[k];
	for (int l = 0; l < d; l++) {
		off[l] = 0;
		for (int k = 0; k < nqg; k++)
			if (l >> k & 1)
				off[l] |= (size_t)1 << q[k];
	}
	for (size_t i = 0; i < dim; i++) {
		if (i & mask)
			continue;
		double complex v[8], w[8];
		for (int l = 0; l < d; l++)
			v[l] = a[i | off[l]];
		for (int r = 0; r < d; r++) {
			w[r] = 0;
			for (int c = 0; c < d; c++)
				w[r] += m[r * d + c] * v[c];
		}
		for (int l = 0; l < d; l++)
			a[i | off[l]] = w[l];
	}
}
