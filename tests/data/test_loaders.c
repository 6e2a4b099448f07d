/*
 * tests/data/test_loaders.c: every loader on small files the test writes itself, and
 * every bad-input case (wrong magic, truncation, a header claiming 2^31 images, a 0x0
 * image, a text file named .png, an empty class folder, mixed sizes): an error naming
 * the file and offset or entry, nothing returned, no crash.
 */
#include "../check.h"
#include "util.h"

static struct qcq_error err;

/* ---------------------------------------------------------------- resize */

static void test_resize(void)
{
	float in[16], out[16];
	for (int i = 0; i < 16; i++)
		in[i] = (float)i;
	data_resize(out, 4, 4, in, 4, 4);
	CHECK(memcmp(in, out, sizeof in) == 0);
	/* area 4x4 -> 2x2: means of 2x2 blocks */
	data_resize(out, 2, 2, in, 4, 4);
	CHECK_NEAR(out[0], (0 + 1 + 4 + 5) / 4.0, 1e-6);
	CHECK_NEAR(out[3], (10 + 11 + 14 + 15) / 4.0, 1e-6);
	/* area with a fractional ratio keeps the mean of a constant and of a ramp */
	float ramp[49], o3[9];
	for (int i = 0; i < 49; i++)
		ramp[i] = 0.5f;
	data_resize(o3, 3, 3, ramp, 7, 7);
	for (int i = 0; i < 9; i++)
		CHECK_NEAR(o3[i], 0.5, 1e-6);
	/* bilinear 2x2 -> 4x4: centres aligned, clamped edges */
	float s[4] = {0, 1, 0, 1}, u[16];
	data_resize(u, 4, 4, s, 2, 2);
	CHECK_NEAR(u[0], 0, 1e-6);
	CHECK_NEAR(u[1], 0.25, 1e-6);
	CHECK_NEAR(u[2], 0.75, 1e-6);
	CHECK_NEAR(u[3], 1, 1e-6);
	/* mixed: shrink rows, grow columns */
	float m[8] = {0, 1, 0, 1, 0, 1, 0, 1}, mo[4 * 1];
	data_resize(mo, 1, 4, m, 4, 2);
	CHECK_NEAR(mo[0], 0, 1e-6);
	CHECK_NEAR(mo[3], 1, 1e-6);
}

/* ---------------------------------------------------------------- IDX */

static void write_pair(const char *img, const char *lab, uint32_t n, bool gz)
{
	uint8_t *px = malloc((size_t)n * 4 * 3), *lb = malloc(n);
	for (size_t i = 0; i < (size_t)n * 12; i++)
		px[i] = (uint8_t)(i * 7);
	for (uint32_t i = 0; i < n; i++)
		lb[i] = (uint8_t)(i % 3);
	uint8_t *buf = malloc(16 + (size_t)n * 12);
	size_t k = util_idx(buf, 3, n, 4, 3, px);
	(gz ? util_write_gz : util_write)(img, buf, k);
	k = util_idx(buf, 1, n, 0, 0, lb);
	(gz ? util_write_gz : util_write)(lab, buf, k);
	free(buf);
	free(px);
	free(lb);
}

static void test_idx_plain_and_gz(void)
{
	for (int gz = 0; gz < 2; gz++) {
		const char *img = util_path("i%d.idx", gz), *lab = util_path("l%d.idx", gz);
		write_pair(img, lab, 5, gz);
		struct data_set *ds = NULL;
		CHECK(data_load_idx(img, lab, &ds, &err) == QCQ_OK);
		if (!ds)
			continue;
		CHECK(ds->n == 5 && ds->h == 4 && ds->w == 3 && ds->nclasses == 3);
		CHECK_NEAR(ds->images[1], 7 / 255.0, 1e-7);
		CHECK_NEAR(ds->images[59], (uint8_t)(59 * 7) / 255.0, 1e-7);
		CHECK(ds->labels[4] == 1);
		CHECK_STR_CONTAINS(ds->source, "idx");
		data_set_free(ds);
	}
}

static void test_idx_dir(void)
{
	const char *d = util_path("mn");
	util_mkdir(d);
	write_pair(util_path("mn/train-images-idx3-ubyte.gz"), util_path("mn/train-labels-idx1-ubyte.gz"),
		   6, true);
	write_pair(util_path("mn/t10k-images-idx3-ubyte"), util_path("mn/t10k-labels-idx1-ubyte"), 2,
		   false);
	struct qcq_pool *pool = qcq_pool_create(2);
	struct data_set *ds = NULL;
	CHECK(data_load_idx_dir(d, pool, &ds, &err) == QCQ_OK);
	if (ds) {
		CHECK(ds->n == 8);
		CHECK(ds->labels[6] == 0 && ds->labels[7] == 1);
		CHECK_STR_CONTAINS(ds->source, "train 6 + t10k 2");
		data_set_free(ds);
	}
	/* a single pair with another stem */
	const char *d2 = util_path("single");
	util_mkdir(d2);
	write_pair(util_path("single/all-images-idx3-ubyte.gz"),
		   util_path("single/all-labels-idx1-ubyte.gz"), 4, true);
	ds = NULL;
	CHECK(data_load_idx_dir(d2, NULL, &ds, &err) == QCQ_OK);
	CHECK(ds && ds->n == 4);
	data_set_free(ds);
	/* images without labels */
	const char *d3 = util_path("nolab");
	util_mkdir(d3);
	write_pair(util_path("nolab/train-images-idx3-ubyte"), util_path("x-unrelated"), 2, false);
	CHECK(data_load_idx_dir(d3, NULL, &ds, &err) == QCQ_EIO);
	CHECK_STR_CONTAINS(err.msg, "train-labels-idx1-ubyte");
	CHECK(data_load_idx_dir(util_path("empty-none"), NULL, &ds, &err) == QCQ_EIO);
	util_mkdir(util_path("empty-dir"));
	CHECK(data_load_idx_dir(util_path("empty-dir"), NULL, &ds, &err) == QCQ_EIO);
	CHECK_STR_CONTAINS(err.msg, "no *-images-idx3-ubyte");
	qcq_pool_destroy(pool);
}

static void test_idx_bad(void)
{
	uint8_t buf[256] = {0};
	struct data_idx h;
	struct data_set *ds = (struct data_set *)0x1; /* must stay untouched */
	/* wrong magic */
	size_t k = util_idx(buf, 3, 2, 2, 2, NULL);
	buf[0] = 0x1f;
	CHECK(data_idx_parse(buf, k, "m.idx", &h, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "m.idx: offset 0: bad idx magic");
	/* unsupported type, bad ndim, short header */
	k = util_idx(buf, 3, 2, 2, 2, NULL);
	buf[2] = 0x0d;
	CHECK(data_idx_parse(buf, k, "t.idx", &h, &err) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(err.msg, "offset 2: idx data type 0x0d");
	buf[2] = 8;
	buf[3] = 2;
	CHECK(data_idx_parse(buf, k, "t.idx", &h, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "offset 3: idx with 2 dimensions");
	CHECK(data_idx_parse(buf, 3, "t.idx", &h, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "too short");
	k = util_idx(buf, 3, 2, 2, 2, NULL);
	CHECK(data_idx_parse(buf, 10, "t.idx", &h, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "offset 10: truncated idx header");
	/* truncated data and trailing bytes */
	CHECK(data_idx_parse(buf, k - 1, "t.idx", &h, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "truncated: the header says 8 bytes of data, the file has 7");
	CHECK(data_idx_parse(buf, k + 1, "t.idx", &h, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "1 bytes after the end");
	/* zero images, zero rows */
	k = util_idx(buf, 3, 0, 2, 2, NULL);
	CHECK(data_idx_parse(buf, k, "z.idx", &h, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "holds 0 items");
	k = util_idx(buf, 3, 2, 0, 0, NULL);
	CHECK(data_idx_parse(buf, k, "z.idx", &h, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "offset 8: idx dimension 1 is 0");
	/* 2^31 images: refused from the header, as a file too (plain and gzip) */
	k = util_idx(buf, 3, 2u << 30, 28, 28, NULL);
	CHECK(data_idx_parse(buf, k, "big.idx", &h, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "offset 4: idx dimension 0 is 2147483648");
	util_write(util_path("big.idx"), buf, 16);
	util_write_gz(util_path("big.idx.gz"), buf, 16);
	uint8_t *fb;
	size_t fn;
	CHECK(data_idx_read_file(util_path("big.idx"), &fb, &fn, &err) == QCQ_ERANGE);
	CHECK(data_idx_read_file(util_path("big.idx.gz"), &fb, &fn, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "big.idx.gz: offset 4");
	/* 10 million images claimed (under the limits), 16 bytes present: truncated, and
	 * the buffer only grew as far as the data that arrived */
	k = util_idx(buf, 3, 10000000, 28, 28, NULL);
	util_write_gz(util_path("claim.idx.gz"), buf, 16 + 100);
	CHECK(data_idx_read_file(util_path("claim.idx.gz"), &fb, &fn, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "claim.idx.gz: offset 116: truncated");
	/* a corrupt gzip stream */
	util_write_gz(util_path("c.gz"), buf, 16 + 100);
	{
		FILE *fp = fopen(util_path("c.gz"), "r+b");
		fseek(fp, 12, SEEK_SET);
		fputs("garbage!garbage!", fp);
		fclose(fp);
	}
	CHECK(data_idx_read_file(util_path("c.gz"), &fb, &fn, &err) != QCQ_OK);
	CHECK_STR_CONTAINS(err.msg, "c.gz");
	/* labels that do not match */
	write_pair(util_path("a-img"), util_path("a-lab"), 3, false);
	write_pair(util_path("b-img"), util_path("b-lab"), 4, false);
	CHECK(data_load_idx(util_path("a-img"), util_path("b-lab"), &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "4 labels for 3 images");
	CHECK(data_load_idx(util_path("a-lab"), util_path("a-img"), &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "expected 3 (images)");
	CHECK(data_load_idx(util_path("a-img"), util_path("a-img"), &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "expected 1 (labels)");
	/* the label file's header is checked before the images are inflated: 10 million
	 * images claimed (7.8 GB, data cut short) against 5 labels names the mismatch, not
	 * the images' truncation that inflating them first would find */
	uint8_t lab5[16];
	util_write(util_path("five-lab"), lab5, util_idx(lab5, 1, 5, 0, 0, (const uint8_t *)"\1\2\3\4\5"));
	CHECK(data_load_idx(util_path("claim.idx.gz"), util_path("five-lab"), &ds, &err) ==
	      QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "five-lab: offset 4: 5 labels for 10000000 images in ");
	CHECK(data_load_idx(util_path("a-img"), util_path("c.gz"), &ds, &err) != QCQ_OK);
	CHECK(data_load_idx(util_path("nope"), util_path("a-lab"), &ds, &err) == QCQ_EIO);
	CHECK_STR_CONTAINS(err.msg, "nope: cannot open");
	CHECK(ds == (struct data_set *)0x1);
}

/* ---------------------------------------------------------------- NPY */

static void test_npy_roundtrip(void)
{
	float v[24];
	for (int i = 0; i < 24; i++)
		v[i] = (float)i * 0.5f;
	size_t shape[3] = {2, 3, 4};
	enum data_dtype types[3] = {DATA_F32, DATA_U8, DATA_F64};
	for (int t = 0; t < 3; t++) {
		const char *p = util_path("rt%d.npy", t);
		CHECK(data_npy_write(p, types[t], shape, 3, v, &err) == QCQ_OK);
		struct data_array a;
		CHECK(data_npy_read(p, &a, &err) == QCQ_OK);
		CHECK(a.ndim == 3 && a.shape[0] == 2 && a.shape[2] == 4 && a.count == 24);
		CHECK(a.dtype == types[t]);
		CHECK_NEAR(a.v[5], types[t] == DATA_U8 ? 2 /* 2.5 rounds to even */ : 2.5, 1e-6);
		CHECK_NEAR(a.v[23], types[t] == DATA_U8 ? 12 : 11.5, 1e-6);
		data_array_free(&a);
		/* header is padded to a multiple of 64 bytes (the format's rule) */
		char *raw;
		size_t n;
		qcq_read_file(p, 1 << 20, &raw, &n, &err);
		CHECK((10 + (size_t)((uint8_t)raw[8] | (uint8_t)raw[9] << 8)) % 64 == 0);
		free(raw);
	}
	size_t s1[1] = {3};
	CHECK(data_npy_write(util_path("one.npy"), DATA_F32, s1, 1, v, &err) == QCQ_OK);
	struct data_array a;
	CHECK(data_npy_read(util_path("one.npy"), &a, &err) == QCQ_OK && a.ndim == 1 && a.count == 3);
	data_array_free(&a);
	CHECK(data_npy_write(util_path("z.npy"), DATA_F32, s1, 0, v, &err) == QCQ_EINVAL);
}

/* .npy bytes with a given header dict and payload size */
static size_t make_npy(uint8_t *out, const char *dict, size_t payload)
{
	size_t dl = strlen(dict);
	memcpy(out, "\x93NUMPY\x01\x00", 8);
	out[8] = (uint8_t)(dl + 1);
	out[9] = 0;
	memcpy(out + 10, dict, dl);
	out[10 + dl] = '\n';
	memset(out + 11 + dl, 0, payload);
	return 11 + dl + payload;
}

static void test_npy_bad(void)
{
	uint8_t b[512];
	struct data_array a = {0};
	size_t n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 24);
	CHECK(data_npy_parse(b, n, "ok.npy", &a, &err) == QCQ_OK);
	data_array_free(&a);
	CHECK(data_npy_parse(b, n - 1, "short.npy", &a, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "short.npy: offset 70: npy shape needs 6 x 4 bytes");
	b[0] = 'X';
	CHECK(data_npy_parse(b, n, "m.npy", &a, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "m.npy: offset 0: not an npy file");
	n = make_npy(b, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8);
	CHECK(data_npy_parse(b, n, "be.npy", &a, &err) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(err.msg, "npy dtype '>f4'");
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 8);
	CHECK(data_npy_parse(b, n, "f.npy", &a, &err) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(err.msg, "Fortran order");
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, }", 8);
	CHECK(data_npy_parse(b, n, "s.npy", &a, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "lacks 'shape'");
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 8);
	CHECK(data_npy_parse(b, n, "s.npy", &a, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "bad npy shape");
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': 2, }", 8);
	CHECK(data_npy_parse(b, n, "s.npy", &a, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "not a tuple");
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4);
	CHECK(data_npy_parse(b, n, "s.npy", &a, &err) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(err.msg, "scalar");
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1), }", 4);
	CHECK(data_npy_parse(b, n, "s.npy", &a, &err) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(err.msg, "more than 6 dimensions");
	/* a claim of 2^31 x 2^31 elements: refused, nothing allocated */
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648, 2147483648), }", 0);
	CHECK(data_npy_parse(b, n, "huge.npy", &a, &err) == QCQ_ERANGE);
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648, 28), }", 0);
	CHECK(data_npy_parse(b, n, "huge.npy", &a, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "needs 60129542144 x 4 bytes");
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0);
	CHECK(data_npy_parse(b, n, "huge.npy", &a, &err) == QCQ_ERANGE);
	/* header length past the end; version 4 */
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
	b[9] = 0x7f;
	CHECK(data_npy_parse(b, n, "h.npy", &a, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "runs past the end");
	b[9] = 0;
	b[6] = 4;
	CHECK(data_npy_parse(b, n, "v.npy", &a, &err) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(err.msg, "version 4.0");
	b[6] = 2;
	CHECK(data_npy_parse(b, 11, "v2.npy", &a, &err) == QCQ_EFORMAT);
	/* NaN */
	n = make_npy(b, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
	float nan = NAN;
	memcpy(b + n - 4, &nan, 4);
	CHECK(data_npy_parse(b, n, "nan.npy", &a, &err) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(err.msg, "entry 1 is not a finite");
	n = make_npy(b, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 8);
	double big = 1e300;
	memcpy(b + n - 8, &big, 8);
	CHECK(data_npy_parse(b, n, "big.npy", &a, &err) == QCQ_ENUMERIC);
	CHECK(a.v == NULL);
}

static void test_npy_images_and_features(void)
{
	/* (2, 2, 3) uint8 images with labels */
	float px[12] = {0, 255, 51, 0, 0, 0, 255, 255, 255, 0, 0, 0};
	size_t s[3] = {2, 2, 3}, sl[1] = {2};
	float lab[2] = {1, 4};
	data_npy_write(util_path("im.npy"), DATA_U8, s, 3, px, &err);
	data_npy_write(util_path("lab.npy"), DATA_F32, sl, 1, lab, &err);
	struct data_array im, lb;
	CHECK(data_npy_read(util_path("im.npy"), &im, &err) == QCQ_OK);
	CHECK(data_npy_read(util_path("lab.npy"), &lb, &err) == QCQ_OK);
	struct data_set *ds = NULL;
	CHECK(data_set_from_arrays(&im, &lb, "im.npy", &ds, &err) == QCQ_OK);
	if (ds) {
		CHECK(ds->n == 2 && ds->h == 2 && ds->w == 3 && ds->nclasses == 5);
		CHECK_NEAR(ds->images[2], 0.2, 1e-6);
		CHECK(ds->labels[1] == 4);
		CHECK_STR_CONTAINS(ds->source, "divided by 255");
		data_set_free(ds);
	}
	/* float out of range: min-max; (n, h*w) square; wrong labels */
	for (int i = 0; i < 12; i++)
		im.v[i] = (float)i - 20;
	im.dtype = DATA_F32;
	im.ndim = 2;
	im.shape[0] = 3;
	im.shape[1] = 4;
	CHECK(data_set_from_arrays(&im, NULL, "f", &ds, &err) == QCQ_OK);
	if (ds) {
		CHECK(ds->n == 3 && ds->h == 2);
		CHECK_NEAR(ds->images[0], 0, 1e-6);
		CHECK_NEAR(ds->images[11], 1, 1e-6);
		CHECK_STR_CONTAINS(ds->source, "min-max");
		data_set_free(ds);
	}
	CHECK(data_set_from_arrays(&im, &lb, "f", &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "labels of 1 dimensions and 2 entries for 3 images");
	im.shape[0] = 2;
	im.shape[1] = 6;
	CHECK(data_set_from_arrays(&im, NULL, "f", &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "not a square");
	im.shape[1] = 4;
	lb.v[1] = 1.5f;
	CHECK(data_set_from_arrays(&im, &lb, "f", &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "label entry 1 is 1.5");
	data_array_free(&im);
	data_array_free(&lb);
	/* float32 extremes: hi - lo overflows float (a fuzz_npy finding); results stay in [0,1] */
	float ext[4] = {-3e38f, 3e38f, 0, 1};
	struct data_array ea = {.ndim = 3, .shape = {1, 2, 2}, .count = 4, .dtype = DATA_F32, .v = ext};
	CHECK(data_set_from_arrays(&ea, NULL, "ext", &ds, &err) == QCQ_OK);
	if (ds) {
		CHECK(ds->images[0] == 0 && ds->images[1] == 1);
		CHECK_NEAR(ds->images[2], 0.5, 1e-6);
		data_set_free(ds);
	}
	/* the paper's (N, 14, 14, 4) float32 features -> NCHW */
	size_t fs[4] = {2, 14, 14, 4};
	float *fv = malloc(2 * 14 * 14 * 4 * sizeof(float));
	for (int i = 0; i < 2 * 14 * 14 * 4; i++)
		fv[i] = (float)i;
	data_npy_write(util_path("feat.npy"), DATA_F32, fs, 4, fv, &err);
	struct data_array fa;
	CHECK(data_npy_read(util_path("feat.npy"), &fa, &err) == QCQ_OK);
	CHECK(data_set_from_arrays(&fa, NULL, "feat.npy", &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "with several channels");
	struct data_features *f = NULL;
	CHECK(data_features_from_nhwc(&fa, DATA_TRAIN, &f, &err) == QCQ_OK);
	if (f) {
		CHECK(f->c == 4 && f->oh == 14 && f->ow == 14 && f->n[0] == 2 && f->n[1] == 0);
		/* out[i][k][y][x] = in[i][y][x][k] */
		int i = 1, k = 2, y = 5, x = 7;
		CHECK(f->part[0][((i * 4 + k) * 14 + y) * 14 + x] == fv[((i * 14 + y) * 14 + x) * 4 + k]);
		data_features_free(f);
	}
	fa.ndim = 3;
	CHECK(data_features_from_nhwc(&fa, DATA_TRAIN, &f, &err) == QCQ_EFORMAT);
	data_array_free(&fa);
	free(fv);
}

/* ---------------------------------------------------------------- CSV */

static void test_csv(void)
{
	const char *ok = "label,p0,p1,p2,p3\n3,0,255,51,0\n\n1, 0 ,0,0,255\r\n";
	struct data_set *ds = NULL;
	CHECK(data_csv_parse(ok, strlen(ok), "ok.csv", &ds, &err) == QCQ_OK);
	if (ds) {
		CHECK(ds->n == 2 && ds->h == 2 && ds->w == 2 && ds->nclasses == 4);
		CHECK_NEAR(ds->images[1], 1, 1e-6);
		CHECK_NEAR(ds->images[2], 0.2, 1e-6);
		CHECK(ds->labels[0] == 3 && ds->labels[1] == 1);
		data_set_free(ds);
	}
	const char *unit = "0,0.5,1,0,0.25";
	CHECK(data_csv_parse(unit, strlen(unit), "u.csv", &ds, &err) == QCQ_OK);
	if (ds) {
		CHECK_NEAR(ds->images[0], 0.5, 1e-6);
		data_set_free(ds);
	}
	util_write(util_path("f.csv"), ok, strlen(ok));
	CHECK(data_load_csv(util_path("f.csv"), &ds, &err) == QCQ_OK);
	data_set_free(ds);
	ds = (struct data_set *)0x1;
	struct {
		const char *text, *msg;
	} bad[] = {
		{"1,2,3,4,5\n1,2,x,4,5\n", "bad.csv: line 2: field 3: 'x' is not a number"},
		{"1,2,3,4,5\n1,2,3,4\n", "line 2: 3 pixels, expected 4"},
		{"1,2,3,4,5\n1,2,3,4,5,6\n", "line 2: more than 4 pixels"},
		{"1,2,3\n", "2 pixels per row is not a square"},
		{"h,a,b\n", "no data rows"},
		{"", "no data rows"},
		{"1,2,3,4,5\nx,1,2,3,4\n", "line 2: field 1: label 'x' is not a number"},
		{"1.5,2,3,4,5\n", "label 1.5 is not an integer"},
		{"1,2,3,4,300\n", "field 5: pixel 300 out of range"},
		{"1,2,,4,5\n", "field 3: '' is not a number"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(data_csv_parse(bad[i].text, strlen(bad[i].text), "bad.csv", &ds, &err) != QCQ_OK);
		CHECK_STR_CONTAINS(err.msg, bad[i].msg);
	}
	/* a field starting with a NUL byte is not 0; and bytes from the file that would
	 * drive a terminal (ESC, BEL, C1 CSI) come out escaped */
	const char nul[] = "1,2,3,4,5\n1,2,\0007,4,5\n";
	CHECK(data_csv_parse(nul, sizeof nul - 1, "nul.csv", &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "nul.csv: line 2: field 3: '\\x007' is not a number");
	const char esc[] = "1,2,3,4,5\n1,\033]0;pwned\007\033[2J,3,4,5\n";
	CHECK(data_csv_parse(esc, sizeof esc - 1, "esc.csv", &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "field 2: '\\x1b]0;pwned\\x07\\x1b[2J' is not a number");
	const char c1[] = "1,2,3,4,5\n1,\302\2332J,3,4,5\n";
	CHECK(data_csv_parse(c1, sizeof c1 - 1, "c1.csv", &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "field 2: '\\x9b2J' is not a number");
	for (const char *m = err.msg; *m; m++)
		CHECK((unsigned char)*m >= 0x20 && *m != 0x7f);
	CHECK(ds == (struct data_set *)0x1);
}

/* ---------------------------------------------------------------- PNG / JPEG */

static float ramp(int y, int x, int h, int w)
{
	return (float)((y * w + x) * 255 / (h * w - 1)) / 255.0f;
}

static void test_png_types(void)
{
	struct {
		int ct, bd;
		bool il, red;
		const char *name;
	} cases[] = {
		{PNG_COLOR_TYPE_GRAY, 8, false, false, "g8"},
		{PNG_COLOR_TYPE_GRAY, 16, false, false, "g16"},
		{PNG_COLOR_TYPE_GRAY_ALPHA, 8, false, false, "ga8"},
		{PNG_COLOR_TYPE_RGB, 8, false, false, "rgb8"},
		{PNG_COLOR_TYPE_RGB, 16, false, false, "rgb16"},
		{PNG_COLOR_TYPE_RGBA, 8, false, false, "rgba8"},
		{PNG_COLOR_TYPE_PALETTE, 8, false, false, "pal8"},
		{PNG_COLOR_TYPE_GRAY, 8, true, false, "g8i"},
		{PNG_COLOR_TYPE_RGB, 8, false, true, "red"},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const char *p = util_path("%s.png", cases[c].name);
		util_png(p, 5, 7, cases[c].ct, cases[c].bd, cases[c].il, cases[c].red);
		float *px = NULL;
		int h = 0, w = 0;
		CHECK(data_read_image(p, &px, &h, &w, &err) == QCQ_OK);
		if (!px) {
			fprintf(stderr, "  %s: %s\n", cases[c].name, err.msg);
			continue;
		}
		CHECK(h == 5 && w == 7);
		double maxerr = 0;
		for (int y = 0; y < 5; y++)
			for (int x = 0; x < 7; x++) {
				double want = ramp(y, x, 5, 7) * (cases[c].red ? 0.299 : 1.0);
				double e = fabs(px[y * 7 + x] - want);
				maxerr = e > maxerr ? e : maxerr;
			}
		if (maxerr > 2.5 / 255)
			fprintf(stderr, "  %s: max error %g\n", cases[c].name, maxerr);
		CHECK(maxerr <= 2.5 / 255);
		free(px);
	}
	/* 1-bit gray */
	{
		const char *p = util_path("g1.png");
		FILE *fp = fopen(p, "wb");
		png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
		png_infop info = png_create_info_struct(png);
		png_init_io(png, fp);
		png_set_IHDR(png, info, 8, 1, 1, PNG_COLOR_TYPE_GRAY, 0, 0, 0);
		png_write_info(png, info);
		png_byte row[1] = {0xa0}; /* 1010 0000 */
		png_write_row(png, row);
		png_write_end(png, NULL);
		png_destroy_write_struct(&png, &info);
		fclose(fp);
		float *px;
		int h, w;
		CHECK(data_read_image(p, &px, &h, &w, &err) == QCQ_OK);
		if (px == NULL)
			return;
		CHECK(w == 8 && px[0] == 1 && px[1] == 0 && px[2] == 1 && px[3] == 0);
		free(px);
	}
}

static void test_jpeg(void)
{
	for (int rgb = 0; rgb < 2; rgb++) {
		const char *p = util_path("j%d.jpg", rgb);
		util_jpeg(p, 16, 32, rgb);
		float *px = NULL;
		int h, w;
		CHECK(data_read_image(p, &px, &h, &w, &err) == QCQ_OK);
		if (!px)
			continue;
		CHECK(h == 16 && w == 32);
		double maxerr = 0;
		for (int x = 0; x < 32; x++) {
			double e = fabs(px[3 * 32 + x] - (x * 255 / 31) / 255.0);
			maxerr = e > maxerr ? e : maxerr;
		}
		CHECK(maxerr < 6.0 / 255);
		free(px);
	}
}

/* PNG chunk with CRC */
static size_t png_chunk(uint8_t *o, const char *type, const uint8_t *data, uint32_t n)
{
	o[0] = (uint8_t)(n >> 24), o[1] = (uint8_t)(n >> 16), o[2] = (uint8_t)(n >> 8), o[3] = (uint8_t)n;
	memcpy(o + 4, type, 4);
	if (n)
		memcpy(o + 8, data, n);
	uLong crc = crc32(0, o + 4, 4 + n);
	o[8 + n] = (uint8_t)(crc >> 24), o[9 + n] = (uint8_t)(crc >> 16);
	o[10 + n] = (uint8_t)(crc >> 8), o[11 + n] = (uint8_t)crc;
	return 12 + n;
}

static void test_image_bad(void)
{
	float *px = (float *)0x1;
	int h, w;
	/* a text file named .png */
	const char *t = "this is not an image\n";
	util_write(util_path("text.png"), t, strlen(t));
	CHECK(data_read_image(util_path("text.png"), &px, &h, &w, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "text.png: offset 0: not a png or jpeg file (starts with 74 68 69 73)");
	util_write(util_path("empty.png"), "", 0);
	CHECK(data_read_image(util_path("empty.png"), &px, &h, &w, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "empty.png: offset 0: empty file");
	/* a 0x0 PNG (valid chunk CRCs) */
	uint8_t b[256];
	memcpy(b, "\x89PNG\r\n\x1a\n", 8);
	uint8_t ihdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0};
	size_t n = 8 + png_chunk(b + 8, "IHDR", ihdr, 13);
	n += png_chunk(b + n, "IEND", NULL, 0);
	util_write(util_path("zero.png"), b, n);
	CHECK(data_read_image(util_path("zero.png"), &px, &h, &w, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "zero.png: offset");
	CHECK_STR_CONTAINS(err.msg, "png: ");
	/* a huge PNG (100000 x 100000) refused by the header */
	ihdr[1] = 1, ihdr[2] = 0x86, ihdr[3] = 0xa0, ihdr[5] = 1, ihdr[6] = 0x86, ihdr[7] = 0xa0;
	n = 8 + png_chunk(b + 8, "IHDR", ihdr, 13);
	n += png_chunk(b + n, "IEND", NULL, 0);
	util_write(util_path("huge.png"), b, n);
	CHECK(data_read_image(util_path("huge.png"), &px, &h, &w, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "huge.png");
	/* truncated PNG and JPEG */
	util_png(util_path("full.png"), 20, 20, PNG_COLOR_TYPE_RGB, 8, false, false);
	util_jpeg(util_path("full.jpg"), 20, 20, true);
	const char *srcs[2] = {"full.png", "full.jpg"};
	for (int k = 0; k < 2; k++) {
		char *raw;
		size_t rn;
		qcq_read_file(util_path("%s", srcs[k]), 1 << 20, &raw, &rn, &err);
		util_write(util_path("cut-%s", srcs[k]), raw, rn / 2);
		free(raw);
		enum qcq_status st = data_read_image(util_path("cut-%s", srcs[k]), &px, &h, &w, &err);
		/* libjpeg recovers truncated data with a warning (gray fill): an error too */
		CHECK(st == QCQ_EFORMAT);
		CHECK_STR_CONTAINS(err.msg, k == 0 ? "cut-full.png: offset" :
				   "cut-full.jpg: jpeg: corrupt data: ");
		CHECK(px == (float *)0x1);
	}
	/* a JPEG whose entropy-coded data is damaged: a marker where none may be (RST5
	 * without restart intervals), or bytes overwritten in the middle of the scan */
	char *raw;
	size_t rn;
	CHECK(qcq_read_file(util_path("full.jpg"), 1 << 20, &raw, &rn, &err) == QCQ_OK);
	size_t sos = 0;
	for (size_t i = 2; i + 1 < rn; i++)
		if ((uint8_t)raw[i] == 0xff && (uint8_t)raw[i + 1] == 0xda)
			sos = i;
	CHECK(sos > 0 && sos + 40 < rn);
	size_t mid = sos + (rn - sos) / 2;
	/* cut in the middle of the scan: libjpeg fills the rest with grey */
	util_write(util_path("half-scan.jpg"), raw, mid);
	CHECK(data_read_image(util_path("half-scan.jpg"), &px, &h, &w, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "half-scan.jpg: jpeg: corrupt data: ");
	CHECK(px == (float *)0x1);
	char *bad = malloc(rn);
	memcpy(bad, raw, rn);
	bad[mid] = (char)0xff, bad[mid + 1] = (char)0xd5;
	util_write(util_path("marker.jpg"), bad, rn);
	CHECK(data_read_image(util_path("marker.jpg"), &px, &h, &w, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "marker.jpg: jpeg: corrupt data: ");
	CHECK(px == (float *)0x1);
	memcpy(bad, raw, rn);
	memset(bad + mid, 0xfe, 12);
	util_write(util_path("garbage.jpg"), bad, rn);
	CHECK(data_read_image(util_path("garbage.jpg"), &px, &h, &w, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "garbage.jpg: jpeg: corrupt data: ");
	free(bad);
	free(raw);
	/* a JPEG header only */
	uint8_t jh[4] = {0xff, 0xd8, 0xff, 0xe0};
	util_write(util_path("hdr.jpg"), jh, 4);
	CHECK(data_read_image(util_path("hdr.jpg"), &px, &h, &w, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "hdr.jpg: jpeg: ");
	CHECK(px == (float *)0x1);
	CHECK(data_read_image(util_path("missing.png"), &px, &h, &w, &err) == QCQ_EIO);
}

/* ---------------------------------------------------------------- folders */

static void test_folder(void)
{
	char root[1024]; /* util_path's buffers rotate */
	snprintf(root, sizeof root, "%s", util_path("imgs"));
	util_mkdir(root);
	util_mkdir(util_path("imgs/cat"));
	util_mkdir(util_path("imgs/dog"));
	util_png(util_path("imgs/cat/a.png"), 56, 56, PNG_COLOR_TYPE_GRAY, 8, false, false);
	util_png(util_path("imgs/cat/b.png"), 14, 14, PNG_COLOR_TYPE_RGB, 8, false, false);
	util_jpeg(util_path("imgs/dog/c.jpg"), 40, 30, true);
	util_write(util_path("imgs/dog/notes.txt"), "x", 1);
	struct qcq_pool *pool = qcq_pool_create(2);
	struct data_set *ds = NULL;
	CHECK(data_load_folder(root, 28, 28, pool, &ds, &err) == QCQ_OK);
	if (ds) {
		CHECK(ds->n == 3 && ds->h == 28 && ds->nclasses == 2);
		CHECK(strcmp(ds->class_names[0], "cat") == 0 && strcmp(ds->class_names[1], "dog") == 0);
		CHECK(ds->labels[0] == 0 && ds->labels[1] == 0 && ds->labels[2] == 1);
		/* area: a 56->28 ramp keeps its mean */
		double m = 0;
		for (int i = 0; i < 784; i++)
			m += ds->images[i];
		CHECK_NEAR(m / 784, 0.5, 0.01);
		data_set_free(ds);
		ds = NULL;
	}
	/* the same layout, nested in parts, with a class missing from one part */
	util_mkdir(util_path("nest"));
	util_mkdir(util_path("nest/Training"));
	util_mkdir(util_path("nest/Testing"));
	util_mkdir(util_path("nest/Training/a"));
	util_mkdir(util_path("nest/Training/b"));
	util_mkdir(util_path("nest/Testing/b"));
	util_png(util_path("nest/Training/a/1.png"), 8, 8, PNG_COLOR_TYPE_GRAY, 8, false, false);
	util_png(util_path("nest/Training/b/1.png"), 8, 8, PNG_COLOR_TYPE_GRAY, 8, false, false);
	util_png(util_path("nest/Testing/b/2.png"), 8, 8, PNG_COLOR_TYPE_GRAY, 8, false, false);
	CHECK(data_load_folder(util_path("nest"), 0, 0, NULL, &ds, &err) == QCQ_OK);
	if (ds) {
		CHECK(ds->n == 3 && ds->nclasses == 2 && ds->h == 8);
		CHECK(ds->labels[2] == 1);
		data_set_free(ds);
	}
	ds = (struct data_set *)0x1;
	/* mixed sizes at native size: an error naming the file */
	CHECK(data_load_folder(root, 0, 0, pool, &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "imgs/cat/b.png: image is 14x14, the first image");
	/* empty class folder */
	util_mkdir(util_path("imgs/empty"));
	CHECK(data_load_folder(root, 28, 28, pool, &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "imgs/empty: empty class folder");
	/* a text file named .png */
	util_write(util_path("imgs/empty/z.png"), "hello", 5);
	CHECK(data_load_folder(root, 28, 28, pool, &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "imgs/empty/z.png: offset 0: not a png or jpeg");
	/* no class folders; a missing folder; bad sizes */
	util_mkdir(util_path("flat"));
	CHECK(data_load_folder(util_path("flat"), 28, 28, pool, &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "no class subfolders");
	CHECK(data_load_folder(util_path("nowhere"), 28, 28, pool, &ds, &err) == QCQ_EIO);
	CHECK(data_load_folder(root, 0, 28, pool, &ds, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "target size 28x0 out of range");
	CHECK(ds == (struct data_set *)0x1);
	qcq_pool_destroy(pool);
}

int main(void)
{
	RUN(test_resize);
	RUN(test_idx_plain_and_gz);
	RUN(test_idx_dir);
	RUN(test_idx_bad);
	RUN(test_npy_roundtrip);
	RUN(test_npy_bad);
	RUN(test_npy_images_and_features);
	RUN(test_csv);
	RUN(test_png_types);
	RUN(test_jpeg);
	RUN(test_image_bad);
	RUN(test_folder);
	util_cleanup();
	return check_summary();
}
