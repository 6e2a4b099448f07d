/*
 * tests/experiment/test_ablate.c: the ablation study (include/qcq/ablate.h) on the
 * built-in digits at tiny sizes:
 *  - the grid parsers and every validation message;
 *  - the selection reads validation scores only (test accuracies planted in the search
 *    records change nothing; ties keep the first configuration);
 *  - no leakage, end to end: the same study with every test label flipped makes the same
 *    search scores, the same choices and the same final validation curves bit for bit,
 *    and its test accuracies are exactly 1 - the original ones (so the flip did reach the
 *    evaluation);
 *  - the trainable-filter arms (qcq-cnn-tf): parsing, checks, comparisons, the no-leakage
 *    study with the arm included, the same CNN start as qcq-cnn, and that adding the arm
 *    leaves every run of the other models bit-identical;
 *  - resuming: a study stopped (by the stop flag) in its search and again in its final
 *    phase, then run to the end, writes every report bit-identical to an uninterrupted
 *    study's (but for wall times), says how many runs it found finished, names a
 *    truncated or foreign run file and retrains its run, and ignores the files of a
 *    study with other options;
 *  - the reduced study through the command (all eight models, then with the arm): its
 *    files, its verdict table and the grid/choice columns.
 */
#include "check.h"
#include "cmd/capture.h"
#include "qcq/qml.h"
#include "train/experiment-ablate.h"

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_root[256];

static bool exists(const char *dir, const char *file)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	struct stat st;
	return stat(p, &st) == 0 && st.st_size > 0;
}

static void tiny(struct train_abl_spec *s, const char *out)
{
	struct qcq_error e;
	train_abl_spec_default(s);
	CHECK(train_exp_parse_datasets(&s->base, "synth", &e) == QCQ_OK);
	s->base.ntrain = 80, s->base.nval = 40, s->base.ntest = 40;
	s->base.seeds = 3;
	s->base.epochs = 2;
	s->base.patience = 0;
	s->base.jobs = 2;
	s->search_seeds = 2;
	CHECK(train_abl_parse_lrs(s, "1e-3,1e-2", &e) == QCQ_OK);
	CHECK(train_abl_parse_widths(s, "4/8", &e) == QCQ_OK);
	CHECK(train_abl_parse_batches(s, "8", &e) == QCQ_OK);
	snprintf(s->base.out_dir, sizeof s->base.out_dir, "%s/%s", tmp_root, out);
	snprintf(s->base.cache_dir, sizeof s->base.cache_dir, "%s/cache", tmp_root);
}

static void test_grids_and_checks(void)
{
	struct train_abl_spec s;
	struct qcq_error e;
	train_abl_spec_default(&s);
	CHECK(train_abl_spec_check(&s, &e) == QCQ_OK);
	CHECK(train_ablate_grid_size(&s) == 12 && s.base.nmodels == 8);
	/* lr fastest, then widths, then batch */
	struct abl_config c = train_ablate_grid_config(&s, 10);
	CHECK(c.lr == 1e-3 && c.conv1 == 16 && c.conv2 == 32 && c.batch == 16);
	CHECK(train_abl_count_runs(&s) == 3 * 8 * (12 * 2 + 5));
	CHECK(train_abl_parse_lrs(&s, "1e-3,,1e-2", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "lrs: empty item");
	CHECK(train_abl_parse_lrs(&s, "0.1,0.1", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "'0.1' listed twice");
	CHECK(train_abl_parse_lrs(&s, "2", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "2 out of range");
	CHECK(train_abl_parse_widths(&s, "8x16", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "'8x16' is not CONV1/CONV2");
	CHECK(train_abl_parse_widths(&s, "8/0", &e) == QCQ_EINVAL);
	CHECK(train_abl_parse_batches(&s, "4,4.5", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "'4.5' is not an integer");
	CHECK(s.nlrs == 3 && s.nwidths == 2 && s.nbatches == 2); /* failed parses changed nothing */
	s.search_seeds = 6;
	CHECK(train_abl_spec_check(&s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "search seeds 6 out of range (1..seeds = 5)");
	s.search_seeds = 2;
	CHECK(train_exp_parse_models(&s.base, "cnn,mlp", &e) == QCQ_OK);
	CHECK(train_abl_spec_check(&s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "model mlp has no conv widths to search");
	/* the comparisons follow the models */
	struct abl_comparison cmp[8];
	CHECK(train_exp_parse_models(&s.base, "cnn,qcq-cnn,qcq-cnn-noent", &e) == QCQ_OK);
	CHECK(train_ablate_comparisons(&s, cmp, 8) == 2);
	CHECK(cmp[0].a == NN_ARCH_QCQ_CNN && cmp[0].b == NN_ARCH_QCQ_CNN_NOENT);
	CHECK(cmp[1].b == NN_ARCH_CNN);
}

static void test_trainable_arm_spec(void)
{
	struct train_abl_spec s;
	struct qcq_error e;
	train_abl_spec_default(&s);
	CHECK(s.trainable == 0 && s.filter_lr == 0); /* not in the default study */
	CHECK(train_abl_parse_models(&s, "rf-qcq-cnn,qcq-cnn-tf,qcq-cnn,qccnn-tf", &e) == QCQ_OK);
	CHECK(s.base.nmodels == 4 && s.trainable == (2u | 8u));
	CHECK(s.base.models[1] == NN_ARCH_QCQ_CNN && s.base.models[3] == NN_ARCH_QCCNN);
	CHECK(strcmp(train_abl_model_name(&s, 1), "qcq-cnn-tf") == 0);
	CHECK(strcmp(train_abl_model_name(&s, 2), "qcq-cnn") == 0);
	CHECK(strcmp(train_abl_model_name(&s, 3), "qccnn-tf") == 0);
	CHECK(train_abl_spec_check(&s, &e) == QCQ_OK);
	struct abl_comparison cmp[16];
	int n = train_ablate_comparisons(&s, cmp, 16);
	CHECK(n == 3);
	CHECK(cmp[0].a == NN_ARCH_QCQ_CNN && !cmp[0].a_tf && cmp[0].b == NN_ARCH_RF_QCQ_CNN);
	CHECK(cmp[1].a == NN_ARCH_QCQ_CNN && cmp[1].a_tf && cmp[1].b == NN_ARCH_QCQ_CNN &&
	      !cmp[1].b_tf);
	CHECK_STR_CONTAINS(cmp[1].what, "trainable vs fixed quantum filter");
	CHECK(cmp[2].a_tf && cmp[2].b == NN_ARCH_RF_QCQ_CNN);
	CHECK_STR_CONTAINS(cmp[2].what, "trainable quantum filter vs classical random filter");
	/* bad lists leave the spec as it was */
	CHECK(train_abl_parse_models(&s, "cnn-tf", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown model 'cnn-tf'");
	CHECK_STR_CONTAINS(e.msg, "arms: qccnn-tf, qcq-cnn-tf");
	CHECK(train_abl_parse_models(&s, "qcq-cnn-tf,cnn,qcq-cnn-tf", &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "'qcq-cnn-tf' listed twice");
	CHECK(train_abl_parse_models(&s, "qcq-cnn,qcq-cnn", &e) == QCQ_EINVAL);
	CHECK(s.base.nmodels == 4 && s.trainable == (2u | 8u));
	/* an arm only where there is a filter to train; the filter lr's range */
	CHECK(train_abl_parse_models(&s, "cnn,qcq-cnn-tf", &e) == QCQ_OK);
	s.trainable |= 1u;
	CHECK(train_abl_spec_check(&s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "model cnn has no trainable-filter arm");
	s.trainable = 1u << 5;
	CHECK(train_abl_spec_check(&s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "a trainable arm beyond the 2 models");
	s.trainable = 2u;
	s.filter_lr = 1.5;
	CHECK(train_abl_spec_check(&s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "filter lr 1.5 out of range [0, 1]");
	s.filter_lr = 0.05;
	CHECK(train_abl_spec_check(&s, &e) == QCQ_OK);
	/* an arm alone is a study */
	CHECK(train_abl_parse_models(&s, "qcq-cnn-tf", &e) == QCQ_OK);
	CHECK(train_abl_spec_check(&s, &e) == QCQ_OK);
	CHECK(train_ablate_comparisons(&s, cmp, 16) == 0);
}

/* qcq-cnn-tf at seed s starts from qcq-cnn's CNN and classifier weights at seed s (the
 * filter's angles in front), so its seeds pair with the fixed arm's. */
static void test_trainable_arm_pairs(void)
{
	struct qcq_error e;
	struct qml_filter *f;
	CHECK(qml_filter_create_pennylane(&f, 'C', &e) == QCQ_OK);
	struct nn_model_desc d, t;
	nn_model_desc_default(&d, NN_ARCH_QCQ_CNN);
	d.conv1 = 4, d.conv2 = 8, d.seed = 3;
	t = d;
	t.filter = NN_FILTER_TRAINABLE, t.in_c = 1, t.in_h = t.in_w = 28;
	struct nn_model *a = NULL, *b = NULL;
	CHECK(nn_model_create(&a, &d, 4, NULL, &e) == QCQ_OK);
	CHECK(nn_model_create_filter(&b, &t, 4, NULL, f, &e) == QCQ_OK);
	if (a && b) {
		size_t nf = nn_model_nparams_filter(b);
		CHECK(nf > 0 && nn_model_nparams(b) == nn_model_nparams(a) + nf);
		CHECK(memcmp(nn_model_params(b) + nf, nn_model_params(a),
			     nn_model_nparams(a) * sizeof(float)) == 0);
		double th[64];
		CHECK(nf <= 64);
		qml_filter_angles(f, th);
		int same = 0;
		for (size_t i = 0; i < nf && i < 64; i++)
			same += nn_model_params(b)[i] == (float)th[i];
		CHECK(same == (int)nf);
	}
	nn_model_destroy(a);
	nn_model_destroy(b);
	qml_filter_destroy(f);
}

/* The selection reads val_acc only: planting test accuracies changes nothing. */
static void test_selection_uses_validation_only(void)
{
	struct train_abl_spec s;
	struct qcq_error e;
	train_abl_spec_default(&s);
	CHECK(train_exp_parse_datasets(&s.base, "synth", &e) == QCQ_OK);
	CHECK(train_exp_parse_models(&s.base, "cnn,qcq-cnn", &e) == QCQ_OK);
	size_t n;
	struct abl_task *t = train_ablate_plan_search(&s, &n);
	CHECK(n == (size_t)2 * 12 * 2);
	for (size_t i = 0; i < n; i++) {
		t[i].done = true;
		/* cnn: config 5 best; qcq-cnn: configs 3 and 9 tie (3 wins, first in order) */
		int k = t[i].grid;
		t[i].val_acc = t[i].model == 0 ? (k == 5 ? 0.9 : 0.6) : (k == 3 || k == 9 ? 0.8 : 0.7);
		t[i].test_acc = t[i].grid == 0 ? 1.0 : 0.0;
	}
	struct abl_result r;
	memset(&r, 0, sizeof r);
	train_ablate_select(&s, t, n, &r);
	CHECK(r.choice[0][0] == 5 && r.score[0][0] == 0.9);
	CHECK(r.choice[0][1] == 3 && r.score[0][1] == 0.8);
	for (size_t i = 0; i < n; i++)
		t[i].test_acc = t[i].grid == 5 ? 0.0 : 1.0;
	struct abl_result r2;
	memset(&r2, 0, sizeof r2);
	train_ablate_select(&s, t, n, &r2);
	CHECK(memcmp(r.choice, r2.choice, sizeof r.choice) == 0);
	/* a search seed that diverged before its first epoch scores 0, not NaN */
	t[0].val_acc = NAN;
	CHECK_NEAR(train_ablate_config_score(&s, t, n, 0, 0, 0), 0.3, 1e-12);
	free(t);
}

/* ---------------------------------------------------------------- statistics */

/* The row of comparisons.csv for data set `data` into v[0..10] (seeds .. zero_spread)
 * and its verdict. */
static bool csv_row(const char *text, const char *data, double v[11], char *verdict, size_t n)
{
	char key[32];
	snprintf(key, sizeof key, "\n%s,", data);
	const char *p = strstr(text, key);
	if (!p)
		return false;
	p = strchr(p + 1, ',') + 1;              /* comparison */
	for (int skip = 0; skip < 3; skip++)     /* comparison, a, b */
		p = strchr(p, ',') + 1;
	for (int i = 0; i < 11; i++) {
		char *end;
		v[i] = strtod(p, &end);
		p = end + 1;
	}
	const char *nl = strchr(p, '\n');
	snprintf(verdict, n, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
	return true;
}

/*
 * The report's numbers against SciPy's (../shared/reference/STATS-GOLDEN.md, cases A and
 * C), Holm across the study's rows, and the zero-spread rule: "entangling vs not" on three
 * tasks whose final accuracies are planted (synth: case A, mnist: case C, fashion: x =
 * y + 0.01 on every seed).
 */
static void test_report_statistics(void)
{
	static const double ax[5] = {0.9874, 0.9916, 0.9832, 0.9874, 0.9958},
			    ay[5] = {0.9916, 0.9958, 0.9874, 0.9916, 0.9916},
			    cx[5] = {0.5, 0.55, 0.98, 0.97, 0.99},
			    cy[5] = {0.96, 0.97, 0.95, 0.96, 0.97};
	struct train_abl_spec s;
	struct qcq_error e;
	tiny(&s, "stats");
	CHECK(train_exp_parse_models(&s.base, "qcq-cnn,qcq-cnn-noent", &e) == QCQ_OK);
	CHECK(train_exp_parse_datasets(&s.base, "synth,mnist,fashion", &e) == QCQ_OK);
	s.base.seeds = 5;
	struct abl_result r;
	memset(&r, 0, sizeof r);
	r.nsearch = 0;
	r.ntasks = 3 * 2 * 5;
	r.tasks = calloc(r.ntasks, sizeof *r.tasks);
	for (size_t i = 0; i < r.ntasks; i++) {
		struct abl_task *t = &r.tasks[i];
		t->data = (int)(i / 10), t->model = (int)(i / 5 % 2), t->seed = (int)(i % 5) + 1;
		t->final = t->done = true;
		const double *src = t->data == 0 ? (t->model ? ay : ax)
				    : t->data == 1 ? (t->model ? cy : cx) : ay;
		t->test_acc = src[t->seed - 1] + (t->data == 2 && t->model == 0 ? 0.01 : 0);
		t->test_bal_acc = t->test_acc;
	}
	char *table = NULL;
	mkdir(s.base.out_dir, 0755);
	CHECK(train_ablate_report_write(&s, s.base.out_dir, &r, 1.0, &table, &e) == QCQ_OK);
	char path[600], *csv = NULL;
	size_t len;
	snprintf(path, sizeof path, "%s/comparisons.csv", s.base.out_dir);
	CHECK(qcq_read_file(path, 1 << 20, &csv, &len, &e) == QCQ_OK);
	double v[11];
	char verdict[64];
	/* v: seeds, mean_a, mean_b, diff, lo, hi, p_paired, p_welch, p_holm, d, zero_spread */
	CHECK(csv && csv_row(csv, "synth", v, verdict, sizeof verdict));
	CHECK(v[0] == 5);
	CHECK_NEAR(v[3], -0.0025200000, 1e-12);
	CHECK_NEAR(v[4], -0.0071844278, 1e-9);
	CHECK_NEAR(v[5], 0.0021444278, 1e-9);
	CHECK_NEAR(v[6], 0.208, 1e-9);
	CHECK_NEAR(v[7], 0.3521456503, 1e-9);
	CHECK_NEAR(v[8], 0.416, 1e-9); /* Holm over [0.208, 0.21998, 0]: 2 x 0.208 */
	CHECK_NEAR(v[9], -0.6324555320, 1e-9);
	CHECK(v[10] == 0 && strcmp(verdict, "no detectable difference") == 0);
	CHECK(csv && csv_row(csv, "mnist", v, verdict, sizeof verdict));
	CHECK_NEAR(v[3], -0.1640000000, 1e-12);
	CHECK_NEAR(v[4], -0.4774556110, 1e-9);
	CHECK_NEAR(v[5], 0.1494556110, 1e-9);
	CHECK_NEAR(v[6], 0.2199762024, 1e-9);
	CHECK_NEAR(v[7], 0.216274098, 1e-9);
	CHECK_NEAR(v[8], 0.416, 1e-9); /* monotone: max(2 x 0.208, 1 x 0.21998) */
	CHECK_NEAR(v[9], -0.9274273676, 1e-9);
	CHECK(csv && csv_row(csv, "fashion", v, verdict, sizeof verdict));
	CHECK_NEAR(v[3], 0.01, 1e-12);
	CHECK(v[6] == 0 && v[8] == 0 && v[10] == 1 && strcmp(verdict, "helps") == 0);
	CHECK(table && strstr(table, "(zero spread)"));
	CHECK(table && strstr(table, "| entangling vs not (qcq-cnn - qcq-cnn-noent) | no detectable "
				     "difference | no detectable difference | helps"));
	free(csv), free(table);
	train_ablate_result_free(&r);
}

/* ---------------------------------------------------------------- no leakage */

static void flip_test_labels(struct exp_data *d, void *ctx)
{
	int *calls = ctx;
	struct data_subset *test = &d->split->part[DATA_TEST];
	for (size_t i = 0; i < test->n; i++)
		test->labels[i] = 1 - test->labels[i];
	(*calls)++;
}

/*
 * Adding the trainable arm changes no run of the other models (bit for bit: each run
 * depends on its own settings only), and the arm is not the fixed model under another
 * name (its runs differ from qcq-cnn's). `with` is the study of s (arm last).
 */
static void check_arm_leaves_others(const struct train_abl_spec *with_spec,
				    const struct abl_result *with)
{
	struct train_abl_spec s = *with_spec;
	struct qcq_error e;
	int arm = s.base.nmodels - 1, fixed = -1;
	CHECK(s.trainable == 1u << arm);
	s.base.nmodels--;
	s.trainable = 0;
	for (int m = 0; m < s.base.nmodels; m++)
		if (s.base.models[m] == NN_ARCH_QCQ_CNN)
			fixed = m;
	snprintf(s.base.out_dir, sizeof s.base.out_dir, "%s/leak-noarm", tmp_root);
	struct abl_result r;
	char *t = NULL;
	CHECK(train_ablate_run(&s, NULL, NULL, NULL, &r, &t, &e) == QCQ_OK);
	int matched = 0, equal = 0, differ = 0;
	for (size_t i = 0; i < with->ntasks; i++) {
		const struct abl_task *x = &with->tasks[i];
		for (size_t j = 0; x->model != arm && j < r.ntasks; j++) {
			const struct abl_task *y = &r.tasks[j];
			if (y->model != x->model || y->final != x->final || y->grid != x->grid ||
			    y->seed != x->seed)
				continue;
			matched++;
			equal += memcmp(&x->val_acc, &y->val_acc, sizeof x->val_acc) == 0 &&
				 x->epochs == y->epochs && x->best_epoch == y->best_epoch &&
				 (!x->final || memcmp(&x->test_acc, &y->test_acc, sizeof x->test_acc) == 0);
		}
		for (size_t j = 0; x->model == arm && j < with->ntasks; j++) {
			const struct abl_task *y = &with->tasks[j];
			if (y->model == fixed && !y->final && !x->final && y->grid == x->grid &&
			    y->seed == x->seed)
				differ += memcmp(&x->val_acc, &y->val_acc, sizeof x->val_acc) != 0 ||
					  x->best_epoch != y->best_epoch;
		}
	}
	CHECK(matched == (int)r.ntasks && equal == matched);
	CHECK(differ > 0);
	for (int m = 0; m < s.base.nmodels; m++)
		CHECK(r.choice[0][m] == with->choice[0][m] && r.score[0][m] == with->score[0][m]);
	CHECK(t && !strstr(t, "qcq-cnn-tf") && !strstr(t, "Trainable-filter arms"));
	free(t);
	train_ablate_result_free(&r);
}

static void test_no_leakage(void)
{
	struct train_abl_spec s;
	struct qcq_error e;
	tiny(&s, "leak-a");
	/* with the trainable-filter arm: its filter's angles are trained on the training part
	 * only, like every other weight */
	CHECK(train_abl_parse_models(&s, "cnn,qcq-cnn,rf-qcq-cnn,qcq-cnn-chead,qcq-cnn-tf", &e) ==
	      QCQ_OK);
	struct abl_result a, b;
	char *ta = NULL, *tb = NULL;
	CHECK(train_ablate_run(&s, NULL, NULL, NULL, &a, &ta, &e) == QCQ_OK);
	int calls = 0;
	struct abl_hooks flip = {flip_test_labels, &calls};
	snprintf(s.base.out_dir, sizeof s.base.out_dir, "%s/leak-b", tmp_root);
	CHECK(train_ablate_run(&s, &flip, NULL, NULL, &b, &tb, &e) == QCQ_OK);
	CHECK(calls == 1);
	CHECK(a.ntasks == b.ntasks && a.nsearch == b.nsearch && a.nsearch == 5 * 2 * 2);
	int same = 0, flipped = 0, informative = 0;
	for (size_t i = 0; i < a.ntasks && i < b.ntasks; i++) {
		const struct abl_task *x = &a.tasks[i], *y = &b.tasks[i];
		same += x->done && y->done && x->grid == y->grid && x->seed == y->seed &&
			memcmp(&x->val_acc, &y->val_acc, sizeof x->val_acc) == 0 &&
			x->epochs == y->epochs && x->best_epoch == y->best_epoch;
		if (!x->final) {
			CHECK(isnan(x->test_acc) && isnan(y->test_acc)); /* never evaluated */
			continue;
		}
		flipped += fabs(y->test_acc - (1 - x->test_acc)) < 1e-12;
		informative += x->test_acc != 0.5;
	}
	CHECK(same == (int)a.ntasks);
	CHECK(flipped == (int)(a.ntasks - a.nsearch));
	CHECK(informative > 0);
	CHECK(memcmp(a.choice, b.choice, sizeof a.choice) == 0);
	CHECK(memcmp(a.score, b.score, sizeof a.score) == 0);
	CHECK(ta && tb && strstr(ta, "## Verdicts") && strstr(tb, "## Verdicts"));
	CHECK(ta && strstr(ta, "| trainable vs fixed quantum filter (qcq-cnn-tf - qcq-cnn) "));
	free(ta), free(tb);
	train_ablate_result_free(&b);
	check_arm_leaves_others(&s, &a);
	/* one job gives the same study as two (each run depends on its settings only) */
	struct abl_result c1;
	char *t1 = NULL;
	s.base.jobs = 1;
	snprintf(s.base.out_dir, sizeof s.base.out_dir, "%s/leak-j1", tmp_root);
	CHECK(train_ablate_run(&s, NULL, NULL, NULL, &c1, &t1, &e) == QCQ_OK);
	int equal = 0;
	for (size_t i = 0; i < c1.ntasks && i < a.ntasks; i++)
		equal += memcmp(&c1.tasks[i].val_acc, &a.tasks[i].val_acc, sizeof(double)) == 0 &&
			 (!a.tasks[i].final || c1.tasks[i].test_acc == a.tasks[i].test_acc);
	CHECK(c1.ntasks == a.ntasks && equal == (int)a.ntasks);
	free(t1);
	train_ablate_result_free(&c1);
	train_ablate_result_free(&a);
	/* a stop ends the study without reports */
	qcq_stop_flag stop = 1;
	snprintf(s.base.out_dir, sizeof s.base.out_dir, "%s/leak-stop", tmp_root);
	CHECK(train_ablate_run(&s, NULL, NULL, &stop, &a, &ta, &e) == QCQ_ESTOPPED);
	CHECK_STR_CONTAINS(e.msg, "stopped after");
	CHECK(ta == NULL && !exists(s.base.out_dir, "table.md"));
	train_ablate_result_free(&a);
}

/* ---------------------------------------------------------------- resuming */

/* A sink that collects the log and raises the stop flag once `at` runs are done. After
 * that every progress post sleeps 60 ms, longer than the study's 20 ms watch of the stop
 * flag, so the workers see the halt before they take many more runs. */
struct cutter {
	pthread_mutex_t lock;
	char log[1 << 16];
	size_t len;
	double at;
	qcq_stop_flag stop;
};

static void cutter_post(void *ctx, const struct qcq_event *ev)
{
	struct cutter *c = ctx;
	if (ev->kind == QCQ_EV_LOG) {
		pthread_mutex_lock(&c->lock);
		int k = snprintf(c->log + c->len, sizeof c->log - c->len, "%s\n", ev->text);
		if (k > 0 && c->len + (size_t)k < sizeof c->log)
			c->len += (size_t)k;
		pthread_mutex_unlock(&c->lock);
	} else if (ev->kind == QCQ_EV_PROGRESS && c->at > 0) {
		if (ev->done >= c->at)
			c->stop = 1;
		if (c->stop) {
			struct timespec ts = {0, 60 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
}

static void cutter_init(struct cutter *c, double at)
{
	memset(c, 0, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->at = at;
}

/* The file's text without its wall times: table.md's "wall time" line, and the last
 * column ("seconds") of search.csv and runs.csv when drop_last. */
static char *report_text(const char *dir, const char *file, bool drop_last)
{
	char path[1024], *text = NULL;
	size_t len;
	struct qcq_error e;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (qcq_read_file(path, 1 << 22, &text, &len, &e) != QCQ_OK)
		return NULL;
	char *out = calloc(len + 1, 1), *o = out, *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strstr(l, "wall time"))
			continue;
		char *comma = drop_last ? strrchr(l, ',') : NULL;
		if (comma)
			*comma = '\0';
		o += sprintf(o, "%s\n", l);
	}
	free(text);
	return out;
}

static int same_reports(const char *a, const char *b)
{
	static const char *const files[] = {"search.csv", "configs.csv", "runs.csv",
					    "comparisons.csv", "table.md"};
	int same = 0;
	for (int i = 0; i < 5; i++) {
		bool drop = strcmp(files[i], "search.csv") == 0 || strcmp(files[i], "runs.csv") == 0;
		char *x = report_text(a, files[i], drop), *y = report_text(b, files[i], drop);
		bool eq = x && y && strlen(x) > 20 && strcmp(x, y) == 0;
		if (!eq)
			fprintf(stderr, "%s differs between %s and %s\n", files[i], a, b);
		same += eq;
		free(x), free(y);
	}
	return same;
}

/* The first run file of the phase in dir/runs (name into buf), or false. */
static bool a_run_file(const char *dir, const char *phase, int skip, char *buf, size_t n)
{
	char runs[1024];
	snprintf(runs, sizeof runs, "%s/runs", dir);
	DIR *dp = opendir(runs);
	struct dirent *de;
	bool found = false;
	while (dp && !found && (de = readdir(dp)))
		if (strncmp(de->d_name, phase, strlen(phase)) == 0 && skip-- == 0) {
			snprintf(buf, n, "%s/%s", runs, de->d_name);
			found = true;
		}
	if (dp)
		closedir(dp);
	return found;
}

static size_t found_in(const char *log, const char *phase)
{
	const char *p = strstr(log, phase);
	p = p ? strstr(p, ", ") : NULL;
	size_t found;
	if (!p || sscanf(p, ", %zu found", &found) != 1)
		return (size_t)-1;
	return found;
}

static void test_resume(void)
{
	struct train_abl_spec s;
	struct qcq_error e;
	tiny(&s, "resume-full");
	CHECK(train_abl_parse_models(&s, "cnn,qcq-cnn,qcq-cnn-tf", &e) == QCQ_OK);
	/* 3 models x (2 configurations x 2 search seeds = 4 search, 3 final) */
	CHECK(train_abl_count_runs(&s) == 21);
	/* a stop raised after the last run stops nothing: the reports are written */
	struct cutter c;
	struct qcq_sink sink = {cutter_post, &c};
	cutter_init(&c, 21);
	struct train_exp_result full;
	CHECK(train_abl_run(&s, &sink, &c.stop, &full, &e) == QCQ_OK);
	CHECK(c.stop && full.trained == 21 && full.skipped == 0);
	CHECK(exists(s.base.out_dir, "table.md"));
	train_exp_result_free(&full);
	char full_dir[512];
	snprintf(full_dir, sizeof full_dir, "%s", s.base.out_dir);

	/* stopped in the search phase: the runs finished so far are on disk */
	snprintf(s.base.out_dir, sizeof s.base.out_dir, "%s/resume-cut", tmp_root);
	struct train_exp_result r;
	cutter_init(&c, 3);
	CHECK(train_abl_run(&s, &sink, &c.stop, &r, &e) == QCQ_ESTOPPED);
	CHECK_STR_CONTAINS(e.msg, "the same study again resumes there");
	CHECK(r.trained >= 3 && r.trained < 12 && r.skipped == 0);
	CHECK(!exists(s.base.out_dir, "table.md"));
	size_t first = r.trained;
	train_exp_result_free(&r);

	/* one file truncated, one not a run file at all: both named, both retrained */
	char cut[1024], junk[1024];
	CHECK(a_run_file(s.base.out_dir, "ablate_search_", 0, cut, sizeof cut));
	CHECK(a_run_file(s.base.out_dir, "ablate_search_", 1, junk, sizeof junk));
	char *text;
	size_t len;
	CHECK(qcq_read_file(cut, 1 << 16, &text, &len, &e) == QCQ_OK);
	CHECK(qcq_write_file_atomic(cut, text, len / 2, &e) == QCQ_OK);
	free(text);
	CHECK(qcq_write_file_atomic(junk, "garbage\n", 8, &e) == QCQ_OK);

	/* resumed, then stopped again in the final phase (12 search runs + 2 final) */
	cutter_init(&c, 14);
	CHECK(train_abl_run(&s, &sink, &c.stop, &r, &e) == QCQ_ESTOPPED);
	CHECK(found_in(c.log, "search: ") == first - 2);
	CHECK(r.skipped == first - 2);
	char want[1200];
	snprintf(want, sizeof want, "%s: truncated: the file ends before", cut);
	CHECK_STR_CONTAINS(c.log, want);
	snprintf(want, sizeof want, "%s: not an ablate run file (version 1): trained again", junk);
	CHECK_STR_CONTAINS(c.log, want);
	CHECK_STR_CONTAINS(c.log, "final: 9 runs of the chosen configurations, 0 found finished");
	train_exp_result_free(&r);

	/* to the end: every search run found, some final ones */
	cutter_init(&c, 0);
	CHECK(train_abl_run(&s, &sink, NULL, &r, &e) == QCQ_OK);
	CHECK(found_in(c.log, "search: ") == 12);
	size_t fin = found_in(c.log, "final: ");
	CHECK(fin >= 1 && fin < 9);
	CHECK(r.skipped == 12 + fin && r.trained == 21 - r.skipped);
	train_exp_result_free(&r);
	CHECK(same_reports(full_dir, s.base.out_dir) == 5);

	/* again: everything found, nothing trained, the same reports (seconds included) */
	cutter_init(&c, 0);
	CHECK(train_abl_run(&s, &sink, NULL, &r, &e) == QCQ_OK);
	CHECK(r.skipped == 21 && r.trained == 0);
	train_exp_result_free(&r);
	CHECK(same_reports(full_dir, s.base.out_dir) == 5);

	/* other options (patience): no file is reused, and the log says so */
	s.base.patience = 1;
	cutter_init(&c, 0);
	CHECK(train_abl_run(&s, &sink, NULL, &r, &e) == QCQ_OK);
	CHECK(r.skipped == 0 && r.trained == 21);
	CHECK_STR_CONTAINS(c.log, "21 run files in");
	CHECK_STR_CONTAINS(c.log, "were written under other study options");
	train_exp_result_free(&r);
}

/* ---------------------------------------------------------------- the command */

static void test_command_reduced_study(void)
{
	struct capture cap;
	struct cmd_workspace *ws = capture_ws(&cap);
	char cmd[1400], out[512];
	snprintf(out, sizeof out, "%s/cmd", tmp_root);
	snprintf(cmd, sizeof cmd,
		 "experiment ablate datasets=synth train=80 val=40 test=40 seeds=3 search-seeds=2 "
		 "epochs=2 lrs=1e-3,1e-2 widths=4/8 batches=8 out=%s cache=%s/cache jobs=2", out,
		 tmp_root);
	CHECK(cmd_run_text(ws, cmd, "t", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "## Verdicts (Holm-adjusted paired t-test, 5 %)");
	CHECK_STR_CONTAINS(cap.out, "| entangling vs not (qcq-cnn - qcq-cnn-noent)");
	CHECK_STR_CONTAINS(cap.out, "| QCQ-CNN vs parameter-matched CNN (qcq-cnn - cnn-pm)");
	CHECK_STR_CONTAINS(cap.out, "lr {0.001, 0.01} x conv1/conv2 {4/8} x batch {8} = 2 "
				    "configurations");
	CHECK_STR_CONTAINS(cap.out, "56 runs (2 configurations x 2 search seeds + 3 final seeds");
	CHECK_STR_CONTAINS(cap.out, "ablate study: 56 runs, 0 found finished, 56 trained");
	const char *files[] = {"search.csv", "configs.csv", "runs.csv", "comparisons.csv",
			       "table.md"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		CHECK(exists(out, files[i]));
	capture_reset(&cap);
	CHECK(cmd_run_text(ws, "experiment ablate datasets=synth lr=0.1", "t", 1, false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "it searches lrs= and batches=");
	CHECK(cmd_run_text(ws, "experiment compare datasets=synth lrs=0.1", "t", 1, false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "experiment compare: lrs= belongs to the ablate study");
	CHECK(cmd_run_text(ws, "experiment ablate datasets=synth widths=8", "t", 1, false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "widths: '8' is not CONV1/CONV2");
	CHECK(cmd_run_text(ws, "experiment ablate models=cnn,qcnn datasets=synth", "t", 1, false) ==
	      QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "model qcnn has no conv widths to search");
	/* with the trainable arm and its own filter lr */
	capture_reset(&cap);
	snprintf(out, sizeof out, "%s/cmd-tf", tmp_root);
	snprintf(cmd, sizeof cmd,
		 "experiment ablate models=qcq-cnn,rf-qcq-cnn,qcq-cnn-tf datasets=synth train=60 "
		 "val=30 test=30 seeds=2 search-seeds=1 epochs=1 lrs=1e-2 widths=4/8 batches=8 "
		 "filter-lr=0.05 out=%s cache=%s/cache jobs=2", out, tmp_root);
	CHECK(cmd_run_text(ws, cmd, "t", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "| trainable vs fixed quantum filter (qcq-cnn-tf - qcq-cnn) ");
	CHECK_STR_CONTAINS(cap.out, "| trainable quantum filter vs classical random filter "
				    "(qcq-cnn-tf - rf-qcq-cnn)");
	CHECK_STR_CONTAINS(cap.out, "Trainable-filter arms (qcq-cnn-tf)");
	CHECK_STR_CONTAINS(cap.out, "at filter lr 0.05");
	CHECK_STR_CONTAINS(cap.out, "| synth | qcq-cnn-tf ");
	CHECK_STR_CONTAINS(cap.out, "ablate study: 9 runs, 0 found finished, 9 trained");
	capture_reset(&cap);
	CHECK(cmd_run_text(ws, "experiment compare datasets=synth models=qcq-cnn-tf", "t", 1,
			   false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "unknown model 'qcq-cnn-tf'");
	CHECK(cmd_run_text(ws, "experiment compare datasets=synth filter-lr=0.1", "t", 1, false) ==
	      QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "experiment compare: filter-lr= belongs to the ablate study");
	CHECK(cmd_run_text(ws, "experiment ablate datasets=synth models=cnn-tf", "t", 1, false) ==
	      QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "arms: qccnn-tf, qcq-cnn-tf");
	/* a K-class task: every model is built with K outputs (it failed on "label 5 ... is
	 * not 0 or 1" before), the binary-only controls are refused by name */
	capture_reset(&cap);
	snprintf(out, sizeof out, "%s/cmd-k", tmp_root);
	snprintf(cmd, sizeof cmd,
		 "experiment ablate models=cnn,qcq-cnn,rf-qcq-cnn datasets=synth10 size=0.05 "
		 "seeds=2 search-seeds=1 epochs=1 lrs=1e-2 widths=4/8 batches=8 out=%s "
		 "cache=%s/cache jobs=2", out, tmp_root);
	CHECK(cmd_run_text(ws, cmd, "t", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "synth10: 10 classes");
	CHECK_STR_CONTAINS(cap.out, "| synth10 | qcq-cnn ");
	CHECK_STR_CONTAINS(cap.out, "ablate study: 9 runs, 0 found finished, 9 trained");
	capture_reset(&cap);
	CHECK(cmd_run_text(ws, "experiment ablate models=cnn,qcq-cnn-chead datasets=synth10", "t",
			   1, false) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "qcq-cnn-chead is binary only");
	cmd_workspace_destroy(ws);
}

int main(void)
{
	snprintf(tmp_root, sizeof tmp_root, "/tmp/qcq-test-ablate-%d", (int)getpid());
	mkdir(tmp_root, 0755);
	RUN(test_grids_and_checks);
	RUN(test_trainable_arm_spec);
	RUN(test_trainable_arm_pairs);
	RUN(test_selection_uses_validation_only);
	RUN(test_report_statistics);
	RUN(test_no_leakage);
	RUN(test_resume);
	RUN(test_command_reduced_study);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
	if (check_tests_failed == 0 && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp_root);
	return check_summary();
}
