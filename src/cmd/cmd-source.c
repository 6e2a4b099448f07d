/*
 * cmd/cmd-source.c: `source FILE [NAME=VALUE...]` runs a session file with ${NAME}
 * set, and `tour` runs the guided walk-through tour.qcq (from the installed session
 * files, or ./sessions in a source tree).
 */
#include "cmd-internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum qcq_status run_with_vars(struct cmd_ctx *ctx, const char *path,
				     const struct cmd_call *call)
{
	const char **names = qcq_xcalloc((size_t)call->nopt + 1, sizeof *names);
	const char **values = qcq_xcalloc((size_t)call->nopt + 1, sizeof *values);
	for (int i = 0; i < call->nopt; i++) {
		names[i] = call->opts[i].key;
		values[i] = call->opts[i].value;
	}
	struct cmd_vars vars = {call->nopt, names, values};
	enum qcq_status st = cmd_run_file(ctx->ws, path, &vars);
	free(names);
	free(values);
	/* the failing command inside the file has been reported with its own file:line */
	if (st != QCQ_OK)
		cmd_error(ctx, st, "%s: stopped at the error above", path);
	return st;
}

static enum qcq_status exec_source(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	const char *path = cmd_arg(call, 0);
	if (access(path, R_OK) != 0)
		return cmd_error(ctx, QCQ_EIO, "source: %s: cannot read the file", path);
	return run_with_vars(ctx, path, call);
}

const struct cmd_entry cmd_source_entry = {
	.name = "source",
	.min_args = 1,
	.max_args = 1,
	.usage = "source FILE [NAME=VALUE...]",
	.help = "Run the commands of a session file (.qcq), one per line, # for comments.\n"
		"NAME=VALUE arguments set variables used as ${NAME} inside the file. The file "
		"stops at its first failing command, whose file:line is reported.",
	.flags = CMD_F_ANY_OPTIONS,
	.exec = exec_source,
};

/*
 * The installed session files: <prefix>/<datadir>/qcqlab/sessions, the prefix being the
 * folder above the one that holds the running binary (so a tree installed with DESTDIR
 * or moved elsewhere still finds its own). QCQ_DATADIR is meson's datadir option,
 * relative to the prefix unless it was given as an absolute path.
 */
static bool installed_sessions(char *out, size_t n)
{
	if (QCQ_DATADIR[0] == '/') {
		snprintf(out, n, "%s/qcqlab/sessions", QCQ_DATADIR);
		return true;
	}
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0)
		return false;
	exe[len] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0'; /* the binary's folder, then its parent */
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(out, n, "%s/%s/qcqlab/sessions", exe, QCQ_DATADIR);
	return true;
}

/* NAME.qcq in $QCQ_SESSIONS, the installed sessions folder, or ./sessions. */
static bool find_session(const char *name, char *out, size_t n)
{
	char installed[4096];
	const char *dirs[] = {getenv("QCQ_SESSIONS"),
			      installed_sessions(installed, sizeof installed) ? installed : NULL,
			      "sessions"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (!dirs[i] || !dirs[i][0])
			continue;
		snprintf(out, n, "%s/%s.qcq", dirs[i], name);
		if (access(out, R_OK) == 0)
			return true;
	}
	return false;
}

static enum qcq_status exec_tour(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	char path[4096];
	if (!find_session("tour", path, sizeof path))
		return cmd_error(ctx, QCQ_EIO,
				 "tour: tour.qcq is neither in $QCQ_SESSIONS, the installed "
				 "share/qcqlab/sessions nor ./sessions (set QCQ_SESSIONS to the "
				 "folder that holds it)");
	return run_with_vars(ctx, path, call);
}

const struct cmd_entry cmd_tour_entry = {
	.name = "tour",
	.min_args = 0,
	.max_args = 0,
	.usage = "tour",
	.help = "A guided walk-through of a QCQ-CNN: the built-in digits, one patch through "
		"the filter circuit gate by gate, the feature maps, the model, training, and "
		"what depth and noise change. Each step explains itself in the log; at the "
		"workbench the tour waits after each step until Enter on an empty prompt (`stop` "
		"ends it).",
	.flags = CMD_F_ANY_OPTIONS,
	.exec = exec_tour,
};
