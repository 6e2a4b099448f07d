/*
 * front/batch.c: the headless front end. Results go to stdout, notes and errors to
 * stderr, so `qcqlab -c '...' > out.txt` keeps only results; with --json stdout is
 * one JSON object per line. Training events become a progress line on stderr (only
 * on a terminal) and one row per epoch.
 */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct batch_state {
	struct cmd_workspace *ws;
	bool tty;
	bool progress_shown;
};

static void batch_write(void *ctx, enum cmd_stream s, const char *text)
{
	const struct batch_state *b = ctx;
	static const char *const prefix[] = {"", "", "error: ", ""};
	/* under --json stdout holds JSON lines only: human text goes with the notes */
	bool json = b && b->ws && b->ws->json;
	FILE *f = s == CMD_STREAM_JSON || (s == CMD_STREAM_OUT && !json) ? stdout : stderr;
	if (s == CMD_STREAM_ERR && text[0] && (text[0] == ' ' || !strncmp(text, "usage:", 6)))
		fprintf(f, "%s\n", text);
	else
		fprintf(f, "%s%s\n", prefix[s], text);
	fflush(f);
}

static void clear_progress(struct batch_state *b)
{
	if (b->progress_shown) {
		fputs("\r\033[K", stderr);
		b->progress_shown = false;
	}
}

static void batch_event(void *ctx, const struct qcq_event *ev)
{
	struct batch_state *b = ctx;
	switch (ev->kind) {
	case QCQ_EV_LOG:
		clear_progress(b);
		fprintf(stderr, "%s\n", ev->text ? ev->text : "");
		break;
	case QCQ_EV_PROGRESS:
	case QCQ_EV_BATCH:
		if (b->tty && ev->total > 0) {
			fprintf(stderr, "\r\033[K%s %.0f/%.0f  %.0f/s", ev->text ? ev->text : "",
				ev->done, ev->total, ev->rate);
			b->progress_shown = true;
		}
		break;
	case QCQ_EV_EPOCH:
		clear_progress(b);
		if (b->ws->json) {
			/* through the JSON writer: a NaN loss is null, not "nan" */
			struct cmd_ctx jc = {.ws = b->ws};
			cmd_json_begin(&jc, "epoch");
			cmd_json_int(&jc, "epoch", ev->epoch);
			cmd_json_num(&jc, "train_loss", ev->train_loss);
			cmd_json_num(&jc, "train_acc", ev->train_acc);
			cmd_json_num(&jc, "val_loss", ev->val_loss);
			cmd_json_num(&jc, "val_acc", ev->val_acc);
			cmd_json_num(&jc, "seconds", ev->seconds);
			cmd_json_end(&jc);
			free(jc.json);
		} else
			printf("epoch %3d  train loss %.4f acc %.4f  val loss %.4f acc %.4f  %.2fs\n",
			       ev->epoch, ev->train_loss, ev->train_acc, ev->val_loss, ev->val_acc,
			       ev->seconds);
		fflush(stdout);
		break;
	case QCQ_EV_DONE:
		clear_progress(b);
		if (ev->text)
			fprintf(stderr, "%s\n", ev->text);
		break;
	}
}

void cmd_batch_attach(struct cmd_workspace *ws)
{
	static struct batch_state state; /* one batch front end per process */
	state.ws = ws;
	state.tty = isatty(STDERR_FILENO);
	ws->out.write = batch_write;
	ws->out.ctx = &state;
	ws->ui.post = batch_event;
	ws->ui.ctx = &state;
	ws->interactive = false;
}

/* A quiet rank's errors, and its one-line notes (its share of a study), still show. */
static void quiet_write(void *ctx, enum cmd_stream s, const char *text)
{
	if (s == CMD_STREAM_ERR || s == CMD_STREAM_INFO)
		batch_write(ctx, s, text);
}

static void quiet_event(void *ctx, const struct qcq_event *ev)
{
	(void)ctx;
	(void)ev;
}

void cmd_batch_quiet(struct cmd_workspace *ws)
{
	ws->out.write = quiet_write;
	ws->ui.post = quiet_event;
}
