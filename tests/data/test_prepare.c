/*
 * tests/data/test_prepare.c: the synthetic digits, class selection, splits, statistics,
 * the feature cache, PNG output, SHA-256 and fetching (its failure paths: this machine
 * has no network).
 */
#include "../check.h"
#include "util.h"

#include <dirent.h>

static struct qcq_error err;

/* recorded from the build before K-class tasks (test_split_binary_unchanged) */
#define BINARY_BALANCED_HASH 0x13463da498c45330ull
#define BINARY_STRATIFIED_HASH 0x37168025b465f48ull

/* ---------------------------------------------------------------- synth */

static void test_synth_deterministic(void)
{
	struct data_set *a = NULL, *b = NULL, *c = NULL;
	struct qcq_pool *pool = qcq_pool_create(2);
	CHECK(data_synth_digits(200, 7, NULL, &a, &err) == QCQ_OK);
	CHECK(data_synth_digits(200, 7, pool, &b, &err) == QCQ_OK);
	CHECK(data_synth_digits(200, 8, pool, &c, &err) == QCQ_OK);
	if (a && b && c) {
		CHECK(memcmp(a->images, b->images, 200 * 784 * sizeof(float)) == 0);
		CHECK(memcmp(a->labels, b->labels, 200 * sizeof(int32_t)) == 0);
		CHECK(memcmp(a->images, c->images, 200 * 784 * sizeof(float)) != 0);
		int cnt[10] = {0};
		for (int i = 0; i < 200; i++)
			cnt[a->labels[i]]++;
		for (int d = 0; d < 10; d++)
			CHECK(cnt[d] == 20);
		float lo = 1, hi = 0;
		for (int i = 0; i < 200 * 784; i++) {
			lo = a->images[i] < lo ? a->images[i] : lo;
			hi = a->images[i] > hi ? a->images[i] : hi;
		}
		CHECK(lo >= 0 && hi <= 1 && hi > 0.8f);
		/* ink covers a digit-like fraction of the image (MNIST: about 19%) */
		double ink = 0;
		for (int i = 0; i < 200 * 784; i++)
			ink += a->images[i] > 0.5f;
		ink /= 200 * 784;
		CHECK(ink > 0.08 && ink < 0.3);
		CHECK(a->nclasses == 10 && strcmp(a->class_names[3], "3") == 0);
	}
	data_set_free(a);
	data_set_free(b);
	data_set_free(c);
	CHECK(data_synth_digits(0, 1, NULL, &a, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "synth: 0 images out of range");
	qcq_pool_destroy(pool);
}

/*
 * 3 vs 5 must be learnable but not trivial: a nearest-centroid classifier trained on
 * 1000 and tested on 1000 others gets well above chance and below perfect.
 */
static void test_synth_3_vs_5(void)
{
	struct data_set *ds = NULL;
	CHECK(data_synth_digits(4000, 11, NULL, &ds, &err) == QCQ_OK);
	if (!ds)
		return;
	double cen[2][784] = {{0}};
	int n[2] = {0, 0}, right = 0, total = 0;
	for (size_t i = 0; i < ds->n; i++) {
		int l = ds->labels[i];
		if ((l != 3 && l != 5) || i >= 2000)
			continue;
		int s = l == 5;
		for (int p = 0; p < 784; p++)
			cen[s][p] += ds->images[i * 784 + p];
		n[s]++;
	}
	for (int s = 0; s < 2; s++)
		for (int p = 0; p < 784; p++)
			cen[s][p] /= n[s];
	for (size_t i = 2000; i < ds->n; i++) {
		int l = ds->labels[i];
		if (l != 3 && l != 5)
			continue;
		double d[2] = {0, 0};
		for (int s = 0; s < 2; s++)
			for (int p = 0; p < 784; p++) {
				double e = ds->images[i * 784 + p] - cen[s][p];
				d[s] += e * e;
			}
		right += (d[1] < d[0]) == (l == 5);
		total++;
	}
	double acc = (double)right / total;
	printf("  synth 3 vs 5 nearest-centroid accuracy %.3f on %d\n", acc, total);
	CHECK(acc > 0.75);
	CHECK(acc < 0.995);
	data_set_free(ds);
}

/* ---------------------------------------------------------------- classes and splits */

static struct data_set *fashion_like(void)
{
	struct data_set *ds;
	data_set_create(100, 2, 2, 10, &ds, &err);
	data_set_set_names(ds, data_fashion_names, 10);
	for (int i = 0; i < 100; i++) {
		ds->labels[i] = i % 10;
		for (int p = 0; p < 4; p++)
			ds->images[i * 4 + p] = (float)i / 100;
	}
	return ds;
}

static void test_classes(void)
{
	struct data_set *ds = fashion_like();
	CHECK(data_set_find_class(ds, "0") == 0);
	CHECK(data_set_find_class(ds, "9") == 9);
	CHECK(data_set_find_class(ds, "10") == -1);
	CHECK(data_set_find_class(ds, "T-shirt/top") == 0);
	CHECK(data_set_find_class(ds, "tshirt") == 0);
	CHECK(data_set_find_class(ds, "trouser") == 1);
	CHECK(data_set_find_class(ds, "ankle-boot") == 9);
	CHECK(data_set_find_class(ds, "S") == -1); /* Sandal, Shirt, Sneaker: ambiguous */
	CHECK(data_set_find_class(ds, "") == -1);
	CHECK(data_set_find_class(ds, "--") == -1);
	struct data_classes c;
	CHECK(data_classes_parse(ds, "tshirt", "1", &c, &err) == QCQ_OK);
	CHECK(c.map[0] == 0 && c.map[1] == 1 && c.map[2] == -1);
	CHECK(strcmp(c.name[0], "T-shirt/top") == 0 && strcmp(c.name[1], "Trouser") == 0);
	CHECK(data_classes_parse(ds, "bag", "coat+dress+2", &c, &err) == QCQ_OK);
	CHECK(c.map[8] == 0 && c.map[4] == 1 && c.map[3] == 1 && c.map[2] == 1);
	CHECK(strcmp(c.name[1], "Coat+Dress+Pullover") == 0);
	CHECK(data_classes_parse(ds, "bag", "bag", &c, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "class 'Bag' is named twice");
	CHECK(data_classes_parse(ds, "cat", "bag", &c, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "no class 'cat' (classes: T-shirt/top,Trouser");
	CHECK(data_classes_parse(ds, "", "bag", &c, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "side 0 of the task has no class");
	data_set_free(ds);
}

static void test_split(void)
{
	struct data_set *ds = fashion_like();
	struct data_classes c;
	data_classes_parse(ds, "0", "1+2", &c, &err);
	struct data_split_spec spec = {{6, 2, 2}, false, 5};
	struct data_split *s = NULL, *s2 = NULL;
	CHECK(data_split_make(ds, &c, &spec, &s, &err) == QCQ_OK);
	if (!s)
		return;
	CHECK(s->part[0].n == 6 && s->part[1].n == 2 && s->part[2].n == 2);
	CHECK(s->available[0] == 10 && s->available[1] == 20);
	CHECK(strcmp(s->side_name[1], "Trouser+Pullover") == 0);
	/* balanced parts, labels match sides, no image used twice */
	int used[100] = {0};
	for (int p = 0; p < 3; p++) {
		int ones = 0;
		for (size_t k = 0; k < s->part[p].n; k++) {
			size_t src = s->part[p].index[k];
			CHECK(used[src]++ == 0);
			CHECK(c.map[ds->labels[src]] == s->part[p].labels[k]);
			CHECK(s->part[p].images[k * 4] == ds->images[src * 4]);
			ones += s->part[p].labels[k];
		}
		CHECK(ones * 2 == (int)s->part[p].n);
	}
	CHECK(data_split_total(s) == 10);
	int part;
	size_t local;
	CHECK(data_split_locate(s, 7, &part, &local) == &s->part[1] && part == 1 && local == 1);
	CHECK(data_split_locate(s, 10, &part, &local) == NULL);
	/* same seed, same split and hash; another seed differs */
	CHECK(data_split_make(ds, &c, &spec, &s2, &err) == QCQ_OK);
	CHECK(s2 && s2->hash == s->hash && memcmp(s2->part[0].index, s->part[0].index, 6 * sizeof(size_t)) == 0);
	data_split_free(s2);
	spec.seed = 6;
	CHECK(data_split_make(ds, &c, &spec, &s2, &err) == QCQ_OK);
	CHECK(s2 && s2->hash != s->hash);
	data_split_free(s2);
	data_split_free(s);
	/* too few with counts: an error saying how many there are */
	struct data_split_spec big = {{5000, 1250, 1000}, false, 1};
	s = (struct data_split *)0x1;
	CHECK(data_split_make(ds, &c, &big, &s, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "side 'T-shirt/top' has 10 images, the split needs 3625");
	CHECK_STR_CONTAINS(err.msg, "fractions");
	/* fractions of the smaller side */
	struct data_split_spec fr = {{0.6, 0.2, 0.2}, true, 1};
	CHECK(data_split_make(ds, &c, &fr, &s, &err) == QCQ_OK);
	CHECK(s->part[0].n == 12 && s->part[1].n == 4 && s->part[2].n == 4);
	data_split_free(s);
	struct data_split_spec bad[] = {
		{{0.9, 0.2, 0}, true, 1}, {{1.5, 0, 0}, true, 1}, {{2.5, 0, 0}, false, 1},
		{{-1, 0, 0}, false, 1},   {{1, 2, 2}, false, 1},  {{0.01, 0, 0}, true, 1},
	};
	const char *msgs[] = {"fractions add up to 1.1", "train: 1.5 is not a fraction",
			      "train: 2.5 is not a count", "train: -1 is not a count",
			      "training part would be empty", "training part would be empty"};
	s = (struct data_split *)0x1;
	for (int i = 0; i < 6; i++) {
		CHECK(data_split_make(ds, &c, &bad[i], &s, &err) != QCQ_OK);
		CHECK_STR_CONTAINS(err.msg, msgs[i]);
	}
	struct data_split_spec huge = {{1e12, 0, 0}, false, 1};
	CHECK(data_split_make(ds, &c, &huge, &s, &err) == QCQ_ERANGE);
	c.nclasses = 3;
	CHECK(data_split_make(ds, &c, &spec, &s, &err) == QCQ_ESTATE);
	CHECK(s == (struct data_split *)0x1);
	data_set_free(ds);
}

/* Stratified: every part keeps the sides' 1 : 2 proportion; the whole set is used. */
static void test_split_stratified(void)
{
	struct data_set *ds = fashion_like();
	struct data_classes c;
	data_classes_parse(ds, "0", "1+2", &c, &err);
	const size_t n[3] = {15, 9, 6}, small[3] = {7, 4, 3}, whole[3] = {30, 0, 0};
	const size_t want0[3] = {5, 3, 2};
	struct data_split *s = NULL, *s2 = NULL;
	CHECK(data_split_make_stratified(ds, &c, n, 3, &s, &err) == QCQ_OK);
	if (!s)
		return;
	int used[100] = {0};
	for (int p = 0; p < 3; p++) {
		size_t zeros = 0;
		CHECK(s->part[p].n == n[p]);
		for (size_t k = 0; k < s->part[p].n; k++) {
			size_t src = s->part[p].index[k];
			CHECK(used[src]++ == 0);
			CHECK(c.map[ds->labels[src]] == s->part[p].labels[k]);
			zeros += s->part[p].labels[k] == 0;
		}
		CHECK(zeros == want0[p]);
	}
	/* fewer images: side 0 gets round(14 / 3) = 5, the largest remainders first */
	CHECK(data_split_make_stratified(ds, &c, small, 3, &s2, &err) == QCQ_OK);
	size_t z[3] = {0, 0, 0};
	for (int p = 0; s2 && p < 3; p++)
		for (size_t k = 0; k < s2->part[p].n; k++)
			z[p] += s2->part[p].labels[k] == 0;
	CHECK(z[0] == 3 && z[1] == 1 && z[2] == 1); /* 2.5, 1.43, 1.07 */
	data_split_free(s2);
	/* the same seed repeats the split */
	CHECK(data_split_make_stratified(ds, &c, n, 3, &s2, &err) == QCQ_OK);
	CHECK(s2 && s2->hash == s->hash);
	data_split_free(s2);
	CHECK(data_split_make_stratified(ds, &c, whole, 3, &s2, &err) == QCQ_OK);
	CHECK(s2 && s2->part[0].n == 30 && s2->part[2].n == 0);
	data_split_free(s2);
	data_split_free(s);
	const size_t over[3] = {20, 6, 5}, one[3] = {1, 10, 10};
	s = (struct data_split *)0x1;
	CHECK(data_split_make_stratified(ds, &c, over, 3, &s, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "the split needs 31 images (train 20 + val 6 + test 5), the "
				    "task has 30 ('T-shirt/top' 10, 'Trouser+Pullover' 20)");
	CHECK(data_split_make_stratified(ds, &c, one, 3, &s, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "training part would hold only one side");
	CHECK(s == (struct data_split *)0x1);
	data_set_free(ds);
}

/* ---------------------------------------------------------------- K classes */

/* Binary splits are what they were before K-class tasks existed: the hashes of a
 * balanced and a stratified split, recorded from the build before the change. */
static void test_split_binary_unchanged(void)
{
	struct data_set *ds = NULL;
	CHECK(data_synth_digits(300, 7, NULL, &ds, &err) == QCQ_OK);
	if (!ds)
		return;
	struct data_classes c;
	CHECK(data_classes_parse(ds, "3", "5+8", &c, &err) == QCQ_OK);
	CHECK(c.nsides == 2);
	struct data_split_spec spec = {{0.6, 0.2, 0.2}, true, 9};
	struct data_split *s = NULL, *t = NULL;
	CHECK(data_split_make(ds, &c, &spec, &s, &err) == QCQ_OK);
	const size_t n[3] = {41, 23, 17};
	CHECK(data_split_make_stratified(ds, &c, n, 4, &t, &err) == QCQ_OK);
	if (s && t) {
		printf("binary hashes: %#llx %#llx\n", (unsigned long long)s->hash,
		       (unsigned long long)t->hash);
		CHECK(s->hash == BINARY_BALANCED_HASH);
		CHECK(t->hash == BINARY_STRATIFIED_HASH);
		CHECK(s->nsides == 2 && t->nsides == 2);
	}
	data_split_free(s);
	data_split_free(t);
	data_set_free(ds);
}

/* A K-class selection: every class its own label; balanced parts hold the same count
 * of each class; stratified parts keep the proportions; the errors of bad selections. */
static void test_split_multiclass(void)
{
	struct data_set *ds = fashion_like();
	struct data_classes c;
	const char *three[] = {"bag", "tshirt", "coat+dress"};
	CHECK(data_classes_parse_sides(ds, three, 3, &c, &err) == QCQ_OK);
	CHECK(c.nsides == 3 && c.map[8] == 0 && c.map[0] == 1 && c.map[4] == 2 && c.map[3] == 2);
	CHECK(c.map[1] == -1 && strcmp(c.name[2], "Coat+Dress") == 0);
	/* bad selections */
	const char *twice[] = {"bag", "tshirt", "bag"}, *unknown[] = {"bag", "tshirt", "cat"};
	const char *inside[] = {"0", "1", "2+2"};
	CHECK(data_classes_parse_sides(ds, twice, 3, &c, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "class 'Bag' is named twice");
	CHECK(data_classes_parse_sides(ds, unknown, 3, &c, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "no class 'cat' (classes: T-shirt/top,Trouser");
	CHECK(data_classes_parse_sides(ds, inside, 3, &c, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "class 'Pullover' is named twice");
	CHECK(data_classes_parse_sides(ds, three, 1, &c, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "a task has 2 to 32 classes (got 1)");
	const char *many[40];
	for (int i = 0; i < 40; i++)
		many[i] = "0";
	CHECK(data_classes_parse_sides(ds, many, 33, &c, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "a task has 2 to 32 classes (got 33)");
	/* all ten: 10 per class in the set */
	CHECK(data_classes_all(ds, &c, &err) == QCQ_OK);
	CHECK(c.nsides == 10 && strcmp(c.name[9], "Ankle boot") == 0);
	struct data_split_spec spec = {{0.6, 0.2, 0.2}, true, 3};
	struct data_split *s = NULL;
	CHECK(data_split_make(ds, &c, &spec, &s, &err) == QCQ_OK);
	if (s) {
		CHECK(s->nsides == 10 && s->part[0].n == 60 && s->part[1].n == 20 &&
		      s->part[2].n == 20);
		int used[100] = {0};
		for (int p = 0; p < 3; p++) {
			int per[10] = {0};
			for (size_t k = 0; k < s->part[p].n; k++) {
				size_t src = s->part[p].index[k];
				CHECK(used[src]++ == 0);
				CHECK(s->part[p].labels[k] == ds->labels[src]);
				per[s->part[p].labels[k]]++;
			}
			for (int k = 0; k < 10; k++)
				CHECK(per[k] == (p == 0 ? 6 : 2));
		}
		data_split_free(s);
	}
	/* counts that K does not divide: the first classes get one more */
	struct data_split_spec cnt = {{23, 10, 0}, false, 3};
	CHECK(data_split_make(ds, &c, &cnt, &s, &err) == QCQ_OK);
	if (s) {
		int per[10] = {0};
		for (size_t k = 0; k < s->part[0].n; k++)
			per[s->part[0].labels[k]]++;
		CHECK(s->part[0].n == 23 && per[0] == 3 && per[2] == 3 && per[3] == 2 && per[9] == 2);
		data_split_free(s);
	}
	struct data_split_spec big = {{120, 0, 0}, false, 3};
	CHECK(data_split_make(ds, &c, &big, &s, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "class 'T-shirt/top' has 10 images, the split needs 12");
	struct data_split_spec few = {{5, 0, 0}, false, 3};
	CHECK(data_split_make(ds, &c, &few, &s, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "at least one image per class");
	/* a class without images in the data */
	for (int i = 0; i < 100; i++)
		if (ds->labels[i] == 7)
			ds->labels[i] = 6;
	CHECK(data_split_make(ds, &c, &spec, &s, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "class 'Sneaker' has no images in the data");
	data_set_free(ds);
}

/* Stratified with three unbalanced classes (10, 20, 30 images): every part keeps 1:2:3. */
static void test_split_multiclass_stratified(void)
{
	struct data_set *ds = fashion_like();
	const char *sides[] = {"0", "1+2", "3+4+5"};
	struct data_classes c;
	CHECK(data_classes_parse_sides(ds, sides, 3, &c, &err) == QCQ_OK);
	const size_t n[3] = {30, 18, 12};
	struct data_split *s = NULL;
	CHECK(data_split_make_stratified(ds, &c, n, 5, &s, &err) == QCQ_OK);
	if (s) {
		for (int p = 0; p < 3; p++) {
			size_t per[3] = {0, 0, 0};
			for (size_t k = 0; k < s->part[p].n; k++)
				per[s->part[p].labels[k]]++;
			CHECK(s->part[p].n == n[p]);
			CHECK(per[0] * 6 == n[p] && per[1] * 3 == n[p] && per[2] * 2 == n[p]);
		}
		data_split_free(s);
	}
	/* 7 images: shares 1.17, 2.33, 3.5 -> 1, 2, 4 by largest remainder (ties: earlier) */
	const size_t odd[3] = {7, 0, 0};
	CHECK(data_split_make_stratified(ds, &c, odd, 5, &s, &err) == QCQ_OK);
	if (s) {
		size_t per[3] = {0, 0, 0};
		for (size_t k = 0; k < s->part[0].n; k++)
			per[s->part[0].labels[k]]++;
		CHECK(per[0] == 1 && per[1] == 2 && per[2] == 4);
		data_split_free(s);
	}
	const size_t two[3] = {2, 20, 20};
	CHECK(data_split_make_stratified(ds, &c, two, 5, &s, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "the training part would miss class");
	data_set_free(ds);
}

static void test_stats(void)
{
	float im[8] = {0, 1, 0, 1, 1, 1, 0, 0};
	int32_t lab[2] = {1, 1};
	struct data_stats st;
	data_stats_compute(im, lab, 2, 2, 2, 3, &st);
	CHECK(st.count[0] == 0 && st.count[1] == 2 && st.count[2] == 0);
	CHECK_NEAR(st.mean[0], 0.5, 1e-7);
	CHECK_NEAR(st.mean[1], 1, 1e-7);
	CHECK_NEAR(st.pixel_mean, 0.5, 1e-12);
	CHECK_NEAR(st.pixel_std, 0.5, 1e-12);
	CHECK(st.pixel_min == 0 && st.pixel_max == 1);
	data_stats_free(&st);
}

/* ---------------------------------------------------------------- cache */

static void test_cache(void)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", util_path("cache/deep/er"));
	size_t n[3] = {3, 1, 0};
	struct data_features *f = NULL, *g = NULL;
	CHECK(data_features_create(n, 4, 2, 3, &f, &err) == QCQ_OK);
	for (size_t i = 0; i < 3 * 24; i++)
		f->part[0][i] = (float)i;
	f->part[1][5] = -1;
	f->key = 0x1234;
	/* nothing cached yet */
	CHECK(data_cache_load(dir, 0x1234, n, &g, &err) == QCQ_OK && g == NULL);
	CHECK(data_cache_store(dir, f, &err) == QCQ_OK);
	CHECK(data_cache_load(dir, 0x1234, n, &g, &err) == QCQ_OK);
	if (g) {
		CHECK(g->c == 4 && g->oh == 2 && g->ow == 3 && g->n[0] == 3 && g->part[2] == NULL);
		CHECK(memcmp(g->part[0], f->part[0], 72 * sizeof(float)) == 0);
		CHECK(g->part[1][5] == -1 && g->key == 0x1234);
		data_features_free(g);
		g = NULL;
	}
	char path[2048];
	data_cache_path(dir, 0x1234, path, sizeof path);
	CHECK_STR_CONTAINS(path, "/quanv-0000000000001234.qcqf");
	/* other sizes, a flipped byte, a truncated file, a foreign file */
	size_t other[3] = {3, 2, 0};
	CHECK(data_cache_load(dir, 0x1234, other, &g, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "offset 32: val has 1 images, the split has 2");
	char *raw;
	size_t rn;
	qcq_read_file(path, 1 << 20, &raw, &rn, &err);
	raw[rn - 3] ^= 0x40;
	util_write(path, raw, rn);
	CHECK(data_cache_load(dir, 0x1234, n, &g, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "checksum mismatch");
	util_write(path, raw, rn - 4);
	CHECK(data_cache_load(dir, 0x1234, n, &g, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "bytes, the header says");
	util_write(path, "hello", 5);
	CHECK(data_cache_load(dir, 0x1234, n, &g, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "not a qcqlab feature cache file");
	raw[rn - 3] ^= 0x40;
	data_cache_path(dir, 0x9999, path, sizeof path);
	util_write(path, raw, rn);
	CHECK(data_cache_load(dir, 0x9999, n, &g, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "key 0000000000001234, expected 0000000000009999");
	CHECK(g == NULL);
	free(raw);
	/* a directory that cannot be made */
	util_write(util_path("afile"), "x", 1);
	char bad[1100];
	snprintf(bad, sizeof bad, "%s/sub", util_path("afile"));
	CHECK(data_cache_store(bad, f, &err) == QCQ_EIO);
	CHECK_STR_CONTAINS(err.msg, "cannot create directory");
	data_features_free(f);
	/* the directory: override, env, XDG, HOME */
	char buf[1024];
	CHECK(data_cache_dir("/x/y", buf, sizeof buf, &err) == QCQ_OK && strcmp(buf, "/x/y") == 0);
	setenv("QCQ_CACHE_DIR", "/q", 1);
	CHECK(data_cache_dir(NULL, buf, sizeof buf, &err) == QCQ_OK && strcmp(buf, "/q") == 0);
	unsetenv("QCQ_CACHE_DIR");
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	CHECK(data_cache_dir(NULL, buf, sizeof buf, &err) == QCQ_OK && strcmp(buf, "/xdg/qcqlab") == 0);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/home/u", 1);
	CHECK(data_cache_dir(NULL, buf, sizeof buf, &err) == QCQ_OK &&
	      strcmp(buf, "/home/u/.cache/qcqlab") == 0);
	unsetenv("HOME");
	CHECK(data_cache_dir(NULL, buf, sizeof buf, &err) == QCQ_ESTATE);
	CHECK(data_features_create(n, 0, 2, 3, &f, &err) == QCQ_EINVAL);
}

/* ---------------------------------------------------------------- sha256, fetch */

static void test_sha256(void)
{
	char hex[65];
	data_sha256_hex("", 0, hex);
	CHECK(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
	data_sha256_hex("abc", 3, hex);
	CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	data_sha256_hex(two, strlen(two), hex);
	CHECK(strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0);
}

static void log_line(void *ctx, const char *line)
{
	(*(int *)ctx)++;
	(void)line;
}

/* Entries of a folder other than . and .. (temporaries left behind show here). */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void test_fetch_failures(void)
{
	char dir[1024], src[1024], base[1100];
	snprintf(dir, sizeof dir, "%s", util_path("dl"));
	snprintf(src, sizeof src, "%s", util_path("mirror"));
	int lines = 0;
	CHECK(data_fetch("brain-mri", dir, NULL, log_line, &lines, &err) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(err.msg, "download it by hand");
	CHECK_STR_CONTAINS(err.msg, "brain-mri/{Training,Testing}/<class>");
	CHECK(data_fetch("cifar", dir, NULL, NULL, NULL, &err) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "no data set 'cifar'");
	/* only http(s) mirrors; a value that curl would take as an option never reaches it */
	const char *refused[] = {"-K.", "file:///etc/", "--config=x", "scp://h/", "", "ftp://h/"};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		CHECK(data_fetch("mnist", util_path("refused"), refused[i], NULL, NULL, &err) ==
		      QCQ_EINVAL);
		CHECK_STR_CONTAINS(err.msg, "is not an http:// or https:// address");
	}
	CHECK(access(util_path("refused"), F_OK) != 0);
	/* a stand-in curl on PATH (no network needed): it logs its arguments and serves the
	 * mirror folder's files, failing with 22 (HTTP 404) for the others */
	util_mkdir(src);
	util_mkdir(util_path("bin"));
	util_write(util_path("mirror/train-images-idx3-ubyte.gz"), "not mnist", 9);
	char script[4096];
	int len = snprintf(script, sizeof script,
			   "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done >> '%s'\n"
			   "out=; url=; while [ $# -gt 0 ]; do case $1 in -o) out=$2; shift;; "
			   "--) url=$2; shift;; esac; shift; done\n"
			   "f='%s'/${url##*/}; [ -f \"$f\" ] || exit 22; cat \"$f\" > \"$out\"\n",
			   util_path("curl-args"), src);
	util_write(util_path("bin/curl"), script, (size_t)len);
	CHECK(chmod(util_path("bin/curl"), 0755) == 0);
	snprintf(base, sizeof base, "https://mirror.invalid/files/");
	const char *path = getenv("PATH");
	char *saved = path ? strdup(path) : NULL;
	char stand_in_path[1200];
	snprintf(stand_in_path, sizeof stand_in_path, "%s:/usr/bin:/bin", util_path("bin"));
	setenv("PATH", stand_in_path, 1);
	/* a mirror serving wrong files: checksum error */
	CHECK(data_fetch("mnist", dir, base, log_line, &lines, &err) == QCQ_EIO);
	CHECK_STR_CONTAINS(err.msg, "train-images-idx3-ubyte.gz: checksum mismatch");
	CHECK_STR_CONTAINS(err.msg, "put them in");
	/* curl got the URL after "--", and only http(s) also for redirects */
	char *args = NULL;
	size_t nargs;
	CHECK(qcq_read_file(util_path("curl-args"), 1 << 16, &args, &nargs, &err) == QCQ_OK);
	CHECK_STR_CONTAINS(args, "--proto\n=https,http\n--proto-redir\n=https,http\n");
	CHECK_STR_CONTAINS(args, "\n--\nhttps://mirror.invalid/files/train-images-idx3-ubyte.gz\n");
	free(args);
	/* a file the mirror lacks: curl fails */
	remove(util_path("mirror/train-images-idx3-ubyte.gz"));
	CHECK(data_fetch("fashion-mnist", dir, base, log_line, &lines, &err) == QCQ_EIO);
	CHECK_STR_CONTAINS(err.msg, "download failed (curl exit 22");
	CHECK_STR_CONTAINS(err.msg, "dl/fashion-mnist/");
	/* nothing half-written is left behind */
	CHECK(access(util_path("dl/fashion-mnist/train-images-idx3-ubyte.gz"), F_OK) != 0);
	if (saved)
		setenv("PATH", saved, 1);
	/* no curl on PATH */
	setenv("PATH", "/nonexistent", 1);
	CHECK(data_fetch("mnist", dir, base, NULL, NULL, &err) == QCQ_EIO);
	CHECK_STR_CONTAINS(err.msg, "curl is not installed; download by hand from");
	if (saved) {
		setenv("PATH", saved, 1);
		free(saved);
	}
	CHECK(lines == 0);
	CHECK(count_entries(util_path("dl/fashion-mnist")) == 0);
	CHECK(count_entries(util_path("dl/mnist")) == 0);
	/* a destination that cannot be created */
	CHECK(data_fetch("mnist", "/proc/nope", NULL, NULL, NULL, &err) == QCQ_EIO);
	CHECK_STR_CONTAINS(err.msg, "cannot create directory");
}

int main(void)
{
	RUN(test_synth_deterministic);
	RUN(test_synth_3_vs_5);
	RUN(test_classes);
	RUN(test_split);
	RUN(test_split_stratified);
	RUN(test_split_binary_unchanged);
	RUN(test_split_multiclass);
	RUN(test_split_multiclass_stratified);
	RUN(test_stats);
	RUN(test_cache);
	RUN(test_sha256);
	RUN(test_fetch_failures);
	util_cleanup();
	return check_summary();
}
