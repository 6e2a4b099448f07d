/*
 * train/loop.c: the training loop (epochs of shuffled mini-batches, Adam or SGD,
 * validation after every epoch, early stopping that keeps the best weights), and
 * evaluation and prediction over plain arrays.
 *
 * Everything the loop needs is allocated before the first epoch; an epoch only copies
 * samples into the batch buffer and calls the model, so memory is flat over epochs.
 * The sample order of epoch e comes from train_epoch_order(seed, e): a resumed run sees
 * exactly the batches an uninterrupted one would have seen.
 */
#include "qcq/train.h"

#include "qcq/nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum qcq_status train_data_check(const struct nn_model *m, const struct train_data *d,
				 const char *what, struct qcq_error *err)
{
	const struct nn_model_desc *desc = nn_model_get_desc(m);
	if (d->n && (!d->x || !d->y))
		return qcq_error_set(err, QCQ_EINVAL, "%s data: missing samples or labels", what);
	if (d->c != (int)desc->in_c || d->h != (int)desc->in_h || d->w != (int)desc->in_w)
		return qcq_error_set(err, QCQ_EINVAL,
				     "%s data: samples are (%d,%d,%d) but the %s model takes (%u,%u,%u)",
				     what, d->c, d->h, d->w, nn_arch_name((enum nn_arch)desc->arch),
				     desc->in_c, desc->in_h, desc->in_w);
	if (d->n > (size_t)UINT32_MAX)
		return qcq_error_set(err, QCQ_ERANGE, "%s data: %zu samples (at most %u)", what,
				     d->n, UINT32_MAX);
	int K = nn_desc_classes(desc);
	for (size_t i = 0; i < d->n; i++) {
		if (d->y[i] >= 0 && d->y[i] < K)
			continue;
		if (K == 2)
			return qcq_error_set(err, QCQ_EINVAL,
					     "%s data: label %d of sample %zu is not 0 or 1", what,
					     (int)d->y[i], i);
		return qcq_error_set(err, QCQ_EINVAL,
				     "%s data: label %d of sample %zu is not in [0, %d): the model has "
				     "%d classes", what, (int)d->y[i], i, K, K);
	}
	return QCQ_OK;
}

_Static_assert(TRAIN_MAX_CLASSES == NN_MAX_CLASSES, "metrics and model class limits differ");

/* The predicted class: the first largest of K values (the binary rule p1 > p0). */
static int argmax(const float *v, int K)
{
	int best = 0;
	for (int k = 1; k < K; k++)
		if (v[k] > v[best])
			best = k;
	return best;
}

int train_metrics_classes(const struct train_metrics *m)
{
	return m->nclasses ? m->nclasses : 2;
}

double train_metrics_recall(const struct train_metrics *m, int k)
{
	uint64_t row = 0;
	for (int j = 0; j < train_metrics_classes(m); j++)
		row += m->confusion[k][j];
	return row ? (double)m->confusion[k][k] / (double)row : NAN;
}

double train_metrics_balanced_accuracy(const struct train_metrics *m)
{
	int K = train_metrics_classes(m);
	double sum = 0;
	for (int k = 0; k < K; k++)
		sum += train_metrics_recall(m, k);
	return sum / K;
}

static size_t sample_floats(const struct train_data *d)
{
	return (size_t)d->c * (size_t)d->h * (size_t)d->w;
}

enum qcq_status train_evaluate(struct nn_model *m, const struct train_data *d, int batch,
			       struct train_metrics *out, struct qcq_error *err)
{
	enum qcq_status st = train_data_check(m, d, "evaluation", err);
	if (st)
		return st;
	int maxb = nn_model_max_batch(m);
	batch = batch < 1 ? 1 : batch > maxb ? maxb : batch;
	memset(out, 0, sizeof *out);
	out->n = d->n;
	int K = nn_desc_classes(nn_model_get_desc(m));
	out->nclasses = K;
	if (d->n == 0) {
		out->loss = out->acc = NAN;
		return QCQ_OK;
	}
	nn_model_set_train(m, false);
	size_t in = sample_floats(d);
	double loss_sum = 0;
	size_t correct = 0;
	for (size_t b = 0; b < d->n; b += (size_t)batch) {
		int B = (int)(d->n - b < (size_t)batch ? d->n - b : (size_t)batch);
		const float *logits, *probs;
		float loss;
		st = nn_model_forward(m, d->x + b * in, B, &logits, err);
		if (st)
			return st;
		st = nn_model_loss(m, d->y + b, B, &loss, &probs, err);
		if (st == QCQ_ENUMERIC) {
			loss = NAN; /* counted, not fatal: evaluation reports what it sees */
			probs = NULL;
		} else if (st) {
			return st;
		}
		loss_sum += (double)loss * B;
		for (int i = 0; i < B; i++) {
			int pred = argmax(probs ? probs + (size_t)i * K : logits + (size_t)i * K, K);
			int y = d->y[b + (size_t)i];
			out->confusion[y][pred]++;
			correct += pred == y;
		}
	}
	qcq_error_clear(err);
	out->loss = loss_sum / (double)d->n;
	out->acc = (double)correct / (double)d->n;
	return QCQ_OK;
}

enum qcq_status train_predict(struct nn_model *m, const struct train_data *d, size_t i,
			      double *probs, struct qcq_error *err)
{
	if (i >= d->n)
		return qcq_error_set(err, QCQ_ERANGE, "sample %zu out of range (set has %zu)", i, d->n);
	enum qcq_status st = train_data_check(m, &(struct train_data){d->x, d->y, 0, d->c, d->h, d->w},
					      "prediction", err);
	if (st)
		return st;
	nn_model_set_train(m, false);
	const float *logits;
	st = nn_model_forward(m, d->x + i * sample_floats(d), 1, &logits, err);
	if (st)
		return st;
	int K = nn_desc_classes(nn_model_get_desc(m));
	if (K == 2) { /* as it always was */
		double a = logits[0], b = logits[1], mx = fmax(a, b);
		double ea = exp(a - mx), eb = exp(b - mx);
		probs[0] = ea / (ea + eb);
		probs[1] = eb / (ea + eb);
		return QCQ_OK;
	}
	/* the largest by index, not an fmax reduction: gcc 12's aarch64 vectoriser crashes
	 * on that at -O3 (as in tests/qml/test_filter_grad.c) */
	double mx = logits[argmax(logits, K)], sum = 0;
	for (int k = 0; k < K; k++)
		sum += probs[k] = exp(logits[k] - mx);
	for (int k = 0; k < K; k++)
		probs[k] /= sum;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- epoch order */

/*
 * The order of epoch e is stream e of the "train.shuffle" domain of seed (see
 * qcq_rng_seed_domain). With plain split(seed(seed), e), epoch 10 once replayed the data
 * split's stream 10, the one that laid out the train part: Fisher-Yates over the same n
 * with the same stream gives the same permutation, and since the split put class 0
 * first, that epoch saw every class-0 sample and then every class-1 sample (the model
 * drifted to class 1: the "epoch 10 anomaly"; tests/train/test_shuffle.c).
 */
void train_epoch_order(uint64_t seed, int epoch, bool shuffle, uint32_t *perm, size_t n)
{
	for (size_t i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	if (!shuffle)
		return;
	struct qcq_rng dom, r;
	qcq_rng_seed_domain(&dom, seed, "train.shuffle");
	r = qcq_rng_split(&dom, (uint64_t)epoch);
	qcq_rng_shuffle(&r, perm, n);
}

/* ---------------------------------------------------------------- fit */

/* Options for this call: a fresh run takes opts; a resumed one keeps batch and seed. */
static enum qcq_status fit_options(const struct nn_model *m, const struct train_opts *opts,
				   const struct train_history *h, struct train_opts *o,
				   struct qcq_error *err)
{
	*o = opts ? *opts : h->opts;
	enum qcq_status st = train_opts_check(o, err);
	if (st)
		return st;
	if (o->batch > nn_model_max_batch(m))
		return qcq_error_set(err, QCQ_EINVAL, "batch %d is larger than the model's maximum %d",
				     o->batch, nn_model_max_batch(m));
	if (h->n == 0)
		return QCQ_OK;
	if (o->batch != h->opts.batch || o->seed != h->opts.seed || o->shuffle != h->opts.shuffle ||
	    o->optim != h->opts.optim)
		return qcq_error_set(err, QCQ_EINVAL,
				     "resume: batch, seed, shuffling and optimiser must stay as in "
				     "the run (batch %d, seed %llu)",
				     h->opts.batch, (unsigned long long)h->opts.seed);
	if ((size_t)o->epochs <= h->n)
		return qcq_error_set(err, QCQ_EINVAL,
				     "resume: the run already has %zu epochs; give epochs=N with N > %zu",
				     h->n, h->n);
	if ((h->best_params || h->resume_state) && h->nparams != nn_model_nparams(m))
		return qcq_error_set(err, QCQ_EINVAL,
				     "resume: history is for %zu parameters, the model has %zu",
				     h->nparams, nn_model_nparams(m));
	return QCQ_OK;
}

static enum qcq_status fit_check(struct nn_model *m, const struct train_data *train,
				 const struct train_data *val, const struct train_data *test,
				 const struct train_opts *o, struct qcq_error *err)
{
	enum qcq_status st = train_data_check(m, train, "train", err);
	if (st)
		return st;
	if (train->n == 0)
		return qcq_error_set(err, QCQ_EINVAL, "train data: no samples");
	if (val && (st = train_data_check(m, val, "val", err)))
		return st;
	if (test && (st = train_data_check(m, test, "test", err)))
		return st;
	if (o->patience > 0 && (!val || val->n == 0))
		return qcq_error_set(err, QCQ_EINVAL,
				     "early stopping (patience %d) needs validation data", o->patience);
	return QCQ_OK;
}

struct fit {
	struct nn_model *m;
	const struct train_data *train, *val;
	struct train_opts o;
	struct train_history *h;
	const struct qcq_sink *sink;
	const qcq_stop_flag *stop;
	uint32_t *perm;
	float *xb;
	int32_t *yb;
	size_t in, np;
};

/* One epoch of mini-batches; fills row's train loss/acc. */
static enum qcq_status fit_epoch(struct fit *f, int epoch, struct train_epoch *row,
				 struct qcq_error *err)
{
	const struct train_data *d = f->train;
	size_t n = d->n, B0 = (size_t)f->o.batch, nb = (n + B0 - 1) / B0;
	train_epoch_order(f->o.seed, epoch, f->o.shuffle, f->perm, n);
	struct nn_adam adam = NN_ADAM_DEFAULT;
	adam.lr = (float)f->o.lr;
	nn_model_set_filter_lr(f->m, (float)f->o.filter_lr);
	double loss_sum = 0, t0 = qcq_now(), last_ev = -INFINITY;
	size_t correct = 0;
	int K = nn_desc_classes(nn_model_get_desc(f->m));
	nn_model_set_train(f->m, true);
	for (size_t b = 0; b < nb; b++) {
		if (f->stop && *f->stop)
			return QCQ_ESTOPPED;
		int B = (int)(n - b * B0 < B0 ? n - b * B0 : B0);
		for (int i = 0; i < B; i++) {
			uint32_t k = f->perm[b * B0 + (size_t)i];
			memcpy(f->xb + (size_t)i * f->in, d->x + (size_t)k * f->in, f->in * sizeof(float));
			f->yb[i] = d->y[k];
		}
		const float *logits, *probs;
		float loss;
		enum qcq_status st = nn_model_forward(f->m, f->xb, B, &logits, err);
		if (!st)
			st = nn_model_loss(f->m, f->yb, B, &loss, &probs, err);
		if (!st) {
			nn_model_zero_grad(f->m);
			st = nn_model_backward(f->m, err);
		}
		if (st)
			return qcq_error_prefix(err, "epoch %d, batch %zu", epoch, b + 1);
		if (f->o.optim == TRAIN_ADAM)
			nn_model_adam_step(f->m, &adam);
		else
			nn_model_sgd_step(f->m, (float)f->o.lr, (float)f->o.momentum);
		loss_sum += (double)loss * B;
		for (int i = 0; i < B; i++)
			correct += argmax(probs + (size_t)i * K, K) == f->yb[i];
		double now = qcq_now();
		if (b + 1 == nb || now - last_ev >= f->o.event_interval) {
			last_ev = now;
			struct qcq_event ev = {.kind = QCQ_EV_BATCH, .epoch = epoch, .step = (int)b + 1};
			ev.done = (double)(b + 1);
			ev.total = (double)nb;
			ev.train_loss = loss;
			ev.rate = now > t0 ? (double)((b + 1) * B0) / (now - t0) : 0;
			qcq_post(f->sink, &ev);
		}
	}
	row->train_loss = loss_sum / (double)n;
	row->train_acc = (double)correct / (double)n;
	return QCQ_OK;
}

/* The epoch-boundary state a resume continues from. */
static void snapshot(struct nn_model *m, struct train_history *h, size_t np)
{
	memcpy(h->resume_state, nn_model_params(m), np * sizeof(float));
	memcpy(h->resume_state + np, nn_model_opt_m(m), np * sizeof(float));
	memcpy(h->resume_state + 2 * np, nn_model_opt_v(m), np * sizeof(float));
	h->resume_t = nn_model_opt_t(m);
	h->resume_rng = *nn_model_rng(m);
}

static void restore_snapshot(struct nn_model *m, const struct train_history *h, size_t np)
{
	memcpy(nn_model_params(m), h->resume_state, np * sizeof(float));
	memcpy(nn_model_opt_m(m), h->resume_state + np, np * sizeof(float));
	memcpy(nn_model_opt_v(m), h->resume_state + 2 * np, np * sizeof(float));
	nn_model_set_opt_t(m, h->resume_t);
	*nn_model_rng(m) = h->resume_rng;
}

/* After an epoch: validation, the best-epoch bookkeeping, the row and its event. */
static enum qcq_status fit_after_epoch(struct fit *f, struct train_epoch *row, double t0,
				       struct qcq_error *err)
{
	struct train_history *h = f->h;
	row->val_loss = row->val_acc = NAN;
	if (f->val && f->val->n) {
		struct train_metrics vm;
		enum qcq_status st = train_evaluate(f->m, f->val, nn_model_max_batch(f->m), &vm, err);
		if (st)
			return qcq_error_prefix(err, "epoch %d, validation", row->epoch);
		row->val_loss = vm.loss;
		row->val_acc = vm.acc;
		if (vm.acc > h->best_val_acc) {
			h->best_val_acc = vm.acc;
			h->best_epoch = row->epoch;
			h->since_best = 0;
			memcpy(h->best_params, nn_model_params(f->m), f->np * sizeof(float));
		} else {
			h->since_best++;
		}
	}
	snapshot(f->m, h, f->np);
	row->seconds = qcq_now() - t0;
	h->rows[h->n++] = *row;
	h->total_seconds += row->seconds;
	struct qcq_event ev = {.kind = QCQ_EV_EPOCH, .epoch = row->epoch};
	ev.done = row->epoch;
	ev.total = f->o.epochs;
	ev.train_loss = row->train_loss;
	ev.train_acc = row->train_acc;
	ev.val_loss = row->val_loss;
	ev.val_acc = row->val_acc;
	ev.seconds = row->seconds;
	qcq_post(f->sink, &ev);
	return QCQ_OK;
}

static enum qcq_status fit_loop(struct fit *f, struct qcq_error *err)
{
	struct train_history *h = f->h;
	while (h->n < (size_t)f->o.epochs) {
		struct train_epoch row = {.epoch = (int)h->n + 1};
		double t0 = qcq_now();
		enum qcq_status st = fit_epoch(f, row.epoch, &row, err);
		if (st == QCQ_ESTOPPED) {
			h->end = TRAIN_STOPPED;
			return qcq_error_set(err, QCQ_ESTOPPED, "during epoch %d of %d", row.epoch,
					     f->o.epochs);
		}
		if (st) {
			h->end = TRAIN_FAILED;
			return st;
		}
		if ((st = fit_after_epoch(f, &row, t0, err))) {
			h->end = TRAIN_FAILED;
			return st;
		}
		if (f->o.patience > 0 && h->since_best >= f->o.patience) {
			h->end = TRAIN_EARLY_STOPPED;
			qcq_post_log(f->sink,
				 "early stopping after epoch %d: no better validation accuracy for %d "
				 "epochs (best %.4f at epoch %d)",
				 row.epoch, f->o.patience, h->best_val_acc, h->best_epoch);
			return QCQ_OK;
		}
	}
	h->end = TRAIN_DONE;
	return QCQ_OK;
}

enum qcq_status train_fit(struct nn_model *m, const struct train_data *train,
			  const struct train_data *val, const struct train_data *test,
			  const struct train_opts *opts, struct train_history *h,
			  const struct qcq_sink *sink, const qcq_stop_flag *stop,
			  struct qcq_error *err)
{
	struct fit f = {.m = m, .train = train, .val = val, .h = h, .sink = sink, .stop = stop};
	enum qcq_status st = fit_options(m, opts, h, &f.o, err);
	if (!st)
		st = fit_check(m, train, val, test, &f.o, err);
	if (st)
		return st;
	/* everything is valid: from here on the call changes m and h */
	f.in = sample_floats(train);
	f.np = nn_model_nparams(m);
	if (h->n == 0) {
		free(h->best_params);
		free(h->resume_state);
		h->best_params = NULL;
		h->resume_state = NULL;
		h->best_epoch = 0;
		h->best_val_acc = -INFINITY;
		h->since_best = 0;
		h->total_seconds = 0;
		h->has_test = false;
	}
	if (h->n > 0 && h->resume_state)
		restore_snapshot(m, h, f.np);
	if (h->end == TRAIN_EARLY_STOPPED)
		h->since_best = 0; /* resuming past early stopping: patience starts again */
	h->opts = f.o;
	h->end = TRAIN_RUNNING;
	h->nparams = f.np;
	if (!h->best_params)
		h->best_params = qcq_xmalloc(f.np * sizeof(float));
	if (!h->resume_state)
		h->resume_state = qcq_xmalloc(3 * f.np * sizeof(float));
	if (h->cap < (size_t)f.o.epochs) {
		h->rows = qcq_xrealloc(h->rows, (size_t)f.o.epochs * sizeof *h->rows);
		h->cap = (size_t)f.o.epochs;
	}
	f.perm = qcq_xmalloc(train->n * sizeof *f.perm);
	f.xb = qcq_xmalloc((size_t)f.o.batch * f.in * sizeof(float));
	f.yb = qcq_xmalloc((size_t)f.o.batch * sizeof(int32_t));

	st = fit_loop(&f, err);

	free(f.perm), free(f.xb), free(f.yb);
	nn_model_set_train(m, false);
	if (f.o.restore_best && h->best_epoch > 0) {
		memcpy(nn_model_params(m), h->best_params, f.np * sizeof(float));
		qcq_post_log(sink, "restored the weights of epoch %d (validation accuracy %.4f)",
			 h->best_epoch, h->best_val_acc);
	} else if (!f.o.restore_best && h->n) {
		qcq_post_log(sink, "kept the weights of the last epoch (%zu)", h->n);
	}
	struct qcq_error terr;
	if (st == QCQ_OK && test && test->n &&
	    train_evaluate(m, test, nn_model_max_batch(m), &h->test, &terr) == QCQ_OK) {
		h->has_test = true;
		qcq_post_log(sink, "test accuracy %.4f, loss %.4f (%zu samples)", h->test.acc,
			 h->test.loss, h->test.n);
	}
	char done[160];
	snprintf(done, sizeof done, "%s after %zu of %d epochs", train_end_name(h->end), h->n,
		 f.o.epochs);
	struct qcq_event ev = {.kind = QCQ_EV_DONE, .text = done, .epoch = (int)h->n};
	ev.done = (double)h->n;
	ev.total = f.o.epochs;
	ev.val_acc = h->best_epoch ? h->best_val_acc : NAN;
	ev.seconds = h->total_seconds;
	qcq_post(sink, &ev);
	return st;
}
