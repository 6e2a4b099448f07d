/*
 * cmd/cmd-family-circuit.c: the circuit commands, as one array of the command table,
 * and the release of the workspace fields they own.
 */
#include "cmd-internal.h"

const struct cmd_entry *const cmd_family_circuit[] = {
	NULL,
};

void cmd_circuit_release(struct cmd_workspace *ws)
{
	(void)ws;
}
