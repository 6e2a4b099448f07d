/*
 * cmd/cmd-family-model.c: the model commands, as one array of the command table,
 * and the release of the workspace fields they own.
 */
#include "cmd-internal.h"

const struct cmd_entry *const cmd_family_model[] = {
	NULL,
};

void cmd_model_release(struct cmd_workspace *ws)
{
	(void)ws;
}
