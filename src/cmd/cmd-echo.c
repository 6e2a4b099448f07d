/* cmd/cmd-echo.c: `echo WORDS...` — print the words; session files use it to narrate. */
#include "cmd-internal.h"

#include <stdlib.h>
#include <string.h>

char *cmd_join_args(const struct cmd_call *call)
{
	size_t n = 1;
	for (int i = 0; i < cmd_nargs(call); i++)
		n += strlen(cmd_arg(call, i)) + 1;
	char *s = qcq_xmalloc(n), *at = s;
	/* one pass, appending at the end (strcat would rescan the text for every word) */
	for (int i = 0; i < cmd_nargs(call); i++) {
		const char *w = cmd_arg(call, i);
		size_t len = strlen(w);
		if (i)
			*at++ = ' ';
		memcpy(at, w, len);
		at += len;
	}
	*at = '\0';
	return s;
}

static enum qcq_status exec_echo(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	char *s = cmd_join_args(call);
	cmd_print(ctx, "%s", s);
	cmd_json_begin(ctx, "echo");
	cmd_json_str(ctx, "text", s);
	cmd_json_end(ctx);
	free(s);
	return QCQ_OK;
}

const struct cmd_entry cmd_echo_entry = {
	.name = "echo",
	.min_args = 0,
	.max_args = -1,
	.usage = "echo [WORDS...]",
	.help = "Print the words, separated by single spaces.",
	.flags = CMD_F_JOB_SAFE,
	.exec = exec_echo,
};
