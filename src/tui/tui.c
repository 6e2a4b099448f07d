/* tui/tui.c: placeholder until the workbench lands (being written now). */
#include "qcq/tui.h"

#include <stdio.h>

int tui_main(struct cmd_workspace *ws, const char *startup)
{
	(void)ws;
	(void)startup;
	fprintf(stderr, "qcqlab: the workbench is not built yet; use -c, -x or standard input\n");
	return 2;
}
