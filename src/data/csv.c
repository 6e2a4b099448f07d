/*
 * data/csv.c: images as CSV rows, "label,p0,p1,...,p783" (the Kaggle MNIST layout).
 *
 * Two passes over the bytes: the first counts rows and checks every field (so nothing
 * is allocated for a malformed file and errors name line and field), the second fills
 * the data set. Not here: writing CSV (the report module owns tables).
 */
#include "qcq/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CSV_FILE_LIMIT ((size_t)4 << 30)

struct csv_scan {
	const char *p, *end;
	int line;
};

/* Parse a number field ending at ',' '\n' '\r' or the end; advance past it. */
static bool field_num(struct csv_scan *s, double *v, const char **text, int *tlen)
{
	const char *b = s->p;
	while (s->p < s->end && *s->p != ',' && *s->p != '\n' && *s->p != '\r')
		s->p++;
	*text = b;
	*tlen = (int)(s->p - b > 24 ? 24 : s->p - b);
	char tmp[64];
	size_t n = (size_t)(s->p - b);
	while (n && (*b == ' ' || *b == '\t' || *b == '"')) /* tolerate blanks and quotes */
		b++, n--;
	while (n && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '"'))
		n--;
	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, b, n);
	tmp[n] = '\0';
	char *e;
	*v = strtod(tmp, &e);
	/* the whole field: a NUL byte inside it (strtod stops there) is not a number */
	return e == tmp + n && isfinite(*v);
}

/* A field's text for a message: NUL bytes shown as \x00 (printf would stop at them; the
 * error setters escape the other control bytes). */
static const char *quoted(const char *t, int tl, char out[128])
{
	size_t o = 0;
	for (int i = 0; i < tl && o + 5 < 128; i++) {
		if (t[i] == '\0') {
			memcpy(out + o, "\\x00", 4);
			o += 4;
		} else {
			out[o++] = t[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* Rest of the line; true if there is more (a ',' was consumed). */
static bool field_next(struct csv_scan *s)
{
	if (s->p < s->end && *s->p == ',') {
		s->p++;
		return true;
	}
	while (s->p < s->end && *s->p != '\n')
		s->p++;
	if (s->p < s->end)
		s->p++;
	s->line++;
	return false;
}

static bool blank_line(const struct csv_scan *s)
{
	const char *q = s->p;
	while (q < s->end && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	return q == s->end || *q == '\n';
}

static void skip_line(struct csv_scan *s)
{
	while (s->p < s->end && *s->p != '\n')
		s->p++;
	if (s->p < s->end)
		s->p++;
	s->line++;
}

/*
 * One pass; with ds == NULL it validates and counts, else it fills ds.
 * *rows, *cols (pixels per row), *maxl and *hi describe the content.
 */
static enum qcq_status csv_pass(const char *buf, size_t n, const char *name, struct data_set *ds,
				size_t *rows, size_t *cols, int *maxl, double *hi,
				struct qcq_error *err)
{
	struct csv_scan s = {buf, buf + n, 1};
	size_t r = 0;
	bool first = true;
	while (s.p < s.end) {
		if (blank_line(&s)) {
			skip_line(&s);
			continue;
		}
		double v;
		const char *t;
		int tl;
		char q[128];
		int line = s.line;
		if (!field_num(&s, &v, &t, &tl)) {
			if (first) { /* a header line */
				first = false;
				skip_line(&s);
				continue;
			}
			return qcq_error_set(err, QCQ_EFORMAT, "%s: line %d: field 1: label '%s' is not "
					     "a number", name, line, quoted(t, tl, q));
		}
		first = false;
		if (v < 0 || v >= DATA_MAX_CLASSES || v != floor(v))
			return qcq_error_set(err, QCQ_EFORMAT, "%s: line %d: field 1: label %g is not an "
					     "integer in [0, %d)", name, line, v, DATA_MAX_CLASSES);
		if (!ds && r >= DATA_MAX_IMAGES)
			return qcq_error_set(err, QCQ_ERANGE, "%s: line %d: more than %zu rows", name,
					     line, DATA_MAX_IMAGES);
		if (ds)
			ds->labels[r] = (int32_t)v;
		else if ((int)v > *maxl)
			*maxl = (int)v;
		size_t c = 0;
		float *dst = ds ? ds->images + r * *cols : NULL;
		float scale = ds && *hi > 1 ? 1.0f / 255 : 1.0f;
		while (field_next(&s)) {
			if (!field_num(&s, &v, &t, &tl))
				return qcq_error_set(err, QCQ_EFORMAT, "%s: line %d: field %zu: '%s' is "
						     "not a number", name, line, c + 2, quoted(t, tl, q));
			if (v < 0 || v > 255)
				return qcq_error_set(err, QCQ_ERANGE, "%s: line %d: field %zu: pixel %g out "
						     "of range [0, 255]", name, line, c + 2, v);
			if (!ds && (r > 0 && c >= *cols))
				return qcq_error_set(err, QCQ_EFORMAT, "%s: line %d: more than %zu pixels "
						     "(the first row has %zu)", name, line, *cols, *cols);
			if (!ds && c >= (size_t)DATA_MAX_SIDE * 64)
				return qcq_error_set(err, QCQ_ERANGE, "%s: line %d: more than %d pixels "
						     "in a row", name, line, DATA_MAX_SIDE * 64);
			if (dst)
				dst[c] = (float)v * scale;
			else if (v > *hi)
				*hi = v;
			c++;
		}
		if (r == 0 && !ds)
			*cols = c;
		if (c != *cols)
			return qcq_error_set(err, QCQ_EFORMAT, "%s: line %d: %zu pixels, expected %zu "
					     "(as in the first row)", name, line, c, *cols);
		r++;
	}
	*rows = r;
	return QCQ_OK;
}

enum qcq_status data_csv_parse(const char *buf, size_t n, const char *name, struct data_set **out,
			       struct qcq_error *err)
{
	size_t rows = 0, cols = 0;
	int maxl = 0;
	double hi = 0;
	enum qcq_status st = csv_pass(buf, n, name, NULL, &rows, &cols, &maxl, &hi, err);
	if (st)
		return st;
	if (rows == 0)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: no data rows", name);
	size_t side = (size_t)llround(sqrt((double)cols));
	if (cols == 0 || side * side != cols)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: line 1: %zu pixels per row is not a square "
				     "image (28x28 = 784)", name, cols);
	struct data_set *ds;
	if ((st = data_set_create(rows, (int)side, (int)side, maxl + 1, &ds, err)))
		return qcq_error_prefix(err, "%s", name);
	st = csv_pass(buf, n, name, ds, &rows, &cols, &maxl, &hi, err);
	if (st) { /* cannot happen: the first pass checked everything */
		data_set_free(ds);
		return st;
	}
	snprintf(ds->source, sizeof ds->source, "csv %s", name);
	*out = ds;
	return QCQ_OK;
}

enum qcq_status data_load_csv(const char *path, struct data_set **out, struct qcq_error *err)
{
	char *buf;
	size_t n;
	enum qcq_status st = qcq_read_file(path, CSV_FILE_LIMIT, &buf, &n, err);
	if (st)
		return st;
	st = data_csv_parse(buf, n, path, out, err);
	free(buf);
	return st;
}
