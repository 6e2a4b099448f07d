/*
 * qsim/format.c: text for people: numbers (shortest round-trip, multiples of pi as
 * "pi/2"), angle expressions back to infix, gate labels and the circuit diagram of the
 * workbench ("circuit show"). Nothing here parses.
 */
#include "qsim-internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qs_format_number(double v, char *buf, size_t size)
{
	static const int dens[] = {1, 2, 3, 4, 6, 8, 12, 16};
	for (size_t k = 0; k < sizeof dens / sizeof dens[0] && v != 0; k++) {
		double m = v / M_PI * dens[k], r = nearbyint(m);
		if (fabs(r) >= 1 && fabs(r) < 100 && r * M_PI / dens[k] == v) {
			const char *sg = r < 0 ? "-" : "";
			long a = labs((long)r);
			char num[32] = "";
			if (a != 1)
				snprintf(num, sizeof num, "%ld*", a);
			if (dens[k] == 1)
				snprintf(buf, size, "%s%spi", sg, num);
			else
				snprintf(buf, size, "%s%spi/%d", sg, num, dens[k]);
			return;
		}
	}
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

enum { PREC_ADD = 1, PREC_MUL = 2, PREC_UNARY = 3, PREC_POW = 4, PREC_ATOM = 5 };

struct frag {
	char s[160];
	int prec;
};

static void wrap(char *out, size_t size, const struct frag *f, bool paren)
{
	snprintf(out, size, paren ? "(%s)" : "%s", f->s);
}

static void format_binary(struct frag *l, const struct frag *r, int op)
{
	static const char sym[] = {[QS_T_ADD] = '+', [QS_T_SUB] = '-', [QS_T_MUL] = '*',
				   [QS_T_DIV] = '/', [QS_T_POW] = '^'};
	int pr = op == QS_T_POW ? PREC_POW : (op == QS_T_ADD || op == QS_T_SUB) ? PREC_ADD : PREC_MUL;
	bool strict_right = op == QS_T_SUB || op == QS_T_DIV;
	char a[160], b[160];
	wrap(a, sizeof a, l, l->prec < pr || (op == QS_T_POW && l->prec <= pr));
	wrap(b, sizeof b, r, r->prec < pr || (strict_right && r->prec <= pr));
	snprintf(l->s, sizeof l->s, "%.75s%c%.75s", a, sym[op], b);
	l->prec = pr;
}

static void format_unary(struct frag *f, int op)
{
	static const char *const fn[] = {[QS_T_SIN] = "sin", [QS_T_COS] = "cos", [QS_T_TAN] = "tan",
					 [QS_T_EXP] = "exp", [QS_T_LN] = "ln",   [QS_T_SQRT] = "sqrt"};
	char a[160];
	if (op == QS_T_NEG) {
		wrap(a, sizeof a, f, f->prec < PREC_UNARY + 1);
		snprintf(f->s, sizeof f->s, "-%.150s", a);
		f->prec = PREC_UNARY;
	} else {
		snprintf(a, sizeof a, "%.150s", f->s);
		snprintf(f->s, sizeof f->s, "%s(%.150s)", fn[op], a);
		f->prec = PREC_ATOM;
	}
}

void qs_angle_format(const struct qs_angle *a, char *buf, size_t size)
{
	struct frag st[QS_ANGLE_MAX_TOKENS];
	int sp = 0;
	for (int i = 0; i < a->ntok; i++) {
		const struct qs_tok *t = &a->tok[i];
		if (t->op == QS_T_CONST) {
			qs_format_number(t->c, st[sp].s, sizeof st[sp].s);
			st[sp++].prec = t->c < 0 ? PREC_UNARY : PREC_ATOM;
		} else if (t->op == QS_T_X || t->op == QS_T_W) {
			snprintf(st[sp].s, sizeof st[sp].s, "%c%u", t->op == QS_T_X ? 'x' : 'w', t->index);
			st[sp++].prec = PREC_ATOM;
		} else if (t->op <= QS_T_POW) {
			sp--;
			format_binary(&st[sp - 1], &st[sp], t->op);
		} else {
			format_unary(&st[sp - 1], t->op);
		}
	}
	snprintf(buf, size, "%s", sp == 1 ? st[0].s : "?");
}

void qs_gate_format(const struct qs_gate *g, const double *x, const double *w, char *buf,
		    size_t size)
{
	const struct qs_gate_info *gi = qs_gate_info(g->kind);
	size_t len = (size_t)snprintf(buf, size, "%s", gi->name);
	for (int j = 0; j < gi->nangles && len < size; j++) {
		char e[160], v[40] = "";
		/* a label for people: pi/3 stays pi/3, but a constant like 3.4236020095353483
		 * shows 6 digits (QASM export keeps every digit) */
		qs_angle_format(&g->angle[j], e, sizeof e);
		if (qs_angle_is_const(&g->angle[j]) && strlen(e) > 10)
			snprintf(e, sizeof e, "%.6g", qs_angle_eval(&g->angle[j], NULL, NULL));
		if (!qs_angle_is_const(&g->angle[j]) && (x || w)) {
			uint32_t nx, nw;
			qs_angle_vars(&g->angle[j], &nx, &nw);
			if ((nx == 0 || x) && (nw == 0 || w))
				snprintf(v, sizeof v, " = %.6g", qs_angle_eval(&g->angle[j], x, w));
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s%s", j ? ", " : "(", e, v,
					j + 1 == gi->nangles ? ")" : "");
	}
	for (int j = 0; j < gi->nqubits && len < size; j++)
		len += (size_t)snprintf(buf + len, size - len, "%s q[%d]", j ? "," : "", g->q[j]);
}

/* ------------------------------------------------------------ diagram */

/* Symbol of gate g on qubit q, or NULL when the gate does not touch q. */
static const char *cell_symbol(const struct qs_gate *g, int q, char *tmp, size_t size)
{
	const struct qs_gate_info *gi = qs_gate_info(g->kind);
	if (g->kind == QS_G_BARRIER)
		return "|";
	int nc = qs_gate_ncontrols(g->kind);
	for (int j = 0; j < gi->nqubits; j++) {
		if (g->q[j] != q)
			continue;
		if (j < nc)
			return "*";
		if (g->kind == QS_G_CX || g->kind == QS_G_CCX)
			return "X";
		if (g->kind == QS_G_SWAP)
			return "x";
		const char *nm = nc ? gi->name + 1 : gi->name;
		snprintf(tmp, size, "[%s]", nm);
		for (char *c = tmp; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		return tmp;
	}
	return NULL;
}

static void gate_span(const struct qs_gate *g, int n, int *lo, int *hi)
{
	const struct qs_gate_info *gi = qs_gate_info(g->kind);
	*lo = g->kind == QS_G_BARRIER ? 0 : g->q[0];
	*hi = g->kind == QS_G_BARRIER ? n - 1 : g->q[0];
	for (int j = 1; j < gi->nqubits; j++) {
		*lo = g->q[j] < *lo ? g->q[j] : *lo;
		*hi = g->q[j] > *hi ? g->q[j] : *hi;
	}
}

struct grow {
	char *s;
	size_t len, cap;
};

static void put(struct grow *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = qcq_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

/* Rows for gates [g0, g1): 2 lines per qubit (wire, connector) and the marker line. */
static void draw_block(struct grow *b, const struct qs_circuit *c, size_t g0, size_t g1, long mark)
{
	int n = c->nqubits;
	for (int row = 0; row < 2 * n; row++) {
		int q = row / 2;
		bool wire = row % 2 == 0;
		if (!wire && q == n - 1)
			break;
		char head[16];
		int hl = snprintf(head, sizeof head, wire ? "q%-3d: " : "      ", q);
		put(b, head, (size_t)hl);
		for (size_t k = g0; k < g1; k++) {
			char tmp[16], cell[24];
			int lo, hi;
			gate_span(&c->gates[k], n, &lo, &hi);
			const char *sym = wire ? cell_symbol(&c->gates[k], q, tmp, sizeof tmp) : NULL;
			bool through = wire ? (q > lo && q < hi) : (q >= lo && q < hi);
			if (!sym)
				sym = through ? "|" : (wire ? "-" : " ");
			int w = snprintf(cell, sizeof cell, wire ? "-%-6s" : " %-6s", sym);
			for (int j = 1; wire && j < w; j++)
				if (cell[j] == ' ')
					cell[j] = '-';
			put(b, cell, (size_t)w);
		}
		put(b, wire ? "-\n" : "\n", wire ? 2 : 1);
	}
	if (mark >= (long)g0 && mark < (long)g1) {
		char line[32];
		put(b, "      ", 6);
		for (long k = (long)g0; k < mark; k++)
			put(b, "       ", 7);
		int w = snprintf(line, sizeof line, " ^ %ld\n", mark);
		put(b, line, (size_t)w);
	}
}

char *qs_circuit_draw(const struct qs_circuit *c, long mark, int width)
{
	struct grow b = {0};
	put(&b, "", 0);
	size_t per = (size_t)((width < 40 ? 40 : width) - 8) / 7;
	if (c->ngates == 0) {
		for (int q = 0; q < c->nqubits; q++) {
			char line[32];
			int w = snprintf(line, sizeof line, "q%-3d: ---\n", q);
			put(&b, line, (size_t)w);
		}
	}
	for (size_t g0 = 0; g0 < c->ngates; g0 += per) {
		size_t g1 = g0 + per < c->ngates ? g0 + per : c->ngates;
		if (g0)
			put(&b, "\n", 1);
		draw_block(&b, c, g0, g1, mark);
	}
	return b.s;
}
