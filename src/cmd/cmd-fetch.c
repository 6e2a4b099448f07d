/*
 * cmd/cmd-fetch.c: `fetch mnist|fashion-mnist|brain-mri [dir=DIR] [url=BASE]` -- download
 * the canonical public files into the data home ($XDG_DATA_HOME/qcqlab, see
 * data_home_dir; or DIR) with SHA-256 checks, through `curl`.
 * Without network it fails with a message saying where to put the files by hand.
 */
#include "cmd-internal.h"
#include "qcq/data.h"

static void log_line(void *c, const char *line)
{
	cmd_info((struct cmd_ctx *)c, "%s", line);
}

static enum qcq_status exec_fetch(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	const char *name = cmd_arg(call, 0), *dir = cmd_opt(call, "dir"), *url = cmd_opt(call, "url");
	char home[DATA_PATH_MAX];
	if (!dir) {
		if (!data_home_dir(home, sizeof home))
			return cmd_error(ctx, QCQ_EINVAL, "fetch: neither XDG_DATA_HOME nor HOME is "
					 "set: give dir=DIR");
		dir = home;
	}
	enum qcq_status st = data_fetch(name, dir, url, log_line, ctx, ctx->err);
	if (st)
		return st;
	cmd_print(ctx, "%s: files in %s/%s, checksums ok; `load %s` reads them", name, dir, name,
		  name);
	cmd_json_begin(ctx, "fetch");
	cmd_json_str(ctx, "name", name);
	cmd_json_str(ctx, "dir", dir);
	cmd_json_end(ctx);
	return QCQ_OK;
}

static const char *const fetch_options[] = {"dir", "url", NULL};

const struct cmd_entry cmd_fetch_entry = {
	.name = "fetch",
	.min_args = 1,
	.max_args = 1,
	.options = fetch_options,
	.usage = "fetch mnist|fashion-mnist|brain-mri [dir=DIR] [url=BASE]",
	.help = "Download a public data set into $XDG_DATA_HOME/qcqlab/NAME (default\n"
		"~/.local/share/qcqlab/NAME, where `load` looks) or DIR/NAME with `curl`, checking\n"
		"each file's SHA-256; files already there with the right checksum are kept.\n"
		"url=BASE takes the files from a mirror. brain-mri sits behind a Kaggle login:\n"
		"the message says where to unpack it. Without network the message says where\n"
		"to put the files by hand.",
	.exec = exec_fetch,
};
