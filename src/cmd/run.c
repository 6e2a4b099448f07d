/*
 * cmd/run.c: the runner, the one reporting boundary (STYLE 12). It looks a command
 * up, dispatches `load X`/`save X`/`show X`/`export X`/`circuit X` to the entry
 * "load-X" etc., checks the argument counts and option names against the entry, runs
 * it, and reports a failure as "file:line: message" plus the usage line. In batch mode
 * it waits for a job the command started, so a session file runs top to bottom.
 */
#include "cmd-internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The sub-command kinds of a parent ("synth, mnist, ...") for messages and help. */
void cmd_subcommand_list(const char *parent, char *out, size_t n)
{
	size_t len = strlen(parent);
	const struct cmd_entry *e, *p;
	out[0] = '\0';
	for (size_t i = 0; (e = cmd_entry_at(i)); i++) {
		if ((p = cmd_kind_parent(e)) && strcmp(p->name, parent) == 0) {
			if (strlen(out) + strlen(e->name) + 3 >= n)
				break;
			if (out[0])
				strcat(out, ", ");
			strcat(out, e->name + len + 1);
		}
	}
}

static void report(struct cmd_workspace *ws, const struct cmd_call *call,
		   const struct cmd_entry *entry, const struct qcq_error *err)
{
	char line[QCQ_ERROR_MSG_MAX + 600];
	if (call->file && strcmp(call->file, "<prompt>") != 0)
		snprintf(line, sizeof line, "%s:%d: %s", call->file, call->line, err->msg);
	else
		snprintf(line, sizeof line, "%s", err->msg);
	bool usage = entry && entry->usage && (err->code == QCQ_EINVAL || err->code == QCQ_ERANGE);
	cmd_report_error(ws, line, usage ? entry->usage : NULL);
}

static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++)
		if (strchr(" \t\r\n;#'\"\\$", *s))
			return true;
	return false;
}

/* NAME=... would parse back as an option */
static bool option_shaped(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (s++; *s && *s != '='; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
			return false;
	return *s == '=';
}

/* w as one word of the language: as is, or in single quotes with ' written as '\'' */
static void append_quoted(char **buf, size_t *len, const char *w, bool positional)
{
	*buf = qcq_xrealloc(*buf, *len + strlen(w) * 4 + 4);
	char *p = *buf + *len;
	if (!needs_quotes(w) && !(positional && option_shaped(w))) {
		strcpy(p, w);
		p += strlen(w);
	} else {
		*p++ = '\'';
		for (; *w; w++) {
			if (*w == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *w;
			}
		}
		*p++ = '\'';
	}
	*p = '\0';
	*len = (size_t)(p - *buf);
}

static void append_raw(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	*buf = qcq_xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* The call as text that parses back to the same call (for save-session). */
char *cmd_call_to_text(const struct cmd_call *call)
{
	char *buf = qcq_xcalloc(1, 1);
	size_t len = 0;
	for (int i = 0; i < call->argc; i++) {
		if (i)
			append_raw(&buf, &len, " ");
		append_quoted(&buf, &len, call->argv[i], i > 0);
	}
	for (int i = 0; i < call->nopt; i++) {
		append_raw(&buf, &len, " ");
		append_raw(&buf, &len, call->opts[i].key); /* keys are [A-Za-z0-9_-]: no quoting */
		append_raw(&buf, &len, "=");
		append_quoted(&buf, &len, call->opts[i].value, false);
	}
	return buf;
}

static enum qcq_status check_call(struct cmd_ctx *ctx, const struct cmd_entry *e,
				  const struct cmd_call *call)
{
	int n = call->argc - 1;
	if (n < e->min_args)
		return cmd_error(ctx, QCQ_EINVAL, "%s: missing argument (needs at least %d)", e->name,
				 e->min_args);
	if (e->max_args >= 0 && n > e->max_args)
		return cmd_error(ctx, QCQ_EINVAL, "%s: too many arguments (at most %d): '%s'", e->name,
				 e->max_args, call->argv[e->max_args + 1]);
	for (int i = 0; i < call->nopt && !(e->flags & CMD_F_ANY_OPTIONS); i++) {
		bool ok = false;
		for (const char *const *o = e->options; o && *o; o++)
			if (strcmp(*o, call->opts[i].key) == 0)
				ok = true;
		if (!ok)
			return cmd_error(ctx, QCQ_EINVAL, "%s: unknown option '%s'", e->name,
					 call->opts[i].key);
	}
	if (cmd_job_running(ctx->ws) && !(e->flags & CMD_F_JOB_SAFE))
		return cmd_error(ctx, QCQ_ESTATE,
				 "%s: not while %s is running (wait for it or type stop)", e->name,
				 cmd_job_name(ctx->ws));
	return QCQ_OK;
}

static void record_call(struct cmd_workspace *ws, const struct cmd_call *call)
{
	ws->history_lines = qcq_xrealloc(ws->history_lines,
					 sizeof *ws->history_lines * (ws->nhistory + 1));
	ws->history_lines[ws->nhistory++] = cmd_call_to_text(call);
}

/* Resolve `load synth ...` to entry load-synth with a shifted view of the call. */
static const struct cmd_entry *resolve(struct cmd_ctx *ctx, const struct cmd_call *call,
				       struct cmd_call *view)
{
	const struct cmd_entry *e = cmd_find(call->argv[0], ctx->err);
	*view = *call;
	if (!e || !(e->flags & CMD_F_PARENT) || call->argc < 2)
		return e;
	const struct cmd_entry *sub = cmd_find_kind(e, call->argv[1]);
	if (sub) {
		view->argv = call->argv + 1;
		view->argc = call->argc - 1;
		return sub;
	}
	char kinds[400];
	cmd_subcommand_list(e->name, kinds, sizeof kinds);
	cmd_error(ctx, QCQ_EINVAL, "%s: unknown kind '%s' (one of: %s)", e->name, call->argv[1],
		  kinds);
	ctx->entry = e;
	return NULL;
}

enum qcq_status cmd_run_call(struct cmd_workspace *ws, const struct cmd_call *call, bool record)
{
	struct qcq_error err;
	qcq_error_clear(&err);
	struct cmd_ctx ctx = {.ws = ws, .call = call, .err = &err};
	struct cmd_call view;
	const struct cmd_entry *e = resolve(&ctx, call, &view);
	enum qcq_status st = e ? QCQ_OK : err.code;
	if (e) {
		ctx.entry = e;
		ctx.call = &view;
		st = check_call(&ctx, e, &view);
		if (st == QCQ_OK)
			st = e->exec(&ctx, &view);
		if (st == QCQ_OK && ctx.json_depth == 1)
			cmd_json_end(&ctx); /* a command that forgot to close still gets its line */
	}
	free(ctx.json);
	if (st != QCQ_OK) {
		if (!err.msg[0])
			qcq_error_set(&err, st, "%s failed (%s)", call->argv[0], qcq_status_name(st));
		report(ws, call, ctx.entry, &err);
		return st;
	}
	if (record && !(e->flags & CMD_F_NO_RECORD))
		record_call(ws, call);
	/* A script runs top to bottom: inside a session file (also at the workbench) and in
	 * batch mode, wait for the job the command started before the next command. */
	if ((!ws->interactive || ws->source_depth > 0) && cmd_job_running(ws))
		st = cmd_job_wait(ws);
	return st;
}

static bool interrupted(const struct cmd_workspace *ws)
{
	return ws->interrupt && *ws->interrupt;
}

/* A job runs in the background (interactive, top level): the calls from first on
 * wait for it as text in ws->pending. */
static void keep_pending(struct cmd_workspace *ws, const struct cmd_list *l, size_t first)
{
	char *text = qcq_xcalloc(1, 1);
	size_t len = 0;
	for (size_t i = first; i < l->n; i++) {
		char *one = cmd_call_to_text(&l->calls[i]);
		size_t n = strlen(one);
		text = qcq_xrealloc(text, len + n + 2);
		memcpy(text + len, one, n);
		len += n;
		text[len++] = '\n';
		text[len] = '\0';
		free(one);
	}
	free(ws->pending);
	ws->pending = text;
}

/* ---- pause: what a paused session still has to run, command by command */

struct cmd_paused {
	size_t n, cap;
	struct paused_call {
		char *text, *file;
		int line;
	} *c;
};

static void paused_add(struct cmd_workspace *ws, char *text, const char *file, int line)
{
	if (!ws->paused)
		ws->paused = qcq_xcalloc(1, sizeof *ws->paused);
	struct cmd_paused *p = ws->paused;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->c = qcq_xrealloc(p->c, p->cap * sizeof *p->c);
	}
	p->c[p->n++] = (struct paused_call){text, qcq_xstrdup(file ? file : "<session>"), line};
}

/* A `pause` is unwinding: the calls of this level from first on wait after those of the
 * levels inside it (which were added first). */
static void paused_keep_rest(struct cmd_workspace *ws, const struct cmd_list *l, size_t first)
{
	for (size_t i = first; i < l->n; i++)
		paused_add(ws, cmd_call_to_text(&l->calls[i]), l->calls[i].file, l->calls[i].line);
}

static void paused_free(struct cmd_paused *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->c[i].text);
		free(p->c[i].file);
	}
	free(p->c);
	free(p);
}

size_t cmd_paused_count(const struct cmd_workspace *ws)
{
	return ws->paused ? ws->paused->n : 0;
}

size_t cmd_paused_drop(struct cmd_workspace *ws)
{
	size_t n = cmd_paused_count(ws);
	paused_free(ws->paused);
	ws->paused = NULL;
	ws->pause_requested = false;
	return n;
}

/* At the top level, after a run: a pause has unwound; say what waits. */
static void paused_settle(struct cmd_workspace *ws)
{
	if (ws->source_depth > 0 || !ws->pause_requested)
		return;
	ws->pause_requested = false;
	if (!ws->paused || ws->paused->n == 0) {
		cmd_paused_drop(ws); /* the pause was the last command: nothing waits */
		return;
	}
	char msg[512];
	const struct paused_call *c = &ws->paused->c[0];
	const char *base = strrchr(c->file, '/');
	snprintf(msg, sizeof msg,
		 "-- paused before %s:%d (%zu command%s left): Enter goes on, `stop` ends the "
		 "session --",
		 base ? base + 1 : c->file, c->line, ws->paused->n, ws->paused->n == 1 ? "" : "s");
	if (ws->out.write)
		ws->out.write(ws->out.ctx, CMD_STREAM_INFO, msg);
}

enum qcq_status cmd_resume(struct cmd_workspace *ws)
{
	if (!ws->paused || cmd_job_running(ws))
		return QCQ_ESTATE;
	struct cmd_paused *p = ws->paused;
	ws->paused = NULL;
	enum qcq_status st = QCQ_OK;
	size_t i = 0;
	/* as inside a session file: jobs are waited for, and `pause` pauses again */
	ws->source_depth++;
	for (; i < p->n && st == QCQ_OK && !ws->quit && !ws->pause_requested; i++)
		st = cmd_run_text(ws, p->c[i].text, p->c[i].file, p->c[i].line, false);
	ws->source_depth--;
	if (ws->pause_requested)
		for (; i < p->n; i++) { /* after what the pause inside added; the text moves */
			paused_add(ws, p->c[i].text, p->c[i].file, p->c[i].line);
			p->c[i].text = NULL;
		}
	paused_free(p);
	paused_settle(ws);
	return st;
}

char *cmd_take_pending(struct cmd_workspace *ws)
{
	if (cmd_job_running(ws))
		return NULL;
	char *p = ws->pending;
	ws->pending = NULL;
	return p;
}

enum qcq_status cmd_run_text(struct cmd_workspace *ws, const char *text, const char *file,
			     int first_line, bool record)
{
	struct cmd_list l;
	struct qcq_error err;
	enum qcq_status st = cmd_parse(text, file, first_line, NULL, &l, &err);
	if (st) {
		cmd_report_error(ws, err.msg, NULL);
		return st;
	}
	for (size_t i = 0; i < l.n && st == QCQ_OK && !ws->quit; i++) {
		st = interrupted(ws) ? QCQ_ESTOPPED : cmd_run_call(ws, &l.calls[i], record);
		if (st == QCQ_OK && ws->pause_requested) {
			paused_keep_rest(ws, &l, i + 1);
			break;
		}
		if (st == QCQ_OK && cmd_job_running(ws) && i + 1 < l.n) {
			keep_pending(ws, &l, i + 1);
			break;
		}
	}
	cmd_list_free(&l);
	paused_settle(ws);
	return st;
}

enum qcq_status cmd_run_file(struct cmd_workspace *ws, const char *path, const struct cmd_vars *vars)
{
	struct qcq_error err;
	char *text;
	size_t n;
	if (ws->source_depth >= 16) {
		qcq_error_set(&err, QCQ_ERANGE, "%s: sources nested more than 16 deep (a loop?)", path);
	} else if (qcq_read_file(path, (size_t)16 << 20, &text, &n, &err) == QCQ_OK) {
		if (memchr(text, '\0', n)) {
			free(text);
			qcq_error_set(&err, QCQ_EFORMAT, "%s: not a text file (contains NUL bytes)",
				      path);
		} else {
			struct cmd_list l;
			enum qcq_status st = cmd_parse(text, path, 1, vars, &l, &err);
			free(text);
			if (st == QCQ_OK) {
				ws->source_depth++;
				for (size_t i = 0; i < l.n && st == QCQ_OK && !ws->quit; i++) {
					st = interrupted(ws) ? QCQ_ESTOPPED
							     : cmd_run_call(ws, &l.calls[i], false);
					if (st == QCQ_OK && ws->pause_requested) {
						paused_keep_rest(ws, &l, i + 1);
						break;
					}
				}
				ws->source_depth--;
				/* keep the file's path alive: calls point at it only while running */
				cmd_list_free(&l);
				return st;
			}
		}
	}
	cmd_report_error(ws, err.msg, NULL);
	return err.code;
}
