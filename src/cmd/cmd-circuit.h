/*
 * cmd/cmd-circuit.h: what the circuit command files (cmd-circuit*.c) share: getting
 * the executor in step with the settings, installing a new circuit in the workspace
 * and labelling basis states. Not for other families.
 */
#ifndef QCQ_CMD_CIRCUIT_H
#define QCQ_CMD_CIRCUIT_H

#include "cmd-internal.h"
#include "qcq/qsim.h"

/* The executor of ws->circuit, rebuilt (same cursor, inputs and weights) when
 * `set noise` changed since it was made. Error when there is no circuit. */
enum qcq_status cmd_circuit_exec(struct cmd_ctx *ctx, struct qs_exec **out);
/*
 * Makes c the workspace circuit with a new executor at cursor (clamped), inputs and
 * weights copied from old (may be NULL; extra entries zero). Takes c; on failure frees
 * c and leaves the workspace as it was. Drops the last histogram.
 */
enum qcq_status cmd_circuit_install(struct cmd_ctx *ctx, struct qs_circuit *c, size_t cursor,
			     const struct qs_exec *old);
/* "01" for index 1 of 2 qubits (qubit 0 rightmost). buf has n + 1 bytes at least. */
void cmd_circuit_bits(size_t index, int n, char *buf);
/* Prints "gate K/N: label" (or "start") and emits the JSON result `kind`. */
void cmd_circuit_report_cursor(struct cmd_ctx *ctx, const char *kind, size_t moved);

#endif
