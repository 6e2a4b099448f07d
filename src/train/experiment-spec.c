/*
 * train/experiment-spec.c: what a study is before it runs — defaults, validation, the
 * option lists a person types ("mlp,cnn", "0/0,0.01/0.02") and the list of runs a
 * study makes, in a fixed order. Nothing here reads files or trains.
 */
#include "experiment-internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static enum qcq_status check_multiclass(const struct train_exp_spec *s, enum train_exp_data d,
					struct qcq_error *err);

static const char *const kind_names[TRAIN_EXP_NKINDS] = {"compare", "noise", "depth"};
static const char *const data_names[TRAIN_EXP_NDATA] = {
	"synth", "mnist", "fashion", "mri", "synth10", "mnist10", "fashion10", "mri4",
};

enum train_exp_data train_exp_data_base(enum train_exp_data d)
{
	switch (d) {
	case TRAIN_EXP_SYNTH10: return TRAIN_EXP_SYNTH;
	case TRAIN_EXP_MNIST10: return TRAIN_EXP_MNIST;
	case TRAIN_EXP_FASHION10: return TRAIN_EXP_FASHION;
	case TRAIN_EXP_MRI4: return TRAIN_EXP_MRI;
	default: return d;
	}
}

bool train_exp_data_multiclass(enum train_exp_data d)
{
	return train_exp_data_base(d) != d;
}

const char *train_exp_kind_name(enum train_exp_kind k)
{
	return (unsigned)k < TRAIN_EXP_NKINDS ? kind_names[k] : "?";
}

enum qcq_status train_exp_kind_from_name(const char *name, enum train_exp_kind *out,
					 struct qcq_error *err)
{
	for (int i = 0; i < TRAIN_EXP_NKINDS; i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum train_exp_kind)i;
			return QCQ_OK;
		}
	}
	return qcq_error_set(err, QCQ_EINVAL, "unknown study '%s' (compare, noise, depth)", name);
}

const char *train_exp_data_name(enum train_exp_data d)
{
	return (unsigned)d < TRAIN_EXP_NDATA ? data_names[d] : "?";
}

enum qcq_status train_exp_data_from_name(const char *name, enum train_exp_data *out,
					 struct qcq_error *err)
{
	for (int i = 0; i < TRAIN_EXP_NDATA; i++) {
		if (strcmp(name, data_names[i]) == 0) {
			*out = (enum train_exp_data)i;
			return QCQ_OK;
		}
	}
	if (strcmp(name, "fashion-mnist") == 0) {
		*out = TRAIN_EXP_FASHION;
		return QCQ_OK;
	}
	if (strcmp(name, "brain-mri") == 0) {
		*out = TRAIN_EXP_MRI;
		return QCQ_OK;
	}
	return qcq_error_set(err, QCQ_EINVAL,
			     "unknown data set '%s' (synth, mnist, fashion, mri; with every class: "
			     "synth10, mnist10, fashion10, mri4)", name);
}

void train_exp_spec_default(struct train_exp_spec *s, enum train_exp_kind kind)
{
	memset(s, 0, sizeof *s);
	s->kind = kind;
	if (kind == TRAIN_EXP_COMPARE) {
		const enum nn_arch m[] = {NN_ARCH_MLP, NN_ARCH_QUANV_MLP, NN_ARCH_CNN, NN_ARCH_QCCNN,
					  NN_ARCH_QCQ_CNN};
		s->nmodels = 5;
		memcpy(s->models, m, sizeof m);
		s->ndatasets = 3;
		s->datasets[0] = TRAIN_EXP_MNIST;
		s->datasets[1] = TRAIN_EXP_FASHION;
		s->datasets[2] = TRAIN_EXP_MRI;
	} else {
		s->nmodels = 1;
		s->models[0] = NN_ARCH_QCQ_CNN;
		s->ndatasets = 1;
		s->datasets[0] = TRAIN_EXP_MNIST;
	}
	s->seeds = 5;
	s->epochs = 100;
	s->patience = 10;
	s->batch = 0;
	s->lr = 0.001;
	s->ntrain = s->nval = s->ntest = -1;
	s->size = 1;
	s->split_seed = 1;
	s->depth = NN_DEFAULT_DEPTH;
	s->observable = NN_OBS_Z0;
	s->nshots = 2;
	s->shots[0] = 128;
	s->shots[1] = 1024;
	s->nlevels = 3;
	s->levels[0] = (struct train_exp_level){0, 0};
	s->levels[1] = (struct train_exp_level){0.01, 0.02};
	s->levels[2] = (struct train_exp_level){0.02, 0.03};
	s->ndepths = 3;
	for (int i = 0; i < 3; i++)
		s->depths[i] = i + 1;
	s->jobs = 1;
	s->threads = 1;
	s->use_mpi = true;
}

static enum qcq_status check_lists(const struct train_exp_spec *s, struct qcq_error *err)
{
	if (s->nmodels < 1 || s->nmodels > NN_ARCH_COUNT)
		return qcq_error_set(err, QCQ_EINVAL, "%d models (1..%d)", s->nmodels, NN_ARCH_COUNT);
	for (int i = 0; i < s->nmodels; i++) {
		if ((unsigned)s->models[i] >= NN_ARCH_COUNT)
			return qcq_error_set(err, QCQ_EINVAL, "model %d unknown", (int)s->models[i]);
		for (int j = 0; j < i; j++)
			if (s->models[j] == s->models[i])
				return qcq_error_set(err, QCQ_EINVAL, "model %s listed twice",
						     nn_arch_name(s->models[i]));
	}
	if (s->kind != TRAIN_EXP_COMPARE && (s->nmodels != 1 || s->models[0] != NN_ARCH_QCQ_CNN))
		return qcq_error_set(err, QCQ_EINVAL, "the %s study trains qcq-cnn only",
				     train_exp_kind_name(s->kind));
	if (s->ndatasets < 1 || s->ndatasets > TRAIN_EXP_NDATA)
		return qcq_error_set(err, QCQ_EINVAL, "%d data sets (1..%d)", s->ndatasets,
				     TRAIN_EXP_NDATA);
	if (s->kind == TRAIN_EXP_NOISE && s->ndatasets != 1)
		return qcq_error_set(err, QCQ_EINVAL, "the %s study takes one data set, not %d",
				     train_exp_kind_name(s->kind), s->ndatasets);
	for (int i = 0; i < s->ndatasets; i++) {
		if ((unsigned)s->datasets[i] >= TRAIN_EXP_NDATA)
			return qcq_error_set(err, QCQ_EINVAL, "data set %d unknown",
					     (int)s->datasets[i]);
		for (int j = 0; j < i; j++)
			if (s->datasets[j] == s->datasets[i])
				return qcq_error_set(err, QCQ_EINVAL, "data set %s listed twice",
						     train_exp_data_name(s->datasets[i]));
		enum qcq_status st = check_multiclass(s, s->datasets[i], err);
		if (st)
			return st;
	}
	if (s->kind == TRAIN_EXP_NOISE && (s->nshots < 1 || s->nshots > TRAIN_EXP_MAX_LIST ||
					   s->nlevels < 1 || s->nlevels > TRAIN_EXP_MAX_LIST))
		return qcq_error_set(err, QCQ_EINVAL, "noise study: %d shots values and %d levels "
				     "(1..%d each)", s->nshots, s->nlevels, TRAIN_EXP_MAX_LIST);
	for (int i = 0; s->kind == TRAIN_EXP_NOISE && i < s->nshots; i++)
		if (s->shots[i] < 1 || s->shots[i] > 100000000L)
			return qcq_error_set(err, QCQ_EINVAL, "shots %ld out of range (1..1e8)",
					     s->shots[i]);
	for (int i = 0; s->kind == TRAIN_EXP_NOISE && i < s->nlevels; i++)
		if (!(s->levels[i].p1 >= 0 && s->levels[i].p1 <= 4.0 / 3.0 &&
		      s->levels[i].p2 >= 0 && s->levels[i].p2 <= 16.0 / 15.0))
			return qcq_error_set(err, QCQ_EINVAL,
					     "noise level p1=%g p2=%g out of range (p1 in [0, 4/3], "
					     "p2 in [0, 16/15])", s->levels[i].p1, s->levels[i].p2);
	if (s->kind == TRAIN_EXP_DEPTH && (s->ndepths < 1 || s->ndepths > TRAIN_EXP_MAX_LIST))
		return qcq_error_set(err, QCQ_EINVAL, "depth study: %d depths (1..%d)", s->ndepths,
				     TRAIN_EXP_MAX_LIST);
	for (int i = 0; s->kind == TRAIN_EXP_DEPTH && i < s->ndepths; i++)
		if (s->depths[i] < 1 || s->depths[i] > EXP_DEPTH_MAX)
			return qcq_error_set(err, QCQ_EINVAL, "depth %d out of range (1..%d)",
					     s->depths[i], EXP_DEPTH_MAX);
	return QCQ_OK;
}

/* A K-class task needs models with a K-class form, exact and read out as <Z0>. */
static enum qcq_status check_multiclass(const struct train_exp_spec *s, enum train_exp_data d,
					struct qcq_error *err)
{
	if (!train_exp_data_multiclass(d))
		return QCQ_OK;
	const char *name = train_exp_data_name(d);
	if (s->kind == TRAIN_EXP_NOISE)
		return qcq_error_set(err, QCQ_EINVAL, "the noise study needs a binary task (%s has "
				     "more than two classes; the K-class classifier is exact)", name);
	for (int m = 0; s->kind == TRAIN_EXP_COMPARE && m < s->nmodels; m++) {
		enum nn_arch a = s->models[m];
		if (a == NN_ARCH_QCNN || a == NN_ARCH_QCQ_CNN_NOENT || a == NN_ARCH_QCQ_CNN_CHEAD)
			return qcq_error_set(err, QCQ_EINVAL, "model %s is binary only and %s has more "
					     "than two classes", nn_arch_name(a), name);
	}
	if (s->observable != NN_OBS_Z0)
		return qcq_error_set(err, QCQ_EINVAL, "observable zz is the binary readout; %s has more "
				     "than two classes (its classifier reads Born probabilities)", name);
	return QCQ_OK;
}

enum qcq_status train_exp_spec_check(const struct train_exp_spec *s, struct qcq_error *err)
{
	if ((unsigned)s->kind >= TRAIN_EXP_NKINDS)
		return qcq_error_set(err, QCQ_EINVAL, "unknown study %d", (int)s->kind);
	if (s->protocol != TRAIN_EXP_OWN && s->protocol != TRAIN_EXP_PAPER)
		return qcq_error_set(err, QCQ_EINVAL, "unknown protocol %d", (int)s->protocol);
	if (s->protocol == TRAIN_EXP_PAPER && (s->ntrain >= 0 || s->nval >= 0 || s->ntest >= 0))
		return qcq_error_set(err, QCQ_EINVAL, "the paper's protocol sets the part sizes per "
				     "task (train %ld, val %ld, test %ld given): scale them with size=F",
				     s->ntrain, s->nval, s->ntest);
	enum qcq_status st = check_lists(s, err);
	if (st)
		return st;
	if (s->seeds < 1 || s->seeds > TRAIN_EXP_MAX_SEEDS)
		return qcq_error_set(err, QCQ_EINVAL, "seeds %d out of range (1..%d)", s->seeds,
				     TRAIN_EXP_MAX_SEEDS);
	if (s->epochs < 1 || s->epochs > 100000)
		return qcq_error_set(err, QCQ_EINVAL, "epochs %d out of range (1..100000)",
				     s->epochs);
	if (s->patience < 0 || s->patience > 100000)
		return qcq_error_set(err, QCQ_EINVAL, "patience %d out of range (0..100000)",
				     s->patience);
	if (s->batch < 0 || s->batch > 4096)
		return qcq_error_set(err, QCQ_EINVAL, "batch %d out of range (0 = paper, 1..4096)",
				     s->batch);
	if (!(s->lr > 0 && s->lr <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "lr %g out of range (0, 1]", s->lr);
	const long *sz[3] = {&s->ntrain, &s->nval, &s->ntest};
	for (int p = 0; p < 3; p++)
		if (*sz[p] < -1 || *sz[p] > (long)DATA_MAX_IMAGES || (p == 0 && *sz[p] == 0))
			return qcq_error_set(err, QCQ_EINVAL, "%s size %ld out of range (%d..%zu)",
					     data_part_names[p], *sz[p], p == 0 ? 2 : 0,
					     DATA_MAX_IMAGES);
	if (!(s->size > 0 && s->size <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "size %g out of range (0, 1]", s->size);
	if (s->ntrain == 1)
		return qcq_error_set(err, QCQ_EINVAL, "train size 1: a balanced task needs 2");
	if (s->depth < 1 || s->depth > EXP_DEPTH_MAX)
		return qcq_error_set(err, QCQ_EINVAL, "depth %d out of range (1..%d)", s->depth,
				     EXP_DEPTH_MAX);
	if (s->observable != NN_OBS_Z0 && s->observable != NN_OBS_ZZ)
		return qcq_error_set(err, QCQ_EINVAL, "unknown observable %d", (int)s->observable);
	if (s->jobs < 1 || s->jobs > TRAIN_EXP_MAX_JOBS)
		return qcq_error_set(err, QCQ_EINVAL, "jobs %d out of range (1..%d)", s->jobs,
				     TRAIN_EXP_MAX_JOBS);
	if (s->threads < 1 || s->threads > 64)
		return qcq_error_set(err, QCQ_EINVAL, "threads %d out of range (1..64)", s->threads);
	return QCQ_OK;
}

/* ---------------------------------------------------------------- lists */

/* Splits text at commas into items (at most TRAIN_EXP_MAX_LIST, none empty); calls
 * item(ctx, i, word) for each. */
enum qcq_status train_exp_split_list(const char *what, const char *text,
				     enum qcq_status (*item)(void *ctx, int i, const char *w,
							     struct qcq_error *err),
				     void *ctx, int *count, struct qcq_error *err)
{
	int n = 0;
	const char *p = text;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char w[64];
		if (len == 0)
			return qcq_error_set(err, QCQ_EINVAL, "%s: empty item in '%s'", what, text);
		if (len >= sizeof w)
			return qcq_error_set(err, QCQ_EINVAL, "%s: item too long in '%s'", what, text);
		if (n == TRAIN_EXP_MAX_LIST)
			return qcq_error_set(err, QCQ_EINVAL, "%s: more than %d items", what,
					     TRAIN_EXP_MAX_LIST);
		memcpy(w, p, len);
		w[len] = '\0';
		enum qcq_status st = item(ctx, n, w, err);
		if (st)
			return qcq_error_prefix(err, "%s", what);
		n++;
		if (!e)
			break;
		p = e + 1;
	}
	*count = n;
	return QCQ_OK;
}

enum qcq_status train_exp_parse_num(const char *w, double lo, double hi, double *out,
				    struct qcq_error *err)
{
	char *end;
	errno = 0;
	double v = strtod(w, &end);
	if (end == w || *end || errno || !isfinite(v))
		return qcq_error_set(err, QCQ_EINVAL, "'%s' is not a number", w);
	if (v < lo || v > hi)
		return qcq_error_set(err, QCQ_EINVAL, "%s out of range [%g, %g]", w, lo, hi);
	*out = v;
	return QCQ_OK;
}

enum qcq_status train_exp_parse_int(const char *w, long lo, long hi, long *out,
				    struct qcq_error *err)
{
	double v = 0;
	enum qcq_status st = train_exp_parse_num(w, (double)lo, (double)hi, &v, err);
	if (st)
		return st;
	if (v != floor(v))
		return qcq_error_set(err, QCQ_EINVAL, "'%s' is not an integer", w);
	*out = (long)v;
	return QCQ_OK;
}

static enum qcq_status item_model(void *ctx, int i, const char *w, struct qcq_error *err)
{
	enum nn_arch *a = ctx;
	enum qcq_status st = nn_arch_from_name(w, &a[i], err);
	for (int j = 0; !st && j < i; j++)
		if (a[j] == a[i])
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return st;
}

static enum qcq_status item_data(void *ctx, int i, const char *w, struct qcq_error *err)
{
	enum train_exp_data *d = ctx;
	enum qcq_status st = train_exp_data_from_name(w, &d[i], err);
	for (int j = 0; !st && j < i; j++)
		if (d[j] == d[i])
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return st;
}

static enum qcq_status item_shots(void *ctx, int i, const char *w, struct qcq_error *err)
{
	long *s = ctx;
	enum qcq_status st = train_exp_parse_int(w, 1, 100000000L, &s[i], err);
	for (int j = 0; !st && j < i; j++)
		if (s[j] == s[i])
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return st;
}

static enum qcq_status item_level(void *ctx, int i, const char *w, struct qcq_error *err)
{
	struct train_exp_level *l = ctx;
	char a[64];
	const char *slash = strchr(w, '/');
	if (!slash)
		return qcq_error_set(err, QCQ_EINVAL, "'%s' is not P1/P2", w);
	snprintf(a, sizeof a, "%.*s", (int)(slash - w), w);
	enum qcq_status st = train_exp_parse_num(a, 0, 4.0 / 3.0, &l[i].p1, err);
	if (!st)
		st = train_exp_parse_num(slash + 1, 0, 16.0 / 15.0, &l[i].p2, err);
	for (int j = 0; !st && j < i; j++)
		if (l[j].p1 == l[i].p1 && l[j].p2 == l[i].p2)
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return st;
}

static enum qcq_status item_depth(void *ctx, int i, const char *w, struct qcq_error *err)
{
	int *d = ctx;
	long v = 0;
	enum qcq_status st = train_exp_parse_int(w, 1, EXP_DEPTH_MAX, &v, err);
	d[i] = (int)v;
	for (int j = 0; !st && j < i; j++)
		if (d[j] == d[i])
			return qcq_error_set(err, QCQ_EINVAL, "'%s' listed twice", w);
	return st;
}

enum qcq_status train_exp_parse_models(struct train_exp_spec *s, const char *text,
				       struct qcq_error *err)
{
	enum nn_arch a[TRAIN_EXP_MAX_LIST];
	int n = 0;
	enum qcq_status st = train_exp_split_list("models", text, item_model, a, &n, err);
	if (st)
		return st;
	if (n > NN_ARCH_COUNT)
		return qcq_error_set(err, QCQ_EINVAL, "models: %d listed, there are %d", n,
				     NN_ARCH_COUNT);
	memcpy(s->models, a, (size_t)n * sizeof *a);
	s->nmodels = n;
	return QCQ_OK;
}

enum qcq_status train_exp_parse_datasets(struct train_exp_spec *s, const char *text,
					 struct qcq_error *err)
{
	enum train_exp_data d[TRAIN_EXP_MAX_LIST];
	int n = 0;
	enum qcq_status st = train_exp_split_list("datasets", text, item_data, d, &n, err);
	if (st)
		return st;
	memcpy(s->datasets, d, (size_t)n * sizeof *d);
	s->ndatasets = n;
	return QCQ_OK;
}

enum qcq_status train_exp_parse_shots(struct train_exp_spec *s, const char *text,
				      struct qcq_error *err)
{
	long v[TRAIN_EXP_MAX_LIST];
	int n = 0;
	enum qcq_status st = train_exp_split_list("shots", text, item_shots, v, &n, err);
	if (st)
		return st;
	memcpy(s->shots, v, (size_t)n * sizeof *v);
	s->nshots = n;
	return QCQ_OK;
}

enum qcq_status train_exp_parse_levels(struct train_exp_spec *s, const char *text,
				       struct qcq_error *err)
{
	struct train_exp_level v[TRAIN_EXP_MAX_LIST];
	int n = 0;
	enum qcq_status st = train_exp_split_list("levels", text, item_level, v, &n, err);
	if (st)
		return st;
	memcpy(s->levels, v, (size_t)n * sizeof *v);
	s->nlevels = n;
	return QCQ_OK;
}

enum qcq_status train_exp_parse_depths(struct train_exp_spec *s, const char *text,
				       struct qcq_error *err)
{
	int v[TRAIN_EXP_MAX_LIST];
	int n = 0;
	enum qcq_status st = train_exp_split_list("depths", text, item_depth, v, &n, err);
	if (st)
		return st;
	memcpy(s->depths, v, (size_t)n * sizeof *v);
	s->ndepths = n;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- the runs */

int train_exp_batch_for(const struct train_exp_spec *s, enum nn_arch arch)
{
	if (s->batch > 0)
		return s->batch;
	return arch == NN_ARCH_QCQ_CNN ? 1 : 4;
}

/* Settings per "series" of a study: compare = one per (data set, model); noise = the
 * exact baseline then shots x levels; depth = one per (data set, depth). */
static size_t series_count(const struct train_exp_spec *s)
{
	switch (s->kind) {
	case TRAIN_EXP_COMPARE:
		return (size_t)s->ndatasets * (size_t)s->nmodels;
	case TRAIN_EXP_NOISE:
		return 1 + (size_t)s->nshots * (size_t)s->nlevels;
	default:
		return (size_t)s->ndatasets * (size_t)s->ndepths;
	}
}

size_t train_exp_count_runs(const struct train_exp_spec *s)
{
	return series_count(s) * (size_t)s->seeds;
}

static void series_fill(const struct train_exp_spec *s, size_t k, struct exp_run *r)
{
	r->kind = s->kind;
	r->arch = NN_ARCH_QCQ_CNN;
	r->data = s->datasets[0];
	r->depth = s->depth;
	r->obs = s->observable;
	r->shots = 0;
	r->p1 = r->p2 = 0;
	if (s->kind == TRAIN_EXP_COMPARE) {
		r->data = s->datasets[k / (size_t)s->nmodels];
		r->arch = s->models[k % (size_t)s->nmodels];
	} else if (s->kind == TRAIN_EXP_NOISE && k > 0) {
		size_t j = k - 1;
		r->shots = s->shots[j / (size_t)s->nlevels];
		r->p1 = s->levels[j % (size_t)s->nlevels].p1;
		r->p2 = s->levels[j % (size_t)s->nlevels].p2;
	} else if (s->kind == TRAIN_EXP_DEPTH) {
		r->data = s->datasets[k / (size_t)s->ndepths];
		r->depth = s->depths[k % (size_t)s->ndepths];
	}
	r->batch = train_exp_batch_for(s, r->arch);
	r->epochs = s->epochs;
	r->patience = s->patience;
	r->lr = s->lr;
}

struct exp_run *train_exp_plan(const struct train_exp_spec *s, size_t *n)
{
	size_t ns = series_count(s);
	*n = ns * (size_t)s->seeds;
	struct exp_run *runs = qcq_xcalloc(*n ? *n : 1, sizeof *runs);
	for (size_t k = 0; k < ns; k++) {
		for (int seed = 1; seed <= s->seeds; seed++) {
			struct exp_run *r = &runs[k * (size_t)s->seeds + (size_t)(seed - 1)];
			series_fill(s, k, r);
			r->seed = (uint64_t)seed;
		}
	}
	return runs;
}
