/*
 * cmd/cmd-help.c: `help [COMMAND]` — the list of commands with their summaries, or
 * one command's usage and help text, all printed from the table.
 */
#include "cmd-internal.h"

#include <string.h>

static void first_line(const char *s, char *out, size_t n)
{
	size_t i = 0;
	while (s && s[i] && s[i] != '\n' && i + 1 < n) {
		out[i] = s[i];
		i++;
	}
	out[i] = '\0';
}

static enum qcq_status list_all(struct cmd_ctx *ctx)
{
	const struct cmd_entry *e;
	cmd_json_begin(ctx, "help");
	cmd_json_arr_begin(ctx, "commands");
	for (size_t i = 0; (e = cmd_entry_at(i)); i++) {
		char sum[120], kinds[400];
		first_line(e->help, sum, sizeof sum);
		cmd_subcommand_list(e->name, kinds, sizeof kinds);
		const char *dash = strchr(e->name, '-');
		char parent[64];
		snprintf(parent, sizeof parent, "%.*s", dash ? (int)(dash - e->name) : 0, e->name);
		/* sub-commands (load-synth) are listed as kinds of their parent */
		bool is_sub = dash && cmd_find(parent, NULL) && strcmp(cmd_find(parent, NULL)->name, parent) == 0;
		if (!is_sub && kinds[0])
			cmd_print(ctx, "  %-14s %s [%s]", e->name, sum, kinds);
		else if (!is_sub)
			cmd_print(ctx, "  %-14s %s", e->name, sum);
		cmd_json_obj_begin(ctx, NULL);
		cmd_json_str(ctx, "name", e->name);
		cmd_json_str(ctx, "usage", e->usage);
		cmd_json_str(ctx, "summary", sum);
		cmd_json_obj_end(ctx);
	}
	cmd_json_arr_end(ctx);
	cmd_json_end(ctx);
	cmd_print(ctx, "type help COMMAND for details; commands may be shortened to a unique prefix");
	return QCQ_OK;
}

static enum qcq_status exec_help(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	if (cmd_nargs(call) == 0)
		return list_all(ctx);
	char name[128];
	snprintf(name, sizeof name, "%s", cmd_arg(call, 0));
	if (cmd_nargs(call) == 2)
		snprintf(name, sizeof name, "%s-%s", cmd_arg(call, 0), cmd_arg(call, 1));
	const struct cmd_entry *e = cmd_find(name, ctx->err);
	if (!e)
		return ctx->err->code;
	cmd_print(ctx, "usage: %s", e->usage);
	if (e->alias)
		cmd_print(ctx, "alias: %s", e->alias);
	cmd_print(ctx, "%s", e->help);
	char kinds[400];
	cmd_subcommand_list(e->name, kinds, sizeof kinds);
	if (kinds[0])
		cmd_print(ctx, "kinds: %s (help %s KIND for each)", kinds, e->name);
	cmd_json_begin(ctx, "help");
	cmd_json_str(ctx, "name", e->name);
	cmd_json_str(ctx, "usage", e->usage);
	cmd_json_str(ctx, "help", e->help);
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.alias = "?",
	.min_args = 0,
	.max_args = 2,
	.usage = "help [COMMAND [KIND]]",
	.help = "List the commands, or show one command's usage and help.\n"
		"Commands with kinds (load, save, show, export, circuit) take the kind as a "
		"second word: help load synth.",
	.flags = CMD_F_JOB_SAFE | CMD_F_NO_RECORD,
	.exec = exec_help,
};
