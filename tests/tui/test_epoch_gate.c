/*
 * tests/tui/test_epoch_gate.c: which epoch lines of a training job reach the TUI's log
 * (src/tui/epoch-gate.c), on a simulated clock: a fast run is thinned to about
 * TUI_EPOCH_RATE lines a second with the first, the last and early improvements of the
 * validation accuracy kept; a slow run shows every epoch; no window of time gets more
 * lines than the bound (so a user's line stays on screen); a held-back newest epoch is
 * flushed once when the job posts its end.
 */
#include "check.h"
#include "tui/epoch-gate.h"

#include <math.h>

static struct qcq_event epoch_ev(int e, int total, double val_acc)
{
	struct qcq_event ev = {.kind = QCQ_EV_EPOCH, .epoch = e};
	ev.done = e;
	ev.total = total;
	ev.val_acc = val_acc;
	return ev;
}

/* 1000 epochs at 100 a second, no validation: ~2 lines a second, evenly spaced. */
static void test_fast_run_is_thinned(void)
{
	struct tui_epoch_gate g;
	tui_epoch_gate_reset(&g);
	int n = 0;
	double prev = -1;
	bool spaced = true;
	for (int e = 1; e <= 1000; e++) {
		double now = e * 0.01;
		struct qcq_event ev = epoch_ev(e, 1000, NAN);
		bool pass = tui_epoch_gate_pass(&g, &ev, now);
		if (e == 1 || e == 1000)
			CHECK(pass); /* the first and the last */
		if (pass) {
			if (e > 1 && e < 1000 && now - prev < 0.5 - 1e-9)
				spaced = false;
			prev = now;
			n++;
		}
	}
	CHECK(spaced);
	/* 10 s at 2 a second, plus the first and the last */
	CHECK(n >= 18 && n <= 23);
	CHECK(g.held_back == 1000 - n);
}

/* One epoch a second: every line is shown. */
static void test_slow_run_shows_every_epoch(void)
{
	struct tui_epoch_gate g;
	tui_epoch_gate_reset(&g);
	for (int e = 1; e <= 30; e++) {
		struct qcq_event ev = epoch_ev(e, 100, 0.5);
		CHECK(tui_epoch_gate_pass(&g, &ev, e * 1.0));
	}
	CHECK(g.held_back == 0);
	CHECK(!tui_epoch_gate_flush(&g, 31));
}

/* Early improvements come in a burst and are shown; a plateau is thinned. */
static void test_improvements_shown(void)
{
	struct tui_epoch_gate g;
	tui_epoch_gate_reset(&g);
	double acc[] = {0.6, 0.8, 0.9, 0.9, 0.9, 0.9};
	bool want[] = {true, true, true, false, false, false};
	for (int e = 1; e <= 6; e++) {
		struct qcq_event ev = epoch_ev(e, 1000, acc[e - 1]);
		CHECK(tui_epoch_gate_pass(&g, &ev, e * 0.01) == want[e - 1]);
	}
	/* a later improvement (once a token has come back) is shown at once, before the
	 * ordinary line's half second has passed since the last one */
	struct qcq_event ev = epoch_ev(60, 1000, 0.95);
	CHECK(tui_epoch_gate_pass(&g, &ev, 0.55));
	ev = epoch_ev(61, 1000, 0.95); /* not better: waits for its turn */
	CHECK(!tui_epoch_gate_pass(&g, &ev, 0.56));
	CHECK_NEAR(g.best_val, 0.95, 1e-12);
}

/* Worst case: every epoch improves, 200 a second, for 20 s. No window of 2 s holds more
 * than 2 + BURST + 2 * RATE lines; a 7-row log keeps a user's line on screen that long. */
static void test_window_bound(void)
{
	struct tui_epoch_gate g;
	tui_epoch_gate_reset(&g);
	double t[4000];
	int n = 0;
	for (int e = 1; e <= 4000; e++) {
		double now = e * 0.005;
		struct qcq_event ev = epoch_ev(e, 4000, e / 4001.0);
		if (tui_epoch_gate_pass(&g, &ev, now))
			t[n++] = now;
	}
	int worst = 0;
	for (int i = 0; i < n; i++) {
		int k = 0;
		while (i + k < n && t[i + k] < t[i] + 2.0)
			k++;
		if (k > worst)
			worst = k;
	}
	CHECK(worst <= 2 + (int)TUI_EPOCH_BURST + (int)(2 * TUI_EPOCH_RATE));
	CHECK(n >= 40); /* but it does keep showing epochs */
	CHECK(t[n - 1] == 4000 * 0.005); /* the last */
}

/* The job ends (or posts a note) after held-back epochs: the newest is flushed once. */
static void test_flush_held(void)
{
	struct tui_epoch_gate g;
	tui_epoch_gate_reset(&g);
	struct qcq_event ev = epoch_ev(1, 100000, NAN);
	CHECK(tui_epoch_gate_pass(&g, &ev, 0));
	CHECK(!tui_epoch_gate_flush(&g, 0)); /* nothing held */
	ev = epoch_ev(2, 100000, NAN);
	CHECK(!tui_epoch_gate_pass(&g, &ev, 0.01));
	CHECK(g.holding);
	CHECK(tui_epoch_gate_flush(&g, 0.02));
	CHECK(!tui_epoch_gate_flush(&g, 0.03)); /* once */
	/* the next job starts over: its first epoch is shown at once */
	tui_epoch_gate_reset(&g);
	ev = epoch_ev(1, 10, NAN);
	CHECK(tui_epoch_gate_pass(&g, &ev, 0.04));
	CHECK(!g.holding && g.held_back == 0);
}

int main(void)
{
	RUN(test_fast_run_is_thinned);
	RUN(test_slow_run_shows_every_epoch);
	RUN(test_improvements_shown);
	RUN(test_window_bound);
	RUN(test_flush_held);
	return check_summary();
}
