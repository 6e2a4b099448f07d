/*
 * data/split.c: from a loaded data set to a binary task: two sides of classes (a side
 * may merge several, like the MRI task's three tumour classes) and seeded train /
 * validation / test parts, either balanced (half of each part per side) or stratified
 * (each part keeps the sides' proportions in the data set).
 *
 * Each side's images are shuffled once with the split's seed and dealt out in order,
 * train first, so the parts never overlap and a larger train count keeps the smaller
 * one's images as a prefix. Not here: loading (other files), features (cache.c).
 */
#include "qcq/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const data_part_names[DATA_NPARTS] = {"train", "val", "test"};

/* Append class c's name to a side's name ("a+b"). */
static void name_append(char *dst, size_t size, const char *name)
{
	size_t len = strlen(dst);
	snprintf(dst + len, size - len, "%s%s", len ? "+" : "", name);
}

enum qcq_status data_classes_parse(const struct data_set *ds, const char *side0,
				   const char *side1, struct data_classes *out,
				   struct qcq_error *err)
{
	struct data_classes c;
	memset(&c, 0, sizeof c);
	c.nclasses = ds->nclasses;
	memset(c.map, -1, sizeof c.map);
	const char *spec[2] = {side0, side1};
	for (int s = 0; s < 2; s++) {
		const char *p = spec[s];
		int count = 0;
		while (*p) {
			const char *e = strchr(p, '+');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char word[DATA_NAME_MAX * 2];
			if (len >= sizeof word)
				len = sizeof word - 1;
			memcpy(word, p, len);
			word[len] = '\0';
			int k = data_set_find_class(ds, word);
			if (k < 0) {
				char list[600] = "";
				for (int i = 0; i < ds->nclasses && strlen(list) < 500; i++)
					name_append(list, sizeof list, ds->class_names[i]);
				for (char *q = list; *q; q++)
					if (*q == '+')
						*q = ',';
				return qcq_error_set(err, QCQ_EINVAL, "no class '%s' (classes: %s)", word,
						     list);
			}
			if (c.map[k] != -1)
				return qcq_error_set(err, QCQ_EINVAL, "class '%s' is named twice",
						     ds->class_names[k]);
			c.map[k] = (int8_t)s;
			name_append(c.name[s], sizeof c.name[s], ds->class_names[k]);
			count++;
			p = e ? e + 1 : p + len;
		}
		if (count == 0)
			return qcq_error_set(err, QCQ_EINVAL, "side %d of the task has no class", s);
	}
	*out = c;
	return QCQ_OK;
}

void data_split_free(struct data_split *s)
{
	if (!s)
		return;
	for (int p = 0; p < DATA_NPARTS; p++) {
		qcq_aligned_free(s->part[p].images);
		free(s->part[p].labels);
		free(s->part[p].index);
	}
	free(s);
}

/* Per-side counts of each part from the spec; an error if a side is too small. */
static enum qcq_status plan_counts(const struct data_split_spec *spec, const size_t avail[2],
				   const struct data_classes *cls, size_t per[DATA_NPARTS][2],
				   struct qcq_error *err)
{
	double fsum = 0;
	for (int p = 0; p < DATA_NPARTS; p++) {
		double a = spec->amount[p];
		if (!(a >= 0) || (spec->fractions && a > 1) || (!spec->fractions && a != floor(a)))
			return qcq_error_set(err, QCQ_EINVAL, "%s: %g is not a %s", data_part_names[p], a,
					     spec->fractions ? "fraction in [0, 1]" : "count >= 0");
		if (!spec->fractions && a > (double)DATA_MAX_IMAGES)
			return qcq_error_set(err, QCQ_ERANGE, "%s: %g over %zu images",
					     data_part_names[p], a, DATA_MAX_IMAGES);
		fsum += a;
	}
	if (spec->fractions && fsum > 1 + 1e-9)
		return qcq_error_set(err, QCQ_EINVAL, "fractions add up to %g (more than 1)", fsum);
	size_t m = avail[0] < avail[1] ? avail[0] : avail[1];
	size_t need[2] = {0, 0};
	for (int p = 0; p < DATA_NPARTS; p++) {
		if (spec->fractions) {
			size_t k = (size_t)floor(spec->amount[p] * (double)m + 1e-9);
			per[p][0] = per[p][1] = k;
		} else {
			size_t a = (size_t)spec->amount[p];
			per[p][0] = a - a / 2;
			per[p][1] = a / 2;
		}
		need[0] += per[p][0];
		need[1] += per[p][1];
	}
	if (per[DATA_TRAIN][0] == 0 || per[DATA_TRAIN][1] == 0)
		return qcq_error_set(err, QCQ_EINVAL, "the training part would be empty (train needs at "
				     "least one image per side)");
	int order[2] = {avail[0] <= avail[1] ? 0 : 1, avail[0] <= avail[1] ? 1 : 0};
	for (int k = 0; k < 2; k++) {
		int s = order[k]; /* the smaller side first: its shortfall is the binding one */
		if (need[s] > avail[s])
			return qcq_error_set(err, QCQ_ERANGE, "side '%s' has %zu images, the split needs "
					     "%zu (train %zu + val %zu + test %zu); ask for fewer or for "
					     "fractions (train=0.7 val=0.15 test=0.15)", cls->name[s],
					     avail[s], need[s], per[0][s], per[1][s], per[2][s]);
	}
	return QCQ_OK;
}

/* Per-side counts of each part for a stratified split of n[p] images per part: side 0
 * gets round(total * its share) of them, spread over the parts by largest remainder. */
static enum qcq_status plan_stratified(const size_t n[DATA_NPARTS], const size_t avail[2],
				       const struct data_classes *cls,
				       size_t per[DATA_NPARTS][2], struct qcq_error *err)
{
	size_t total = 0, have = avail[0] + avail[1];
	for (int p = 0; p < DATA_NPARTS; p++) {
		if (n[p] > DATA_MAX_IMAGES)
			return qcq_error_set(err, QCQ_ERANGE, "%s: %zu over %zu images",
					     data_part_names[p], n[p], DATA_MAX_IMAGES);
		total += n[p];
	}
	if (total > have)
		return qcq_error_set(err, QCQ_ERANGE, "the split needs %zu images (train %zu + val %zu "
				     "+ test %zu), the task has %zu ('%s' %zu, '%s' %zu)", total, n[0],
				     n[1], n[2], have, cls->name[0], avail[0], cls->name[1], avail[1]);
	double q = (double)avail[0] / (double)have;
	size_t t0 = (size_t)floor((double)total * q + 0.5), got = 0;
	if (t0 + avail[1] < total)
		t0 = total - avail[1];
	if (t0 > avail[0])
		t0 = avail[0];
	double rem[DATA_NPARTS];
	for (int p = 0; p < DATA_NPARTS; p++) {
		double x = total ? (double)n[p] * (double)t0 / (double)total : 0;
		per[p][0] = (size_t)floor(x);
		rem[p] = x - floor(x);
		got += per[p][0];
	}
	while (got < t0) { /* the largest remainder first; ties to the earlier part */
		int best = -1;
		for (int p = 0; p < DATA_NPARTS; p++)
			if (per[p][0] < n[p] && (best < 0 || rem[p] > rem[best]))
				best = p;
		per[best][0]++;
		rem[best] = -1;
		got++;
	}
	for (int p = 0; p < DATA_NPARTS; p++)
		per[p][1] = n[p] - per[p][0];
	if (per[DATA_TRAIN][0] == 0 || per[DATA_TRAIN][1] == 0)
		return qcq_error_set(err, QCQ_EINVAL, "the training part would hold only one side "
				     "(train %zu of %zu + %zu images)", n[DATA_TRAIN], avail[0], avail[1]);
	return QCQ_OK;
}

static void side_counts(const struct data_set *ds, const struct data_classes *cls,
			size_t avail[2])
{
	avail[0] = avail[1] = 0;
	for (size_t i = 0; i < ds->n; i++) {
		int s = cls->map[ds->labels[i]];
		if (s >= 0)
			avail[s]++;
	}
}

static enum qcq_status deal(const struct data_set *ds, const struct data_classes *cls,
			    const size_t avail[2], const size_t per[DATA_NPARTS][2], uint64_t seed,
			    struct data_split **out, struct qcq_error *err);

/* Checks the selection, counts each side, plans the parts (balanced from spec, or
 * stratified from n when spec is NULL) and deals them. */
static enum qcq_status split_with(const struct data_set *ds, const struct data_classes *cls,
				  const struct data_split_spec *spec, const size_t *n,
				  uint64_t seed, struct data_split **out, struct qcq_error *err)
{
	if (cls->nclasses != ds->nclasses)
		return qcq_error_set(err, QCQ_ESTATE, "the class selection is for %d classes, the data "
				     "has %d", cls->nclasses, ds->nclasses);
	size_t avail[2];
	side_counts(ds, cls, avail);
	size_t per[DATA_NPARTS][2];
	enum qcq_status st = spec ? plan_counts(spec, avail, cls, per, err)
				  : plan_stratified(n, avail, cls, per, err);
	return st ? st : deal(ds, cls, avail, per, seed, out, err);
}

enum qcq_status data_split_make(const struct data_set *ds, const struct data_classes *cls,
				const struct data_split_spec *spec, struct data_split **out,
				struct qcq_error *err)
{
	return split_with(ds, cls, spec, NULL, spec->seed, out, err);
}

enum qcq_status data_split_make_stratified(const struct data_set *ds,
					   const struct data_classes *cls,
					   const size_t n[DATA_NPARTS], uint64_t seed,
					   struct data_split **out, struct qcq_error *err)
{
	return split_with(ds, cls, NULL, n, seed, out, err);
}

/* Shuffles each side with the seed and deals per[p][s] images of side s to part p,
 * train first; within a part the order is shuffled too. */
static enum qcq_status deal(const struct data_set *ds, const struct data_classes *cls,
			    const size_t avail[2], const size_t per[DATA_NPARTS][2], uint64_t seed,
			    struct data_split **out, struct qcq_error *err)
{
	enum qcq_status st = QCQ_OK;
	/* each side's indices in data set order, then shuffled */
	uint32_t *idx[2];
	struct qcq_rng root;
	qcq_rng_seed_domain(&root, seed, "data.split");
	for (int s = 0; s < 2; s++) {
		idx[s] = qcq_xmalloc((avail[s] ? avail[s] : 1) * sizeof(uint32_t));
		size_t k = 0;
		for (size_t i = 0; i < ds->n; i++)
			if (cls->map[ds->labels[i]] == s)
				idx[s][k++] = (uint32_t)i;
		struct qcq_rng r = qcq_rng_split(&root, (uint64_t)s + 1);
		qcq_rng_shuffle(&r, idx[s], avail[s]);
	}
	struct data_split *sp = qcq_xcalloc(1, sizeof *sp);
	sp->h = ds->h;
	sp->w = ds->w;
	sp->seed = seed;
	sp->classes = *cls;
	sp->available[0] = avail[0];
	sp->available[1] = avail[1];
	snprintf(sp->side_name[0], sizeof sp->side_name[0], "%s", cls->name[0]);
	snprintf(sp->side_name[1], sizeof sp->side_name[1], "%s", cls->name[1]);
	size_t px = (size_t)ds->h * (size_t)ds->w, next[2] = {0, 0};
	uint64_t h = QCQ_HASH_INIT;
	for (int p = 0; p < DATA_NPARTS && !st; p++) {
		struct data_subset *sub = &sp->part[p];
		size_t n = per[p][0] + per[p][1];
		sub->n = n;
		if (n == 0)
			continue;
		sub->images = qcq_alloc_checked(n * px, sizeof(float), "split images", err);
		if (!sub->images) {
			st = err ? err->code : QCQ_ENOMEM;
			break;
		}
		sub->labels = qcq_xmalloc(n * sizeof(int32_t));
		sub->index = qcq_xmalloc(n * sizeof(size_t));
		/* interleave the two sides, then shuffle within the part */
		uint32_t *order = qcq_xmalloc(n * sizeof(uint32_t));
		for (size_t k = 0; k < n; k++)
			order[k] = (uint32_t)k;
		struct qcq_rng r = qcq_rng_split(&root, 10 + (uint64_t)p);
		qcq_rng_shuffle(&r, order, n);
		for (size_t k = 0; k < n; k++) {
			int s = k < per[p][0] ? 0 : 1;
			size_t src = idx[s][next[s]++];
			size_t dst = order[k];
			sub->labels[dst] = s;
			sub->index[dst] = src;
			memcpy(sub->images + dst * px, ds->images + src * px, px * sizeof(float));
		}
		free(order);
		h = qcq_hash(h, &n, sizeof n);
		h = qcq_hash(h, sub->labels, n * sizeof(int32_t));
		h = qcq_hash(h, sub->images, n * px * sizeof(float));
	}
	free(idx[0]);
	free(idx[1]);
	if (st) {
		data_split_free(sp);
		return st;
	}
	int32_t dims[2] = {ds->h, ds->w};
	sp->hash = qcq_hash(h, dims, sizeof dims);
	*out = sp;
	return QCQ_OK;
}

size_t data_split_total(const struct data_split *s)
{
	return s->part[0].n + s->part[1].n + s->part[2].n;
}

const struct data_subset *data_split_locate(const struct data_split *s, size_t k, int *part,
					    size_t *local)
{
	for (int p = 0; p < DATA_NPARTS; p++) {
		if (k < s->part[p].n) {
			if (part)
				*part = p;
			if (local)
				*local = k;
			return &s->part[p];
		}
		k -= s->part[p].n;
	}
	return NULL;
}
