/*
 * tui/pane-circuit.c: the circuit pane — the circuit of the stepper (ws->exec, or
 * ws->circuit before an executor exists) as a text diagram: one wire per qubit (qubit
 * 0 on top), gate boxes with their angles bound to the executor's inputs and weights,
 * control dots and targets, the applied gates bright, the next gate highlighted, and
 * above it the gate just applied (name, expression, value) and the next one.
 *
 * Gates are packed into columns greedily (a gate goes into the first column after
 * everything already on the qubits it spans); only columns in view are drawn, so long
 * circuits scroll horizontally. The view follows the cursor when it moves; PgUp/PgDn,
 * Home/End and </> scroll by hand. n/p or the arrows run `step`/`back` as commands.
 */
#include "tui-internal.h"

#include "qcq/qsim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_W 4 /* "q0 " and the wire's first cell */

/* A short angle: multiples of pi/8 as pi fractions, else 2 decimals. */
static void fmt_angle(const struct tui *t, double a, char *buf, size_t n)
{
	const char *pi = t->utf8 ? "π" : "pi";
	if (a == 0) {
		snprintf(buf, n, "0");
		return;
	}
	for (int d = 1; d <= 8; d *= 2) {
		double k = a * d / M_PI;
		long kk = lround(k);
		if (kk == 0 || fabs(k - (double)kk) > 1e-9 || labs(kk) > 16)
			continue;
		const char *sign = kk < 0 ? "-" : "";
		char num[24] = "";
		if (labs(kk) != 1)
			snprintf(num, sizeof num, "%ld", labs(kk));
		if (d == 1)
			snprintf(buf, n, "%s%s%s", sign, num, pi);
		else
			snprintf(buf, n, "%s%s%s/%d", sign, num, pi, d);
		return;
	}
	snprintf(buf, n, "%.2f", a);
}

static bool is_controlled(enum qs_gate_kind k)
{
	switch (k) {
	case QS_G_CX: case QS_G_CY: case QS_G_CZ: case QS_G_CRX: case QS_G_CRY: case QS_G_CRZ:
	case QS_G_CP: case QS_G_CCX:
		return true;
	default:
		return false;
	}
}

/* The text in the box of gate g ("H", "RY(π/2)", "RZZ(0.50)"). */
static void gate_label(const struct tui *t, const struct qs_gate *g, const double *x,
		       const double *w, char *buf, size_t n)
{
	const struct qs_gate_info *info = qs_gate_info(g->kind);
	char name[16];
	const char *src = info->name;
	/* controlled rotations show the rotation on the target: CRY -> RY */
	if (is_controlled(g->kind) && g->kind != QS_G_CCX && src[0] == 'c')
		src++;
	size_t i = 0;
	for (; src[i] && i + 1 < sizeof name; i++)
		name[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i]);
	name[i] = '\0';
	if (info->nangles == 0) {
		snprintf(buf, n, "%s", name);
		return;
	}
	char a[3][32];
	for (int k = 0; k < info->nangles && k < 3; k++) {
		bool known = qs_angle_is_const(&g->angle[k]) || x || w;
		if (known)
			fmt_angle(t, qs_angle_eval(&g->angle[k], x, w), a[k], sizeof a[k]);
		else
			qs_angle_format(&g->angle[k], a[k], sizeof a[k]);
	}
	if (info->nangles == 1)
		snprintf(buf, n, "%s(%s)", name, a[0]);
	else
		snprintf(buf, n, "%s(%s,%s,%s)", name, a[0], a[1], a[2]);
}

struct layout {
	size_t ngates;
	int *col;     /* column of each gate */
	int ncols;
	int *colx;    /* x of each column in the diagram, ncols + 1 entries (last = width) */
};

static void span(const struct qs_circuit *c, const struct qs_gate *g, int *lo, int *hi)
{
	if (g->kind == QS_G_BARRIER) {
		*lo = 0;
		*hi = c->nqubits - 1;
		return;
	}
	int nq = qs_gate_info(g->kind)->nqubits;
	*lo = *hi = g->q[0];
	for (int i = 1; i < nq; i++) {
		if (g->q[i] < *lo)
			*lo = g->q[i];
		if (g->q[i] > *hi)
			*hi = g->q[i];
	}
}

static void make_layout(const struct tui *t, const struct qs_circuit *c, const double *x,
			const double *w, struct layout *L)
{
	L->ngates = c->ngates;
	L->col = qcq_xcalloc(c->ngates + 1, sizeof *L->col);
	int *level = qcq_xcalloc((size_t)c->nqubits, sizeof *level);
	L->ncols = 0;
	for (size_t i = 0; i < c->ngates; i++) {
		int lo, hi, col = 0;
		span(c, &c->gates[i], &lo, &hi);
		for (int q = lo; q <= hi; q++)
			col = level[q] > col ? level[q] : col;
		for (int q = lo; q <= hi; q++)
			level[q] = col + 1;
		L->col[i] = col;
		if (col + 1 > L->ncols)
			L->ncols = col + 1;
	}
	free(level);
	int *cw = qcq_xcalloc((size_t)L->ncols + 1, sizeof *cw);
	for (size_t i = 0; i < c->ngates; i++) {
		char lab[96];
		gate_label(t, &c->gates[i], x, w, lab, sizeof lab);
		int lw = tui_text_width(lab) + 2;
		if (!is_controlled(c->gates[i].kind) || c->gates[i].kind == QS_G_CRX ||
		    c->gates[i].kind == QS_G_CRY || c->gates[i].kind == QS_G_CRZ ||
		    c->gates[i].kind == QS_G_CP)
			cw[L->col[i]] = lw > cw[L->col[i]] ? lw : cw[L->col[i]];
		else if (cw[L->col[i]] < 3)
			cw[L->col[i]] = 3;
	}
	L->colx = qcq_xcalloc((size_t)L->ncols + 2, sizeof *L->colx);
	for (int k = 0; k < L->ncols; k++)
		L->colx[k + 1] = L->colx[k] + (cw[k] < 3 ? 3 : cw[k]) + 1;
	free(cw);
}

static void free_layout(struct layout *L)
{
	free(L->col);
	free(L->colx);
}

struct view {
	WINDOW *win;
	int top;     /* window row of qubit 0's wire */
	int x0;      /* window column of diagram x = scroll */
	int scroll;  /* diagram x at the left edge */
	int right;   /* last usable window column + 1 */
	int bottom;  /* last usable window row + 1 */
	int sy;      /* qubit rows scrolled off the top */
};

static int row_of(const struct view *v, int q)
{
	return v->top + 2 * (q - v->sy);
}

/* A glyph at diagram column dx on window row y, clipped to the view. */
static void vglyph(const struct tui *t, const struct view *v, int y, int dx, const char *u,
		   char a, attr_t at)
{
	int x = v->x0 + dx - v->scroll;
	if (x < v->x0 || x >= v->right || y < v->top || y >= v->bottom)
		return;
	tui_glyph(t, v->win, y, x, u, a, at);
}

static void vtext(const struct tui *t, const struct view *v, int y, int dx, const char *s,
		  attr_t at)
{
	char buf[8];
	while (*s) {
		size_t n = tui_text_advance(s, 1);
		if (n == 0)
			n = 1;
		snprintf(buf, sizeof buf, "%.*s", (int)n, s);
		vglyph(t, v, y, dx++, buf, buf[0] & 0x80 ? '?' : buf[0], at);
		s += n;
	}
}

static void draw_gate(const struct tui *t, const struct view *v, const struct qs_circuit *c,
		      const struct qs_gate *g, int x, int cwid, const char *lab, attr_t at)
{
	int nq = g->kind == QS_G_BARRIER ? 0 : qs_gate_info(g->kind)->nqubits;
	int lo, hi;
	span(c, g, &lo, &hi);
	int mid = x + cwid / 2;
	/* the vertical connector first; boxes and dots go over it */
	if (hi > lo)
		for (int y = row_of(v, lo); y <= row_of(v, hi); y++)
			vglyph(t, v, y, mid, (y - row_of(v, lo)) % 2 ? "│" : "┼", '|', at);
	if (g->kind == QS_G_BARRIER) {
		for (int y = row_of(v, lo); y <= row_of(v, hi); y++)
			vglyph(t, v, y, mid, "░", ':', at);
		return;
	}
	int ntarget = g->kind == QS_G_CCX ? 1 : is_controlled(g->kind) ? 1 : nq;
	for (int i = 0; i < nq; i++) {
		int y = row_of(v, g->q[i]);
		bool control = i < nq - ntarget;
		if (control || g->kind == QS_G_CZ) {
			vglyph(t, v, y, mid, "●", '*', at);
		} else if (g->kind == QS_G_CX || g->kind == QS_G_CCX) {
			vglyph(t, v, y, mid, "⊕", 'X', at);
		} else if (g->kind == QS_G_SWAP) {
			vglyph(t, v, y, mid, "×", 'x', at);
		} else {
			int lw = tui_text_width(lab);
			int bx = x + (cwid - lw - 2) / 2;
			vglyph(t, v, y, bx, "┤", '[', at);
			vtext(t, v, y, bx + 1, lab, at);
			vglyph(t, v, y, bx + 1 + lw, "├", ']', at);
		}
	}
}

/* Keep the next gate's column in view when the cursor has moved. */
static void follow(struct tui *t, struct tui_pane *p, const struct layout *L, size_t cursor,
		   int width)
{
	if (cursor == t->circ_cursor && L->ngates == t->circ_ngates)
		return;
	t->circ_cursor = cursor;
	t->circ_ngates = L->ngates;
	size_t g = cursor < L->ngates ? cursor : L->ngates ? L->ngates - 1 : 0;
	if (!L->ngates)
		return;
	int cx = L->colx[L->col[g]], cx1 = L->colx[L->col[g] + 1];
	if (cx < p->scroll_x || cx1 > p->scroll_x + width)
		p->scroll_x = cx - width / 3 > 0 ? cx - width / 3 : 0;
}

static void draw_info(struct tui *t, struct tui_pane *p, const struct qs_circuit *c,
		      const struct qs_exec *e, size_t cursor)
{
	attr_t lab = tui_attr(t, TUI_C_LABEL);
	char buf[256];
	/* the cursor first: a narrow title keeps it (the title is cut at a comma) */
	snprintf(p->subtitle, sizeof p->subtitle, "cursor %zu/%zu, %d qubits, %zu gates%s", cursor,
		 c->ngates, c->nqubits, c->ngates, e ? "" : " (no executor)");
	if (e && cursor > 0) {
		qs_exec_last_label(e, buf, sizeof buf);
		int x = tui_put(p->win, 1, 0, p->cw, "applied: ", lab);
		tui_put(p->win, 1, x, p->cw - x, buf, tui_attr(t, TUI_C_GATE_DONE));
	} else {
		tui_put(p->win, 1, 0, p->cw, "at the start: nothing applied yet",
			tui_attr(t, TUI_C_DIM));
	}
	if (cursor < c->ngates) {
		qs_gate_format(&c->gates[cursor], e ? qs_exec_inputs(e) : NULL,
			       e ? qs_exec_weights(e) : NULL, buf, sizeof buf);
		int x = tui_put(p->win, 2, 0, p->cw, "next:    ", lab);
		x += tui_put(p->win, 2, x, p->cw - x, buf, tui_attr(t, TUI_C_VALUE));
		tui_put(p->win, 2, x, p->cw - x, "   (n/p or arrows step; Tab/F3 focus)",
			tui_attr(t, TUI_C_DIM));
	} else {
		tui_put(p->win, 2, 0, p->cw, "at the end of the circuit (p or Left goes back)",
			tui_attr(t, TUI_C_DIM));
	}
}

static void circuit_draw(struct tui *t, struct tui_pane *p)
{
	struct cmd_workspace *ws = t->ws;
	const struct qs_exec *e = ws->exec;
	const struct qs_circuit *c = e ? qs_exec_circuit(e) : ws->circuit;
	if (!c) {
		tui_put(p->win, 1, 0, p->cw, "No circuit.", tui_attr(t, TUI_C_NORMAL));
		tui_put(p->win, 2, 0, p->cw,
			"Try:  patch 0 7 7   (the filter circuit behind feature pixel (7,7) of image 0)",
			tui_attr(t, TUI_C_DIM));
		tui_put(p->win, 3, 0, p->cw, "or:   circuit new 2  then  circuit gate h 0",
			tui_attr(t, TUI_C_DIM));
		return;
	}
	size_t cursor = e ? qs_exec_cursor(e) : 0;
	const double *x = e ? qs_exec_inputs(e) : NULL, *w = e ? qs_exec_weights(e) : NULL;
	draw_info(t, p, c, e, cursor);
	struct layout L;
	make_layout(t, c, x, w, &L);
	struct view v = {p->win, 4, LABEL_W, 0, p->cw, p->h, 0};
	int width = v.right - v.x0;
	follow(t, p, &L, cursor, width);
	int total = L.colx[L.ncols] + 2;
	if (p->scroll_x > total - width)
		p->scroll_x = total - width > 0 ? total - width : 0;
	int maxsy = c->nqubits - (p->h - v.top + 1) / 2;
	if (p->scroll_y > maxsy)
		p->scroll_y = maxsy > 0 ? maxsy : 0;
	v.scroll = p->scroll_x;
	v.sy = p->scroll_y;
	attr_t wire = tui_attr(t, TUI_C_WIRE);
	for (int q = v.sy; q < c->nqubits; q++) {
		int y = row_of(&v, q);
		if (y >= v.bottom)
			break;
		for (int dx = v.scroll; dx < v.scroll + width; dx++)
			vglyph(t, &v, y, dx, "─", '-', wire);
		tui_putf(p->win, y, 0, LABEL_W, tui_attr(t, TUI_C_LABEL), "q%d", q);
	}
	for (size_t i = 0; i < c->ngates; i++) {
		int cx = L.colx[L.col[i]], cwid = L.colx[L.col[i] + 1] - cx - 1;
		if (cx + cwid < v.scroll || cx > v.scroll + width)
			continue;
		char lab[96];
		gate_label(t, &c->gates[i], x, w, lab, sizeof lab);
		enum tui_color col = i < cursor ? TUI_C_GATE_DONE : i == cursor ? TUI_C_GATE_NEXT
										: TUI_C_GATE;
		draw_gate(t, &v, c, &c->gates[i], cx, cwid, lab, tui_attr(t, col));
	}
	/* a caret under the next gate's column, and scroll hints at the edges */
	if (cursor < c->ngates) {
		int cx = L.colx[L.col[cursor]], cwid = L.colx[L.col[cursor] + 1] - cx - 1;
		int y = row_of(&v, c->nqubits - 1) + 1;
		if (y < v.bottom)
			vglyph(t, &v, y, cx + cwid / 2, "▲", '^', tui_attr(t, TUI_C_VALUE));
	}
	if (v.scroll > 0)
		tui_glyph(t, p->win, 3, v.x0, "◀", '<', tui_attr(t, TUI_C_DIM));
	if (v.scroll + width < total)
		tui_glyph(t, p->win, 3, v.right - 1, "▶", '>', tui_attr(t, TUI_C_DIM));
	free_layout(&L);
}

static bool circuit_key(struct tui *t, struct tui_pane *p, int key)
{
	int page = p->cw > 20 ? (p->cw - LABEL_W) * 2 / 3 : 10;
	if (tui_step_key(t, key))
		return true;
	switch (key) {
	case KEY_NPAGE: case '>': p->scroll_x += page; break;
	case KEY_PPAGE: case '<': p->scroll_x -= page; break;
	case KEY_HOME: p->scroll_x = 0; break;
	case KEY_END: p->scroll_x = 1 << 28; break;
	case KEY_UP: p->scroll_y--; break;
	case KEY_DOWN: p->scroll_y++; break;
	default: return false;
	}
	if (p->scroll_x < 0)
		p->scroll_x = 0;
	if (p->scroll_y < 0)
		p->scroll_y = 0;
	p->dirty = true;
	return true;
}

const struct tui_pane_ops tui_circuit_ops = {
	.title = "Circuit",
	.draw = circuit_draw,
	.on_key = circuit_key,
	.resize = NULL,
};
