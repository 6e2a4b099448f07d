/*
 * tests/scratch.h: a scratch folder for a test program's files. scratch_open makes
 * /tmp/qcq-test-NAME-XXXXXX, or uses $QCQ_KEEP_PNG when set (to keep the pictures and
 * look at them); scratch_path names a file in it; scratch_close removes it unless kept.
 */
#ifndef QCQ_TESTS_SCRATCH_H
#define QCQ_TESTS_SCRATCH_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static char scratch_dir[512];
static bool scratch_kept;

/* 0 on success; a test program returns 1 when it fails. */
static inline int scratch_open(const char *name)
{
	const char *keep = getenv("QCQ_KEEP_PNG");
	scratch_kept = keep && *keep;
	if (scratch_kept) {
		snprintf(scratch_dir, sizeof scratch_dir, "%s", keep);
		mkdir(scratch_dir, 0755);
		return 0;
	}
	snprintf(scratch_dir, sizeof scratch_dir, "/tmp/qcq-test-%s-XXXXXX", name);
	if (!mkdtemp(scratch_dir)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

/* scratch_dir/file; the last four results stay valid. */
static inline const char *scratch_path(const char *file)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", scratch_dir, file);
	return buf[k];
}

static inline void scratch_close(void)
{
	if (scratch_kept || !scratch_dir[0])
		return;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", scratch_dir);
}

#endif
