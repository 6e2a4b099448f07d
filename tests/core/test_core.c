/* tests/core: errors, rng, pool, atomic files. */
#include "qcq/core.h"
#include "check.h"

#include <stdlib.h>
#include <unistd.h>

static void test_error_prefix(void)
{
	struct qcq_error e;
	qcq_error_set(&e, QCQ_ERANGE, "target qubit %d out of range (circuit has %d)", 5, 4);
	qcq_error_prefix(&e, "gate 3");
	CHECK(e.code == QCQ_ERANGE);
	CHECK(strcmp(e.msg, "gate 3: target qubit 5 out of range (circuit has 4)") == 0);
	CHECK(qcq_error_set(NULL, QCQ_EINVAL, "dropped") == QCQ_EINVAL);
}

static void test_rng_reproducible_and_uniform(void)
{
	struct qcq_rng a, b;
	qcq_rng_seed(&a, 42);
	qcq_rng_seed(&b, 42);
	for (int i = 0; i < 100; i++)
		CHECK(qcq_rng_u64(&a) == qcq_rng_u64(&b));
	struct qcq_rng c = qcq_rng_split(&a, 1), d = qcq_rng_split(&a, 2);
	CHECK(qcq_rng_u64(&c) != qcq_rng_u64(&d));
	/* mean of U(0,1) and N(0,1) over 1e5 draws: 5 sigma bounds */
	double s = 0, sn = 0, sn2 = 0;
	int n = 100000, counts[7] = {0};
	for (int i = 0; i < n; i++) {
		s += qcq_rng_uniform(&a);
		double z = qcq_rng_normal(&a);
		sn += z;
		sn2 += z * z;
		counts[qcq_rng_below(&a, 7)]++;
	}
	CHECK_NEAR(s / n, 0.5, 5 * sqrt(1.0 / 12 / n));
	CHECK_NEAR(sn / n, 0.0, 5 / sqrt(n));
	CHECK_NEAR(sn2 / n, 1.0, 5 * sqrt(2.0 / n));
	for (int k = 0; k < 7; k++)
		CHECK_NEAR(counts[k], n / 7.0, 5 * sqrt(n / 7.0));
}

struct sum_ctx {
	double out[1000];
};

static void fill_range(void *ctx, size_t b, size_t e, int w)
{
	struct sum_ctx *s = ctx;
	for (size_t i = b; i < e; i++)
		s->out[i] = (double)i * 2;
}

static void test_pool_covers_range(void)
{
	struct qcq_pool *p = qcq_pool_create(3);
	struct sum_ctx s;
	for (int rep = 0; rep < 50; rep++) {
		memset(&s, 0, sizeof s);
		qcq_pool_for(p, 1000, 1, fill_range, &s);
		for (int i = 0; i < 1000; i++)
			CHECK(s.out[i] == i * 2.0);
	}
	qcq_pool_destroy(p);
}

static void test_checked_alloc_refuses_huge(void)
{
	struct qcq_error e;
	void *p = qcq_alloc_checked(SIZE_MAX / 2, 16, "state vector", &e);
	CHECK(p == NULL);
	CHECK(e.code == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "state vector");
	p = qcq_alloc_checked(100, 8, "small", &e);
	CHECK(p != NULL && ((uintptr_t)p % 64) == 0);
	qcq_aligned_free(p);
}

static void test_atomic_write(void)
{
	char path[] = "/tmp/qcq_test_atomicXXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	struct qcq_error e;
	CHECK(qcq_write_file_atomic(path, "hello", 5, &e) == QCQ_OK);
	char *buf;
	size_t n;
	CHECK(qcq_read_file(path, 1 << 20, &buf, &n, &e) == QCQ_OK);
	CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
	free(buf);
	/* an aborted write leaves the old content */
	struct qcq_atomic_file af;
	CHECK(qcq_atomic_open(&af, path, &e) == QCQ_OK);
	fputs("partial", af.fp);
	qcq_atomic_abort(&af);
	CHECK(qcq_read_file(path, 1 << 20, &buf, &n, &e) == QCQ_OK);
	CHECK(n == 5);
	free(buf);
	unlink(path);
	CHECK(qcq_read_file("/nonexistent/x", 10, &buf, &n, &e) == QCQ_EIO);
	CHECK_STR_CONTAINS(e.msg, "/nonexistent/x: cannot open: No such file");
	CHECK(qcq_write_file_atomic("/nonexistent/dir/x", "a", 1, &e) == QCQ_EIO);
}

int main(void)
{
	RUN(test_error_prefix);
	RUN(test_rng_reproducible_and_uniform);
	RUN(test_pool_covers_range);
	RUN(test_checked_alloc_refuses_huge);
	RUN(test_atomic_write);
	return check_summary();
}
