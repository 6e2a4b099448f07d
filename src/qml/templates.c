/*
 * qml/templates.c: circuit templates as struct qs_circuit -- angle encoding,
 * ZZFeatureMap, RealAmplitudes, the classifier, the QCNN conv/pool blocks and the
 * 8-qubit QCNN -- and the bridge between the quanvolution filter and qsim circuits
 * (filter -> circuit for stepping, circuit/QASM -> filter).
 *
 * Definitions follow Qiskit (CONVENTIONS sections 5, 6); the circuits are the
 * simulator's IR with symbolic angles, not the fast classifier path (qlayer.c), which
 * the tests hold against these.
 */
#include "qml-internal.h"
#include "qcq/qsim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum qcq_status qml_entanglement_parse(const char *text, enum qml_entanglement *out,
				       struct qcq_error *err)
{
	if (!strcmp(text, "full"))
		*out = QML_ENT_FULL;
	else if (!strcmp(text, "linear"))
		*out = QML_ENT_LINEAR;
	else if (!strcmp(text, "reverse_linear"))
		*out = QML_ENT_REVERSE_LINEAR;
	else
		return qcq_error_set(err, QCQ_EINVAL,
				     "entanglement '%s' unknown (full, linear or reverse_linear)",
				     text);
	return QCQ_OK;
}

const char *qml_entanglement_name(enum qml_entanglement e)
{
	return e == QML_ENT_FULL ? "full" : e == QML_ENT_LINEAR ? "linear" : "reverse_linear";
}

/* the entanglement pairs of Qiskit's get_entangler_map, in order; returns the count */
static int ent_pairs(int n, enum qml_entanglement ent, int (*p)[2])
{
	int m = 0;
	if (ent == QML_ENT_FULL) {
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				p[m][0] = i, p[m][1] = j, m++;
	} else if (ent == QML_ENT_LINEAR) {
		for (int i = 0; i + 1 < n; i++)
			p[m][0] = i, p[m][1] = i + 1, m++;
	} else {
		for (int i = n - 2; i >= 0; i--)
			p[m][0] = i, p[m][1] = i + 1, m++;
	}
	return m;
}

static enum qcq_status check_size(const struct qs_circuit *c, const char *what, int n, int reps,
				  int min_reps, struct qcq_error *err)
{
	if (n < 1 || n > QML_TPL_MAX_QUBITS)
		return qcq_error_set(err, QCQ_ERANGE, "%s: %d qubits out of range [1, %d]", what, n,
				     QML_TPL_MAX_QUBITS);
	if (n > c->nqubits)
		return qcq_error_set(err, QCQ_ERANGE, "%s: needs %d qubits (circuit has %d)", what,
				     n, c->nqubits);
	if (reps < min_reps || reps > QML_TPL_MAX_REPS)
		return qcq_error_set(err, QCQ_ERANGE, "%s: reps %d out of range [%d, %d]", what,
				     reps, min_reps, QML_TPL_MAX_REPS);
	return QCQ_OK;
}

static enum qcq_status add1(struct qs_circuit *c, enum qs_gate_kind k, int q, struct qs_angle a,
			    struct qcq_error *err)
{
	return qs_circuit_add(c, k, &q, &a, err);
}

static enum qcq_status add0(struct qs_circuit *c, enum qs_gate_kind k, int q0, int q1,
			    struct qcq_error *err)
{
	int q[2] = {q0, q1};
	return qs_circuit_add(c, k, q, NULL, err);
}

enum qcq_status qml_tpl_angle_encoding(struct qs_circuit *c, int n, uint32_t x_offset,
				       struct qcq_error *err)
{
	enum qcq_status st = check_size(c, "angle encoding", n, 1, 1, err);
	for (int q = 0; q < n && !st; q++)
		st = add1(c, QS_G_RY, q, qs_angle_x(x_offset + (uint32_t)q, M_PI), err);
	return st;
}

enum qcq_status qml_tpl_zz_feature_map(struct qs_circuit *c, int n, int reps,
				       enum qml_entanglement ent, uint32_t x_offset,
				       struct qcq_error *err)
{
	enum qcq_status st = check_size(c, "zz feature map", n, reps, 1, err);
	int (*pairs)[2] = qcq_xmalloc(sizeof *pairs * (size_t)(n * n + 1));
	int np = ent_pairs(n, ent, pairs);
	for (int r = 0; r < reps && !st; r++) {
		for (int q = 0; q < n && !st; q++)
			st = add1(c, QS_G_H, q, qs_angle_const(0), err);
		for (int q = 0; q < n && !st; q++)
			st = add1(c, QS_G_P, q, qs_angle_x(x_offset + (uint32_t)q, 2), err);
		for (int k = 0; k < np && !st; k++) {
			int i = pairs[k][0], j = pairs[k][1];
			char text[64];
			struct qs_angle a;
			snprintf(text, sizeof text, "2*(pi-x%u)*(pi-x%u)", x_offset + (uint32_t)i,
				 x_offset + (uint32_t)j);
			st = qs_angle_parse(text, &a, NULL, err);
			if (!st)
				st = add0(c, QS_G_CX, i, j, err);
			if (!st)
				st = add1(c, QS_G_P, j, a, err);
			if (!st)
				st = add0(c, QS_G_CX, i, j, err);
		}
	}
	free(pairs);
	return st;
}

enum qcq_status qml_tpl_real_amplitudes(struct qs_circuit *c, int n, int reps,
					enum qml_entanglement ent, uint32_t w_offset,
					struct qcq_error *err)
{
	enum qcq_status st = check_size(c, "real amplitudes", n, reps, 0, err);
	int (*pairs)[2] = qcq_xmalloc(sizeof *pairs * (size_t)(n * n + 1));
	int np = ent_pairs(n, ent, pairs);
	for (int k = 0; k <= reps && !st; k++) {
		for (int q = 0; q < n && !st; q++)
			st = add1(c, QS_G_RY, q,
				  qs_angle_w(w_offset + (uint32_t)(k * n + q)), err);
		for (int p = 0; k < reps && p < np && !st; p++)
			st = add0(c, QS_G_CX, pairs[p][0], pairs[p][1], err);
	}
	free(pairs);
	return st;
}

/* ---------------------------------------------------------------- QCNN */

static enum qcq_status block(struct qs_circuit *c, int a, int b, uint32_t w, bool conv,
			     struct qcq_error *err)
{
	/* conv acts on (a, b); pool on (src = a, snk = b): same first six gates */
	enum qcq_status st = add1(c, QS_G_RZ, b, qs_angle_const(-M_PI / 2), err);
	if (!st)
		st = add0(c, QS_G_CX, b, a, err);
	if (!st)
		st = add1(c, QS_G_RZ, a, qs_angle_w(w), err);
	if (!st)
		st = add1(c, QS_G_RY, b, qs_angle_w(w + 1), err);
	if (!st)
		st = add0(c, QS_G_CX, a, b, err);
	if (!st)
		st = add1(c, QS_G_RY, b, qs_angle_w(w + 2), err);
	if (conv && !st)
		st = add0(c, QS_G_CX, b, a, err);
	if (conv && !st)
		st = add1(c, QS_G_RZ, a, qs_angle_const(M_PI / 2), err);
	return st;
}

enum qcq_status qml_tpl_qcnn_conv(struct qs_circuit *c, const int *q, int n, uint32_t w_offset,
				  struct qcq_error *err)
{
	if (n < 2 || n % 2 || n > QML_TPL_MAX_QUBITS)
		return qcq_error_set(err, QCQ_EINVAL, "qcnn conv: %d qubits (need an even 2..%d)",
				     n, QML_TPL_MAX_QUBITS);
	enum qcq_status st = QCQ_OK;
	uint32_t w = w_offset;
	for (int i = 0; i + 1 < n && !st; i += 2, w += 3)
		st = block(c, q[i], q[i + 1], w, true, err);
	for (int i = 1; i < n && !st; i += 2, w += 3)
		st = block(c, q[i], q[(i + 1) % n], w, true, err);
	return st;
}

enum qcq_status qml_tpl_qcnn_pool(struct qs_circuit *c, const int *src, const int *snk, int m,
				  uint32_t w_offset, struct qcq_error *err)
{
	if (m < 1 || m > QML_TPL_MAX_QUBITS)
		return qcq_error_set(err, QCQ_EINVAL, "qcnn pool: %d pairs out of range [1, %d]",
				     m, QML_TPL_MAX_QUBITS);
	enum qcq_status st = QCQ_OK;
	for (int i = 0; i < m && !st; i++)
		st = block(c, src[i], snk[i], w_offset + 3 * (uint32_t)i, false, err);
	return st;
}

/* ---------------------------------------------------------------- whole circuits */

static enum qcq_status finish(struct qs_circuit *c, enum qcq_status st, struct qs_circuit **out)
{
	if (st) {
		qs_circuit_destroy(c);
		*out = NULL;
	} else {
		*out = c;
	}
	return st;
}

static enum qcq_status new_circuit(int n, struct qs_circuit **c, struct qcq_error *err)
{
	if (n < 1 || n > QML_TPL_MAX_QUBITS)
		return qcq_error_set(err, QCQ_ERANGE, "%d qubits out of range [1, %d]", n,
				     QML_TPL_MAX_QUBITS);
	return qs_circuit_create(n, c, err);
}

enum qcq_status qml_circuit_zz(int n, int reps, enum qml_entanglement ent,
			       struct qs_circuit **out, struct qcq_error *err)
{
	struct qs_circuit *c;
	*out = NULL;
	enum qcq_status st = new_circuit(n, &c, err);
	if (st)
		return st;
	return finish(c, qml_tpl_zz_feature_map(c, n, reps, ent, 0, err), out);
}

enum qcq_status qml_circuit_realamp(int n, int reps, enum qml_entanglement ent,
				    struct qs_circuit **out, struct qcq_error *err)
{
	struct qs_circuit *c;
	*out = NULL;
	enum qcq_status st = new_circuit(n, &c, err);
	if (st)
		return st;
	return finish(c, qml_tpl_real_amplitudes(c, n, reps, ent, 0, err), out);
}

enum qcq_status qml_circuit_classifier(int n, int fm_reps, int reps, enum qml_entanglement ent,
				       struct qs_circuit **out, struct qcq_error *err)
{
	struct qs_circuit *c;
	*out = NULL;
	enum qcq_status st = new_circuit(n, &c, err);
	if (st)
		return st;
	st = qml_tpl_zz_feature_map(c, n, fm_reps, QML_ENT_FULL, 0, err);
	if (!st)
		st = qml_tpl_real_amplitudes(c, n, reps, ent, 0, err);
	return finish(c, st, out);
}

enum qcq_status qml_circuit_classifier_product(int depth, struct qs_circuit **out,
					       struct qcq_error *err)
{
	struct qs_circuit *c;
	*out = NULL;
	if (depth < 1 || depth > QML_QLAYER_MAX_DEPTH)
		return qcq_error_set(err, QCQ_ERANGE, "depth %d out of range [1, %d]", depth,
				     QML_QLAYER_MAX_DEPTH);
	enum qcq_status st = new_circuit(2, &c, err);
	if (st)
		return st;
	struct qs_angle zz;
	st = qs_angle_parse("2*(pi-x0)*(pi-x1)", &zz, NULL, err);
	for (int r = 0; r < 2 && !st; r++) { /* ZZFeatureMap with the local part of ZZ only */
		for (int q = 0; q < 2 && !st; q++)
			st = add1(c, QS_G_H, q, qs_angle_const(0), err);
		for (int q = 0; q < 2 && !st; q++)
			st = add1(c, QS_G_P, q, qs_angle_x((uint32_t)q, 2), err);
		for (int q = 0; q < 2 && !st; q++)
			st = add1(c, QS_G_P, q, zz, err);
	}
	for (int k = 0; k <= depth && !st; k++) /* RealAmplitudes without its CX */
		for (int q = 0; q < 2 && !st; q++)
			st = add1(c, QS_G_RY, q, qs_angle_w((uint32_t)(2 * k + q)), err);
	return finish(c, st, out);
}

enum qcq_status qml_circuit_qcnn8(struct qs_circuit **out, struct qcq_error *err)
{
	static const int all[8] = {0, 1, 2, 3, 4, 5, 6, 7};
	static const int src1[4] = {0, 1, 2, 3}, snk1[4] = {4, 5, 6, 7};
	static const int src2[2] = {4, 5}, snk2[2] = {6, 7};
	static const int src3[1] = {6}, snk3[1] = {7};
	struct qs_circuit *c;
	*out = NULL;
	enum qcq_status st = new_circuit(8, &c, err);
	if (st)
		return st;
	st = qml_tpl_angle_encoding(c, 8, 0, err);
	if (!st)
		st = qml_tpl_qcnn_conv(c, all, 8, 0, err); /* 24 weights */
	if (!st)
		st = qml_tpl_qcnn_pool(c, src1, snk1, 4, 24, err); /* 12 */
	if (!st)
		st = qml_tpl_qcnn_conv(c, snk1, 4, 36, err); /* 12 */
	if (!st)
		st = qml_tpl_qcnn_pool(c, src2, snk2, 2, 48, err); /* 6 */
	if (!st)
		st = qml_tpl_qcnn_conv(c, snk2, 2, 54, err); /* 6 */
	if (!st)
		st = qml_tpl_qcnn_pool(c, src3, snk3, 1, 60, err); /* 3 */
	return finish(c, st, out);
}

/* ---------------------------------------------------------------- filter <-> circuit */

enum qcq_status qml_filter_to_circuit(const struct qml_filter *f, const double *patch,
				      struct qs_circuit **out, struct qcq_error *err)
{
	struct qs_circuit *c;
	*out = NULL;
	enum qcq_status st = qs_circuit_create(f->nq, &c, err);
	if (st)
		return st;
	for (int q = 0; q < f->nq && !st; q++)
		st = add1(c, QS_G_RY, q,
			  patch ? qs_angle_const(M_PI * patch[q]) : qs_angle_x((uint32_t)q, M_PI),
			  err);
	for (int i = 0; i < f->ngates && !st; i++) {
		const struct qml_gate *g = &f->gates[i];
		enum qs_gate_kind k = qs_gate_lookup(g->name);
		st = qs_circuit_addc(c, k, g->q, g->param, err);
		if (st)
			qcq_error_prefix(err, "filter gate %d", i);
	}
	return finish(c, st, out);
}

enum qcq_status qml_filter_from_circuit(const struct qs_circuit *c, int stride, const char *name,
					struct qml_filter **out, struct qcq_error *err)
{
	int k = c->nqubits == 1 ? 1 : c->nqubits == 4 ? 2 : c->nqubits == 9 ? 3 : 0;
	*out = NULL;
	if (!k)
		return qcq_error_set(err, QCQ_EINVAL,
				     "a filter circuit needs 1, 4 or 9 qubits (k x k patch), got %d",
				     c->nqubits);
	if (c->ngates > QML_FILTER_MAX_GATES)
		return qcq_error_set(err, QCQ_ERANGE, "%zu gates out of range [0, %d]", c->ngates,
				     QML_FILTER_MAX_GATES);
	struct qml_gate *gs = qcq_xcalloc(c->ngates + 1, sizeof *gs);
	int n = 0;
	enum qcq_status st = QCQ_OK;
	for (size_t i = 0; i < c->ngates && !st; i++) {
		const struct qs_gate *g = &c->gates[i];
		if (g->kind == QS_G_BARRIER)
			continue;
		const struct qs_gate_info *gi = qs_gate_info(g->kind);
		double a[3];
		for (int j = 0; j < gi->nangles && !st; j++) {
			if (!qs_angle_is_const(&g->angle[j]))
				st = qcq_error_set(err, QCQ_EINVAL,
						   "gate %zu (%s): a filter needs constant angles",
						   i, gi->name);
			else
				a[j] = qs_angle_eval(&g->angle[j], NULL, NULL);
		}
		if (!st)
			st = qml_gate_make(&gs[n++], gi->name, g->q, gi->nqubits, a, gi->nangles,
					   err);
	}
	if (!st)
		st = qml_filter_create(out, k, stride, gs, n, name, err);
	free(gs);
	return st;
}
