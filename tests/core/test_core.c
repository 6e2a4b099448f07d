/* tests/core: errors, rng, pool, atomic files. */
#include "qcq/core.h"
#include "check.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
	/* the limit follows this machine's memory: all of it is refused, with the numbers */
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	size_t phys = (size_t)pages * (size_t)page;
	CHECK(qcq_mem_limit() == phys / 4 * 3);
	CHECK(qcq_alloc_checked(phys / 4096, 4096, "features", &e) == NULL);
	CHECK(e.code == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "features: ");
	CHECK_STR_CONTAINS(e.msg, " GiB of memory)");
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

/* Names in dir starting with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *ent;
	while (d && (ent = readdir(d)))
		n += strncmp(ent->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

/*
 * The hostile cases: a link planted at the temporary's name (the old name was the
 * predictable PATH.tmp.PID) must not be written through; a 0600 file stays 0600; the
 * temporaries of killed runs go away; nothing is left behind by a write.
 */
static void test_atomic_write_hostile(void)
{
	char dir[] = "/tmp/qcq_test_atomicdirXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], victim[256], link[300], stale[300], live[300];
	snprintf(path, sizeof path, "%s/model.qcqm", dir);
	snprintf(victim, sizeof victim, "%s/victim", dir);
	struct qcq_error e;
	CHECK(qcq_write_file_atomic(victim, "precious", 8, &e) == QCQ_OK);
	/* links at every name the old scheme would use */
	snprintf(link, sizeof link, "%s.tmp.%ld", path, (long)getpid());
	CHECK(symlink(victim, link) == 0);
	CHECK(qcq_write_file_atomic(path, "model", 5, &e) == QCQ_OK);
	char *buf;
	size_t n;
	CHECK(qcq_read_file(victim, 1 << 20, &buf, &n, &e) == QCQ_OK);
	CHECK(n == 8 && memcmp(buf, "precious", 8) == 0);
	free(buf);
	CHECK(qcq_read_file(path, 1 << 20, &buf, &n, &e) == QCQ_OK);
	CHECK(n == 5 && memcmp(buf, "model", 5) == 0);
	free(buf);
	unlink(link);
	/* the mode of the replaced file is kept, whatever the umask */
	CHECK(chmod(path, 0600) == 0);
	mode_t old = umask(022);
	CHECK(qcq_write_file_atomic(path, "model2", 6, &e) == QCQ_OK);
	umask(old);
	struct stat sb;
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 07777) == 0600);
	/* temporaries of a killed run (its PID is gone) are removed; a live one's stay */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	CHECK(child > 0 && waitpid(child, NULL, 0) == child);
	snprintf(stale, sizeof stale, "%s.tmp.%ld", path, (long)child);
	CHECK(qcq_write_file_atomic(stale, "old", 3, &e) == QCQ_OK);
	snprintf(stale, sizeof stale, "%s.tmp.%ld.1a2b3c4d", path, (long)child);
	CHECK(qcq_write_file_atomic(stale, "old", 3, &e) == QCQ_OK);
	snprintf(live, sizeof live, "%s.tmp.%ld.00000000", path, (long)getppid());
	CHECK(qcq_write_file_atomic(live, "busy", 4, &e) == QCQ_OK);
	CHECK(count_prefixed(dir, "model.qcqm.tmp.") == 3);
	CHECK(qcq_write_file_atomic(path, "model3", 6, &e) == QCQ_OK);
	CHECK(count_prefixed(dir, "model.qcqm.tmp.") == 1);
	CHECK(access(live, F_OK) == 0);
	unlink(live);
	/* an aborted streaming write leaves nothing either */
	struct qcq_atomic_file af;
	CHECK(qcq_atomic_open(&af, path, &e) == QCQ_OK);
	CHECK(count_prefixed(dir, "model.qcqm.tmp.") == 1);
	qcq_atomic_abort(&af);
	CHECK(count_prefixed(dir, "model.qcqm.tmp.") == 0);
	/* a path without a folder part writes in the current folder */
	char cwd[1024];
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	CHECK(chdir(dir) == 0);
	CHECK(qcq_write_file_atomic("plain.txt", "x", 1, &e) == QCQ_OK);
	CHECK(access("plain.txt", F_OK) == 0);
	CHECK(chdir(cwd) == 0);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

int main(void)
{
	RUN(test_error_prefix);
	RUN(test_rng_reproducible_and_uniform);
	RUN(test_pool_covers_range);
	RUN(test_checked_alloc_refuses_huge);
	RUN(test_atomic_write);
	RUN(test_atomic_write_hostile);
	return check_summary();
}
