/*
 * train/experiment-run.c: one run of a study — its identity (key and file name), its
 * training (a model of its own, train_fit with the study's options) and its result
 * file, a small line-oriented text format that a person can read:
 *
 *     qcqlab-run 1
 *     key 5c0d...            identity: every setting, the split and the filter
 *     study compare / model qcq-cnn / data mnist / seed 1 / ...   (one per line)
 *     end early-stopped / best_epoch 23 / test_acc 0.985 / ...
 *     rows 33
 *     1 0.52 0.75 0.41 0.83 0.21      epoch, train loss, acc, val loss, acc, seconds
 *     ...
 *     end-of-run
 *
 * A file that does not parse completely, or whose key is not the run's, is not a
 * finished run (the study trains it again and overwrites the file).
 */
#include "experiment-internal.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *obs_name(enum nn_observable o)
{
	return o == NN_OBS_ZZ ? "zz" : "z0";
}

void train_exp_run_identify(struct exp_run *r, const struct exp_data *d)
{
	for (int p = 0; p < DATA_NPARTS; p++)
		r->n[p] = d->split->part[p].n;
	r->data_key = d->key;
	/* The K-class classifier of qcq-cnn and rf-qcq-cnn reads tanh of its inputs since the
	 * first K-class studies (which fed them unbounded: nn/qlayer.c): their runs' keys say
	 * so, so that a folder of those runs is trained again, not resumed as if it were this
	 * model's. Every other run keeps its key. */
	struct nn_model_desc kd = { .arch = r->arch, .nclasses = (uint32_t)d->split->nsides };
	bool mc_tanh = nn_desc_kclass_quantum(&kd);
	char text[1024];
	snprintf(text, sizeof text,
		 "%s|%s|%s|%s|%" PRIu64 "|%d|%s|%ld|%.17g|%.17g|%d|%d|%d|%.17g|%zu|%zu|%zu|%016" PRIx64,
		 mc_tanh ? "v1-mc-tanh" : "v1",
		 train_exp_kind_name(r->kind), nn_arch_name(r->arch), train_exp_data_name(r->data),
		 r->seed, r->depth, obs_name(r->obs), r->shots, r->p1, r->p2, r->batch, r->epochs,
		 r->patience, r->lr, r->n[0], r->n[1], r->n[2], r->data_key);
	r->key = qcq_hash(QCQ_HASH_INIT, text, strlen(text));
	char what[96] = "";
	if (r->kind == TRAIN_EXP_NOISE) {
		if (r->shots)
			snprintf(what, sizeof what, "_shots%ld_p%g-%g", r->shots, r->p1, r->p2);
		else
			snprintf(what, sizeof what, "_exact_p%g-%g", r->p1, r->p2);
	} else if (r->kind == TRAIN_EXP_DEPTH) {
		snprintf(what, sizeof what, "_depth%d", r->depth);
	}
	snprintf(r->name, sizeof r->name, "%s_%s_%s%s_seed%" PRIu64 "_%08" PRIx32 ".run",
		 train_exp_kind_name(r->kind), nn_arch_name(r->arch), train_exp_data_name(r->data),
		 what, r->seed, (uint32_t)(r->key >> 32));
}

void train_exp_run_series(const struct exp_run *r, char *buf, size_t n)
{
	if (r->kind == TRAIN_EXP_NOISE && r->shots == 0 && r->p1 == 0 && r->p2 == 0)
		snprintf(buf, n, "exact, noiseless");
	else if (r->kind == TRAIN_EXP_NOISE)
		snprintf(buf, n, "%ld shots, p1=%g p2=%g", r->shots, r->p1, r->p2);
	else if (r->kind == TRAIN_EXP_DEPTH)
		snprintf(buf, n, "depth %d (%d angles)", r->depth, 2 * (r->depth + 1));
	else
		snprintf(buf, n, "%s", nn_arch_name(r->arch));
}

void train_exp_outcome_free(struct exp_outcome *o)
{
	free(o->rows);
	memset(o, 0, sizeof *o);
}

/* ---------------------------------------------------------------- training */

void train_exp_part(const struct exp_data *d, enum nn_arch arch, bool images, int p,
		    struct train_data *td)
{
	const struct data_subset *sub = &d->split->part[p];
	td->y = sub->labels;
	td->n = sub->n;
	if (nn_arch_takes_features(arch) && !images) {
		td->x = d->feat->part[p];
		td->c = d->feat->c, td->h = d->feat->oh, td->w = d->feat->ow;
	} else if (arch == NN_ARCH_QCNN) {
		assert(d->small[p]);
		td->x = d->small[p];
		td->c = 1, td->h = td->w = d->small_side;
	} else {
		td->x = sub->images;
		td->c = 1, td->h = d->split->h, td->w = d->split->w;
	}
}

void train_exp_model_desc(struct nn_model_desc *desc, enum nn_arch arch,
			  const struct train_data *td, const struct exp_data *d, int depth, int obs,
			  uint64_t seed)
{
	nn_model_desc_default(desc, arch);
	desc->in_c = (uint32_t)td->c, desc->in_h = (uint32_t)td->h, desc->in_w = (uint32_t)td->w;
	desc->depth = (uint32_t)depth;
	desc->observable = (uint32_t)obs;
	desc->seed = seed;
	desc->nclasses = (uint32_t)d->split->nsides;
}

enum qcq_status train_exp_run_train(struct exp_run *r, const struct exp_data *d,
			      const struct qcq_sink *events, const qcq_stop_flag *stop,
			      struct qcq_error *err)
{
	struct train_data td[DATA_NPARTS];
	for (int p = 0; p < DATA_NPARTS; p++)
		train_exp_part(d, r->arch, false, p, &td[p]);
	struct nn_model_desc desc;
	train_exp_model_desc(&desc, r->arch, &td[0], d, r->depth, r->obs, r->seed);
	desc.p1 = (float)r->p1, desc.p2 = (float)r->p2;
	desc.shots = (uint64_t)r->shots;
	struct nn_model *m;
	/* evaluation runs in batches of up to 256 whatever the training batch */
	enum qcq_status st = nn_model_create(&m, &desc, r->batch > 256 ? r->batch : 256, NULL, err);
	if (st)
		return st;
	struct train_opts o;
	train_opts_default(&o);
	o.epochs = r->epochs, o.batch = r->batch, o.lr = r->lr, o.seed = r->seed;
	o.patience = r->patience;
	o.restore_best = true;
	o.event_interval = 3600; /* one batch event per epoch: nobody draws them here */
	struct train_history *h = train_history_create();
	st = train_fit(m, &td[DATA_TRAIN], &td[DATA_VAL], &td[DATA_TEST], &o, h, NULL, stop, err);
	if (st == QCQ_OK || st == QCQ_ENUMERIC) {
		struct exp_outcome *out = &r->out;
		memset(out, 0, sizeof *out);
		out->end = st == QCQ_OK ? h->end : TRAIN_FAILED;
		out->best_epoch = h->best_epoch;
		out->test_loss = h->has_test ? h->test.loss : NAN;
		out->test_acc = h->has_test ? h->test.acc : NAN;
		out->nclasses = train_metrics_classes(&h->test);
		memcpy(out->confusion, h->test.confusion, sizeof out->confusion);
		out->seconds = h->total_seconds;
		out->nparams = nn_model_nparams(m);
		out->nparams_quantum = nn_model_nparams_quantum(m);
		out->nrows = h->n;
		out->rows = qcq_xmalloc((h->n ? h->n : 1) * sizeof *out->rows);
		memcpy(out->rows, h->rows, h->n * sizeof *h->rows);
		r->done = true;
		if (st == QCQ_ENUMERIC)
			qcq_post_log(events, "%s: %s (recorded as failed)", r->name, err->msg);
		st = QCQ_OK;
	}
	train_history_free(h);
	nn_model_destroy(m);
	return st;
}

/* ---------------------------------------------------------------- the file */

static const char *end_word(enum train_end e)
{
	switch (e) {
	case TRAIN_DONE: return "done";
	case TRAIN_EARLY_STOPPED: return "early-stopped";
	case TRAIN_STOPPED: return "stopped";
	case TRAIN_FAILED: return "failed";
	default: return "running";
	}
}

struct sbuf {
	char *s;
	size_t n, cap;
};

static void QCQ_PRINTF(2, 3) put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (k >= 0 && b->n + (size_t)k < b->cap) {
			b->n += (size_t)k;
			return;
		}
		b->cap = b->cap * 2 + (size_t)(k > 0 ? k : 0) + 256;
		b->s = qcq_xrealloc(b->s, b->cap);
	}
}

char *train_exp_run_format(const struct exp_run *r, size_t *len)
{
	const struct exp_outcome *o = &r->out;
	struct sbuf b = {qcq_xmalloc(4096), 0, 4096};
	put(&b, "qcqlab-run 1\nkey %016" PRIx64 "\n", r->key);
	put(&b, "study %s\nmodel %s\ndata %s\nseed %" PRIu64 "\n", train_exp_kind_name(r->kind),
	    nn_arch_name(r->arch), train_exp_data_name(r->data), r->seed);
	put(&b, "depth %d\nobservable %s\nshots %ld\np1 %.17g\np2 %.17g\n", r->depth,
	    obs_name(r->obs), r->shots, r->p1, r->p2);
	put(&b, "batch %d\nepochs %d\npatience %d\nlr %.17g\nsizes %zu %zu %zu\n", r->batch,
	    r->epochs, r->patience, r->lr, r->n[0], r->n[1], r->n[2]);
	put(&b, "data_key %016" PRIx64 "\nend %s\nbest_epoch %d\n", r->data_key, end_word(o->end),
	    o->best_epoch);
	put(&b, "test_loss %.17g\ntest_acc %.17g\n", o->test_loss, o->test_acc);
	int K = o->nclasses ? o->nclasses : 2;
	if (K == 2) {
		put(&b, "confusion %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		    o->confusion[0][0], o->confusion[0][1], o->confusion[1][0], o->confusion[1][1]);
	} else { /* "confusion K", then one row per true class */
		put(&b, "confusion %d\n", K);
		for (int a = 0; a < K; a++) {
			put(&b, "row");
			for (int c = 0; c < K; c++)
				put(&b, " %" PRIu64, o->confusion[a][c]);
			put(&b, "\n");
		}
	}
	put(&b, "seconds %.6f\nparams %zu %zu\nrows %zu\n", o->seconds, o->nparams,
	    o->nparams_quantum, o->nrows);
	for (size_t i = 0; i < o->nrows; i++) {
		const struct train_epoch *e = &o->rows[i];
		put(&b, "%d %.17g %.17g %.17g %.17g %.6f\n", e->epoch, e->train_loss, e->train_acc,
		    e->val_loss, e->val_acc, e->seconds);
	}
	put(&b, "end-of-run\n");
	*len = b.n;
	return b.s;
}

/* A cursor over the file's lines. */
struct lines {
	const char *p, *end;
	int line;
	char buf[2048]; /* a K x K confusion row: up to 32 counts */
};

static bool next_line(struct lines *L)
{
	if (L->p >= L->end)
		return false;
	const char *nl = memchr(L->p, '\n', (size_t)(L->end - L->p));
	size_t len = nl ? (size_t)(nl - L->p) : (size_t)(L->end - L->p);
	if (len >= sizeof L->buf)
		len = sizeof L->buf - 1;
	memcpy(L->buf, L->p, len);
	L->buf[len] = '\0';
	L->p = nl ? nl + 1 : L->end;
	L->line++;
	return true;
}

/* "NAME value": the value text, or NULL if the line is not that. */
static const char *field(struct lines *L, const char *name)
{
	size_t k = strlen(name);
	if (!next_line(L) || strncmp(L->buf, name, k) != 0 || L->buf[k] != ' ')
		return NULL;
	return L->buf + k + 1;
}

static bool num(const char *s, double *v)
{
	char *e;
	errno = 0;
	*v = strtod(s, &e);
	return e != s && *e == '\0' && errno != ERANGE;
}

static enum qcq_status bad(struct qcq_error *err, const struct lines *L, const char *what)
{
	return qcq_error_set(err, QCQ_EFORMAT, "line %d: %s", L->line, what);
}

/* The confusion: "a b c d" (2 x 2) or "K" and K lines "row v0 .. v(K-1)". */
static enum qcq_status parse_confusion(struct exp_outcome *o, const char *v, struct lines *L)
{
	o->nclasses = 2;
	if (sscanf(v, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &o->confusion[0][0],
		   &o->confusion[0][1], &o->confusion[1][0], &o->confusion[1][1]) == 4)
		return QCQ_OK;
	char *e;
	long K = strtol(v, &e, 10);
	if (*e || K < 3 || K > TRAIN_MAX_CLASSES)
		return QCQ_EFORMAT;
	o->nclasses = (int)K;
	for (int a = 0; a < K; a++) {
		if (!next_line(L) || strncmp(L->buf, "row", 3) != 0)
			return QCQ_EFORMAT;
		const char *p = L->buf + 3;
		for (int c = 0; c < K; c++) {
			errno = 0;
			unsigned long long x = strtoull(p, &e, 10);
			if (e == p || errno)
				return QCQ_EFORMAT;
			o->confusion[a][c] = x;
			p = e;
		}
		if (*p)
			return QCQ_EFORMAT;
	}
	return QCQ_OK;
}

static enum qcq_status parse_rows(struct exp_outcome *o, struct lines *L, size_t nrows,
				  struct qcq_error *err)
{
	o->rows = qcq_xmalloc((nrows ? nrows : 1) * sizeof *o->rows);
	for (size_t i = 0; i < nrows; i++) {
		struct train_epoch *e = &o->rows[i];
		char tail;
		if (!next_line(L) ||
		    sscanf(L->buf, "%d %lf %lf %lf %lf %lf %c", &e->epoch, &e->train_loss,
			   &e->train_acc, &e->val_loss, &e->val_acc, &e->seconds, &tail) != 6 ||
		    e->epoch != (int)i + 1)
			return bad(err, L, "bad epoch row");
	}
	o->nrows = nrows;
	if (!next_line(L) || strcmp(L->buf, "end-of-run") != 0)
		return bad(err, L, "missing end-of-run");
	return QCQ_OK;
}

enum qcq_status train_exp_run_parse(struct exp_run *r, const char *text, size_t len,
			      struct qcq_error *err)
{
	struct lines L = {.p = text, .end = text + len};
	const char *v;
	if (!next_line(&L) || strcmp(L.buf, "qcqlab-run 1") != 0)
		return bad(err, &L, "not a qcqlab run file (version 1)");
	if (!(v = field(&L, "key")) || strtoull(v, NULL, 16) != r->key)
		return bad(err, &L, "another run's file (key differs)");
	/* the identity lines are covered by the key; skip to the outcome */
	while (next_line(&L) && strncmp(L.buf, "data_key ", 9) != 0)
		;
	struct exp_outcome o;
	memset(&o, 0, sizeof o);
	double x[4];
	if (!(v = field(&L, "end")))
		return bad(err, &L, "missing end");
	const enum train_end ends[] = {TRAIN_DONE, TRAIN_EARLY_STOPPED, TRAIN_FAILED};
	o.end = TRAIN_RUNNING;
	for (int i = 0; i < 3; i++)
		if (strcmp(v, end_word(ends[i])) == 0)
			o.end = ends[i];
	if (o.end == TRAIN_RUNNING)
		return bad(err, &L, "not a finished run");
	if (!(v = field(&L, "best_epoch")) || !num(v, &x[0]) || x[0] < 0 || x[0] > 1e6)
		return bad(err, &L, "bad best_epoch");
	o.best_epoch = (int)x[0];
	if (!(v = field(&L, "test_loss")) || !num(v, &o.test_loss) ||
	    !(v = field(&L, "test_acc")) || !num(v, &o.test_acc))
		return bad(err, &L, "bad test metrics");
	if (!(v = field(&L, "confusion")) || parse_confusion(&o, v, &L) != QCQ_OK)
		return bad(err, &L, "bad confusion");
	if (!(v = field(&L, "seconds")) || !num(v, &o.seconds))
		return bad(err, &L, "bad seconds");
	if (!(v = field(&L, "params")) || sscanf(v, "%zu %zu", &o.nparams, &o.nparams_quantum) != 2)
		return bad(err, &L, "bad params");
	if (!(v = field(&L, "rows")) || !num(v, &x[0]) || x[0] < 0 || x[0] > r->epochs ||
	    x[0] != floor(x[0]))
		return bad(err, &L, "bad row count");
	enum qcq_status st = parse_rows(&o, &L, (size_t)x[0], err);
	if (st) {
		free(o.rows);
		return st;
	}
	train_exp_outcome_free(&r->out);
	r->out = o;
	r->done = true;
	return QCQ_OK;
}
