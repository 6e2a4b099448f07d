/*
 * core/misc.c: the clock, hashing, OpenBLAS threads and whole-file I/O with atomic
 * replacement (every file a user asked us to write goes through here or through
 * qcq_atomic_open, so an interrupted write never leaves a half file behind). The
 * temporary is created exclusively, without following links, beside the target, keeps a
 * replaced file's mode, and temporaries of killed runs are removed by the next write.
 */
#include "qcq/core.h"

#ifdef QCQ_HAVE_OPENBLAS
#include <cblas.h> /* openblas_set_num_threads */
#endif
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double qcq_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

uint64_t qcq_hash(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void qcq_blas_set_threads(int n)
{
#ifdef QCQ_HAVE_OPENBLAS
	openblas_set_num_threads(n < 1 ? 1 : n);
#else
	(void)n; /* another CBLAS: its threads are its own business (OMP_NUM_THREADS) */
#endif
}

/* The folder of path ("." when it has none) into dir, the last component into base. */
static void split_path(const char *path, char *dir, size_t dn, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, dn, ".");
		*base = path;
	} else {
		snprintf(dir, dn, "%.*s", slash == path ? 1 : (int)(slash - path), path);
		*base = slash + 1;
	}
}

/*
 * Remove base.tmp.PID[.X] files in dir left by runs that were killed between open and
 * commit (PID no longer alive); those of live processes, ours included, stay.
 */
static void clean_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	size_t bl = strlen(base);
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (strncmp(n, base, bl) != 0 || strncmp(n + bl, ".tmp.", 5) != 0)
			continue;
		char *end;
		long pid = strtol(n + bl + 5, &end, 10);
		if (pid <= 0 || (*end && *end != '.') || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		struct stat sb;
		if (fstatat(dirfd(d), n, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (S_ISREG(sb.st_mode) || S_ISLNK(sb.st_mode)))
			unlinkat(dirfd(d), n, 0);
	}
	closedir(d);
}

enum qcq_status qcq_atomic_open(struct qcq_atomic_file *af, const char *path,
				struct qcq_error *err)
{
	memset(af, 0, sizeof *af);
	char dir[4096];
	const char *base;
	split_path(path, dir, sizeof dir, &base);
	if (!*base)
		return qcq_error_set(err, QCQ_EINVAL, "%s: not a file name", path);
	clean_stale(dir, base);
	/* path.tmp.PID.RANDOM, created exclusively and never through a link: a name planted
	 * beforehand makes the open fail and another name is tried */
	size_t n = strlen(path) + 48;
	char *tmp = qcq_xmalloc(n);
	static _Atomic unsigned long counter;
	int fd = -1, e = 0;
	for (int attempt = 0; attempt < 64 && fd < 0; attempt++) {
		uint64_t r = qcq_hash(QCQ_HASH_INIT ^ (uint64_t)(qcq_now() * 1e9), &attempt,
				      sizeof attempt);
		unsigned long c = ++counter;
		r = qcq_hash(r, &c, sizeof c);
		snprintf(tmp, n, "%s.tmp.%ld.%08x", path, (long)getpid(), (unsigned)r);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		e = errno;
		if (fd < 0 && e != EEXIST)
			break;
	}
	if (fd < 0) {
		free(tmp);
		return qcq_error_errno(err, e, "%s: cannot create a temporary file", path);
	}
	/* a replaced file keeps its permissions (0600 stays 0600) */
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
		(void)fchmod(fd, sb.st_mode & 07777);
	FILE *fp = fdopen(fd, "wb");
	if (!fp) {
		e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return qcq_error_errno(err, e, "%s: cannot create", path);
	}
	af->fp = fp;
	af->tmp = tmp;
	af->path = qcq_xstrdup(path);
	return QCQ_OK;
}

/* After a rename, the folder's entry is only durable once the folder itself is synced. */
static void sync_dir(const char *path)
{
	char dir[4096];
	const char *base;
	split_path(path, dir, sizeof dir, &base);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static void atomic_release(struct qcq_atomic_file *af)
{
	free(af->tmp);
	free(af->path);
	memset(af, 0, sizeof *af);
}

enum qcq_status qcq_atomic_commit(struct qcq_atomic_file *af, struct qcq_error *err)
{
	enum qcq_status st = QCQ_OK;
	if (fflush(af->fp) != 0 || fsync(fileno(af->fp)) != 0 || ferror(af->fp))
		st = qcq_error_errno(err, errno, "%s: write failed", af->path);
	if (fclose(af->fp) != 0 && st == QCQ_OK)
		st = qcq_error_errno(err, errno, "%s: write failed", af->path);
	af->fp = NULL;
	if (st == QCQ_OK && rename(af->tmp, af->path) != 0)
		st = qcq_error_errno(err, errno, "%s: cannot rename temporary file", af->path);
	if (st == QCQ_OK)
		sync_dir(af->path);
	if (st != QCQ_OK)
		unlink(af->tmp);
	atomic_release(af);
	return st;
}

void qcq_atomic_abort(struct qcq_atomic_file *af)
{
	if (af->fp)
		fclose(af->fp);
	if (af->tmp)
		unlink(af->tmp);
	atomic_release(af);
}

enum qcq_status qcq_write_file_atomic(const char *path, const void *data, size_t n,
				      struct qcq_error *err)
{
	struct qcq_atomic_file af;
	enum qcq_status st = qcq_atomic_open(&af, path, err);
	if (st)
		return st;
	if (n && fwrite(data, 1, n, af.fp) != n) {
		st = qcq_error_errno(err, errno, "%s: write failed", path);
		qcq_atomic_abort(&af);
		return st;
	}
	return qcq_atomic_commit(&af, err);
}

enum qcq_status qcq_mkdir_p_mode(const char *dir, unsigned mode, struct qcq_error *err)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
		return qcq_error_set(err, QCQ_EINVAL, "%.64s...: path too long", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, (mode_t)mode) != 0 && errno != EEXIST)
			return qcq_error_errno(err, errno, "%s: cannot create directory", tmp);
		*p = '/';
	}
	if (mkdir(tmp, (mode_t)mode) != 0 && errno != EEXIST)
		return qcq_error_errno(err, errno, "%s: cannot create directory", tmp);
	return QCQ_OK;
}

enum qcq_status qcq_mkdir_p(const char *dir, struct qcq_error *err)
{
	return qcq_mkdir_p_mode(dir, 0755, err);
}

enum qcq_status qcq_read_file(const char *path, size_t limit, char **data, size_t *n,
			      struct qcq_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return qcq_error_errno(err, errno, "%s: cannot open", path);
	size_t cap = 4096, len = 0;
	char *buf = qcq_xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap >= limit) {
				fclose(fp);
				free(buf);
				return qcq_error_set(err, QCQ_ERANGE, "%s: larger than %zu bytes", path,
						     limit);
			}
			cap = cap * 2 > limit ? limit : cap * 2;
			buf = qcq_xrealloc(buf, cap + 1);
		}
		size_t got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno;
		fclose(fp);
		free(buf);
		return qcq_error_errno(err, e, "%s: read failed", path);
	}
	fclose(fp);
	buf[len] = '\0';
	*data = buf;
	*n = len;
	return QCQ_OK;
}

void qcq_post_log(const struct qcq_sink *s, const char *fmt, ...)
{
	if (!s || !s->post)
		return;
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct qcq_event ev = {.kind = QCQ_EV_LOG, .text = text};
	s->post(s->ctx, &ev);
}
