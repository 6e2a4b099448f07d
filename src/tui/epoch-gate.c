/*
 * tui/epoch-gate.c: the rate limit on a training job's epoch lines in the log (see
 * epoch-gate.h for what is shown and why).
 *
 * A token bucket: tokens refill at TUI_EPOCH_RATE a second up to TUI_EPOCH_BURST. An
 * ordinary epoch needs a token and 1/TUI_EPOCH_RATE seconds since the last line shown
 * (so the steady state is evenly spaced lines); an improvement of the best validation
 * accuracy needs only a token (so the early, interesting epochs are seen even when they
 * come in a burst); the first and the last epoch are always shown, whatever the tokens.
 * In any window of T seconds at most 2 + TUI_EPOCH_BURST + TUI_EPOCH_RATE * T epoch lines
 * appear (the 2: the first and the last), plus one flushed before each note the job
 * posts (train posts its notes only after the last epoch).
 */
#include "epoch-gate.h"

#include <math.h>
#include <string.h>

void tui_epoch_gate_reset(struct tui_epoch_gate *g)
{
	memset(g, 0, sizeof *g);
	g->best_val = NAN;
}

static void refill(struct tui_epoch_gate *g, double now)
{
	double dt = now - g->last_shown;
	if (dt > 0)
		g->tokens = fmin(TUI_EPOCH_BURST, g->tokens + dt * TUI_EPOCH_RATE);
}

static void shown(struct tui_epoch_gate *g, double now)
{
	g->tokens = fmax(0, g->tokens - 1);
	g->last_shown = now;
	g->holding = false;
}

bool tui_epoch_gate_pass(struct tui_epoch_gate *g, const struct qcq_event *ev, double now)
{
	bool improved = isfinite(ev->val_acc) && !(ev->val_acc <= g->best_val);
	if (improved)
		g->best_val = ev->val_acc;
	if (!g->started) { /* free: the burst is for the improvements that follow */
		g->started = true;
		shown(g, now);
		g->tokens = TUI_EPOCH_BURST;
		return true;
	}
	bool last = ev->total > 0 && ev->done >= ev->total;
	/* tokens as they are now; refill() measures from the last line shown */
	double saved = g->tokens;
	refill(g, now);
	bool pass = last || (g->tokens >= 1 &&
			     (improved || now - g->last_shown >= 1 / TUI_EPOCH_RATE));
	if (pass) {
		shown(g, now);
		return true;
	}
	g->tokens = saved; /* refilled again, from the same point, at the next epoch */
	g->holding = true;
	g->held_back++;
	return false;
}

bool tui_epoch_gate_flush(struct tui_epoch_gate *g, double now)
{
	if (!g->holding)
		return false;
	refill(g, now);
	shown(g, now);
	return true;
}
