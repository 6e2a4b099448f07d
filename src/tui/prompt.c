/*
 * tui/prompt.c: GNU readline inside ncurses, through readline's callback interface
 * (STYLE 18, after the readline-and-ncurses example).
 *
 * Readline never touches the terminal: it does not prepare it (rl_prep_term_function
 * is NULL), catches no signals, and its input and output are hooks — the main loop
 * hands it one key at a time (rl_getc_function), and its redisplay only marks the
 * prompt window dirty; the frame draws rl_display_prompt and rl_line_buffer there.
 * Completion knows the command table: command names, the kinds of load/save/show/
 * export/circuit, option keys (KEY=), setting names, class names and file paths.
 * History lives in $XDG_STATE_HOME/qcqlab/history (~/.local/state/qcqlab/history).
 *
 * Readline's hooks take no context argument, so this file keeps the one running TUI
 * in a static pointer; it is the only file that does.
 */
#include "tui-internal.h"

#include "qcq/data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#define PROMPT "qcq> "
#define HISTORY_MAX 1000

static struct tui *rl_tui; /* the TUI readline's hooks report to */
static int rl_key = EOF;   /* the key being handed to readline */
static bool rl_key_avail;

/* candidates of the completion in progress (readline's generator protocol is
 * stateful: state 0 restarts it) */
static struct {
	char **v;
	size_t n, cap, next;
} cand;

static int hook_getc(FILE *f)
{
	(void)f;
	int c = rl_key_avail ? rl_key : EOF;
	rl_key_avail = false;
	return c;
}

static int hook_input_available(void)
{
	return rl_key_avail;
}

static void hook_redisplay(void)
{
	if (rl_tui)
		rl_tui->prompt_dirty = true;
}

static void hook_line(char *line)
{
	struct tui *t = rl_tui;
	if (!line) { /* Ctrl-D on an empty line */
		bool busy = cmd_job_running(t->ws) || cmd_paused_count(t->ws);
		if (!busy || t->quit_armed) {
			t->quit = true;
			if (cmd_job_running(t->ws)) { /* also ends a session file waiting for it */
				cmd_job_stop(t->ws);
				t->ws->quit = true;
			}
			return;
		}
		/* leaving would lose a running training or a paused session: ask once */
		t->quit_armed = true;
		char m[200];
		snprintf(m, sizeof m, "%s: Ctrl-D again leaves (and stops it); `stop` ends "
			 "it without leaving",
			 cmd_job_running(t->ws) ? cmd_job_name(t->ws) : "a paused session");
		tui_log_add(t, TUI_C_ERROR, m);
		t->log.scroll = 0;
		t->prompt_dirty = t->status_dirty = true;
		return;
	}
	t->quit_armed = false;
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p) {
		HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1)
						      : NULL;
		if (!last || strcmp(last->line, line) != 0)
			add_history(line);
		if (t->nqueue == t->qcap) {
			t->qcap = t->qcap ? 2 * t->qcap : 8;
			t->queue = qcq_xrealloc(t->queue, t->qcap * sizeof *t->queue);
		}
		t->queue[t->nqueue++] = qcq_xstrdup(line);
	} else if (cmd_paused_count(t->ws)) {
		t->resume = true; /* Enter on an empty prompt: the paused session goes on */
	}
	free(line);
	t->prompt_dirty = true;
}

/* ---------------------------------------------------------------- completion */

static void cand_clear(void)
{
	for (size_t i = 0; i < cand.n; i++)
		free(cand.v[i]);
	cand.n = cand.next = 0;
}

static void cand_add(const char *s)
{
	for (size_t i = 0; i < cand.n; i++)
		if (strcmp(cand.v[i], s) == 0)
			return;
	if (cand.n == cand.cap) {
		cand.cap = cand.cap ? 2 * cand.cap : 64;
		cand.v = qcq_xrealloc(cand.v, cand.cap * sizeof *cand.v);
	}
	cand.v[cand.n++] = qcq_xstrdup(s);
}

/* Every candidate was added in full; readline asks for those starting with text. */
static char *gen_list(const char *text, int state)
{
	if (state == 0)
		cand.next = 0;
	size_t len = strlen(text);
	while (cand.next < cand.n) {
		const char *c = cand.v[cand.next++];
		if (strncmp(c, text, len) == 0)
			return qcq_xstrdup(c);
	}
	return NULL;
}

/* Command names as `help` lists them: sub-commands (load-synth) are kinds, not names. */
static void add_commands(void)
{
	const struct cmd_entry *e;
	for (size_t i = 0; (e = cmd_entry_at(i)); i++)
		if (!cmd_kind_parent(e))
			cand_add(e->name);
}

static void add_kinds(const struct cmd_entry *parent)
{
	const struct cmd_entry *e;
	size_t len = strlen(parent->name);
	for (size_t i = 0; (e = cmd_entry_at(i)); i++)
		if (cmd_kind_parent(e) == parent)
			cand_add(e->name + len + 1);
}

static void add_options(const struct cmd_entry *e)
{
	char buf[128];
	for (const char *const *o = e ? e->options : NULL; o && *o; o++) {
		snprintf(buf, sizeof buf, "%s=", *o);
		cand_add(buf);
	}
}

static void add_files(const char *text)
{
	char *m;
	for (int i = 0; (m = rl_filename_completion_function(text, i)); i++) {
		struct stat st;
		char *full = m;
		char buf[4096];
		/* directories get their '/', so the next Tab goes inside */
		if (stat(m, &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(buf, sizeof buf, "%s/", m);
			full = buf;
		}
		cand_add(full);
		free(m);
	}
}

/* Alternatives that the usage line spells out for word nw ("model mlp|cnn|qcq-cnn"). */
static bool add_usage_words(const struct cmd_entry *e, int nw)
{
	size_t before = cand.n;
	if (!e || !e->usage)
		return false;
	char u[512];
	snprintf(u, sizeof u, "%s", e->usage);
	char *save = NULL, *tok = strtok_r(u, " ", &save);
	for (int i = 0; tok && i < nw; i++)
		tok = strtok_r(NULL, " ", &save);
	/* alternatives (a|b) or one optional literal word ([resume]) */
	bool literal = tok && tok[0] == '[' && tok[1] >= 'a' && tok[1] <= 'z' && !strchr(tok, '=');
	if (!tok || (!strchr(tok, '|') && !literal) || strchr(tok, '='))
		return false;
	char *p2 = NULL;
	for (char *alt = strtok_r(tok, "|[]", &p2); alt; alt = strtok_r(NULL, "|[]", &p2)) {
		bool word = true;
		for (const char *c = alt; *c; c++)
			word = word && ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-');
		if (word && *alt)
			cand_add(alt);
	}
	return cand.n > before;
}

/* Whether a command's usage names a path (FILE, DIR, PATH...): only then do file
 * names complete, so that `train ` Tab offers train's options, not the directory. */
static bool takes_path(const struct cmd_entry *e)
{
	if (!e || !e->usage)
		return true; /* unknown: files may be what is meant */
	static const char *const words[] = {"FILE", "DIR", "PATH", "IMAGES", ".npy", ".qcq",
					    ".qasm", NULL};
	for (const char *const *w = words; *w; w++)
		if (strstr(e->usage, *w))
			return true;
	return false;
}

/* `set noise KIND OPTION=...`: the kinds, then the options of the kind. */
static void add_noise_words(int nw, const char *kind)
{
	const char *opt[2], *name;
	for (size_t i = 0; (name = cmd_noise_kind(i, opt)) != NULL; i++) {
		if (nw == 2)
			cand_add(name);
		else if (strcmp(kind, name) == 0)
			for (int j = 0; j < 2 && opt[j]; j++) {
				char word[32];
				snprintf(word, sizeof word, "%s=", opt[j]);
				cand_add(word);
			}
	}
}

/* Class names, for a word that may list several joined with '+' ("shirt+coat"). */
static void add_classes(struct tui *t, const char *text)
{
	const struct data_set *ds = t->ws->data;
	if (!ds)
		return;
	const char *plus = strrchr(text, '+');
	size_t keep = plus ? (size_t)(plus - text) + 1 : 0;
	char buf[DATA_NAME_MAX + 1024];
	for (int i = 0; i < ds->nclasses; i++) {
		snprintf(buf, sizeof buf, "%.*s%s", (int)keep, text, ds->class_names[i]);
		if (!strchr(ds->class_names[i], ' '))
			cand_add(buf);
	}
}

/* The words of the current command before the one being completed. */
static int words_before(int start, char words[4][64])
{
	int n = 0, i = 0;
	/* the current command starts after the last ';' before start */
	for (int k = 0; k < start; k++)
		if (rl_line_buffer[k] == ';')
			i = k + 1;
	while (i < start) {
		while (i < start && (rl_line_buffer[i] == ' ' || rl_line_buffer[i] == '\t'))
			i++;
		int b = i;
		while (i < start && rl_line_buffer[i] != ' ' && rl_line_buffer[i] != '\t')
			i++;
		if (i > b) {
			if (n < 4)
				snprintf(words[n], 64, "%.*s", i - b, rl_line_buffer + b);
			n++;
		}
	}
	return n;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	struct tui *t = rl_tui;
	char w[4][64];
	int nw = words_before(start, w);
	cand_clear();
	rl_attempted_completion_over = 1;
	if (nw == 0) {
		add_commands();
	} else {
		const struct cmd_entry *e = cmd_find(w[0], NULL);
		if (e && strcmp(e->name, "help") == 0 && nw == 1) {
			add_commands();
		} else if (e && (e->flags & CMD_F_PARENT) && nw == 1) {
			add_kinds(e);
		} else if (e && strcmp(e->name, "set") == 0 && nw == 1) {
			/* the setting names of `set` (cmd-set.c) */
			static const char *const keys[] = {"threads", "jobs", "shots", "noise", "depth",
							   "observable", "seed", "color", NULL};
			for (const char *const *k = keys; *k; k++)
				cand_add(*k);
		} else if (e && strcmp(e->name, "set") == 0 && strcmp(w[1], "noise") == 0) {
			add_noise_words(nw, w[2]);
		} else {
			const struct cmd_entry *sub = e;
			if (e && (e->flags & CMD_F_PARENT) && nw >= 2)
				sub = cmd_find_kind(e, w[1]);
			add_options(sub);
			bool fixed = add_usage_words(sub, nw);
			if (sub && strstr(sub->name, "class"))
				add_classes(t, text);
			else if (!fixed && !strchr(text, '=') && takes_path(sub))
				add_files(text);
		}
	}
	char **m = rl_completion_matches(text, gen_list);
	/* "epochs=" and "dir/" want the value right after them, without a space */
	if (m && !m[1]) {
		size_t l = strlen(m[0]);
		if (l && (m[0][l - 1] == '=' || m[0][l - 1] == '/'))
			rl_completion_suppress_append = 1;
	}
	return m;
}

/* Several matches: list them in the log instead of letting readline print; a second
 * Tab on the same line lists nothing new, so it does not print the list again. */
static void show_matches(char **matches, int num, int max_length)
{
	(void)max_length;
	static char last[1024], last_line[1024];
	char line[1024];
	size_t len = 0;
	line[0] = '\0';
	for (int i = 1; i <= num && len + 64 < sizeof line; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s  ", matches[i]);
	if (num > 0 && len + 64 >= sizeof line)
		snprintf(line + len, sizeof line - len, "... (%d in all)", num);
	const char *typed = rl_line_buffer ? rl_line_buffer : "";
	if (strcmp(line, last) == 0 && strcmp(typed, last_line) == 0)
		return;
	snprintf(last, sizeof last, "%s", line);
	snprintf(last_line, sizeof last_line, "%s", typed);
	tui_log_add(rl_tui, TUI_C_LOG_INFO, line);
	rl_tui->prompt_dirty = true;
}

/* ---------------------------------------------------------------- history */

static void history_path(struct tui *t)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char dir[4096];
	t->hist_path[0] = '\0';
	if (xdg && xdg[0] == '/')
		snprintf(dir, sizeof dir, "%s/qcqlab", xdg);
	else if (home && home[0])
		snprintf(dir, sizeof dir, "%s/.local/state/qcqlab", home);
	else
		return;
	struct qcq_error e;
	if (qcq_mkdir_p_mode(dir, 0700, &e) != QCQ_OK)
		return; /* no history file: the prompt works without one */
	snprintf(t->hist_path, sizeof t->hist_path, "%s/history", dir);
}

static void history_save(struct tui *t)
{
	if (!t->hist_path[0])
		return;
	/* written beside and renamed over, so a crash never leaves half a history */
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", t->hist_path, (long)getpid());
	if (write_history(tmp) != 0) {
		unlink(tmp);
		return;
	}
	if (rename(tmp, t->hist_path) != 0)
		unlink(tmp);
}

/* ---------------------------------------------------------------- interface */

static FILE *null_out;

void tui_prompt_init(struct tui *t)
{
	rl_tui = t;
	null_out = fopen("/dev/null", "w");
	rl_instream = stdin;
	rl_outstream = null_out ? null_out : stderr;
	rl_readline_name = "qcqlab";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = hook_getc;
	rl_input_available_hook = hook_input_available;
	rl_redisplay_function = hook_redisplay;
	rl_attempted_completion_function = complete;
	rl_completion_display_matches_hook = show_matches;
	rl_completer_word_break_characters = " \t\n;";
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("editing-mode", "emacs");
	rl_variable_bind("show-all-if-ambiguous", "on");
	using_history();
	stifle_history(HISTORY_MAX);
	history_path(t);
	if (t->hist_path[0])
		read_history(t->hist_path);
	rl_callback_handler_install(PROMPT, hook_line);
}

void tui_prompt_end(struct tui *t)
{
	rl_callback_handler_remove();
	history_save(t);
	clear_history();
	cand_clear();
	free(cand.v);
	cand.v = NULL;
	cand.cap = 0;
	rl_outstream = stdout;
	if (null_out)
		fclose(null_out);
	null_out = NULL;
	rl_tui = NULL;
}

static void feed(int byte)
{
	rl_key = byte;
	rl_key_avail = true;
	rl_callback_read_char();
}

static void feed_seq(const char *s)
{
	for (; *s; s++)
		feed((unsigned char)*s);
}

void tui_prompt_key(struct tui *t, int key)
{
	switch (key) {
	case KEY_LEFT: feed_seq("\033[D"); break;
	case KEY_RIGHT: feed_seq("\033[C"); break;
	case KEY_UP: feed_seq("\033[A"); break;
	case KEY_DOWN: feed_seq("\033[B"); break;
	case KEY_HOME: feed_seq("\033[H"); break;
	case KEY_END: feed_seq("\033[F"); break;
	case KEY_DC: feed_seq("\033[3~"); break;
	case KEY_BACKSPACE: feed(127); break;
	case KEY_ENTER: feed('\r'); break;
	default:
		if (key >= 0 && key < 256)
			feed(key);
		break;
	}
	t->prompt_dirty = true;
}

void tui_prompt_clear_line(struct tui *t)
{
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_point = rl_end = 0;
	rl_mark = 0;
	rl_callback_handler_remove();
	rl_callback_handler_install(PROMPT, hook_line);
	t->prompt_dirty = true;
}

bool tui_prompt_empty(void)
{
	return rl_end == 0;
}

void tui_prompt_draw(struct tui *t)
{
	WINDOW *w = t->prompt;
	if (!w)
		return;
	int width = getmaxx(w);
	werase(w);
	const char *pr = rl_display_prompt ? rl_display_prompt : PROMPT;
	const char *line = rl_line_buffer ? rl_line_buffer : "";
	int pw = tui_text_width(pr);
	char head[4096];
	int point = rl_point < 0 ? 0 : rl_point;
	snprintf(head, sizeof head, "%.*s", point, line);
	int cur = pw + tui_text_width(head);
	/* scroll horizontally so the cursor stays in view */
	int off = cur >= width - 1 ? cur - (width - 1) + width / 4 : 0;
	bool focus = t->focus < 0 && !t->help;
	attr_t pa = tui_attr(t, focus ? TUI_C_PROMPT : TUI_C_DIM);
	tui_put(w, 0, -off, width + off, pr, pa);
	tui_put(w, 0, pw - off, width + off - pw, line, tui_attr(t, TUI_C_NORMAL));
	if (!focus && rl_end == 0)
		tui_put(w, 0, pw, width - pw, "(Esc or typing returns here)", tui_attr(t, TUI_C_DIM));
	wmove(w, 0, cur - off < width ? cur - off : width - 1);
	t->prompt_dirty = false;
}
