/*
 * data/folder.c: a folder with one subfolder per class (torchvision's ImageFolder, the
 * layout of the brain-MRI set), decoded in parallel on the pool.
 *
 * The directory walk comes first and is serial (so errors about the layout come before
 * any decoding); then every file is read, decoded and resized into its slot of the data
 * set by the pool's workers. The first failing file in sorted order is the one reported,
 * whatever order the workers ran in.
 *
 * Not here: decoding (image.c) and resampling (dataset.c).
 */
#include "qcq/data.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

struct strv {
	char **v;
	size_t n, cap;
};

static void strv_push(struct strv *s, const char *x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = qcq_xrealloc(s->v, s->cap * sizeof(char *));
	}
	s->v[s->n++] = qcq_xstrdup(x);
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_image_name(const char *n)
{
	const char *dot = strrchr(n, '.');
	return dot && (strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".jpg") == 0 ||
		       strcasecmp(dot, ".jpeg") == 0);
}

/* Entries of dir (sorted): subdirectories if want_dirs, else image files. */
static enum qcq_status list_dir(const char *dir, bool want_dirs, struct strv *out,
				struct qcq_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return qcq_error_errno(err, errno, "%s: cannot open directory", dir);
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (stat(path, &sb) != 0)
			continue;
		if (want_dirs ? S_ISDIR(sb.st_mode) : (S_ISREG(sb.st_mode) && is_image_name(e->d_name)))
			strv_push(out, e->d_name);
	}
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(char *), cmp_str);
	return QCQ_OK;
}

struct folder_job {
	char **paths;
	int h, w;          /* target size */
	bool native;       /* h, w are the first image's size and every image must match */
	float *images;
	enum qcq_status *st;
	struct qcq_error *errs;
};

static void decode_range(void *ctx, size_t b, size_t e, int worker)
{
	struct folder_job *j = ctx;
	size_t px = (size_t)j->h * (size_t)j->w;
	for (size_t i = b; i < e; i++) {
		float *im;
		int ih, iw;
		j->st[i] = data_read_image(j->paths[i], &im, &ih, &iw, &j->errs[i]);
		if (j->st[i])
			continue;
		if (j->native && (ih != j->h || iw != j->w))
			j->st[i] = qcq_error_set(&j->errs[i], QCQ_EFORMAT, "%s: image is %dx%d, the first "
						 "image %s is %dx%d (load with a size to resize)",
						 j->paths[i], iw, ih, j->paths[0], j->w, j->h);
		else
			data_resize(j->images + i * px, j->h, j->w, im, ih, iw);
		free(im);
	}
}

static bool has_images(const char *dir)
{
	struct strv f = {0};
	list_dir(dir, false, &f, NULL);
	bool any = f.n > 0;
	strv_free(&f);
	return any;
}

static bool strv_has(const struct strv *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return true;
	return false;
}

/*
 * Walk the layout: class names and every file's path and label. DIR/<class>/files, or
 * one level more, DIR/<part>/<class>/files (the MRI set's Training/Testing): then the
 * classes are the union of the class folder names and each class takes its files from
 * every part, in sorted order.
 */
static enum qcq_status walk(const char *dir, struct strv *classes, struct strv *paths,
			    int32_t **labels, struct qcq_error *err)
{
	struct strv top = {0}, roots = {0};
	enum qcq_status st = list_dir(dir, true, &top, err);
	if (st)
		return st;
	if (top.n == 0) {
		strv_free(&top);
		return qcq_error_set(err, QCQ_EFORMAT, "%s: no class subfolders (expected DIR/<class>/"
				     "*.png|*.jpg)", dir);
	}
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/%s", dir, top.v[0]);
	struct strv inner = {0};
	list_dir(sub, true, &inner, NULL);
	bool nested = !has_images(sub) && inner.n > 0;
	strv_free(&inner);
	if (!nested) {
		strv_push(&roots, dir);
		for (size_t i = 0; i < top.n; i++)
			strv_push(classes, top.v[i]);
	} else {
		for (size_t t = 0; t < top.n; t++) {
			snprintf(sub, sizeof sub, "%s/%s", dir, top.v[t]);
			strv_push(&roots, sub);
			struct strv cl = {0};
			list_dir(sub, true, &cl, NULL);
			for (size_t i = 0; i < cl.n; i++)
				if (!strv_has(classes, cl.v[i]))
					strv_push(classes, cl.v[i]);
			strv_free(&cl);
		}
		qsort(classes->v, classes->n, sizeof(char *), cmp_str);
	}
	strv_free(&top);
	if (classes->n > DATA_MAX_CLASSES) {
		strv_free(&roots);
		return qcq_error_set(err, QCQ_ERANGE, "%s: %zu class subfolders over %d", dir,
				     classes->n, DATA_MAX_CLASSES);
	}
	size_t cap = 0;
	for (size_t c = 0; c < classes->n && !st; c++) {
		for (size_t r = 0; r < roots.n && !st; r++) {
			snprintf(sub, sizeof sub, "%s/%s", roots.v[r], classes->v[c]);
			struct stat sb;
			if (nested && (stat(sub, &sb) != 0 || !S_ISDIR(sb.st_mode)))
				continue; /* this part lacks the class */
			struct strv files = {0};
			if ((st = list_dir(sub, false, &files, err)))
				break;
			if (files.n == 0)
				st = qcq_error_set(err, QCQ_EFORMAT, "%s: empty class folder (no .png, "
						   ".jpg or .jpeg files)", sub);
			for (size_t i = 0; i < files.n && !st; i++) {
				if (paths->n >= DATA_MAX_IMAGES) {
					st = qcq_error_set(err, QCQ_ERANGE, "%s: more than %zu images", dir,
							   DATA_MAX_IMAGES);
					break;
				}
				char p[8192];
				snprintf(p, sizeof p, "%s/%s", sub, files.v[i]);
				strv_push(paths, p);
				if (paths->n > cap) {
					cap = paths->cap;
					*labels = qcq_xrealloc(*labels, cap * sizeof(int32_t));
				}
				(*labels)[paths->n - 1] = (int32_t)c;
			}
			strv_free(&files);
		}
	}
	strv_free(&roots);
	return st;
}

enum qcq_status data_load_folder(const char *dir, int h, int w, struct qcq_pool *pool,
				 struct data_set **out, struct qcq_error *err)
{
	if (h < 0 || w < 0 || h > DATA_MAX_TARGET || w > DATA_MAX_TARGET || (h == 0) != (w == 0))
		return qcq_error_set(err, QCQ_EINVAL, "target size %dx%d out of range [1, %d] (0x0 "
				     "keeps the native size)", w, h, DATA_MAX_TARGET);
	struct strv classes = {0}, paths = {0};
	int32_t *labels = NULL;
	struct data_set *ds = NULL;
	struct folder_job j = {0};
	enum qcq_status st = walk(dir, &classes, &paths, &labels, err);
	if (st)
		goto done;
	j.native = h == 0;
	if (paths.n == 0) {
		st = qcq_error_set(err, QCQ_EFORMAT, "%s: no images", dir);
		goto done;
	}
	if (j.native) {
		/* the first image fixes the size */
		float *im;
		if ((st = data_read_image(paths.v[0], &im, &h, &w, err)))
			goto done;
		free(im);
	}
	if ((st = data_set_create(paths.n, h, w, (int)classes.n, &ds, err))) {
		qcq_error_prefix(err, "%s", dir);
		goto done;
	}
	j.paths = paths.v;
	j.h = h;
	j.w = w;
	j.images = ds->images;
	j.st = qcq_xcalloc(paths.n, sizeof *j.st);
	j.errs = qcq_xcalloc(paths.n, sizeof *j.errs);
	if (pool)
		qcq_pool_for(pool, paths.n, 8, decode_range, &j);
	else
		decode_range(&j, 0, paths.n, 0);
	for (size_t i = 0; i < paths.n; i++)
		if (j.st[i]) {
			st = j.st[i];
			if (err)
				*err = j.errs[i];
			goto done;
		}
	memcpy(ds->labels, labels, paths.n * sizeof(int32_t));
	data_set_set_names(ds, (const char *const *)classes.v, (int)classes.n);
	snprintf(ds->source, sizeof ds->source, "folder %s (%zu classes%s)", dir, classes.n,
		 j.native ? ", native size" : ", resized");
	*out = ds;
	ds = NULL;
done:
	data_set_free(ds);
	free(j.st);
	free(j.errs);
	free(labels);
	strv_free(&classes);
	strv_free(&paths);
	return st;
}
