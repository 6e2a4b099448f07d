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
	if (t->ws->view != CMD_VIEW_NONE) { /* `view PANE`: shown and focused */
		static const int pane_of[CMD_VIEW_COUNT] = {
			[CMD_VIEW_DATA] = TUI_P_DATA,     [CMD_VIEW_CIRCUIT] = TUI_P_CIRCUIT,
			[CMD_VIEW_STATE] = TUI_P_STATE,   [CMD_VIEW_CURVES] = TUI_P_CURVES,
			[CMD_VIEW_LOG] = TUI_P_LOG,
		};
		int id = pane_of[t->ws->view];
		t->ws->view = CMD_VIEW_NONE;
		if (!t->too_small)
			tui_set_focus(t, id);
	}
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
		tui_feature(t, TUI_P_CURVES);
	else if (d == CMD_DIRTY_ALL || !d)
		return;
	else if (d & CMD_DIRTY_CIRCUIT)
		tui_feature(t, TUI_P_CIRCUIT);
	else if (d & CMD_DIRTY_STATE)
		tui_feature(t, TUI_P_STATE);
	else if (d & CMD_DIRTY_DATA)
		tui_feature(t, TUI_P_DATA);
	else if (d & CMD_DIRTY_CURVES)
		tui_feature(t, TUI_P_CURVES);
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

/* Keys typed while a command runs (a session file waiting for its training): they go
 * to readline and the panes as usual, and a typed `stop` runs at once, so that it stops
 * the job (and with it the session, as Ctrl-C does) instead of waiting for its end.
 * Other lines wait in the queue. Called from the job's event delivery. */
void tui_keys_while_busy(struct tui *t)
{
	wtimeout(t->prompt, 0);
	int c;
	for (int n = 0; n < 256 && (c = wgetch(t->prompt)) != ERR; n++)
		tui_handle_key(t, c);
	for (size_t i = 0; i < t->nqueue; i++) {
		struct cmd_list l;
		struct qcq_error err;
		if (cmd_parse(t->queue[i], "<prompt>", 1, NULL, &l, &err) != QCQ_OK)
			continue;
		const struct cmd_entry *e = l.n == 1 ? cmd_find(l.calls[0].argv[0], NULL) : NULL;
		bool stop = e && strcmp(e->name, "stop") == 0;
		cmd_list_free(&l);
		if (!stop)
			continue;
		char *line = t->queue[i];
		memmove(t->queue + i, t->queue + i + 1, (t->nqueue - i - 1) * sizeof *t->queue);
		t->nqueue--;
		char buf[4096];
		snprintf(buf, sizeof buf, "qcq> %s", line);
		tui_log_add(t, TUI_C_LOG_CMD, buf);
		free(line);
		/* not through the runner: inside a session file it would wait for the job,
		 * from inside the delivery of that job's events */
		if (cmd_job_running(t->ws)) {
			snprintf(buf, sizeof buf, "stopping %s (it finishes the current step and "
				 "keeps its best result); the session file ends there",
				 cmd_job_name(t->ws));
			tui_log_add(t, TUI_C_LOG_INFO, buf);
			cmd_job_stop(t->ws);
		}
		break;
	}
}

void tui_run_line(struct tui *t, const char *line, bool echo)
{
	if (t->in_command) { /* a pane key while a session runs: after it, in order */
		if (t->nqueue == t->qcap) {
			t->qcap = t->qcap ? 2 * t->qcap : 8;
			t->queue = qcq_xrealloc(t->queue, t->qcap * sizeof *t->queue);
		}
		t->queue[t->nqueue++] = qcq_xstrdup(line);
		return;
	}
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
	/* click to focus, wheel to scroll (Shift+drag still selects text in most terminals) */
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
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
			tui_handle_key(t, c);
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
				t->quit_armed = false; /* the question was about that job */
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
	t->zoom = -1;
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
		tui_relayout(t);
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
		tui_free_windows(t);
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
