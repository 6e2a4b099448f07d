/*
 * train/experiment-ablate-file.c: the ablation study's run files, which make it
 * resumable. Every finished run (search or final) is written atomically to
 * OUT/runs/ablate_<phase>_<data>_<model>_g<grid>_seed<seed>_<key>.run:
 *
 *     qcqlab-ablate-run 1
 *     key 5c0d...          hash of everything the run depends on (below)
 *     phase search / data synth / model qcq-cnn-tf / grid 1 / seed 2   (one per line)
 *     end early-stopped / val_acc 0x1.8p-1 / best_epoch 3 / epochs 5 / test_acc nan / ...
 *     end-of-run
 *
 * The key covers the run's own settings only: the prepared data (split and filter hash,
 * part sizes), the model and its arm, depth, observable, the filter lr of an arm, the
 * configuration's lr, widths and batch, the seed, epochs and patience, and the phase.
 * A run's result depends on nothing else (the tests check that), so a file is reused
 * exactly when it was written under the same settings; a file written under other
 * options has another key, hence another name, and is never read (the study counts and
 * names them in its log). Floats are written as "%a" and read back bit-identical.
 *
 * A file that is there but does not read completely, or whose key or identity is not the
 * run's, is reported (which file, why) and the run is trained again (its new file
 * replaces the bad one).
 */
#include "experiment-ablate.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ABL_FILE_MAGIC "qcqlab-ablate-run 1"

static uint64_t task_key(const struct train_abl_spec *s, const struct exp_data *d,
			 const struct abl_task *t)
{
	struct abl_config c = train_ablate_grid_config(s, t->grid);
	bool tf = s->trainable >> t->model & 1u;
	char text[1024];
	snprintf(text, sizeof text,
		 "ablate-v1|%s|%016" PRIx64 "|%zu|%zu|%zu|%s|%s|%d|%a|%d|%d|%a|%d|%d|%d|%d|%d|%d|%s",
		 train_exp_data_name(s->base.datasets[t->data]), d->key, d->split->part[0].n,
		 d->split->part[1].n, d->split->part[2].n, nn_arch_name(s->base.models[t->model]),
		 train_abl_model_name(s, t->model), tf, tf ? s->filter_lr : 0.0, s->base.depth,
		 (int)s->base.observable, c.lr, c.conv1, c.conv2, c.batch, t->seed,
		 s->base.epochs, s->base.patience, t->final ? "final" : "search");
	return qcq_hash(QCQ_HASH_INIT, text, strlen(text));
}

void train_ablate_task_path(const struct train_abl_spec *s, const struct exp_data *data,
			    const char *out_dir, const struct abl_task *t, char *buf, size_t n)
{
	uint64_t key = task_key(s, &data[t->data], t);
	snprintf(buf, n, "%s/runs/ablate_%s_%s_%s_g%d_seed%d_%08" PRIx32 ".run", out_dir,
		 t->final ? "final" : "search", train_exp_data_name(s->base.datasets[t->data]),
		 train_abl_model_name(s, t->model), t->grid, t->seed, (uint32_t)(key >> 32));
}

char *train_ablate_task_format(const struct train_abl_spec *s, const struct exp_data *data,
			       const struct abl_task *t, size_t *len)
{
	size_t cap = 2048;
	char *b = qcq_xmalloc(cap);
	int k = snprintf(b, cap,
			 ABL_FILE_MAGIC "\nkey %016" PRIx64 "\nphase %s\ndata %s\nmodel %s\ngrid %d\n"
			 "seed %d\nend %s\nval_acc %a\nbest_epoch %d\nepochs %d\ntest_acc %a\n"
			 "test_bal_acc %a\nnparams %zu\nnparams_q %zu\nseconds %a\nend-of-run\n",
			 task_key(s, &data[t->data], t), t->final ? "final" : "search",
			 train_exp_data_name(s->base.datasets[t->data]),
			 train_abl_model_name(s, t->model), t->grid, t->seed, train_end_name(t->end),
			 t->val_acc, t->best_epoch, t->epochs, t->test_acc, t->test_bal_acc,
			 t->nparams, t->nparams_q, t->seconds);
	*len = k > 0 && (size_t)k < cap ? (size_t)k : 0;
	return b;
}

/* A cursor over the file's lines; every reader checks the field's name first. */
struct cursor {
	const char *p, *end;
	char line[256];
	const char *field; /* the one that failed */
	bool truncated;    /* the file ended before it */
};

static bool next_line(struct cursor *c, const char *name)
{
	c->field = name;
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl) {
		c->truncated = true;
		return false;
	}
	if ((size_t)(nl - c->p) >= sizeof c->line)
		return false;
	memcpy(c->line, c->p, (size_t)(nl - c->p));
	c->line[nl - c->p] = '\0';
	c->p = nl + 1;
	size_t k = strlen(name);
	return strncmp(c->line, name, k) == 0 && (c->line[k] == ' ' || c->line[k] == '\0');
}

static const char *value(const struct cursor *c)
{
	const char *v = c->line + strlen(c->field);
	return *v == ' ' ? v + 1 : v;
}

static bool read_str(struct cursor *c, const char *name, const char *want)
{
	return next_line(c, name) && strcmp(value(c), want) == 0;
}

static bool read_long(struct cursor *c, const char *name, long lo, long hi, long *out)
{
	if (!next_line(c, name))
		return false;
	char *e;
	errno = 0;
	long v = strtol(value(c), &e, 10);
	if (errno || e == value(c) || *e || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool read_double(struct cursor *c, const char *name, double *out)
{
	if (!next_line(c, name))
		return false;
	char *e;
	double v = strtod(value(c), &e);
	if (e == value(c) || *e)
		return false;
	*out = v;
	return true;
}

static bool read_end(struct cursor *c, enum train_end *out)
{
	if (!next_line(c, "end"))
		return false;
	for (int e = TRAIN_RUNNING; e <= TRAIN_FAILED; e++)
		if (strcmp(value(c), train_end_name((enum train_end)e)) == 0) {
			*out = (enum train_end)e;
			return e == TRAIN_DONE || e == TRAIN_EARLY_STOPPED || e == TRAIN_FAILED;
		}
	return false;
}

enum qcq_status train_ablate_task_parse(const struct train_abl_spec *s,
					const struct exp_data *data, struct abl_task *t,
					const char *text, size_t len, struct qcq_error *err)
{
	struct cursor c = {text, text + len, "", "header", false};
	char key[32];
	snprintf(key, sizeof key, "%016" PRIx64, task_key(s, &data[t->data], t));
	struct abl_task o = *t;
	long v[6];
	double f[5];
	if (!next_line(&c, ABL_FILE_MAGIC))
		return qcq_error_set(err, QCQ_EFORMAT, "not an ablate run file (version 1)");
	bool ok = read_str(&c, "key", key) &&
		  read_str(&c, "phase", t->final ? "final" : "search") &&
		  read_str(&c, "data", train_exp_data_name(s->base.datasets[t->data])) &&
		  read_str(&c, "model", train_abl_model_name(s, t->model)) &&
		  read_long(&c, "grid", t->grid, t->grid, &v[0]) &&
		  read_long(&c, "seed", t->seed, t->seed, &v[1]) && read_end(&c, &o.end) &&
		  read_double(&c, "val_acc", &f[0]) &&
		  read_long(&c, "best_epoch", 0, s->base.epochs, &v[2]) &&
		  read_long(&c, "epochs", 0, s->base.epochs, &v[3]) &&
		  read_double(&c, "test_acc", &f[1]) && read_double(&c, "test_bal_acc", &f[2]) &&
		  read_long(&c, "nparams", 0, 1L << 40, &v[4]) &&
		  read_long(&c, "nparams_q", 0, 1L << 40, &v[5]) &&
		  read_double(&c, "seconds", &f[3]) && next_line(&c, "end-of-run") && c.p == c.end;
	if (!ok)
		return qcq_error_set(err, QCQ_EFORMAT, "%s '%s'",
				     c.truncated ? "truncated: the file ends before"
						 : "bad or mismatched field", c.field);
	if (t->final == (bool)isnan(f[1]))
		return qcq_error_set(err, QCQ_EFORMAT, "test_acc %s a %s run", t->final ? "missing in" :
				     "present in", t->final ? "final" : "search");
	o.val_acc = f[0], o.test_acc = f[1], o.test_bal_acc = f[2], o.seconds = f[3];
	o.best_epoch = (int)v[2], o.epochs = (int)v[3];
	o.nparams = (size_t)v[4], o.nparams_q = (size_t)v[5];
	o.done = o.from_disk = true;
	*t = o;
	return QCQ_OK;
}

size_t train_ablate_find_finished(const struct train_abl_spec *s, const struct exp_data *data,
				  const char *out_dir, struct abl_task *tasks, size_t first,
				  size_t end, const struct qcq_sink *events)
{
	size_t found = 0;
	for (size_t i = first; i < end; i++) {
		char path[TRAIN_EXP_PATH_MAX + 256], *text;
		size_t len;
		struct qcq_error e;
		qcq_error_clear(&e);
		train_ablate_task_path(s, data, out_dir, &tasks[i], path, sizeof path);
		if (access(path, F_OK) != 0)
			continue;
		enum qcq_status st = qcq_read_file(path, 1 << 16, &text, &len, &e);
		if (!st) {
			st = train_ablate_task_parse(s, data, &tasks[i], text, len, &e);
			free(text);
		}
		if (st)
			qcq_post_log(events, "%s: %s: trained again", path, e.msg);
		else
			found++;
	}
	return found;
}

size_t train_ablate_count_foreign(const struct train_abl_spec *s, const struct exp_data *data,
				  const char *out_dir)
{
	char dir[TRAIN_EXP_PATH_MAX + 16];
	snprintf(dir, sizeof dir, "%s/runs", out_dir);
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	/* the names of every search or final run this study could write (any grid) */
	int ng = train_ablate_grid_size(s);
	size_t nn = (size_t)s->base.ndatasets * (size_t)s->base.nmodels * (size_t)ng *
		    (size_t)s->base.seeds * 2, k = 0;
	char (*names)[128] = qcq_xcalloc(nn + 1, sizeof *names); /* file names only */
	char path[TRAIN_EXP_PATH_MAX + 256];
	size_t dl = strlen(out_dir) + strlen("/runs/");
	for (int d = 0; d < s->base.ndatasets; d++)
		for (int m = 0; m < s->base.nmodels; m++)
			for (int g = 0; g < ng; g++)
				for (int seed = 1; seed <= s->base.seeds; seed++)
					for (int fin = 0; fin < 2; fin++, k++) {
						struct abl_task t = {.data = d, .model = m, .grid = g,
								     .seed = seed, .final = fin};
						train_ablate_task_path(s, data, out_dir, &t, path,
								       sizeof path);
						snprintf(names[k], sizeof names[k], "%s",
							 strlen(path) > dl ? path + dl : "");
					}
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		if (strncmp(de->d_name, "ablate_", 7) != 0 || len < 5 ||
		    strcmp(de->d_name + len - 4, ".run") != 0)
			continue;
		bool mine = false;
		for (size_t i = 0; i < nn && !mine; i++)
			mine = strcmp(names[i], de->d_name) == 0;
		n += !mine;
	}
	closedir(dp);
	free(names);
	return n;
}
