/*
 * data/split.c: from a loaded data set to a task: two or more sides of classes (a side
 * may merge several, like the binary MRI task's three tumour classes; a K-class task has
 * one class per side) and seeded train / validation / test parts, either balanced (1/K
 * of each part per side) or stratified (each part keeps the sides' proportions in the
 * data set).
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

/* "a,b,c" of the data set's class names, for messages. */
static void class_list(const struct data_set *ds, char *list, size_t size)
{
	list[0] = '\0';
	for (int i = 0; i < ds->nclasses && strlen(list) < size - 100; i++)
		name_append(list, size, ds->class_names[i]);
	for (char *q = list; *q; q++)
		if (*q == '+')
			*q = ',';
}

enum qcq_status data_classes_parse_sides(const struct data_set *ds, const char *const *sides,
					 int nsides, struct data_classes *out,
					 struct qcq_error *err)
{
	if (nsides < 2 || nsides > DATA_MAX_SIDES)
		return qcq_error_set(err, QCQ_EINVAL, "a task has 2 to %d classes (got %d)",
				     DATA_MAX_SIDES, nsides);
	struct data_classes *c = qcq_xcalloc(1, sizeof *c);
	c->nclasses = ds->nclasses;
	c->nsides = nsides;
	memset(c->map, -1, sizeof c->map);
	enum qcq_status st = QCQ_OK;
	for (int s = 0; s < nsides && !st; s++) {
		const char *p = sides[s];
		int count = 0;
		while (*p && !st) {
			const char *e = strchr(p, '+');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char word[DATA_NAME_MAX * 2];
			if (len >= sizeof word)
				len = sizeof word - 1;
			memcpy(word, p, len);
			word[len] = '\0';
			int k = data_set_find_class(ds, word);
			if (k < 0) {
				char list[600];
				class_list(ds, list, sizeof list);
				st = qcq_error_set(err, QCQ_EINVAL, "no class '%s' (classes: %s)", word,
						   list);
			} else if (c->map[k] != -1) {
				st = qcq_error_set(err, QCQ_EINVAL, "class '%s' is named twice",
						   ds->class_names[k]);
			} else {
				c->map[k] = (int8_t)s;
				name_append(c->name[s], sizeof c->name[s], ds->class_names[k]);
				count++;
				p = e ? e + 1 : p + len;
			}
		}
		if (!st && count == 0)
			st = qcq_error_set(err, QCQ_EINVAL, "side %d of the task has no class", s);
	}
	if (!st)
		*out = *c;
	free(c);
	return st;
}

enum qcq_status data_classes_parse(const struct data_set *ds, const char *side0,
				   const char *side1, struct data_classes *out,
				   struct qcq_error *err)
{
	const char *sides[2] = {side0, side1};
	return data_classes_parse_sides(ds, sides, 2, out, err);
}

enum qcq_status data_classes_all(const struct data_set *ds, struct data_classes *out,
				 struct qcq_error *err)
{
	if (ds->nclasses < 2 || ds->nclasses > DATA_MAX_SIDES)
		return qcq_error_set(err, QCQ_EINVAL, "classes all: the data has %d class%s, a task "
				     "has 2 to %d", ds->nclasses, ds->nclasses == 1 ? "" : "es",
				     DATA_MAX_SIDES);
	char idx[DATA_MAX_SIDES][8];
	const char *sides[DATA_MAX_SIDES];
	for (int k = 0; k < ds->nclasses; k++) {
		snprintf(idx[k], sizeof idx[k], "%d", k);
		sides[k] = idx[k];
	}
	return data_classes_parse_sides(ds, sides, ds->nclasses, out, err);
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

/* Per-side image counts of each part: per[p][s]. */
typedef size_t plan_t[DATA_NPARTS][DATA_MAX_SIDES];

/* Per-side counts of each part from the spec; an error if a side is too small. */
static enum qcq_status plan_counts(const struct data_split_spec *spec, const size_t *avail,
				   const struct data_classes *cls, plan_t per,
				   struct qcq_error *err)
{
	int K = cls->nsides;
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
	size_t m = avail[0];
	for (int s = 1; s < K; s++)
		m = avail[s] < m ? avail[s] : m;
	size_t need[DATA_MAX_SIDES] = {0};
	for (int p = 0; p < DATA_NPARTS; p++) {
		for (int s = 0; s < K; s++) {
			if (spec->fractions) {
				per[p][s] = (size_t)floor(spec->amount[p] * (double)m + 1e-9);
			} else { /* the first (a mod K) sides get one more */
				size_t a = (size_t)spec->amount[p];
				per[p][s] = a / (size_t)K + ((size_t)s < a % (size_t)K);
			}
			need[s] += per[p][s];
		}
	}
	for (int s = 0; s < K; s++)
		if (per[DATA_TRAIN][s] == 0)
			return qcq_error_set(err, QCQ_EINVAL, "the training part would be empty (train "
					     "needs at least one image per %s)", K == 2 ? "side" : "class");
	/* the smallest side first (ties: the earlier): its shortfall is the binding one */
	bool done[DATA_MAX_SIDES] = {false};
	for (int k = 0; k < K; k++) {
		int s = -1;
		for (int t = 0; t < K; t++)
			if (!done[t] && (s < 0 || avail[t] < avail[s]))
				s = t;
		done[s] = true;
		if (need[s] > avail[s])
			return qcq_error_set(err, QCQ_ERANGE, "%s '%s' has %zu images, the split needs "
					     "%zu (train %zu + val %zu + test %zu); ask for fewer or for "
					     "fractions (train=0.7 val=0.15 test=0.15)",
					     K == 2 ? "side" : "class", cls->name[s], avail[s], need[s],
					     per[0][s], per[1][s], per[2][s]);
	}
	return QCQ_OK;
}

/* Spreads t over slots with weights w[0..n) (sum W > 0) by largest remainder, each
 * slot at most cap[i] (sum of caps >= t, w[i] <= cap[i] scaled): out[i]. Ties go to the
 * earlier slot. */
static void apportion(size_t t, const double *w, double W, const size_t *cap, int n,
		      size_t *out)
{
	double rem[DATA_MAX_SIDES];
	size_t got = 0;
	for (int i = 0; i < n; i++) {
		double x = W > 0 ? w[i] * (double)t / W : 0;
		out[i] = (size_t)floor(x);
		if (out[i] > cap[i])
			out[i] = cap[i];
		rem[i] = x - floor(x);
		got += out[i];
	}
	while (got < t) {
		int best = -1;
		for (int i = 0; i < n; i++)
			if (out[i] < cap[i] && (best < 0 || rem[i] > rem[best]))
				best = i;
		if (best < 0)
			break;
		out[best]++;
		rem[best] = -1;
		got++;
	}
}

/* Per-side counts of each part for a stratified split of n[p] images per part (see
 * data.h): the sides' totals, then each spread over the parts. */
static enum qcq_status plan_stratified(const size_t n[DATA_NPARTS], const size_t *avail,
				       const struct data_classes *cls, plan_t per,
				       struct qcq_error *err)
{
	int K = cls->nsides;
	size_t total = 0, have = 0;
	for (int s = 0; s < K; s++)
		have += avail[s];
	for (int p = 0; p < DATA_NPARTS; p++) {
		if (n[p] > DATA_MAX_IMAGES)
			return qcq_error_set(err, QCQ_ERANGE, "%s: %zu over %zu images",
					     data_part_names[p], n[p], DATA_MAX_IMAGES);
		total += n[p];
	}
	if (total > have) {
		char list[512] = "";
		size_t len = 0;
		for (int s = 0; s < K && len < sizeof list - 64; s++)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s'%.40s' %zu",
						s ? ", " : "", cls->name[s], avail[s]);
		return qcq_error_set(err, QCQ_ERANGE, "the split needs %zu images (train %zu + val %zu "
				     "+ test %zu), the task has %zu (%s)", total, n[0], n[1], n[2],
				     have, list);
	}
	size_t t[DATA_MAX_SIDES];
	if (K == 2) { /* round(total * share of side 0), as the binary split always did */
		double q = (double)avail[0] / (double)have;
		t[0] = (size_t)floor((double)total * q + 0.5);
		if (t[0] + avail[1] < total)
			t[0] = total - avail[1];
		if (t[0] > avail[0])
			t[0] = avail[0];
		t[1] = total - t[0];
	} else {
		double w[DATA_MAX_SIDES];
		for (int s = 0; s < K; s++)
			w[s] = (double)avail[s];
		apportion(total, w, (double)have, avail, K, t);
	}
	size_t room[DATA_NPARTS] = {n[0], n[1], n[2]}, left = total;
	for (int s = 0; s < K; s++) {
		double w[DATA_NPARTS];
		size_t got[DATA_NPARTS];
		for (int p = 0; p < DATA_NPARTS; p++)
			w[p] = (double)room[p];
		if (s == K - 1) /* the last side fills what is left */
			for (int p = 0; p < DATA_NPARTS; p++)
				got[p] = room[p];
		else
			apportion(t[s], w, (double)left, room, DATA_NPARTS, got);
		for (int p = 0; p < DATA_NPARTS; p++) {
			per[p][s] = got[p];
			room[p] -= got[p];
			left -= got[p];
		}
	}
	for (int s = 0; s < K; s++) {
		if (per[DATA_TRAIN][s] > 0)
			continue;
		if (K == 2)
			return qcq_error_set(err, QCQ_EINVAL, "the training part would hold only one "
					     "side (train %zu of %zu + %zu images)", n[DATA_TRAIN],
					     avail[0], avail[1]);
		return qcq_error_set(err, QCQ_EINVAL, "the training part would miss class '%s' "
				     "(train %zu of %zu images)", cls->name[s], n[DATA_TRAIN], have);
	}
	return QCQ_OK;
}

static void side_counts(const struct data_set *ds, const struct data_classes *cls,
			size_t *avail)
{
	memset(avail, 0, (size_t)cls->nsides * sizeof *avail);
	for (size_t i = 0; i < ds->n; i++) {
		int s = cls->map[ds->labels[i]];
		if (s >= 0)
			avail[s]++;
	}
}

static enum qcq_status deal(const struct data_set *ds, const struct data_classes *cls,
			    const size_t *avail, plan_t per, uint64_t seed,
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
	if (cls->nsides < 2 || cls->nsides > DATA_MAX_SIDES)
		return qcq_error_set(err, QCQ_EINVAL, "a task has 2 to %d classes (got %d)",
				     DATA_MAX_SIDES, cls->nsides);
	size_t avail[DATA_MAX_SIDES];
	side_counts(ds, cls, avail);
	for (int s = 0; s < cls->nsides; s++)
		if (avail[s] == 0)
			return qcq_error_set(err, QCQ_ERANGE, "%s '%s' has no images in the data (%s)",
					     cls->nsides == 2 ? "side" : "class", cls->name[s],
					     ds->source);
	plan_t per;
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
			    const size_t *avail, plan_t per, uint64_t seed,
			    struct data_split **out, struct qcq_error *err)
{
	enum qcq_status st = QCQ_OK;
	int K = cls->nsides;
	/* each side's indices in data set order, then shuffled */
	uint32_t *idx[DATA_MAX_SIDES];
	struct qcq_rng root;
	qcq_rng_seed_domain(&root, seed, "data.split");
	for (int s = 0; s < K; s++) {
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
	sp->nsides = K;
	for (int s = 0; s < K; s++) {
		sp->available[s] = avail[s];
		snprintf(sp->side_name[s], sizeof sp->side_name[s], "%s", cls->name[s]);
	}
	size_t px = (size_t)ds->h * (size_t)ds->w, next[DATA_MAX_SIDES] = {0};
	uint64_t h = QCQ_HASH_INIT;
	for (int p = 0; p < DATA_NPARTS && !st; p++) {
		struct data_subset *sub = &sp->part[p];
		size_t n = 0;
		for (int s = 0; s < K; s++)
			n += per[p][s];
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
		/* lay the sides out one after the other, then shuffle within the part */
		uint32_t *order = qcq_xmalloc(n * sizeof(uint32_t));
		for (size_t k = 0; k < n; k++)
			order[k] = (uint32_t)k;
		struct qcq_rng r = qcq_rng_split(&root, 10 + (uint64_t)p);
		qcq_rng_shuffle(&r, order, n);
		int s = 0;
		size_t end = per[p][0];
		for (size_t k = 0; k < n; k++) {
			while (k >= end)
				end += per[p][++s];
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
	for (int s = 0; s < K; s++)
		free(idx[s]);
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
