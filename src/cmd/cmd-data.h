/*
 * cmd/cmd-data.h: what the data command files share (not for other families).
 */
#ifndef QCQ_CMD_DATA_H
#define QCQ_CMD_DATA_H

#include "cmd-internal.h"
#include "qcq/data.h"

/* The JSON result of a new split (classes and split make one). */
void cmd_data_split_json(struct cmd_ctx *ctx, const struct data_split *s);

#endif
