/* tests/train: the trainable filter through the commands -- `model NAME filter=trainable`,
 * `train filter-lr=X`, and that everything showing the filter shows the trained one
 * afterwards: the workspace's filter, `patch` (its circuit), `circuit save` (its QASM),
 * `quanv` (a new cache key), `heatmap`; `save model` / `load model` keep it; and the
 * refusals. */
#include "qcq/cmd.h"
#include "qcq/data.h"
#include "qcq/train.h"
#include "qcq/nn.h"
#include "qcq/qml.h"
#include "qcq/qsim.h"
#include "check.h"
#include "scratch.h"
#include "../cmd/capture.h"

#include <stdlib.h>

static enum qcq_status run(struct cmd_workspace *ws, const char *text)
{
	return cmd_run_text(ws, text, "-c", 1, false);
}

/* the QASM `patch I 3 3` + `circuit save` should write for filter f */
static char *expected_qasm(struct cmd_workspace *ws, const struct qml_filter *f)
{
	const float *img = ws->split->part[0].images; /* split image 0 = train image 0 */
	double x[4] = {img[6 * 28 + 6], img[6 * 28 + 7], img[7 * 28 + 6], img[7 * 28 + 7]};
	struct qs_circuit *c = NULL;
	char *text = NULL;
	struct qcq_error e;
	CHECK(qml_filter_to_circuit(f, x, &c, &e) == QCQ_OK);
	CHECK(qs_qasm_format(c, NULL, NULL, &text, &e) == QCQ_OK);
	qs_circuit_destroy(c);
	return text;
}

static void test_train_a_filter(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	char cmd[1200];
	CHECK(run(ws, "load synth 300; classes 3 5; filter random layers=1 seed=42") == QCQ_OK);
	CHECK(run(ws, "quanv cache=off") == QCQ_OK);
	uint64_t key0 = ws->features->key, hash0 = qml_filter_hash(ws->filter);
	char *qasm0 = expected_qasm(ws, ws->filter);

	capture_reset(&c);
	CHECK(run(ws, "model qccnn filter=trainable depth=1 conv1=4 conv2=8") == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "model qccnn: input (1,28,28)");
	CHECK_STR_CONTAINS(c.out, "trainable filter: 2x2 stride 2, 4 angles (layer 0)");
	CHECK(nn_model_nparams_filter(ws->model) == 4);
	/* the features stay until the filter changes */
	CHECK(ws->features && qml_filter_hash(ws->filter) == hash0);

	capture_reset(&c);
	CHECK(run(ws, "train epochs=2 filter-lr=0.05 keep=last") == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "(images through the trainable filter)");
	CHECK_STR_CONTAINS(c.out, "the workspace's filter is now the trained one");
	CHECK(ws->model && ws->features == NULL);
	CHECK(qml_filter_hash(ws->filter) != hash0);
	struct qml_filter *mf;
	struct qcq_error e;
	CHECK(nn_model_filter(ws->model, &mf, &e) == QCQ_OK);
	CHECK(qml_filter_hash(mf) == qml_filter_hash(ws->filter));
	qml_filter_destroy(mf);
	double th[4];
	qml_filter_angles(ws->filter, th);
	for (int a = 0; a < 4; a++)
		CHECK(th[a] == (double)nn_model_params(ws->model)[a]);

	/* quanv: another cache key; heatmap and patch show the trained filter */
	CHECK(run(ws, "quanv cache=off") == QCQ_OK);
	CHECK(ws->features && ws->features->key != key0);
	CHECK(run(ws, "heatmap 0 0 ascii=1") == QCQ_OK);
	capture_reset(&c);
	snprintf(cmd, sizeof cmd, "patch 0 3 3; circuit save %s", scratch_path("p.qasm"));
	CHECK(run(ws, cmd) == QCQ_OK);
	char *qasm1 = expected_qasm(ws, ws->filter), *saved = NULL;
	size_t n;
	CHECK(qcq_read_file(scratch_path("p.qasm"), 1 << 20, &saved, &n, &e) == QCQ_OK);
	CHECK(saved && qasm1 && strcmp(saved, qasm1) == 0);
	CHECK(qasm0 && qasm1 && strcmp(qasm0, qasm1) != 0);

	/* save + load model: the filter comes back as the trained one */
	uint64_t trained = qml_filter_hash(ws->filter);
	snprintf(cmd, sizeof cmd, "save model %s; filter random layers=1 seed=42; load model %s",
		 scratch_path("m.qcqm"), scratch_path("m.qcqm"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(qml_filter_hash(ws->filter) == trained);
	CHECK(run(ws, "train resume epochs=3") == QCQ_OK);
	CHECK(ws->history && ws->history->n == 3 && ws->history->opts.filter_lr == 0.05);
	free(qasm0), free(qasm1), free(saved);
	cmd_workspace_destroy(ws);
}

static void test_refusals(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(run(ws, "load synth 100; classes 3 5") == QCQ_OK);
	CHECK(run(ws, "model cnn filter=trainable") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "filter=trainable: model cnn has no quanvolution filter");
	CHECK(run(ws, "model qccnn filter=maybe") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "filter: 'maybe' is not fixed or trainable");
	CHECK(ws->filter == NULL); /* a failed command chose no filter */
	CHECK(run(ws, "filter random patch=3") == QCQ_OK);
	CHECK(run(ws, "model qccnn filter=trainable") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "trainable filter 3x3 stride 3 out of range");
	CHECK(run(ws, "model cnn") == QCQ_OK);
	CHECK(run(ws, "train epochs=1 filter-lr=0.1") == QCQ_EINVAL);
	CHECK_STR_CONTAINS(c.err, "filter-lr: model cnn has no trainable filter");
	cmd_workspace_destroy(ws);
	/* without a filter, model picks the demo's, as quanv does */
	ws = capture_ws(&c);
	CHECK(run(ws, "load synth 100; classes 3 5") == QCQ_OK);
	CHECK(ws->filter == NULL);
	capture_reset(&c);
	CHECK(run(ws, "model quanv-mlp filter=trainable") == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "no filter chosen: using `filter pennylane`");
	CHECK(ws->filter != NULL);
	CHECK(run(ws, "train epochs=1 filter-lr=2") != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "filter-lr");
	cmd_workspace_destroy(ws);
}

int main(void)
{
	if (scratch_open("train-cmd-filter"))
		return 1;
	RUN(test_train_a_filter);
	RUN(test_refusals);
	scratch_close();
	return check_summary();
}
