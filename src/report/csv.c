/*
 * report/csv.c: CSV files written atomically, field by field (RFC 4180 quoting).
 *
 * The writer tracks the field count of every row against the header and refuses to
 * commit a ragged file, so a caller's bug does not silently produce a broken table.
 */
#include "qcq/report.h"

#include <math.h>
#include <string.h>

void rep_csv_write_field(FILE *fp, const char *s)
{
	size_t n = strlen(s);
	bool quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	quote = quote || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

enum qcq_status rep_csv_open(struct rep_csv *csv, const char *path, const char *const *header,
			     int ncols, struct qcq_error *err)
{
	if (ncols < 1 || ncols > 4096)
		return qcq_error_set(err, QCQ_EINVAL, "%s: %d csv columns (1..4096 allowed)", path,
				     ncols);
	memset(csv, 0, sizeof *csv);
	enum qcq_status st = qcq_atomic_open(&csv->af, path, err);
	if (st)
		return st;
	csv->ncols = ncols;
	csv->bad_row = -1;
	for (int i = 0; i < ncols; i++) {
		if (i)
			fputc(',', csv->af.fp);
		rep_csv_write_field(csv->af.fp, header[i] ? header[i] : "");
	}
	fputc('\n', csv->af.fp);
	return QCQ_OK;
}

static void sep(struct rep_csv *csv)
{
	if (csv->col++)
		fputc(',', csv->af.fp);
}

void rep_csv_str(struct rep_csv *csv, const char *s)
{
	sep(csv);
	rep_csv_write_field(csv->af.fp, s ? s : "");
}

void rep_csv_num(struct rep_csv *csv, double v)
{
	sep(csv);
	if (isnan(v))
		fputs("nan", csv->af.fp);
	else if (isinf(v))
		fputs(v > 0 ? "inf" : "-inf", csv->af.fp);
	else
		fprintf(csv->af.fp, "%.10g", v);
}

void rep_csv_int(struct rep_csv *csv, long long v)
{
	sep(csv);
	fprintf(csv->af.fp, "%lld", v);
}

void rep_csv_end_row(struct rep_csv *csv)
{
	if (csv->col != csv->ncols && csv->bad_row < 0) {
		csv->bad_row = csv->row + 1;
		csv->bad_count = csv->col;
	}
	fputc('\n', csv->af.fp);
	csv->col = 0;
	csv->row++;
}

enum qcq_status rep_csv_close(struct rep_csv *csv, struct qcq_error *err)
{
	if (csv->col)
		rep_csv_end_row(csv);
	if (csv->bad_row >= 0) {
		enum qcq_status st = qcq_error_set(err, QCQ_EINVAL,
						   "%s: row %ld has %d fields (header has %d)",
						   csv->af.path, csv->bad_row, csv->bad_count,
						   csv->ncols);
		qcq_atomic_abort(&csv->af);
		return st;
	}
	return qcq_atomic_commit(&csv->af, err);
}
