/*
 * tui: the ncurses workbench with a GNU readline prompt (a front end over cmd).
 * It owns the terminal while it runs and always restores it.
 */
#ifndef QCQ_TUI_H
#define QCQ_TUI_H

#include "qcq/cmd.h"

/* Run the workbench on ws (whose out/ui the TUI replaces with its own) until quit or
 * Ctrl-D. startup: commands to run first (NULL for none). Returns the exit code. */
int tui_main(struct cmd_workspace *ws, const char *startup);

#endif
