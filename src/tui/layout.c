/*
 * tui/layout.c: where the panes go. Four panes above the log on a large terminal, two
 * side by side or stacked on a medium one, one on a small one; the circuit and its
 * state always share the screen when either is featured (stepping needs both), a
 * zoomed pane takes all rows between the status bar and the prompt, and the log's
 * height can grow. Focus moves here too (it decides what is featured).
 */
#include "tui-internal.h"

/* ---------------------------------------------------------------- layout */

void tui_free_windows(struct tui *t)
{
	for (int i = 0; i < TUI_NPANES; i++) {
		if (t->pane[i].win)
			delwin(t->pane[i].win);
		t->pane[i].win = NULL;
	}
	if (t->status)
		delwin(t->status);
	if (t->prompt)
		delwin(t->prompt);
	if (t->helpwin)
		delwin(t->helpwin);
	t->status = t->prompt = t->helpwin = NULL;
}

static void place(struct tui *t, int id, int y, int x, int h, int w, bool sep)
{
	struct tui_pane *p = &t->pane[id];
	p->y = y, p->x = x, p->h = h, p->w = w;
	p->sep_right = sep;
	p->cw = sep ? w - 1 : w;
	p->win = newwin(h, w, y, x);
	p->dirty = true;
	if (p->ops->resize)
		p->ops->resize(t, p);
}

/* The two panes shown together when two fit: data with curves, circuit with state. */
static int partner(int id)
{
	switch (id) {
	case TUI_P_DATA: return TUI_P_CURVES;
	case TUI_P_CURVES: return TUI_P_DATA;
	case TUI_P_CIRCUIT: return TUI_P_STATE;
	default: return TUI_P_CIRCUIT;
	}
}

void tui_relayout(struct tui *t)
{
	tui_free_windows(t);
	getmaxyx(stdscr, t->rows, t->cols);
	t->too_small = t->rows < TUI_MIN_ROWS || t->cols < TUI_MIN_COLS;
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (t->rows >= 1) {
		t->prompt = newwin(1, t->cols, t->rows - 1, 0);
		keypad(t->prompt, TRUE);
	}
	tui_mark_all(t);
	if (t->too_small)
		return;
	t->status = newwin(1, t->cols, 0, 0);
	int avail = t->rows - 2, top = 1;
	if (t->zoom >= 0) { /* one pane on every row between the status bar and the prompt */
		place(t, t->zoom, top, 0, avail, t->cols, false);
		return;
	}
	int log_h = avail * 3 / 10;
	log_h = log_h < 7 ? 7 : log_h > 16 ? 16 : log_h;
	/* grown (or shrunk) with + and - in the log: the panes keep at least 6 rows */
	log_h += t->log_grow;
	if (log_h > avail - 6)
		log_h = avail - 6;
	if (log_h < 3)
		log_h = 3;
	int up = avail - log_h, half = t->cols / 2;
	int f = t->featured[0];
	if (t->cols >= 160 && up >= 30) {
		t->slots = 4;
		/* the data row is the taller one: an image and four feature maps need rows,
		 * a 4-qubit circuit about 12 */
		int h1 = up * 5 / 8;
		place(t, TUI_P_DATA, top, 0, h1, half, true);
		place(t, TUI_P_CURVES, top, half, h1, t->cols - half, false);
		place(t, TUI_P_CIRCUIT, top + h1, 0, up - h1, half, true);
		place(t, TUI_P_STATE, top + h1, half, up - h1, t->cols - half, false);
	} else if (t->cols >= 100 || f == TUI_P_CIRCUIT || f == TUI_P_STATE) {
		/* side by side; on a small terminal only for the stepping pair, since a
		 * circuit is stepped to watch its state change */
		t->slots = 2;
		int a = f == TUI_P_DATA || f == TUI_P_CIRCUIT ? f : partner(f);
		/* the left column is the wider one: data and circuits need the room */
		int lw = t->cols * 11 / 20;
		place(t, a, top, 0, up, lw, true);
		place(t, partner(a), top, lw, up, t->cols - lw, false);
	} else if (up >= 36) {
		t->slots = 2;
		int a = f == TUI_P_DATA || f == TUI_P_CIRCUIT ? f : partner(f);
		place(t, a, top, 0, up / 2, t->cols, false);
		place(t, partner(a), top + up / 2, 0, up - up / 2, t->cols, false);
	} else {
		t->slots = 1;
		place(t, f, top, 0, up, t->cols, false);
	}
	place(t, TUI_P_LOG, top + up, 0, log_h, t->cols, false);
}

void tui_zoom(struct tui *t, int id)
{
	t->zoom = t->zoom == id || id < 0 ? -1 : id;
	if (t->zoom >= 0 && t->zoom != TUI_P_LOG) {
		t->featured[1] = t->featured[0];
		t->featured[0] = t->zoom;
	}
	tui_relayout(t);
}

void tui_grow_log(struct tui *t, int rows)
{
	int before = t->log_grow;
	t->log_grow += rows;
	int avail = t->rows - 2, base = avail * 3 / 10;
	base = base < 7 ? 7 : base > 16 ? 16 : base;
	if (base + t->log_grow > avail - 6)
		t->log_grow = avail - 6 - base;
	if (base + t->log_grow < 3)
		t->log_grow = 3 - base;
	if (t->log_grow != before && t->zoom < 0)
		tui_relayout(t);
}

/* Show pane id (when not every pane fits): the most recently featured one wins. */
void tui_feature(struct tui *t, int id)
{
	if (id == TUI_P_LOG || id < 0)
		return;
	bool visible = t->pane[id].win != NULL;
	t->featured[1] = t->featured[0];
	t->featured[0] = id;
	if (!visible && !t->too_small && t->zoom < 0) /* a zoom stays until it is undone */
		tui_relayout(t);
}

void tui_set_focus(struct tui *t, int id)
{
	int old = t->focus;
	t->focus = id;
	if (id >= 0 && t->zoom >= 0 && id != t->zoom) { /* another pane: the zoom ends */
		t->zoom = -1;
		tui_relayout(t);
	}
	if (id >= 0)
		tui_feature(t, id);
	if (old >= 0)
		tui_mark(t, old);
	if (id >= 0)
		tui_mark(t, id);
	curs_set(id < 0 ? 1 : 0);
	t->prompt_dirty = true;
}

void tui_cycle_focus(struct tui *t, int dir)
{
	/* the ring: prompt, data, circuit, state, curves, log */
	int n = TUI_NPANES + 1;
	int cur = t->focus + 1;
	tui_set_focus(t, (cur + dir + n) % n - 1);
}

