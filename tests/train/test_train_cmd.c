/* tests/train: the model commands through cmd_run_text (model, summary, train, train
 * resume, eval, confusion, predict, save/load model, export curves), in batch and
 * interactive mode. The data side of the workspace is set up through data.h and qml.h
 * directly, so these tests do not depend on the data commands. */
#include "qcq/cmd.h"
#include "qcq/data.h"
#include "qcq/nn.h"
#include "qcq/qml.h"
#include "qcq/train.h"
#include "check.h"
#include "scratch.h"
#include "../cmd/capture.h"

#include <unistd.h>


/* Synthetic digits 3 vs 5, split 120/40/40, a random 2x2 filter, optionally features. */
static void setup_data(struct cmd_workspace *ws, bool features)
{
	struct qcq_error e;
	struct data_set *ds = NULL;
	if (data_synth_digits(1000, 1, NULL, &ds, &e)) {
		fprintf(stderr, "synth: %s\n", e.msg);
		return;
	}
	struct data_classes cls;
	struct data_split_spec spec = {{120, 40, 40}, false, 1};
	if (data_classes_parse(ds, "3", "5", &cls, &e) ||
	    data_split_make(ds, &cls, &spec, &ws->split, &e) ||
	    qml_filter_create_random(&ws->filter, 2, 2, 1, 42, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		data_set_free(ds);
		return;
	}
	ws->data = ds;
	if (!features)
		return;
	size_t n[DATA_NPARTS];
	for (int p = 0; p < DATA_NPARTS; p++)
		n[p] = ws->split->part[p].n;
	if (data_features_create(n, 4, 14, 14, &ws->features, &e))
		return;
	for (int p = 0; p < DATA_NPARTS; p++)
		if (n[p])
			qml_filter_apply(ws->filter, ws->split->part[p].images, (long)n[p], 28, 28,
					 ws->features->part[p], NULL, &e);
}

/* Frees what setup_data made (the data family's release may not exist yet). */
static void teardown(struct cmd_workspace *ws)
{
	data_features_free(ws->features);
	ws->features = NULL;
	data_split_free(ws->split);
	ws->split = NULL;
	data_set_free(ws->data);
	ws->data = NULL;
	if (ws->filter)
		qml_filter_destroy(ws->filter);
	ws->filter = NULL;
	cmd_workspace_destroy(ws);
}

static enum qcq_status run(struct cmd_workspace *ws, const char *text)
{
	return cmd_run_text(ws, text, "-c", 1, false);
}

static void test_refusals_without_model_or_data(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(run(ws, "summary") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "no model: create one with `model NAME`");
	CHECK(run(ws, "train") == QCQ_ESTATE);
	CHECK(run(ws, "model cnn") == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "model cnn: input (1,28,28)");
	capture_reset(&c);
	CHECK(run(ws, "train epochs=1") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "no data split: load data, choose classes and split first");
	CHECK(ws->model != NULL); /* a refused train leaves the model in place */
	CHECK(run(ws, "model qcq-cnn") == QCQ_OK);
	setup_data(ws, false);
	capture_reset(&c);
	CHECK(run(ws, "train epochs=1") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "no quanvolved features: run quanv first");
	capture_reset(&c);
	CHECK(run(ws, "model bogus") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "bogus");
	CHECK(run(ws, "model cnn observable=xx") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "observable: 'xx' is not z0 or zz");
	CHECK(run(ws, "model cnn input=8") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "input: only the qcnn model takes input=N");
	CHECK(run(ws, "train bogus") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "train: unknown word 'bogus' (did you mean resume?)");
	CHECK(run(ws, "model cnn; train resume") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "nothing to resume");
	CHECK(run(ws, "export curves x.csv") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "no training history to export");
	CHECK(run(ws, "eval foo") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "unknown part 'foo' (train, val or test)");
	CHECK(run(ws, "train optim=rmsprop") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "optim: 'rmsprop' is not adam or sgd");
	CHECK(run(ws, "predict 100000") == QCQ_ERANGE);
	teardown(ws);
}

static void test_train_eval_save_load_resume(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	setup_data(ws, false);
	CHECK(run(ws, "model cnn seed=3") == QCQ_OK);
	CHECK(run(ws, "summary") == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "conv");
	capture_reset(&c);
	CHECK(run(ws, "train epochs=4 lr=0.003") == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "trained cnn: 4 epochs");
	CHECK(ws->model && ws->history && ws->history->n == 4);
	CHECK(ws->history && ws->history->has_test);
	if (!ws->history || !ws->model) {
		teardown(ws);
		return;
	}
	double acc = ws->history->test.acc;
	CHECK(acc > 0.6); /* well above chance on 3 vs 5 after 4 epochs */
	capture_reset(&c);
	CHECK(run(ws, "eval; eval train; confusion; predict 0; predict 175") == QCQ_OK);
	char want[64];
	snprintf(want, sizeof want, "test: accuracy %.4f", acc);
	CHECK_STR_CONTAINS(c.out, want);
	CHECK_STR_CONTAINS(c.out, "rows true, columns predicted");
	CHECK_STR_CONTAINS(c.out, "image 0 (train #0): true");
	CHECK_STR_CONTAINS(c.out, "image 175 (test #15)");

	/* the same command again gives the same curves */
	struct train_history *h1 = train_history_clone(ws->history);
	CHECK(run(ws, "train epochs=4 lr=0.003") == QCQ_OK);
	for (size_t i = 0; i < 4 && ws->history->n == 4; i++) {
		CHECK(ws->history->rows[i].train_loss == h1->rows[i].train_loss);
		CHECK(ws->history->rows[i].val_acc == h1->rows[i].val_acc);
	}

	/* export, save, load, resume */
	capture_reset(&c);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "export curves %s; save model %s", scratch_path("c.csv"),
		 scratch_path("m.qcqm"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "wrote 4 epochs to");
	CHECK_STR_CONTAINS(c.out, "saved cnn (");
	CHECK(access(scratch_path("c.csv"), F_OK) == 0 && access(scratch_path("m.qcqm"), F_OK) == 0);
	CHECK(run(ws, "train epochs=6 lr=0.003") == QCQ_OK); /* the reference: 6 straight */
	struct train_history *h6 = train_history_clone(ws->history);
	snprintf(cmd, sizeof cmd, "model mlp; load model %s", scratch_path("m.qcqm"));
	capture_reset(&c);
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "loaded cnn: input (1,28,28)");
	CHECK_STR_CONTAINS(c.out, "train resume continues it");
	CHECK(ws->history && ws->history->n == 4);
	CHECK(run(ws, "train resume epochs=6") == QCQ_OK);
	CHECK(ws->history && ws->history->n == 6);
	for (size_t i = 0; ws->history && i < 6 && ws->history->n == 6; i++)
		CHECK(ws->history->rows[i].train_loss == h6->rows[i].train_loss);
	CHECK(run(ws, "train resume batch=2") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "train resume: batch, seed and optim stay as in the run");

	/* a corrupt checkpoint is refused and the model stays */
	struct nn_model *before = ws->model;
	FILE *fp = fopen(scratch_path("bad.qcqm"), "wb");
	if (fp) {
		fputs("QCQMODEL but not really", fp);
		fclose(fp);
	}
	snprintf(cmd, sizeof cmd, "load model %s", scratch_path("bad.qcqm"));
	CHECK(run(ws, cmd) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(c.err, "bad.qcqm: truncated");
	CHECK(ws->model == before);
	train_history_free(h1);
	train_history_free(h6);
	teardown(ws);
}

static void test_every_model_trains(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	setup_data(ws, true);
	const char *models[] = {"mlp", "quanv-mlp", "cnn", "qccnn", "qcq-cnn", "qcnn"};
	for (int i = 0; i < 6; i++) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "model %s; train epochs=2 batch=4", models[i]);
		capture_reset(&c);
		enum qcq_status st = run(ws, cmd);
		if (st == QCQ_EUNSUPPORTED && strstr(c.err, "not implemented")) {
			/* the nn module does not build this architecture yet: say so, move on */
			fprintf(stderr, "  note: %s", c.err);
			continue;
		}
		if (st)
			fprintf(stderr, "%s: %s\n", models[i], c.err);
		CHECK(st == QCQ_OK);
		CHECK(ws->history && ws->history->n == 2);
	}
	/* qcq-cnn with sampled, noisy quantum layer */
	capture_reset(&c);
	enum qcq_status st = run(ws, "set shots 256; set noise depolarizing p1=0.01 p2=0.02; "
				     "model qcq-cnn; train epochs=1 batch=4");
	if (st)
		fprintf(stderr, "noisy: %s\n", c.err);
	CHECK(st == QCQ_OK);
	if (ws->model) {
		const struct nn_model_desc *d = nn_model_get_desc(ws->model);
		CHECK(d->shots == 256 && fabsf(d->p1 - 0.01f) < 1e-7f);
	}
	/* sampled training is reproducible too: the same command, the same curves */
	struct train_history *h1 = ws->history ? train_history_clone(ws->history) : NULL;
	CHECK(run(ws, "train epochs=1 batch=4") == QCQ_OK);
	if (h1 && ws->history && ws->history->n == 1)
		CHECK(h1->rows[0].train_loss == ws->history->rows[0].train_loss &&
		      h1->rows[0].val_loss == ws->history->rows[0].val_loss);
	train_history_free(h1);
	/* settings changed after `model` are applied by train */
	CHECK(run(ws, "set shots exact; set noise off; train epochs=1 batch=4") == QCQ_OK);
	if (ws->model)
		CHECK(nn_model_get_desc(ws->model)->shots == 0);
	teardown(ws);
}

static void test_interactive_stop_keeps_best(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	setup_data(ws, false);
	ws->interactive = true;
	CHECK(run(ws, "model cnn") == QCQ_OK);
	CHECK(run(ws, "train epochs=100000") == QCQ_OK);
	CHECK(cmd_job_running(ws) && ws->model == NULL);
	CHECK(run(ws, "summary") == QCQ_ESTATE); /* not while training */
	usleep(200 * 1000);
	cmd_job_stop(ws);
	CHECK(cmd_job_wait(ws) == QCQ_ESTOPPED);
	CHECK(ws->model != NULL && ws->history != NULL);
	if (ws->history) {
		CHECK(ws->history->end == TRAIN_STOPPED && ws->history->n < 100000);
		if (ws->history->best_epoch)
			CHECK(memcmp(nn_model_params(ws->model), ws->history->best_params,
				     ws->history->nparams * sizeof(float)) == 0);
	}
	CHECK_STR_CONTAINS(c.out, "train stopped");
	teardown(ws);
}

/* keep=best leaves the best validation epoch's weights, keep=last the final epoch's:
 * eval val then reports that epoch's row of the history. */
static void test_keep_best_or_last(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	setup_data(ws, false);
	CHECK(run(ws, "model cnn seed=2") == QCQ_OK);
	for (int last = 0; last < 2; last++) {
		capture_reset(&c);
		CHECK(run(ws, last ? "train epochs=12 keep=last"
				   : "train epochs=12 keep=best") == QCQ_OK);
		if (!ws->history || ws->history->n != 12)
			break;
		const struct train_history *h = ws->history;
		CHECK(h->opts.restore_best == !last);
		/* the test is only meaningful when the last epoch is not the best one */
		CHECK(h->best_epoch >= 1 && h->best_epoch < 12);
		const struct train_epoch *r = &h->rows[last ? 11 : h->best_epoch - 1];
		char want[64];
		snprintf(want, sizeof want, "val: accuracy %.4f", r->val_acc);
		capture_reset(&c);
		CHECK(run(ws, "eval val") == QCQ_OK);
		CHECK_STR_CONTAINS(c.out, want);
	}
	CHECK(run(ws, "train keep=first") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "keep: 'first' is not best");
	teardown(ws);
}

/* model freeze=K: the layer keeps its initial weights through `train`, the checkpoint
 * keeps the setting, and bad lists are refused with the layer numbering explained. */
static void test_freeze_through_train_and_checkpoint(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	setup_data(ws, true);
	CHECK(run(ws, "model qcq-cnn freeze=7") == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "frozen (not trained): layer 7");
	if (!ws->model) {
		teardown(ws);
		return;
	}
	size_t np = nn_model_nparams(ws->model);
	float *before = malloc(np * 4);
	/* layer 7 (dense 128 -> 2) sits after conv1 592 and conv2 4640 parameters */
	size_t off = 592 + 4640, nd = 258;
	CHECK(run(ws, "train epochs=2 batch=4") == QCQ_OK);
	memcpy(before, nn_model_params(ws->model), np * 4);
	CHECK(run(ws, "train resume epochs=4") == QCQ_OK);
	CHECK(memcmp(before + off, nn_model_params(ws->model) + off, nd * 4) == 0);
	CHECK(memcmp(before, nn_model_params(ws->model), off * 4) != 0);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "save model %s; model cnn; load model %s",
		 scratch_path("frozen.qcqm"), scratch_path("frozen.qcqm"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(ws->model && nn_model_get_desc(ws->model)->frozen == 1u << 7);
	capture_reset(&c);
	CHECK(run(ws, "model qcq-cnn freeze=1") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "freeze: layer 1 (relu) has no parameters");
	CHECK(run(ws, "model qcq-cnn freeze=7,x") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "freeze: 'x' is not an integer");
	CHECK(run(ws, "model qcq-cnn freeze=40") == QCQ_ERANGE);
	CHECK_STR_CONTAINS(c.err, "freeze: 40 out of range [0, 31]");
	free(before);
	teardown(ws);
}

/* A sampled (shots) and noisy qcq-cnn run stopped after 2 epochs, saved, loaded into a
 * fresh model and resumed to 4 gives the same rows, bit for bit, as 4 epochs straight:
 * the shot draws come from the stream the checkpoint saves. */
static void test_shots_resume_is_exact(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	setup_data(ws, true);
	CHECK(run(ws, "set shots 64; set noise depolarizing p1=0.01 p2=0.02; model qcq-cnn; "
		      "train epochs=4 batch=4") == QCQ_OK);
	struct train_history *h4 = ws->history ? train_history_clone(ws->history) : NULL;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "train epochs=2 batch=4; save model %s; model cnn; load model %s; "
		 "eval test; train resume epochs=4",
		 scratch_path("shots.qcqm"), scratch_path("shots.qcqm"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(h4 && ws->history && ws->history->n == 4);
	for (size_t i = 0; h4 && ws->history && i < 4 && ws->history->n == 4; i++) {
		CHECK(ws->history->rows[i].train_loss == h4->rows[i].train_loss);
		CHECK(ws->history->rows[i].val_loss == h4->rows[i].val_loss);
	}
	/* and the draws matter: another seed gives other curves */
	CHECK(run(ws, "train epochs=4 batch=4 seed=9") == QCQ_OK);
	if (h4 && ws->history && ws->history->n == 4)
		CHECK(ws->history->rows[3].train_loss != h4->rows[3].train_loss);
	train_history_free(h4);
	teardown(ws);
}

/* The quantum classifier has depolarizing noise only: with `set noise damping` on,
 * model qcq-cnn/qcnn and train of a quantum model are refused (not silently noiseless);
 * classical models are unaffected. */
static void test_damping_refused_by_quantum_classifier(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	setup_data(ws, true);
	CHECK(run(ws, "set noise damping gamma=0.01") == QCQ_OK);
	CHECK(run(ws, "model qcq-cnn") == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(c.err, "model qcq-cnn: the quantum classifier simulates depolarizing "
				  "noise only; damping (gamma 0.01) applies to circuits "
				  "(step/run/expect): `set noise damping gamma=0 lambda=0` to build it");
	CHECK(ws->model == NULL);
	capture_reset(&c);
	CHECK(run(ws, "set noise damping gamma=0.01 lambda=0.02; model qcnn") == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(c.err, "model qcnn: the quantum classifier simulates depolarizing "
				  "noise only; damping (gamma 0.01, lambda 0.02)");
	CHECK(ws->model == NULL);
	/* classical models build and train with damping set */
	CHECK(run(ws, "model cnn; train epochs=1") == QCQ_OK);
	CHECK(ws->history && ws->history->n == 1);
	/* a quantum model built without damping is not trained with it */
	CHECK(run(ws, "set noise off; model qcq-cnn") == QCQ_OK);
	capture_reset(&c);
	CHECK(run(ws, "set noise damping lambda=0.05; train epochs=1 batch=4") == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(c.err, "train: the quantum classifier simulates depolarizing noise "
				  "only; damping (lambda 0.05) applies to circuits (step/run/expect): "
				  "`set noise damping gamma=0 lambda=0` to train");
	CHECK(ws->model != NULL && ws->history == NULL); /* left as it was */
	CHECK(run(ws, "train resume") == QCQ_ESTATE);
	/* depolarizing alongside is fine once damping is cleared */
	CHECK(run(ws, "set noise depolarizing p1=0.01 p2=0.02; set noise damping gamma=0 lambda=0; "
		      "train epochs=1 batch=4") == QCQ_OK);
	CHECK(ws->history && ws->history->n == 1);
	CHECK(run(ws, "set noise damping gamma=0.1; train resume epochs=2") == QCQ_EUNSUPPORTED);
	CHECK(ws->history && ws->history->n == 1);
	/* evaluating a trained model is allowed, with a note that damping does not apply */
	capture_reset(&c);
	CHECK(run(ws, "eval") == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "eval: the damping setting applies to circuits only; the "
				  "classifier takes depolarizing noise only (p1 0.01, p2 0.02)");
	teardown(ws);
}

int main(void)
{
	if (scratch_open("train-cmd"))
		return 1;
	RUN(test_refusals_without_model_or_data);
	RUN(test_train_eval_save_load_resume);
	RUN(test_every_model_trains);
	RUN(test_interactive_stop_keeps_best);
	RUN(test_keep_best_or_last);
	RUN(test_freeze_through_train_and_checkpoint);
	RUN(test_shots_resume_is_exact);
	RUN(test_damping_refused_by_quantum_classifier);
	scratch_close();
	return check_summary();
}
