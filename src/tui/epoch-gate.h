/*
 * tui/epoch-gate.h: which of a training job's epoch lines reach the workbench's log.
 *
 * A small run trains a hundred epochs a second or more; one log line each would push a
 * user's own command output (echo, set, summary ...) out of the visible log within a
 * fraction of a second, and the ring's older lines out of the scroll-back soon after.
 * The log therefore shows the first epoch, the last one (the run's final epoch, or the
 * newest epoch when the job ends early, flushed before the job's closing notes), each
 * epoch that improves the run's best validation accuracy while a small burst allowance
 * lasts, and otherwise at most TUI_EPOCH_RATE lines a second. The curves pane records
 * every epoch; headless runs (-c, -x, sessions, --json) print every epoch as before:
 * this gate is the TUI's alone.
 *
 * Pure bookkeeping over event fields and a clock the caller passes, so that it can be
 * tested without a terminal (tests/tui/test_epoch_gate.c).
 */
#ifndef QCQ_TUI_EPOCH_GATE_H
#define QCQ_TUI_EPOCH_GATE_H

#include "qcq/core.h"

#include <stdbool.h>

#define TUI_EPOCH_RATE 2.0  /* lines a second, in the long run */
#define TUI_EPOCH_BURST 2.0 /* lines an improvement may take ahead of that rate */

struct tui_epoch_gate {
	bool started;       /* an epoch of this job was seen */
	bool told;          /* the note saying lines are held back was given */
	bool holding;       /* the newest epoch's line was held back (held[] has it) */
	double last_shown;  /* clock of the last epoch line shown */
	double tokens;      /* lines that may still be shown ahead of the rate */
	double best_val;    /* best validation accuracy of the job so far (NaN: none) */
	long held_back;     /* epoch lines held back since the job started */
	char held[256];     /* the newest held-back line, shown if the job ends after it */
};

/* Forget the previous job: its next epoch is a first one again. */
void tui_epoch_gate_reset(struct tui_epoch_gate *g);

/* Whether the epoch event ev (a QCQ_EV_EPOCH), arriving at clock now (seconds), goes to
 * the log. When it does not, the caller stores its line in g->held (the gate sets
 * g->holding). */
bool tui_epoch_gate_pass(struct tui_epoch_gate *g, const struct qcq_event *ev, double now);

/* The job posted something else (a note, its end): true when a held-back epoch line is
 * the newest epoch and must be shown first, so that the log ends with the last epoch
 * trained. Clears the hold. */
bool tui_epoch_gate_flush(struct tui_epoch_gate *g, double now);

#endif
