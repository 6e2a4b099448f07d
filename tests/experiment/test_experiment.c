/*
 * tests/experiment/test_experiment.c: the studies (include/qcq/experiment.h) and the
 * `experiment` command, on the built-in digits at tiny sizes, and on ../shared/data
 * when present. What is asserted: every validation message, the files a study writes,
 * resuming after a stop (finished runs skipped), parallel runs identical to serial ones,
 * corrupt run files trained again, and the noise and depth studies' tables.
 */
#include "check.h"
#include "shared_data.h"
#include "cmd/capture.h"
#include "qcq/experiment.h"
#include "qcq/stats.h"

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_root[256];

static void tmp_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmp_root, name);
}

static bool exists(const char *dir, const char *file)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	struct stat st;
	return stat(p, &st) == 0 && st.st_size > 0;
}

static char *slurp(const char *dir, const char *file)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	char *t = NULL;
	size_t n;
	struct qcq_error e;
	if (qcq_read_file(p, 1 << 26, &t, &n, &e) != QCQ_OK)
		return NULL;
	return t;
}

static size_t count_lines(const char *t)
{
	size_t n = 0;
	for (; t && *t; t++)
		n += *t == '\n';
	return n;
}

/* A tiny compare study on the built-in digits. */
static void tiny_spec(struct train_exp_spec *s, const char *out)
{
	train_exp_spec_default(s, TRAIN_EXP_COMPARE);
	struct qcq_error e;
	train_exp_parse_models(s, "mlp,cnn,qcq-cnn", &e);
	train_exp_parse_datasets(s, "synth", &e);
	s->seeds = 2;
	s->epochs = 3;
	s->patience = 2;
	s->ntrain = 60, s->nval = 20, s->ntest = 20;
	s->depth = 1; /* the csv checks below name depth 1 */
	snprintf(s->out_dir, sizeof s->out_dir, "%s", out);
	tmp_path(s->cache_dir, sizeof s->cache_dir, "cache");
}

/* ---------------------------------------------------------------- validation */

static void test_lists(void)
{
	struct train_exp_spec s;
	struct qcq_error e;
	train_exp_spec_default(&s, TRAIN_EXP_COMPARE);
	CHECK(train_exp_spec_check(&s, &e) == QCQ_OK);
	CHECK(train_exp_count_runs(&s) == 5 * 3 * 5);
	CHECK(train_exp_parse_models(&s, "cnn,qcq-cnn", &e) == QCQ_OK && s.nmodels == 2);
	CHECK(train_exp_parse_models(&s, "cnn,,mlp", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "empty item");
	CHECK(s.nmodels == 2); /* unchanged by the failed call */
	CHECK(train_exp_parse_models(&s, "cnn,cnn", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "listed twice");
	CHECK(train_exp_parse_models(&s, "resnet", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "models");
	CHECK(train_exp_parse_models(&s, "mlp,quanv-mlp,cnn,qccnn,qcq-cnn,qcnn,mlp", &e) ==
	      QCQ_EINVAL);
	CHECK(train_exp_parse_datasets(&s, "mnist,fashion-mnist,brain-mri,synth", &e) == QCQ_OK);
	CHECK(s.ndatasets == 4 && s.datasets[1] == TRAIN_EXP_FASHION &&
	      s.datasets[2] == TRAIN_EXP_MRI);
	CHECK(train_exp_parse_datasets(&s, "cifar", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown data set 'cifar'");
	CHECK(train_exp_parse_datasets(&s, "mnist,mnist", &e) == QCQ_EINVAL);
	CHECK(train_exp_parse_shots(&s, "128,1024", &e) == QCQ_OK && s.nshots == 2);
	CHECK(train_exp_parse_shots(&s, "0", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "out of range");
	CHECK(train_exp_parse_shots(&s, "12.5", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "not an integer");
	CHECK(train_exp_parse_shots(&s, "many", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "not a number");
	CHECK(train_exp_parse_shots(&s, "1,1", &e) == QCQ_EINVAL);
	CHECK(train_exp_parse_shots(&s, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", &e) ==
	      QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "more than 16");
	char longw[100];
	memset(longw, '1', 80);
	longw[80] = '\0';
	CHECK(train_exp_parse_shots(&s, longw, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "too long");
	CHECK(train_exp_parse_levels(&s, "0/0,0.01/0.02", &e) == QCQ_OK && s.nlevels == 2);
	CHECK(s.levels[1].p1 == 0.01 && s.levels[1].p2 == 0.02);
	CHECK(train_exp_parse_levels(&s, "0.01", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "not P1/P2");
	CHECK(train_exp_parse_levels(&s, "2/0", &e) == QCQ_EINVAL);
	CHECK(train_exp_parse_levels(&s, "0/0,0/0", &e) == QCQ_EINVAL);
	CHECK(train_exp_parse_depths(&s, "1,2,3", &e) == QCQ_OK && s.ndepths == 3);
	CHECK(train_exp_parse_depths(&s, "9", &e) == QCQ_EINVAL);
	CHECK(train_exp_parse_depths(&s, "2,2", &e) == QCQ_EINVAL);
	enum train_exp_kind k;
	CHECK(train_exp_kind_from_name("depth", &k, &e) == QCQ_OK && k == TRAIN_EXP_DEPTH);
	CHECK(train_exp_kind_from_name("table", &k, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown study 'table'");
	CHECK(strcmp(train_exp_kind_name(TRAIN_EXP_NOISE), "noise") == 0);
	CHECK(strcmp(train_exp_data_name(TRAIN_EXP_MRI), "mri") == 0);
}

static void expect_bad(struct train_exp_spec *s, const char *msg)
{
	struct qcq_error e;
	qcq_error_clear(&e);
	CHECK(train_exp_spec_check(s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, msg);
}

static void test_spec_check(void)
{
	struct train_exp_spec s, b;
	train_exp_spec_default(&s, TRAIN_EXP_COMPARE);
	b = s, b.kind = (enum train_exp_kind)7, expect_bad(&b, "unknown study 7");
	b = s, b.nmodels = 0, expect_bad(&b, "0 models");
	b = s, b.models[0] = (enum nn_arch)99, expect_bad(&b, "model 99 unknown");
	b = s, b.models[1] = b.models[0], expect_bad(&b, "listed twice");
	b = s, b.ndatasets = 0, expect_bad(&b, "0 data sets");
	b = s, b.datasets[0] = (enum train_exp_data)9, expect_bad(&b, "data set 9 unknown");
	b = s, b.datasets[1] = b.datasets[0], expect_bad(&b, "listed twice");
	b = s, b.seeds = 0, expect_bad(&b, "seeds 0 out of range");
	b = s, b.epochs = 0, expect_bad(&b, "epochs 0 out of range");
	b = s, b.patience = -1, expect_bad(&b, "patience -1");
	b = s, b.batch = -1, expect_bad(&b, "batch -1");
	b = s, b.lr = 0, expect_bad(&b, "lr 0");
	b = s, b.ntrain = 0, expect_bad(&b, "train size 0");
	b = s, b.nval = -2, expect_bad(&b, "val size -2");
	b = s, b.ntrain = 1, expect_bad(&b, "train size 1");
	b = s, b.size = 0, expect_bad(&b, "size 0 out of range");
	b = s, b.depth = 9, expect_bad(&b, "depth 9");
	b = s, b.observable = (enum nn_observable)5, expect_bad(&b, "unknown observable");
	b = s, b.jobs = 0, expect_bad(&b, "jobs 0");
	b = s, b.threads = 0, expect_bad(&b, "threads 0");
	train_exp_spec_default(&s, TRAIN_EXP_NOISE);
	struct qcq_error e;
	CHECK(train_exp_spec_check(&s, &e) == QCQ_OK);
	CHECK(train_exp_count_runs(&s) == (1 + 2 * 3) * 5);
	b = s, b.models[0] = NN_ARCH_CNN, expect_bad(&b, "trains qcq-cnn only");
	b = s, b.ndatasets = 2, b.datasets[1] = TRAIN_EXP_SYNTH, expect_bad(&b, "takes one data set");
	b = s, b.nshots = 0, expect_bad(&b, "noise study: 0 shots");
	b = s, b.shots[0] = 0, expect_bad(&b, "shots 0 out of range");
	b = s, b.levels[0].p1 = 2, expect_bad(&b, "noise level p1=2");
	train_exp_spec_default(&s, TRAIN_EXP_DEPTH);
	CHECK(train_exp_count_runs(&s) == 3 * 5);
	b = s, b.ndepths = 0, expect_bad(&b, "depth study: 0 depths");
	b = s, b.depths[1] = 12, expect_bad(&b, "depth 12 out of range");
	/* the depth study takes several data sets: a series per (data set, depth) */
	b = s, b.ndatasets = 2, b.datasets[1] = TRAIN_EXP_SYNTH;
	CHECK(train_exp_spec_check(&b, &e) == QCQ_OK && train_exp_count_runs(&b) == 2 * 3 * 5);
	b = s, b.protocol = (enum train_exp_protocol)4, expect_bad(&b, "unknown protocol 4");
}

/* The paper's protocol in one call, and what it refuses. */
static void test_paper_protocol(void)
{
	struct train_exp_spec s, b;
	struct qcq_error e;
	train_exp_spec_default(&s, TRAIN_EXP_COMPARE);
	CHECK(s.depth == 2); /* the default is the paper's reps */
	train_exp_spec_paper(&s);
	CHECK(train_exp_spec_check(&s, &e) == QCQ_OK);
	CHECK(s.protocol == TRAIN_EXP_PAPER && s.seeds == 10 && s.depth == 2 && s.epochs == 100);
	CHECK(train_exp_count_runs(&s) == 5 * 3 * 10);
	b = s, b.ntrain = 100, expect_bad(&b, "the paper's protocol sets the part sizes");
	b = s, b.ntest = 0, expect_bad(&b, "scale them with size=F");
	train_exp_spec_default(&s, TRAIN_EXP_DEPTH);
	train_exp_spec_paper(&s);
	CHECK(s.ndatasets == 3 && s.ndepths == 3 && train_exp_count_runs(&s) == 3 * 3 * 10);
	train_exp_spec_default(&s, TRAIN_EXP_NOISE);
	train_exp_spec_paper(&s);
	/* the exact run plus 2 shot counts x 2 noise levels, on mnist */
	CHECK(s.ndatasets == 1 && s.datasets[0] == TRAIN_EXP_MNIST && s.nlevels == 2);
	CHECK(s.levels[0].p1 == 0.01 && s.levels[1].p2 == 0.03);
	CHECK(train_exp_count_runs(&s) == (1 + 2 * 2) * 10);
	enum train_exp_protocol pr;
	CHECK(train_exp_protocol_from_name("paper", &pr, &e) == QCQ_OK && pr == TRAIN_EXP_PAPER);
	CHECK(train_exp_protocol_from_name("keras", &pr, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown protocol 'keras' (paper, own)");
}

static void test_missing_data(void)
{
	struct train_exp_spec s;
	struct qcq_error e;
	char out[512];
	tmp_path(out, sizeof out, "missing");
	train_exp_spec_default(&s, TRAIN_EXP_COMPARE);
	snprintf(s.data_dir, sizeof s.data_dir, "%s/nowhere", tmp_root);
	snprintf(s.out_dir, sizeof s.out_dir, "%s", out);
	CHECK(train_exp_check_data(&s, &e) == QCQ_EIO);
	CHECK_STR_CONTAINS(e.msg, "mnist: data missing: no folder");
	CHECK_STR_CONTAINS(e.msg, "nowhere/mnist");
	train_exp_parse_datasets(&s, "fashion", &e);
	CHECK(train_exp_check_data(&s, &e) == QCQ_EIO);
	CHECK_STR_CONTAINS(e.msg, "fashion-mnist");
	train_exp_parse_datasets(&s, "mri", &e);
	CHECK(train_exp_check_data(&s, &e) == QCQ_EIO);
	CHECK_STR_CONTAINS(e.msg, "mri: data missing");
	struct train_exp_result r;
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_EIO);
	CHECK_STR_CONTAINS(e.msg, "brain-mri");
	train_exp_parse_datasets(&s, "synth", &e);
	CHECK(train_exp_check_data(&s, &e) == QCQ_OK);
	/* qcnn on request: trained on the images downsampled to 8x8 */
	train_exp_parse_models(&s, "mlp,qcnn", &e);
	s.seeds = 1, s.epochs = 1;
	s.ntrain = 20, s.nval = s.ntest = 10;
	tmp_path(s.cache_dir, sizeof s.cache_dir, "cache");
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	CHECK(r.trained == 2);
	CHECK_STR_CONTAINS(r.table, "| qcnn ");
	train_exp_result_free(&r);
	/* explicit sizes on the built-in set (generated to fit) */
	train_exp_parse_datasets(&s, "synth", &e);
	train_exp_parse_models(&s, "mlp", &e);
	s.seeds = 1, s.epochs = 1;
	s.ntrain = 100, s.nval = s.ntest = 10;
	s.size = 1;
	tmp_path(s.cache_dir, sizeof s.cache_dir, "cache");
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	train_exp_result_free(&r);
}

/* ---------------------------------------------------------------- a study */

struct counter {
	pthread_mutex_t lock;
	int finished;   /* progress events */
	int stop_after; /* set *stop after this many (0 = never) */
	qcq_stop_flag *stop;
	int logs;
};

static void count_post(void *ctx, const struct qcq_event *ev)
{
	struct counter *c = ctx;
	pthread_mutex_lock(&c->lock);
	if (ev->kind == QCQ_EV_PROGRESS) {
		c->finished = (int)ev->done;
		if (c->stop_after && c->finished >= c->stop_after)
			*c->stop = 1;
	}
	if (ev->kind == QCQ_EV_LOG)
		c->logs++;
	pthread_mutex_unlock(&c->lock);
}

static void test_compare_files(void)
{
	char out[512];
	tmp_path(out, sizeof out, "compare");
	struct train_exp_spec s;
	tiny_spec(&s, out);
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER};
	struct qcq_sink sink = {count_post, &c};
	struct train_exp_result r;
	struct qcq_error e;
	CHECK(train_exp_run(&s, &sink, NULL, &r, &e) == QCQ_OK);
	CHECK(r.runs == 6 && r.trained == 6 && r.skipped == 0);
	CHECK(c.finished == 6 && c.logs >= 6);
	CHECK(r.table != NULL);
	CHECK_STR_CONTAINS(r.table, "| qcq-cnn");
	CHECK_STR_CONTAINS(r.table, "± ");
	CHECK_STR_CONTAINS(r.table, "synth: 3 vs 5, train 60, val 20, test 20");
	CHECK(exists(out, "table.md") && exists(out, "compare-synth.png"));
	char *runs = slurp(out, "runs.csv"), *epochs = slurp(out, "epochs.csv");
	CHECK(count_lines(runs) == 7);
	CHECK_STR_CONTAINS(runs, "compare,qcq-cnn,synth,2,1,z0,0,0,0,1,60,20,20,");
	CHECK_STR_CONTAINS(runs, ",test_acc,balanced_acc,majority_acc,tn,fp,fn,tp,");
	/* balanced accuracy from each row's confusion matrix; the balanced test set's
	 * majority class scores 0.5 */
	char *save = NULL;
	int rows = 0;
	for (char *l = strtok_r(runs, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "compare,", 8) != 0)
			continue;
		double f[24];
		int k = 0;
		for (char *q = l; k < 24 && q; q = strchr(q, ','), q = q ? q + 1 : NULL)
			f[k++] = atof(q);
		/* columns 17..22: test_acc, balanced_acc, majority_acc, tn, fp, fn, tp */
		double tn = f[20], fp = f[21], fn = f[22], tp = f[23];
		CHECK_NEAR(f[18], 0.5 * (tn / (tn + fp) + tp / (fn + tp)), 1e-9);
		CHECK_NEAR(f[19], 0.5, 1e-12);
		CHECK_NEAR(f[17], (tn + tp) / (tn + fp + fn + tp), 1e-9);
		rows++;
	}
	CHECK(rows == 6);
	CHECK_STR_CONTAINS(r.table, "| majority class (test set) |");
	CHECK_STR_CONTAINS(r.table, "Balanced accuracy (%)");
	/* each run has 1..3 epochs; 6 runs */
	CHECK(count_lines(epochs) >= 7 && count_lines(epochs) <= 19);
	free(runs), free(epochs);
	char rd[600];
	snprintf(rd, sizeof rd, "%s/runs", out);
	DIR *d = opendir(rd);
	int n = 0;
	for (struct dirent *de; d && (de = readdir(d));)
		n += strstr(de->d_name, ".run") != NULL;
	if (d)
		closedir(d);
	CHECK(n == 6);
	train_exp_result_free(&r);
	/* a second call finds everything finished */
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	CHECK(r.skipped == 6 && r.trained == 0);
	train_exp_result_free(&r);
	/* another setting is another run: nothing skipped */
	s.epochs = 2;
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	CHECK(r.skipped == 0 && r.trained == 6);
	train_exp_result_free(&r);
}

static void test_resume_after_stop(void)
{
	char out[512];
	tmp_path(out, sizeof out, "resume");
	struct train_exp_spec s;
	tiny_spec(&s, out);
	qcq_stop_flag stop = 0;
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .stop_after = 2, .stop = &stop};
	struct qcq_sink sink = {count_post, &c};
	struct train_exp_result r;
	struct qcq_error e;
	CHECK(train_exp_run(&s, &sink, &stop, &r, &e) == QCQ_ESTOPPED);
	CHECK_STR_CONTAINS(e.msg, "run the study again to resume");
	size_t first = r.trained;
	CHECK(first >= 2 && first < 6);
	/* the reports cover what finished */
	char *runs = slurp(out, "runs.csv");
	CHECK(count_lines(runs) == first + 1);
	free(runs);
	train_exp_result_free(&r);
	stop = 0;
	c.stop_after = 0;
	CHECK(train_exp_run(&s, &sink, &stop, &r, &e) == QCQ_OK);
	CHECK(r.skipped == first);
	CHECK(r.trained == 6 - first);
	train_exp_result_free(&r);
	/* a damaged run file is trained again, the others are kept */
	char rd[600], victim[900] = "";
	snprintf(rd, sizeof rd, "%s/runs", out);
	DIR *d = opendir(rd);
	for (struct dirent *de; d && (de = readdir(d));)
		if (strstr(de->d_name, "cnn_synth_seed2"))
			snprintf(victim, sizeof victim, "%s/%s", rd, de->d_name);
	if (d)
		closedir(d);
	CHECK(victim[0] && truncate(victim, 200) == 0);
	CHECK(train_exp_run(&s, &sink, &stop, &r, &e) == QCQ_OK);
	CHECK(r.skipped == 5 && r.trained == 1);
	train_exp_result_free(&r);
}

/* The curve columns of epochs.csv and the test accuracies of runs.csv (no times). */
static void test_jobs_identical(void)
{
	char a[512], b[512];
	tmp_path(a, sizeof a, "serial");
	tmp_path(b, sizeof b, "parallel");
	struct train_exp_spec s;
	tiny_spec(&s, a);
	struct train_exp_result r;
	struct qcq_error e;
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	train_exp_result_free(&r);
	tiny_spec(&s, b);
	s.jobs = 3;
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	CHECK(r.trained == 6);
	train_exp_result_free(&r);
	char *ea = slurp(a, "epochs.csv"), *eb = slurp(b, "epochs.csv");
	CHECK(ea && eb && strcmp(ea, eb) == 0);
	free(ea), free(eb);
	/* runs.csv up to the train_seconds column */
	char *ra = slurp(a, "runs.csv"), *rb = slurp(b, "runs.csv");
	CHECK(ra && rb && count_lines(ra) == count_lines(rb));
	char *sa = NULL, *sb = NULL;
	for (char *la = strtok_r(ra, "\n", &sa), *lb = strtok_r(rb, "\n", &sb); la && lb;
	     la = strtok_r(NULL, "\n", &sa), lb = strtok_r(NULL, "\n", &sb)) {
		int commas = 0;
		size_t k = 0;
		while (la[k] && commas < 26) /* up to train_seconds */
			commas += la[k++] == ',';
		CHECK(strncmp(la, lb, k) == 0);
	}
	free(ra), free(rb);
}

static void test_noise_and_depth(void)
{
	char out[512];
	tmp_path(out, sizeof out, "noise");
	struct train_exp_spec s;
	struct qcq_error e;
	train_exp_spec_default(&s, TRAIN_EXP_NOISE);
	train_exp_parse_datasets(&s, "synth", &e);
	CHECK(train_exp_parse_shots(&s, "64", &e) == QCQ_OK);
	CHECK(train_exp_parse_levels(&s, "0/0,0.02/0.03", &e) == QCQ_OK);
	s.seeds = 1, s.epochs = 2, s.ntrain = 40, s.nval = 10, s.ntest = 10, s.jobs = 2;
	s.depth = 1;
	snprintf(s.out_dir, sizeof s.out_dir, "%s", out);
	tmp_path(s.cache_dir, sizeof s.cache_dir, "cache");
	struct train_exp_result r;
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	CHECK(r.runs == 3 && r.trained == 3);
	CHECK_STR_CONTAINS(r.table, "| exact ");
	CHECK_STR_CONTAINS(r.table, "| 64    | 0.02 | 0.03 |");
	CHECK(exists(out, "noise-shots64.png"));
	char *runs = slurp(out, "runs.csv");
	CHECK_STR_CONTAINS(runs, "noise,qcq-cnn,synth,1,1,z0,64,0.02,0.03,1,");
	free(runs);
	train_exp_result_free(&r);

	tmp_path(out, sizeof out, "depth");
	train_exp_spec_default(&s, TRAIN_EXP_DEPTH);
	train_exp_parse_datasets(&s, "synth", &e);
	CHECK(train_exp_parse_depths(&s, "1,3", &e) == QCQ_OK);
	s.seeds = 2, s.epochs = 2, s.ntrain = 40, s.nval = 10, s.ntest = 10;
	snprintf(s.out_dir, sizeof s.out_dir, "%s", out);
	tmp_path(s.cache_dir, sizeof s.cache_dir, "cache");
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	CHECK(r.runs == 4);
	CHECK_STR_CONTAINS(r.table, "| 3     | 8 ");
	CHECK(exists(out, "depth-curves-synth.png") && exists(out, "depth-time.png"));
	CHECK(exists(out, "depth-accuracy.png"));
	runs = slurp(out, "runs.csv");
	/* quantum parameters: 4 angles + Linear(1,2)'s... whatever the model counts, depth 3
	 * has 4 more angles than depth 1 */
	CHECK_STR_CONTAINS(runs, "depth,qcq-cnn,synth,1,3,z0,0,0,0,1,");
	free(runs);
	train_exp_result_free(&r);
}

/* ---------------------------------------------------------------- the command */

static void test_command(void)
{
	struct capture cap;
	struct cmd_workspace *ws = capture_ws(&cap);
	char cmd[1400], out[512], cache[512];
	tmp_path(out, sizeof out, "cmd");
	tmp_path(cache, sizeof cache, "cache");
	snprintf(cmd, sizeof cmd,
		 "experiment compare models=mlp,cnn datasets=synth seeds=2 epochs=2 train=40 "
		 "val=10 test=10 out=%s cache=%s jobs=2", out, cache);
	CHECK(cmd_run_text(ws, cmd, "t", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "| cnn ");
	CHECK_STR_CONTAINS(cap.out, "4 runs, 0 found finished, 4 trained");
	CHECK(exists(out, "table.md"));
	capture_reset(&cap);
	CHECK(cmd_run_text(ws, cmd, "t", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "4 runs, 4 found finished, 0 trained");
	capture_reset(&cap);
	CHECK(cmd_run_text(ws, "experiment tables", "t", 1, false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "unknown study 'tables'");
	CHECK(cmd_run_text(ws, "experiment noise models=cnn", "t", 1, false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "models= belongs to the compare study");
	CHECK(cmd_run_text(ws, "experiment compare out=", "t", 1, false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "out: path is empty");
	CHECK(cmd_run_text(ws, "experiment depth depths=1,9", "t", 1, false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "depths: 9 out of range");
	CHECK(cmd_run_text(ws, "experiment compare seeds=0", "t", 1, false) != QCQ_OK);
	CHECK_STR_CONTAINS(cap.err, "seeds: 0 out of range");
	CHECK(cmd_run_text(ws, "experiment compare data=/nonexistent/qcq", "t", 1, false) ==
	      QCQ_EIO);
	CHECK_STR_CONTAINS(cap.err, "t:1: mnist: data missing: no folder /nonexistent/qcq/mnist");
	capture_reset(&cap);
	ws->json = true;
	snprintf(cmd, sizeof cmd, "experiment compare models=mlp datasets=synth seeds=1 epochs=1 "
		 "train=20 val=10 test=10 out=%s/json cache=%s", tmp_root, cache);
	CHECK(cmd_run_text(ws, cmd, "t", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.json, "\"result\":\"experiment\",\"study\":\"compare\",\"status\":\"ok\"");
	CHECK_STR_CONTAINS(cap.json, "\"runs\":1,");
	cmd_workspace_destroy(ws);
}

/* ---------------------------------------------------------------- real data */

/* K-class tasks: synth10 through compare (balanced per class, 10 x 10 confusions in the
 * run files, balanced accuracy from them, 1/K as the constant guess's), a second run
 * that reads every run back from disk, and the refusals of tasks a study cannot run. */
/* Runs a compare study of mlp and qcq-cnn (depth 1, 1 seed, no early stopping) on
 * datasets with the given part sizes into the temporary folder named out; s keeps its
 * spec, r its result. */
static void small_compare(struct train_exp_spec *s, struct train_exp_result *r, char *out,
			  size_t n, const char *name, const char *datasets, int epochs, long ntrain,
			  long nval, long ntest)
{
	struct qcq_error e;
	tmp_path(out, n, name);
	train_exp_spec_default(s, TRAIN_EXP_COMPARE);
	CHECK(train_exp_parse_models(s, "mlp,qcq-cnn", &e) == QCQ_OK);
	CHECK(train_exp_parse_datasets(s, datasets, &e) == QCQ_OK);
	s->seeds = 1, s->epochs = epochs, s->patience = 0, s->depth = 1;
	s->ntrain = ntrain, s->nval = nval, s->ntest = ntest;
	snprintf(s->out_dir, sizeof s->out_dir, "%s", out);
	tmp_path(s->cache_dir, sizeof s->cache_dir, "cache");
	CHECK(train_exp_run(s, NULL, NULL, r, &e) == QCQ_OK);
}

static void test_multiclass_compare(void)
{
	char out[512];
	struct train_exp_spec s;
	struct qcq_error e;
	struct train_exp_result r;
	small_compare(&s, &r, out, sizeof out, "multiclass", "synth10", 2, 100, 20, 30);
	CHECK(r.runs == 2 && r.trained == 2);
	if (r.table) {
		CHECK_STR_CONTAINS(r.table, "synth10: 10 classes, train 100, val 20, test 30");
		CHECK_STR_CONTAINS(r.table, "balanced per class");
		CHECK_STR_CONTAINS(r.table, "| majority class (test set) |          10.00 |");
		CHECK_STR_CONTAINS(r.table, "100/K = chance");
	}
	train_exp_result_free(&r);
	char *runs = slurp(out, "runs.csv"), *save = NULL;
	int rows = 0;
	for (char *l = strtok_r(runs, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "compare,", 8) != 0)
			continue;
		CHECK_STR_CONTAINS(l, ",synth10,");
		rows++;
	}
	CHECK(rows == 2);
	free(runs);
	/* a run file holds the 10 x 10 matrix; balanced accuracy is its mean recall */
	char rdir[600];
	snprintf(rdir, sizeof rdir, "%s/runs", out);
	DIR *dd = opendir(rdir);
	struct dirent *de;
	int files = 0;
	while (dd && (de = readdir(dd))) {
		if (!strstr(de->d_name, ".run"))
			continue;
		char *t = slurp(rdir, de->d_name);
		CHECK_STR_CONTAINS(t, "\nconfusion 10\nrow ");
		uint64_t total = 0;
		for (char *q = strstr(t, "\nrow "); q && strncmp(q, "\nrow ", 5) == 0;
		     q = strchr(q + 1, '\n')) {
			char *p = q + 5, *end;
			for (int c = 0; c < 10; c++, p = end)
				total += strtoull(p, &end, 10);
		}
		CHECK(total == 30);
		free(t);
		files++;
	}
	if (dd)
		closedir(dd);
	CHECK(files == 2);
	/* the same study again: both runs read back from their files */
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	CHECK(r.skipped == 2 && r.trained == 0);
	train_exp_result_free(&r);
	/* refusals */
	CHECK(train_exp_parse_models(&s, "mlp,qcnn", &e) == QCQ_OK);
	CHECK(train_exp_spec_check(&s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "model qcnn is binary only and synth10 has more than two classes");
	struct train_exp_spec n;
	train_exp_spec_default(&n, TRAIN_EXP_NOISE);
	CHECK(train_exp_parse_datasets(&n, "mnist10", &e) == QCQ_OK);
	CHECK(train_exp_spec_check(&n, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "the noise study needs a binary task (mnist10");
	CHECK(train_exp_parse_datasets(&s, "mnist11", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "synth10, mnist10, fashion10, mri4");
}

/* Run identities: the K-class qcq-cnn's key changed with its bounded inputs (tanh, since
 * the first K-class studies), so that a folder of the unbounded model's runs is trained
 * again; the binary runs and the other models keep theirs (names recorded from the
 * build before the bound). */
static void test_run_keys(void)
{
	char out[512];
	struct train_exp_spec s;
	struct train_exp_result r;
	small_compare(&s, &r, out, sizeof out, "keys", "synth,synth10", 1, 40, 10, 10);
	train_exp_result_free(&r);
	char rdir[600];
	snprintf(rdir, sizeof rdir, "%s/runs", out);
	const char *want[] = {
		"compare_mlp_synth_seed1_187d7626.run",
		"compare_qcq-cnn_synth_seed1_e49c016f.run",
		"compare_mlp_synth10_seed1_a16177a0.run",
		"compare_qcq-cnn_synth10_seed1_a55da542.run", /* before: ..._004d3869.run */
	};
	DIR *dd = opendir(rdir);
	struct dirent *de;
	int found = 0, files = 0;
	while (dd && (de = readdir(dd))) {
		if (!strstr(de->d_name, ".run"))
			continue;
		files++;
		for (size_t i = 0; i < sizeof want / sizeof *want; i++)
			found += strcmp(de->d_name, want[i]) == 0;
	}
	if (dd)
		closedir(dd);
	CHECK(files == 4 && found == 4);
}

static void test_shared_data(void)
{
	const char *dir = shared_data_dir();
	if (!dir)
		SKIP("../shared/data is absent");
	char out[512];
	tmp_path(out, sizeof out, "shared");
	struct train_exp_spec s;
	struct qcq_error e;
	train_exp_spec_default(&s, TRAIN_EXP_COMPARE);
	train_exp_parse_models(&s, "cnn,qcq-cnn", &e);
	s.seeds = 1, s.epochs = 1, s.size = 0.05, s.jobs = 2, s.threads = 2;
	snprintf(s.data_dir, sizeof s.data_dir, "%s", dir);
	snprintf(s.out_dir, sizeof s.out_dir, "%s", out);
	tmp_path(s.cache_dir, sizeof s.cache_dir, "cache");
	struct train_exp_result r;
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	if (r.table) {
		/* the paper's sizes scaled to what each set holds, then 5 % */
		CHECK_STR_CONTAINS(r.table, "mnist: 3 vs 5, train 58, val 14, test 10 (of 1032 + 863");
		CHECK_STR_CONTAINS(r.table, "fashion: T-shirt/top vs Trouser, train 250, val 62, test 50");
		CHECK_STR_CONTAINS(r.table, "mri: no_tumor vs glioma_tumor+meningioma_tumor+"
					    "pituitary_tumor, train 34, val 8, test 6 (of 500 + 2764");
	}
	CHECK(exists(out, "compare-mri.png"));
	train_exp_result_free(&r);
	/* the paper's protocol, reduced: the MRI set whole (3264 of the paper's 3265, the
	 * validation part gives one up), stratified, then a tenth of it */
	tmp_path(out, sizeof out, "shared-paper");
	train_exp_spec_default(&s, TRAIN_EXP_COMPARE);
	train_exp_spec_paper(&s);
	train_exp_parse_models(&s, "mlp,qcq-cnn", &e);
	train_exp_parse_datasets(&s, "mri", &e);
	s.seeds = 2, s.epochs = 1, s.size = 0.1, s.jobs = 2, s.threads = 2;
	snprintf(s.data_dir, sizeof s.data_dir, "%s", dir);
	snprintf(s.out_dir, sizeof s.out_dir, "%s", out);
	tmp_path(s.cache_dir, sizeof s.cache_dir, "cache");
	CHECK(train_exp_run(&s, NULL, NULL, &r, &e) == QCQ_OK);
	if (r.table) {
		CHECK_STR_CONTAINS(r.table, "train 208, val 65, test 52 (of 500 + 2764");
		CHECK_STR_CONTAINS(r.table, "stratified; majority class of the test set: 84.62 %");
		CHECK_STR_CONTAINS(r.table, "2089/652/523 (validation gives up the difference)");
		CHECK_STR_CONTAINS(r.table, "seeds: 2, the paper's: 10 (reduced run)");
		CHECK_STR_CONTAINS(r.table, "| mri  | qcq-cnn |");
		CHECK_STR_CONTAINS(r.table, "| 95.18 ± 0.65 |");
		CHECK_STR_CONTAINS(r.table, "| Welch p |");
		CHECK_STR_CONTAINS(r.table, "assumes that the paper's ± is a sample standard "
					    "deviation over 10 runs");
	}
	/* the Welch p of the qcq-cnn cell: from our two test accuracies (runs.csv) and the
	 * paper's 95.18 ± 0.65 over 10 runs */
	char *runs = slurp(out, "runs.csv"), *save = NULL;
	double acc[2];
	int k = 0;
	for (char *l = strtok_r(runs, "\n", &save); l && k < 2; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "compare,qcq-cnn,mri,", 20) != 0)
			continue;
		const char *q = l;
		for (int c = 0; c < 17 && q; c++)
			q = strchr(q, ',') ? strchr(q, ',') + 1 : NULL;
		acc[k++] = q ? 100 * atof(q) : NAN;
	}
	free(runs);
	struct qcq_stats_sample ours, paper = {95.18, 0.65, 10};
	struct qcq_stats_test t;
	CHECK(k == 2 && qcq_stats_describe(acc, 2, &ours, &e) == QCQ_OK);
	if (k == 2 && r.table && ours.sd > 0 &&
	    qcq_stats_welch_summary(&ours, &paper, 0.95, &t, &e) == QCQ_OK) {
		char want[64];
		snprintf(want, sizeof want, t.p >= 0.001 ? " %.3f |" : " %.1e |", t.p);
		CHECK_STR_CONTAINS(r.table, want);
	}
	train_exp_result_free(&r);
}

int main(void)
{
	snprintf(tmp_root, sizeof tmp_root, "/tmp/qcq-test-experiment-%d", (int)getpid());
	mkdir(tmp_root, 0755);
	RUN(test_lists);
	RUN(test_spec_check);
	RUN(test_paper_protocol);
	RUN(test_missing_data);
	RUN(test_compare_files);
	RUN(test_resume_after_stop);
	RUN(test_jobs_identical);
	RUN(test_noise_and_depth);
	RUN(test_command);
	RUN(test_multiclass_compare);
	RUN(test_run_keys);
	RUN(test_shared_data);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
	if (check_tests_failed == 0 && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp_root);
	return check_summary();
}
