/*
 * tests/cmd/test_multiclass.c: K-class tasks through the command layer (issue 15): the
 * forms of `classes` and their refusals, K-class models and the binary-only ones,
 * train / eval / confusion / predict / stats with K classes, and checkpoints whose
 * classes do not match the task.
 */
#include "qcq/cmd.h"
#include "qcq/data.h"
#include "qcq/nn.h"
#include "qcq/train.h"

#include "check.h"
#include "cmd/capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct capture cap;

static enum qcq_status run(struct cmd_workspace *ws, const char *text)
{
	capture_reset(&cap);
	return cmd_run_text(ws, text, "t.qcq", 1, false);
}

static void test_classes_forms(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	CHECK(run(ws, "load synth 300 seed=2") == QCQ_OK);
	ws->json = true; /* JSON mode: results as JSON lines, no human text */
	CHECK(run(ws, "classes 0 1 2") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.json, "\"nclasses\":3,\"classes\":[\"0\",\"1\",\"2\"]");
	ws->json = false;
	CHECK(run(ws, "classes 0 1 2") == QCQ_OK);
	CHECK(ws->split && ws->split->nsides == 3);
	CHECK_STR_CONTAINS(cap.out, "task: 0 (label 0, 30 images), 1 (label 1, 30 images), 2 (label "
				    "2, 30 images)");
	CHECK_STR_CONTAINS(cap.out, "train 63, val 12, test 12"); /* 21 + 4 + 4 per class */
	CHECK(run(ws, "classes all") == QCQ_OK);
	CHECK(ws->split->nsides == 10);
	CHECK(run(ws, "stats") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "train    210 images, per class 21 21 21 21 21 21 21 21 21 21");
	CHECK(run(ws, "split train=100 val=20 test=20") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "split: train 100, val 20, test 20 of 10 classes");
	CHECK(run(ws, "classes 3 vs 5+8") == QCQ_OK);
	CHECK(ws->split->nsides == 2);
	CHECK_STR_CONTAINS(cap.out, "task: 3 (label 0, 30 images) vs 5+8 (label 1, 60 images)");
	/* refusals leave the task as it was */
	const struct data_split *before = ws->split;
	const char *bad[] = {"classes 1 2 1", "classes 1 2 cat", "classes 4", "classes 1 vs 2 3",
			     "classes 1 2 vs", "classes 0+1 1 2"};
	const char *msg[] = {"class '1' is named twice", "no class 'cat' (classes: 0,1,2",
			     "needs two sides or more", "'vs' goes between two sides",
			     "'vs' goes between two sides", "class '1' is named twice"};
	for (int i = 0; i < 6; i++) {
		CHECK(run(ws, bad[i]) == QCQ_EINVAL);
		CHECK_STR_CONTAINS(cap.err, msg[i]);
		CHECK(ws->split == before);
	}
	/* more classes than the data hold */
	CHECK(run(ws, "load synth 30 seed=1; classes 0 1 2 3 4 5 6 7 8 9 10") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "no class '10'");
	cmd_workspace_destroy(ws);
}

/* A 3-class mlp: model, train, eval with recall and balanced accuracy, confusion,
 * predict; binary-only models refused; the model must match the task's classes. */
static void test_train_eval_three(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	CHECK(run(ws, "load synth 300 seed=2; classes 0 1 2; model mlp") == QCQ_OK);
	CHECK(ws->model && nn_model_get_desc(ws->model)->nclasses == 3);
	CHECK_STR_CONTAINS(cap.out, "3 classes: 3 outputs with a softmax");
	CHECK(run(ws, "train epochs=3 lr=0.01") == QCQ_OK);
	CHECK(run(ws, "eval") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "test: accuracy ");
	CHECK_STR_CONTAINS(cap.out, "balanced accuracy ");
	CHECK_STR_CONTAINS(cap.out, "; recall 0 ");
	ws->json = true;
	CHECK(run(ws, "eval") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.json, "\"balanced_accuracy\":");
	CHECK_STR_CONTAINS(cap.json, "\"recall\":[");
	CHECK(run(ws, "confusion") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.json, "\"classes\":[\"0\",\"1\",\"2\"],\"matrix\":[");
	ws->json = false;
	CHECK(run(ws, "confusion") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "true\\pred");
	CHECK_STR_CONTAINS(cap.out, "   0 = 0 (recall ");
	CHECK_STR_CONTAINS(cap.out, "balanced accuracy");
	CHECK(run(ws, "predict 0") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "  p = ");
	CHECK_STR_CONTAINS(cap.out, "(classes 0..2)");
	double p[DATA_MAX_SIDES];
	int label;
	struct qcq_error e;
	CHECK(cmd_predict_image(ws, 5, p, &label, &e) == QCQ_OK);
	CHECK(label >= 0 && label < 3);
	CHECK_NEAR(p[0] + p[1] + p[2], 1.0, 1e-9);
	/* binary-only models say so */
	CHECK(run(ws, "model qcnn") == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(cap.err, "qcnn is binary only (3 classes asked)");
	CHECK(run(ws, "quanv; model qcq-cnn-chead") == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(cap.err, "qcq-cnn-chead is binary only");
	/* the model keeps its classes when the task changes: using it is refused */
	CHECK(run(ws, "model mlp; classes 3 5") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "the model has 3 outputs, the task 2 classes");
	CHECK(run(ws, "eval") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(cap.err, "the mlp model has 3 classes but the task has 2");
	CHECK(run(ws, "train epochs=1") == QCQ_ESTATE);
	cmd_workspace_destroy(ws);
}

/* A 4-class qcq-cnn trains (its K-class classifier), and a checkpoint keeps its classes
 * and its 4 x 4 test confusion; loading it beside a binary task is refused at use. */
static void test_qcq_cnn_checkpoint(void)
{
	char path[] = "/tmp/qcq-test-mc-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	struct cmd_workspace *ws = capture_ws(&cap);
	CHECK(run(ws, "load synth 200 seed=3; classes 0 1 2 3; split train=40 val=8 test=8; "
		      "quanv; model qcq-cnn conv1=4 conv2=8") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "classifier: depth 2, 2 qubits on tanh inputs, Born "
				    "probabilities of |0>..|3> (x 4) -> Linear(4,4)");
	CHECK(run(ws, "train epochs=1") == QCQ_OK);
	CHECK(ws->history && ws->history->has_test && ws->history->test.nclasses == 4);
	uint64_t conf[4][4], total = 0;
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			total += conf[a][b] = ws->history->test.confusion[a][b];
	CHECK(total == 8);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "save model %s", path);
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(run(ws, "eval") == QCQ_OK);
	char before[256];
	snprintf(before, sizeof before, "%s", cap.out);
	snprintf(cmd, sizeof cmd, "model cnn; load model %s", path);
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(ws->model && nn_model_get_desc(ws->model)->nclasses == 4);
	CHECK(ws->history && ws->history->test.nclasses == 4);
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			CHECK(ws->history->test.confusion[a][b] == conf[a][b]);
	CHECK(run(ws, "eval") == QCQ_OK);
	CHECK(strcmp(cap.out, before) == 0); /* the same numbers */
	CHECK(run(ws, "classes 0 1; quanv; eval") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(cap.err, "the qcq-cnn model has 4 classes but the task has 2");
	cmd_workspace_destroy(ws);
	unlink(path);
}

int main(void)
{
	RUN(test_classes_forms);
	RUN(test_train_eval_three);
	RUN(test_qcq_cnn_checkpoint);
	return check_summary();
}
