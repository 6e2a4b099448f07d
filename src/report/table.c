/*
 * report/table.c: markdown tables with padded, aligned columns, as text or as a file
 * written atomically. Cells are copied; '|' is escaped and newlines become spaces so
 * that every row stays one line.
 */
#include "qcq/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 64

struct rep_table {
	int ncols;
	char **cells; /* (rows + 1) x ncols, row 0 is the header */
	size_t rows;  /* data rows */
	enum rep_align align[MAX_COLS];
};

/* The cell as it appears in markdown. */
static char *md_cell(const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += *p == '|' ? 2 : 1;
	char *d = qcq_xmalloc(n + 1), *q = d;
	for (const char *p = s; *p; p++) {
		if (*p == '|')
			*q++ = '\\';
		*q++ = (*p == '\n' || *p == '\r') ? ' ' : *p;
	}
	*q = '\0';
	return d;
}

static void add_row(struct rep_table *t, const char *const *cells, size_t row)
{
	t->cells = qcq_xrealloc(t->cells, (row + 1) * (size_t)t->ncols * sizeof *t->cells);
	for (int i = 0; i < t->ncols; i++)
		t->cells[row * (size_t)t->ncols + (size_t)i] =
			md_cell(cells && cells[i] ? cells[i] : "");
}

struct rep_table *rep_table_create(int ncols, const char *const *header)
{
	if (ncols < 1)
		ncols = 1;
	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	struct rep_table *t = qcq_xcalloc(1, sizeof *t);
	t->ncols = ncols;
	add_row(t, header, 0);
	return t;
}

void rep_table_free(struct rep_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < (t->rows + 1) * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void rep_table_set_align(struct rep_table *t, int col, enum rep_align a)
{
	if (col >= 0 && col < t->ncols)
		t->align[col] = a;
}

void rep_table_add_row(struct rep_table *t, const char *const *cells)
{
	add_row(t, cells, ++t->rows);
}

void rep_table_add_rowf(struct rep_table *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = NULL;
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	const char *cells[MAX_COLS] = {0};
	char *p = line;
	for (int i = 0; p && i < t->ncols; i++) {
		cells[i] = p;
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		p = tab ? tab + 1 : NULL;
	}
	rep_table_add_row(t, cells);
	free(line);
}

size_t rep_table_rows(const struct rep_table *t)
{
	return t->rows;
}

/* Width on screen: code points, not bytes ("±" is two bytes of UTF-8, one column). */
static int text_width(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void put_cell(FILE *fp, const char *s, int width, enum rep_align a)
{
	int n = text_width(s), padl = 0, padr = width - n;
	if (a == REP_ALIGN_RIGHT)
		padl = width - n, padr = 0;
	else if (a == REP_ALIGN_CENTER)
		padl = (width - n) / 2, padr = width - n - padl;
	fprintf(fp, " %*s%s%*s |", padl, "", s, padr, "");
}

static void write_md(const struct rep_table *t, FILE *fp)
{
	int width[MAX_COLS];
	for (int c = 0; c < t->ncols; c++) {
		width[c] = 3;
		for (size_t r = 0; r <= t->rows; r++) {
			int n = text_width(t->cells[r * (size_t)t->ncols + (size_t)c]);
			width[c] = n > width[c] ? n : width[c];
		}
	}
	for (size_t r = 0; r <= t->rows; r++) {
		fputc('|', fp);
		for (int c = 0; c < t->ncols; c++)
			put_cell(fp, t->cells[r * (size_t)t->ncols + (size_t)c], width[c],
				 r ? t->align[c] : REP_ALIGN_LEFT);
		fputc('\n', fp);
		if (r)
			continue;
		fputc('|', fp);
		for (int c = 0; c < t->ncols; c++) {
			enum rep_align a = t->align[c];
			fputc(a == REP_ALIGN_CENTER ? ':' : a == REP_ALIGN_LEFT ? ':' : '-', fp);
			for (int k = 0; k < width[c]; k++)
				fputc('-', fp);
			fputs(a == REP_ALIGN_LEFT ? "-|" : ":|", fp);
		}
		fputc('\n', fp);
	}
}

char *rep_table_format(const struct rep_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	if (!fp)
		return qcq_xstrdup("");
	write_md(t, fp);
	fclose(fp);
	return buf ? buf : qcq_xstrdup("");
}

enum qcq_status rep_table_write_md(const struct rep_table *t, const char *path,
				   const char *heading, const char *note, struct qcq_error *err)
{
	struct qcq_atomic_file af;
	enum qcq_status st = qcq_atomic_open(&af, path, err);
	if (st)
		return st;
	if (heading)
		fprintf(af.fp, "# %s\n\n", heading);
	if (note)
		fprintf(af.fp, "%s\n\n", note);
	write_md(t, af.fp);
	return qcq_atomic_commit(&af, err);
}
