/*
 * cmd/cmd-pause.c: `pause [TEXT...]` -- a session file waits here at the workbench until
 * Enter (cmd_resume), so that a walk-through such as the tour can be read step by step
 * while the panes show that step. Outside the workbench (batch, -x, -c) it does
 * nothing: there is nobody to press Enter.
 */
#include "cmd-internal.h"

#include <stdlib.h>

static enum qcq_status exec_pause(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	if (!ws->workbench)
		return QCQ_OK; /* batch: nobody to wait for, and nothing to say */
	if (ws->source_depth == 0) {
		cmd_info(ctx, "pause: only a session file pauses (source FILE, tour)");
		return QCQ_OK;
	}
	if (cmd_nargs(call) > 0) {
		char *s = cmd_join_args(call);
		cmd_print(ctx, "%s", s);
		free(s);
	}
	/* the runners of this file and of every level around it keep their remaining
	 * commands in ws->paused and return; the top level says what waits */
	ws->pause_requested = true;
	return QCQ_OK;
}

const struct cmd_entry cmd_pause_entry = {
	.name = "pause",
	.min_args = 0,
	.max_args = -1,
	.usage = "pause [TEXT...]",
	.help = "In a session file at the workbench: print TEXT, then wait. Enter on an empty "
		"prompt goes on with the rest of the file; other commands can be typed meanwhile; "
		"`stop` ends the session there. In batch runs (-x, -c) it does nothing.",
	.flags = CMD_F_NO_RECORD,
	.exec = exec_pause,
};
