/* front/batch.h: the headless front end (stdout/stderr). */
#ifndef QCQ_FRONT_BATCH_H
#define QCQ_FRONT_BATCH_H

#include "qcq/cmd.h"

/* Output and event sink that print: results to stdout, notes/progress/errors to stderr,
 * JSON lines to stdout. */
void cmd_batch_attach(struct cmd_workspace *ws);

/* Drop results and notes (errors still go to stderr): the other MPI ranks. */
void cmd_batch_quiet(struct cmd_workspace *ws);

#endif
