/*
 * train/history.c: the per-epoch rows of a training run, its resumable state, and
 * their CSV export. Rows are plain doubles; nothing here knows about models.
 */
#include "qcq/train.h"

#include "qcq/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void train_opts_default(struct train_opts *o)
{
	memset(o, 0, sizeof *o);
	o->epochs = 100;
	o->batch = 4;
	o->lr = 0.001;
	o->seed = 1;
	o->shuffle = true;
	o->patience = 0;
	o->restore_best = true;
	o->optim = TRAIN_ADAM;
	o->momentum = 0.9;
	o->event_interval = 0;
}

enum qcq_status train_opts_check(const struct train_opts *o, struct qcq_error *err)
{
	if (o->epochs < 1 || o->epochs > 100000)
		return qcq_error_set(err, QCQ_EINVAL, "epochs %d out of range (1..100000)", o->epochs);
	if (o->batch < 1 || o->batch > 65536)
		return qcq_error_set(err, QCQ_EINVAL, "batch %d out of range (1..65536)", o->batch);
	if (!(o->lr > 0 && o->lr <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "lr %g out of range (0, 1]", o->lr);
	if (o->patience < 0 || o->patience > 100000)
		return qcq_error_set(err, QCQ_EINVAL, "patience %d out of range (0..100000)",
				     o->patience);
	if (o->optim != TRAIN_ADAM && o->optim != TRAIN_SGD)
		return qcq_error_set(err, QCQ_EINVAL, "unknown optimiser %d", (int)o->optim);
	if (!(o->momentum >= 0 && o->momentum < 1))
		return qcq_error_set(err, QCQ_EINVAL, "momentum %g out of range [0, 1)",
				     o->momentum);
	if (!(o->filter_lr >= 0 && o->filter_lr <= 1))
		return qcq_error_set(err, QCQ_EINVAL, "filter lr %g out of range [0, 1]",
				     o->filter_lr);
	if (!(o->event_interval >= 0 && o->event_interval <= 3600))
		return qcq_error_set(err, QCQ_EINVAL, "event interval %g s out of range [0, 3600]",
				     o->event_interval);
	return QCQ_OK;
}

struct train_history *train_history_create(void)
{
	struct train_history *h = qcq_xcalloc(1, sizeof *h);
	train_opts_default(&h->opts);
	h->best_val_acc = -INFINITY;
	h->test.loss = h->test.acc = NAN;
	return h;
}

void train_history_free(struct train_history *h)
{
	if (!h)
		return;
	free(h->rows);
	free(h->best_params);
	free(h->resume_state);
	free(h);
}

struct train_history *train_history_clone(const struct train_history *h)
{
	struct train_history *c = qcq_xmalloc(sizeof *c);
	*c = *h;
	c->cap = h->n;
	c->rows = NULL;
	c->best_params = NULL;
	c->resume_state = NULL;
	if (h->resume_state) {
		c->resume_state = qcq_xmalloc(3 * h->nparams * sizeof(float));
		memcpy(c->resume_state, h->resume_state, 3 * h->nparams * sizeof(float));
	}
	if (h->n) {
		c->rows = qcq_xmalloc(h->n * sizeof *c->rows);
		memcpy(c->rows, h->rows, h->n * sizeof *c->rows);
	}
	if (h->best_params) {
		c->best_params = qcq_xmalloc(h->nparams * sizeof(float));
		memcpy(c->best_params, h->best_params, h->nparams * sizeof(float));
	}
	return c;
}

const char *train_end_name(enum train_end e)
{
	switch (e) {
	case TRAIN_RUNNING:
		return "running";
	case TRAIN_DONE:
		return "done";
	case TRAIN_EARLY_STOPPED:
		return "early stopped";
	case TRAIN_STOPPED:
		return "stopped";
	case TRAIN_FAILED:
		return "failed";
	}
	return "?";
}

enum qcq_status train_history_write_csv(const struct train_history *h, const char *path,
					struct qcq_error *err)
{
	if (!h || h->n == 0)
		return qcq_error_set(err, QCQ_ESTATE, "%s: no training history to export (train first)",
				     path);
	static const char *const header[] = {"epoch",   "train_loss", "train_acc", "val_loss",
					     "val_acc", "seconds",    "best"};
	struct rep_csv csv;
	enum qcq_status st = rep_csv_open(&csv, path, header, 7, err);
	if (st)
		return st;
	for (size_t i = 0; i < h->n; i++) {
		const struct train_epoch *r = &h->rows[i];
		rep_csv_int(&csv, r->epoch);
		rep_csv_num(&csv, r->train_loss);
		rep_csv_num(&csv, r->train_acc);
		rep_csv_num(&csv, r->val_loss);
		rep_csv_num(&csv, r->val_acc);
		rep_csv_num(&csv, r->seconds);
		rep_csv_int(&csv, r->epoch == h->best_epoch);
		rep_csv_end_row(&csv);
	}
	return rep_csv_close(&csv, err);
}
