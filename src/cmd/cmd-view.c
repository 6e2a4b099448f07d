/*
 * cmd/cmd-view.c: `view data|circuit|state|curves|log` -- at the workbench, bring a pane
 * into view and give it the focus (so n/p step a circuit, or go through images, right
 * away). A session file such as the tour uses it to show the pane it talks about. In
 * batch runs it does nothing: there are no panes.
 */
#include "cmd-internal.h"

#include <string.h>

static const char *const view_names[CMD_VIEW_COUNT] = {
	[CMD_VIEW_DATA] = "data",   [CMD_VIEW_CIRCUIT] = "circuit", [CMD_VIEW_STATE] = "state",
	[CMD_VIEW_CURVES] = "curves", [CMD_VIEW_LOG] = "log",
};

static enum qcq_status exec_view(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	const char *name = cmd_arg(call, 0);
	for (int v = CMD_VIEW_DATA; v < CMD_VIEW_COUNT; v++)
		if (strcmp(view_names[v], name) == 0) {
			if (ctx->ws->workbench)
				ctx->ws->view = (enum cmd_view)v;
			cmd_json_begin(ctx, "view");
			cmd_json_str(ctx, "pane", name);
			cmd_json_end(ctx);
			return QCQ_OK;
		}
	return cmd_error(ctx, QCQ_EINVAL, "view: '%s' is not data, circuit, state, curves or log",
			 name);
}

const struct cmd_entry cmd_view_entry = {
	.name = "view",
	.min_args = 1,
	.max_args = 1,
	.usage = "view data|circuit|state|curves|log",
	.help = "At the workbench, show that pane and focus it (as F2..F6 do), so its keys work "
		"at once: n and p step the circuit or go through the images. Session files use it "
		"to show what they talk about; in batch runs it does nothing.",
	.flags = CMD_F_JOB_SAFE,
	.exec = exec_view,
};
