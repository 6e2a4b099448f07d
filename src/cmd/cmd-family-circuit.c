/*
 * cmd/cmd-family-circuit.c: the circuit commands, as one array of the command table,
 * and the release of the workspace fields they own.
 */
#include "cmd-internal.h"

#include "qcq/qsim.h"

#include <stdlib.h>

extern const struct cmd_entry cmd_circuit_template_entry; /* qml engineer's */
extern const struct cmd_entry cmd_circuit_new_entry, cmd_circuit_gate_entry,
	cmd_circuit_load_entry, cmd_circuit_save_entry, cmd_circuit_show_entry;
extern const struct cmd_entry cmd_step_entry, cmd_back_entry, cmd_goto_entry, cmd_reset_entry,
	cmd_run_entry;
extern const struct cmd_entry cmd_state_entry, cmd_expect_entry, cmd_measure_entry;

const struct cmd_entry *const cmd_family_circuit[] = {
	&cmd_circuit_new_entry,
	&cmd_circuit_gate_entry,
	&cmd_circuit_load_entry,
	&cmd_circuit_save_entry,
	&cmd_circuit_show_entry,
	&cmd_circuit_template_entry,
	&cmd_step_entry,
	&cmd_back_entry,
	&cmd_goto_entry,
	&cmd_reset_entry,
	&cmd_run_entry,
	&cmd_state_entry,
	&cmd_expect_entry,
	&cmd_measure_entry,
	NULL,
};

void cmd_circuit_release(struct cmd_workspace *ws)
{
	qs_exec_destroy(ws->exec);
	qs_circuit_destroy(ws->circuit);
	free(ws->counts);
	ws->exec = NULL;
	ws->circuit = NULL;
	ws->counts = NULL;
	ws->counts_shots = 0;
}

void cmd_circuit_noise(const struct cmd_workspace *ws, struct qs_noise *nm)
{
	*nm = (struct qs_noise){.p1 = ws->set.p1, .p2 = ws->set.p2, .gamma = ws->set.gamma,
				.lambda = ws->set.lambda};
}

void cmd_circuit_put(struct cmd_workspace *ws, struct qs_circuit *c, struct qs_exec *e)
{
	qs_exec_destroy(ws->exec);
	qs_circuit_destroy(ws->circuit);
	ws->circuit = c;
	ws->exec = e;
	free(ws->counts); /* a histogram of the old circuit */
	ws->counts = NULL;
	ws->counts_shots = 0;
	ws->dirty |= CMD_DIRTY_CIRCUIT | CMD_DIRTY_STATE;
}
