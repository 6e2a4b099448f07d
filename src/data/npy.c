/*
 * data/npy.c: NumPy's .npy format, read and write, so that images and features move to
 * and from NumPy users (the paper's code saves its quanvolved features as .npy).
 *
 * Format: "\x93NUMPY", major, minor, a little-endian header length (2 bytes in 1.0, 4 in
 * 2.0/3.0), a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, ...), }
 * padded with spaces to a multiple of 64 bytes, then the data in C order.
 * We parse the dict strictly enough to refuse what we do not understand (other dtypes,
 * Fortran order, big-endian) and say where.
 *
 * Not here: what the arrays mean (data_set_from_arrays, data_features_from_nhwc).
 */
#include "qcq/data.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NPY_MAGIC "\x93NUMPY"
#define NPY_FILE_LIMIT ((size_t)8 << 30)

void data_array_free(struct data_array *a)
{
	if (!a)
		return;
	qcq_aligned_free(a->v);
	memset(a, 0, sizeof *a);
}

/* The value text of 'key' in the header dict, or NULL. */
static const char *dict_value(const char *hdr, const char *key)
{
	char pat[32];
	snprintf(pat, sizeof pat, "'%s'", key);
	const char *p = strstr(hdr, pat);
	if (!p) {
		snprintf(pat, sizeof pat, "\"%s\"", key);
		p = strstr(hdr, pat);
	}
	if (!p)
		return NULL;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p != ':')
		return NULL;
	p++;
	while (*p == ' ')
		p++;
	return p;
}

static enum qcq_status parse_shape(const char *p, const char *name, size_t off,
				   struct data_array *a, struct qcq_error *err)
{
	if (*p != '(')
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: npy shape is not a tuple", name,
				     off);
	p++;
	a->ndim = 0;
	a->count = 1;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == ')')
			break;
		if (!isdigit((unsigned char)*p))
			return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: bad npy shape", name, off);
		if (a->ndim == DATA_NPY_MAX_DIMS)
			return qcq_error_set(err, QCQ_EUNSUPPORTED, "%s: offset %zu: npy array with more "
					     "than %d dimensions", name, off, DATA_NPY_MAX_DIMS);
		errno = 0;
		char *end;
		unsigned long long v = strtoull(p, &end, 10);
		if (errno || v > ((size_t)1 << 40))
			return qcq_error_set(err, QCQ_ERANGE, "%s: offset %zu: npy dimension %.20s too "
					     "large", name, off, p);
		a->shape[a->ndim++] = (size_t)v;
		if (!qcq_mul_size(a->count, (size_t)v, &a->count) || a->count > ((size_t)1 << 40))
			return qcq_error_set(err, QCQ_ERANGE, "%s: offset %zu: npy array too large", name,
					     off);
		p = end;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p != ')')
			return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: bad npy shape", name, off);
	}
	if (a->ndim == 0)
		return qcq_error_set(err, QCQ_EUNSUPPORTED, "%s: offset %zu: npy scalar (shape ()) is "
				     "not an array", name, off);
	return QCQ_OK;
}

static enum qcq_status parse_header(const char *hdr, const char *name, size_t off,
				    struct data_array *a, struct qcq_error *err)
{
	const char *d = dict_value(hdr, "descr"), *f = dict_value(hdr, "fortran_order"),
		   *s = dict_value(hdr, "shape");
	if (!d || !f || !s)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: npy header lacks %s", name, off,
				     !d ? "'descr'" : !f ? "'fortran_order'" : "'shape'");
	if (strncmp(d, "'<f4'", 5) == 0)
		a->dtype = DATA_F32;
	else if (strncmp(d, "'<f8'", 5) == 0)
		a->dtype = DATA_F64;
	else if (strncmp(d, "'|u1'", 5) == 0 || strncmp(d, "'<u1'", 5) == 0)
		a->dtype = DATA_U8;
	else
		return qcq_error_set(err, QCQ_EUNSUPPORTED, "%s: offset %zu: npy dtype %.12s is not "
				     "supported (float32 '<f4', float64 '<f8', uint8 '|u1')", name, off, d);
	if (strncmp(f, "False", 5) != 0)
		return qcq_error_set(err, QCQ_EUNSUPPORTED, "%s: offset %zu: npy array in Fortran order "
				     "(save it with numpy.ascontiguousarray)", name, off);
	return parse_shape(s, name, off, a, err);
}

static size_t dtype_size(enum data_dtype t)
{
	return t == DATA_F64 ? 8 : t == DATA_F32 ? 4 : 1;
}

enum qcq_status data_npy_parse(const uint8_t *buf, size_t n, const char *name,
			       struct data_array *out, struct qcq_error *err)
{
	if (n < 10 || memcmp(buf, NPY_MAGIC, 6) != 0)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 0: not an npy file (no \\x93NUMPY "
				     "magic)", name);
	int major = buf[6];
	size_t hlen, off;
	if (major == 1) {
		hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
		off = 10;
	} else if (major == 2 || major == 3) {
		if (n < 12)
			return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: truncated npy header",
					     name, n);
		hlen = (size_t)buf[8] | (size_t)buf[9] << 8 | (size_t)buf[10] << 16 |
		       (size_t)buf[11] << 24;
		off = 12;
	} else {
		return qcq_error_set(err, QCQ_EUNSUPPORTED, "%s: offset 6: npy format version %d.%d "
				     "is not supported", name, major, buf[7]);
	}
	if (hlen > n - off || hlen > (1 << 20))
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: npy header of %zu bytes runs "
				     "past the end of the file (%zu bytes)", name, off - 2, hlen, n);
	char *hdr = qcq_xmalloc(hlen + 1);
	memcpy(hdr, buf + off, hlen);
	hdr[hlen] = '\0';
	struct data_array a = {0};
	enum qcq_status st = parse_header(hdr, name, off, &a, err);
	free(hdr);
	if (st)
		return st;
	size_t data_off = off + hlen, es = dtype_size(a.dtype), bytes;
	if (!qcq_mul_size(a.count, es, &bytes) || bytes != n - data_off)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: npy shape needs %zu x %zu bytes "
				     "of data, the file has %zu", name, data_off, a.count, es,
				     n - data_off);
	a.v = qcq_alloc_checked(a.count ? a.count : 1, sizeof(float), name, err);
	if (!a.v)
		return err ? err->code : QCQ_ENOMEM;
	const uint8_t *p = buf + data_off;
	for (size_t i = 0; i < a.count; i++) {
		float v;
		if (a.dtype == DATA_U8) {
			v = p[i];
		} else if (a.dtype == DATA_F32) {
			memcpy(&v, p + 4 * i, 4);
		} else {
			double d;
			memcpy(&d, p + 8 * i, 8);
			v = (float)d;
			if (isfinite(d) && !isfinite(v))
				v = NAN; /* out of float range: report below */
		}
		if (!isfinite(v)) {
			qcq_aligned_free(a.v);
			return qcq_error_set(err, QCQ_ENUMERIC, "%s: offset %zu: entry %zu is not a finite "
					     "float32", name, data_off + i * es, i);
		}
		a.v[i] = v;
	}
	*out = a;
	return QCQ_OK;
}

enum qcq_status data_npy_read(const char *path, struct data_array *out, struct qcq_error *err)
{
	char *buf;
	size_t n;
	enum qcq_status st = qcq_read_file(path, NPY_FILE_LIMIT, &buf, &n, err);
	if (st)
		return st;
	st = data_npy_parse((const uint8_t *)buf, n, path, out, err);
	free(buf);
	return st;
}

enum qcq_status data_npy_write(const char *path, enum data_dtype dtype, const size_t *shape,
			       int ndim, const float *v, struct qcq_error *err)
{
	if (ndim < 1 || ndim > DATA_NPY_MAX_DIMS)
		return qcq_error_set(err, QCQ_EINVAL, "%s: %d dimensions out of range [1, %d]", path,
				     ndim, DATA_NPY_MAX_DIMS);
	char dict[256];
	int len = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
			   dtype == DATA_F32 ? "<f4" : dtype == DATA_F64 ? "<f8" : "|u1");
	size_t count = 1;
	for (int d = 0; d < ndim; d++) {
		len += snprintf(dict + len, sizeof dict - (size_t)len, "%zu,%s", shape[d],
				d + 1 < ndim ? " " : "");
		count *= shape[d];
	}
	if (ndim > 1)
		len--; /* (3, 4) but (3,) */
	len += snprintf(dict + len, sizeof dict - (size_t)len, "), }");
	/* magic(6) + version(2) + len(2) + dict + padding + '\n', total a multiple of 64 */
	size_t hl = (size_t)len + 1, total = 10 + hl;
	size_t pad = (64 - total % 64) % 64;
	hl += pad;
	struct qcq_atomic_file af;
	enum qcq_status st = qcq_atomic_open(&af, path, err);
	if (st)
		return st;
	uint8_t pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (uint8_t)(hl & 0xff),
			   (uint8_t)(hl >> 8)};
	fwrite(pre, 1, 10, af.fp);
	fwrite(dict, 1, (size_t)len, af.fp);
	for (size_t i = 0; i < pad; i++)
		fputc(' ', af.fp);
	fputc('\n', af.fp);
	if (dtype == DATA_F32)
		fwrite(v, sizeof(float), count, af.fp);
	for (size_t i = 0; dtype != DATA_F32 && i < count; i++) {
		if (dtype == DATA_F64) {
			double d = v[i];
			fwrite(&d, 8, 1, af.fp);
		} else {
			float x = v[i] < 0 ? 0 : v[i] > 255 ? 255 : v[i];
			fputc((int)lrintf(x), af.fp);
		}
	}
	return qcq_atomic_commit(&af, err);
}

enum qcq_status data_set_from_arrays(const struct data_array *im, const struct data_array *lab,
				     const char *name, struct data_set **out,
				     struct qcq_error *err)
{
	size_t n = im->shape[0], h = 0, w = 0;
	if (im->ndim == 3) {
		h = im->shape[1], w = im->shape[2];
	} else if (im->ndim == 4 && im->shape[3] == 1) {
		h = im->shape[1], w = im->shape[2];
	} else if (im->ndim == 4 && im->shape[1] == 1) {
		h = im->shape[2], w = im->shape[3];
	} else if (im->ndim == 2) {
		size_t s = (size_t)llround(sqrt((double)im->shape[1]));
		if (s * s != im->shape[1])
			return qcq_error_set(err, QCQ_EFORMAT, "%s: shape (%zu, %zu): %zu pixels per row "
					     "is not a square image", name, n, im->shape[1],
					     im->shape[1]);
		h = w = s;
	} else {
		return qcq_error_set(err, QCQ_EFORMAT, "%s: an array of %d dimensions%s is not a stack "
				     "of images (expected (n, h, w), (n, h, w, 1), (n, 1, h, w) or "
				     "(n, h*w))", name, im->ndim,
				     im->ndim == 4 ? " with several channels" : "");
	}
	if (n == 0 || h == 0 || w == 0)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: empty image array (%zu images of %zux%zu)",
				     name, n, h, w);
	if (h > DATA_MAX_SIDE || w > DATA_MAX_SIDE)
		return qcq_error_set(err, QCQ_ERANGE, "%s: image size %zux%zu over %d", name, h, w,
				     DATA_MAX_SIDE);
	int maxl = 0;
	if (lab) {
		if (lab->ndim != 1 || lab->shape[0] != n)
			return qcq_error_set(err, QCQ_EFORMAT, "%s: labels of %d dimensions and %zu "
					     "entries for %zu images (expected shape (%zu,))", name,
					     lab->ndim, lab->shape[0], n, n);
		for (size_t i = 0; i < n; i++) {
			float l = lab->v[i];
			if (l < 0 || l >= DATA_MAX_CLASSES || l != floorf(l))
				return qcq_error_set(err, QCQ_EFORMAT, "%s: label entry %zu is %g (expected "
						     "an integer in [0, %d))", name, i, l,
						     DATA_MAX_CLASSES);
			maxl = (int)l > maxl ? (int)l : maxl;
		}
	}
	float lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < im->count; i++) {
		lo = im->v[i] < lo ? im->v[i] : lo;
		hi = im->v[i] > hi ? im->v[i] : hi;
	}
	struct data_set *ds;
	enum qcq_status st = data_set_create(n, (int)h, (int)w, maxl + 1, &ds, err);
	if (st)
		return qcq_error_prefix(err, "%s", name);
	/* in double: hi - lo of two float32 extremes overflows float (found by fuzz_npy) */
	double scale = 1, shift = 0;
	const char *how = "kept";
	if (im->dtype == DATA_U8 || (lo >= 0 && hi > 1 && hi <= 255)) {
		scale = 1.0 / 255;
		how = "divided by 255";
	} else if (lo < 0 || hi > 1) {
		scale = hi > lo ? 1.0 / ((double)hi - lo) : 1;
		shift = -(double)lo;
		how = "min-max scaled";
	}
	for (size_t i = 0; i < im->count; i++) {
		double v = (im->v[i] + shift) * scale;
		ds->images[i] = v < 0 ? 0 : v > 1 ? 1 : (float)v;
	}
	for (size_t i = 0; i < n; i++)
		ds->labels[i] = lab ? (int32_t)lab->v[i] : 0;
	snprintf(ds->source, sizeof ds->source, "npy %s (values %s)", name, how);
	*out = ds;
	return QCQ_OK;
}
