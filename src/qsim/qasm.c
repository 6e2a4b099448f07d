/*
 * qsim/qasm.c: OpenQASM 2.0 import. A hand-written scanner and statement parser over
 * the qelib1 subset qsim simulates (see qsim.h for what is accepted and rejected).
 * Every error names "line L, col C". Registers are concatenated in declaration order;
 * the circuit is built with room for the maximum number of qubits and trimmed to the
 * declared total at the end, so qreg may appear anywhere before its first use.
 *
 * A gate definition is compiled when it is read: each body statement becomes an op on
 * formal qubit indices whose angles are parsed once, with the formal parameters renamed
 * w0, w1, ... (the weight slots of struct qs_angle). A call evaluates those angles at the
 * actual values and expands the body inline. Bodies may call only earlier definitions,
 * so expansion terminates, and each definition knows how many gates one call adds: the
 * budget is checked before expanding, never half-way.
 */
#include "qsim-internal.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REGS 64
#define MAX_NAME 64
#define MAX_ARGS 16        /* qubits or parameters of a call or definition (built-ins: 3) */
#define MAX_DEFS 256       /* gate definitions in one file */
#define MAX_NEST 32        /* definitions calling definitions */
#define MAX_BODY 65536     /* statements plus parameters in all bodies together */
#define MAX_EXPR 256       /* characters of one angle expression in a body */
#define MAX_EXPANDED 100000 /* gates all calls of definitions may add (1 KB each) */

struct reg {
	char name[MAX_NAME + 1];
	int offset, size;
};

/* One body statement: built-in k (def < 0) or definition def on formal qubits q[], its
 * angles ang[first .. first + na) of the enclosing definition. */
struct op {
	enum qs_gate_kind k;
	int def, nq, na, first;
	int q[MAX_ARGS];
	size_t at;
};

struct gatedef {
	char name[MAX_NAME + 1];
	size_t at;      /* of the name */
	int np, nq, depth;
	bool builtin;   /* a name qsim simulates: checked when read, but calls use the built-in */
	uint64_t cost;  /* gates one call adds, saturated at MAX_EXPANDED + 1 */
	struct op *ops;
	struct qs_angle *ang;
	int nops, nang, capops, capang;
};

/* The definition being read and its formal names. */
struct body {
	struct gatedef d;
	char par[MAX_ARGS][MAX_NAME + 1], qub[MAX_ARGS][MAX_NAME + 1];
};

struct qp {
	const char *s;
	size_t len, pos, line_start;
	int line;
	struct reg qregs[MAX_REGS], cregs[MAX_REGS];
	int nq, nc, total_q, total_c;
	struct gatedef *defs; /* MAX_DEFS entries once the first definition is read */
	int ndefs, nbody;     /* nbody: statements plus parameters in all bodies */
	uint64_t nexpanded;   /* gates added by calls of definitions so far */
	struct body *body;    /* set while a definition is read */
	const char *ctx;      /* errors say "in gate 'ctx'" (and "called at call_at") */
	bool in_call;
	size_t call_at;
	struct qs_circuit *c;
	struct qcq_error *err;
};

/* One gate argument: a register and an index or -1 for the whole register; in a body,
 * r is NULL and index is the formal qubit. */
struct arg {
	const struct reg *r;
	int index;
	size_t at;
};

/* What a gate name calls: a built-in (u2 is U with theta = pi/2) or definition def. */
struct callee {
	enum qs_gate_kind k;
	int def, np, nq; /* nq -1: any number (barrier) */
	bool u2;
};

static void where(const struct qp *p, size_t at, int *line, size_t *col)
{
	size_t ls = 0;
	*line = 1;
	for (size_t i = 0; i < at && i < p->len; i++)
		if (p->s[i] == '\n')
			++*line, ls = i + 1;
	*col = at - ls + 1;
}

static enum qcq_status vfailf(struct qp *p, size_t at, const char *fmt, va_list ap)
{
	char msg[QCQ_ERROR_MSG_MAX], ctx[MAX_NAME + 80] = "";
	int line, cline;
	size_t col, ccol;
	vsnprintf(msg, sizeof msg, fmt, ap);
	where(p, at, &line, &col);
	if (p->ctx && p->in_call) {
		where(p, p->call_at, &cline, &ccol);
		snprintf(ctx, sizeof ctx, "in gate '%s' called at line %d, col %zu: ", p->ctx, cline,
			 ccol);
	} else if (p->ctx) {
		snprintf(ctx, sizeof ctx, "in gate '%s': ", p->ctx);
	}
	return qcq_error_set(p->err, QCQ_EFORMAT, "line %d, col %zu: %s%s", line, col, ctx, msg);
}

static enum qcq_status failf(struct qp *p, size_t at, const char *fmt, ...) QCQ_PRINTF(3, 4);
static enum qcq_status fail_in(struct qp *p, const struct gatedef *d, size_t at, const char *fmt,
			       ...) QCQ_PRINTF(4, 5);

static enum qcq_status failf(struct qp *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum qcq_status st = vfailf(p, at, fmt, ap);
	va_end(ap);
	return st;
}

/* An error at `at` in the body of d while expanding the call at p->call_at. */
static enum qcq_status fail_in(struct qp *p, const struct gatedef *d, size_t at, const char *fmt,
			       ...)
{
	va_list ap;
	va_start(ap, fmt);
	p->ctx = d->name;
	p->in_call = true;
	enum qcq_status st = vfailf(p, at, fmt, ap);
	p->ctx = NULL;
	p->in_call = false;
	va_end(ap);
	return st;
}

/* The circuit's own error (duplicate or measured qubit, too many gates) at `at`. */
static enum qcq_status circuit_fail(struct qp *p, size_t at)
{
	return failf(p, at, "%s", p->err ? p->err->msg : "bad gate");
}

static void skip(struct qp *p)
{
	while (p->pos < p->len) {
		char ch = p->s[p->pos];
		if (ch == '\n') {
			p->line++;
			p->line_start = ++p->pos;
		} else if (isspace((unsigned char)ch)) {
			p->pos++;
		} else if (ch == '/' && p->pos + 1 < p->len && p->s[p->pos + 1] == '/') {
			while (p->pos < p->len && p->s[p->pos] != '\n')
				p->pos++;
		} else {
			break;
		}
	}
}

static bool at_char(struct qp *p, char ch)
{
	skip(p);
	return p->pos < p->len && p->s[p->pos] == ch;
}

static enum qcq_status expect(struct qp *p, char ch)
{
	if (!at_char(p, ch)) {
		if (p->pos >= p->len)
			return failf(p, p->pos, "expected '%c' before end of file", ch);
		return failf(p, p->pos, "expected '%c'", ch);
	}
	p->pos++;
	return QCQ_OK;
}

static enum qcq_status ident(struct qp *p, char *out)
{
	skip(p);
	size_t b = p->pos;
	if (b >= p->len || !(isalpha((unsigned char)p->s[b]) || p->s[b] == '_'))
		return failf(p, b, b >= p->len ? "unexpected end of file" : "expected a name");
	while (p->pos < p->len && (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_'))
		p->pos++;
	if (p->pos - b > MAX_NAME)
		return failf(p, b, "name longer than %d characters", MAX_NAME);
	memcpy(out, p->s + b, p->pos - b);
	out[p->pos - b] = 0;
	return QCQ_OK;
}

static enum qcq_status integer(struct qp *p, long max, int *out)
{
	skip(p);
	size_t b = p->pos;
	long v = 0;
	while (p->pos < p->len && isdigit((unsigned char)p->s[p->pos]) && v <= max)
		v = v * 10 + (p->s[p->pos++] - '0');
	if (p->pos == b)
		return failf(p, b, "expected an integer");
	if (v > max)
		return failf(p, b, "integer larger than %ld", max);
	*out = (int)v;
	return QCQ_OK;
}

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
	enum qcq_status st = ident(p, name);
	at = p->pos;
	if (!st)
		st = expect(p, '[');
	if (!st)
		st = integer(p, QS_MAX_QUBITS_PURE + 1, &size);
	if (!st)
		st = expect(p, ']');
	if (!st)
		st = expect(p, ';');
	if (st)
		return st;
	struct reg *regs = quantum ? p->qregs : p->cregs;
	int *n = quantum ? &p->nq : &p->nc, *total = quantum ? &p->total_q : &p->total_c;
	if (find_reg(p->qregs, p->nq, name) || find_reg(p->cregs, p->nc, name))
		return failf(p, at - strlen(name), "register '%s' declared twice", name);
	if (*n >= MAX_REGS)
		return failf(p, at, "more than %d registers", MAX_REGS);
	if (size < 1 || *total + size > QS_MAX_QUBITS_PURE)
		return failf(p, at, "register size %d: total would be %d (1 to %d allowed)", size,
			     *total + size, QS_MAX_QUBITS_PURE);
	regs[*n] = (struct reg){.offset = *total, .size = size};
	snprintf(regs[*n].name, sizeof regs[*n].name, "%s", name);
	(*n)++;
	*total += size;
	return QCQ_OK;
}

static int find_name(char (*names)[MAX_NAME + 1], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static enum qcq_status argument(struct qp *p, bool quantum, struct arg *a)
{
	char name[MAX_NAME + 1];
	skip(p);
	size_t at = a->at = p->pos;
	enum qcq_status st = ident(p, name);
	if (st)
		return st;
	if (p->body) { /* a formal qubit, never indexed (OpenQASM 2.0 section 3.1) */
		if (at_char(p, '['))
			return failf(p, p->pos, "indexing is not allowed in a gate body");
		a->r = NULL;
		a->index = find_name(p->body->qub, p->body->d.nq, name);
		return a->index < 0 ? failf(p, at, "unknown qubit '%s'", name) : QCQ_OK;
	}
	a->r = quantum ? find_reg(p->qregs, p->nq, name) : find_reg(p->cregs, p->nc, name);
	if (!a->r)
		return failf(p, at, "unknown %s register '%s'", quantum ? "quantum" : "classical", name);
	a->index = -1;
	if (!at_char(p, '['))
		return QCQ_OK;
	p->pos++;
	size_t ia = p->pos;
	if ((st = integer(p, 1 << 30, &a->index)) || (st = expect(p, ']')))
		return st;
	if (a->index >= a->r->size)
		return failf(p, ia, "index %d out of range for %s[%d]", a->index, name, a->r->size);
	return QCQ_OK;
}

static int arg_at(const struct arg *a, int k)
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
			return failf(p, at, "registers of different sizes (%d and %d)", size, a[j].r->size);
		size = a[j].r->size;
	}
	*out = size;
	return QCQ_OK;
}

/* Copies the expression at p->pos into buf (up to a top-level ',' or ')', or the end of
 * the line or statement) with each formal parameter renamed w<k>; map[] takes offsets in
 * buf back to the text. Any other name but pi and the functions is an error. */
static enum qcq_status rewrite(struct qp *p, char *buf, size_t *map, size_t *n)
{
	static const char *const known[] = {"pi", "sin", "cos", "tan", "exp", "ln", "sqrt"};
	size_t i = p->pos, k = 0;
	int depth = 0;
	while (i < p->len && !memchr(";{}\n", p->s[i], 4) &&
	       !(depth == 0 && (p->s[i] == ',' || p->s[i] == ')')) &&
	       !(p->s[i] == '/' && i + 1 < p->len && p->s[i + 1] == '/')) {
		size_t b = i;
		char name[MAX_NAME + 1], w[16];
		const char *piece = p->s + b;
		if (isalpha((unsigned char)p->s[i]) || p->s[i] == '_') {
			while (i < p->len && (isalnum((unsigned char)p->s[i]) || p->s[i] == '_'))
				i++;
			if (i - b > MAX_NAME)
				return failf(p, b, "name longer than %d characters", MAX_NAME);
			memcpy(name, p->s + b, i - b);
			name[i - b] = 0;
			int f = find_name(p->body->par, p->body->d.np, name);
			bool ok = f >= 0;
			for (size_t j = 0; !ok && j < sizeof known / sizeof known[0]; j++)
				ok = strcmp(name, known[j]) == 0;
			if (!ok)
				return failf(p, b, "unknown parameter '%s'", name);
			if (f >= 0)
				piece = w, snprintf(w, sizeof w, "w%d", f);
		} else if (isdigit((unsigned char)p->s[i]) || p->s[i] == '.') {
			/* as angle.c reads numbers, so that the e of 1e-3 is no name */
			while (i < p->len && (isdigit((unsigned char)p->s[i]) || p->s[i] == '.'))
				i++;
			if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
				size_t j = i + 1;
				j += j < p->len && (p->s[j] == '+' || p->s[j] == '-');
				if (j < p->len && isdigit((unsigned char)p->s[j]))
					for (i = j; i < p->len && isdigit((unsigned char)p->s[i]);)
						i++;
			}
		} else {
			depth += p->s[i] == '(' ? 1 : p->s[i] == ')' ? -1 : 0;
			i++;
		}
		size_t len = piece == w ? strlen(w) : i - b;
		if (k + len > MAX_EXPR)
			return failf(p, p->pos, "expression longer than %d characters", MAX_EXPR);
		for (size_t j = 0; j < len; j++, k++)
			buf[k] = piece[j], map[k] = b + (j < i - b ? j : 0);
	}
	map[k] = i;
	*n = k;
	return QCQ_OK;
}

/* An angle expression at p->pos; in a body, over the formal parameters (see rewrite). */
static enum qcq_status expr(struct qp *p, struct qs_angle *out)
{
	char buf[MAX_EXPR];
	size_t map[MAX_EXPR + 1], at, n = 0, used = 0, col = 0;
	struct qcq_error e;
	enum qcq_status st;
	skip(p);
	at = p->pos;
	if (!p->body) {
		if (qs_expr_parse(p->s + at, p->len - at, false, out, &used, &col, &e))
			return failf(p, at + col, "%s", e.msg);
		p->pos = at + used;
		return QCQ_OK;
	}
	if ((st = rewrite(p, buf, map, &n)))
		return st;
	if (qs_expr_parse(buf, n, true, out, &used, &col, &e))
		return failf(p, map[col < n ? col : n], "%s", e.msg);
	p->pos = map[used];
	return QCQ_OK;
}

static enum qcq_status params(struct qp *p, struct qs_angle *ang, int want, const char *name)
{
	int n = 0;
	if (!at_char(p, '(')) {
		if (want)
			return failf(p, p->pos, "%s needs %d parameter(s)", name, want);
		return QCQ_OK;
	}
	p->pos++;
	while (!(n == 0 && at_char(p, ')'))) { /* name() is name */
		struct qs_angle a;
		enum qcq_status st = expr(p, &a);
		if (st)
			return st;
		if (n < want) /* ang has room for want angles only (u2 passes ang + 1) */
			ang[n] = a;
		n++;
		if (!at_char(p, ','))
			break;
		p->pos++;
	}
	enum qcq_status st = expect(p, ')');
	if (st)
		return st;
	if (n != want)
		return failf(p, p->pos - 1, "%s takes %d parameter(s), got %d", name, want, n);
	return QCQ_OK;
}

static enum qcq_status arglist(struct qp *p, struct arg *args, int want, int *nargs,
			       const char *name)
{
	int n = 0;
	for (;;) {
		struct arg extra; /* barrier: any number, only the first MAX_ARGS kept */
		if (want >= 0 && n >= want)
			return failf(p, p->pos, "%s takes %d qubit argument(s)", name, want);
		enum qcq_status st = argument(p, true, n < MAX_ARGS ? &args[n] : &extra);
		n++;
		if (st)
			return st;
		if (!at_char(p, ','))
			break;
		p->pos++;
	}
	if (want >= 0 && n != want)
		return failf(p, p->pos, "%s takes %d qubit argument(s), got %d", name, want, n);
	*nargs = n < MAX_ARGS ? n : MAX_ARGS;
	return expect(p, ';');
}

static bool resolve(const struct qp *p, const char *name, struct callee *ce)
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
static enum qcq_status add_op(struct qp *p, const struct callee *ce, const char *name,
			      const struct qs_angle *ang, const struct arg *args, int nargs, size_t at)
{
	struct gatedef *d = &p->body->d;
	int na = ce->def >= 0 ? ce->np : qs_gate_info(ce->k)->nangles;
	for (int j = 0; ce->k != QS_G_BARRIER && j < nargs; j++)
		for (int i = 0; i < j; i++)
			if (args[i].index == args[j].index)
				return failf(p, args[j].at, "%s: qubit '%s' used twice", name,
					     p->body->qub[args[j].index]);
	if (p->nbody + 1 + na > MAX_BODY)
		return failf(p, at, "gate bodies hold more than %d statements and parameters",
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
				return fail_in(p, d, o->at, "%s: parameter %d is not finite (%g)",
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
			return fail_in(p, d, o->at, "%s", p->err ? p->err->msg : "bad gate");
		}
	}
	return QCQ_OK;
}

/* A call of definition d at the top level with constant angles: budget first, then one
 * expansion per broadcast index. */
static enum qcq_status call(struct qp *p, const struct gatedef *d, const struct qs_angle *ang,
			    const struct arg *args, int nargs, int size, size_t at)
{
	double v[MAX_ARGS];
	for (int j = 0; j < d->np; j++)
		v[j] = qs_angle_eval(&ang[j], NULL, NULL);
	if (p->nexpanded + d->cost * (uint64_t)size > MAX_EXPANDED)
		return failf(p, at, "expanding '%s' would exceed the limit of %d gates from gate "
			     "definitions", d->name, MAX_EXPANDED);
	p->nexpanded += d->cost * (uint64_t)size;
	p->call_at = at;
	for (int b = 0; b < size; b++) {
		int q[MAX_ARGS];
		for (int j = 0; j < nargs; j++)
			q[j] = arg_at(&args[j], b);
		if (qs_check_qubits_n(p->c->nqubits, q, nargs, d->name, p->err))
			return circuit_fail(p, at);
		enum qcq_status st = expand(p, d, q, v);
		if (st)
			return st;
	}
	return QCQ_OK;
}

static enum qcq_status gate(struct qp *p, const char *name, size_t at)
{
	struct callee ce;
	if (!resolve(p, name, &ce))
		return failf(p, at, "unknown gate '%s'", name);
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
		return add_op(p, &ce, name, ang, args, nargs, at);
	if (ce.k == QS_G_BARRIER)
		return qs_circuit_add(p->c, ce.k, NULL, NULL, p->err) ? circuit_fail(p, at) : QCQ_OK;
	if ((st = broadcast(p, args, nargs, at, &size)))
		return st;
	if (ce.def >= 0)
		return call(p, &p->defs[ce.def], ang, args, nargs, size, at);
	for (int b = 0; b < size; b++) {
		int q[MAX_ARGS];
		for (int j = 0; j < nargs; j++)
			q[j] = arg_at(&args[j], b);
		if (qs_circuit_add(p->c, ce.k, q, ang, p->err))
			return circuit_fail(p, at);
	}
	return QCQ_OK;
}

static enum qcq_status measure(struct qp *p, size_t at)
{
	struct arg q, c;
	enum qcq_status st = argument(p, true, &q);
	if (!st && (st = expect(p, '-')) == QCQ_OK && p->pos < p->len && p->s[p->pos] == '>')
		p->pos++;
	else if (!st)
		return failf(p, p->pos, "expected '->'");
	if (!st)
		st = argument(p, false, &c);
	if (!st)
		st = expect(p, ';');
	if (st)
		return st;
	int nq = q.index >= 0 ? 1 : q.r->size, nc = c.index >= 0 ? 1 : c.r->size;
	if (nq != nc)
		return failf(p, at, "measure: %d qubit(s) into %d bit(s)", nq, nc);
	for (int b = 0; b < nq; b++)
		if (qs_circuit_measure(p->c, arg_at(&q, b), arg_at(&c, b), p->err))
			return circuit_fail(p, at);
	return QCQ_OK;
}

static enum qcq_status header(struct qp *p, size_t at)
{
	skip(p);
	size_t b = p->pos;
	while (p->pos < p->len && (isdigit((unsigned char)p->s[p->pos]) || p->s[p->pos] == '.'))
		p->pos++;
	if (!((p->pos - b == 3 && memcmp(p->s + b, "2.0", 3) == 0) ||
	      (p->pos - b == 1 && p->s[b] == '2')))
		return failf(p, b, "only OPENQASM 2.0 is supported");
	return expect(p, ';');
}

static enum qcq_status include(struct qp *p)
{
	skip(p);
	static const char want[] = "\"qelib1.inc\"";
	if (p->len - p->pos < sizeof want - 1 || memcmp(p->s + p->pos, want, sizeof want - 1) != 0)
		return failf(p, p->pos, "only include \"qelib1.inc\" is supported");
	p->pos += sizeof want - 1;
	return expect(p, ';');
}

/* name, name, ... of a signature into names[*n ..]: each new, at most MAX_ARGS. */
static enum qcq_status formals(struct qp *p, char (*names)[MAX_NAME + 1], int *n,
			       const char *what)
{
	for (;;) {
		char name[MAX_NAME + 1];
		skip(p);
		size_t at = p->pos;
		enum qcq_status st = ident(p, name);
		if (st)
			return st;
		if (find_name(p->body->par, p->body->d.np, name) >= 0 ||
		    find_name(p->body->qub, p->body->d.nq, name) >= 0)
			return failf(p, at, "'%s' declared twice", name);
		if (*n >= MAX_ARGS)
			return failf(p, at, "more than %d %s", MAX_ARGS, what);
		memcpy(names[(*n)++], name, sizeof name);
		if (!at_char(p, ','))
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
	if (at_char(p, '(')) {
		p->pos++;
		if (!at_char(p, ')'))
			st = formals(p, b->par, &b->d.np, "parameters");
		if (!st)
			st = expect(p, ')');
	}
	if (!st)
		st = formals(p, b->qub, &b->d.nq, "qubits");
	if (!st)
		st = expect(p, '{');
	size_t open = p->pos - 1;
	while (!st && !at_char(p, '}')) {
		char word[MAX_NAME + 1];
		size_t at = p->pos;
		if (at >= p->len)
			return failf(p, open, "body has no closing '}'");
		if ((st = ident(p, word)))
			break;
		for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
			if (strcmp(word, banned[i]) == 0)
				return failf(p, at, "'%s' is not allowed in a gate body", word);
		st = gate(p, word, at);
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
		return failf(p, d->at, "definitions nested more than %d deep", MAX_NEST);
	if (!resolve(p, d->name, &ce))
		return QCQ_OK;
	if (ce.k == QS_G_BARRIER)
		return failf(p, d->at, "barrier cannot be redefined");
	if (ce.np != d->np || ce.nq != d->nq)
		return failf(p, d->at, "the built-in gate takes %d parameter(s) and %d qubit(s)",
			     ce.np, ce.nq);
	d->builtin = true;
	free(d->ops);
	free(d->ang);
	d->ops = NULL, d->ang = NULL, d->nops = d->nang = 0;
	return QCQ_OK;
}

/* gate name(params) qubits { body }, after the keyword. */
static enum qcq_status definition(struct qp *p)
{
	struct body b = {0};
	struct gatedef *d = &b.d;
	skip(p);
	d->at = p->pos;
	enum qcq_status st = ident(p, d->name);
	if (st)
		return st;
	for (int i = 0; i < p->ndefs; i++) {
		if (strcmp(p->defs[i].name, d->name) == 0) {
			int line;
			size_t col;
			where(p, p->defs[i].at, &line, &col);
			return failf(p, d->at, "gate '%s' already defined at line %d, col %zu",
				     d->name, line, col);
		}
	}
	if (p->ndefs >= MAX_DEFS)
		return failf(p, d->at, "more than %d gate definitions", MAX_DEFS);
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

static enum qcq_status statement(struct qp *p)
{
	char word[MAX_NAME + 1];
	skip(p);
	size_t at = p->pos;
	enum qcq_status st = ident(p, word);
	if (st)
		return st;
	if (strcmp(word, "OPENQASM") == 0)
		return at == 0 || p->c->ngates == 0 ? header(p, at)
						    : failf(p, at, "OPENQASM must come first");
	if (strcmp(word, "include") == 0)
		return include(p);
	if (strcmp(word, "qreg") == 0 || strcmp(word, "creg") == 0)
		return declare(p, word[0] == 'q');
	if (strcmp(word, "measure") == 0)
		return measure(p, at);
	if (strcmp(word, "gate") == 0)
		return definition(p);
	if (!strcmp(word, "opaque") || !strcmp(word, "if") || !strcmp(word, "reset"))
		return failf(p, at, "'%s' is not supported", word);
	return gate(p, word, at);
}

static void free_defs(struct qp *p)
{
	for (int i = 0; i < p->ndefs; i++) {
		free(p->defs[i].ops);
		free(p->defs[i].ang);
	}
	free(p->defs);
}

enum qcq_status qs_qasm_parse(const char *text, size_t len, struct qs_circuit **out,
			      struct qcq_error *err)
{
	struct qp p = {.s = text, .len = len, .line = 1, .err = err};
	for (size_t i = 0; i < len; i++)
		if (text[i] == 0)
			return failf(&p, i, "NUL byte in text");
	qs_circuit_create(QS_MAX_QUBITS_PURE, &p.c, NULL);
	enum qcq_status st = QCQ_OK;
	for (skip(&p); !st && p.pos < p.len; skip(&p))
		st = statement(&p);
	if (!st && p.total_q == 0)
		st = qcq_error_set(err, QCQ_EFORMAT, "line %d, col 1: no qreg declared", p.line);
	free_defs(&p);
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
