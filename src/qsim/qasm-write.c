/*
 * qsim/qasm-write.c: OpenQASM 2.0 export. Angles are written as numbers evaluated at the
 * given inputs and weights, in a form that reads back exactly ("pi/2", shortest
 * round-trip decimals); a symbolic angle keeps its expression as a trailing comment.
 */
#include "qsim-internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *s;
	size_t len, cap;
};

static void bprintf(struct buf *b, const char *fmt, ...) QCQ_PRINTF(2, 3);

static void bprintf(struct buf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap * 2 + (size_t)(n > 0 ? n : 0) + 256;
		b->s = qcq_xrealloc(b->s, b->cap);
	}
}

static const char *qasm_name(enum qs_gate_kind k)
{
	return k == QS_G_U ? "u3" : qs_gate_info(k)->name;
}

static void write_gate(struct buf *b, const struct qs_gate *g, const double *x, const double *w,
		       int n)
{
	const struct qs_gate_info *gi = qs_gate_info(g->kind);
	bool symbolic = false;
	if (g->kind == QS_G_BARRIER) {
		bprintf(b, "barrier q;\n");
		return;
	}
	bprintf(b, "%s", qasm_name(g->kind));
	for (int j = 0; j < gi->nangles; j++) {
		char num[64];
		qs_format_number(qs_angle_eval(&g->angle[j], x, w), num, sizeof num);
		bprintf(b, "%s%s", j ? "," : "(", num);
		symbolic |= !qs_angle_is_const(&g->angle[j]);
	}
	bprintf(b, "%s", gi->nangles ? ") " : " ");
	for (int j = 0; j < gi->nqubits; j++)
		bprintf(b, "%sq[%d]", j ? "," : "", g->q[j]);
	bprintf(b, ";");
	for (int j = 0; symbolic && j < gi->nangles; j++) {
		char e[200];
		qs_angle_format(&g->angle[j], e, sizeof e);
		bprintf(b, "%s%s", j ? ", " : " // ", e);
	}
	bprintf(b, "\n");
	(void)n;
}

enum qcq_status qs_qasm_format(const struct qs_circuit *c, const double *x, const double *w,
			       char **out, struct qcq_error *err)
{
	if (c->ninputs && !x)
		return qcq_error_set(err, QCQ_EINVAL,
				     "circuit uses %u inputs: bind them before export", c->ninputs);
	if (c->nweights && !w)
		return qcq_error_set(err, QCQ_EINVAL,
				     "circuit uses %u weights: bind them before export", c->nweights);
	struct buf b = {qcq_xmalloc(256), 0, 256};
	bprintf(&b, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\n", c->nqubits);
	if (c->nclbits)
		bprintf(&b, "creg c[%d];\n", c->nclbits);
	for (size_t k = 0; k < c->ngates; k++)
		write_gate(&b, &c->gates[k], x, w, c->nqubits);
	for (size_t i = 0; i < c->nmeas; i++)
		bprintf(&b, "measure q[%d] -> c[%d];\n", c->meas_q[i], c->meas_c[i]);
	*out = b.s;
	return QCQ_OK;
}

enum qcq_status qs_qasm_save(const struct qs_circuit *c, const double *x, const double *w,
			     const char *path, struct qcq_error *err)
{
	char *text;
	enum qcq_status st = qs_qasm_format(c, x, w, &text, err);
	if (st)
		return st;
	st = qcq_write_file_atomic(path, text, strlen(text), err);
	free(text);
	return st;
}
