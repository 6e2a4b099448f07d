/*
 * cmd: the command language, the command table and the workspace.
 *
 * Everything a person can do is a command. The same parser feeds the TUI prompt,
 * session files (`source FILE`, `qcqlab -x FILE`) and `qcqlab -c '...'`; one runner
 * executes a parsed command against the workspace and is the one place where errors
 * are reported (STYLE 12).
 *
 * Commands use only the public headers of the library modules, never draw, report
 * through cmd_print / cmd_error / cmd_json_*, and mark what the TUI must redraw in
 * ws->dirty. A command validates everything before it changes the workspace: a bad
 * command or argument leaves the workspace exactly as it was.
 *
 * Language: commands are separated by newlines or ';'. Words are separated by blanks;
 * '...' quotes literally, "..." quotes with \" \\ \$ escapes, # starts a comment
 * outside quotes. ${NAME} expands a variable of the enclosing `source` (in unquoted
 * and double-quoted text); ${NAME:-DEFAULT} gives DEFAULT when NAME was not passed. A word NAME=VALUE whose NAME is [A-Za-z_][A-Za-z0-9_-]*
 * (unquoted) is an option; every other word is a positional argument.
 */
#ifndef QCQ_CMD_H
#define QCQ_CMD_H

#include "qcq/core.h"

#include <signal.h>
#include <stdarg.h>

struct cmd_workspace;
struct cmd_ctx;

/* ---------------------------------------------------------------- parsing */

struct cmd_word_opt {
	char *key;
	char *value;
};

/* One parsed command: positional words (argv[0] is the command name) and options. */
struct cmd_call {
	int argc;
	char **argv;
	int nopt;
	struct cmd_word_opt *opts;
	const char *file; /* where it came from ("-c", "<stdin>", "<prompt>", a path) */
	int line;         /* 1-based */
};

struct cmd_list {
	struct cmd_call *calls;
	size_t n;
};

/* Variables for ${NAME} expansion (the NAME=VALUE arguments of `source`). */
struct cmd_vars {
	int n;
	const char *const *names;
	const char *const *values;
};

/*
 * Parse text into a command list. file names the origin in messages; first_line is
 * the line number of the first line of text. An unknown ${NAME} is an error, as is
 * an unterminated quote. On error the list is empty and err says file:line:col.
 */
enum qcq_status cmd_parse(const char *text, const char *file, int first_line,
			  const struct cmd_vars *vars, struct cmd_list *out, struct qcq_error *err);
void cmd_list_free(struct cmd_list *l);

/* ---------------------------------------------------------------- the table */

enum cmd_flags {
	CMD_F_JOB_SAFE = 1 << 0, /* may run while a background job (training) runs */
	CMD_F_NO_RECORD = 1 << 1, /* not recorded by save-session (help, quit, stop, pause,
				   * save-session: what does not redo the session's work) */
	CMD_F_ANY_OPTIONS = 1 << 2, /* options are not checked against the list (source) */
	CMD_F_PARENT = 1 << 3,    /* load, save, show, export, circuit: the entries named
				   * "PARENT-KIND" are its kinds (`load synth` runs load-synth) */
	CMD_F_NOT_KIND = 1 << 4,  /* a command of its own whose name only starts like a kind
				   * (save-session is not `save session`) */
};

struct cmd_entry {
	const char *name;
	const char *alias;         /* NULL or a short alias */
	int min_args, max_args;    /* positional words after the name; max -1 = any */
	const char *const *options; /* NULL-terminated allowed option keys; NULL = none */
	const char *usage;         /* "circuit gate NAME QUBITS... [ANGLES...]" */
	const char *help;          /* a few sentences; first line is the summary */
	unsigned flags;
	enum qcq_status (*exec)(struct cmd_ctx *ctx, const struct cmd_call *call);
};

/*
 * The table is a list of family arrays (NULL-terminated arrays of entry pointers),
 * one per module family, each defined in its own file: cmd-family-*.c.
 * Lookup: exact name, then alias, then unique prefix of a name.
 */
const struct cmd_entry *cmd_find(const char *name, struct qcq_error *err);
/* The kinds of `set noise` in order (depolarizing, damping, readout, off): the i-th
 * kind's name, with its two option keys in opt (NULL for off); NULL past the last. For
 * completion. */
const char *cmd_noise_kind(size_t i, const char *opt[2]);
/* Iterate over every entry: i = 0, 1, ... until NULL. */
const struct cmd_entry *cmd_entry_at(size_t i);
/* The one dispatch table: the parent entry (CMD_F_PARENT) whose kind e is ("load" for
 * load-synth), or NULL when e is a command of its own. */
const struct cmd_entry *cmd_kind_parent(const struct cmd_entry *e);
/* The entry of kind `kind` of parent ("load", "synth" -> load-synth), or NULL. */
const struct cmd_entry *cmd_find_kind(const struct cmd_entry *parent, const char *kind);

/* ---------------------------------------------------------------- settings */

enum cmd_observable { CMD_OBS_Z0 = 0, CMD_OBS_ZZ = 1 };

struct cmd_settings {
	int threads;       /* all of the program's threads, OpenBLAS included */
	int jobs;          /* parallel experiment runs */
	long shots;        /* 0 = exact expectations */
	double p1, p2;     /* depolarizing after 1- and 2-qubit gates; 0 = off */
	/* amplitude and phase damping after every gate on each of its qubits; 0 = off.
	 * Circuits only: the quantum classifier (model, train) refuses them. */
	double gamma, lambda;
	double p01, p10;   /* readout error of `measure`: 0 read as 1, 1 read as 0 */
	int depth;         /* RealAmplitudes reps of the classifier (1..8) */
	enum cmd_observable observable;
	uint64_t seed;     /* default seed for commands that take seed= */
	bool color;        /* TUI colours (NO_COLOR clears it) */
};

/* ---------------------------------------------------------------- output */

enum cmd_stream {
	CMD_STREAM_OUT,  /* human text: results */
	CMD_STREAM_INFO, /* human text: progress, notes (stderr in batch mode) */
	CMD_STREAM_ERR,  /* errors */
	CMD_STREAM_JSON, /* one JSON object per line (--json) */
};

/* The front end's output: text is one or more whole lines without the final newline. */
struct cmd_out {
	void (*write)(void *ctx, enum cmd_stream s, const char *text);
	void *ctx;
};

/* What the TUI must redraw after a command or a job event. */
enum cmd_dirty {
	CMD_DIRTY_DATA = 1 << 0,
	CMD_DIRTY_CIRCUIT = 1 << 1,
	CMD_DIRTY_STATE = 1 << 2,
	CMD_DIRTY_CURVES = 1 << 3,
	CMD_DIRTY_LOG = 1 << 4,
	CMD_DIRTY_ALL = 0xff,
};

/* A pane `view` asks the workbench to show (read and reset by the TUI). */
enum cmd_view {
	CMD_VIEW_NONE = 0,
	CMD_VIEW_DATA,
	CMD_VIEW_CIRCUIT,
	CMD_VIEW_STATE,
	CMD_VIEW_CURVES,
	CMD_VIEW_LOG,
	CMD_VIEW_COUNT
};

/* ---------------------------------------------------------------- workspace */

struct qs_circuit;
struct qs_exec;
struct qml_filter;
struct data_set;
struct data_split;
struct data_features;
struct nn_model;
struct train_history;
struct cmd_job;

/*
 * Everything the session holds. Each family of commands owns its fields (and frees
 * them in its release function, see cmd-family-*.c); the TUI reads them to draw.
 */
struct cmd_workspace {
	struct cmd_settings set;

	/* circuit family (cmd-circuit*.c): the circuit and the executor with its cursor */
	struct qs_circuit *circuit;
	struct qs_exec *exec;
	double *counts;        /* histogram of the last `measure`, 2^n entries, or NULL */
	long counts_shots;

	/* data family (cmd-data*.c) */
	struct data_set *data;       /* as loaded */
	struct data_split *split;    /* after classes + split (train/val/test) */
	struct qml_filter *filter;   /* the quanvolution filter */
	struct data_features *features; /* quanvolved split, or NULL */
	/* quanvolved before a task was chosen: every image of ws->data in part 0, key = the
	 * hash of the filter that made them; a split made later takes its features from
	 * here (cmd-quanv.c), or NULL */
	struct data_features *set_features;
	/* image shown in the data pane, -1 = none: an index into the split's images
	 * (train, then val, then test) once a split exists, else into the data set */
	long cur_image;
	int cur_patch_row, cur_patch_col; /* the patch loaded by `patch`, -1 = none */

	/* model family (cmd-model*.c, cmd-train*.c) */
	struct nn_model *model;
	struct train_history *history; /* curves of the last or running training */

	/* the one background job (training, an experiment), or NULL */
	struct cmd_job *job;

	/* front end */
	struct cmd_out out;
	struct qcq_sink ui;   /* job events are delivered here on the main thread */
	bool json;            /* --json: results as JSON lines */
	bool interactive;     /* the TUI: jobs run in the background */
	bool workbench;       /* a person is at the TUI (`pause` waits for them); unlike
			       * interactive, also true while the TUI runs a session file */
	unsigned dirty;       /* enum cmd_dirty bits, cleared by the TUI after drawing */
	enum cmd_view view;   /* set by `view` at the workbench; the TUI shows it and resets */
	bool quit;            /* set by `quit` */
	/* set by the front end's SIGINT handler (STYLE 20); a running job is stopped and a
	 * script stops before its next command */
	volatile sig_atomic_t *interrupt;

	struct qcq_pool *pool; /* settings.threads workers */
	struct qcq_rng rng;

	/* At the workbench, the rest of a prompt line whose command started a job
	 * ("train epochs=50; eval test"): it runs when the job ends (cmd_take_pending),
	 * so the prompt stays free meanwhile. NULL when there is none. */
	char *pending;

	/* At the workbench, a session file that reached `pause`: the commands after it (of
	 * that file, of the files that sourced it, and of the prompt line), each with its
	 * file:line, waiting for cmd_resume (Enter) or `stop`. NULL when nothing waits.
	 * pause_requested is set by `pause` while the runners unwind. */
	struct cmd_paused *paused;
	bool pause_requested;

	/* commands run at the top level, for save-session */
	char **history_lines;
	size_t nhistory;
	int source_depth;      /* nesting of `source`, to refuse runaway recursion */
};

struct cmd_workspace *cmd_workspace_create(const struct cmd_out *out);
void cmd_workspace_destroy(struct cmd_workspace *ws);
/* Applies settings.threads to the pool and OpenBLAS. */
void cmd_workspace_set_threads(struct cmd_workspace *ws, int n);

/* ---------------------------------------------------------------- running */

/*
 * Parse and run text. Errors are reported through ws->out as "file:line: message"
 * followed by the usage of the command. Stops at the first failing command and
 * returns its status. If record is true, successful top-level commands are kept for
 * save-session.
 */
enum qcq_status cmd_run_text(struct cmd_workspace *ws, const char *text, const char *file,
			     int first_line, bool record);
/* The text left to run after a job (see ws->pending), or NULL; the caller frees it. */
char *cmd_take_pending(struct cmd_workspace *ws);
/* Commands of a paused session waiting (see ws->paused); 0 when none. */
size_t cmd_paused_count(const struct cmd_workspace *ws);
/* Runs the commands a `pause` left waiting, as a session file runs (jobs are waited
 * for; a later `pause` pauses again). QCQ_ESTATE when nothing waits or a job runs. */
enum qcq_status cmd_resume(struct cmd_workspace *ws);
/* Drops them; returns how many there were. */
size_t cmd_paused_drop(struct cmd_workspace *ws);
/* Run one parsed command (the runner: lookup, argument check, exec, error report). */
enum qcq_status cmd_run_call(struct cmd_workspace *ws, const struct cmd_call *call, bool record);
/* The model's class probabilities for image k of the split (numbered as `show image`:
 * train, then val, then test) and its label, as `predict k` computes them, without
 * printing: for front ends. probs gets one per class of the task (the split's nsides,
 * at most DATA_MAX_SIDES). QCQ_ESTATE without a model or split, when the model's classes
 * differ from the task's, or while a job runs. */
enum qcq_status cmd_predict_image(struct cmd_workspace *ws, long k, double *probs, int *label,
				  struct qcq_error *err);
/* Run a session file (what `source` and `-x` do). */
enum qcq_status cmd_run_file(struct cmd_workspace *ws, const char *path, const struct cmd_vars *vars);

/* ---------------------------------------------------------------- inside a command */

struct cmd_ctx {
	struct cmd_workspace *ws;
	const struct cmd_call *call;
	const struct cmd_entry *entry;
	struct qcq_error *err;
	/* JSON result being built (cmd_json_*) */
	char *json;
	size_t json_len, json_cap;
	int json_depth;
	bool json_need_comma;
};

void cmd_print(struct cmd_ctx *ctx, const char *fmt, ...) QCQ_PRINTF(2, 3);  /* human result */
void cmd_info(struct cmd_ctx *ctx, const char *fmt, ...) QCQ_PRINTF(2, 3);   /* human note */
/* Sets ctx->err and returns its code: `return cmd_error(ctx, QCQ_EINVAL, "...")`. */
enum qcq_status cmd_error(struct cmd_ctx *ctx, enum qcq_status code, const char *fmt, ...)
	QCQ_PRINTF(3, 4);

/*
 * JSON results (no-ops unless ws->json). A command that produces a result calls
 * cmd_json_begin(ctx, "kind") ... cmd_json_end(ctx) once; the line printed is
 * {"result":"kind", ...}. Nested: cmd_json_obj_begin / cmd_json_arr_begin + _end.
 * Non-finite numbers are written as null.
 */
void cmd_json_begin(struct cmd_ctx *ctx, const char *kind);
void cmd_json_end(struct cmd_ctx *ctx);
void cmd_json_str(struct cmd_ctx *ctx, const char *key, const char *val);
void cmd_json_num(struct cmd_ctx *ctx, const char *key, double val);
void cmd_json_int(struct cmd_ctx *ctx, const char *key, long long val);
void cmd_json_bool(struct cmd_ctx *ctx, const char *key, bool val);
void cmd_json_nums(struct cmd_ctx *ctx, const char *key, const double *v, size_t n);
void cmd_json_obj_begin(struct cmd_ctx *ctx, const char *key); /* key NULL inside arrays */
void cmd_json_obj_end(struct cmd_ctx *ctx);
void cmd_json_arr_begin(struct cmd_ctx *ctx, const char *key);
void cmd_json_arr_end(struct cmd_ctx *ctx);

/* ---------------------------------------------------------------- argument helpers */

/* The value of option key, or NULL when absent. */
const char *cmd_opt(const struct cmd_call *call, const char *key);
/*
 * Typed options and words with range checks; on failure they set ctx->err with the
 * option's name and the offending text ("epochs: 'ten' is not an integer",
 * "lr: 5 out of range (0, 1]") and return non-zero. Absent options give the default.
 */
enum qcq_status cmd_opt_long(struct cmd_ctx *ctx, const char *key, long lo, long hi, long def,
			     long *out);
enum qcq_status cmd_opt_double(struct cmd_ctx *ctx, const char *key, double lo, double hi,
			       double def, double *out);
enum qcq_status cmd_parse_long(struct cmd_ctx *ctx, const char *what, const char *text, long lo,
			       long hi, long *out);
enum qcq_status cmd_parse_double(struct cmd_ctx *ctx, const char *what, const char *text,
				 double lo, double hi, double *out);
/* Angle expressions: numbers, pi, + - * / and parentheses ("pi/2", "-3*pi/4", "0.5"). */
enum qcq_status cmd_parse_angle(struct cmd_ctx *ctx, const char *what, const char *text,
				double *out);

/* ---------------------------------------------------------------- background jobs */

/*
 * A long job runs on a worker thread and posts events; they are queued and delivered
 * to ws->ui on the main thread by cmd_job_poll. stop is set by `stop` or Ctrl-C and
 * the job checks it between steps. When the job ends, finish(ws, arg, status, err) runs
 * on the main thread (to put results into the workspace) and must free arg.
 * Batch front ends call cmd_job_wait after every command, so scripts stay sequential.
 */
typedef enum qcq_status (*cmd_job_run_fn)(void *arg, const struct qcq_sink *events,
					  const qcq_stop_flag *stop, struct qcq_error *err);
typedef void (*cmd_job_finish_fn)(struct cmd_workspace *ws, void *arg, enum qcq_status st,
				  const struct qcq_error *err);

enum qcq_status cmd_job_start(struct cmd_ctx *ctx, const char *name, cmd_job_run_fn run,
			      cmd_job_finish_fn finish, void *arg);
bool cmd_job_running(const struct cmd_workspace *ws);
const char *cmd_job_name(const struct cmd_workspace *ws);
void cmd_job_stop(struct cmd_workspace *ws); /* async-signal-safe */
/* Deliver queued events; if the job has ended, join it and run finish. Returns true if
 * a job is still running. */
bool cmd_job_poll(struct cmd_workspace *ws);
/* Block until the job ends (delivering events); returns its status. */
enum qcq_status cmd_job_wait(struct cmd_workspace *ws);

#endif
