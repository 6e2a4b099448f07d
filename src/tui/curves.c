/*
 * tui/curves.c: the curves pane and the TUI's event sink.
 *
 * Job events (delivered on the main thread by cmd_job_poll) are recorded here: every
 * epoch's train/val loss and accuracy, the per-batch loss of the epoch in progress,
 * and the latest progress (done/total, rate) for the progress bar with its ETA. The
 * pane draws the loss and accuracy plots from that record; a new job starts a new one.
 */
#include "tui-internal.h"

#include "qcq/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tui_curves_free(struct tui_curves *c)
{
	free(c->ep);
	free(c->batch_loss);
	memset(c, 0, sizeof *c);
}

void tui_curves_reset(struct tui_curves *c, const char *job)
{
	c->n = 0;
	c->nb = 0;
	c->have_progress = false;
	c->done = c->total = c->rate = 0;
	c->ep_done = c->ep_total = 0;
	c->units[0] = '\0';
	c->last[0] = '\0';
	snprintf(c->job, sizeof c->job, "%s", job ? job : "");
	c->t_start = qcq_now();
	tui_epoch_gate_reset(&c->gate);
}

static void add_epoch(struct tui_curves *c, const struct qcq_event *ev)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->ep = qcq_xrealloc(c->ep, c->cap * sizeof *c->ep);
	}
	c->ep[c->n++] = (struct tui_epoch){ev->epoch, ev->train_loss, ev->train_acc, ev->val_loss,
					   ev->val_acc, ev->seconds};
	c->nb = 0;
	/* done/total count the run's epochs (a resumed run starts past 0) */
	if (ev->total > 0) {
		c->ep_done = (int)ev->done;
		c->ep_total = (int)ev->total;
		c->done = 0; /* the next epoch's batches start */
	}
}

static void add_batch(struct tui_curves *c, double loss)
{
	if (c->nb == c->bcap) {
		c->bcap = c->bcap ? 2 * c->bcap : 256;
		c->batch_loss = qcq_xrealloc(c->batch_loss, c->bcap * sizeof *c->batch_loss);
	}
	c->batch_loss[c->nb++] = loss;
}

static void progress(struct tui_curves *c, const struct qcq_event *ev)
{
	if (!(ev->total > 0))
		return;
	c->have_progress = true;
	c->done = ev->done;
	c->total = ev->total;
	c->rate = ev->rate;
	if (ev->text)
		snprintf(c->units, sizeof c->units, "%s", ev->text);
}

/* An epoch's line goes to the log if the gate lets it (epoch-gate.h); else it is held,
 * and the first time that happens in a job the log says why lines are missing. */
static void log_epoch(struct tui *t, const struct qcq_event *ev)
{
	struct tui_epoch_gate *g = &t->curves.gate;
	char line[sizeof g->held];
	snprintf(line, sizeof line,
		 "epoch %3d  train loss %.4f acc %.4f  val loss %.4f acc %.4f  %.2fs", ev->epoch,
		 ev->train_loss, ev->train_acc, ev->val_loss, ev->val_acc, ev->seconds);
	if (tui_epoch_gate_pass(g, ev, qcq_now())) {
		tui_log_add(t, TUI_C_NORMAL, line);
		return;
	}
	memcpy(g->held, line, sizeof line);
	if (!g->told) {
		g->told = true;
		tui_log_add(t, TUI_C_LOG_INFO,
			    "(the log shows about 2 epochs a second, new bests and the last; "
			    "Curves has all)"); /* 79 columns: one row at 80 */
	}
}

/* The job posts a note or ends: the newest epoch, if held back, is shown first. */
static void flush_epoch(struct tui *t)
{
	struct tui_epoch_gate *g = &t->curves.gate;
	if (tui_epoch_gate_flush(g, qcq_now()))
		tui_log_add(t, TUI_C_NORMAL, g->held);
}

void tui_event(void *ctx, const struct qcq_event *ev)
{
	struct tui *t = ctx;
	struct tui_curves *c = &t->curves;
	bool feeds = ev->kind == QCQ_EV_PROGRESS || ev->kind == QCQ_EV_BATCH ||
		     ev->kind == QCQ_EV_EPOCH;
	if (feeds && t->ws->job && (const void *)t->ws->job != t->curves_job) {
		tui_curves_reset(c, cmd_job_name(t->ws));
		t->curves_job = t->ws->job;
	}
	switch (ev->kind) {
	case QCQ_EV_LOG:
		flush_epoch(t);
		tui_log_add(t, TUI_C_LOG_INFO, ev->text ? ev->text : "");
		break;
	case QCQ_EV_PROGRESS:
		progress(c, ev);
		break;
	case QCQ_EV_BATCH:
		progress(c, ev);
		if (isfinite(ev->train_loss))
			add_batch(c, ev->train_loss);
		break;
	case QCQ_EV_EPOCH:
		add_epoch(c, ev);
		log_epoch(t, ev);
		break;
	case QCQ_EV_DONE:
		flush_epoch(t);
		c->have_progress = false;
		t->curves_job = NULL; /* the next job's first event starts new curves */
		snprintf(c->last, sizeof c->last, "%s", ev->text ? ev->text : "done");
		if (ev->text)
			tui_log_add(t, TUI_C_LOG_INFO, ev->text);
		break;
	}
	/* progress alone redraws only the progress row (cheap: 20 times a second while
	 * training); an epoch, a log line or the end redraw the plots */
	if (ev->kind == QCQ_EV_PROGRESS || ev->kind == QCQ_EV_BATCH)
		c->progress_dirty = true;
	else
		tui_mark(t, TUI_P_CURVES);
	t->status_dirty = true;
	/* A job waited for inside a command (a session file that trains) still shows its
	 * progress: this runs on the main thread, inside the loop's command call. */
	if (t->in_command) {
		tui_keys_while_busy(t);
		tui_absorb_dirty(t);
		tui_frame(t, false);
	}
}

static void fmt_eta(double s, char *buf, size_t n)
{
	if (!isfinite(s) || s < 0)
		snprintf(buf, n, "--:--");
	else if (s >= 3600)
		snprintf(buf, n, "%d:%02d:%02d", (int)(s / 3600), (int)fmod(s / 60, 60), (int)fmod(s, 60));
	else
		snprintf(buf, n, "%d:%02d", (int)(s / 60), (int)fmod(s, 60));
}

double tui_curves_fraction(const struct tui_curves *c)
{
	double part = c->have_progress && c->total > 0 ? c->done / c->total : 0;
	if (c->ep_total > 0)
		return fmin(1, (c->ep_done + part) / c->ep_total);
	return c->have_progress && c->total > 0 ? part : -1;
}

/* Seconds left: from the epochs this job ran (a resumed run's earlier ones took
 * their time elsewhere), else from the share of the progress done. */
static double eta_seconds(const struct tui_curves *c)
{
	double elapsed = qcq_now() - c->t_start;
	double part = c->have_progress && c->total > 0 ? c->done / c->total : 0;
	if (c->ep_total > 0 && c->n > 0) {
		double per_epoch = elapsed / ((double)c->n + part);
		return per_epoch * (c->ep_total - c->ep_done - part);
	}
	double f = tui_curves_fraction(c);
	return f > 0 ? elapsed * (1 - f) / f : NAN;
}

void tui_curves_draw_progress(struct tui *t, struct tui_pane *p, int y)
{
	struct tui_curves *c = &t->curves;
	int w = p->cw;
	if (!c->have_progress || !cmd_job_running(t->ws)) {
		const struct train_history *h = cmd_job_running(t->ws) ? NULL : t->ws->history;
		char msg[256];
		if (h && h->n)
			snprintf(msg, sizeof msg, "last run: %zu epochs (%s), best val acc %.3f at epoch "
				 "%d%s", h->n, train_end_name(h->end), h->best_val_acc, h->best_epoch,
				 h->has_test ? "" : "");
		else
			snprintf(msg, sizeof msg, "%s", c->last[0] ? c->last
					 : c->n ? "training finished"
						: "no training yet");
		int x = tui_put(p->win, y, 0, w, msg, tui_attr(t, TUI_C_DIM));
		if (h && h->n && h->has_test)
			tui_putf(p->win, y, x, w - x, tui_attr(t, TUI_C_VALUE), ", test acc %.3f",
				 h->test.acc);
		return;
	}
	char eta[32], what[64], detail[48] = "", rate[48] = "", right[224];
	fmt_eta(eta_seconds(c), eta, sizeof eta);
	double frac = tui_curves_fraction(c);
	double elapsed = qcq_now() - c->t_start;
	if (c->ep_total > 0 && c->n > 0 && c->n / elapsed >= 1) { /* fast: epochs per second */
		snprintf(what, sizeof what, "%3.0f%% epoch %d/%d", 100 * frac, c->ep_done, c->ep_total);
		snprintf(rate, sizeof rate, "  %.0f epochs/s", c->n / elapsed);
	} else if (c->ep_total > 0) { /* slow: the batches of the epoch in progress */
		snprintf(what, sizeof what, "%3.0f%% epoch %d/%d", 100 * frac, c->ep_done + 1,
			 c->ep_total);
		snprintf(detail, sizeof detail, " (batch %.0f/%.0f)", c->done, c->total);
		snprintf(rate, sizeof rate, "  %.0f samples/s", c->rate);
	} else if (c->units[0]) { /* another job's progress (runs of an experiment) */
		snprintf(what, sizeof what, "%3.0f%% %.0f/%.0f %s", 100 * frac, c->done, c->total,
			 c->units);
		snprintf(rate, sizeof rate, "  %.2f/s", c->rate);
	} else { /* the first epoch, before its end says how many there are */
		snprintf(what, sizeof what, "epoch 1");
		snprintf(detail, sizeof detail, " (batch %.0f/%.0f)", c->done, c->total);
		snprintf(rate, sizeof rate, "  %.0f samples/s", c->rate);
		eta[0] = '\0';
	}
	/* a narrow pane drops the batch, then the rate: the ETA is what people look for */
	for (int drop = 0; drop < 3; drop++) {
		snprintf(right, sizeof right, " %s%s%s%s%s", what, drop < 1 ? detail : "",
			 drop < 2 ? rate : "", eta[0] ? "  ETA " : "", eta);
		if (tui_text_width(right) <= w)
			break;
	}
	if (frac < 0)
		frac = 0;
	int rw = tui_text_width(right);
	int bw = w - rw - 2;
	if (bw > 40)
		bw = 40;
	int x = 0;
	if (bw >= 8) {
		tui_put(p->win, y, 0, 1, "[", tui_attr(t, TUI_C_AXIS));
		tui_bar(t, p->win, y, 1, bw, frac, tui_attr(t, TUI_C_PROGRESS));
		tui_put(p->win, y, bw + 1, 1, "]", tui_attr(t, TUI_C_AXIS));
		x = bw + 2;
	}
	tui_put(p->win, y, x, w - x, right, tui_attr(t, TUI_C_VALUE));
}

static void curves_draw(struct tui *t, struct tui_pane *p)
{
	struct tui_curves *c = &t->curves;
	int h = p->h - 1, w = p->cw;
	if (h < 1)
		return;
	tui_curves_draw_progress(t, p, 1);
	c->progress_dirty = false;
	if (h < 6)
		return;
	bool training = cmd_job_running(t->ws);
	if (!training && !c->n && !(t->ws->history && t->ws->history->n)) {
		/* nothing to plot: say what will be here rather than draw empty axes */
		static const char *const wide[] = {
			"Loss and accuracy of every epoch (training and validation) are plotted",
			"here while a model trains, with a progress bar and the time left.",
			"",
			"  model qcq-cnn       quanvolution + CNN + 2-qubit quantum classifier",
			"  train epochs=20     runs in the background: the prompt stays free",
			"  stop  or  Ctrl-C    ends it early; the best epoch's weights are kept",
		};
		static const char *const narrow[] = {
			"Loss and accuracy per epoch are plotted",
			"here while a model trains.",
			"",
			"  model qcq-cnn     build QCQ-CNN",
			"  train epochs=20   in the background",
			"  stop  or  Ctrl-C  end it early",
		};
		const char *const *what = w >= 72 ? wide : narrow;
		attr_t dim = tui_attr(t, TUI_C_DIM);
		for (int i = 0; i < (int)(sizeof wide / sizeof wide[0]) && 3 + i < h; i++)
			tui_put(p->win, 3 + i, 0, w, what[i], i >= 3 ? tui_attr(t, TUI_C_NORMAL) : dim);
		return;
	}

	/* the workspace's history when idle (it also holds runs loaded from a checkpoint),
	 * the events while a job runs (the job owns the history then) */
	const struct train_history *hist = cmd_job_running(t->ws) ? NULL : t->ws->history;
	bool from_hist = hist && hist->n > 0;
	size_t n = from_hist ? hist->n : c->n;
	double *x = qcq_xcalloc(n + 1, sizeof *x);
	double *v[4];
	for (int k = 0; k < 4; k++)
		v[k] = qcq_xcalloc(n + 1, sizeof *v[k]);
	for (size_t i = 0; i < n; i++) {
		struct tui_epoch e = c->n > i ? c->ep[i] : (struct tui_epoch){0};
		if (from_hist)
			e = (struct tui_epoch){hist->rows[i].epoch, hist->rows[i].train_loss,
					       hist->rows[i].train_acc, hist->rows[i].val_loss,
					       hist->rows[i].val_acc, hist->rows[i].seconds};
		x[i] = e.epoch;
		v[0][i] = e.train_loss;
		v[1][i] = e.val_loss;
		v[2][i] = e.train_acc;
		v[3][i] = e.val_acc;
	}
	/* most important first: the title rule cuts what does not fit at a comma */
	if (n)
		snprintf(p->subtitle, sizeof p->subtitle, "%zu epochs, last val acc %.3f, val loss %.4f",
			 n, v[3][n - 1], v[1][n - 1]);
	else
		p->subtitle[0] = '\0';
	double xmax = n ? x[n - 1] : 1;
	/* while the first epochs run, the mean batch loss so far is a provisional point */
	size_t nl = n;
	if (c->nb && cmd_job_running(t->ws)) {
		double m = 0;
		for (size_t i = 0; i < c->nb; i++)
			m += c->batch_loss[i];
		x[n] = n ? x[n - 1] + 1 : 1;
		v[0][n] = m / (double)c->nb;
		v[1][n] = NAN;
		nl = n + 1;
		xmax = x[n];
	}
	double xmin = 1;
	if (xmax < 2)
		xmax = 2;
	struct tui_series loss[2] = {
		{x, v[0], nl, TUI_C_TRAIN_LOSS, "●", 'o', "train"},
		{x, v[1], n, TUI_C_VAL_LOSS, "▲", 'x', "val"},
	};
	struct tui_series acc[2] = {
		{x, v[2], n, TUI_C_TRAIN_ACC, "●", 'o', "train"},
		{x, v[3], n, TUI_C_VAL_ACC, "▲", 'x', "val"},
	};
	int top = 2, ph = h - 1;
	if (w >= 64) {
		int half = (w - 2) / 2;
		tui_plot(t, p->win, top, 0, ph, half, "loss", loss, 2, xmin, xmax, false, 0, 0);
		tui_plot(t, p->win, top, half + 2, ph, w - half - 2, "accuracy", acc, 2, xmin, xmax,
			 true, 0, 1);
	} else if (ph >= 12) {
		tui_plot(t, p->win, top, 0, ph / 2, w, "loss", loss, 2, xmin, xmax, false, 0, 0);
		tui_plot(t, p->win, top + ph / 2, 0, ph - ph / 2, w, "accuracy", acc, 2, xmin, xmax,
			 true, 0, 1);
	} else {
		tui_plot(t, p->win, top, 0, ph, w, "loss", loss, 2, xmin, xmax, false, 0, 0);
	}
	free(x);
	for (int k = 0; k < 4; k++)
		free(v[k]);
}

const struct tui_pane_ops tui_curves_ops = {
	.title = "Curves",
	.draw = curves_draw,
	.on_key = NULL,
	.resize = NULL,
};
