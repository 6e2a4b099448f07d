/*
 * cmd/workspace.c: creating and destroying the workspace. Each command family frees
 * the fields it owns; the workspace itself owns settings, the pool and the history.
 */
#include "cmd-internal.h"

#include "qcq/nn.h"

#include <stdlib.h>
#include <unistd.h>

static int default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

struct cmd_workspace *cmd_workspace_create(const struct cmd_out *out)
{
	struct cmd_workspace *ws = qcq_xcalloc(1, sizeof *ws);
	if (out)
		ws->out = *out;
	ws->set.threads = default_threads();
	ws->set.jobs = 1;
	ws->set.shots = 0;
	ws->set.depth = NN_DEFAULT_DEPTH;
	ws->set.observable = CMD_OBS_Z0;
	ws->set.seed = 42;
	ws->set.color = getenv("NO_COLOR") == NULL || !getenv("NO_COLOR")[0];
	ws->cur_image = -1;
	ws->cur_patch_row = ws->cur_patch_col = -1;
	ws->pool = qcq_pool_create(ws->set.threads);
	qcq_blas_set_threads(ws->set.threads);
	qcq_rng_seed_domain(&ws->rng, ws->set.seed, "cmd.workspace");
	ws->dirty = CMD_DIRTY_ALL;
	return ws;
}

void cmd_workspace_set_threads(struct cmd_workspace *ws, int n)
{
	if (n < 1)
		n = 1;
	if (ws->pool && qcq_pool_threads(ws->pool) == n) {
		ws->set.threads = n;
		return;
	}
	qcq_pool_destroy(ws->pool);
	ws->pool = qcq_pool_create(n);
	ws->set.threads = n;
	qcq_blas_set_threads(n);
}

void cmd_workspace_destroy(struct cmd_workspace *ws)
{
	if (!ws)
		return;
	if (ws->job) {
		cmd_job_stop(ws);
		cmd_job_wait(ws);
	}
	cmd_experiment_release(ws);
	cmd_model_release(ws);
	cmd_circuit_release(ws);
	cmd_data_release(ws);
	for (size_t i = 0; i < ws->nhistory; i++)
		free(ws->history_lines[i]);
	free(ws->history_lines);
	free(ws->pending);
	cmd_paused_drop(ws);
	qcq_pool_destroy(ws->pool);
	free(ws);
}
