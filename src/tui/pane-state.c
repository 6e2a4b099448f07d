/*
 * tui/pane-state.c: the state pane — the quantum state at the stepper's cursor.
 *
 * A pure state shows each basis amplitude as a probability bar coloured by its phase
 * quadrant, with the phase in degrees written beside it (so colour is never the only
 * carrier). A density matrix (noise on) shows the populations rho[i][i], the purity
 * tr(rho^2) and, up to 4 qubits, the matrix itself (magnitude as shade, phase as colour
 * and arrow). Every state shows each qubit's Bloch vector and <Z>. After `measure`, the
 * histogram of counts. Basis labels are |q_{n-1}...q0> (Qiskit order: qubit 0 is the
 * rightmost digit). Two columns when the pane is wide, one scrolling column otherwise.
 */
#include "tui-internal.h"

#include "qcq/qsim.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS_QUBITS 10 /* basis lists beyond 2^10 rows show only the largest */

struct col {
	WINDOW *win;
	int x, w;
	int vy;      /* next virtual row */
	int scroll;  /* virtual rows above the window */
	int bottom;  /* window rows available (1 .. bottom-1) */
};

static int row(const struct col *c)
{
	int y = 1 + c->vy - c->scroll;
	return y >= 1 && y < c->bottom ? y : -1;
}

static void basis_label(int n, size_t i, char *buf)
{
	buf[0] = '|';
	for (int q = n - 1; q >= 0; q--)
		buf[1 + (n - 1 - q)] = (char)('0' + ((i >> q) & 1));
	buf[n + 1] = '>';
	buf[n + 2] = '\0';
}

static void heading(const struct tui *t, struct col *c, const char *text)
{
	int y = row(c);
	if (y > 0)
		tui_put(c->win, y, c->x, c->w, text, tui_attr(t, TUI_C_LABEL) | A_BOLD);
	c->vy++;
}

/* One basis row: label, bar of p, value, and for pure states the phase. */
static void basis_row(const struct tui *t, struct col *c, int n, size_t i, double p,
		      const double complex *amp)
{
	int y = row(c);
	c->vy++;
	if (y < 0)
		return;
	char lab[40];
	basis_label(n, i, lab);
	int lw = n + 3;
	tui_put(c->win, y, c->x, lw, lab, tui_attr(t, TUI_C_LABEL));
	int tail = amp ? 16 : 7;
	int bw = c->w - lw - tail;
	if (bw > 30)
		bw = 30;
	enum tui_color col = TUI_C_BAR;
	double deg = 0;
	if (amp) {
		deg = carg(*amp) * 180 / M_PI;
		if (deg < 0)
			deg += 360;
		if (p < 1e-12)
			deg = 0;
		col = (enum tui_color)(TUI_C_PHASE0 + ((int)((deg + 45) / 90) % 4));
	}
	if (bw >= 4)
		tui_bar(t, c->win, y, c->x + lw, bw, p, tui_attr(t, col));
	int x = c->x + lw + (bw >= 4 ? bw + 1 : 0);
	x += tui_putf(c->win, y, x, c->x + c->w - x, tui_attr(t, TUI_C_VALUE), "%.3f", p);
	if (amp && p >= 1e-12)
		tui_putf(c->win, y, x, c->x + c->w - x, tui_attr(t, col), "  %s%4.0f%s",
			 t->utf8 ? "∠" : "ph", deg, t->utf8 ? "°" : "");
}

static void draw_basis(const struct tui *t, struct col *c, const struct qs_state *s)
{
	int n = s->n;
	size_t dim = (size_t)1 << n;
	double *probs = qcq_xcalloc(dim, sizeof *probs);
	qs_calc_probs(s, probs);
	heading(t, c, s->kind == QS_PURE ? "amplitudes  (probability, phase)" : "populations  rho[i][i]");
	double cutoff = n > MAX_ROWS_QUBITS ? 1e-3 : -1;
	size_t shown = 0;
	for (size_t i = 0; i < dim; i++) {
		if (probs[i] <= cutoff)
			continue;
		basis_row(t, c, n, i, probs[i], s->kind == QS_PURE ? &s->amp[i] : NULL);
		shown++;
	}
	if (shown < dim) {
		char m[96];
		snprintf(m, sizeof m, "(%zu of %zu basis states have p > 0.001)", shown, dim);
		int y = row(c);
		if (y > 0)
			tui_put(c->win, y, c->x, c->w, m, tui_attr(t, TUI_C_DIM));
		c->vy++;
	}
	free(probs);
}

#define MATRIX_MAX_QUBITS 4 /* 16 x 16 cells: the largest matrix a pane shows */

/*
 * The density matrix, for up to 4 qubits: one cell per entry rho[i][j], its magnitude as
 * shading (relative to the largest entry, which the heading gives) and its phase as the
 * colour of the PHASE0..3 quadrants and, two columns wide, as an arrow (so colour is
 * never the only carrier). Rows and columns are labelled with the basis index in hex
 * (|q_{n-1}..q0> read as a binary number), so coherences decaying under noise show as
 * the off-diagonal cells fading.
 */
static void draw_matrix(const struct tui *t, struct col *c, const struct qs_state *s)
{
	int n = s->n;
	size_t d = (size_t)1 << n;
	double max = 0;
	for (size_t i = 0; i < d; i++)
		for (size_t j = 0; j < d; j++)
			max = fmax(max, cabs(qs_density_get(s, i, j)));
	int cw = 3 + 2 * (int)d <= c->w ? 2 : 1; /* a phase arrow beside the shade if it fits */
	char h[120];
	snprintf(h, sizeof h, "rho: shade |rho_ij| 0..%.3f, colour%s = phase", max,
		 cw == 2 ? "+arrow" : "");
	heading(t, c, h);
	static const char *const shade_u[5] = {" ", "░", "▒", "▓", "█"};
	static const char shade_a[5] = {' ', '.', ':', '*', '#'};
	static const char *const arrow_u[4] = {"→", "↑", "←", "↓"};
	static const char arrow_a[4] = {'>', '^', '<', 'v'};
	int y = row(c);
	c->vy++;
	if (y > 0) /* column labels: the basis index in hex */
		for (size_t j = 0; j < d; j++)
			tui_putf(c->win, y, c->x + 3 + (int)j * cw, 1, tui_attr(t, TUI_C_LABEL), "%zx", j);
	for (size_t i = 0; i < d; i++) {
		y = row(c);
		c->vy++;
		if (y < 0)
			continue;
		tui_putf(c->win, y, c->x, 3, tui_attr(t, TUI_C_LABEL), "%zx", i);
		for (size_t j = 0; j < d; j++) {
			double complex v = qs_density_get(s, i, j);
			double m = max > 0 ? cabs(v) / max : 0;
			int lv = m < 0.02 ? 0 : 1 + (int)fmin(3, m * 4);
			double deg = carg(v) * 180 / M_PI;
			int q = ((int)floor((deg + 45 + 360) / 90)) % 4;
			attr_t a = tui_attr(t, lv ? (enum tui_color)(TUI_C_PHASE0 + q) : TUI_C_DIM);
			int x = c->x + 3 + (int)j * cw;
			if (x >= c->x + c->w)
				break;
			if (lv == 0) {
				tui_glyph(t, c->win, y, x, "·", '.', tui_attr(t, TUI_C_DIM));
				continue;
			}
			tui_glyph(t, c->win, y, x, shade_u[lv], shade_a[lv], a);
			if (cw == 2 && x + 1 < c->x + c->w)
				tui_glyph(t, c->win, y, x + 1, arrow_u[q], arrow_a[q], a);
		}
	}
}

static void draw_bloch(const struct tui *t, struct col *c, const struct qs_state *s)
{
	heading(t, c, c->w >= 48 ? "qubits  <Z>, Bloch vector (x, y, z), length |r|"
				 : "qubits  <Z> and Bloch length |r|");
	for (int q = 0; q < s->n; q++) {
		double v[3];
		struct qcq_error err;
		int y = row(c);
		c->vy++;
		if (y < 0 || qs_calc_bloch(s, q, v, &err) != QCQ_OK)
			continue;
		int x = c->x;
		x += tui_putf(c->win, y, x, c->w, tui_attr(t, TUI_C_LABEL), "q%-2d ", q);
		/* what fits, most telling first: <Z> and |r|, then the vector, then the bar
		 * (4 + 10 + 10 columns; the vector 24 more, the bar 12) */
		bool vec = c->w >= 48, bar = c->w >= 60;
		int bw = 11;
		if (bar) { /* <Z> as a bar from -1 (left) to +1 (right) around a centre mark */
			int mid = bw / 2, pos = (int)lround((v[2] + 1) / 2 * (bw - 1));
			for (int i = 0; i < bw; i++)
				tui_glyph(t, c->win, y, x + i, i == mid ? "┼" : "─", i == mid ? '+' : '-',
					  tui_attr(t, TUI_C_AXIS));
			tui_glyph(t, c->win, y, x + pos, "●", 'o', tui_attr(t, TUI_C_VALUE));
			x += bw + 1;
		}
		x += tui_putf(c->win, y, x, c->x + c->w - x, tui_attr(t, TUI_C_VALUE), "<Z> %+.3f",
			      v[2]);
		if (vec)
			x += tui_putf(c->win, y, x, c->x + c->w - x, tui_attr(t, TUI_C_NORMAL),
				      "  (%+.2f, %+.2f, %+.2f)", v[0], v[1], v[2]);
		tui_putf(c->win, y, x, c->x + c->w - x, tui_attr(t, TUI_C_NORMAL), "  |r| %.2f",
			 sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
	}
	if (s->kind == QS_DENSITY) {
		int y = row(c);
		c->vy++;
		if (y > 0)
			tui_putf(c->win, y, c->x, c->w, tui_attr(t, TUI_C_VALUE),
				 "purity tr(rho^2) %.4f  (pure 1, mixed %.4f)",
				 qs_calc_purity(s), 1.0 / (double)((size_t)1 << s->n));
	}
}

static void draw_counts(const struct tui *t, struct col *c, const double *counts, long shots,
			int n)
{
	char h[96];
	snprintf(h, sizeof h, "measured: %ld shots", shots);
	heading(t, c, h);
	size_t dim = (size_t)1 << n;
	double max = 0;
	for (size_t i = 0; i < dim; i++)
		max = counts[i] > max ? counts[i] : max;
	for (size_t i = 0; i < dim; i++) {
		if (counts[i] <= 0)
			continue;
		int y = row(c);
		c->vy++;
		if (y < 0)
			continue;
		char lab[40];
		basis_label(n, i, lab);
		int lw = n + 3, bw = c->w - lw - 10;
		if (bw > 30)
			bw = 30;
		tui_put(c->win, y, c->x, lw, lab, tui_attr(t, TUI_C_LABEL));
		if (bw >= 4)
			tui_bar(t, c->win, y, c->x + lw, bw, max > 0 ? counts[i] / max : 0,
				tui_attr(t, TUI_C_BAR));
		tui_putf(c->win, y, c->x + lw + (bw >= 4 ? bw + 1 : 0), 9, tui_attr(t, TUI_C_VALUE),
			 "%.0f", counts[i]);
	}
}

static void state_draw(struct tui *t, struct tui_pane *p)
{
	struct cmd_workspace *ws = t->ws;
	const struct qs_state *s = ws->exec ? qs_exec_state(ws->exec) : NULL;
	if (!s) {
		tui_put(p->win, 1, 0, p->cw, "No state: the stepper has no circuit yet.",
			tui_attr(t, TUI_C_NORMAL));
		tui_put(p->win, 2, 0, p->cw, "It shows amplitudes, Bloch vectors and counts.",
			tui_attr(t, TUI_C_DIM));
		return;
	}
	char kind[128] = "pure";
	if (s->kind == QS_DENSITY) { /* say which noise made it one */
		char noise[100];
		qs_noise_describe(qs_exec_noise(ws->exec), noise, sizeof noise);
		snprintf(kind, sizeof kind, "density matrix (%s)", noise);
	}
	snprintf(p->subtitle, sizeof p->subtitle, "%s, %d qubits, after %zu gates, |q%d..q0>",
		 kind, s->n, qs_exec_cursor(ws->exec), s->n - 1);
	bool two = p->cw >= 84;
	struct col left = {p->win, 0, two ? p->cw / 2 - 1 : p->cw, 0, p->scroll_y, p->h};
	struct col right = {p->win, p->cw / 2 + 1, p->cw - p->cw / 2 - 1, 0, p->scroll_y, p->h};
	bool counts = ws->counts && ws->counts_shots > 0;
	if (!two) { /* one column: qubits, then the histogram if any, then the basis */
		draw_bloch(t, &left, s);
		left.vy++;
		if (counts) {
			draw_counts(t, &left, ws->counts, ws->counts_shots, s->n);
			left.vy++;
		}
	}
	/* the matrix before the populations: its diagonal holds them, and its off-diagonal
	 * cells (the coherences noise takes away) are what the pane is looked at for */
	if (s->kind == QS_DENSITY && s->n <= MATRIX_MAX_QUBITS) {
		draw_matrix(t, &left, s);
		left.vy++;
	}
	draw_basis(t, &left, s);
	if (two) {
		draw_bloch(t, &right, s);
		if (counts) {
			right.vy++;
			draw_counts(t, &right, ws->counts, ws->counts_shots, s->n);
		}
	}
	int total = left.vy > right.vy ? left.vy : right.vy;
	if (p->scroll_y > 0 && p->scroll_y > total - (p->h - 1)) {
		p->scroll_y = total - (p->h - 1) > 0 ? total - (p->h - 1) : 0;
		p->dirty = true; /* drawn again with the scroll clamped */
	}
	if (total > p->h - 1 + p->scroll_y)
		tui_put(p->win, p->h - 1, p->cw - 12, 12, " more below ", tui_attr(t, TUI_C_DIM));
}

static bool state_key(struct tui *t, struct tui_pane *p, int key)
{
	int page = p->h > 3 ? p->h - 2 : 1;
	if (tui_step_key(t, key)) /* the state is watched while stepping */
		return true;
	switch (key) {
	case KEY_UP: p->scroll_y--; break;
	case KEY_DOWN: p->scroll_y++; break;
	case KEY_PPAGE: p->scroll_y -= page; break;
	case KEY_NPAGE: p->scroll_y += page; break;
	case KEY_HOME: p->scroll_y = 0; break;
	default: return false;
	}
	if (p->scroll_y < 0)
		p->scroll_y = 0;
	p->dirty = true;
	return true;
}

const struct tui_pane_ops tui_state_ops = {
	.title = "State",
	.draw = state_draw,
	.on_key = state_key,
	.resize = NULL,
};
