/*
 * tests/data/test_shared.c: the loaders on the real data in ../shared/data (MNIST subset,
 * Fashion-MNIST, the brain-MRI PNG and JPEG folders). Skips, saying so, when the folder
 * is absent (a fresh clone). Timings are measured in bench/bench_data.c, not here.
 */
#include "../check.h"
#include "util.h"

static struct qcq_error err;
static struct qcq_pool *pool;

static void test_mnist(void)
{
	const char *root = shared_data_dir();
	if (!root)
		SKIP("../shared/data absent (set QCQ_SHARED_DATA)");
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/mnist", root);
	struct data_set *ds = NULL;
	CHECK(data_load_idx_dir(dir, pool, &ds, &err) == QCQ_OK);
	if (!ds) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK(ds->n == 10000 && ds->h == 28 && ds->w == 28 && ds->nclasses == 10);
	size_t c3 = 0, c5 = 0;
	for (size_t i = 0; i < ds->n; i++)
		c3 += ds->labels[i] == 3, c5 += ds->labels[i] == 5;
	CHECK(c3 == 1032 && c5 == 863);
	struct data_classes cls;
	CHECK(data_classes_parse(ds, "3", "5", &cls, &err) == QCQ_OK);
	struct data_split_spec spec = {{5000, 1250, 1000}, false, 1};
	struct data_split *s = NULL;
	CHECK(data_split_make(ds, &cls, &spec, &s, &err) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(err.msg, "side '5' has 863 images, the split needs 3625");
	struct data_split_spec fr = {{0.7, 0.15, 0.15}, true, 1};
	CHECK(data_split_make(ds, &cls, &fr, &s, &err) == QCQ_OK);
	CHECK(s && s->part[0].n == 2 * 604);
	data_split_free(s);
	data_set_free(ds);
}

static void test_fashion(void)
{
	const char *root = shared_data_dir();
	if (!root)
		SKIP("../shared/data absent (set QCQ_SHARED_DATA)");
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/fashion-mnist", root);
	struct data_set *ds = NULL;
	CHECK(data_load_idx_dir(dir, pool, &ds, &err) == QCQ_OK);
	if (!ds)
		return;
	CHECK(ds->n == 70000);
	data_set_set_names(ds, data_fashion_names, 10);
	size_t cnt[10] = {0};
	for (size_t i = 0; i < ds->n; i++)
		cnt[ds->labels[i]]++;
	for (int c = 0; c < 10; c++)
		CHECK(cnt[c] == 7000);
	/* train first: 6,000 per class there */
	size_t t0 = 0;
	for (size_t i = 0; i < 60000; i++)
		t0 += ds->labels[i] == 0;
	CHECK(t0 == 6000);
	struct data_classes cls;
	CHECK(data_classes_parse(ds, "tshirt", "trouser", &cls, &err) == QCQ_OK);
	struct data_split_spec spec = {{5000, 1250, 1000}, false, 1};
	struct data_split *s = NULL;
	CHECK(data_split_make(ds, &cls, &spec, &s, &err) == QCQ_OK);
	CHECK(s && s->part[0].n == 5000 && s->part[1].n == 1250 && s->part[2].n == 1000);
	data_split_free(s);
	data_set_free(ds);
}

static void test_mri(void)
{
	const char *root = shared_data_dir();
	if (!root)
		SKIP("../shared/data absent (set QCQ_SHARED_DATA)");
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/brain-mri/png128", root);
	struct data_set *ds = NULL;
	CHECK(data_load_folder(dir, 28, 28, pool, &ds, &err) == QCQ_OK);
	if (!ds) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK(ds->n == 3264 && ds->nclasses == 4);
	CHECK(strcmp(ds->class_names[2], "no_tumor") == 0);
	size_t no = 0;
	for (size_t i = 0; i < ds->n; i++)
		no += ds->labels[i] == 2;
	CHECK(no == 500);
	struct data_classes cls;
	CHECK(data_classes_parse(ds, "no_tumor", "glioma_tumor+meningioma_tumor+pituitary_tumor", &cls,
				 &err) == QCQ_OK);
	struct data_split_spec spec = {{0.6, 0.2, 0.2}, true, 1};
	struct data_split *s = NULL;
	CHECK(data_split_make(ds, &cls, &spec, &s, &err) == QCQ_OK);
	CHECK(s && s->available[0] == 500 && s->available[1] == 2764 && s->part[0].n == 600);
	data_split_free(s);
	data_set_free(ds);
	/* the original JPEGs (mostly 512x512, some RGB): decoded and resized */
	snprintf(dir, sizeof dir, "%s/brain-mri/jpeg-testing", root);
	CHECK(data_load_folder(dir, 28, 28, pool, &ds, &err) == QCQ_OK);
	if (!ds) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK(ds->n == 394 && ds->nclasses == 4);
	double m = 0;
	for (size_t i = 0; i < ds->n * 784; i++)
		m += ds->images[i];
	m /= (double)ds->n * 784;
	CHECK(m > 0.05 && m < 0.6);
	data_set_free(ds);
	/* native size with mixed JPEG sizes: an error naming the file */
	CHECK(data_load_folder(dir, 0, 0, pool, &ds, &err) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(err.msg, "the first image");
}

int main(void)
{
	pool = qcq_pool_create(2);
	RUN(test_mnist);
	RUN(test_fashion);
	RUN(test_mri);
	qcq_pool_destroy(pool);
	return check_summary();
}
