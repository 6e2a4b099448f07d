/*
 * tests/cmd/test_workbench.c: the workbench keeps its promises (issue 13) — settings
 * that reach the model, save-session that replays what ran, help and suggestions,
 * feature maps right after load.
 */
#include "qcq/cmd.h"
#include "qcq/nn.h"
#include "check.h"
#include "cmd/capture.h"
#include "cmd/cmd-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SYNTH "load synth 200; classes 3 5; quanv; "

/* set depth / set observable on an existing qcq-cnn rebuild its classifier, keeping the
 * classical weights (and the angles when only the observable changes), and say so. */
static void test_set_depth_reaches_model(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, SYNTH "set depth 1; model qcq-cnn", "-c", 1, false) == QCQ_OK);
	CHECK(ws->model && nn_model_nparams_quantum(ws->model) == 4);
	size_t n0 = nn_model_nparams(ws->model);
	float *before = malloc(n0 * sizeof *before);
	memcpy(before, nn_model_params(ws->model), n0 * sizeof *before);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set depth 3", "-c", 1, false) == QCQ_OK);
	CHECK(ws->set.depth == 3);
	CHECK(ws->model && nn_model_get_desc(ws->model)->depth == 3);
	CHECK(nn_model_nparams_quantum(ws->model) == 8);
	CHECK_STR_CONTAINS(c.out, "rebuilt the quantum classifier of qcq-cnn: RealAmplitudes(reps 3)");
	CHECK_STR_CONTAINS(c.out, "depth 3 (was 1)");
	/* classical layers before (5494 - 4 of the last dense) and after the classifier */
	const float *p = nn_model_params(ws->model);
	size_t n1 = nn_model_nparams(ws->model);
	CHECK(n1 == n0 + 4);
	CHECK(memcmp(p, before, (n0 - 8) * sizeof *p) == 0);
	CHECK(memcmp(p + n1 - 4, before + n0 - 4, 4 * sizeof *p) == 0);

	before = realloc(before, n1 * sizeof *before);
	memcpy(before, p, n1 * sizeof *before);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set observable zz", "-c", 1, false) == QCQ_OK);
	CHECK(nn_model_get_desc(ws->model)->observable == NN_OBS_ZZ);
	CHECK(memcmp(nn_model_params(ws->model), before, n1 * sizeof *before) == 0);
	CHECK_STR_CONTAINS(c.out, "all 5502 parameters kept");
	CHECK_STR_CONTAINS(c.out, "observable zz (was z0)");

	/* a model without the classifier: the setting is stored and the log says so */
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "model cnn; set depth 2", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "has no RealAmplitudes classifier");
	CHECK(ws->set.depth == 2);
	free(before);
	cmd_workspace_destroy(ws);
}

int main(void)
{
	RUN(test_set_depth_reaches_model);
	return check_summary();
}
