/*
 * cmd/cmd-family-experiment.c: the experiment commands, as one array of the command table,
 * and the release of the workspace fields they own (none: a study keeps its results on
 * disk, and its job owns its own state).
 */
#include "cmd-internal.h"

extern const struct cmd_entry cmd_experiment_entry;

const struct cmd_entry *const cmd_family_experiment[] = {
	&cmd_experiment_entry,
	NULL,
};

void cmd_experiment_release(struct cmd_workspace *ws)
{
	(void)ws;
}
