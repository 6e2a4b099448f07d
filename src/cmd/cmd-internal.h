/*
 * cmd/cmd-internal.h: what the command files share and front ends do not need:
 * the family arrays that make up the table and their release functions.
 *
 * Adding a command: write src/cmd/cmd-<name>.c defining
 *     const struct cmd_entry cmd_<name>_entry = { ... };
 * declare it in the family file of its module (cmd-family-<family>.c) and list it in
 * that family's array. Sub-commands of load/save/show/export are separate entries named
 * "load-X", "save-X", "show-X", "export-X": `load synth 100` runs the entry load-synth
 * with the words after "synth".
 */
#ifndef QCQ_CMD_INTERNAL_H
#define QCQ_CMD_INTERNAL_H

#include "qcq/cmd.h"

/* NULL-terminated arrays, one per family. */
extern const struct cmd_entry *const cmd_family_core[];
extern const struct cmd_entry *const cmd_family_circuit[];
extern const struct cmd_entry *const cmd_family_data[];
extern const struct cmd_entry *const cmd_family_model[];
extern const struct cmd_entry *const cmd_family_experiment[];

/* Each family frees the workspace fields it owns (called by cmd_workspace_destroy). */
void cmd_circuit_release(struct cmd_workspace *ws);
void cmd_data_release(struct cmd_workspace *ws);
void cmd_model_release(struct cmd_workspace *ws);
void cmd_experiment_release(struct cmd_workspace *ws);

/* The studies (cmd-experiment.c, cmd-experiment-ablate.c). */
struct train_exp_spec;
struct train_exp_result;
/* `experiment ablate`, from the options the shared parser read into base. */
enum qcq_status cmd_experiment_ablate(struct cmd_ctx *ctx, const struct train_exp_spec *base);
/* True (with the error set) when another study was given one of ablate's options. */
bool cmd_experiment_ablate_only(struct cmd_ctx *ctx);
/* A finished study's table, its summary line and (--json) its result object. */
void cmd_experiment_report(struct cmd_workspace *ws, const char *study, enum qcq_status st,
			   const struct train_exp_result *res);

extern const struct cmd_entry *const cmd_family_core[];

/* The kinds of a dispatch parent ("synth, mnist, ...") into out. */
void cmd_subcommand_list(const char *parent, char *out, size_t n);
/* A call as text that parses back to the same call (save-session); caller frees. */
char *cmd_call_to_text(const struct cmd_call *call);
/* The call's words (not its name) joined by single spaces, as echo prints them; caller
 * frees. */
char *cmd_join_args(const struct cmd_call *call);

/* Makes (c, e) the workspace's circuit and executor, freeing the old ones and the last
 * histogram, and marks the circuit and state panes dirty. Takes both. */
struct qs_circuit;
struct qs_exec;
void cmd_circuit_put(struct cmd_workspace *ws, struct qs_circuit *c, struct qs_exec *e);
/* The gate noise of the settings (depolarizing and damping; readout is measure's) as
 * the noise model of the circuits that step/run/expect/patch/template build. */
struct qs_noise;
void cmd_circuit_noise(const struct cmd_workspace *ws, struct qs_noise *nm);

/* Whether text output may use UTF-8 block characters: the locale (LC_ALL, LC_CTYPE,
 * LANG) says UTF-8 and the call has no ascii=1 option. */
bool cmd_utf8_text(const struct cmd_call *call);

/* A training recorded as history line at (ws->history_lines[at], when that line is a
 * `train` command) was stopped after epochs completed epochs: the line becomes the
 * same command with epochs=EPOCHS, so that save-session replays what was trained (a
 * comment when trained_any is false: no epoch completed). */
void cmd_history_train_stopped(struct cmd_workspace *ws, size_t at, size_t epochs,
			       bool trained_any);

/* Reports an error outside a command's own return (the runner, a parse error, a job
 * that failed): msg as one ERR line and "usage: U" after it when usage is not NULL;
 * under --json also one object {"error": msg, "usage": U} on the JSON stream, so that
 * every line a script reads from stdout is JSON. */
void cmd_report_error(struct cmd_workspace *ws, const char *msg, const char *usage);

/* Words after the command name, as a view (no copies): argv[1..]. */
static inline int cmd_nargs(const struct cmd_call *call) { return call->argc - 1; }
static inline const char *cmd_arg(const struct cmd_call *call, int i) { return call->argv[i + 1]; }

#endif
