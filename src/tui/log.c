/*
 * tui/log.c: the log pane — the output of commands, job notes and errors, kept in a
 * ring of the last TUI_LOG_MAX lines, wrapped at blanks to the pane's width when drawn and
 * scrollable (PgUp/PgDn, arrows; 0 follows the end). It is also the struct cmd_out
 * the TUI gives the workspace: every command reports here.
 */
#include "tui-internal.h"

#include <stdlib.h>
#include <string.h>

void tui_log_init(struct tui_log *l)
{
	l->lines = qcq_xcalloc(TUI_LOG_MAX, sizeof *l->lines);
	l->first = l->n = 0;
	l->scroll = 0;
}

void tui_log_free(struct tui_log *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->lines[(l->first + i) % TUI_LOG_MAX].text);
	free(l->lines);
	l->lines = NULL;
	l->n = 0;
}

static void add_one(struct tui_log *l, enum tui_color c, const char *text, size_t len)
{
	struct tui_log_line *slot;
	if (l->n == TUI_LOG_MAX) {
		slot = &l->lines[l->first];
		free(slot->text);
		l->first = (l->first + 1) % TUI_LOG_MAX;
	} else {
		slot = &l->lines[(l->first + l->n) % TUI_LOG_MAX];
		l->n++;
	}
	slot->color = c;
	slot->text = qcq_xmalloc(len + 1);
	memcpy(slot->text, text, len);
	slot->text[len] = '\0';
}

/* text may hold several lines; each becomes an entry. */
void tui_log_add(struct tui *t, enum tui_color c, const char *text)
{
	const char *p = text;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		add_one(&t->log, c, p, len);
		if (!nl)
			break;
		p = nl + 1;
	}
	tui_mark(t, TUI_P_LOG);
}

void tui_log_write(void *ctx, enum cmd_stream s, const char *text)
{
	struct tui *t = ctx;
	static const enum tui_color color[] = {
		[CMD_STREAM_OUT] = TUI_C_NORMAL,
		[CMD_STREAM_INFO] = TUI_C_LOG_INFO,
		[CMD_STREAM_ERR] = TUI_C_ERROR,
		[CMD_STREAM_JSON] = TUI_C_DIM,
	};
	tui_log_add(t, color[s], text);
}

/* Bytes of s that go on one row of width columns: words are kept whole (the row ends
 * after the last blank that fits) unless a single word is longer than half a row. */
static size_t row_bytes(const char *s, int width)
{
	size_t adv = tui_text_advance(s, width);
	if (adv == 0)
		return *s ? 1 : 0;
	if (s[adv] == '\0' || s[adv] == ' ')
		return s[adv] == ' ' ? adv + 1 : adv;
	for (size_t i = adv; i-- > 0;)
		if (s[i] == ' ')
			return (int)i >= width / 2 ? i + 1 : adv;
	return adv;
}

/* Rows a line takes when wrapped at width columns (at least 1). */
static int wrapped_rows(const char *s, int width)
{
	int rows = 1;
	for (;;) {
		size_t adv = row_bytes(s, width);
		if (s[adv] == '\0')
			break;
		s += adv;
		rows++;
	}
	return rows;
}

static void log_draw(struct tui *t, struct tui_pane *p)
{
	struct tui_log *l = &t->log;
	int rows = p->h - 1, width = p->cw;
	if (rows < 1 || width < 4)
		return;
	/* Walk back from the newest line until scroll + rows rows are covered. */
	int skip = l->scroll, y = rows;
	long total = 0;
	for (size_t k = 0; k < l->n; k++)
		total += wrapped_rows(l->lines[(l->first + k) % TUI_LOG_MAX].text, width);
	if (skip > total - rows)
		skip = l->scroll = total > rows ? (int)(total - rows) : 0;
	for (size_t k = l->n; k-- > 0 && y > 0;) {
		const struct tui_log_line *ln = &l->lines[(l->first + k) % TUI_LOG_MAX];
		int nr = wrapped_rows(ln->text, width);
		/* rows of this line, first to last, that land in the window */
		const char *s = ln->text;
		int top = y - nr + skip; /* window row of its first piece */
		for (int i = 0; i < nr; i++) {
			size_t adv = row_bytes(s, width);
			int row = top + i;
			if (row >= 0 && row < y) {
				char piece[2048];
				size_t n = adv < sizeof piece - 1 ? adv : sizeof piece - 1;
				memcpy(piece, s, n);
				piece[n] = '\0';
				tui_put(p->win, 1 + row, 0, width, piece, tui_attr(t, ln->color));
			}
			s += adv;
		}
		if (skip >= nr) {
			skip -= nr;
		} else {
			y -= nr - skip;
			skip = 0;
		}
	}
	if (l->scroll > 0)
		snprintf(p->subtitle, sizeof p->subtitle, "scrolled up %d rows; PgDn or End follows",
			 l->scroll);
	else
		snprintf(p->subtitle, sizeof p->subtitle, "%zu lines", l->n);
}

static bool log_key(struct tui *t, struct tui_pane *p, int key)
{
	int page = p->h > 3 ? p->h - 2 : 1;
	switch (key) {
	case KEY_UP: t->log.scroll += 1; break;
	case KEY_DOWN: t->log.scroll -= 1; break;
	case KEY_PPAGE: t->log.scroll += page; break;
	case KEY_NPAGE: t->log.scroll -= page; break;
	case KEY_HOME: t->log.scroll = 1 << 28; break;
	case KEY_END: t->log.scroll = 0; break;
	case '+': tui_grow_log(t, 2); return true;
	case '-': tui_grow_log(t, -2); return true;
	default: return false;
	}
	if (t->log.scroll < 0)
		t->log.scroll = 0;
	p->dirty = true;
	return true;
}

const struct tui_pane_ops tui_log_ops = {
	.title = "Log",
	.draw = log_draw,
	.on_key = log_key,
	.resize = NULL,
};
