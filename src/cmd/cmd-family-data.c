/*
 * cmd/cmd-family-data.c: the data commands, as one array of the command table,
 * and the release of the workspace fields they own.
 */
#include "cmd-internal.h"

const struct cmd_entry *const cmd_family_data[] = {
	NULL,
};

void cmd_data_release(struct cmd_workspace *ws)
{
	(void)ws;
}
