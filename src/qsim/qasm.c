/*
 * qsim/qasm.c: OpenQASM 2.0 import. A hand-written statement parser over the qelib1
 * subset qsim simulates (see qsim.h for what is accepted and rejected), with the
 * scanner in qasm-scan.c and gate definitions in qasm-gatedef.c. Every error names
 * "line L, col C". Registers are concatenated in declaration order; the circuit is built
 * with room for the maximum number of qubits and trimmed to the declared total at the
 * end, so qreg may appear anywhere before its first use.
 */
#include "qasm-internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct reg *find_reg(const struct reg *regs, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(regs[i].name, name) == 0)
			return &regs[i];
	return NULL;
}

static enum qcq_status declare(struct qp *p, bool quantum)
{
	char name[MAX_NAME + 1];
	int size;
	size_t at;
	enum qcq_status st = qs_qasm_ident(p, name);
	at = p->pos;
	if (!st)
		st = qs_qasm_expect(p, '[');
	if (!st)
		st = qs_qasm_integer(p, QS_MAX_QUBITS_PURE + 1, &size);
	if (!st)
		st = qs_qasm_expect(p, ']');
	if (!st)
		st = qs_qasm_expect(p, ';');
	if (st)
		return st;
	struct reg *regs = quantum ? p->qregs : p->cregs;
	int *n = quantum ? &p->nq : &p->nc, *total = quantum ? &p->total_q : &p->total_c;
	if (find_reg(p->qregs, p->nq, name) || find_reg(p->cregs, p->nc, name))
		return qs_qasm_failf(p, at - strlen(name), "register '%s' declared twice", name);
	if (*n >= MAX_REGS)
		return qs_qasm_failf(p, at, "more than %d registers", MAX_REGS);
	if (size < 1 || *total + size > QS_MAX_QUBITS_PURE)
		return qs_qasm_failf(p, at, "register size %d: total would be %d (1 to %d allowed)", size,
			     *total + size, QS_MAX_QUBITS_PURE);
	regs[*n] = (struct reg){.offset = *total, .size = size};
	snprintf(regs[*n].name, sizeof regs[*n].name, "%s", name);
	(*n)++;
	*total += size;
	return QCQ_OK;
}

static enum qcq_status argument(struct qp *p, bool quantum, struct arg *a)
{
	char name[MAX_NAME + 1];
	qs_qasm_skip(p);
	size_t at = a->at = p->pos;
	enum qcq_status st = qs_qasm_ident(p, name);
	if (st)
		return st;
	if (p->body) { /* a formal qubit, never indexed (OpenQASM 2.0 section 3.1) */
		if (qs_qasm_at_char(p, '['))
			return qs_qasm_failf(p, p->pos, "indexing is not allowed in a gate body");
		a->r = NULL;
		a->index = qs_qasm_find_name(p->body->qub, p->body->d.nq, name);
		return a->index < 0 ? qs_qasm_failf(p, at, "unknown qubit '%s'", name) : QCQ_OK;
	}
	a->r = quantum ? find_reg(p->qregs, p->nq, name) : find_reg(p->cregs, p->nc, name);
	if (!a->r)
		return qs_qasm_failf(p, at, "unknown %s register '%s'", quantum ? "quantum" : "classical", name);
	a->index = -1;
	if (!qs_qasm_at_char(p, '['))
		return QCQ_OK;
	p->pos++;
	size_t ia = p->pos;
	if ((st = qs_qasm_integer(p, 1 << 30, &a->index)) || (st = qs_qasm_expect(p, ']')))
		return st;
	if (a->index >= a->r->size)
		return qs_qasm_failf(p, ia, "index %d out of range for %s[%d]", a->index, name, a->r->size);
	return QCQ_OK;
}

int qs_qasm_arg_at(const struct arg *a, int k)
{
	return a->r->offset + (a->index >= 0 ? a->index : k);
}

/* Broadcast size of an argument list: 1 when all are single, else the register size. */
static enum qcq_status broadcast(struct qp *p, const struct arg *a, int n, size_t at, int *out)
{
	int size = 1;
	for (int j = 0; j < n; j++) {
		if (a[j].index >= 0)
			continue;
		if (size > 1 && a[j].r->size != size)
			return qs_qasm_failf(p, at, "registers of different sizes (%d and %d)", size, a[j].r->size);
		size = a[j].r->size;
	}
	*out = size;
	return QCQ_OK;
}

static enum qcq_status params(struct qp *p, struct qs_angle *ang, int want, const char *name)
{
	int n = 0;
	if (!qs_qasm_at_char(p, '(')) {
		if (want)
			return qs_qasm_failf(p, p->pos, "%s needs %d parameter(s)", name, want);
		return QCQ_OK;
	}
	p->pos++;
	while (!(n == 0 && qs_qasm_at_char(p, ')'))) { /* name() is name */
		struct qs_angle a;
		enum qcq_status st = qs_qasm_expr(p, &a);
		if (st)
			return st;
		if (n < want) /* ang has room for want angles only (u2 passes ang + 1) */
			ang[n] = a;
		n++;
		if (!qs_qasm_at_char(p, ','))
			break;
		p->pos++;
	}
	enum qcq_status st = qs_qasm_expect(p, ')');
	if (st)
		return st;
	if (n != want)
		return qs_qasm_failf(p, p->pos - 1, "%s takes %d parameter(s), got %d", name, want, n);
	return QCQ_OK;
}

static enum qcq_status arglist(struct qp *p, struct arg *args, int want, int *nargs,
			       const char *name)
{
	int n = 0;
	for (;;) {
		struct arg extra; /* barrier: any number, only the first MAX_ARGS kept */
		if (want >= 0 && n >= want)
			return qs_qasm_failf(p, p->pos, "%s takes %d qubit argument(s)", name, want);
		enum qcq_status st = argument(p, true, n < MAX_ARGS ? &args[n] : &extra);
		n++;
		if (st)
			return st;
		if (!qs_qasm_at_char(p, ','))
			break;
		p->pos++;
	}
	if (want >= 0 && n != want)
		return qs_qasm_failf(p, p->pos, "%s takes %d qubit argument(s), got %d", name, want, n);
	*nargs = n < MAX_ARGS ? n : MAX_ARGS;
	return qs_qasm_expect(p, ';');
}

enum qcq_status qs_qasm_gate(struct qp *p, const char *name, size_t at)
{
	struct callee ce;
	if (!qs_qasm_resolve(p, name, &ce))
		return qs_qasm_failf(p, at, "unknown gate '%s'", name);
	struct qs_angle ang[MAX_ARGS];
	struct arg args[MAX_ARGS];
	int nargs = 0, size = 1;
	enum qcq_status st = params(p, ce.u2 ? ang + 1 : ang, ce.np, name);
	if (!st)
		st = arglist(p, args, ce.nq, &nargs, name);
	if (st)
		return st;
	if (ce.u2)
		ang[0] = qs_angle_const(M_PI / 2);
	if (p->body)
		return qs_qasm_add_op(p, &ce, name, ang, args, nargs, at);
	if (ce.k == QS_G_BARRIER)
		return qs_circuit_add(p->c, ce.k, NULL, NULL, p->err) ? qs_qasm_circuit_fail(p, at) : QCQ_OK;
	if ((st = broadcast(p, args, nargs, at, &size)))
		return st;
	if (ce.def >= 0)
		return qs_qasm_call(p, &p->defs[ce.def], ang, args, nargs, size, at);
	for (int b = 0; b < size; b++) {
		int q[MAX_ARGS];
		for (int j = 0; j < nargs; j++)
			q[j] = qs_qasm_arg_at(&args[j], b);
		if (qs_circuit_add(p->c, ce.k, q, ang, p->err))
			return qs_qasm_circuit_fail(p, at);
	}
	return QCQ_OK;
}

static enum qcq_status measure(struct qp *p, size_t at)
{
	struct arg q, c;
	enum qcq_status st = argument(p, true, &q);
	if (!st && (st = qs_qasm_expect(p, '-')) == QCQ_OK && p->pos < p->len && p->s[p->pos] == '>')
		p->pos++;
	else if (!st)
		return qs_qasm_failf(p, p->pos, "expected '->'");
	if (!st)
		st = argument(p, false, &c);
	if (!st)
		st = qs_qasm_expect(p, ';');
	if (st)
		return st;
	int nq = q.index >= 0 ? 1 : q.r->size, nc = c.index >= 0 ? 1 : c.r->size;
	if (nq != nc)
		return qs_qasm_failf(p, at, "measure: %d qubit(s) into %d bit(s)", nq, nc);
	for (int b = 0; b < nq; b++)
		if (qs_circuit_measure(p->c, qs_qasm_arg_at(&q, b), qs_qasm_arg_at(&c, b), p->err))
			return qs_qasm_circuit_fail(p, at);
	return QCQ_OK;
}

static enum qcq_status header(struct qp *p, size_t at)
{
	qs_qasm_skip(p);
	size_t b = p->pos;
	while (p->pos < p->len && (isdigit((unsigned char)p->s[p->pos]) || p->s[p->pos] == '.'))
		p->pos++;
	if (!((p->pos - b == 3 && memcmp(p->s + b, "2.0", 3) == 0) ||
	      (p->pos - b == 1 && p->s[b] == '2')))
		return qs_qasm_failf(p, b, "only OPENQASM 2.0 is supported");
	return qs_qasm_expect(p, ';');
}

static enum qcq_status include(struct qp *p)
{
	qs_qasm_skip(p);
	static const char want[] = "\"qelib1.inc\"";
	if (p->len - p->pos < sizeof want - 1 || memcmp(p->s + p->pos, want, sizeof want - 1) != 0)
		return qs_qasm_failf(p, p->pos, "only include \"qelib1.inc\" is supported");
	p->pos += sizeof want - 1;
	return qs_qasm_expect(p, ';');
}

static enum qcq_status statement(struct qp *p)
{
	char word[MAX_NAME + 1];
	qs_qasm_skip(p);
	size_t at = p->pos;
	enum qcq_status st = qs_qasm_ident(p, word);
	if (st)
		return st;
	if (strcmp(word, "OPENQASM") == 0)
		return at == 0 || p->c->ngates == 0 ? header(p, at)
						    : qs_qasm_failf(p, at, "OPENQASM must come first");
	if (strcmp(word, "include") == 0)
		return include(p);
	if (strcmp(word, "qreg") == 0 || strcmp(word, "creg") == 0)
		return declare(p, word[0] == 'q');
	if (strcmp(word, "measure") == 0)
		return measure(p, at);
	if (strcmp(word, "gate") == 0)
		return qs_qasm_definition(p);
	if (!strcmp(word, "opaque") || !strcmp(word, "if") || !strcmp(word, "reset"))
		return qs_qasm_failf(p, at, "'%s' is not supported", word);
	return qs_qasm_gate(p, word, at);
}

enum qcq_status qs_qasm_parse(const char *text, size_t len, struct qs_circuit **out,
			      struct qcq_error *err)
{
	struct qp p = {.s = text, .len = len, .line = 1, .err = err};
	for (size_t i = 0; i < len; i++)
		if (text[i] == 0)
			return qs_qasm_failf(&p, i, "NUL byte in text");
	qs_circuit_create(QS_MAX_QUBITS_PURE, &p.c, NULL);
	enum qcq_status st = QCQ_OK;
	for (qs_qasm_skip(&p); !st && p.pos < p.len; qs_qasm_skip(&p))
		st = statement(&p);
	if (!st && p.total_q == 0)
		st = qcq_error_set(err, QCQ_EFORMAT, "line %d, col 1: no qreg declared", p.line);
	qs_qasm_free_defs(&p);
	if (st) {
		qs_circuit_destroy(p.c);
		return st;
	}
	p.c->nqubits = p.total_q;
	p.c->nclbits = p.total_c > p.c->nclbits ? p.total_c : p.c->nclbits;
	*out = p.c;
	return QCQ_OK;
}

enum qcq_status qs_qasm_load(const char *path, struct qs_circuit **out, struct qcq_error *err)
{
	char *data;
	size_t n;
	enum qcq_status st = qcq_read_file(path, (size_t)64 << 20, &data, &n, err);
	if (st)
		return st;
	st = qs_qasm_parse(data, n, out, err);
	free(data);
	if (st)
		qcq_error_prefix(err, "%s", path);
	return st;
}
