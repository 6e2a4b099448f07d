/*
 * bench/bench_data.c: data loading throughput on ../shared/data.
 *   - all 70,000 Fashion-MNIST images (gzip IDX, train + t10k): target < 1 s
 *   - the 3,264 brain-MRI PNGs, decoded and resized to 28x28: target < 2 s
 *   - the 394 original MRI JPEGs (mostly 512x512), decoded and resized
 *   - synthetic digits, and quanvolving 10,000 images through the `quanv` path's call
 *     (qml_filter_apply on the pool): target < 0.5 s
 * Each is the best of R runs (default 3), with 1 thread and with all threads, so the
 * ratio shows what the pool buys. Usage: bench_data [DATA_DIR] [RUNS]
 */
#include "qcq/data.h"
#include "bench-cpu.h"
#include "qcq/qml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* CPU seconds of the process (all threads): the machine is shared, so wall time is noisy */
static double cpu_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static int runs = 3;

typedef enum qcq_status (*load_fn)(const char *arg, struct qcq_pool *pool, struct data_set **out,
				   struct qcq_error *err);

static enum qcq_status load_idx(const char *dir, struct qcq_pool *p, struct data_set **o,
				struct qcq_error *e)
{
	return data_load_idx_dir(dir, p, o, e);
}

static enum qcq_status load_folder28(const char *dir, struct qcq_pool *p, struct data_set **o,
				     struct qcq_error *e)
{
	return data_load_folder(dir, 28, 28, p, o, e);
}

static enum qcq_status load_synth(const char *n, struct qcq_pool *p, struct data_set **o,
				  struct qcq_error *e)
{
	return data_synth_digits((size_t)atol(n), 1, p, o, e);
}

static double best(load_fn fn, const char *arg, struct qcq_pool *pool, size_t *n, double *cpu)
{
	double b = 1e30;
	*cpu = 1e30;
	for (int r = 0; r < runs; r++) {
		struct qcq_error err;
		struct data_set *ds;
		double t0 = qcq_now(), c0 = cpu_now();
		if (fn(arg, pool, &ds, &err)) {
			printf("  %s: %s\n", arg, err.msg);
			return -1;
		}
		double dt = qcq_now() - t0, dc = cpu_now() - c0;
		b = dt < b ? dt : b;
		*cpu = dc < *cpu ? dc : *cpu;
		*n = ds->n;
		data_set_free(ds);
	}
	return b;
}

static void row(const char *what, load_fn fn, const char *arg, struct qcq_pool *p1,
		struct qcq_pool *pn, double target)
{
	size_t n = 0;
	double c1, cn;
	double t1 = best(fn, arg, p1, &n, &c1), tn = best(fn, arg, pn, &n, &cn);
	if (t1 < 0 || tn < 0)
		return;
	printf("%-34s %6zu img  1 thread %6.3f s (cpu %6.3f)  %d threads %6.3f s (cpu %6.3f)  "
	       "x%.2f  %7.0f img/s", what, n, t1, c1, qcq_pool_threads(pn), tn, cn, t1 / tn, n / tn);
	if (target > 0)
		printf("  target < %.1f s: %s", target, tn < target ? "met" : "MISSED");
	printf("\n");
}

int main(int argc, char **argv)
{
	bench_print_cpu("bench_data");
	const char *root = argc > 1 ? argv[1] : QCQ_SOURCE_DIR "/../shared/data";
	if (argc > 2)
		runs = atoi(argv[2]) > 0 ? atoi(argv[2]) : 1;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct qcq_pool *p1 = qcq_pool_create(1), *pn = qcq_pool_create(ncpu > 1 ? (int)ncpu : 2);
	char path[1200];
	printf("bench_data: best of %d runs; data from %s\n", runs, root);
	snprintf(path, sizeof path, "%s/fashion-mnist", root);
	if (access(path, R_OK) == 0)
		row("fashion-mnist idx.gz (train+t10k)", load_idx, path, p1, pn, 1.0);
	else
		printf("fashion-mnist: %s absent, skipped\n", path);
	snprintf(path, sizeof path, "%s/brain-mri/png128", root);
	if (access(path, R_OK) == 0)
		row("brain-mri png128 -> 28x28", load_folder28, path, p1, pn, 2.0);
	else
		printf("brain-mri: %s absent, skipped\n", path);
	snprintf(path, sizeof path, "%s/brain-mri/jpeg-testing", root);
	if (access(path, R_OK) == 0)
		row("brain-mri jpeg (512x512) -> 28x28", load_folder28, path, p1, pn, 0);
	row("synth digits", load_synth, "10000", p1, pn, 0);

	/* quanvolving 10,000 28x28 images as `quanv` does: one qml_filter_apply on the pool */
	struct qcq_error err;
	struct data_set *ds;
	struct qml_filter *f;
	if (data_synth_digits(10000, 1, pn, &ds, &err) || qml_filter_create_pennylane(&f, 'C', &err)) {
		printf("quanv: %s\n", err.msg);
		return 1;
	}
	float *out = malloc(10000 * 4 * 196 * sizeof(float));
	struct qcq_pool *pools[2] = {p1, pn};
	double tq[2];
	for (int k = 0; k < 2; k++) {
		tq[k] = 1e30;
		for (int r = 0; r < runs; r++) {
			double t0 = qcq_now();
			qml_filter_apply(f, ds->images, 10000, 28, 28, out, pools[k], &err);
			double dt = qcq_now() - t0;
			tq[k] = dt < tq[k] ? dt : tq[k];
		}
	}
	printf("%-34s %7d images  1 thread %7.3f s  %d threads %7.3f s  (x%.2f)  %9.3g patches/s"
	       "  target < 0.5 s: %s\n", "quanv (pennylane C filter)", 10000, tq[0],
	       qcq_pool_threads(pn), tq[1], tq[0] / tq[1], 10000 * 196 / tq[1],
	       tq[1] < 0.5 ? "met" : "MISSED");
	/* the cache: store and load the same features */
	char dir[] = "/tmp/qcq-bench-cache-XXXXXX";
	if (mkdtemp(dir)) {
		size_t ns[3] = {10000, 0, 0};
		struct data_features *feat;
		data_features_create(ns, 4, 14, 14, &feat, &err);
		memcpy(feat->part[0], out, 10000 * 784 * sizeof(float));
		feat->key = 42;
		double t0 = qcq_now();
		data_cache_store(dir, feat, &err);
		double t1 = qcq_now();
		struct data_features *back;
		data_cache_load(dir, 42, ns, &back, &err);
		double t2 = qcq_now();
		printf("%-34s %7d images  store %.3f s  load+check %.3f s (31 MB)\n", "feature cache",
		       10000, t1 - t0, t2 - t1);
		data_features_free(feat);
		data_features_free(back);
		char cmd[100];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			printf("cannot remove %s\n", dir);
	}
	free(out);
	qml_filter_destroy(f);
	data_set_free(ds);
	qcq_pool_destroy(p1);
	qcq_pool_destroy(pn);
	return 0;
}
