/*
 * cmd/args.c: typed access to a command's words and options, with the range checks
 * and messages every command would otherwise write again; and the small expression
 * language for angles ("pi/2", "-3*pi/4", "2*(pi-0.3)").
 */
#include "cmd-internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cmd_opt(const struct cmd_call *call, const char *key)
{
	/* the last occurrence wins, as in a shell's environment assignments */
	const char *v = NULL;
	for (int i = 0; i < call->nopt; i++)
		if (strcmp(call->opts[i].key, key) == 0)
			v = call->opts[i].value;
	return v;
}

enum qcq_status cmd_parse_long(struct cmd_ctx *ctx, const char *what, const char *text, long lo,
			       long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end == text || *end || errno == ERANGE)
		return cmd_error(ctx, QCQ_EINVAL, "%s: '%s' is not an integer", what, text);
	if (v < lo || v > hi)
		return cmd_error(ctx, QCQ_ERANGE, "%s: %ld out of range [%ld, %ld]", what, v, lo, hi);
	*out = v;
	return QCQ_OK;
}

enum qcq_status cmd_parse_double(struct cmd_ctx *ctx, const char *what, const char *text,
				 double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno == ERANGE || !isfinite(v))
		return cmd_error(ctx, QCQ_EINVAL, "%s: '%s' is not a number", what, text);
	if (v < lo || v > hi)
		return cmd_error(ctx, QCQ_ERANGE, "%s: %g out of range [%g, %g]", what, v, lo, hi);
	*out = v;
	return QCQ_OK;
}

enum qcq_status cmd_opt_long(struct cmd_ctx *ctx, const char *key, long lo, long hi, long def,
			     long *out)
{
	const char *v = cmd_opt(ctx->call, key);
	if (!v) {
		*out = def;
		return QCQ_OK;
	}
	return cmd_parse_long(ctx, key, v, lo, hi, out);
}

enum qcq_status cmd_opt_double(struct cmd_ctx *ctx, const char *key, double lo, double hi,
			       double def, double *out)
{
	const char *v = cmd_opt(ctx->call, key);
	if (!v) {
		*out = def;
		return QCQ_OK;
	}
	return cmd_parse_double(ctx, key, v, lo, hi, out);
}

/* ---------------------------------------------------------------- angle expressions */

struct expr {
	const char *s, *p;
	const char *bad; /* first error position */
	int depth;
};

static double expr_sum(struct expr *e);

static void skip_blanks(struct expr *e)
{
	while (*e->p == ' ')
		e->p++;
}

static double expr_atom(struct expr *e)
{
	skip_blanks(e);
	if (*e->p == '(') {
		if (++e->depth > 64) {
			e->bad = e->p;
			return 0;
		}
		e->p++;
		double v = expr_sum(e);
		skip_blanks(e);
		if (*e->p != ')') {
			if (!e->bad)
				e->bad = e->p;
			return 0;
		}
		e->p++;
		e->depth--;
		return v;
	}
	if (*e->p == '-' || *e->p == '+') {
		int neg = *e->p == '-';
		e->p++;
		double v = expr_atom(e);
		return neg ? -v : v;
	}
	if (strncmp(e->p, "pi", 2) == 0 && !isalnum((unsigned char)e->p[2])) {
		e->p += 2;
		return M_PI;
	}
	char *end;
	double v = strtod(e->p, &end);
	if (end == e->p || isalpha((unsigned char)*e->p)) {
		if (!e->bad)
			e->bad = e->p;
		return 0;
	}
	e->p = end;
	return v;
}

static double expr_prod(struct expr *e)
{
	double v = expr_atom(e);
	for (;;) {
		skip_blanks(e);
		if (*e->p == '*') {
			e->p++;
			v *= expr_atom(e);
		} else if (*e->p == '/') {
			e->p++;
			double d = expr_atom(e);
			if (d == 0 && !e->bad)
				e->bad = e->p;
			v = d != 0 ? v / d : 0;
		} else {
			return v;
		}
	}
}

static double expr_sum(struct expr *e)
{
	double v = expr_prod(e);
	for (;;) {
		skip_blanks(e);
		if (*e->p == '+') {
			e->p++;
			v += expr_prod(e);
		} else if (*e->p == '-') {
			e->p++;
			v -= expr_prod(e);
		} else {
			return v;
		}
	}
}

enum qcq_status cmd_parse_angle(struct cmd_ctx *ctx, const char *what, const char *text,
				double *out)
{
	struct expr e = {.s = text, .p = text};
	double v = expr_sum(&e);
	skip_blanks(&e);
	if (!e.bad && *e.p)
		e.bad = e.p;
	if (e.bad || !isfinite(v))
		return cmd_error(ctx, QCQ_EINVAL,
				 "%s: '%s' is not an angle (column %d; use numbers, pi, + - * / and "
				 "parentheses)",
				 what, text, (int)(e.bad ? e.bad - text : 0) + 1);
	*out = v;
	return QCQ_OK;
}

bool cmd_utf8_text(const struct cmd_call *call)
{
	const char *a = cmd_opt(call, "ascii");
	if (a && strcmp(a, "0") != 0)
		return false;
	const char *vars[3] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) /* the first one set decides, as in setlocale */
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}
