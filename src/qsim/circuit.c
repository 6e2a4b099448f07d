/*
 * qsim/circuit.c: the circuit IR (a gate list with angle expressions and final
 * measurements) and the noise model's validation and description. Building a circuit
 * validates each gate as it is added, so an executor never meets a bad gate.
 */
#include "qsim-internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum qcq_status qs_circuit_create(int n, struct qs_circuit **out, struct qcq_error *err)
{
	if (n < 1 || n > QS_MAX_QUBITS_PURE)
		return qcq_error_set(err, QCQ_ERANGE, "%d qubits is out of range for a circuit (1 to %d)",
				     n, QS_MAX_QUBITS_PURE);
	struct qs_circuit *c = qcq_xcalloc(1, sizeof *c);
	c->nqubits = n;
	*out = c;
	return QCQ_OK;
}

/* A copy of na angles, the last one cut to its ntok tokens (see struct qs_gate). */
static const struct qs_angle *angles_copy(const struct qs_angle *a, int na)
{
	if (na == 0)
		return NULL;
	size_t last = offsetof(struct qs_angle, tok) + (size_t)a[na - 1].ntok * sizeof a->tok[0];
	size_t bytes = (size_t)(na - 1) * sizeof *a + last;
	struct qs_angle *d = qcq_xmalloc(bytes);
	memcpy(d, a, bytes);
	return d;
}

void qs_circuit_destroy(struct qs_circuit *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ngates; i++)
		free((void *)c->gates[i].angle);
	free(c->gates);
	free(c->meas_q);
	free(c->meas_c);
	free(c);
}

enum qcq_status qs_circuit_clone(const struct qs_circuit *c, struct qs_circuit **out,
				 struct qcq_error *err)
{
	struct qs_circuit *d = qcq_xcalloc(1, sizeof *d);
	*d = *c;
	d->cap = c->ngates;
	d->gates = qcq_xmalloc(sizeof(struct qs_gate) * (c->ngates ? c->ngates : 1));
	for (size_t i = 0; i < c->ngates; i++) {
		d->gates[i] = c->gates[i];
		d->gates[i].angle = angles_copy(c->gates[i].angle, qs_gate_info(c->gates[i].kind)->nangles);
	}
	d->meas_q = qcq_xmalloc(sizeof(int) * (c->nmeas + 1));
	d->meas_c = qcq_xmalloc(sizeof(int) * (c->nmeas + 1));
	if (c->nmeas) {
		memcpy(d->meas_q, c->meas_q, sizeof(int) * c->nmeas);
		memcpy(d->meas_c, c->meas_c, sizeof(int) * c->nmeas);
	}
	*out = d;
	return QCQ_OK;
}

static bool measured(const struct qs_circuit *c, int q)
{
	for (size_t i = 0; i < c->nmeas; i++)
		if (c->meas_q[i] == q)
			return true;
	return false;
}

static enum qcq_status check_add(const struct qs_circuit *c, enum qs_gate_kind k, const int *q,
				 const struct qs_angle *angles, struct qcq_error *err)
{
	if ((int)k < 0 || k >= QS_G_COUNT)
		return qcq_error_set(err, QCQ_EINVAL, "unknown gate kind %d", (int)k);
	if (c->ngates >= QS_MAX_CIRCUIT_GATES)
		return qcq_error_set(err, QCQ_ERANGE, "circuit has the maximum of %d gates",
				     QS_MAX_CIRCUIT_GATES);
	const struct qs_gate_info *gi = qs_gate_info(k);
	enum qcq_status st = qs_check_qubits_n(c->nqubits, q, gi->nqubits, gi->name, err);
	if (st)
		return st;
	for (int j = 0; j < gi->nqubits; j++)
		if (measured(c, q[j]))
			return qcq_error_set(err, QCQ_EUNSUPPORTED,
					     "%s: qubit %d was already measured (only final measurements)",
					     gi->name, q[j]);
	if (gi->nangles && !angles)
		return qcq_error_set(err, QCQ_EINVAL, "%s needs %d angle(s)", gi->name, gi->nangles);
	for (int j = 0; j < gi->nangles; j++)
		if (angles[j].ntok < 1 || angles[j].ntok > QS_ANGLE_MAX_TOKENS)
			return qcq_error_set(err, QCQ_EINVAL, "%s: angle %d is empty", gi->name, j);
	return QCQ_OK;
}

enum qcq_status qs_circuit_add(struct qs_circuit *c, enum qs_gate_kind k, const int *qubits,
			       const struct qs_angle *angles, struct qcq_error *err)
{
	enum qcq_status st = check_add(c, k, qubits, angles, err);
	if (st)
		return st;
	if (c->ngates == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->gates = qcq_xrealloc(c->gates, sizeof(struct qs_gate) * c->cap);
	}
	const struct qs_gate_info *gi = qs_gate_info(k);
	struct qs_gate *g = &c->gates[c->ngates++];
	memset(g, 0, sizeof *g);
	g->kind = k;
	for (int j = 0; j < gi->nqubits; j++)
		g->q[j] = qubits[j];
	g->angle = angles_copy(angles, gi->nangles);
	for (int j = 0; j < gi->nangles; j++) {
		uint32_t nx, nw;
		qs_angle_vars(&angles[j], &nx, &nw);
		c->ninputs = nx > c->ninputs ? nx : c->ninputs;
		c->nweights = nw > c->nweights ? nw : c->nweights;
	}
	return QCQ_OK;
}

enum qcq_status qs_circuit_addc(struct qs_circuit *c, enum qs_gate_kind k, const int *qubits,
				const double *angles, struct qcq_error *err)
{
	struct qs_angle a[3];
	int na = ((int)k >= 0 && k < QS_G_COUNT) ? qs_gate_info(k)->nangles : 0;
	for (int j = 0; j < na; j++) {
		if (!isfinite(angles[j]))
			return qcq_error_set(err, QCQ_ENUMERIC, "angle %d is not finite", j);
		a[j] = qs_angle_const(angles[j]);
	}
	return qs_circuit_add(c, k, qubits, na ? a : NULL, err);
}

enum qcq_status qs_circuit_measure(struct qs_circuit *c, int q, int clbit, struct qcq_error *err)
{
	enum qcq_status st = qs_check_qubits_n(c->nqubits, &q, 1, "measure", err);
	if (st)
		return st;
	if (clbit < 0 || clbit >= QS_MAX_QUBITS_PURE)
		return qcq_error_set(err, QCQ_EINVAL, "measure: classical bit %d out of range", clbit);
	if (measured(c, q))
		return qcq_error_set(err, QCQ_EINVAL, "measure: qubit %d measured twice", q);
	c->meas_q = qcq_xrealloc(c->meas_q, sizeof(int) * (c->nmeas + 1));
	c->meas_c = qcq_xrealloc(c->meas_c, sizeof(int) * (c->nmeas + 1));
	c->meas_q[c->nmeas] = q;
	c->meas_c[c->nmeas++] = clbit;
	if (clbit + 1 > c->nclbits)
		c->nclbits = clbit + 1;
	return QCQ_OK;
}

bool qs_noise_is_zero(const struct qs_noise *nm)
{
	return !nm || (nm->p1 == 0 && nm->p2 == 0 && nm->gamma == 0 && nm->lambda == 0);
}

void qs_noise_describe(const struct qs_noise *nm, char *buf, size_t size)
{
	size_t len = 0;
	if (size == 0)
		return;
	buf[0] = '\0';
	if (nm && (nm->p1 > 0 || nm->p2 > 0))
		len += (size_t)snprintf(buf, size, "depolarizing p1=%g p2=%g", nm->p1, nm->p2);
	if (nm && (nm->gamma > 0 || nm->lambda > 0) && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%sdamping gamma=%g lambda=%g",
					len ? ", " : "", nm->gamma, nm->lambda);
	if (nm && (nm->readout.p01 > 0 || nm->readout.p10 > 0) && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%sreadout p01=%g p10=%g",
					len ? ", " : "", nm->readout.p01, nm->readout.p10);
	if (len == 0)
		snprintf(buf, size, "noiseless");
}

enum qcq_status qs_noise_check(const struct qs_noise *nm, struct qcq_error *err)
{
	if (!nm)
		return QCQ_OK;
	if (!(nm->p1 >= 0 && nm->p1 <= 4.0 / 3))
		return qcq_error_set(err, QCQ_EINVAL, "noise p1 %g out of range [0, 4/3]", nm->p1);
	if (!(nm->p2 >= 0 && nm->p2 <= 16.0 / 15))
		return qcq_error_set(err, QCQ_EINVAL, "noise p2 %g out of range [0, 16/15]", nm->p2);
	/* Qiskit's amplitude_damping_error and phase_damping_error take [0, 1] */
	if (!(nm->gamma >= 0 && nm->gamma <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "noise gamma %g out of range [0, 1]", nm->gamma);
	if (!(nm->lambda >= 0 && nm->lambda <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "noise lambda %g out of range [0, 1]",
				     nm->lambda);
	const struct qs_readout *r = &nm->readout;
	if (!(r->p01 >= 0 && r->p01 <= 1 && r->p10 >= 0 && r->p10 <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "readout probabilities %g, %g out of range [0, 1]",
				     r->p01, r->p10);
	return QCQ_OK;
}
