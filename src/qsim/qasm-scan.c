/*
 * qsim/qasm-scan.c: the OpenQASM importer's scanner: line and column of an offset, the
 * error messages ("line L, col C: ..."), white space and // comments, names, integers,
 * and angle expressions, which inside a gate body are rewritten over the formal
 * parameters before qs_expr_parse reads them.
 */
#include "qasm-internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void qs_qasm_where(const struct qp *p, size_t at, int *line, size_t *col)
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
	qs_qasm_where(p, at, &line, &col);
	if (p->ctx && p->in_call) {
		qs_qasm_where(p, p->call_at, &cline, &ccol);
		snprintf(ctx, sizeof ctx, "in gate '%s' called at line %d, col %zu: ", p->ctx, cline,
			 ccol);
	} else if (p->ctx) {
		snprintf(ctx, sizeof ctx, "in gate '%s': ", p->ctx);
	}
	return qcq_error_set(p->err, QCQ_EFORMAT, "line %d, col %zu: %s%s", line, col, ctx, msg);
}

enum qcq_status qs_qasm_failf(struct qp *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum qcq_status st = vfailf(p, at, fmt, ap);
	va_end(ap);
	return st;
}

/* An error at `at` in the body of d while expanding the call at p->call_at. */
enum qcq_status qs_qasm_fail_in(struct qp *p, const struct gatedef *d, size_t at, const char *fmt,
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
enum qcq_status qs_qasm_circuit_fail(struct qp *p, size_t at)
{
	return qs_qasm_failf(p, at, "%s", p->err ? p->err->msg : "bad gate");
}

void qs_qasm_skip(struct qp *p)
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

bool qs_qasm_at_char(struct qp *p, char ch)
{
	qs_qasm_skip(p);
	return p->pos < p->len && p->s[p->pos] == ch;
}

enum qcq_status qs_qasm_expect(struct qp *p, char ch)
{
	if (!qs_qasm_at_char(p, ch)) {
		if (p->pos >= p->len)
			return qs_qasm_failf(p, p->pos, "expected '%c' before end of file", ch);
		return qs_qasm_failf(p, p->pos, "expected '%c'", ch);
	}
	p->pos++;
	return QCQ_OK;
}

enum qcq_status qs_qasm_ident(struct qp *p, char *out)
{
	qs_qasm_skip(p);
	size_t b = p->pos;
	if (b >= p->len || !(isalpha((unsigned char)p->s[b]) || p->s[b] == '_'))
		return qs_qasm_failf(p, b, b >= p->len ? "unexpected end of file" : "expected a name");
	while (p->pos < p->len && (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_'))
		p->pos++;
	if (p->pos - b > MAX_NAME)
		return qs_qasm_failf(p, b, "name longer than %d characters", MAX_NAME);
	memcpy(out, p->s + b, p->pos - b);
	out[p->pos - b] = 0;
	return QCQ_OK;
}

enum qcq_status qs_qasm_integer(struct qp *p, long max, int *out)
{
	qs_qasm_skip(p);
	size_t b = p->pos;
	long v = 0;
	while (p->pos < p->len && isdigit((unsigned char)p->s[p->pos]) && v <= max)
		v = v * 10 + (p->s[p->pos++] - '0');
	if (p->pos == b)
		return qs_qasm_failf(p, b, "expected an integer");
	if (v > max)
		return qs_qasm_failf(p, b, "integer larger than %ld", max);
	*out = (int)v;
	return QCQ_OK;
}

int qs_qasm_find_name(char (*names)[MAX_NAME + 1], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
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
				return qs_qasm_failf(p, b, "name longer than %d characters", MAX_NAME);
			memcpy(name, p->s + b, i - b);
			name[i - b] = 0;
			int f = qs_qasm_find_name(p->body->par, p->body->d.np, name);
			bool ok = f >= 0;
			for (size_t j = 0; !ok && j < sizeof known / sizeof known[0]; j++)
				ok = strcmp(name, known[j]) == 0;
			if (!ok)
				return qs_qasm_failf(p, b, "unknown parameter '%s'", name);
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
			return qs_qasm_failf(p, p->pos, "expression longer than %d characters", MAX_EXPR);
		for (size_t j = 0; j < len; j++, k++)
			buf[k] = piece[j], map[k] = b + (j < i - b ? j : 0);
	}
	map[k] = i;
	*n = k;
	return QCQ_OK;
}

/* An angle expression at p->pos; in a body, over the formal parameters (see rewrite). */
enum qcq_status qs_qasm_expr(struct qp *p, struct qs_angle *out)
{
	char buf[MAX_EXPR];
	size_t map[MAX_EXPR + 1], at, n = 0, used = 0, col = 0;
	struct qcq_error e;
	enum qcq_status st;
	qs_qasm_skip(p);
	at = p->pos;
	if (!p->body) {
		if (qs_expr_parse(p->s + at, p->len - at, false, out, &used, &col, &e))
			return qs_qasm_failf(p, at + col, "%s", e.msg);
		p->pos = at + used;
		return QCQ_OK;
	}
	if ((st = rewrite(p, buf, map, &n)))
		return st;
	if (qs_expr_parse(buf, n, true, out, &used, &col, &e))
		return qs_qasm_failf(p, map[col < n ? col : n], "%s", e.msg);
	p->pos = map[used];
	return QCQ_OK;
}
