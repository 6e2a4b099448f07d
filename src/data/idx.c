/*
 * data/idx.c: the IDX format of MNIST and Fashion-MNIST, plain or gzip.
 *
 * A big-endian header (0, 0, type, ndim, then ndim u32 sizes) and the raw bytes.
 * Files are read through zlib's gzread, which passes plain files through unchanged.
 * The header is read and checked first, so the buffer is never larger than what the
 * header claims and a claim of 2^31 images is refused before anything is allocated;
 * the buffer grows only as bytes actually arrive (a gzip bomb cannot make us allocate
 * more than it really contains, up to the claimed size). An image file and its labels
 * have both headers checked against each other before either is inflated.
 *
 * Not here: what the pixels mean (dataset.c) or which files make a data set beyond
 * the MNIST naming (data_load_idx_dir).
 */
#include "qcq/data.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define IDX_UBYTE 0x08

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks magic and dims; *total is header + payload bytes. */
static enum qcq_status idx_header(const uint8_t *buf, size_t n, const char *name,
				  struct data_idx *out, size_t *total, struct qcq_error *err)
{
	if (n < 4)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 0: file too short for an idx "
				     "header (%zu bytes)", name, n);
	if (buf[0] != 0 || buf[1] != 0)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 0: bad idx magic %02x %02x %02x %02x "
				     "(expected 00 00 08 01 or 00 00 08 03)", name, buf[0], buf[1],
				     buf[2], buf[3]);
	if (buf[2] != IDX_UBYTE)
		return qcq_error_set(err, QCQ_EUNSUPPORTED, "%s: offset 2: idx data type 0x%02x is "
				     "not supported (only unsigned bytes, 0x08)", name, buf[2]);
	int ndim = buf[3];
	if (ndim != 1 && ndim != 3)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 3: idx with %d dimensions (expected "
				     "1 for labels or 3 for images)", name, ndim);
	size_t hdr = 4 + 4 * (size_t)ndim;
	if (n < hdr)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: truncated idx header (%zu of "
				     "%zu bytes)", name, n, n, hdr);
	size_t count = 1;
	for (int d = 0; d < ndim; d++) {
		uint32_t v = be32(buf + 4 + 4 * d);
		size_t lim = d == 0 ? DATA_MAX_IMAGES : DATA_MAX_SIDE;
		if (v > lim || (d > 0 && v == 0))
			return qcq_error_set(err, QCQ_ERANGE, "%s: offset %d: idx dimension %d is %u "
					     "(limit %s%zu)", name, 4 + 4 * d, d, v,
					     d > 0 ? "1.." : "", lim);
		out->dims[d] = v;
		count *= v; /* < 2^24 * 2^13 * 2^13: no overflow in 64 bits */
	}
	if (count == 0)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 4: idx file holds 0 items", name);
	out->ndim = ndim;
	out->count = count;
	*total = hdr + count;
	return QCQ_OK;
}

enum qcq_status data_idx_parse(const uint8_t *buf, size_t n, const char *name,
			       struct data_idx *out, struct qcq_error *err)
{
	struct data_idx h = {0};
	size_t total = 0;
	enum qcq_status st = idx_header(buf, n, name, &h, &total, err);
	if (st)
		return st;
	if (n < total)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: truncated: the header says "
				     "%zu bytes of data, the file has %zu", name, n,
				     total - (4 + 4 * (size_t)h.ndim), n - (4 + 4 * (size_t)h.ndim));
	if (n > total)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: %zu bytes after the end of the "
				     "idx data", name, total, n - total);
	h.data = buf + 4 + 4 * (size_t)h.ndim;
	*out = h;
	return QCQ_OK;
}

/* Read up to want bytes (growing the buffer as data arrives); *got says how many came. */
static enum qcq_status gz_fill(gzFile gz, const char *path, uint8_t **buf, size_t *cap,
			       size_t *got, size_t want, struct qcq_error *err)
{
	while (*got < want) {
		if (*got == *cap) {
			size_t nc = *cap * 2 < want ? *cap * 2 : want;
			*buf = qcq_xrealloc(*buf, nc);
			*cap = nc;
		}
		size_t room = *cap - *got;
		unsigned ask = room > (1u << 30) ? 1u << 30 : (unsigned)room;
		int r = gzread(gz, *buf + *got, ask);
		if (r < 0) {
			int e;
			const char *m = gzerror(gz, &e);
			return qcq_error_set(err, QCQ_EFORMAT, "%s: offset %zu: %s", path, *got,
					     e == Z_ERRNO ? strerror(errno) : m);
		}
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return QCQ_OK;
}

enum qcq_status data_idx_read_file(const char *path, uint8_t **out, size_t *outn,
				   struct qcq_error *err)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return qcq_error_errno(err, errno ? errno : ENOMEM, "%s: cannot open", path);
	gzbuffer(gz, 1 << 17);
	size_t cap = 1 << 16, got = 0;
	uint8_t *buf = qcq_xmalloc(cap);
	enum qcq_status st = gz_fill(gz, path, &buf, &cap, &got, 16, err);
	struct data_idx h;
	size_t total = 0;
	if (!st)
		st = idx_header(buf, got, path, &h, &total, err);
	/* One byte more than the header claims, to detect trailing data. When the claim
	 * is plausible for the file's size (deflate expands at most ~1032x), reserve it at
	 * once instead of doubling: that saves copying tens of MB; an implausible claim
	 * still only grows as bytes arrive. */
	struct stat sb;
	if (!st && total + 1 > cap && stat(path, &sb) == 0 &&
	    total / 1100 <= (size_t)sb.st_size) {
		buf = qcq_xrealloc(buf, total + 1);
		cap = total + 1;
	}
	if (!st)
		st = gz_fill(gz, path, &buf, &cap, &got, total + 1, err);
	gzclose(gz);
	if (!st)
		st = data_idx_parse(buf, got, path, &h, err);
	if (st) {
		free(buf);
		return st;
	}
	*out = buf;
	*outn = got;
	return QCQ_OK;
}

static enum qcq_status read_idx(const char *path, int want_ndim, uint8_t **buf,
				struct data_idx *h, struct qcq_error *err)
{
	size_t n;
	enum qcq_status st = data_idx_read_file(path, buf, &n, err);
	if (st)
		return st;
	data_idx_parse(*buf, n, path, h, err);
	if (h->ndim != want_ndim) {
		free(*buf);
		*buf = NULL;
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 3: idx with %d dimensions, expected "
				     "%d (%s)", path, h->ndim, want_ndim,
				     want_ndim == 3 ? "images" : "labels");
	}
	return QCQ_OK;
}

/* An image file and its label file, read and checked, not yet converted. */
struct idx_pair {
	char img[4096], lab[4096];
	uint8_t *ib, *lb;
	struct data_idx ih, lh;
	enum qcq_status st;
	struct qcq_error err;
};

/* Only the header of an IDX file (inflating no more than its first 16 bytes). */
static enum qcq_status peek_idx(const char *path, int want_ndim, struct data_idx *h,
				struct qcq_error *err)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return qcq_error_errno(err, errno ? errno : ENOMEM, "%s: cannot open", path);
	size_t cap = 16, got = 0, total;
	uint8_t *buf = qcq_xmalloc(cap);
	enum qcq_status st = gz_fill(gz, path, &buf, &cap, &got, 16, err);
	gzclose(gz);
	if (!st)
		st = idx_header(buf, got, path, h, &total, err);
	free(buf);
	if (!st && h->ndim != want_ndim)
		st = qcq_error_set(err, QCQ_EFORMAT, "%s: offset 3: idx with %d dimensions, expected "
				   "%d (%s)", path, h->ndim, want_ndim,
				   want_ndim == 3 ? "images" : "labels");
	return st;
}

/*
 * Both headers are read and matched before either file is inflated: a label file that
 * does not fit must not cost inflating a gigabyte of images first.
 */
static enum qcq_status read_pair(struct idx_pair *p, struct qcq_error *err)
{
	struct data_idx ih, lh;
	enum qcq_status st = peek_idx(p->img, 3, &ih, err);
	if (!st)
		st = peek_idx(p->lab, 1, &lh, err);
	if (st)
		return st;
	if (lh.dims[0] != ih.dims[0])
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 4: %u labels for %u images in %s",
				     p->lab, lh.dims[0], ih.dims[0], p->img);
	st = read_idx(p->img, 3, &p->ib, &p->ih, err);
	if (st)
		return st;
	if ((st = read_idx(p->lab, 1, &p->lb, &p->lh, err))) {
		free(p->ib);
		p->ib = NULL;
		return st;
	}
	if (p->lh.dims[0] != p->ih.dims[0]) {
		free(p->ib);
		free(p->lb);
		p->ib = p->lb = NULL;
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 4: %u labels for %u images in %s",
				     p->lab, p->lh.dims[0], p->ih.dims[0], p->img);
	}
	return QCQ_OK;
}

struct convert_job {
	const uint8_t *src;
	float *dst;
};

static void convert_range(void *ctx, size_t b, size_t e, int worker)
{
	const struct convert_job *j = ctx;
	const float inv = 1.0f / 255.0f;
	for (size_t i = b; i < e; i++)
		j->dst[i] = j->src[i] * inv;
}

/* One data set from np read pairs (same image size), in order; pixels converted on pool. */
static enum qcq_status build_set(struct idx_pair *ps, int np, struct qcq_pool *pool,
				 struct data_set **out, struct qcq_error *err)
{
	size_t n = 0;
	int maxl = 0;
	for (int k = 0; k < np; k++) {
		if (ps[k].ih.dims[1] != ps[0].ih.dims[1] || ps[k].ih.dims[2] != ps[0].ih.dims[2])
			return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 8: images of %ux%u, %s has "
					     "%ux%u", ps[k].img, ps[k].ih.dims[1], ps[k].ih.dims[2],
					     ps[0].img, ps[0].ih.dims[1], ps[0].ih.dims[2]);
		n += ps[k].ih.dims[0];
		for (size_t i = 0; i < ps[k].lh.count; i++)
			maxl = ps[k].lh.data[i] > maxl ? ps[k].lh.data[i] : maxl;
	}
	struct data_set *ds;
	enum qcq_status st = data_set_create(n, (int)ps[0].ih.dims[1], (int)ps[0].ih.dims[2], maxl + 1,
					     &ds, err);
	if (st)
		return qcq_error_prefix(err, "%s", ps[0].img);
	size_t at = 0;
	for (int k = 0; k < np; k++) {
		struct convert_job j = {ps[k].ih.data, ds->images + at * ps[0].ih.dims[1] * ps[0].ih.dims[2]};
		if (pool)
			qcq_pool_for(pool, ps[k].ih.count, 1 << 16, convert_range, &j);
		else
			convert_range(&j, 0, ps[k].ih.count, 0);
		for (size_t i = 0; i < ps[k].lh.count; i++)
			ds->labels[at + i] = ps[k].lh.data[i];
		at += ps[k].ih.dims[0];
	}
	*out = ds;
	return QCQ_OK;
}

enum qcq_status data_load_idx(const char *images, const char *labels, struct data_set **out,
			      struct qcq_error *err)
{
	struct idx_pair *p = qcq_xcalloc(1, sizeof *p);
	snprintf(p->img, sizeof p->img, "%s", images);
	snprintf(p->lab, sizeof p->lab, "%s", labels);
	enum qcq_status st = read_pair(p, err);
	struct data_set *ds = NULL;
	if (!st)
		st = build_set(p, 1, NULL, &ds, err);
	if (!st) {
		snprintf(ds->source, sizeof ds->source, "idx %s", images);
		*out = ds;
	}
	free(p->ib);
	free(p->lb);
	free(p);
	return st;
}

/* ---------------------------------------------------------------- MNIST-style directories */

/* dir/<stem>-<kind>-idx?-ubyte[.gz] if it exists (path written to buf). */
static bool find_file(const char *dir, const char *stem, const char *kind, char *buf, size_t size)
{
	static const char *const sfx[] = {".gz", ""};
	int nd = strcmp(kind, "images") == 0 ? 3 : 1;
	for (int s = 0; s < 2; s++) {
		snprintf(buf, size, "%s/%s-%s-idx%d-ubyte%s", dir, stem, kind, nd, sfx[s]);
		FILE *fp = fopen(buf, "rb");
		if (fp) {
			fclose(fp);
			return true;
		}
	}
	return false;
}

/* A single pair: the stem of the one *-images-idx3-ubyte[.gz] in dir. */
static enum qcq_status find_single_stem(const char *dir, char *stem, size_t size,
					struct qcq_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return qcq_error_errno(err, errno, "%s: cannot open directory", dir);
	int found = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *p = strstr(e->d_name, "-images-idx3-ubyte");
		if (!p)
			continue;
		if (found++ == 0)
			snprintf(stem, size, "%.*s", (int)(p - e->d_name), e->d_name);
	}
	closedir(d);
	if (found == 0)
		return qcq_error_set(err, QCQ_EIO, "%s: no *-images-idx3-ubyte[.gz] file (expected "
				     "train-images-idx3-ubyte.gz and t10k-images-idx3-ubyte.gz, or one "
				     "pair)", dir);
	if (found > 2)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: %d image files and no train/t10k pair: "
				     "use load idx IMAGES LABELS", dir, found);
	return QCQ_OK;
}

static void pair_run(void *ctx, size_t b, size_t e, int worker)
{
	struct idx_pair *ps = ctx;
	for (size_t i = b; i < e; i++)
		ps[i].st = read_pair(&ps[i], &ps[i].err);
}

enum qcq_status data_load_idx_dir(const char *dir, struct qcq_pool *pool, struct data_set **out,
				  struct qcq_error *err)
{
	struct idx_pair *jobs = qcq_xcalloc(2, sizeof *jobs);
	size_t nj = 0;
	const char *stems[2] = {"train", "t10k"};
	for (int s = 0; s < 2; s++) {
		if (find_file(dir, stems[s], "images", jobs[nj].img, sizeof jobs[nj].img)) {
			if (!find_file(dir, stems[s], "labels", jobs[nj].lab, sizeof jobs[nj].lab)) {
				enum qcq_status st = qcq_error_set(err, QCQ_EIO, "%s: %s has no "
								   "%s-labels-idx1-ubyte[.gz]", dir,
								   jobs[nj].img, stems[s]);
				free(jobs);
				return st;
			}
			nj++;
		}
	}
	if (nj == 0) {
		char stem[256];
		enum qcq_status st = find_single_stem(dir, stem, sizeof stem, err);
		if (!st && (!find_file(dir, stem, "images", jobs[0].img, sizeof jobs[0].img) ||
			    !find_file(dir, stem, "labels", jobs[0].lab, sizeof jobs[0].lab)))
			st = qcq_error_set(err, QCQ_EIO, "%s: %s-images-idx3-ubyte has no "
					   "%s-labels-idx1-ubyte[.gz]", dir, stem, stem);
		if (st) {
			free(jobs);
			return st;
		}
		nj = 1;
	}
	if (pool)
		qcq_pool_for(pool, nj, 1, pair_run, jobs);
	else
		pair_run(jobs, 0, nj, 0);
	enum qcq_status st = QCQ_OK;
	for (size_t i = 0; i < nj && !st; i++)
		if (jobs[i].st) {
			st = jobs[i].st;
			if (err)
				*err = jobs[i].err;
		}
	struct data_set *ds = NULL;
	if (!st)
		st = build_set(jobs, (int)nj, pool, &ds, err);
	if (!st && nj == 2)
		snprintf(ds->source, sizeof ds->source, "idx %s (train %u + t10k %u)", dir,
			 jobs[0].ih.dims[0], jobs[1].ih.dims[0]);
	else if (!st)
		snprintf(ds->source, sizeof ds->source, "idx %s", jobs[0].img);
	for (size_t i = 0; i < nj; i++) {
		free(jobs[i].ib);
		free(jobs[i].lb);
	}
	free(jobs);
	if (!st)
		*out = ds;
	return st;
}
