/*
 * qsim/qasm-gatedef.c: OpenQASM 2.0 gate definitions. A definition is compiled when it
 * is read: each body statement becomes an op on formal qubit indices whose angles are
 * parsed once, with the formal parameters renamed w0, w1, ... (the weight slots of
 * struct qs_angle). A call evaluates those angles at the actual values and expands the
 * body inline. Bodies may call only earlier definitions, so expansion terminates, and
 * each definition knows how many gates one call adds: the budget is checked before
 * expanding, never half-way.
 */
#include "qasm-internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool qs_qasm_resolve(const struct qp *p, const char *name, struct callee *ce)
{
	*ce = (struct callee){.k = qs_gate_lookup(name), .def = -1, .u2 = !strcmp(name, "u2")};
	if (ce->u2)
		ce->k = QS_G_U;
	if (ce->k != QS_G_COUNT) {
		const struct qs_gate_info *gi = qs_gate_info(ce->k);
		ce->np = ce->u2 ? 2 : gi->nangles;
		ce->nq = ce->k == QS_G_BARRIER ? -1 : gi->nqubits;
		return true;
	}
	for (int i = 0; i < p->ndefs; i++) {
		if (!p->defs[i].builtin && strcmp(p->defs[i].name, name) == 0) {
			ce->def = i, ce->np = p->defs[i].np, ce->nq = p->defs[i].nq;
			return true;
		}
	}
	return false;
}

/* A statement of the body being read: callee on formal qubits, angles over formal
 * parameters. A barrier marks all qubits, so its (checked) arguments are not kept. */
enum qcq_status qs_qasm_add_op(struct qp *p, const struct callee *ce, const char *name,
			      const struct qs_angle *ang, const struct arg *args, int nargs, size_t at)
{
	struct gatedef *d = &p->body->d;
	int na = ce->def >= 0 ? ce->np : qs_gate_info(ce->k)->nangles;
	for (int j = 0; ce->k != QS_G_BARRIER && j < nargs; j++)
		for (int i = 0; i < j; i++)
			if (args[i].index == args[j].index)
				return qs_qasm_failf(p, args[j].at, "%s: qubit '%s' used twice", name,
					     p->body->qub[args[j].index]);
	if (p->nbody + 1 + na > MAX_BODY)
		return qs_qasm_failf(p, at, "gate bodies hold more than %d statements and parameters",
			     MAX_BODY);
	p->nbody += 1 + na;
	if (d->nops == d->capops) {
		d->capops = d->capops ? 2 * d->capops : 8;
		d->ops = qcq_xrealloc(d->ops, sizeof *d->ops * (size_t)d->capops);
	}
	while (d->nang + na > d->capang) {
		d->capang = d->capang ? 2 * d->capang : 8;
		d->ang = qcq_xrealloc(d->ang, sizeof *d->ang * (size_t)d->capang);
	}
	struct op *o = &d->ops[d->nops++];
	*o = (struct op){.k = ce->k, .def = ce->def, .na = na, .first = d->nang, .at = at};
	o->nq = ce->k == QS_G_BARRIER ? 0 : nargs;
	for (int j = 0; j < o->nq; j++)
		o->q[j] = args[j].index;
	for (int j = 0; j < na; j++)
		d->ang[d->nang++] = ang[j];
	return QCQ_OK;
}

/* Appends the body of d with formal qubit j bound to q[j] and parameter j to v[j]. The
 * definition was checked when read; what can still fail is an angle that is not finite
 * at these values (1/p at p = 0) or a qubit measured earlier. */
static enum qcq_status expand(struct qp *p, const struct gatedef *d, const int *q, const double *v)
{
	for (int i = 0; i < d->nops; i++) {
		const struct op *o = &d->ops[i];
		int qq[MAX_ARGS];
		double vv[MAX_ARGS];
		struct qs_angle a[3];
		for (int j = 0; j < o->nq; j++)
			qq[j] = q[o->q[j]];
		for (int j = 0; j < o->na; j++) {
			vv[j] = qs_angle_eval(&d->ang[o->first + j], NULL, v);
			if (!isfinite(vv[j]))
				return qs_qasm_fail_in(p, d, o->at, "%s: parameter %d is not finite (%g)",
					       o->def >= 0 ? p->defs[o->def].name : qs_gate_info(o->k)->name,
					       j + 1, vv[j]);
			if (j < 3)
				a[j] = qs_angle_const(vv[j]);
		}
		if (o->def >= 0) {
			enum qcq_status st = expand(p, &p->defs[o->def], qq, vv);
			if (st)
				return st;
		} else if (qs_circuit_add(p->c, o->k, qq, o->na ? a : NULL, p->err)) {
			return qs_qasm_fail_in(p, d, o->at, "%s", p->err ? p->err->msg : "bad gate");
		}
	}
	return QCQ_OK;
}

/* A call of definition d at the top level with constant angles: budget first, then one
 * expansion per broadcast index. */
enum qcq_status qs_qasm_call(struct qp *p, const struct gatedef *d, const struct qs_angle *ang,
			    const struct arg *args, int nargs, int size, size_t at)
{
	double v[MAX_ARGS];
	for (int j = 0; j < d->np; j++)
		v[j] = qs_angle_eval(&ang[j], NULL, NULL);
	if (p->nexpanded + d->cost * (uint64_t)size > MAX_EXPANDED)
		return qs_qasm_failf(p, at, "expanding '%s' would exceed the limit of %d gates from gate "
			     "definitions", d->name, MAX_EXPANDED);
	p->nexpanded += d->cost * (uint64_t)size;
	p->call_at = at;
	for (int b = 0; b < size; b++) {
		int q[MAX_ARGS];
		for (int j = 0; j < nargs; j++)
			q[j] = qs_qasm_arg_at(&args[j], b);
		if (qs_check_qubits_n(p->c->nqubits, q, nargs, d->name, p->err))
			return qs_qasm_circuit_fail(p, at);
		enum qcq_status st = expand(p, d, q, v);
		if (st)
			return st;
	}
	return QCQ_OK;
}

/* name, name, ... of a signature into names[*n ..]: each new, at most MAX_ARGS. */
static enum qcq_status formals(struct qp *p, char (*names)[MAX_NAME + 1], int *n,
			       const char *what)
{
	for (;;) {
		char name[MAX_NAME + 1];
		qs_qasm_skip(p);
		size_t at = p->pos;
		enum qcq_status st = qs_qasm_ident(p, name);
		if (st)
			return st;
		if (qs_qasm_find_name(p->body->par, p->body->d.np, name) >= 0 ||
		    qs_qasm_find_name(p->body->qub, p->body->d.nq, name) >= 0)
			return qs_qasm_failf(p, at, "'%s' declared twice", name);
		if (*n >= MAX_ARGS)
			return qs_qasm_failf(p, at, "more than %d %s", MAX_ARGS, what);
		memcpy(names[(*n)++], name, sizeof name);
		if (!qs_qasm_at_char(p, ','))
			return QCQ_OK;
		p->pos++;
	}
}

/* (p0, p1, ...) a, b, ... { statements }: parameters optional, "()" allowed. */
static enum qcq_status signature_and_body(struct qp *p, struct body *b)
{
	static const char *const banned[] = {"measure", "reset", "qreg", "creg", "gate",
					     "opaque", "if", "include", "OPENQASM"};
	enum qcq_status st = QCQ_OK;
	if (qs_qasm_at_char(p, '(')) {
		p->pos++;
		if (!qs_qasm_at_char(p, ')'))
			st = formals(p, b->par, &b->d.np, "parameters");
		if (!st)
			st = qs_qasm_expect(p, ')');
	}
	if (!st)
		st = formals(p, b->qub, &b->d.nq, "qubits");
	if (!st)
		st = qs_qasm_expect(p, '{');
	size_t open = p->pos - 1;
	while (!st && !qs_qasm_at_char(p, '}')) {
		char word[MAX_NAME + 1];
		size_t at = p->pos;
		if (at >= p->len)
			return qs_qasm_failf(p, open, "body has no closing '}'");
		if ((st = qs_qasm_ident(p, word)))
			break;
		for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
			if (strcmp(word, banned[i]) == 0)
				return qs_qasm_failf(p, at, "'%s' is not allowed in a gate body", word);
		st = qs_qasm_gate(p, word, at);
	}
	if (!st)
		p->pos++;
	return st;
}

/* Cost and nesting depth from the callees. A definition of a built-in gate (Qiskit writes
 * some for standard gates) must match its signature and is then dropped: calls keep the
 * built-in, which is the same gate with its own kernel and its own name in exports. */
static enum qcq_status finish(struct qp *p, struct gatedef *d)
{
	struct callee ce;
	for (int i = 0; i < d->nops; i++) {
		const struct gatedef *callee = d->ops[i].def >= 0 ? &p->defs[d->ops[i].def] : NULL;
		uint64_t c = callee ? callee->cost : 1;
		d->cost = d->cost + c > MAX_EXPANDED ? MAX_EXPANDED + 1 : d->cost + c;
		if (callee && callee->depth > d->depth)
			d->depth = callee->depth;
	}
	if (++d->depth > MAX_NEST)
		return qs_qasm_failf(p, d->at, "definitions nested more than %d deep", MAX_NEST);
	if (!qs_qasm_resolve(p, d->name, &ce))
		return QCQ_OK;
	if (ce.k == QS_G_BARRIER)
		return qs_qasm_failf(p, d->at, "barrier cannot be redefined");
	if (ce.np != d->np || ce.nq != d->nq)
		return qs_qasm_failf(p, d->at, "the built-in gate takes %d parameter(s) and %d qubit(s)",
			     ce.np, ce.nq);
	d->builtin = true;
	free(d->ops);
	free(d->ang);
	d->ops = NULL, d->ang = NULL, d->nops = d->nang = 0;
	return QCQ_OK;
}

/* gate name(params) qubits { body }, after the keyword. */
enum qcq_status qs_qasm_definition(struct qp *p)
{
	struct body b = {0};
	struct gatedef *d = &b.d;
	qs_qasm_skip(p);
	d->at = p->pos;
	enum qcq_status st = qs_qasm_ident(p, d->name);
	if (st)
		return st;
	for (int i = 0; i < p->ndefs; i++) {
		if (strcmp(p->defs[i].name, d->name) == 0) {
			int line;
			size_t col;
			qs_qasm_where(p, p->defs[i].at, &line, &col);
			return qs_qasm_failf(p, d->at, "gate '%s' already defined at line %d, col %zu",
				     d->name, line, col);
		}
	}
	if (p->ndefs >= MAX_DEFS)
		return qs_qasm_failf(p, d->at, "more than %d gate definitions", MAX_DEFS);
	p->body = &b;
	p->ctx = d->name;
	st = signature_and_body(p, &b);
	if (!st)
		st = finish(p, d);
	p->body = NULL;
	p->ctx = NULL;
	if (st) {
		free(d->ops);
		free(d->ang);
		return st;
	}
	if (!p->defs)
		p->defs = qcq_xmalloc(sizeof *p->defs * MAX_DEFS);
	p->defs[p->ndefs++] = *d;
	return QCQ_OK;
}

void qs_qasm_free_defs(struct qp *p)
{
	for (int i = 0; i < p->ndefs; i++) {
		free(p->defs[i].ops);
		free(p->defs[i].ang);
	}
	free(p->defs);
}
