/*
 * tui/keys.c: what a key (or the mouse) does: the global keys (F1..F7, Tab, Esc, Ctrl-L,
 * zoom), then the focused pane's own keys, then the prompt. Mouse: a click focuses the
 * pane under it, the wheel scrolls it.
 */
#include "tui-internal.h"

bool tui_step_key(struct tui *t, int key)
{
	if (key == 'n' || key == KEY_RIGHT)
		tui_run_line(t, "step", true);
	else if (key == 'p' || key == KEY_LEFT)
		tui_run_line(t, "back", true);
	else
		return false;
	return true;
}

static void show_help(struct tui *t)
{
	t->help = true;
	tui_mark_all(t);
}

/* The pane whose rectangle holds screen cell (y, x), or -1. */
static int pane_at(const struct tui *t, int y, int x)
{
	for (int i = 0; i < TUI_NPANES; i++) {
		const struct tui_pane *p = &t->pane[i];
		if (p->win && y >= p->y && y < p->y + p->h && x >= p->x && x < p->x + p->w)
			return i;
	}
	return -1;
}

/* A click focuses the pane under it (the prompt row: the prompt); the wheel scrolls
 * the pane under it as three Up or Down keys would, without moving the focus. */
static void mouse(struct tui *t)
{
	MEVENT m;
	if (getmouse(&m) != OK)
		return;
	int id = pane_at(t, m.y, m.x);
	if (m.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		if (id < 0)
			return;
		struct tui_pane *p = &t->pane[id];
		int key = m.bstate & BUTTON4_PRESSED ? KEY_UP : KEY_DOWN;
		/* three rows a notch; the data pane's Up/Down go through the images: one */
		for (int i = 0; i < (id == TUI_P_DATA ? 1 : 3) && p->ops->on_key; i++)
			p->ops->on_key(t, p, key);
		return;
	}
	if (m.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED))
		tui_set_focus(t, id >= 0 ? id : -1);
}

void tui_handle_key(struct tui *t, int c)
{
	if (c == KEY_RESIZE) {
		tui_relayout(t);
		return;
	}
	if (t->help) { /* any key closes the help */
		t->help = false;
		if (t->helpwin)
			delwin(t->helpwin);
		t->helpwin = NULL;
		tui_mark_all(t);
		return;
	}
	if (c == KEY_F(1)) {
		show_help(t);
		return;
	}
	if (c >= KEY_F(2) && c <= KEY_F(6)) {
		tui_set_focus(t, c - KEY_F(2));
		return;
	}
	if (c == KEY_F(7) && !t->too_small) { /* zoom the focused pane (the log at the prompt) */
		tui_zoom(t, t->zoom >= 0 ? -1 : t->focus >= 0 ? t->focus : TUI_P_LOG);
		return;
	}
	if (c == 12) { /* Ctrl-L */
		clearok(curscr, TRUE);
		tui_mark_all(t);
		return;
	}
	if (c == KEY_BTAB) {
		tui_cycle_focus(t, -1);
		return;
	}
	if (c == KEY_MOUSE && !t->too_small) {
		mouse(t);
		return;
	}
	if (c == KEY_MOUSE || t->too_small) {
		if (t->too_small && c >= 0)
			tui_prompt_key(t, c);
		return;
	}
	if (t->focus >= 0) {
		struct tui_pane *p = &t->pane[t->focus];
		if (c == '\t') {
			tui_cycle_focus(t, 1);
			return;
		}
		if (c == 27) {
			tui_set_focus(t, -1);
			return;
		}
		if (c == '?') {
			show_help(t);
			return;
		}
		if (c == 'z') { /* as tmux's zoom: this pane alone, and back */
			tui_zoom(t, t->focus);
			return;
		}
		if (p->ops->on_key && p->ops->on_key(t, p, c))
			return;
		if (c >= KEY_MIN)
			return; /* an unbound special key: ignore */
		tui_set_focus(t, -1); /* typing goes to the prompt */
	}
	if (c == '\t' && tui_prompt_empty()) {
		tui_cycle_focus(t, 1);
		return;
	}
	if (c == '?' && tui_prompt_empty()) {
		show_help(t);
		return;
	}
	if (c == KEY_PPAGE || c == KEY_NPAGE) {
		tui_log_ops.on_key(t, &t->pane[TUI_P_LOG], c);
		return;
	}
	if (c == KEY_END && t->log.scroll > 0) /* after PgUp: the log follows again (and the
						* cursor goes to the line's end as usual) */
		tui_log_ops.on_key(t, &t->pane[TUI_P_LOG], c);
	tui_prompt_key(t, c);
}

