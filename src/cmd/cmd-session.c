/*
 * cmd/cmd-session.c: the commands about the session itself: `quit`, `stop` (the
 * running job), and `save-session FILE` (what was typed, as a replayable .qcq).
 */
#include "cmd-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum qcq_status exec_quit(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	if (cmd_job_running(ctx->ws))
		cmd_job_stop(ctx->ws);
	ctx->ws->quit = true;
	return QCQ_OK;
}

const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.alias = "q",
	.min_args = 0,
	.max_args = 0,
	.usage = "quit",
	.help = "Leave qcqlab (a running job is stopped first).",
	.flags = CMD_F_JOB_SAFE | CMD_F_NO_RECORD,
	.exec = exec_quit,
};

static enum qcq_status exec_stop(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	size_t dropped = cmd_paused_drop(ctx->ws);
	if (dropped)
		cmd_info(ctx, "ended the paused session: %zu command%s not run", dropped,
			 dropped == 1 ? "" : "s");
	if (!cmd_job_running(ctx->ws))
		return dropped ? QCQ_OK : cmd_error(ctx, QCQ_ESTATE, "stop: no job is running");
	cmd_info(ctx, "stopping %s (it finishes the current step and keeps its best result)",
		 cmd_job_name(ctx->ws));
	cmd_job_stop(ctx->ws);
	return QCQ_OK;
}

const struct cmd_entry cmd_stop_entry = {
	.name = "stop",
	.min_args = 0,
	.max_args = 0,
	.usage = "stop",
	.help = "Stop the running job (training, an experiment) after its current step; "
		"training keeps its best weights. Ctrl-C does the same. A session file waiting at "
		"`pause` ends there.",
	.flags = CMD_F_JOB_SAFE | CMD_F_NO_RECORD,
	.exec = exec_stop,
};

void cmd_history_train_stopped(struct cmd_workspace *ws, size_t at, size_t epochs,
			       bool trained_any)
{
	if (at >= ws->nhistory)
		return; /* not recorded (inside a session file): its `source` line is */
	struct cmd_list l;
	struct qcq_error err;
	char *line = ws->history_lines[at];
	if (cmd_parse(line, "<history>", 1, NULL, &l, &err) != QCQ_OK)
		return;
	if (l.n == 1 && strcmp(l.calls[0].argv[0], "train") == 0) {
		struct cmd_call *c = &l.calls[0];
		char *text;
		if (!trained_any) {
			text = qcq_xmalloc(strlen(line) + 64);
			sprintf(text, "# %s  (stopped before its first epoch ended)", line);
		} else {
			char n[32];
			snprintf(n, sizeof n, "%zu", epochs);
			int k = 0;
			while (k < c->nopt && strcmp(c->opts[k].key, "epochs") != 0)
				k++;
			if (k == c->nopt) { /* no epochs= given: add one */
				c->opts = qcq_xrealloc(c->opts, sizeof *c->opts * (size_t)(k + 1));
				c->opts[k].key = qcq_xstrdup("epochs");
				c->opts[k].value = NULL;
				c->nopt++;
			}
			free(c->opts[k].value);
			c->opts[k].value = qcq_xstrdup(n);
			text = cmd_call_to_text(c);
		}
		free(ws->history_lines[at]);
		ws->history_lines[at] = text;
	}
	cmd_list_free(&l);
}

static enum qcq_status exec_save_session(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	const struct cmd_workspace *ws = ctx->ws;
	size_t len = 0, cap = 256;
	char *text = qcq_xmalloc(cap);
	len = (size_t)snprintf(text, cap, "# qcqlab session: %zu commands\n", ws->nhistory);
	for (size_t i = 0; i < ws->nhistory; i++) {
		size_t n = strlen(ws->history_lines[i]);
		if (len + n + 2 > cap) {
			cap = (len + n + 2) * 2;
			text = qcq_xrealloc(text, cap);
		}
		memcpy(text + len, ws->history_lines[i], n);
		len += n;
		text[len++] = '\n';
	}
	struct qcq_error err;
	enum qcq_status st = qcq_write_file_atomic(cmd_arg(call, 0), text, len, &err);
	free(text);
	if (st)
		return cmd_error(ctx, st, "save-session: %s", err.msg);
	cmd_print(ctx, "wrote %zu commands to %s (replay: qcqlab -x %s)", ws->nhistory,
		  cmd_arg(call, 0), cmd_arg(call, 0));
	cmd_json_begin(ctx, "save-session");
	cmd_json_str(ctx, "file", cmd_arg(call, 0));
	cmd_json_int(ctx, "commands", (long long)ws->nhistory);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_save_session_entry = {
	.name = "save-session",
	.min_args = 1,
	.max_args = 1,
	.usage = "save-session FILE.qcq",
	.help = "Write the commands of this session that succeeded, in order, as a session file "
		"that qcqlab -x FILE replays: everything that ran (also eval, confusion, state, "
		"heatmap, summary, circuit save ...) except help, quit, stop and pause; a training "
		"that was stopped is written with the epochs it trained.",
	.flags = CMD_F_JOB_SAFE | CMD_F_NO_RECORD | CMD_F_NOT_KIND,
	.exec = exec_save_session,
};

/* The parents of sub-command entries: reached only without a kind. */
static enum qcq_status exec_parent(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	char kinds[400];
	cmd_subcommand_list(ctx->entry->name, kinds, sizeof kinds);
	return cmd_error(ctx, QCQ_EINVAL, "%s: which kind? (one of: %s)", ctx->entry->name,
			 kinds[0] ? kinds : "none available");
}

#define PARENT(id, nm, use, hlp)                                                             \
	const struct cmd_entry cmd_##id##_entry = {                                          \
		.name = nm,                                                                  \
		.min_args = 0,                                                               \
		.max_args = 0,                                                               \
		.usage = use,                                                                \
		.help = hlp,                                                                 \
		.flags = CMD_F_JOB_SAFE | CMD_F_NO_RECORD | CMD_F_PARENT,                    \
		.exec = exec_parent,                                                         \
	}

PARENT(load, "load", "load KIND ...", "Load a data set or a model: load KIND ... (help load KIND).");
PARENT(save, "save", "save KIND FILE", "Save something to a file: save model FILE.");
PARENT(show, "show", "show KIND ...", "Show something: show settings, show image I.");
PARENT(export, "export", "export KIND FILE ...", "Write results to files: export png|npy|curves ...");
PARENT(circuit, "circuit", "circuit KIND ...",
       "Build, load, save and show the circuit the stepper works on (help circuit KIND).");
