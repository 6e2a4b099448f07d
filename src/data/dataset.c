/*
 * data/dataset.c: the data set value (images, labels, class names), class lookup by
 * index or name, hashing for cache keys, resizing and statistics.
 *
 * Not here: reading files (idx.c, npy.c, csv.c, image.c, folder.c) and splits (split.c).
 */
#include "qcq/data.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const data_fashion_names[10] = {
	"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};

static char *dup_name(const char *s)
{
	size_t n = strnlen(s, DATA_NAME_MAX - 1);
	char *d = qcq_xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

enum qcq_status data_set_create(size_t n, int h, int w, int nclasses, struct data_set **out,
				struct qcq_error *err)
{
	if (n < 1 || n > DATA_MAX_IMAGES)
		return qcq_error_set(err, QCQ_ERANGE, "%zu images out of range [1, %zu]", n,
				     DATA_MAX_IMAGES);
	if (h < 1 || w < 1 || h > DATA_MAX_SIDE || w > DATA_MAX_SIDE)
		return qcq_error_set(err, QCQ_ERANGE, "image size %dx%d out of range [1, %d]", h, w,
				     DATA_MAX_SIDE);
	if (nclasses < 1 || nclasses > DATA_MAX_CLASSES)
		return qcq_error_set(err, QCQ_ERANGE, "%d classes out of range [1, %d]", nclasses,
				     DATA_MAX_CLASSES);
	size_t pix;
	if (!qcq_mul_size(n, (size_t)h * (size_t)w, &pix))
		return qcq_error_set(err, QCQ_ERANGE, "%zu images of %dx%d overflow", n, h, w);
	float *images = qcq_alloc_checked(pix, sizeof(float), "images", err);
	if (!images)
		return err ? err->code : QCQ_ENOMEM;
	int32_t *labels = qcq_alloc_checked(n, sizeof(int32_t), "labels", err);
	if (!labels) {
		qcq_aligned_free(images);
		return err ? err->code : QCQ_ENOMEM;
	}
	struct data_set *ds = qcq_xcalloc(1, sizeof *ds);
	ds->n = n;
	ds->h = h;
	ds->w = w;
	ds->images = images;
	ds->labels = labels;
	ds->nclasses = nclasses;
	ds->class_names = qcq_xcalloc((size_t)nclasses, sizeof(char *));
	for (int c = 0; c < nclasses; c++) {
		char buf[16];
		snprintf(buf, sizeof buf, "%d", c);
		ds->class_names[c] = dup_name(buf);
	}
	*out = ds;
	return QCQ_OK;
}

void data_set_free(struct data_set *ds)
{
	if (!ds)
		return;
	for (int c = 0; c < ds->nclasses; c++)
		free(ds->class_names[c]);
	free(ds->class_names);
	qcq_aligned_free(ds->images);
	qcq_aligned_free(ds->labels);
	free(ds);
}

void data_set_set_names(struct data_set *ds, const char *const *names, int n)
{
	for (int c = 0; c < ds->nclasses && c < n; c++) {
		free(ds->class_names[c]);
		ds->class_names[c] = dup_name(names[c]);
	}
}

/* Lower-case letters and digits only: "T-shirt/top" -> "tshirttop". */
static void squash(const char *s, char *d, size_t size)
{
	size_t j = 0;
	for (; *s && j + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			d[j++] = (char)tolower((unsigned char)*s);
	d[j] = '\0';
}

int data_set_find_class(const struct data_set *ds, const char *text)
{
	if (!*text)
		return -1;
	char *end;
	long v = strtol(text, &end, 10);
	if (*end == '\0' && isdigit((unsigned char)text[0]))
		return v >= 0 && v < ds->nclasses ? (int)v : -1;
	for (int c = 0; c < ds->nclasses; c++)
		if (strcmp(ds->class_names[c], text) == 0)
			return c;
	char want[DATA_NAME_MAX], have[DATA_NAME_MAX];
	squash(text, want, sizeof want);
	if (!want[0])
		return -1;
	/* exact squashed match, then a unique squashed prefix ("tshirt", "ankle") */
	int found = -1, nprefix = 0;
	for (int c = 0; c < ds->nclasses; c++) {
		squash(ds->class_names[c], have, sizeof have);
		if (strcmp(have, want) == 0)
			return c;
		if (strncmp(have, want, strlen(want)) == 0) {
			found = c;
			nprefix++;
		}
	}
	return nprefix == 1 ? found : -1;
}

/* ---------------------------------------------------------------- resizing */

/*
 * One axis of a separable resampling: output i reads taps[i].n inputs starting at
 * taps[i].first with weights taps[i].w (summing to 1).
 */
struct axis_taps {
	int first, n;
	float *w;
};

static struct axis_taps *axis_plan(int out, int in)
{
	struct axis_taps *t = qcq_xcalloc((size_t)out, sizeof *t);
	if (out <= in) {
		/* area: output i covers input [i*s, (i+1)*s) with s = in/out */
		double s = (double)in / out;
		for (int i = 0; i < out; i++) {
			double a = i * s, b = (i + 1) * s;
			int first = (int)floor(a), last = (int)ceil(b) - 1;
			if (last > in - 1)
				last = in - 1;
			t[i].first = first;
			t[i].n = last - first + 1;
			t[i].w = qcq_xmalloc((size_t)t[i].n * sizeof(float));
			for (int k = first; k <= last; k++) {
				double lo = k > a ? k : a, hi = k + 1 < b ? k + 1 : b;
				t[i].w[k - first] = (float)((hi - lo) / s);
			}
		}
	} else {
		/* bilinear with pixel centres aligned: x = (i + 0.5) * in/out - 0.5 */
		double s = (double)in / out;
		for (int i = 0; i < out; i++) {
			double x = (i + 0.5) * s - 0.5;
			if (x < 0)
				x = 0;
			if (x > in - 1)
				x = in - 1;
			int x0 = (int)floor(x);
			int x1 = x0 + 1 < in ? x0 + 1 : x0;
			double f = x - x0;
			t[i].first = x0;
			t[i].n = x1 - x0 + 1;
			t[i].w = qcq_xmalloc(2 * sizeof(float));
			if (t[i].n == 1) {
				t[i].w[0] = 1.0f;
			} else {
				t[i].w[0] = (float)(1 - f);
				t[i].w[1] = (float)f;
			}
		}
	}
	return t;
}

static void axis_free(struct axis_taps *t, int n)
{
	for (int i = 0; i < n; i++)
		free(t[i].w);
	free(t);
}

void data_resize(float *out, int oh, int ow, const float *in, int ih, int iw)
{
	if (oh == ih && ow == iw) {
		memcpy(out, in, (size_t)oh * (size_t)ow * sizeof(float));
		return;
	}
	struct axis_taps *ty = axis_plan(oh, ih), *tx = axis_plan(ow, iw);
	/* rows first: (ih, iw) -> (oh, iw), then columns -> (oh, ow) */
	float *mid = qcq_xmalloc((size_t)oh * (size_t)iw * sizeof(float));
	for (int i = 0; i < oh; i++) {
		float *m = mid + (size_t)i * iw;
		for (int x = 0; x < iw; x++)
			m[x] = 0;
		for (int k = 0; k < ty[i].n; k++) {
			const float *r = in + (size_t)(ty[i].first + k) * iw;
			float wk = ty[i].w[k];
			for (int x = 0; x < iw; x++)
				m[x] += wk * r[x];
		}
	}
	for (int i = 0; i < oh; i++) {
		const float *m = mid + (size_t)i * iw;
		for (int j = 0; j < ow; j++) {
			float acc = 0;
			for (int k = 0; k < tx[j].n; k++)
				acc += tx[j].w[k] * m[tx[j].first + k];
			out[(size_t)i * ow + j] = acc;
		}
	}
	free(mid);
	axis_free(ty, oh);
	axis_free(tx, ow);
}

/* ---------------------------------------------------------------- statistics */

void data_stats_compute(const float *images, const int32_t *labels, size_t n, int h, int w,
			int nclasses, struct data_stats *out)
{
	size_t px = (size_t)h * (size_t)w;
	memset(out, 0, sizeof *out);
	out->nclasses = nclasses;
	out->h = h;
	out->w = w;
	out->count = qcq_xcalloc((size_t)(nclasses > 0 ? nclasses : 1), sizeof(size_t));
	double *acc = qcq_xcalloc(px, sizeof(double));
	double sum = 0, sum2 = 0, lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		if (labels && labels[i] >= 0 && labels[i] < nclasses)
			out->count[labels[i]]++;
		const float *im = images + i * px;
		for (size_t p = 0; p < px; p++) {
			double v = im[p];
			acc[p] += v;
			sum += v;
			sum2 += v * v;
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	}
	out->mean = qcq_xmalloc(px * sizeof(float));
	for (size_t p = 0; p < px; p++)
		out->mean[p] = n ? (float)(acc[p] / (double)n) : 0.0f;
	free(acc);
	double cnt = (double)n * (double)px;
	out->pixel_mean = cnt > 0 ? sum / cnt : 0;
	double var = cnt > 0 ? sum2 / cnt - out->pixel_mean * out->pixel_mean : 0;
	out->pixel_std = var > 0 ? sqrt(var) : 0;
	out->pixel_min = cnt > 0 ? lo : 0;
	out->pixel_max = cnt > 0 ? hi : 0;
}

void data_stats_free(struct data_stats *st)
{
	free(st->count);
	free(st->mean);
	memset(st, 0, sizeof *st);
}
