/*
 * train/experiment-data.c: the tasks of the studies (four binary, four K-class), from
 * files (or the built-in digits) to a balanced split and its quanvolved features.
 *
 * The split is the same for every run of a data set (split_seed): seeds vary the model's
 * initialisation and the sample order, not the data, so the quanvolution runs once per
 * data set and its result comes from the data module's feature cache the next time.
 * Sizes default to the paper's 5000/1250/1000, scaled down with the same ratios when a
 * data set has fewer balanced images (the MRI set has 500 no_tumor images), times the
 * study's size fraction. Under the paper's protocol the MRI task is split whole and
 * stratified (2089/653/523, classes in their natural proportions) and the depth study
 * trains MNIST and Fashion-MNIST on 100 images; what the data force is noted.
 * Not here: training (experiment-run.c), reports.
 */
#include "experiment-internal.h"

#include "qcq/qml.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void train_exp_data_dir(const struct train_exp_spec *s, char *buf, size_t n)
{
	if (s->data_dir[0])
		snprintf(buf, n, "%s", s->data_dir);
	else if (!data_find(NULL, buf, n) && !data_home_dir(buf, n))
		snprintf(buf, n, "data"); /* nowhere yet: name where `fetch` would put it */
}

/* The two sides of each task, as class specs for data_classes_parse. */
static void task_sides(enum train_exp_data w, const char **a, const char **b)
{
	switch (w) {
	case TRAIN_EXP_FASHION:
		*a = "0", *b = "1"; /* T-shirt/top vs Trouser */
		break;
	case TRAIN_EXP_MRI:
		*a = "no_tumor", *b = "glioma_tumor+meningioma_tumor+pituitary_tumor";
		break;
	default:
		*a = "3", *b = "5";
		break;
	}
}

/* Classes of task w: 2, or every class of the set for a K-class task (10 digits or
 * clothes, 4 MRI classes). */
static int task_k(enum train_exp_data w)
{
	if (!train_exp_data_multiclass(w))
		return 2;
	return train_exp_data_base(w) == TRAIN_EXP_MRI ? 4 : 10;
}

/* Part sizes of a K-class task: explicit ones as given, -1 = the paper's scaled to fit
 * `per_side` images of the smallest class (per_side 0 = no limit, the built-in set),
 * each a multiple of K (at least K). */
static void resolve_sizes(const struct train_exp_spec *s, size_t per_side, int K, size_t n[3])
{
	const long paper[3] = {TRAIN_EXP_PAPER_TRAIN, TRAIN_EXP_PAPER_VAL, TRAIN_EXP_PAPER_TEST};
	const long given[3] = {s->ntrain, s->nval, s->ntest};
	double f = 1.0;
	long need = (paper[0] + paper[1] + paper[2]) / K;
	if (per_side && (size_t)need > per_side)
		f = (double)per_side / (double)need;
	f *= s->size;
	for (int p = 0; p < 3; p++) {
		size_t k = (size_t)K * (size_t)floor(f * (double)paper[p] / K);
		n[p] = given[p] >= 0 ? (size_t)given[p] : k < (size_t)K ? (size_t)K : k;
	}
}

/* The smallest class's count and the total of cnt[0..K). */
static size_t min_count(const size_t *cnt, int K, size_t *total)
{
	size_t m = cnt[0];
	*total = 0;
	for (int k = 0; k < K; k++) {
		m = cnt[k] < m ? cnt[k] : m;
		*total += cnt[k];
	}
	return m;
}

/* The paper's protocol, balanced tasks: Table 1's sizes as resolve_sizes makes them;
 * the depth study trains on 100 (times the size fraction, at least 2). */
static void paper_sizes_balanced(const struct train_exp_spec *s, enum train_exp_data w,
				 const size_t *cnt, int K, size_t n[3], char *note, size_t nn)
{
	size_t total, smallest = min_count(cnt, K, &total);
	bool synth = train_exp_data_base(w) == TRAIN_EXP_SYNTH;
	size_t per_side = synth ? 0 : smallest;
	resolve_sizes(s, per_side, K, n);
	size_t full[3];
	struct train_exp_spec whole = *s;
	whole.size = 1;
	resolve_sizes(&whole, per_side, K, full);
	if (!synth && full[0] != TRAIN_EXP_PAPER_TRAIN && K == 2)
		snprintf(note, nn, "%s: the data hold %zu + %zu images; the paper's %d/%d/%d is "
			 "scaled to %zu/%zu/%zu at the same ratios, balanced",
			 train_exp_data_name(w), cnt[0], cnt[1], TRAIN_EXP_PAPER_TRAIN,
			 TRAIN_EXP_PAPER_VAL, TRAIN_EXP_PAPER_TEST, full[0], full[1], full[2]);
	else if (!synth && full[0] != TRAIN_EXP_PAPER_TRAIN)
		snprintf(note, nn, "%s: the data hold %zu images in %d classes (the smallest %zu); the "
			 "paper's %d/%d/%d is scaled to %zu/%zu/%zu at the same ratios, balanced",
			 train_exp_data_name(w), total, K, smallest, TRAIN_EXP_PAPER_TRAIN,
			 TRAIN_EXP_PAPER_VAL, TRAIN_EXP_PAPER_TEST, full[0], full[1], full[2]);
	if (s->kind == TRAIN_EXP_DEPTH) {
		size_t k = 2 * (size_t)floor(s->size * TRAIN_EXP_PAPER_DEPTH_TRAIN / 2);
		n[0] = k < 2 ? 2 : k;
		size_t len = strlen(note);
		if (len)
			snprintf(note + len, nn - len, " (the depth study trains on %d of the training "
				 "images)", TRAIN_EXP_PAPER_DEPTH_TRAIN);
	}
}

/* The paper's protocol, MRI: the whole set at 2089/653/523, stratified. A set with
 * fewer images gives up validation images first (the test part stays the paper's and
 * so does training); then the size fraction. */
static void paper_sizes_mri(const struct train_exp_spec *s, const size_t *cnt, int K,
			    size_t n[3], char *note, size_t nn)
{
	const size_t paper[3] = {TRAIN_EXP_PAPER_MRI_TRAIN, TRAIN_EXP_PAPER_MRI_VAL,
				 TRAIN_EXP_PAPER_MRI_TEST};
	size_t have, want = paper[0] + paper[1] + paper[2];
	min_count(cnt, K, &have);
	size_t full[3] = {paper[0], paper[1], paper[2]};
	if (have < want) {
		size_t short_by = want - have;
		const int order[3] = {DATA_VAL, DATA_TEST, DATA_TRAIN};
		for (int k = 0; k < 3 && short_by; k++) {
			size_t keep = order[k] == DATA_TRAIN ? 2 : 0, p = (size_t)order[k];
			size_t take = full[p] - keep < short_by ? full[p] - keep : short_by;
			full[p] -= take;
			short_by -= take;
		}
		if (K == 2)
			snprintf(note, nn, "mri: the data hold %zu images, the paper's split %zu/%zu/%zu "
				 "needs %zu: %zu/%zu/%zu (validation gives up the difference), "
				 "stratified (%zu no_tumor : %zu tumour)", have, paper[0], paper[1],
				 paper[2], want, full[0], full[1], full[2], cnt[0], cnt[1]);
		else
			snprintf(note, nn, "mri4: the data hold %zu images, the paper's split "
				 "%zu/%zu/%zu needs %zu: %zu/%zu/%zu (validation gives up the "
				 "difference), stratified over the %d classes", have, paper[0],
				 paper[1], paper[2], want, full[0], full[1], full[2], K);
	}
	for (int p = 0; p < 3; p++) {
		n[p] = (size_t)floor(s->size * (double)full[p]);
		if (p == 0 && n[p] < 2)
			n[p] = 2;
	}
}

/* The folder that holds data set w under the data folder dir. */
static void data_path(const char *dir, enum train_exp_data w, char *path, size_t n)
{
	w = train_exp_data_base(w);
	if (w == TRAIN_EXP_MNIST || w == TRAIN_EXP_FASHION) {
		snprintf(path, n, "%s/%s", dir, w == TRAIN_EXP_MNIST ? "mnist" : "fashion-mnist");
		return;
	}
	snprintf(path, n, "%s/brain-mri/png128", dir);
	if (!is_dir(path))
		snprintf(path, n, "%s/brain-mri", dir);
}

static enum qcq_status missing(const char *dir, enum train_exp_data w, const char *path,
			       struct qcq_error *err)
{
	const char *name = train_exp_data_name(w);
	w = train_exp_data_base(w);
	if (w == TRAIN_EXP_MRI)
		return qcq_error_set(err, QCQ_EIO,
				     "%s: data missing: no folder %s/brain-mri (it needs "
				     "{Training,Testing}/<class>/ image folders; pass data=DIR)", name, dir);
	const char *sub = w == TRAIN_EXP_MNIST ? "mnist" : "fashion-mnist";
	return qcq_error_set(err, QCQ_EIO,
			     "%s: data missing: no folder %s (put the IDX files there with "
			     "`fetch %s`, or pass data=DIR holding a %s/ folder)",
			     name, path, sub, sub);
}

enum qcq_status train_exp_check_data(const struct train_exp_spec *s, struct qcq_error *err)
{
	char dir[TRAIN_EXP_PATH_MAX], path[TRAIN_EXP_PATH_MAX + 64];
	train_exp_data_dir(s, dir, sizeof dir);
	for (int k = 0; k < s->ndatasets; k++) {
		enum train_exp_data w = s->datasets[k];
		if (train_exp_data_base(w) == TRAIN_EXP_SYNTH)
			continue;
		data_path(dir, w, path, sizeof path);
		if (!is_dir(path))
			return missing(dir, w, path, err);
	}
	return QCQ_OK;
}

static enum qcq_status load_raw(const struct train_exp_spec *s, enum train_exp_data task,
				const size_t need[3], struct qcq_pool *pool, struct data_set **ds,
				struct qcq_error *err)
{
	char dir[TRAIN_EXP_PATH_MAX], path[TRAIN_EXP_PATH_MAX + 64];
	train_exp_data_dir(s, dir, sizeof dir);
	enum train_exp_data w = train_exp_data_base(task);
	if (w == TRAIN_EXP_SYNTH) {
		/* labels are i % 10 before a shuffle: each digit gets n/10 images */
		size_t per_side = 0, K = (size_t)task_k(task);
		for (int p = 0; p < 3; p++)
			per_side += (need[p] + K - 1) / K;
		return data_synth_digits(10 * per_side + 10, s->split_seed, pool, ds, err);
	}
	data_path(dir, w, path, sizeof path);
	if (!is_dir(path))
		return missing(dir, task, path, err);
	if (w == TRAIN_EXP_MRI)
		return data_load_folder(path, DATA_DEFAULT_SIDE, DATA_DEFAULT_SIDE, pool, ds, err);
	enum qcq_status st = data_load_idx_dir(path, pool, ds, err);
	if (!st && w == TRAIN_EXP_FASHION && (*ds)->nclasses == 10)
		data_set_set_names(*ds, data_fashion_names, 10);
	return st;
}

static void side_counts(const struct data_set *ds, const struct data_classes *c, size_t *cnt)
{
	memset(cnt, 0, (size_t)c->nsides * sizeof *cnt);
	for (size_t i = 0; i < ds->n; i++) {
		int m = c->map[ds->labels[i]];
		if (m >= 0)
			cnt[m]++;
	}
}

static enum qcq_status quanvolve(const struct train_exp_spec *s, struct exp_data *d,
				 const struct qml_filter *f, struct qcq_pool *pool,
				 const struct qcq_sink *ev, struct qcq_error *err)
{
	const struct data_split *sp = d->split;
	int oh, ow;
	enum qcq_status st = qml_filter_out_dims(f, sp->h, sp->w, &oh, &ow, err);
	if (st)
		return st;
	size_t n[DATA_NPARTS];
	for (int p = 0; p < DATA_NPARTS; p++)
		n[p] = sp->part[p].n;
	uint64_t key = data_cache_key(sp, qml_filter_hash(f));
	char dir[TRAIN_EXP_PATH_MAX];
	struct qcq_error cerr;
	bool cache = data_cache_dir(s->cache_dir[0] ? s->cache_dir : NULL, dir, sizeof dir,
				    &cerr) == QCQ_OK;
	if (cache) {
		struct data_features *hit = NULL;
		if (data_cache_load(dir, key, n, &hit, &cerr) == QCQ_OK && hit) {
			d->feat = hit;
			qcq_post_log(ev, "%s: quanvolved features from the cache", train_exp_data_name(d->which));
			return QCQ_OK;
		}
	}
	st = data_features_create(n, qml_filter_qubits(f), oh, ow, &d->feat, err);
	if (st)
		return st;
	double t0 = qcq_now();
	for (int p = 0; p < DATA_NPARTS && !st; p++)
		st = qml_filter_apply(f, sp->part[p].images, (long)n[p], sp->h, sp->w,
				      d->feat->part[p], pool, err);
	if (st)
		return st;
	d->feat->key = key;
	qcq_post_log(ev, "%s: quanvolved %zu images in %.2f s", train_exp_data_name(d->which),
		n[0] + n[1] + n[2], qcq_now() - t0);
	if (cache && data_cache_store(dir, d->feat, &cerr) != QCQ_OK)
		qcq_post_log(ev, "feature cache not written: %s", cerr.msg);
	return QCQ_OK;
}

enum qcq_status train_exp_data_prepare(const struct train_exp_spec *s, enum train_exp_data which,
				 const struct qml_filter *filter, struct qcq_pool *pool,
				 const struct qcq_sink *events, struct exp_data *out,
				 struct qcq_error *err)
{
	memset(out, 0, sizeof *out);
	out->which = which;
	enum train_exp_data base = train_exp_data_base(which);
	int K = task_k(which);
	size_t need[3];
	resolve_sizes(s, 0, K, need);
	struct data_set *ds = NULL;
	double t0 = qcq_now();
	enum qcq_status st = load_raw(s, which, need, pool, &ds, err);
	if (st)
		return qcq_error_prefix(err, "%s", base == TRAIN_EXP_SYNTH ? "synth" : "loading");
	struct data_classes *cls = qcq_xmalloc(sizeof *cls);
	if (K > 2) {
		st = data_classes_all(ds, cls, err);
		if (!st && cls->nsides != K)
			st = qcq_error_set(err, QCQ_EFORMAT, "%s: the data have %d classes, the task "
					   "needs %d (%s)", train_exp_data_name(which), cls->nsides, K,
					   ds->source);
	} else {
		const char *a, *b;
		task_sides(which, &a, &b);
		st = data_classes_parse(ds, a, b, cls, err);
	}
	size_t cnt[DATA_MAX_SIDES] = {0}, total = 0, smallest = 0;
	bool strat = s->protocol == TRAIN_EXP_PAPER && base == TRAIN_EXP_MRI;
	if (!st) {
		side_counts(ds, cls, cnt);
		smallest = min_count(cnt, K, &total);
		if (strat)
			paper_sizes_mri(s, cnt, K, need, out->note, sizeof out->note);
		else if (s->protocol == TRAIN_EXP_PAPER)
			paper_sizes_balanced(s, which, cnt, K, need, out->note, sizeof out->note);
		else
			resolve_sizes(s, base == TRAIN_EXP_SYNTH ? 0 : smallest, K, need);
		struct data_split_spec sp = {.amount = {(double)need[0], (double)need[1],
							(double)need[2]},
					     .fractions = false, .seed = s->split_seed};
		if (strat)
			st = data_split_make_stratified(ds, cls, need, s->split_seed, &out->split,
							err);
		else
			st = data_split_make(ds, cls, &sp, &out->split, err);
	}
	free(cls);
	if (st) {
		data_set_free(ds);
		return qcq_error_prefix(err, "%s", train_exp_data_name(which));
	}
	if (K == 2)
		snprintf(out->desc, sizeof out->desc, "%s: %s vs %s, train %zu, val %zu, test %zu "
			 "(of %zu + %zu; %s)%s", train_exp_data_name(which),
			 out->split->side_name[0], out->split->side_name[1], need[0], need[1],
			 need[2], cnt[0], cnt[1], ds->source, strat ? ", stratified" : "");
	else
		snprintf(out->desc, sizeof out->desc, "%s: %d classes, train %zu, val %zu, test %zu "
			 "(of %zu, the smallest class %zu; %s)%s", train_exp_data_name(which), K,
			 need[0], need[1], need[2], total, smallest, ds->source,
			 strat ? ", stratified" : ", balanced per class");
	data_set_free(ds);
	qcq_post_log(events, "%s [%.2f s]", out->desc, qcq_now() - t0);
	st = quanvolve(s, out, filter, pool, events, err);
	if (st) {
		train_exp_data_free(out);
		return qcq_error_prefix(err, "%s: quanvolution", train_exp_data_name(which));
	}
	out->key = qcq_hash(QCQ_HASH_INIT, &out->split->hash, sizeof out->split->hash);
	uint64_t fh = qml_filter_hash(filter);
	out->key = qcq_hash(out->key, &fh, sizeof fh);
	return QCQ_OK;
}

void train_exp_data_downsample(struct exp_data *d, int side)
{
	const struct data_split *sp = d->split;
	size_t in = (size_t)sp->h * (size_t)sp->w, out = (size_t)side * (size_t)side;
	for (int p = 0; p < DATA_NPARTS; p++) {
		size_t n = sp->part[p].n;
		d->small[p] = qcq_xmalloc((n ? n : 1) * out * sizeof(float));
		for (size_t i = 0; i < n; i++)
			data_resize(d->small[p] + i * out, side, side, sp->part[p].images + i * in,
				    sp->h, sp->w);
	}
	d->small_side = side;
}

void train_exp_data_free(struct exp_data *d)
{
	for (int p = 0; p < DATA_NPARTS; p++) {
		free(d->small[p]);
		d->small[p] = NULL;
	}
	data_split_free(d->split);
	data_features_free(d->feat);
	d->split = NULL;
	d->feat = NULL;
}
