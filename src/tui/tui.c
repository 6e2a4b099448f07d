/*
 * tui/tui.c: the workbench's main loop, layout and keys (STYLE 16, 17, 20).
 *
 * One loop: wait for a key with a timeout (50 ms, less when a frame is due), hand keys
 * to readline or the focused pane, run the command lines readline queued, deliver the
 * background job's events (cmd_job_poll), run what followed a job on its line once
 * the job ends (cmd_take_pending), and redraw only the dirty panes with wnoutrefresh
 * and one doupdate, at most 20 frames a second (10 while a job runs). Resize arrives
 * as KEY_RESIZE (ncurses' own SIGWINCH handling) and relays out from LINES/COLS.
 *
 * Signal handlers only set flags: SIGINT stops a running job (it never quits),
 * SIGTERM/SIGHUP leave the loop; the terminal is restored on every way out (atexit
 * too). This file is not the drawing of a frame (frame.c), the panes (pane-*.c,
 * log.c, curves.c) nor the prompt (prompt.c).
 */
#include "tui-internal.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* Signal flags (STYLE 20) and whether curses owns the terminal (for atexit). These are
 * process-wide by nature: there is one terminal and one set of signal handlers. */
static volatile sig_atomic_t sig_int, sig_term;
static bool curses_on;

static void on_sigint(int s)
{
	(void)s;
	sig_int = 1;
}

static void on_sigterm(int s)
{
	(void)s;
	sig_term = 1;
}

static void restore_terminal(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

static const struct tui_pane_ops *const pane_ops[TUI_NPANES] = {
	[TUI_P_DATA] = &tui_data_ops,
	[TUI_P_CIRCUIT] = &tui_circuit_ops,
	[TUI_P_STATE] = &tui_state_ops,
	[TUI_P_CURVES] = &tui_curves_ops,
	[TUI_P_LOG] = &tui_log_ops,
};

/* ---------------------------------------------------------------- dirty marks */

void tui_mark(struct tui *t, int id)
{
	t->pane[id].dirty = true;
	t->status_dirty = true;
}

void tui_mark_all(struct tui *t)
{
	for (int i = 0; i < TUI_NPANES; i++)
		t->pane[i].dirty = true;
	t->status_dirty = t->prompt_dirty = t->all_dirty = true;
}

void tui_absorb_dirty(struct tui *t)
{
	unsigned d = t->ws->dirty;
	if (d & CMD_DIRTY_DATA)
		tui_mark(t, TUI_P_DATA);
	if (d & CMD_DIRTY_CIRCUIT)
		tui_mark(t, TUI_P_CIRCUIT);
	if (d & CMD_DIRTY_STATE)
		tui_mark(t, TUI_P_STATE);
	if (d & CMD_DIRTY_CURVES)
		tui_mark(t, TUI_P_CURVES);
	if (d & CMD_DIRTY_LOG)
		tui_mark(t, TUI_P_LOG);
	if (d)
		t->status_dirty = true;
	t->ws->dirty = 0;
}

/* ---------------------------------------------------------------- layout */

static void free_windows(struct tui *t)
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

static void relayout(struct tui *t)
{
	free_windows(t);
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
	int avail = t->rows - 2;
	int log_h = avail * 3 / 10;
	log_h = log_h < 7 ? 7 : log_h > 16 ? 16 : log_h;
	int up = avail - log_h, top = 1, half = t->cols / 2;
	int f = t->featured[0];
	if (t->cols >= 160 && up >= 30) {
		t->slots = 4;
		place(t, TUI_P_DATA, top, 0, up / 2, half, true);
		place(t, TUI_P_CURVES, top, half, up / 2, t->cols - half, false);
		place(t, TUI_P_CIRCUIT, top + up / 2, 0, up - up / 2, half, true);
		place(t, TUI_P_STATE, top + up / 2, half, up - up / 2, t->cols - half, false);
	} else if (t->cols >= 100) {
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

/* Show pane id (when not every pane fits): the most recently featured one wins. */
static void feature(struct tui *t, int id)
{
	if (id == TUI_P_LOG || id < 0)
		return;
	bool visible = t->pane[id].win != NULL;
	t->featured[1] = t->featured[0];
	t->featured[0] = id;
	if (!visible && !t->too_small)
		relayout(t);
}

static void set_focus(struct tui *t, int id)
{
	int old = t->focus;
	t->focus = id;
	if (id >= 0)
		feature(t, id);
	if (old >= 0)
		tui_mark(t, old);
	if (id >= 0)
		tui_mark(t, id);
	curs_set(id < 0 ? 1 : 0);
	t->prompt_dirty = true;
}

static void cycle_focus(struct tui *t, int dir)
{
	/* the ring: prompt, data, circuit, state, curves, log */
	int n = TUI_NPANES + 1;
	int cur = t->focus + 1;
	set_focus(t, (cur + dir + n) % n - 1);
}

/* ---------------------------------------------------------------- commands */

/* Whether text should run to its end before the loop continues: a session file
 * (source, tour) or several commands on one line, which must run in order like a
 * script, so the job one of them starts is waited for (with live frames). */
static bool runs_as_script(const char *text)
{
	struct cmd_list l;
	struct qcq_error err;
	if (cmd_parse(text, "<prompt>", 1, NULL, &l, &err) != QCQ_OK)
		return false;
	bool script = false; /* several commands: the runner keeps what follows a job */
	for (size_t i = 0; i < l.n; i++) {
		const struct cmd_entry *e = cmd_find(l.calls[i].argv[0], NULL);
		if (e && (strcmp(e->name, "source") == 0 || strcmp(e->name, "tour") == 0))
			script = true;
	}
	cmd_list_free(&l);
	return script;
}

/* Which pane a command's changes are best seen in. */
static void feature_from_dirty(struct tui *t, unsigned d, bool job_started)
{
	if (job_started)
		feature(t, TUI_P_CURVES);
	else if (d == CMD_DIRTY_ALL || !d)
		return;
	else if (d & CMD_DIRTY_CIRCUIT)
		feature(t, TUI_P_CIRCUIT);
	else if (d & CMD_DIRTY_STATE)
		feature(t, TUI_P_STATE);
	else if (d & CMD_DIRTY_DATA)
		feature(t, TUI_P_DATA);
	else if (d & CMD_DIRTY_CURVES)
		feature(t, TUI_P_CURVES);
}

/* Runs line (or, when line is NULL, what a `pause` left waiting) to its end with
 * "running: label" on the status bar; a script (a session file, a resumed session)
 * waits for the jobs it starts, drawing frames meanwhile. */
static void run_sync(struct tui *t, const char *line, const char *label, bool script)
{
	struct cmd_workspace *ws = t->ws;
	tui_absorb_dirty(t);
	bool had_job = ws->job != NULL;
	snprintf(t->running, sizeof t->running, "%s", label);
	t->in_command = true;
	t->status_dirty = true;
	tui_frame(t, true); /* show "running: ..." before a long command */
	ws->interactive = !script;
	if (line)
		cmd_run_text(ws, line, "<prompt>", 1, true);
	else
		cmd_resume(ws);
	ws->interactive = true;
	t->in_command = false;
	t->status_dirty = true;
	feature_from_dirty(t, ws->dirty, !had_job && ws->job);
	tui_absorb_dirty(t);
	if (ws->set.color != (t->scheme != TUI_SCHEME_MONO) && has_colors()) {
		tui_colors_init(t); /* `set color on|off` */
		tui_mark_all(t);
	}
}

void tui_run_line(struct tui *t, const char *line, bool echo)
{
	if (echo) {
		char buf[4096];
		snprintf(buf, sizeof buf, "qcq> %s", line);
		t->log.scroll = 0; /* a new command: the log follows its output again */
		tui_log_add(t, TUI_C_LOG_CMD, buf);
	}
	run_sync(t, line, line, runs_as_script(line));
}

/* Enter on an empty prompt while a session waits at `pause`: the rest runs as the
 * session file did, once no job is running and no typed line waits. */
static void run_resume(struct tui *t)
{
	if (!t->resume || t->ws->job || t->nqueue)
		return;
	t->resume = false;
	if (cmd_paused_count(t->ws))
		run_sync(t, NULL, "the paused session", true);
}

static void run_queue(struct tui *t)
{
	/* lines typed while a command ran are run in order, one per loop turn */
	if (t->nqueue == 0)
		return;
	char *line = t->queue[0];
	memmove(t->queue, t->queue + 1, (t->nqueue - 1) * sizeof *t->queue);
	t->nqueue--;
	tui_run_line(t, line, true);
	free(line);
}

/* ---------------------------------------------------------------- keys */

static void show_help(struct tui *t)
{
	t->help = true;
	tui_mark_all(t);
}

static void handle_key(struct tui *t, int c)
{
	if (c == KEY_RESIZE) {
		relayout(t);
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
		set_focus(t, c - KEY_F(2));
		return;
	}
	if (c == 12) { /* Ctrl-L */
		clearok(curscr, TRUE);
		tui_mark_all(t);
		return;
	}
	if (c == KEY_BTAB) {
		cycle_focus(t, -1);
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
			cycle_focus(t, 1);
			return;
		}
		if (c == 27) {
			set_focus(t, -1);
			return;
		}
		if (c == '?') {
			show_help(t);
			return;
		}
		if (p->ops->on_key && p->ops->on_key(t, p, c))
			return;
		if (c >= KEY_MIN)
			return; /* an unbound special key: ignore */
		set_focus(t, -1); /* typing goes to the prompt */
	}
	if (c == '\t' && tui_prompt_empty()) {
		cycle_focus(t, 1);
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
	tui_prompt_key(t, c);
}

static void handle_signals(struct tui *t)
{
	if (sig_term)
		t->quit = true;
	if (!sig_int)
		return;
	sig_int = 0;
	if (cmd_job_running(t->ws)) {
		char m[128];
		snprintf(m, sizeof m, "stopping %s (Ctrl-C) ...", cmd_job_name(t->ws));
		tui_log_add(t, TUI_C_LOG_INFO, m);
		cmd_job_stop(t->ws);
	} else {
		tui_prompt_clear_line(t);
		if (t->nqueue)
			tui_log_add(t, TUI_C_LOG_INFO, "interrupted: dropped the commands typed ahead");
		for (size_t i = 0; i < t->nqueue; i++)
			free(t->queue[i]);
		t->nqueue = 0;
	}
}

/* ---------------------------------------------------------------- setup and loop */

static bool start_curses(struct tui *t)
{
	t->screen = newterm(NULL, stdout, stdin);
	if (!t->screen)
		return false;
	curses_on = true;
	static bool registered;
	if (!registered)
		atexit(restore_terminal);
	registered = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	tui_colors_init(t);
	curs_set(1);
	return true;
}

static void welcome(struct tui *t)
{
	tui_log_add(t, TUI_C_VALUE, "qcqlab: a workbench for hybrid quantum-classical-quantum CNNs.");
	tui_log_add(t, TUI_C_LOG_INFO,
		    "Type  tour  for a guided walk-through,  help  for the commands,  F1  for keys.");
	tui_log_add(t, TUI_C_LOG_INFO,
		    "Tab completes at the prompt and moves between panes when the prompt is empty.");
}

static void loop(struct tui *t, bool exit_when_done)
{
	struct cmd_workspace *ws = t->ws;
	while (!t->quit && !ws->quit) {
		if (exit_when_done && !ws->job && !t->nqueue && !ws->pending)
			break;
		int wait_ms = 50;
		if (tui_anything_dirty(t)) {
			double left = t->last_frame + tui_frame_interval(t) - qcq_now();
			wait_ms = left <= 0 ? 0 : (int)ceil(left * 1000);
		}
		if (t->nqueue)
			wait_ms = 0;
		wtimeout(t->prompt, wait_ms);
		int c = wgetch(t->prompt);
		for (int n = 0; c != ERR && n < 256 && !t->quit; n++) {
			handle_key(t, c);
			wtimeout(t->prompt, 0);
			c = wgetch(t->prompt);
		}
		handle_signals(t);
		if (!t->quit)
			run_queue(t);
		if (!t->quit)
			run_resume(t);
		if (ws->job) {
			if (!cmd_job_poll(ws)) {
				t->status_dirty = true;
				t->curves_job = NULL;
			}
		}
		char *rest = cmd_take_pending(ws); /* what followed the job on its line */
		if (rest) {
			tui_run_line(t, rest, false);
			free(rest);
		}
		tui_absorb_dirty(t);
		tui_frame(t, false);
	}
}

int tui_main(struct cmd_workspace *ws, const char *startup)
{
	struct tui_options o = {.startup = startup, .exit_when_done = false};
	return tui_run(ws, &o, NULL);
}

int tui_run(struct cmd_workspace *ws, const struct tui_options *o, struct tui_stats *stats)
{
	const char *startup = o ? o->startup : NULL;
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C"); /* numbers in commands and files always use '.' */

	struct tui *t = qcq_xcalloc(1, sizeof *t);
	t->ws = ws;
	t->focus = -1;
	t->circ_cursor = t->circ_ngates = (size_t)-1;
	t->featured[0] = TUI_P_DATA;
	t->featured[1] = TUI_P_CURVES;
	t->utf8 = tui_locale_utf8();
	for (int i = 0; i < TUI_NPANES; i++) {
		t->pane[i].ops = pane_ops[i];
		t->pane[i].id = (enum tui_pane_id)i;
	}
	tui_log_init(&t->log);

	struct cmd_out saved_out = ws->out;
	struct qcq_sink saved_ui = ws->ui;
	volatile sig_atomic_t *saved_interrupt = ws->interrupt;
	bool saved_interactive = ws->interactive;
	struct sigaction sa, old_int, old_term, old_hup;
	memset(&sa, 0, sizeof sa);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, &old_int);
	sa.sa_handler = on_sigterm;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sig_int = sig_term = 0;

	int rc = 0;
	if (!start_curses(t)) {
		fprintf(stderr, "qcqlab: cannot start the workbench on this terminal (TERM=%s); "
				"use -c, -x or standard input\n",
			getenv("TERM") ? getenv("TERM") : "unset");
		rc = 2;
	} else {
		ws->out = (struct cmd_out){tui_log_write, t};
		ws->ui = (struct qcq_sink){tui_event, t};
		ws->interrupt = &sig_int;
		ws->interactive = true;
		ws->workbench = true;
		tui_prompt_init(t);
		relayout(t);
		if (startup)
			tui_run_line(t, startup, true);
		welcome(t); /* after the startup's output, so a short log still shows it */
		tui_frame(t, true);
		double t0 = qcq_now();
		loop(t, o && o->exit_when_done);
		if (stats) {
			stats->frames = t->frames;
			stats->seconds = qcq_now() - t0;
			stats->draw_seconds = t->draw_seconds;
		}
		if (ws->job) { /* Ctrl-D or a signal while training: stop it cleanly */
			cmd_job_stop(ws);
			cmd_job_wait(ws);
		}
		tui_prompt_end(t);
		free_windows(t);
		restore_terminal();
		delscreen(t->screen);
	}

	ws->out = saved_out;
	ws->ui = saved_ui;
	ws->interrupt = saved_interrupt;
	ws->interactive = saved_interactive;
	ws->workbench = false;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (sig_term)
		rc = 1;
	for (size_t i = 0; i < t->nqueue; i++)
		free(t->queue[i]);
	free(t->queue);
	tui_log_free(&t->log);
	tui_curves_free(&t->curves);
	free(t);
	return rc;
}
