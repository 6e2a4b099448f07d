/*
 * tui/frame.c: drawing one frame (STYLE 16, 17): the dirty panes with their title
 * rules, the status bar, the key help over them, or the small-terminal message, each
 * window with wnoutrefresh and then one doupdate, at most 20 frames a second (10
 * while a job runs, when every frame is CPU the training does not get). The prompt
 * window goes last so the cursor ends up in it.
 */
#include "tui-internal.h"

#include <stdio.h>
#include <string.h>

#define FRAME_SECONDS 0.05
#define JOB_FRAME_SECONDS 0.1

static const char *const fkey_name[TUI_NPANES] = {"F2", "F3", "F4", "F5", "F6"};

static void draw_title(struct tui *t, struct tui_pane *p)
{
	bool focus = t->focus == (int)p->id;
	attr_t rule = tui_attr(t, focus ? TUI_C_TITLE_FOCUS : TUI_C_AXIS);
	tui_hline(t, p->win, 0, 0, p->w, rule);
	char title[64];
	snprintf(title, sizeof title, " %s ", p->ops->title);
	int x = 1 + tui_put(p->win, 0, 1, p->w - 2, title,
			    tui_attr(t, focus ? TUI_C_TITLE_FOCUS : TUI_C_TITLE));
	if (p->subtitle[0] && x + 4 < p->w - 6) {
		char sub[200];
		snprintf(sub, sizeof sub, " %s", p->subtitle);
		/* too long: cut after the last whole ", part" (or word) that fits rather than
		 * in the middle of a number */
		int room = p->w - x - 8;
		if (tui_text_width(sub) > room) {
			size_t cut = tui_text_advance(sub, room), comma = 0, blank = 0;
			for (size_t i = 1; i < cut; i++) {
				if (sub[i] == ',')
					comma = i;
				if (sub[i] == ' ' && sub[i + 1] != ' ')
					blank = i;
			}
			sub[comma ? comma : blank] = '\0';
		}
		if (sub[0]) {
			strcat(sub, " ");
			x += tui_put(p->win, 0, x + 1, p->w - x - 7, sub, tui_attr(t, TUI_C_DIM)) + 1;
		}
	}
	char key[8];
	snprintf(key, sizeof key, " %s ", fkey_name[p->id]);
	tui_put(p->win, 0, p->w - 5, 4, key, rule);
	if (p->sep_right) {
		tui_glyph(t, p->win, 0, p->w - 1, "┬", '+', tui_attr(t, TUI_C_AXIS));
		for (int y = 1; y < p->h; y++)
			tui_glyph(t, p->win, y, p->w - 1, "│", '|', tui_attr(t, TUI_C_AXIS));
	}
}

static void draw_status(struct tui *t)
{
	WINDOW *w = t->status;
	struct cmd_workspace *ws = t->ws;
	attr_t a = tui_attr(t, TUI_C_STATUS);
	wbkgdset(w, ' ' | a);
	werase(w);
	char left[256];
	static const char *const names[TUI_NPANES] = {"Data", "Circuit", "State", "Curves", "Log"};
	snprintf(left, sizeof left, " qcqlab  focus: %s  ", t->focus < 0 ? "prompt" : names[t->focus]);
	int x = tui_put(w, 0, 0, t->cols, left, a | A_BOLD);
	char right[200];
	attr_t ra = a;
	if (t->in_command) {
		snprintf(right, sizeof right, " running: %.60s ", t->running);
		ra = tui_attr(t, TUI_C_STATUS_JOB);
	} else if (t->quit_armed && (cmd_job_running(ws) || cmd_paused_count(ws))) {
		/* the log scrolls with epochs: the question stays here until answered */
		snprintf(right, sizeof right, " Ctrl-D again leaves; stop ends %s ",
			 cmd_job_running(ws) ? cmd_job_name(ws) : "the session");
		ra = tui_attr(t, TUI_C_ERROR) | A_REVERSE;
	} else if (cmd_job_running(ws)) {
		const struct tui_curves *c = &t->curves;
		double f = tui_curves_fraction(c);
		if (f >= 0)
			snprintf(right, sizeof right, " %s %.0f%%  Ctrl-C stops ", cmd_job_name(ws),
				 100 * f);
		else
			snprintf(right, sizeof right, " %s running  Ctrl-C stops ", cmd_job_name(ws));
		ra = tui_attr(t, TUI_C_STATUS_JOB);
	} else if (cmd_paused_count(ws)) {
		snprintf(right, sizeof right, " paused: Enter goes on, stop ends it ");
		ra = tui_attr(t, TUI_C_STATUS_JOB);
	} else {
		snprintf(right, sizeof right, " Tab: panes  F1/?: keys  quit: leave ");
	}
	char mid[200];
	const struct cmd_settings *set = &ws->set;
	bool noise = set->p1 > 0 || set->p2 > 0 || set->gamma > 0 || set->lambda > 0;
	char shots[24] = "exact";
	if (set->shots)
		snprintf(shots, sizeof shots, "%ld", set->shots);
	snprintf(mid, sizeof mid, "set: depth %d  noise %s  shots %s", set->depth,
		 noise ? "on" : "off", shots);
	/* the settings matter more than the key reminder: a narrow bar keeps only F1's */
	if (x + tui_text_width(mid) + tui_text_width(right) + 2 >= t->cols &&
	    ra == a && !t->in_command)
		snprintf(right, sizeof right, " F1/?: keys ");
	int rw = tui_text_width(right);
	if (x + tui_text_width(mid) + rw + 2 < t->cols)
		tui_put(w, 0, x, t->cols - x - rw, mid, a);
	tui_put(w, 0, t->cols - rw, rw, right, ra);
	wbkgdset(w, ' ');
}

static const char *const help_text[] = {
	"Keys",
	"",
	"Tab, Shift-Tab     next / previous pane (Tab on an empty prompt too)",
	"F2 F3 F4 F5 F6     Data, Circuit, State, Curves, Log (or click a pane)",
	"z or F7            zoom the focused pane to the full screen, and back",
	"Esc                back to the prompt (typing goes there as well)",
	"Up Down PgUp PgDn  scroll the focused pane (PgUp/PgDn at the prompt: log;",
	"                   End follows the log again); the mouse wheel scrolls too",
	"+ -                log pane: a taller / shorter log",
	"n p, Right Left    circuit and state panes: step forward / back (step, back)",
	"n p, Right Left    data pane: next / previous image (runs show image)",
	"Ctrl-C             stop the running job (it never quits)",
	"Ctrl-L             redraw the screen",
	"? or F1            this help (any key closes it)",
	"quit or Ctrl-D     leave (while a job runs: Ctrl-D twice)",
	"",
	"At the prompt: Emacs editing keys, Up/Down for history, Tab completes",
	"commands, kinds, options (key=), class names and file paths.",
	"Start with:  tour   or   help   or   load synth 1000",
};

static void draw_help(struct tui *t)
{
	int n = (int)(sizeof help_text / sizeof help_text[0]);
	int h = n + 2, w = 78;
	if (w > t->cols - 2)
		w = t->cols - 2;
	if (h > t->rows - 2)
		h = t->rows - 2;
	if (!t->helpwin)
		t->helpwin = newwin(h, w, (t->rows - h) / 2, (t->cols - w) / 2);
	WINDOW *hw = t->helpwin;
	attr_t a = tui_attr(t, TUI_C_HELP);
	wbkgdset(hw, ' ' | a);
	werase(hw);
	wattrset(hw, a);
	if (t->utf8)
		box_set(hw, 0, 0);
	else
		wborder(hw, '|', '|', '-', '-', '+', '+', '+', '+');
	for (int i = 0; i < n && i + 1 < h - 1; i++)
		tui_put(hw, 1 + i, 2, w - 4, help_text[i], a | (i == 0 ? A_BOLD : 0));
	wbkgdset(hw, ' ');
	touchwin(hw);
	wnoutrefresh(hw);
}

static void draw_small(struct tui *t)
{
	werase(stdscr);
	char l1[128], l2[128];
	snprintf(l1, sizeof l1, "qcqlab needs a terminal of at least %dx%d;", TUI_MIN_COLS, TUI_MIN_ROWS);
	snprintf(l2, sizeof l2, "this one is %dx%d. Make it larger, or type quit.", t->cols, t->rows);
	int y = t->rows / 2 - 1;
	tui_put(stdscr, y < 0 ? 0 : y, 0, t->cols, l1, tui_attr(t, TUI_C_ERROR));
	tui_put(stdscr, y + 1, 0, t->cols, l2, tui_attr(t, TUI_C_NORMAL));
	wnoutrefresh(stdscr);
}

bool tui_anything_dirty(const struct tui *t)
{
	if (t->status_dirty || t->prompt_dirty || t->all_dirty || t->curves.progress_dirty)
		return true;
	for (int i = 0; i < TUI_NPANES; i++)
		if (t->pane[i].dirty && t->pane[i].win)
			return true;
	return false;
}

double tui_frame_interval(const struct tui *t)
{
	return t->ws->job ? JOB_FRAME_SECONDS : FRAME_SECONDS;
}

void tui_frame(struct tui *t, bool force)
{
	double now = qcq_now();
	if (!force && now - t->last_frame < tui_frame_interval(t))
		return;
	if (!tui_anything_dirty(t))
		return;
	if (t->too_small) {
		if (t->all_dirty || t->status_dirty)
			draw_small(t);
	} else {
		bool drew = false;
		for (int i = 0; i < TUI_NPANES; i++) {
			struct tui_pane *p = &t->pane[i];
			if (!p->win || !(p->dirty || t->all_dirty))
				continue;
			p->dirty = false; /* before draw: a pane may ask for another frame */
			werase(p->win);
			p->subtitle[0] = '\0';
			p->ops->draw(t, p);
			draw_title(t, p);
			wnoutrefresh(p->win);
			drew = true;
		}
		struct tui_pane *cp = &t->pane[TUI_P_CURVES];
		if (t->curves.progress_dirty && cp->win && cp->h > 1) {
			wmove(cp->win, 1, 0);
			for (int x = 0; x < cp->cw; x++)
				waddch(cp->win, ' ');
			tui_curves_draw_progress(t, cp, 1);
			wnoutrefresh(cp->win);
			drew = true;
		}
		t->curves.progress_dirty = false;
		if (t->status) {
			draw_status(t);
			wnoutrefresh(t->status);
		}
		if (t->help && (drew || t->all_dirty || !t->helpwin))
			draw_help(t);
	}
	tui_prompt_draw(t);
	if (t->prompt)
		wnoutrefresh(t->prompt);
	doupdate();
	t->status_dirty = t->all_dirty = false;
	t->last_frame = now;
	t->frames++;
	t->draw_seconds += qcq_now() - now;
}

