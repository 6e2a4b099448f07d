/*
 * data/places.c: where data sets are looked for when a command names no folder.
 *
 * In order: the command's own DIR (the caller's business), then $QCQ_DATA, then the data
 * home $XDG_DATA_HOME/qcqlab (else $HOME/.local/share/qcqlab: where `fetch` puts what it
 * downloads), then ./data. One resolver for every command and for the studies, so they
 * agree on where "mnist" is.
 * Not here: reading the files (idx.c, folder.c), downloading them (fetch.c).
 */
#include "qcq/data.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_dir(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

bool data_home_dir(char *buf, size_t size)
{
	const char *e;
	if ((e = getenv("XDG_DATA_HOME")) && *e)
		snprintf(buf, size, "%s/qcqlab", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(buf, size, "%s/.local/share/qcqlab", e);
	else
		return false;
	return true;
}

int data_roots(char roots[DATA_ROOTS_MAX][DATA_PATH_MAX])
{
	int n = 0;
	const char *e = getenv("QCQ_DATA");
	if (e && *e)
		snprintf(roots[n++], DATA_PATH_MAX, "%s", e);
	if (data_home_dir(roots[n], DATA_PATH_MAX))
		n++;
	snprintf(roots[n++], DATA_PATH_MAX, "data");
	return n;
}

bool data_find(const char *name, char *buf, size_t size)
{
	char roots[DATA_ROOTS_MAX][DATA_PATH_MAX];
	int n = data_roots(roots);
	for (int i = 0; i < n; i++) {
		if (name)
			snprintf(buf, size, "%s/%s", roots[i], name);
		else
			snprintf(buf, size, "%s", roots[i]);
		if (is_dir(buf))
			return true;
	}
	/* nothing there: the places looked in, for the caller's message */
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s%s", i ? ", " : "", roots[i],
					name ? "/" : "", name ? name : "");
	return false;
}
