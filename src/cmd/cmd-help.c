/*
 * cmd/cmd-help.c: `help [COMMAND]` — the list of commands with their summaries, or
 * one command's usage and help text, all printed from the table.
 */
#include "cmd-internal.h"

#include <stdio.h>
#include <string.h>

#define HELP_WIDTH 78 /* a terminal's 80 columns, less a margin */
#define HELP_INDENT 17 /* "  " + the name in 14 + " " */

/* The summary: the help's first sentence (outside parentheses) of its first line. */
static void first_line(const char *s, char *out, size_t n)
{
	size_t i = 0;
	int depth = 0;
	while (s && s[i] && s[i] != '\n' && i + 1 < n) {
		out[i] = s[i];
		depth += (s[i] == '(') - (s[i] == ')');
		i++;
		if (s[i - 1] == '.' && depth <= 0 && (s[i] == ' ' || s[i] == '\n'))
			break;
	}
	out[i] = '\0';
}

/* head, then text wrapped at blanks to HELP_WIDTH columns, continuation lines indented
 * to HELP_INDENT (a word longer than a line gets a line of its own). */
static void print_wrapped(struct cmd_ctx *ctx, const char *head, const char *text)
{
	char line[1024];
	size_t len = (size_t)snprintf(line, sizeof line, "%s", head);
	size_t start = len; /* where the first word of this line goes */
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " ");
		if (!w)
			break;
		if (len > start && len + 1 + w > HELP_WIDTH) {
			line[len] = '\0';
			cmd_print(ctx, "%s", line);
			len = (size_t)snprintf(line, sizeof line, "%*s", HELP_INDENT, "");
			start = len;
		}
		if (len > start)
			line[len++] = ' ';
		if (len + w + 1 >= sizeof line)
			w = sizeof line - len - 1;
		memcpy(line + len, p, w);
		len += w;
		p += w;
	}
	line[len] = '\0';
	cmd_print(ctx, "%s", line);
}

static enum qcq_status list_all(struct cmd_ctx *ctx)
{
	const struct cmd_entry *e;
	cmd_json_begin(ctx, "help");
	cmd_json_arr_begin(ctx, "commands");
	for (size_t i = 0; (e = cmd_entry_at(i)); i++) {
		char sum[600], kinds[400], head[64], text[1024];
		first_line(e->help, sum, sizeof sum);
		cmd_subcommand_list(e->name, kinds, sizeof kinds);
		/* sub-commands (load-synth) are listed as kinds of their parent */
		if (!cmd_kind_parent(e)) {
			snprintf(head, sizeof head, "  %-14s ", e->name);
			if (kinds[0])
				snprintf(text, sizeof text, "%s [%s]", sum, kinds);
			else
				snprintf(text, sizeof text, "%s", sum);
			print_wrapped(ctx, head, text);
		}
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
