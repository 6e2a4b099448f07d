/*
 * main.c: parse the command line and pick a front end — the workbench (TUI) on a
 * terminal, or the headless batch runner for -c, -x and piped standard input.
 * Exit codes: 0 success, 1 a command failed, 2 bad command-line usage.
 */
#include "front/batch.h"
#include "qcq/cmd.h"
#include "qcq/data.h"
#include "qcq/experiment.h"
#include "qcq/nn.h"
#include "qcq/tui.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the workbench opens on: the built-in digits, the paper's 3-vs-5 task, and their
 * quantum feature maps, so there is something to look at from the first second. */
#define WORKBENCH_STARTUP "load synth 2000; classes 3 5; quanv"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	if (interrupted)
		_exit(130); /* a second Ctrl-C: the user really wants out */
	interrupted = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: qcqlab [--json] [-c 'CMD; CMD...'] [-x FILE.qcq [NAME=VALUE...]]...\n"
		   "       qcqlab            the workbench (on a terminal)\n"
		   "       qcqlab < FILE     commands from standard input\n"
		   "  -c CMDS     run commands (separated by ; or newlines)\n"
		   "  -x FILE     run a session file; NAME=VALUE words after it set ${NAME}\n"
		   "  --json      stdout: one JSON object per line, {\"result\":KIND,...} or, for\n"
		   "              a failure, {\"error\":MESSAGE[,\"usage\":USAGE]}; notes, progress\n"
		   "              and the errors as text go to stderr\n"
		   "  --empty     open the workbench without loading the built-in digits\n"
		   "  --jobs N    parallel experiment runs (as set jobs N)\n"
		   "  -h, --help  this text;  --version  the version\n"
		   "Exit status: 0 ok, 1 a command failed, 2 bad usage. Type 'help' for commands.\n");
}

enum action_kind { ACT_CMDS, ACT_FILE };
struct action {
	enum action_kind kind;
	const char *text;
	int nvars;
	const char **names, **values;
};

static int real_main(int argc, char **argv);

static int run_actions(struct cmd_workspace *ws, struct action *acts, int n)
{
	for (int i = 0; i < n && !ws->quit; i++) {
		enum qcq_status st;
		if (acts[i].kind == ACT_CMDS) {
			st = cmd_run_text(ws, acts[i].text, "-c", 1, false);
		} else {
			struct cmd_vars v = {acts[i].nvars, acts[i].names, acts[i].values};
			st = cmd_run_file(ws, acts[i].text, &v);
		}
		if (st != QCQ_OK)
			return 1;
	}
	return 0;
}

static int run_stdin(struct cmd_workspace *ws)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	char buf[65536];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, stdin)) > 0) {
		if (len + got + 1 > cap) {
			cap = (len + got + 1) * 2;
			text = qcq_xrealloc(text, cap);
		}
		memcpy(text + len, buf, got);
		len += got;
	}
	if (!text)
		return 0;
	text[len] = '\0';
	enum qcq_status st = cmd_run_text(ws, text, "<stdin>", 1, false);
	free(text);
	return st == QCQ_OK ? 0 : 1;
}

/* -x FILE [NAME=VALUE...]: the words after FILE that look like NAME=VALUE */
static int take_vars(struct action *a, int argc, char **argv, int i)
{
	while (i < argc && argv[i][0] != '-' && strchr(argv[i], '=')) {
		char *eq = strchr(argv[i], '=');
		a->names = qcq_xrealloc(a->names, sizeof *a->names * (size_t)(a->nvars + 1));
		a->values = qcq_xrealloc(a->values, sizeof *a->values * (size_t)(a->nvars + 1));
		*eq = '\0';
		a->names[a->nvars] = argv[i];
		a->values[a->nvars] = eq + 1;
		a->nvars++;
		i++;
	}
	return i;
}

int main(int argc, char **argv)
{
	/* Under mpirun the ranks share the runs of an experiment; elsewhere a no-op. */
	train_exp_mpi_init(&argc, &argv);
	int rc = real_main(argc, argv);
	train_exp_mpi_finalize();
	return rc;
}

struct options {
	struct action *acts;
	int nacts;
	bool json, empty;
	long jobs;
};

static void options_free(struct options *o)
{
	for (int i = 0; i < o->nacts; i++) {
		free(o->acts[i].names);
		free(o->acts[i].values);
	}
	free(o->acts);
}

static bool is_arg_taking(const char *a)
{
	return !strcmp(a, "-c") || !strcmp(a, "-x") || !strcmp(a, "--jobs");
}

/* Returns -1 to go on, or the exit code (0 after --help, 2 on bad usage). */
static int parse_options(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof *o);
	o->acts = qcq_xcalloc((size_t)argc + 1, sizeof *o->acts);
	for (int i = 1; i < argc;) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf("qcqlab 0.1.0\n");
			return 0;
		} else if (!strcmp(a, "--json") || !strcmp(a, "--empty")) {
			*(a[2] == 'j' ? &o->json : &o->empty) = true;
			i++;
		} else if (is_arg_taking(a) && i + 1 < argc && !strcmp(a, "--jobs")) {
			char *end;
			o->jobs = strtol(argv[i + 1], &end, 10);
			if (*end || o->jobs < 1 || o->jobs > 64) {
				fprintf(stderr, "qcqlab: --jobs: '%s' is not a count from 1 to 64\n",
					argv[i + 1]);
				return 2;
			}
			i += 2;
		} else if (is_arg_taking(a) && i + 1 < argc) {
			struct action *act = &o->acts[o->nacts++];
			act->kind = a[1] == 'c' ? ACT_CMDS : ACT_FILE;
			act->text = argv[i + 1];
			i += 2;
			if (act->kind == ACT_FILE)
				i = take_vars(act, argc, argv, i);
		} else {
			fprintf(stderr, "qcqlab: %s '%s'\n",
				is_arg_taking(a) ? "missing argument after" : "unknown argument", a);
			usage(stderr);
			return 2;
		}
	}
	return -1;
}

/*
 * The machine's plan of matrix-product implementations, kept in the cache directory:
 * the same seeded run then rounds the same in every process (a resumed study, MPI
 * ranks, tomorrow's session). Without a writable cache the plan is per process, and
 * `summary kernels` says so.
 */
static void attach_gemm_plan(void)
{
	char dir[4096];
	struct qcq_error e;
	if (data_cache_dir(NULL, dir, sizeof dir, &e) == QCQ_OK && qcq_mkdir_p(dir, &e) == QCQ_OK)
		nn_gemm_plan_attach(dir, &e);
}

static int real_main(int argc, char **argv)
{
	struct options o;
	int early = parse_options(argc, argv, &o);
	if (early >= 0) {
		options_free(&o);
		return early;
	}
	struct action *acts = o.acts;
	int nacts = o.nacts;
	bool json = o.json, empty = o.empty;
	long jobs = o.jobs;

	attach_gemm_plan();
	struct cmd_workspace *ws = cmd_workspace_create(NULL);
	cmd_batch_attach(ws);
	if (train_exp_mpi_rank() > 0)
		cmd_batch_quiet(ws); /* rank 0 speaks for the whole run */
	ws->json = json;
	if (jobs)
		ws->set.jobs = (int)jobs;
	ws->interrupt = &interrupted;
	struct sigaction sa = {0};
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);

	int rc;
	if (nacts > 0)
		rc = run_actions(ws, acts, nacts);
	else if (!isatty(STDIN_FILENO))
		rc = run_stdin(ws);
	else
		rc = tui_main(ws, empty ? NULL : WORKBENCH_STARTUP);
	cmd_workspace_destroy(ws);
	options_free(&o);
	return rc;
}
