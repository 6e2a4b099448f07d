/*
 * data/cache.c: quanvolved features and their on-disk cache.
 *
 * The filter is fixed, so its output on a given split is a pure function of the split's
 * pixels and the filter: we store it under key = hash(split) x hash(filter) and a second
 * `quanv` reads it back instead of recomputing. A cache file is
 *   "QCQFEAT1" | u32 version | u32 c, oh, ow | u64 n[3] | u64 key | u64 checksum | floats
 * (little-endian, as this machine), written atomically; a reader checks the magic,
 * version, key, sizes, the exact file size and the checksum of the floats, so a
 * truncated or stale file is never used.
 *
 * Not here: computing features (qml's filter does that; the `quanv` command glues).
 */
#include "qcq/data.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CACHE_MAGIC "QCQFEAT1"
#define CACHE_VERSION 2u /* 2: word-wise checksum (features_checksum) */

struct cache_header {
	char magic[8];
	uint32_t version, c, oh, ow;
	uint64_t n[DATA_NPARTS];
	uint64_t key, checksum;
};

enum qcq_status data_features_create(const size_t n[DATA_NPARTS], int c, int oh, int ow,
				     struct data_features **out, struct qcq_error *err)
{
	if (c < 1 || oh < 1 || ow < 1 || c > 4096 || oh > DATA_MAX_SIDE || ow > DATA_MAX_SIDE)
		return qcq_error_set(err, QCQ_EINVAL, "feature shape (%d, %d, %d) out of range", c, oh,
				     ow);
	struct data_features *f = qcq_xcalloc(1, sizeof *f);
	f->c = c;
	f->oh = oh;
	f->ow = ow;
	size_t per = (size_t)c * (size_t)oh * (size_t)ow;
	for (int p = 0; p < DATA_NPARTS; p++) {
		f->n[p] = n[p];
		if (!n[p])
			continue;
		f->part[p] = qcq_alloc_checked(n[p], per * sizeof(float), "features", err);
		if (!f->part[p]) {
			data_features_free(f);
			return err ? err->code : QCQ_ENOMEM;
		}
	}
	*out = f;
	return QCQ_OK;
}

void data_features_free(struct data_features *f)
{
	if (!f)
		return;
	for (int p = 0; p < DATA_NPARTS; p++)
		qcq_aligned_free(f->part[p]);
	free(f);
}

enum qcq_status data_features_from_nhwc(const struct data_array *a, enum data_part part,
					struct data_features **out, struct qcq_error *err)
{
	if (a->ndim != 4)
		return qcq_error_set(err, QCQ_EFORMAT, "features need 4 dimensions (n, h, w, c), the "
				     "array has %d", a->ndim);
	size_t n = a->shape[0], h = a->shape[1], w = a->shape[2], c = a->shape[3];
	if (n == 0 || h == 0 || w == 0 || c == 0 || c > 4096 || h > DATA_MAX_SIDE ||
	    w > DATA_MAX_SIDE)
		return qcq_error_set(err, QCQ_EFORMAT, "feature array shape (%zu, %zu, %zu, %zu) out of "
				     "range", n, h, w, c);
	size_t ns[DATA_NPARTS] = {0, 0, 0};
	ns[part] = n;
	struct data_features *f;
	enum qcq_status st = data_features_create(ns, (int)c, (int)h, (int)w, &f, err);
	if (st)
		return st;
	float *dst = f->part[part];
	/* (n, h, w, c) -> (n, c, h, w) */
	for (size_t i = 0; i < n; i++)
		for (size_t y = 0; y < h; y++)
			for (size_t x = 0; x < w; x++)
				for (size_t k = 0; k < c; k++)
					dst[((i * c + k) * h + y) * w + x] = a->v[((i * h + y) * w + x) * c + k];
	*out = f;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- the cache */

enum qcq_status data_cache_dir(const char *override, char *buf, size_t size,
			       struct qcq_error *err)
{
	const char *e;
	if (override && *override)
		snprintf(buf, size, "%s", override);
	else if ((e = getenv("QCQ_CACHE_DIR")) && *e)
		snprintf(buf, size, "%s", e);
	else if ((e = getenv("XDG_CACHE_HOME")) && *e)
		snprintf(buf, size, "%s/qcqlab", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(buf, size, "%s/.cache/qcqlab", e);
	else
		return qcq_error_set(err, QCQ_ESTATE, "no cache directory: set QCQ_CACHE_DIR, "
				     "XDG_CACHE_HOME or HOME");
	return QCQ_OK;
}

uint64_t data_cache_key(const struct data_split *s, uint64_t filter_hash)
{
	uint64_t h = qcq_hash(QCQ_HASH_INIT, &s->hash, sizeof s->hash);
	return qcq_hash(h, &filter_hash, sizeof filter_hash);
}

void data_cache_path(const char *dir, uint64_t key, char *buf, size_t size)
{
	snprintf(buf, size, "%s/quanv-%016llx.qcqf", dir, (unsigned long long)key);
}

static size_t features_floats(const struct data_features *f, int p)
{
	return f->n[p] * (size_t)f->c * (size_t)f->oh * (size_t)f->ow;
}

/*
 * The checksum of the floats: four independent multiply-xor-shift chains over 64-bit
 * words, folded with FNV-1a at the end. Byte-wise FNV-1a (version 1) is one serial
 * multiply per byte: ~70 ms for the 44 MB of 14,000 Fashion-MNIST images, longer
 * than computing them again with the Heisenberg path; this runs at memory speed. It
 * guards against truncated or damaged files, not against tampering.
 */
static void checksum_words(uint64_t lane[4], const unsigned char *p, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	size_t i = 0;
	for (; i + 32 <= n; i += 32)
		for (int l = 0; l < 4; l++) {
			uint64_t w;
			memcpy(&w, p + i + 8 * (size_t)l, 8);
			lane[l] = (lane[l] ^ w) * k;
			lane[l] ^= lane[l] >> 29;
		}
	lane[0] = qcq_hash(lane[0], p + i, n - i);
}

static uint64_t features_checksum(const struct data_features *f)
{
	uint64_t lane[4] = {QCQ_HASH_INIT, QCQ_HASH_INIT + 1, QCQ_HASH_INIT + 2, QCQ_HASH_INIT + 3};
	for (int p = 0; p < DATA_NPARTS; p++)
		if (f->n[p])
			checksum_words(lane, (const unsigned char *)f->part[p],
				       features_floats(f, p) * sizeof(float));
	return qcq_hash(QCQ_HASH_INIT, lane, sizeof lane);
}

enum qcq_status data_cache_store(const char *dir, const struct data_features *f,
				 struct qcq_error *err)
{
	enum qcq_status st = qcq_mkdir_p(dir, err);
	if (st)
		return st;
	char path[4096];
	data_cache_path(dir, f->key, path, sizeof path);
	struct cache_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, CACHE_MAGIC, 8);
	h.version = CACHE_VERSION;
	h.c = (uint32_t)f->c;
	h.oh = (uint32_t)f->oh;
	h.ow = (uint32_t)f->ow;
	for (int p = 0; p < DATA_NPARTS; p++)
		h.n[p] = f->n[p];
	h.key = f->key;
	h.checksum = features_checksum(f);
	struct qcq_atomic_file af;
	if ((st = qcq_atomic_open(&af, path, err)))
		return st;
	bool ok = fwrite(&h, sizeof h, 1, af.fp) == 1;
	for (int p = 0; p < DATA_NPARTS && ok; p++)
		if (f->n[p])
			ok = fwrite(f->part[p], sizeof(float), features_floats(f, p), af.fp) ==
			     features_floats(f, p);
	if (!ok) {
		st = qcq_error_errno(err, errno, "%s: write failed", path);
		qcq_atomic_abort(&af);
		return st;
	}
	return qcq_atomic_commit(&af, err);
}

enum qcq_status data_cache_load(const char *dir, uint64_t key, const size_t expect_n[DATA_NPARTS],
				struct data_features **out, struct qcq_error *err)
{
	char path[4096];
	data_cache_path(dir, key, path, sizeof path);
	*out = NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return errno == ENOENT ? QCQ_OK : qcq_error_errno(err, errno, "%s: cannot open", path);
	struct cache_header h;
	struct data_features *f = NULL;
	enum qcq_status st = QCQ_OK;
	struct stat sb;
	if (fread(&h, sizeof h, 1, fp) != 1 || memcmp(h.magic, CACHE_MAGIC, 8) != 0 ||
	    h.version != CACHE_VERSION) {
		st = qcq_error_set(err, QCQ_EFORMAT, "%s: offset 0: not a qcqlab feature cache file "
				   "(or another version)", path);
		goto done;
	}
	if (h.key != key) {
		st = qcq_error_set(err, QCQ_EFORMAT, "%s: offset 48: key %016llx, expected %016llx",
				   path, (unsigned long long)h.key, (unsigned long long)key);
		goto done;
	}
	for (int p = 0; p < DATA_NPARTS; p++)
		if (h.n[p] != expect_n[p]) {
			st = qcq_error_set(err, QCQ_EFORMAT, "%s: offset %d: %s has %llu images, the split "
					   "has %zu", path, 24 + 8 * p, data_part_names[p],
					   (unsigned long long)h.n[p], expect_n[p]);
			goto done;
		}
	if ((st = data_features_create(expect_n, (int)h.c, (int)h.oh, (int)h.ow, &f, err)))
		goto done;
	size_t total = sizeof h;
	for (int p = 0; p < DATA_NPARTS; p++)
		total += features_floats(f, p) * sizeof(float);
	if (fstat(fileno(fp), &sb) != 0 || (size_t)sb.st_size != total) {
		st = qcq_error_set(err, QCQ_EFORMAT, "%s: %lld bytes, the header says %zu", path,
				   (long long)sb.st_size, total);
		goto done;
	}
	for (int p = 0; p < DATA_NPARTS; p++)
		if (f->n[p] &&
		    fread(f->part[p], sizeof(float), features_floats(f, p), fp) != features_floats(f, p)) {
			st = qcq_error_errno(err, errno, "%s: read failed", path);
			goto done;
		}
	if (features_checksum(f) != h.checksum) {
		st = qcq_error_set(err, QCQ_EFORMAT, "%s: checksum mismatch (the file is corrupt)",
				   path);
		goto done;
	}
	f->key = key;
	*out = f;
	f = NULL;
done:
	fclose(fp);
	data_features_free(f);
	return st;
}
