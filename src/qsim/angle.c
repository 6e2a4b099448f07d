/*
 * qsim/angle.c: angle expressions of the circuit IR. An angle is a short postfix
 * program (struct qs_angle) over constants, x[i], w[k], + - * / ^, unary minus and
 * sin cos tan exp ln sqrt. The parser folds constant subexpressions as it emits, so
 * constant angles (all of QASM's) are one token. Derivatives use forward-mode dual
 * numbers: one pass per variable, exact to round-off.
 */
#include "qsim-internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_INDEX 1000000u

struct qs_angle qs_angle_const(double c)
{
	struct qs_angle a = {.ntok = 1};
	a.tok[0] = (struct qs_tok){.op = QS_T_CONST, .c = c};
	return a;
}

struct qs_angle qs_angle_x(uint32_t i, double scale)
{
	struct qs_angle a = {.ntok = 3};
	a.tok[0] = (struct qs_tok){.op = QS_T_CONST, .c = scale};
	a.tok[1] = (struct qs_tok){.op = QS_T_X, .index = i};
	a.tok[2] = (struct qs_tok){.op = QS_T_MUL};
	return a;
}

struct qs_angle qs_angle_w(uint32_t k)
{
	struct qs_angle a = {.ntok = 1};
	a.tok[0] = (struct qs_tok){.op = QS_T_W, .index = k};
	return a;
}

static int arity(int op)
{
	if (op <= QS_T_W)
		return 0;
	return op <= QS_T_POW ? 2 : 1;
}

/* Dual number arithmetic: (v, d) with d the derivative. */
struct dual {
	double v, d;
};

static struct dual apply_op(int op, struct dual a, struct dual b)
{
	switch (op) {
	case QS_T_ADD: return (struct dual){a.v + b.v, a.d + b.d};
	case QS_T_SUB: return (struct dual){a.v - b.v, a.d - b.d};
	case QS_T_MUL: return (struct dual){a.v * b.v, a.d * b.v + a.v * b.d};
	case QS_T_DIV: return (struct dual){a.v / b.v, (a.d * b.v - a.v * b.d) / (b.v * b.v)};
	case QS_T_POW: {
		double v = pow(a.v, b.v);
		double d = (a.d != 0 ? b.v * pow(a.v, b.v - 1) * a.d : 0) +
			   (b.d != 0 ? v * log(a.v) * b.d : 0);
		return (struct dual){v, d};
	}
	case QS_T_NEG: return (struct dual){-a.v, -a.d};
	case QS_T_SIN: return (struct dual){sin(a.v), cos(a.v) * a.d};
	case QS_T_COS: return (struct dual){cos(a.v), -sin(a.v) * a.d};
	case QS_T_TAN: return (struct dual){tan(a.v), a.d / (cos(a.v) * cos(a.v))};
	case QS_T_EXP: return (struct dual){exp(a.v), exp(a.v) * a.d};
	case QS_T_LN: return (struct dual){log(a.v), a.d / a.v};
	case QS_T_SQRT: return (struct dual){sqrt(a.v), a.d / (2 * sqrt(a.v))};
	default: assert(!"bad op"); return a;
	}
}

/* Evaluates with seed: derivative wrt x[index] (kind QS_T_X) or w[index] (QS_T_W). */
static struct dual eval_dual(const struct qs_angle *a, const double *x, const double *w,
			     int seed_kind, uint32_t index)
{
	struct dual st[QS_ANGLE_MAX_TOKENS];
	int sp = 0;
	for (int i = 0; i < a->ntok; i++) {
		const struct qs_tok *t = &a->tok[i];
		if (t->op == QS_T_CONST) {
			st[sp++] = (struct dual){t->c, 0};
		} else if (t->op == QS_T_X || t->op == QS_T_W) {
			const double *v = t->op == QS_T_X ? x : w;
			assert(v);
			double d = (t->op == seed_kind && t->index == index) ? 1 : 0;
			st[sp++] = (struct dual){v[t->index], d};
		} else if (arity(t->op) == 2) {
			sp--;
			st[sp - 1] = apply_op(t->op, st[sp - 1], st[sp]);
		} else {
			st[sp - 1] = apply_op(t->op, st[sp - 1], st[sp - 1]);
		}
	}
	assert(sp == 1);
	return st[0];
}

double qs_angle_eval(const struct qs_angle *a, const double *x, const double *w)
{
	if (a->ntok == 1 && a->tok[0].op == QS_T_CONST)
		return a->tok[0].c;
	return eval_dual(a, x, w, -1, 0).v;
}

double qs_angle_diff(const struct qs_angle *a, const double *x, const double *w, bool wrt_weight,
		     uint32_t index)
{
	return eval_dual(a, x, w, wrt_weight ? QS_T_W : QS_T_X, index).d;
}

bool qs_angle_is_const(const struct qs_angle *a)
{
	for (int i = 0; i < a->ntok; i++)
		if (a->tok[i].op == QS_T_X || a->tok[i].op == QS_T_W)
			return false;
	return true;
}

void qs_angle_vars(const struct qs_angle *a, uint32_t *nx, uint32_t *nw)
{
	*nx = *nw = 0;
	for (int i = 0; i < a->ntok; i++) {
		const struct qs_tok *t = &a->tok[i];
		if (t->op == QS_T_X && t->index + 1 > *nx)
			*nx = t->index + 1;
		if (t->op == QS_T_W && t->index + 1 > *nw)
			*nw = t->index + 1;
	}
}

/* ------------------------------------------------------------ parser */

struct parser {
	const char *s;
	size_t len, pos;
	bool allow_vars;
	int depth;
	struct qs_angle *out;
	struct qcq_error *err;
	size_t err_col;
	bool failed;
};

static bool fail(struct parser *p, size_t col, const char *msg, const char *arg)
{
	if (!p->failed) {
		p->failed = true;
		p->err_col = col;
		qcq_error_set(p->err, QCQ_EFORMAT, "%s%s%s%s", msg, arg ? " '" : "", arg ? arg : "",
			      arg ? "'" : "");
	}
	return false;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

static int peek(struct parser *p)
{
	skip_ws(p);
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : 0;
}

/* Pushes a token, folding constant operands into one constant. */
static bool emit(struct parser *p, struct qs_tok t)
{
	struct qs_angle *a = p->out;
	int ar = arity(t.op);
	bool fold = ar > 0 && a->ntok >= ar;
	for (int k = 1; fold && k <= ar; k++)
		fold = a->tok[a->ntok - k].op == QS_T_CONST;
	if (fold) {
		struct dual x = {a->tok[a->ntok - ar].c, 0}, y = {a->tok[a->ntok - 1].c, 0};
		a->ntok -= ar;
		t = (struct qs_tok){.op = QS_T_CONST, .c = apply_op(t.op, x, ar == 2 ? y : x).v};
		if (!isfinite(t.c))
			return fail(p, p->pos, "expression is not finite", NULL);
	}
	if (a->ntok >= QS_ANGLE_MAX_TOKENS)
		return fail(p, p->pos, "angle expression too long (more than 20 terms)", NULL);
	a->tok[a->ntok++] = t;
	return true;
}

static bool parse_expr(struct parser *p);

static bool parse_number(struct parser *p)
{
	size_t b = p->pos, i = b;
	while (i < p->len && isdigit((unsigned char)p->s[i]))
		i++;
	if (i < p->len && p->s[i] == '.')
		for (i++; i < p->len && isdigit((unsigned char)p->s[i]);)
			i++;
	if (i == b + 1 && p->s[b] == '.')
		return fail(p, b, "malformed number", NULL);
	if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
		size_t j = i + 1;
		if (j < p->len && (p->s[j] == '+' || p->s[j] == '-'))
			j++;
		if (j < p->len && isdigit((unsigned char)p->s[j])) {
			while (j < p->len && isdigit((unsigned char)p->s[j]))
				j++;
			i = j;
		}
	}
	char buf[64];
	if (i - b >= sizeof buf)
		return fail(p, b, "number too long", NULL);
	memcpy(buf, p->s + b, i - b);
	buf[i - b] = 0;
	p->pos = i;
	double v = strtod(buf, NULL);
	if (!isfinite(v))
		return fail(p, b, "number out of range", buf);
	return emit(p, (struct qs_tok){.op = QS_T_CONST, .c = v});
}

/* x3, x[3], w12 after the letter */
static bool parse_var(struct parser *p, int op, size_t b)
{
	bool bracket = p->pos < p->len && p->s[p->pos] == '[';
	if (bracket)
		p->pos++;
	size_t d = p->pos;
	unsigned long idx = 0;
	while (p->pos < p->len && isdigit((unsigned char)p->s[p->pos]) && idx <= MAX_INDEX)
		idx = idx * 10 + (unsigned long)(p->s[p->pos++] - '0');
	if (p->pos == d)
		return fail(p, d, "expected an index after x or w", NULL);
	if (idx > MAX_INDEX)
		return fail(p, d, "index too large", NULL);
	if (bracket && (p->pos >= p->len || p->s[p->pos] != ']'))
		return fail(p, p->pos, "expected ']'", NULL);
	p->pos += bracket;
	if (!p->allow_vars)
		return fail(p, b, "inputs and weights are not allowed here", NULL);
	return emit(p, (struct qs_tok){.op = (uint8_t)op, .index = (uint32_t)idx});
}

static bool parse_ident(struct parser *p)
{
	static const struct { const char *name; int op; } funcs[] = {
		{"sin", QS_T_SIN}, {"cos", QS_T_COS}, {"tan", QS_T_TAN},
		{"exp", QS_T_EXP}, {"ln", QS_T_LN},   {"sqrt", QS_T_SQRT},
	};
	size_t b = p->pos;
	while (p->pos < p->len && (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_'))
		p->pos++;
	char name[32];
	size_t n = p->pos - b < sizeof name - 1 ? p->pos - b : sizeof name - 1;
	memcpy(name, p->s + b, n);
	name[n] = 0;
	if (strcmp(name, "pi") == 0)
		return emit(p, (struct qs_tok){.op = QS_T_CONST, .c = M_PI});
	if ((name[0] == 'x' || name[0] == 'w') && (n == 1 || isdigit((unsigned char)name[1]))) {
		p->pos = b + 1;
		return parse_var(p, name[0] == 'x' ? QS_T_X : QS_T_W, b);
	}
	for (size_t k = 0; k < sizeof funcs / sizeof funcs[0]; k++) {
		if (strcmp(name, funcs[k].name) != 0)
			continue;
		if (peek(p) != '(')
			return fail(p, p->pos, "expected '(' after", name);
		p->pos++;
		if (!parse_expr(p))
			return false;
		if (peek(p) != ')')
			return fail(p, p->pos, "expected ')'", NULL);
		p->pos++;
		return emit(p, (struct qs_tok){.op = (uint8_t)funcs[k].op});
	}
	return fail(p, b, "unknown name", name);
}

static bool parse_unary(struct parser *p);

static bool parse_primary(struct parser *p)
{
	int c = peek(p);
	if (isdigit(c) || c == '.')
		return parse_number(p);
	if (isalpha(c) || c == '_')
		return parse_ident(p);
	if (c == '(') {
		p->pos++;
		if (!parse_expr(p))
			return false;
		if (peek(p) != ')')
			return fail(p, p->pos, "expected ')'", NULL);
		p->pos++;
		return true;
	}
	return fail(p, p->pos, c ? "unexpected character in expression" : "expression expected",
		    NULL);
}

static bool parse_power(struct parser *p)
{
	if (!parse_primary(p))
		return false;
	if (peek(p) != '^')
		return true;
	p->pos++;
	return parse_unary(p) && emit(p, (struct qs_tok){.op = QS_T_POW});
}

static bool parse_unary(struct parser *p)
{
	if (++p->depth > MAX_DEPTH)
		return fail(p, p->pos, "expression nested too deeply", NULL);
	int c = peek(p);
	bool ok;
	if (c == '-' || c == '+') {
		p->pos++;
		ok = parse_unary(p) && (c == '+' || emit(p, (struct qs_tok){.op = QS_T_NEG}));
	} else {
		ok = parse_power(p);
	}
	p->depth--;
	return ok;
}

static bool parse_term(struct parser *p)
{
	if (!parse_unary(p))
		return false;
	for (int c = peek(p); c == '*' || c == '/'; c = peek(p)) {
		p->pos++;
		if (!parse_unary(p) || !emit(p, (struct qs_tok){.op = c == '*' ? QS_T_MUL : QS_T_DIV}))
			return false;
	}
	return true;
}

static bool parse_expr(struct parser *p)
{
	if (++p->depth > MAX_DEPTH)
		return fail(p, p->pos, "expression nested too deeply", NULL);
	bool ok = parse_term(p);
	for (int c = peek(p); ok && (c == '+' || c == '-'); c = peek(p)) {
		p->pos++;
		ok = parse_term(p) && emit(p, (struct qs_tok){.op = c == '+' ? QS_T_ADD : QS_T_SUB});
	}
	p->depth--;
	return ok;
}

enum qcq_status qs_expr_parse(const char *text, size_t len, bool allow_vars,
			      struct qs_angle *out, size_t *used, size_t *col,
			      struct qcq_error *err)
{
	struct qs_angle a = {0};
	struct parser p = {.s = text, .len = len, .allow_vars = allow_vars, .out = &a, .err = err};
	if (!parse_expr(&p)) {
		*col = p.err_col;
		return err ? err->code : QCQ_EFORMAT;
	}
	if (a.ntok == 1 && a.tok[0].op == QS_T_CONST && !isfinite(a.tok[0].c)) {
		*col = 0;
		return qcq_error_set(err, QCQ_ENUMERIC, "expression is not finite");
	}
	*out = a;
	*used = p.pos;
	return QCQ_OK;
}

enum qcq_status qs_angle_parse(const char *text, struct qs_angle *out, int *col,
			       struct qcq_error *err)
{
	size_t len = strlen(text), used = 0, c = 0;
	struct qs_angle a;
	enum qcq_status st = qs_expr_parse(text, len, true, &a, &used, &c, err);
	if (!st) {
		while (used < len && isspace((unsigned char)text[used]))
			used++;
		if (used < len) {
			c = used;
			st = qcq_error_set(err, QCQ_EFORMAT, "unexpected '%c' in angle '%s'",
					   text[used], text);
		}
	}
	if (st) {
		if (col)
			*col = (int)c + 1;
		return st;
	}
	*out = a;
	return QCQ_OK;
}
