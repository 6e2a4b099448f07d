/*
 * qsim/qasm.c: OpenQASM 2.0 import. A hand-written scanner and statement parser over
 * the qelib1 subset qsim simulates (see qsim.h for what is accepted and rejected).
 * Every error names "line L, col C". Registers are concatenated in declaration order;
 * the circuit is built with room for the maximum number of qubits and trimmed to the
 * declared total at the end, so qreg may appear anywhere before its first use.
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
#define MAX_ARGS 3

struct reg {
	char name[MAX_NAME + 1];
	int offset, size;
};

struct qp {
	const char *s;
	size_t len, pos, line_start;
	int line;
	struct reg qregs[MAX_REGS], cregs[MAX_REGS];
	int nq, nc, total_q, total_c;
	struct qs_circuit *c;
	struct qcq_error *err;
};

/* One gate argument: a register, and an index or -1 for the whole register. */
struct arg {
	const struct reg *r;
	int index;
};

static enum qcq_status failf(struct qp *p, size_t at, const char *fmt, ...) QCQ_PRINTF(3, 4);

static enum qcq_status failf(struct qp *p, size_t at, const char *fmt, ...)
{
	/* recount the line of `at` (at may precede the current line) */
	int line = 1;
	size_t ls = 0;
	for (size_t i = 0; i < at && i < p->len; i++)
		if (p->s[i] == '\n')
			line++, ls = i + 1;
	char msg[QCQ_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return qcq_error_set(p->err, QCQ_EFORMAT, "line %d, col %zu: %s", line, at - ls + 1, msg);
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

static enum qcq_status argument(struct qp *p, bool quantum, struct arg *a)
{
	char name[MAX_NAME + 1];
	skip(p);
	size_t at = p->pos;
	enum qcq_status st = ident(p, name);
	if (st)
		return st;
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

static enum qcq_status params(struct qp *p, struct qs_angle *ang, int want, const char *name)
{
	int n = 0;
	if (!at_char(p, '(')) {
		if (want)
			return failf(p, p->pos, "%s needs %d parameter(s)", name, want);
		return QCQ_OK;
	}
	p->pos++;
	for (;;) {
		skip(p);
		size_t used = 0, col = 0, at = p->pos;
		struct qs_angle a;
		struct qcq_error e;
		if (qs_expr_parse(p->s + at, p->len - at, false, &a, &used, &col, &e))
			return failf(p, at + col, "%s", e.msg);
		if (n < want) /* ang has room for want angles only (u2 passes ang + 1) */
			ang[n] = a;
		n++;
		p->pos = at + used;
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

static enum qcq_status gate(struct qp *p, const char *name, size_t at)
{
	enum qs_gate_kind k = qs_gate_lookup(name);
	bool u2 = strcmp(name, "u2") == 0;
	if (u2)
		k = QS_G_U;
	if (k == QS_G_COUNT)
		return failf(p, at, "unknown gate '%s'", name);
	const struct qs_gate_info *gi = qs_gate_info(k);
	struct qs_angle ang[3];
	struct arg args[MAX_ARGS];
	int nargs = 0, size = 1;
	enum qcq_status st = params(p, u2 ? ang + 1 : ang, u2 ? 2 : gi->nangles, name);
	if (!st)
		st = arglist(p, args, k == QS_G_BARRIER ? -1 : gi->nqubits, &nargs, name);
	if (!st && k == QS_G_BARRIER)
		return qs_circuit_add(p->c, k, NULL, NULL, p->err);
	if (!st)
		st = broadcast(p, args, nargs, at, &size);
	if (st)
		return st;
	if (u2)
		ang[0] = qs_angle_const(M_PI / 2);
	for (int b = 0; b < size; b++) {
		int q[MAX_ARGS];
		for (int j = 0; j < nargs; j++)
			q[j] = arg_at(&args[j], b);
		if (qs_circuit_add(p->c, k, q, ang, p->err))
			return failf(p, at, "%s", p->err ? p->err->msg : "bad gate");
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
			return failf(p, at, "%s", p->err ? p->err->msg : "bad measure");
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
	if (!strcmp(word, "gate") || !strcmp(word, "opaque") || !strcmp(word, "if") ||
	    !strcmp(word, "reset"))
		return failf(p, at, "'%s' is not supported", word);
	return gate(p, word, at);
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
