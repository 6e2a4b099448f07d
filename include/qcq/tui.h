/*
 * tui: the ncurses workbench with a GNU readline prompt (a front end over cmd).
 * It owns the terminal while it runs and always restores it (on quit, Ctrl-D,
 * SIGTERM/SIGHUP and at exit). Ctrl-C stops a running job and never quits.
 * Needs a terminal of at least 80x24 (smaller ones get a message until resized).
 */
#ifndef QCQ_TUI_H
#define QCQ_TUI_H

#include "qcq/cmd.h"

/* Run the workbench on ws (whose out/ui/interrupt it replaces with its own while it
 * runs, and puts back before returning) until quit or Ctrl-D. startup: commands to run
 * first (NULL for none). Returns the exit code: 0, 1 after SIGTERM/SIGHUP, 2 when the
 * terminal cannot be used. */
int tui_main(struct cmd_workspace *ws, const char *startup);

struct tui_options {
	const char *startup;  /* commands to run first, or NULL */
	bool exit_when_done;  /* leave once the startup commands and the job they started
			       * have ended (demos and the benchmark) */
};

struct tui_stats {
	long frames;          /* doupdate calls */
	double seconds;       /* wall time inside the main loop */
	double draw_seconds;  /* of which drawing frames (panes, doupdate) */
};

/* tui_main with options; stats (may be NULL) receives what the loop did. */
int tui_run(struct cmd_workspace *ws, const struct tui_options *o, struct tui_stats *stats);

#endif
