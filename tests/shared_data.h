/*
 * tests/shared_data.h: where the real data sets are (../shared/data, see its README),
 * for tests that use them and skip with a message when they are absent.
 */
#ifndef QCQ_TESTS_SHARED_DATA_H
#define QCQ_TESTS_SHARED_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* $QCQ_SHARED_DATA, else <source root>/../shared/data; NULL if that is not a folder. */
static inline const char *shared_data_dir(void)
{
	static char buf[1024];
	const char *e = getenv("QCQ_SHARED_DATA");
	if (e && *e)
		snprintf(buf, sizeof buf, "%s", e);
	else
		snprintf(buf, sizeof buf, "%s/../shared/data", QCQ_SOURCE_DIR);
	struct stat sb;
	return stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode) ? buf : NULL;
}

#endif
