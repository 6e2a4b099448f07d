/*
 * train/experiment-search.c: the ablation study's hyperparameter search before it runs
 * and after — defaults, validation, the grids a person types ("1e-4,1e-3,1e-2",
 * "8/16,16/32", "4,16"), the search runs in a fixed order, and the selection of one
 * configuration per (task, model) from validation scores alone. Nothing here trains or
 * reads files; nothing here can see a test accuracy (the search tasks have none).
 */
#include "experiment-ablate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void train_abl_spec_default(struct train_abl_spec *s)
{
	memset(s, 0, sizeof *s);
	train_exp_spec_default(&s->base, TRAIN_EXP_COMPARE);
	const enum nn_arch m[] = {NN_ARCH_CNN,           NN_ARCH_QCCNN,        NN_ARCH_QCQ_CNN,
				  NN_ARCH_RF_QCCNN,      NN_ARCH_RF_QCQ_CNN,   NN_ARCH_QCQ_CNN_NOENT,
				  NN_ARCH_QCQ_CNN_CHEAD, NN_ARCH_CNN_PM};
	s->base.nmodels = (int)(sizeof m / sizeof m[0]);
	memcpy(s->base.models, m, sizeof m);
	s->base.epochs = 30;
	s->base.patience = 5;
	s->nlrs = 3;
	s->lrs[0] = 1e-4, s->lrs[1] = 1e-3, s->lrs[2] = 1e-2;
	s->nwidths = 2;
	s->widths[0] = (struct train_abl_width){8, 16};
	s->widths[1] = (struct train_abl_width){16, 32};
	s->nbatches = 2;
	s->batches[0] = 4, s->batches[1] = 16;
	s->search_seeds = 2;
}

/* The models the study can search: those with the two conv widths. */
static bool searchable(enum nn_arch a)
{
	return a != NN_ARCH_MLP && a != NN_ARCH_QUANV_MLP && a != NN_ARCH_QCNN;
}

/* The architectures that have a trainable-filter arm (a quanvolution filter in front of
 * a CNN), by report name. */
static const struct {
	enum nn_arch arch;
	const char *name;
} tf_arms[] = {{NN_ARCH_QCQ_CNN, "qcq-cnn-tf"}, {NN_ARCH_QCCNN, "qccnn-tf"}};
#define NTF ((int)(sizeof tf_arms / sizeof tf_arms[0]))

static bool is_tf(const struct train_abl_spec *s, int m)
{
	return s->trainable >> m & 1u;
}

const char *train_abl_model_name(const struct train_abl_spec *s, int m)
{
	enum nn_arch a = s->base.models[m];
	for (int i = 0; is_tf(s, m) && i < NTF; i++)
		if (tf_arms[i].arch == a)
			return tf_arms[i].name;
	return nn_arch_name(a);
}

enum qcq_status train_abl_spec_check(const struct train_abl_spec *s, struct qcq_error *err)
{
	/* compare's checks on the fixed arms (an architecture may appear once more as its
	 * trainable arm, which compare would call a repeat) */
	struct train_exp_spec b = s->base;
	b.kind = TRAIN_EXP_COMPARE;
	b.nmodels = 0;
	for (int i = 0; i < s->base.nmodels && i < NN_ARCH_COUNT; i++)
		if (!is_tf(s, i))
			b.models[b.nmodels++] = s->base.models[i];
	if (b.nmodels == 0 && s->base.nmodels > 0)
		b.models[b.nmodels++] = s->base.models[0];
	if (s->base.nmodels > NN_ARCH_COUNT)
		return qcq_error_set(err, QCQ_EINVAL, "ablate: %d models (1..%d)", s->base.nmodels,
				     NN_ARCH_COUNT);
	enum qcq_status st = train_exp_spec_check(&b, err);
	if (st)
		return st;
	if (s->trainable >> s->base.nmodels)
		return qcq_error_set(err, QCQ_EINVAL, "ablate: a trainable arm beyond the %d models",
				     s->base.nmodels);
	for (int i = 0; i < s->base.nmodels; i++) {
		const char *name = train_abl_model_name(s, i);
		if (is_tf(s, i) && strcmp(name, nn_arch_name(s->base.models[i])) == 0)
			return qcq_error_set(err, QCQ_EINVAL,
					     "ablate: model %s has no trainable-filter arm (qccnn-tf "
					     "and qcq-cnn-tf exist)", name);
		for (int j = 0; j < i; j++)
			if (strcmp(name, train_abl_model_name(s, j)) == 0)
				return qcq_error_set(err, QCQ_EINVAL, "ablate: model %s listed twice",
						     name);
	}
	if (!(s->filter_lr >= 0 && s->filter_lr <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "ablate: filter lr %g out of range [0, 1]",
				     s->filter_lr);
	for (int i = 0; i < b.nmodels; i++)
		if (!searchable(b.models[i]))
			return qcq_error_set(err, QCQ_EINVAL,
					     "ablate: model %s has no conv widths to search (the study "
					     "takes cnn, qccnn, qcq-cnn and their controls)",
					     nn_arch_name(b.models[i]));
	if (s->nlrs < 1 || s->nlrs > TRAIN_EXP_MAX_LIST || s->nwidths < 1 ||
	    s->nwidths > TRAIN_EXP_MAX_LIST || s->nbatches < 1 || s->nbatches > TRAIN_EXP_MAX_LIST)
		return qcq_error_set(err, QCQ_EINVAL, "ablate: %d lrs, %d widths, %d batches (1..%d each)",
				     s->nlrs, s->nwidths, s->nbatches, TRAIN_EXP_MAX_LIST);
	for (int i = 0; i < s->nlrs; i++)
		if (!(s->lrs[i] > 0 && s->lrs[i] <= 1))
			return qcq_error_set(err, QCQ_EINVAL, "ablate: lr %g out of range (0, 1]",
					     s->lrs[i]);
	for (int i = 0; i < s->nwidths; i++)
		if (s->widths[i].conv1 < 1 || s->widths[i].conv1 > 1024 || s->widths[i].conv2 < 1 ||
		    s->widths[i].conv2 > 1024)
			return qcq_error_set(err, QCQ_EINVAL, "ablate: widths %d/%d out of range 1..1024",
					     s->widths[i].conv1, s->widths[i].conv2);
	for (int i = 0; i < s->nbatches; i++)
		if (s->batches[i] < 1 || s->batches[i] > 4096)
			return qcq_error_set(err, QCQ_EINVAL, "ablate: batch %d out of range 1..4096",
					     s->batches[i]);
	if (s->search_seeds < 1 || s->search_seeds > s->base.seeds)
		return qcq_error_set(err, QCQ_EINVAL,
				     "ablate: search seeds %d out of range (1..seeds = %d)",
				     s->search_seeds, s->base.seeds);
	return QCQ_OK;
}

/* ---------------------------------------------------------------- grids */

struct model_item {
	enum nn_arch arch[TRAIN_EXP_MAX_LIST];
	bool tf[TRAIN_EXP_MAX_LIST];
};

static enum qcq_status item_model(void *ctx, int i, const char *w, struct qcq_error *err)
{
	struct model_item *v = ctx;
	v->tf[i] = false;
	for (int k = 0; k < NTF; k++)
		if (strcmp(w, tf_arms[k].name) == 0)
			v->arch[i] = tf_arms[k].arch, v->tf[i] = true;
	if (!v->tf[i] && nn_arch_from_name(w, &v->arch[i], err) != QCQ_OK) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return qcq_error_set(err, QCQ_EINVAL, "%s; arms: qccnn-tf, qcq-cnn-tf", msg);
	}
	for (int j = 0; j < i; j++)
		if (v->arch[j] == v->arch[i] && v->tf[j] == v->tf[i])
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return QCQ_OK;
}

static enum qcq_status item_lr(void *ctx, int i, const char *w, struct qcq_error *err)
{
	double *v = ctx;
	enum qcq_status st = train_exp_parse_num(w, 1e-9, 1, &v[i], err);
	for (int j = 0; !st && j < i; j++)
		if (v[j] == v[i])
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return st;
}

static enum qcq_status item_width(void *ctx, int i, const char *w, struct qcq_error *err)
{
	struct train_abl_width *v = ctx;
	const char *slash = strchr(w, '/');
	if (!slash)
		return qcq_error_set(err, QCQ_EINVAL, "'%s' is not CONV1/CONV2", w);
	char a[64];
	long c1, c2;
	snprintf(a, sizeof a, "%.*s", (int)(slash - w), w);
	enum qcq_status st = train_exp_parse_int(a, 1, 1024, &c1, err);
	if (!st)
		st = train_exp_parse_int(slash + 1, 1, 1024, &c2, err);
	if (st)
		return st;
	v[i] = (struct train_abl_width){(int)c1, (int)c2};
	for (int j = 0; j < i; j++)
		if (v[j].conv1 == v[i].conv1 && v[j].conv2 == v[i].conv2)
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return QCQ_OK;
}

static enum qcq_status item_batch(void *ctx, int i, const char *w, struct qcq_error *err)
{
	int *v = ctx;
	long b = 0;
	enum qcq_status st = train_exp_parse_int(w, 1, 4096, &b, err);
	v[i] = (int)b;
	for (int j = 0; !st && j < i; j++)
		if (v[j] == v[i])
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return st;
}

enum qcq_status train_abl_parse_lrs(struct train_abl_spec *s, const char *text,
				    struct qcq_error *err)
{
	double v[TRAIN_EXP_MAX_LIST];
	int n = 0;
	enum qcq_status st = train_exp_split_list("lrs", text, item_lr, v, &n, err);
	if (st)
		return st;
	memcpy(s->lrs, v, (size_t)n * sizeof *v);
	s->nlrs = n;
	return QCQ_OK;
}

enum qcq_status train_abl_parse_models(struct train_abl_spec *s, const char *text,
				       struct qcq_error *err)
{
	struct model_item v;
	int n = 0;
	enum qcq_status st = train_exp_split_list("models", text, item_model, &v, &n, err);
	if (st)
		return st;
	if (n > NN_ARCH_COUNT)
		return qcq_error_set(err, QCQ_EINVAL, "models: %d listed, at most %d", n,
				     NN_ARCH_COUNT);
	s->trainable = 0;
	for (int i = 0; i < n; i++) {
		s->base.models[i] = v.arch[i];
		s->trainable |= (uint32_t)v.tf[i] << i;
	}
	s->base.nmodels = n;
	return QCQ_OK;
}

enum qcq_status train_abl_parse_widths(struct train_abl_spec *s, const char *text,
				       struct qcq_error *err)
{
	struct train_abl_width v[TRAIN_EXP_MAX_LIST];
	int n = 0;
	enum qcq_status st = train_exp_split_list("widths", text, item_width, v, &n, err);
	if (st)
		return st;
	memcpy(s->widths, v, (size_t)n * sizeof *v);
	s->nwidths = n;
	return QCQ_OK;
}

enum qcq_status train_abl_parse_batches(struct train_abl_spec *s, const char *text,
					struct qcq_error *err)
{
	int v[TRAIN_EXP_MAX_LIST];
	int n = 0;
	enum qcq_status st = train_exp_split_list("batches", text, item_batch, v, &n, err);
	if (st)
		return st;
	memcpy(s->batches, v, (size_t)n * sizeof *v);
	s->nbatches = n;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- runs */

int train_ablate_grid_size(const struct train_abl_spec *s)
{
	return s->nlrs * s->nwidths * s->nbatches;
}

struct abl_config train_ablate_grid_config(const struct train_abl_spec *s, int k)
{
	struct abl_config c;
	c.lr = s->lrs[k % s->nlrs];
	k /= s->nlrs;
	c.conv1 = s->widths[k % s->nwidths].conv1;
	c.conv2 = s->widths[k % s->nwidths].conv2;
	k /= s->nwidths;
	c.batch = s->batches[k];
	return c;
}

size_t train_abl_count_runs(const struct train_abl_spec *s)
{
	size_t pairs = (size_t)s->base.ndatasets * (size_t)s->base.nmodels;
	return pairs * ((size_t)train_ablate_grid_size(s) * (size_t)s->search_seeds + (size_t)s->base.seeds);
}

struct abl_task *train_ablate_plan_search(const struct train_abl_spec *s, size_t *n)
{
	int G = train_ablate_grid_size(s);
	*n = (size_t)s->base.ndatasets * (size_t)s->base.nmodels * (size_t)G *
	     (size_t)s->search_seeds;
	struct abl_task *t = qcq_xcalloc(*n ? *n : 1, sizeof *t);
	size_t i = 0;
	for (int d = 0; d < s->base.ndatasets; d++)
		for (int m = 0; m < s->base.nmodels; m++)
			for (int k = 0; k < G; k++)
				for (int seed = 1; seed <= s->search_seeds; seed++, i++) {
					t[i].data = d, t[i].model = m, t[i].grid = k, t[i].seed = seed;
					t[i].test_acc = t[i].test_bal_acc = NAN;
				}
	return t;
}

double train_ablate_config_score(const struct train_abl_spec *s, const struct abl_task *search, size_t n,
			int d, int m, int k)
{
	double sum = 0;
	int cnt = 0;
	for (size_t i = 0; i < n; i++) {
		const struct abl_task *t = &search[i];
		if (t->final || t->data != d || t->model != m || t->grid != k)
			continue;
		/* a run that never finished an epoch (diverged at once) scores 0 */
		sum += t->done && isfinite(t->val_acc) ? t->val_acc : 0.0;
		cnt++;
	}
	return cnt ? sum / cnt : NAN;
}

void train_ablate_select(const struct train_abl_spec *s, const struct abl_task *search, size_t n,
		struct abl_result *r)
{
	int G = train_ablate_grid_size(s);
	for (int d = 0; d < s->base.ndatasets; d++)
		for (int m = 0; m < s->base.nmodels; m++) {
			int best = 0;
			double bs = -1;
			for (int k = 0; k < G; k++) {
				double sc = train_ablate_config_score(s, search, n, d, m, k);
				if (sc > bs) /* strictly: ties keep the first in grid order */
					bs = sc, best = k;
			}
			r->choice[d][m] = best;
			r->score[d][m] = bs;
		}
}
