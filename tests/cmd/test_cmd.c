/* tests/cmd: the parser, the runner's checks and messages, JSON output, core commands. */
#include "qcq/cmd.h"
#include "check.h"
#include "cmd/capture.h"
#include "cmd/cmd-internal.h"

#include <unistd.h>

static void test_parse_words_quotes_options(void)
{
	struct cmd_list l;
	struct qcq_error e;
	CHECK(cmd_parse("echo 'a b' \"c\\\"d\" e\\ f k=v x='y z' # comment\nset depth 2; quit",
			"t.qcq", 1, NULL, &l, &e) == QCQ_OK);
	CHECK(l.n == 3);
	if (l.n == 3) {
		CHECK(l.calls[0].argc == 4);
		CHECK(strcmp(l.calls[0].argv[1], "a b") == 0);
		CHECK(strcmp(l.calls[0].argv[2], "c\"d") == 0);
		CHECK(strcmp(l.calls[0].argv[3], "e f") == 0);
		CHECK(l.calls[0].nopt == 2);
		CHECK(strcmp(l.calls[0].opts[1].key, "x") == 0);
		CHECK(strcmp(l.calls[0].opts[1].value, "y z") == 0);
		CHECK(l.calls[1].line == 2 && l.calls[2].line == 2);
		CHECK(strcmp(l.calls[2].argv[0], "quit") == 0);
	}
	cmd_list_free(&l);
	/* a quoted NAME=VALUE is a word, not an option */
	CHECK(cmd_parse("echo 'k=v'", "t", 1, NULL, &l, &e) == QCQ_OK);
	CHECK(l.n == 1 && l.calls[0].argc == 2 && l.calls[0].nopt == 0);
	cmd_list_free(&l);
}

static void test_parse_errors_and_vars(void)
{
	struct cmd_list l;
	struct qcq_error e;
	CHECK(cmd_parse("echo ok\necho 'open", "s.qcq", 1, NULL, &l, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "s.qcq:2:6: unterminated single quote");
	CHECK(l.n == 0);
	const char *names[] = {"data"}, *values[] = {"/tmp/d"};
	struct cmd_vars v = {1, names, values};
	CHECK(cmd_parse("load mnist ${data}/mnist \"${data}\"", "s", 1, &v, &l, &e) == QCQ_OK);
	CHECK(l.n == 1 && strcmp(l.calls[0].argv[2], "/tmp/d/mnist") == 0);
	CHECK(l.n == 1 && strcmp(l.calls[0].argv[3], "/tmp/d") == 0);
	cmd_list_free(&l);
	CHECK(cmd_parse("echo ${data:-x} ${epochs:-5} ${empty:-}", "s", 1, &v, &l, &e) == QCQ_OK);
	CHECK(l.n == 1 && l.calls[0].argc == 4);
	CHECK(l.n == 1 && strcmp(l.calls[0].argv[1], "/tmp/d") == 0);
	CHECK(l.n == 1 && l.calls[0].argc == 4 && strcmp(l.calls[0].argv[2], "5") == 0);
	CHECK(l.n == 1 && l.calls[0].argc == 4 && strcmp(l.calls[0].argv[3], "") == 0);
	cmd_list_free(&l);
	CHECK(cmd_parse("echo ${nope}", "s", 1, &v, &l, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "unknown variable ${nope}");
	CHECK(cmd_parse("echo ${unterminated", "s", 1, &v, &l, &e) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(e.msg, "unterminated ${");
}

static void test_runner_messages(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, "frobnicate", "f.qcq", 3, false) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "f.qcq:3: unknown command 'frobnicate'");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "s", "-c", 1, false) != QCQ_OK); /* set, show, source, stop, save */
	CHECK_STR_CONTAINS(c.err, "ambiguous command 's'");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set depth", "-c", 1, false) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "set depth: needs exactly one value");
	CHECK_STR_CONTAINS(c.err, "usage: set ");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "echo a; quit now", "-c", 1, false) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "quit: too many arguments (at most 0): 'now'");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "help bogus=1", "-c", 1, false) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "help: unknown option 'bogus'");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "load", "-c", 1, false) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "load: which kind?");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "show nothing", "-c", 1, false) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "show: unknown kind 'nothing' (one of: settings");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "stop", "-c", 1, false) == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "stop: no job is running");
	cmd_workspace_destroy(ws);
}

static void test_set_validates_before_changing(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	struct cmd_settings before = ws->set;
	const char *bad[] = {
		"set depth 0", "set depth x", "set shots -3", "set threads 0", "set observable y",
		"set noise depolarizing p1=2", "set noise depolarizing", "set noise amplitude p1=0.1",
		"set noise depolarizing p1=0.1 p2=abc", "set bogus 1", "set color maybe",
		"set seed -1", "set jobs 1000", "set depth 2 extra", "set shots 5 p1=3",
		"set noise readout", "set noise readout p01=1.5", "set noise readout p1=0.1",
		"set noise depolarizing p01=0.1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		capture_reset(&c);
		CHECK(cmd_run_text(ws, bad[i], "-c", 1, false) != QCQ_OK);
		CHECK(c.err[0] != '\0');
		CHECK(memcmp(&before, &ws->set, sizeof before) == 0);
	}
	CHECK(cmd_run_text(ws, "set noise depolarizing p1=0.01 p2=0.02; set shots 1024; set depth 3;"
			       "set observable zz; set threads 1",
			   "-c", 1, false) == QCQ_OK);
	CHECK(ws->set.p1 == 0.01 && ws->set.p2 == 0.02 && ws->set.shots == 1024);
	CHECK(ws->set.depth == 3 && ws->set.observable == CMD_OBS_ZZ && ws->set.threads == 1);
	CHECK(cmd_run_text(ws, "set noise readout p01=0.05 p10=0.1", "-c", 1, false) == QCQ_OK);
	CHECK(ws->set.p01 == 0.05 && ws->set.p10 == 0.1 && ws->set.p1 == 0.01);
	CHECK(cmd_run_text(ws, "set noise off; set shots exact", "-c", 1, false) == QCQ_OK);
	CHECK(ws->set.p1 == 0 && ws->set.p2 == 0 && ws->set.shots == 0);
	CHECK(ws->set.p01 == 0 && ws->set.p10 == 0);
	cmd_workspace_destroy(ws);
}

static void test_json_results(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	ws->json = true;
	CHECK(cmd_run_text(ws, "echo \"quote\\\" and \\\\\"; show settings", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.json, "{\"result\":\"echo\",\"text\":\"quote\\\" and \\\\\"}\n");
	CHECK_STR_CONTAINS(c.json, "{\"result\":\"settings\",\"threads\":");
	CHECK(c.out[0] == '\0'); /* no human text in JSON mode */
	cmd_workspace_destroy(ws);
}

/*
 * The blow-up session: each level sources itself with the value of ${v} eight times over,
 * so values multiply by 8 per level (unchecked: 2 GiB and beyond within the 16 levels).
 * Expansions stop at 1 MiB a word and 16 MiB a file, with file:line:col.
 */
static void test_expansion_caps(void)
{
	char dir[] = "/tmp/qcq_cmd_capsXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], cmd[512];
	snprintf(path, sizeof path, "%s/boom.qcq", dir);
	FILE *f = fopen(path, "w");
	fprintf(f, "# grows\necho level\nsource %s v=", path);
	for (int i = 0; i < 8; i++)
		fprintf(f, "${v:-%0100d}", 0);
	fprintf(f, "\n");
	fclose(f);
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	snprintf(cmd, sizeof cmd, "source %s", path);
	CHECK(cmd_run_text(ws, cmd, "<prompt>", 1, true) == QCQ_ERANGE);
	/* 800 B, 6400 B, 51200 B, 409600 B, then the fifth level's word would pass 1 MiB */
	CHECK_STR_CONTAINS(c.err, "boom.qcq:3:");
	CHECK_STR_CONTAINS(c.err, "${v} (409600 bytes) makes a word longer than 1048576 bytes");
	CHECK(ws->source_depth == 0);
	/* many words each under the cap: the file's expansions are capped as a whole */
	struct cmd_list l;
	struct qcq_error e;
	char *big = qcq_xmalloc(((size_t)1 << 20) - 16);
	memset(big, 'x', ((size_t)1 << 20) - 17);
	big[((size_t)1 << 20) - 17] = '\0';
	const char *names[] = {"v"}, *values[] = {big};
	struct cmd_vars vars = {1, names, values};
	char text[40 * 12];
	text[0] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(text, "echo ${v}\n");
	CHECK(cmd_parse(text, "many.qcq", 1, &vars, &l, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "many.qcq:17:6: ${v} (1048559 bytes) makes the expanded file "
			   "longer than 16777216 bytes");
	CHECK(l.n == 0);
	free(big);
	cmd_workspace_destroy(ws);
	remove(path);
	rmdir(dir);
}

static void test_source_and_save_session(void)
{
	char dir[] = "/tmp/qcq_cmd_testXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char f1[256], f2[256], f3[256];
	snprintf(f1, sizeof f1, "%s/a.qcq", dir);
	snprintf(f2, sizeof f2, "%s/bad.qcq", dir);
	snprintf(f3, sizeof f3, "%s/saved.qcq", dir);
	FILE *f = fopen(f1, "w");
	fprintf(f, "# a session\necho hello ${who}\nset depth ${d}\n");
	fclose(f);
	f = fopen(f2, "w");
	fprintf(f, "echo one\n\nset depth 99\necho never\n");
	fclose(f);

	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "source %s who=world d=2", f1);
	CHECK(cmd_run_text(ws, cmd, "<prompt>", 1, true) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "hello world");
	CHECK(ws->set.depth == 2);
	snprintf(cmd, sizeof cmd, "source %s", f2);
	CHECK(cmd_run_text(ws, cmd, "<prompt>", 1, true) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "bad.qcq:3: depth: 99 out of range [1, 8]");
	CHECK(strstr(c.out, "never") == NULL);
	snprintf(cmd, sizeof cmd, "source %s", f1); /* ${who} undefined now */
	capture_reset(&c);
	CHECK(cmd_run_text(ws, cmd, "<prompt>", 1, true) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "a.qcq:2:12: unknown variable ${who}");

	CHECK(cmd_run_text(ws, "echo 'two words'; set shots 128", "<prompt>", 1, true) == QCQ_OK);
	snprintf(cmd, sizeof cmd, "save-session %s", f3);
	CHECK(cmd_run_text(ws, cmd, "<prompt>", 1, true) == QCQ_OK);
	char *text;
	size_t n;
	struct qcq_error e;
	CHECK(qcq_read_file(f3, 1 << 20, &text, &n, &e) == QCQ_OK);
	CHECK_STR_CONTAINS(text, "echo 'two words'\nset shots 128\n");
	CHECK_STR_CONTAINS(text, "who=world");
	free(text);
	/* replay gives the same settings */
	struct capture c2;
	struct cmd_workspace *ws2 = capture_ws(&c2);
	CHECK(cmd_run_file(ws2, f3, NULL) == QCQ_OK);
	CHECK(ws2->set.shots == 128 && ws2->set.depth == 2);
	cmd_workspace_destroy(ws2);
	cmd_workspace_destroy(ws);
	unlink(f1);
	unlink(f2);
	unlink(f3);
	rmdir(dir);
}

static void test_angles(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	struct qcq_error e;
	struct cmd_ctx ctx = {.ws = ws, .err = &e};
	double v;
	CHECK(cmd_parse_angle(&ctx, "theta", "pi/2", &v) == QCQ_OK && fabs(v - M_PI / 2) < 1e-15);
	CHECK(cmd_parse_angle(&ctx, "theta", "-3*pi/4", &v) == QCQ_OK && fabs(v + 3 * M_PI / 4) < 1e-15);
	CHECK(cmd_parse_angle(&ctx, "theta", "2*(pi-0.5)", &v) == QCQ_OK &&
	      fabs(v - 2 * (M_PI - 0.5)) < 1e-15);
	CHECK(cmd_parse_angle(&ctx, "theta", "0.25", &v) == QCQ_OK && v == 0.25);
	CHECK(cmd_parse_angle(&ctx, "theta", "pi*", &v) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "theta: 'pi*' is not an angle (column 4");
	CHECK(cmd_parse_angle(&ctx, "theta", "1/0", &v) == QCQ_EINVAL);
	CHECK(cmd_parse_angle(&ctx, "theta", "(1", &v) == QCQ_EINVAL);
	CHECK(cmd_parse_angle(&ctx, "theta", "pie", &v) == QCQ_EINVAL);
	cmd_workspace_destroy(ws);
}

struct slow_job {
	int steps_done;
	bool finished;
	enum qcq_status final;
};

static enum qcq_status slow_run(void *arg, const struct qcq_sink *ev, const qcq_stop_flag *stop,
				struct qcq_error *err)
{
	struct slow_job *j = arg;
	for (int i = 0; i < 1000; i++) {
		if (*stop)
			return qcq_error_set(err, QCQ_ESTOPPED, "after %d steps", i);
		struct qcq_event e = {.kind = QCQ_EV_BATCH, .step = i, .text = "step"};
		qcq_post(ev, &e);
		j->steps_done = i + 1;
		usleep(1000);
	}
	return QCQ_OK;
}

static void slow_finish(struct cmd_workspace *ws, void *arg, enum qcq_status st,
			const struct qcq_error *err)
{
	struct slow_job *j = arg;
	j->finished = true;
	j->final = st;
}

static int events_seen;
static void count_events(void *ctx, const struct qcq_event *ev)
{
	events_seen++;
}

static void test_job_stop(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	ws->interactive = true;
	ws->ui.post = count_events;
	struct qcq_error e;
	struct cmd_ctx ctx = {.ws = ws, .err = &e};
	struct slow_job j = {0};
	CHECK(cmd_job_start(&ctx, "slow", slow_run, slow_finish, &j) == QCQ_OK);
	CHECK(cmd_job_running(ws));
	CHECK(cmd_job_start(&ctx, "again", slow_run, slow_finish, &j) == QCQ_ESTATE);
	/* a command that is not job-safe is refused while the job runs */
	CHECK(cmd_run_text(ws, "set depth 2", "<prompt>", 1, false) == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "not while slow is running");
	usleep(20000);
	CHECK(cmd_run_text(ws, "stop", "<prompt>", 1, false) == QCQ_OK);
	CHECK(cmd_job_wait(ws) == QCQ_ESTOPPED);
	CHECK(j.finished && j.final == QCQ_ESTOPPED && j.steps_done < 1000);
	CHECK(events_seen == j.steps_done);
	CHECK_STR_CONTAINS(c.out, "slow stopped: after");
	CHECK(!cmd_job_running(ws));
	cmd_workspace_destroy(ws);
}

/* A job that posts 100000 BATCH events and a LOG line every 10000, faster than anyone
 * drains them. */
struct flood_job {
	_Atomic int posted;
};

static enum qcq_status flood_run(void *arg, const struct qcq_sink *ev, const qcq_stop_flag *stop,
				 struct qcq_error *err)
{
	struct flood_job *j = arg;
	for (int i = 0; i < 100000; i++) {
		struct qcq_event e = {.kind = QCQ_EV_BATCH, .step = i, .text = "step"};
		qcq_post(ev, &e);
		if (i % 10000 == 9999) {
			struct qcq_event l = {.kind = QCQ_EV_LOG, .step = i, .text = "ten thousand"};
			qcq_post(ev, &l);
		}
	}
	j->posted = 1;
	return QCQ_OK;
}

static int flood_batches, flood_logs, flood_last_log;
static bool flood_in_order = true;
static void flood_count(void *ctx, const struct qcq_event *ev)
{
	if (ev->kind == QCQ_EV_BATCH) {
		flood_batches++;
	} else if (ev->kind == QCQ_EV_LOG) {
		flood_in_order &= ev->step > flood_last_log;
		flood_last_log = ev->step;
		flood_logs++;
	}
}

/* The queue stays bounded: old BATCH events go, log lines all arrive in order. */
static void test_job_queue_bounded(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	ws->ui = (struct qcq_sink){flood_count, NULL};
	struct qcq_error e;
	struct cmd_ctx ctx = {.ws = ws, .err = &e};
	struct flood_job j = {0};
	CHECK(cmd_job_start(&ctx, "flood", flood_run, NULL, &j) == QCQ_OK);
	while (!j.posted)
		usleep(1000);
	CHECK(cmd_job_wait(ws) == QCQ_OK);
	CHECK(flood_logs == 10 && flood_in_order);
	CHECK(flood_batches >= 1 && flood_batches <= 1024);
	printf("  %d of 100000 batch events delivered, 10 of 10 log lines\n", flood_batches);
	cmd_workspace_destroy(ws);
}

static void test_call_to_text_roundtrip(void)
{
	const char *src = "echo 'it''s' \"a;b\" plain k='x y' n=3 '#hash'";
	struct cmd_list l, l2;
	struct qcq_error e;
	CHECK(cmd_parse(src, "t", 1, NULL, &l, &e) == QCQ_OK);
	char *text = cmd_call_to_text(&l.calls[0]);
	CHECK(cmd_parse(text, "t", 1, NULL, &l2, &e) == QCQ_OK);
	CHECK(l2.n == 1 && l2.calls[0].argc == l.calls[0].argc && l2.calls[0].nopt == l.calls[0].nopt);
	for (int i = 0; l2.n == 1 && i < l.calls[0].argc; i++)
		CHECK(strcmp(l.calls[0].argv[i], l2.calls[0].argv[i]) == 0);
	for (int i = 0; l2.n == 1 && i < l.calls[0].nopt; i++)
		CHECK(strcmp(l.calls[0].opts[i].value, l2.calls[0].opts[i].value) == 0);
	free(text);
	cmd_list_free(&l);
	cmd_list_free(&l2);
}

/* At the workbench, what follows a job-starting command on the same line waits for it. */
static void test_pending_after_job(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	ws->interactive = true;
	CHECK(cmd_run_text(ws, "load synth 200; classes 3 5; model cnn; train epochs=200 batch=1;"
			       "echo 'after training'",
			   "<prompt>", 1, true) == QCQ_OK);
	CHECK(cmd_take_pending(ws) == NULL || !cmd_job_running(ws)); /* not while it runs */
	CHECK(ws->pending != NULL);
	if (ws->pending)
		CHECK(strcmp(ws->pending, "echo 'after training'\n") == 0);
	CHECK(strstr(c.out, "after training") == NULL);
	cmd_job_stop(ws);
	cmd_job_wait(ws);
	char *rest = cmd_take_pending(ws);
	CHECK(rest != NULL && ws->pending == NULL);
	if (rest)
		CHECK(cmd_run_text(ws, rest, "<prompt>", 1, true) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "after training");
	free(rest);
	/* in a script (batch), the same line runs straight through */
	ws->interactive = false;
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "train epochs=1 batch=1; echo done", "-c", 1, false) == QCQ_OK);
	CHECK(ws->pending == NULL);
	CHECK_STR_CONTAINS(c.out, "done");
	cmd_workspace_destroy(ws);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* pause at the workbench: a session file stops after `pause`; what remains of it, of the
 * file that sourced it and of the prompt line waits in order, with file:line, until
 * cmd_resume; a second pause pauses again; stop drops the rest; batch never waits. */
static void test_pause_resume_stop(void)
{
	char dir[] = "/tmp/qcq_pause_testXXXXXX", inner[128], outer[128], line[512];
	if (!mkdtemp(dir))
		return;
	snprintf(inner, sizeof inner, "%s/inner.qcq", dir);
	snprintf(outer, sizeof outer, "%s/outer.qcq", dir);
	write_file(inner, "echo i1\npause look at this\necho i2\npause\nbogus-command\n");
	snprintf(line, sizeof line, "echo o1\nsource %s\necho o2\n", inner);
	write_file(outer, line);

	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	ws->interactive = ws->workbench = true;
	snprintf(line, sizeof line, "source %s; echo after", outer);
	CHECK(cmd_run_text(ws, line, "<prompt>", 1, true) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "o1\ni1\nlook at this\n");
	CHECK(strstr(c.out, "i2") == NULL && strstr(c.out, "after") == NULL);
	CHECK_STR_CONTAINS(c.out, "-- paused before inner.qcq:3 (5 commands left): Enter goes on");
	CHECK(cmd_paused_count(ws) == 5); /* echo i2, pause, bogus, echo o2, echo after */

	capture_reset(&c);
	CHECK(cmd_resume(ws) == QCQ_OK); /* up to the second pause */
	CHECK_STR_CONTAINS(c.out, "i2\n-- paused before inner.qcq:5 (3 commands left)");
	CHECK(strstr(c.out, "o2") == NULL);
	capture_reset(&c);
	CHECK(cmd_resume(ws) == QCQ_EINVAL); /* the bad command stops it, with its file:line */
	CHECK_STR_CONTAINS(c.err, "inner.qcq:5: ");
	CHECK(strstr(c.out, "o2") == NULL && cmd_paused_count(ws) == 0);
	CHECK(cmd_resume(ws) == QCQ_ESTATE); /* nothing waits */

	/* stop ends a paused session; the prompt line's rest goes with it */
	CHECK(cmd_run_text(ws, line, "<prompt>", 1, true) == QCQ_OK && cmd_paused_count(ws) == 5);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "stop", "<prompt>", 1, true) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "ended the paused session: 5 commands not run");
	CHECK(cmd_paused_count(ws) == 0);
	CHECK(cmd_run_text(ws, "stop", "<prompt>", 1, true) == QCQ_ESTATE);

	/* typed at the prompt, pause only says what it is for */
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "pause; echo x", "<prompt>", 1, true) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "pause: only a session file pauses (source FILE, tour)\nx\n");

	/* batch: straight through, the pause text not shown */
	ws->interactive = ws->workbench = false;
	capture_reset(&c);
	CHECK(cmd_run_file(ws, outer, NULL) == QCQ_EINVAL); /* up to the bogus command */
	CHECK_STR_CONTAINS(c.out, "o1\ni1\ni2\n");
	CHECK(strstr(c.out, "look at this") == NULL && strstr(c.out, "paused") == NULL);
	CHECK(cmd_paused_count(ws) == 0);
	cmd_workspace_destroy(ws);
	unlink(inner);
	unlink(outer);
	rmdir(dir);
}

/* measure with readout error: |0> with p01 = 1 always reads 1; 0.25 reads 1 a quarter
 * of the time (5 sigma bound) */
static void test_measure_readout(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, "circuit new 1; set noise readout p01=1; measure 1000", "-c", 1,
			   false) == QCQ_OK);
	CHECK(ws->counts && ws->counts[0] == 0 && ws->counts[1] == 1000);
	CHECK(cmd_run_text(ws, "set noise readout p01=0.25 p10=0; measure 10000", "-c", 1,
			   false) == QCQ_OK);
	CHECK(ws->counts != NULL);
	if (ws->counts)
		CHECK_NEAR(ws->counts[1], 2500, 5 * sqrt(10000 * 0.25 * 0.75));
	CHECK(cmd_run_text(ws, "set noise off; measure 1000", "-c", 1, false) == QCQ_OK);
	CHECK(ws->counts && ws->counts[0] == 1000);
	cmd_workspace_destroy(ws);
}

/* What the long echo printed: its length and ends. */
struct long_line {
	size_t len;
	char head[8], tail;
};

static void long_line_write(void *ctx, enum cmd_stream st, const char *text)
{
	struct long_line *l = ctx;
	if (st != CMD_STREAM_OUT)
		return;
	l->len = strlen(text);
	snprintf(l->head, sizeof l->head, "%s", text);
	l->tail = l->len ? text[l->len - 1] : 0;
}

/* echo of two million words: joined in one pass (strcat per word took 16 s for a
 * million, so this test would run into meson's timeout). */
static void test_echo_many_words(void)
{
	size_t nw = 2000000;
	char *text = qcq_xmalloc(5 + 2 * nw + 1);
	memcpy(text, "echo ", 5);
	for (size_t i = 0; i < nw; i++) {
		text[5 + 2 * i] = (char)('a' + i % 26);
		text[6 + 2 * i] = ' ';
	}
	text[5 + 2 * nw - 1] = '\0';
	struct long_line l = {0};
	struct cmd_out out = {long_line_write, &l};
	struct cmd_workspace *ws = cmd_workspace_create(&out);
	CHECK(cmd_run_text(ws, text, "-c", 1, false) == QCQ_OK);
	CHECK(l.len == 2 * nw - 1); /* the words and single spaces */
	CHECK(strcmp(l.head, "a b c d") == 0);
	CHECK(l.tail == (char)('a' + (nw - 1) % 26));
	free(text);
	cmd_workspace_destroy(ws);
}

/* A session file's bytes reach the terminal through error messages only escaped. */
static void test_control_bytes_escaped(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, "\033[2Jfrob\007", "evil.qcq", 1, false) != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "unknown command '\\x1b[2Jfrob\\x07'");
	CHECK(strchr(c.err, '\033') == NULL && strchr(c.err, '\007') == NULL);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set depth \0332", "evil.qcq", 1, false) != QCQ_OK);
	CHECK(strchr(c.err, '\033') == NULL);
	CHECK_STR_CONTAINS(c.err, "\\x1b2");
	cmd_workspace_destroy(ws);
}

int main(void)
{
	RUN(test_parse_words_quotes_options);
	RUN(test_parse_errors_and_vars);
	RUN(test_runner_messages);
	RUN(test_set_validates_before_changing);
	RUN(test_json_results);
	RUN(test_source_and_save_session);
	RUN(test_expansion_caps);
	RUN(test_echo_many_words);
	RUN(test_control_bytes_escaped);
	RUN(test_angles);
	RUN(test_job_stop);
	RUN(test_job_queue_bounded);
	RUN(test_call_to_text_roundtrip);
	RUN(test_pending_after_job);
	RUN(test_measure_readout);
	RUN(test_pause_resume_stop);
	return check_summary();
}
