/*
 * cmd/parse.c: the one tokenizer and parser of the command language, shared by the
 * prompt, session files and -c (STYLE 15). It only turns text into a cmd_list; it
 * knows nothing about which commands exist.
 *
 * Grammar (see cmd.h): commands end at a newline or an unquoted ';'; '#' outside
 * quotes starts a comment; '...' is literal; "..." allows \" \\ \$ escapes and
 * ${NAME} or ${NAME:-DEFAULT}; unquoted text allows ${NAME} and backslash-escapes one character; an
 * unquoted NAME= prefix makes the word an option.
 */
#include "qcq/cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * What expansions may produce: nested `source` lines can pass ${x}${x}... down as the next
 * file's x, so values would multiply with each level until memory runs out. A word may
 * not grow past CMD_WORD_MAX through expansions, nor one parse produce more than
 * CMD_EXPAND_MAX bytes of expanded values (at the 16 levels run.c allows, at most
 * 16 x 16 MiB are held at once).
 */
#define CMD_WORD_MAX ((size_t)1 << 20)
#define CMD_EXPAND_MAX ((size_t)16 << 20)

struct buf {
	char *s;
	size_t n, cap;
};

static void buf_put(struct buf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->s = qcq_xrealloc(b->s, b->cap);
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
	while (*s)
		buf_put(b, *s++);
}

struct parser {
	const char *p;
	const char *file;
	int line, col;
	const struct cmd_vars *vars;
	size_t expanded; /* bytes produced by expansions so far */
	struct qcq_error *err;
	/* the command being built */
	struct cmd_call cur;
	int cur_line;
	struct cmd_list *out;
};

static char advance(struct parser *ps)
{
	char c = *ps->p++;
	if (c == '\n') {
		ps->line++;
		ps->col = 1;
	} else {
		ps->col++;
	}
	return c;
}

static enum qcq_status perr(struct parser *ps, const char *fmt, const char *arg)
{
	char m[256];
	snprintf(m, sizeof m, fmt, arg);
	return qcq_error_set(ps->err, QCQ_EFORMAT, "%s:%d:%d: %s", ps->file, ps->line, ps->col, m);
}

static enum qcq_status expand_var(struct parser *ps, struct buf *w)
{
	/* at "${"; errors point at the '$' */
	int line = ps->line, col = ps->col;
	advance(ps);
	advance(ps);
	char name[128];
	size_t n = 0;
	while (*ps->p && *ps->p != '}' && *ps->p != '\n') {
		if (n + 1 >= sizeof name)
			return perr(ps, "variable name too long%s", "");
		name[n++] = advance(ps);
	}
	name[n] = '\0';
	if (*ps->p != '}') {
		ps->line = line;
		ps->col = col;
		return perr(ps, "unterminated ${%s", name);
	}
	advance(ps);
	/* ${NAME:-DEFAULT}: the default (literal text) when NAME is not given */
	char *dflt = strstr(name, ":-");
	if (dflt) {
		*dflt = '\0';
		dflt += 2;
	}
	const char *value = dflt;
	for (int i = 0; ps->vars && i < ps->vars->n; i++) {
		if (strcmp(ps->vars->names[i], name) == 0) {
			value = ps->vars->values[i];
			break;
		}
	}
	if (!value) {
		ps->line = line;
		ps->col = col;
		return perr(ps, "unknown variable ${%s} (pass it as NAME=VALUE to source)", name);
	}
	size_t len = strlen(value);
	if (w->n + len > CMD_WORD_MAX || len > CMD_EXPAND_MAX - ps->expanded)
		return qcq_error_set(ps->err, QCQ_ERANGE, "%s:%d:%d: ${%s} (%zu bytes) makes %s "
				     "longer than %zu bytes (values growing through nested "
				     "source?)", ps->file, line, col, name, len,
				     w->n + len > CMD_WORD_MAX ? "a word" : "the expanded file",
				     w->n + len > CMD_WORD_MAX ? CMD_WORD_MAX : CMD_EXPAND_MAX);
	ps->expanded += len;
	buf_puts(w, value);
	return QCQ_OK;
}

static bool is_option_word(const char *s, size_t quoted_from)
{
	/* NAME=... with NAME unquoted */
	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; s[i]; i++) {
		if (s[i] == '=')
			return i < quoted_from || quoted_from == (size_t)-1 ? true : false;
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
			return false;
	}
	return false;
}

/* Slots allocated for n used ones: powers of two from 4, so a line of a million words
 * costs a logarithmic number of reallocs, not one per word. */
static size_t slots_for(size_t n)
{
	size_t c = 4;
	while (c < n)
		c *= 2;
	return c;
}

static void add_word(struct parser *ps, struct buf *w, size_t quoted_from)
{
	struct cmd_call *c = &ps->cur;
	if (c->argc > 0 && is_option_word(w->s, quoted_from)) {
		char *eq = strchr(w->s, '=');
		size_t n = (size_t)c->nopt;
		if (n == 0 || slots_for(n) < n + 1)
			c->opts = qcq_xrealloc(c->opts, sizeof *c->opts * slots_for(n + 1));
		c->opts[c->nopt].key = qcq_xmalloc((size_t)(eq - w->s) + 1);
		memcpy(c->opts[c->nopt].key, w->s, (size_t)(eq - w->s));
		c->opts[c->nopt].key[eq - w->s] = '\0';
		c->opts[c->nopt].value = qcq_xstrdup(eq + 1);
		c->nopt++;
		free(w->s);
	} else {
		if (c->argc == 0)
			ps->cur_line = ps->line;
		size_t n = (size_t)c->argc + 1; /* words and the NULL after them */
		if (c->argc == 0 || slots_for(n) < n + 1)
			c->argv = qcq_xrealloc(c->argv, sizeof *c->argv * slots_for(n + 1));
		c->argv[c->argc++] = w->s;
		c->argv[c->argc] = NULL;
	}
	memset(w, 0, sizeof *w);
}

static void end_command(struct parser *ps)
{
	struct cmd_call *c = &ps->cur;
	if (c->argc == 0 && c->nopt == 0)
		return;
	if (c->argc == 0) {
		/* only options: keep as a call whose name is the first option text; the runner
		 * reports it as an unknown command */
		c->argv = qcq_xcalloc(2, sizeof *c->argv);
		c->argv[0] = qcq_xstrdup(c->opts[0].key);
		c->argc = 1;
	}
	c->file = ps->file;
	c->line = ps->cur_line;
	struct cmd_list *l = ps->out;
	l->calls = qcq_xrealloc(l->calls, sizeof *l->calls * (l->n + 1));
	l->calls[l->n++] = *c;
	memset(c, 0, sizeof *c);
}

static void call_free(struct cmd_call *c)
{
	for (int i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	for (int i = 0; i < c->nopt; i++) {
		free(c->opts[i].key);
		free(c->opts[i].value);
	}
	free(c->opts);
	memset(c, 0, sizeof *c);
}

void cmd_list_free(struct cmd_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		call_free(&l->calls[i]);
	free(l->calls);
	l->calls = NULL;
	l->n = 0;
}

/* One word starting at a non-blank character that is not ; # or newline. */
static enum qcq_status read_word(struct parser *ps, struct buf *w, size_t *quoted_from)
{
	*quoted_from = (size_t)-1;
	buf_puts(w, ""); /* an empty quoted word '' is still a word */
	if (!w->s) {
		w->s = qcq_xcalloc(1, 1);
		w->cap = 1;
	}
	while (*ps->p && !strchr(" \t\r\n;#", *ps->p)) {
		char c = *ps->p;
		if (c == '\'' || c == '"') {
			if (*quoted_from == (size_t)-1)
				*quoted_from = w->n;
			int qline = ps->line, qcol = ps->col;
			advance(ps);
			while (*ps->p && *ps->p != c) {
				if (c == '"' && *ps->p == '\\' && ps->p[1] && strchr("\"\\$", ps->p[1])) {
					advance(ps);
					buf_put(w, advance(ps));
				} else if (c == '"' && ps->p[0] == '$' && ps->p[1] == '{') {
					enum qcq_status st = expand_var(ps, w);
					if (st)
						return st;
				} else {
					buf_put(w, advance(ps));
				}
			}
			if (!*ps->p)
				return qcq_error_set(ps->err, QCQ_EFORMAT,
						     "%s:%d:%d: unterminated %s quote", ps->file, qline,
						     qcol, c == '"' ? "double" : "single");
			advance(ps);
		} else if (c == '\\' && ps->p[1] && ps->p[1] != '\n') {
			advance(ps);
			buf_put(w, advance(ps));
		} else if (c == '$' && ps->p[1] == '{') {
			enum qcq_status st = expand_var(ps, w);
			if (st)
				return st;
		} else {
			buf_put(w, advance(ps));
		}
	}
	return QCQ_OK;
}

enum qcq_status cmd_parse(const char *text, const char *file, int first_line,
			  const struct cmd_vars *vars, struct cmd_list *out, struct qcq_error *err)
{
	struct parser ps = {.p = text, .file = file, .line = first_line, .col = 1, .vars = vars,
			    .err = err, .out = out};
	memset(out, 0, sizeof *out);
	while (*ps.p) {
		char c = *ps.p;
		if (c == ' ' || c == '\t' || c == '\r') {
			advance(&ps);
		} else if (c == '\n' || c == ';') {
			end_command(&ps);
			advance(&ps);
		} else if (c == '#') {
			while (*ps.p && *ps.p != '\n')
				advance(&ps);
		} else {
			struct buf w = {0};
			size_t qf;
			enum qcq_status st = read_word(&ps, &w, &qf);
			if (st) {
				free(w.s);
				call_free(&ps.cur);
				cmd_list_free(out);
				return st;
			}
			add_word(&ps, &w, qf);
		}
	}
	end_command(&ps);
	return QCQ_OK;
}
