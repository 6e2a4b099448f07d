/*
 * cmd/cmd-family-experiment.c: the experiment commands, as one array of the command table,
 * and the release of the workspace fields they own.
 */
#include "cmd-internal.h"

const struct cmd_entry *const cmd_family_experiment[] = {
	NULL,
};

void cmd_experiment_release(struct cmd_workspace *ws)
{
	(void)ws;
}
