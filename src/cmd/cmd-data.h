/*
 * cmd/cmd-data.h: what the data command files share (not for other families).
 */
#ifndef QCQ_CMD_DATA_H
#define QCQ_CMD_DATA_H

#include "cmd-internal.h"
#include "qcq/data.h"

/* Makes s the workspace's split (taking it): the old split and the features computed
 * from it go, the image and patch cursors start over, the data pane is redrawn. */
void cmd_data_install_split(struct cmd_workspace *ws, struct data_split *s);

/* When the data set's images were quanvolved (ws->set_features) with the workspace's
 * filter, the split's features are taken from them (no quanvolution) into
 * ws->features; returns whether it did. */
bool cmd_data_features_from_set(struct cmd_workspace *ws);

/* "0 (label 0, 700 images), 1 (label 1, 700 images), ..." for a task of any number of
 * sides; cut with "..." when it does not fit. */
void cmd_data_task_line(const struct data_split *s, char *buf, size_t size);

/* The JSON result of a new split (classes and split make one). */
void cmd_data_split_json(struct cmd_ctx *ctx, const struct data_split *s);

#endif
