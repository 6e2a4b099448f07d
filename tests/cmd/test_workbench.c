/*
 * tests/cmd/test_workbench.c: the workbench keeps its promises (issue 13) — settings
 * that reach the model, save-session that replays what ran, help and suggestions,
 * feature maps right after load.
 */
#include "qcq/cmd.h"
#include "qcq/nn.h"
#include "qcq/train.h"
#include "qcq/data.h"
#include "qcq/report.h"

#include <png.h>
#include "check.h"
#include "cmd/capture.h"
#include "cmd/cmd-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SYNTH "load synth 200; classes 3 5; quanv; "

/* set depth / set observable on an existing qcq-cnn rebuild its classifier, keeping the
 * classical weights (and the angles when only the observable changes), and say so. */
static void test_set_depth_reaches_model(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, SYNTH "set depth 1; model qcq-cnn", "-c", 1, false) == QCQ_OK);
	CHECK(ws->model && nn_model_nparams_quantum(ws->model) == 4);
	size_t n0 = nn_model_nparams(ws->model);
	float *before = malloc(n0 * sizeof *before);
	memcpy(before, nn_model_params(ws->model), n0 * sizeof *before);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set depth 3", "-c", 1, false) == QCQ_OK);
	CHECK(ws->set.depth == 3);
	CHECK(ws->model && nn_model_get_desc(ws->model)->depth == 3);
	CHECK(nn_model_nparams_quantum(ws->model) == 8);
	CHECK_STR_CONTAINS(c.out, "rebuilt the quantum classifier of qcq-cnn: RealAmplitudes(reps 3)");
	CHECK_STR_CONTAINS(c.out, "depth 3 (was 1)");
	/* classical layers before (5494 - 4 of the last dense) and after the classifier */
	const float *p = nn_model_params(ws->model);
	size_t n1 = nn_model_nparams(ws->model);
	CHECK(n1 == n0 + 4);
	CHECK(memcmp(p, before, (n0 - 8) * sizeof *p) == 0);
	CHECK(memcmp(p + n1 - 4, before + n0 - 4, 4 * sizeof *p) == 0);

	before = realloc(before, n1 * sizeof *before);
	memcpy(before, p, n1 * sizeof *before);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set observable zz", "-c", 1, false) == QCQ_OK);
	CHECK(nn_model_get_desc(ws->model)->observable == NN_OBS_ZZ);
	CHECK(memcmp(nn_model_params(ws->model), before, n1 * sizeof *before) == 0);
	CHECK_STR_CONTAINS(c.out, "all 5502 parameters kept");
	CHECK_STR_CONTAINS(c.out, "observable zz (was z0)");

	/* a model without the classifier: the setting is stored and the log says so */
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "model cnn; set depth 2", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "has no RealAmplitudes classifier");
	CHECK(ws->set.depth == 2);
	free(before);
	cmd_workspace_destroy(ws);
}

static int epochs_seen;
static void count_epochs(void *ctx, const struct qcq_event *ev)
{
	(void)ctx;
	if (ev->kind == QCQ_EV_EPOCH)
		epochs_seen++;
}

static char *read_text(const char *path)
{
	char *text = NULL;
	size_t n;
	struct qcq_error e;
	if (qcq_read_file(path, 1 << 20, &text, &n, &e) != QCQ_OK)
		return NULL;
	return text;
}

/* save-session writes what ran (eval, confusion, state, heatmap, summary, circuit save)
 * and a stopped training as the epochs it trained; replaying it trains as many. */
static void test_save_session_replays(void)
{
	char dir[] = "/tmp/qcq_wb_testXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char saved[256], circ[256], cmd[600];
	snprintf(saved, sizeof saved, "%s/s.qcq", dir);
	snprintf(circ, sizeof circ, "%s/c.qasm", dir);
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	ws->interactive = true; /* at the workbench: the training runs in the background */
	ws->workbench = true;
	ws->ui.post = count_epochs;
	CHECK(cmd_run_text(ws, SYNTH "model cnn", "<prompt>", 1, true) == QCQ_OK);
	epochs_seen = 0;
	CHECK(cmd_run_text(ws, "train epochs=3000", "<prompt>", 1, true) == QCQ_OK);
	for (int i = 0; i < 20000 && epochs_seen < 2; i++) {
		cmd_job_poll(ws);
		usleep(500);
	}
	CHECK(cmd_run_text(ws, "stop", "<prompt>", 1, true) == QCQ_OK);
	cmd_job_wait(ws);
	CHECK(ws->history && ws->history->n >= 2 && ws->history->n < 3000);
	size_t trained = ws->history ? ws->history->n : 0;
	snprintf(cmd, sizeof cmd,
		 "eval test; confusion; summary; heatmap 0; circuit new 2; circuit gate h 0; "
		 "state; circuit save %s; save-session %s",
		 circ, saved);
	CHECK(cmd_run_text(ws, cmd, "<prompt>", 1, true) == QCQ_OK);
	char *text = read_text(saved);
	char want[64];
	snprintf(want, sizeof want, "\ntrain epochs=%zu\n", trained);
	CHECK_STR_CONTAINS(text, want);
	CHECK_STR_CONTAINS(text, "\neval test\nconfusion\nsummary\nheatmap 0\ncircuit new 2\n"
				 "circuit gate h 0\nstate\ncircuit save ");
	CHECK(text && !strstr(text, "stop") && !strstr(text, "save-session"));
	free(text);
	/* the replay trains the epochs that were trained */
	struct capture c2;
	struct cmd_workspace *ws2 = capture_ws(&c2);
	CHECK(cmd_run_file(ws2, saved, NULL) == QCQ_OK);
	CHECK(ws2->history && ws2->history->n == trained);
	CHECK_STR_CONTAINS(c2.out, "test accuracy");
	cmd_workspace_destroy(ws2);
	cmd_workspace_destroy(ws);
	unlink(saved);
	unlink(circ);
	rmdir(dir);
}

/* help lists save-session and wraps its summaries at words within 78 columns; an
 * unknown command names the closest ones; one dispatch table for the kinds */
static void test_help_and_suggestions(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, "help", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "\n  save-session   Write the commands");
	/* no line longer than 78 columns, and the words of a summary survive whole */
	size_t longest = 0;
	char joined[65536];
	size_t j = 0;
	for (const char *p = c.out; *p; p++) {
		size_t l = strcspn(p, "\n");
		if (l > longest)
			longest = l;
		for (size_t k = 0; k < l && j + 2 < sizeof joined; k++)
			if (p[k] != ' ' || (j && joined[j - 1] != ' '))
				joined[j++] = p[k];
		if (j && joined[j - 1] != ' ')
			joined[j++] = ' ';
		p += l;
		if (!*p)
			break;
	}
	joined[j] = '\0';
	CHECK(longest <= 78);
	CHECK_STR_CONTAINS(joined, "parameters counted separately.");
	CHECK_STR_CONTAINS(joined, "then val, then test, as `show image` numbers them).");

	const struct cmd_entry *ss = cmd_find("save-session", NULL), *sv = cmd_find("save", NULL);
	CHECK(ss && sv && !cmd_kind_parent(ss) && (sv->flags & CMD_F_PARENT));
	CHECK(cmd_find_kind(sv, "model") && !cmd_find_kind(sv, "session"));
	CHECK(cmd_kind_parent(cmd_find_kind(sv, "model")) == sv);

	static const struct { const char *typed, *said; } typos[] = {
		{"modle", "unknown command 'modle' (did you mean model?)"},
		{"trian", "(did you mean train?)"},
		{"heatmpa", "(did you mean heatmap?)"},
		{"xyzzy", "unknown command 'xyzzy' (type help for the list)"},
	};
	for (size_t i = 0; i < sizeof typos / sizeof typos[0]; i++) {
		capture_reset(&c);
		CHECK(cmd_run_text(ws, typos[i].typed, "<prompt>", 1, false) != QCQ_OK);
		CHECK_STR_CONTAINS(c.err, typos[i].said);
	}
	cmd_workspace_destroy(ws);
}

/* quanv and heatmap right after load (all images); classes takes the split's features
 * from them, equal to what quanv on the split computes */
static void test_quanv_after_load(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, "load synth 200; quanv cache=off; heatmap 3", "-c", 1, false) ==
	      QCQ_OK);
	CHECK(ws->set_features && ws->set_features->n[0] == 200 && !ws->split);
	CHECK_STR_CONTAINS(c.out, "features: 200 images (all loaded)");
	CHECK_STR_CONTAINS(c.out, "image 3 (class ");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "classes 3 5; quanv cache=off", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "taken from the quanvolved data set (no quanv needed)");
	CHECK_STR_CONTAINS(c.out, "already computed for this split and filter");
	CHECK(strstr(c.out, "quanvolved 1") == NULL); /* nothing quanvolved again */

	struct capture c2;
	struct cmd_workspace *w2 = capture_ws(&c2);
	CHECK(cmd_run_text(w2, "load synth 200; classes 3 5; quanv cache=off", "-c", 1, false) ==
	      QCQ_OK);
	const struct data_features *a = ws->features, *b = w2->features;
	CHECK(a && b && a->c == b->c && a->key == b->key);
	for (int p = 0; a && b && p < 3; p++) {
		CHECK(a->n[p] == b->n[p]);
		if (a->n[p] == b->n[p] && a->n[p])
			CHECK(memcmp(a->part[p], b->part[p],
				     a->n[p] * (size_t)a->c * a->oh * a->ow * sizeof(float)) == 0);
	}
	/* a new data set or filter drops them */
	CHECK(cmd_run_text(ws, "load synth 100", "-c", 1, false) == QCQ_OK);
	CHECK(!ws->set_features);
	cmd_workspace_destroy(w2);
	cmd_workspace_destroy(ws);
}

/* The tour says true things when it says them: the state after the encoding has
 * every |r| = 1, the CNOT it announces is the gate applied next, and nothing speaks of
 * entanglement before a two-qubit gate ran. */
static void test_tour_is_true(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	/* the tour's own text, with one epoch a training (sanitizer builds are slow) */
	CHECK(cmd_run_text(ws, "source " QCQ_SOURCE_DIR "/sessions/tour.qcq epochs=1", "-c", 1,
			   false) == QCQ_OK);
	const char *o = c.out;
	const char *enc = strstr(o, "no qubit depends on another yet.");
	CHECK(enc != NULL);
	if (enc) {
		const char *st = strstr(enc, "state after gate 4/9 (pure)\n");
		CHECK(st != NULL);
		for (int q = 0; st && q < 4; q++) {
			st = strstr(st, "|r| = ");
			CHECK(st && strncmp(st, "|r| = 1.000000", 14) == 0);
			st = st ? st + 1 : NULL;
		}
	}
	CHECK_STR_CONTAINS(o, "a CNOT from q1 to q3:\ngate 7/9: cx q[1], q[3]\n");
	const char *cx = strstr(o, "gate 7/9: cx");
	const char *ent = strstr(o, "entangle");
	CHECK(cx && (!ent || ent > cx));
	/* depth 2 reached the model it trained */
	CHECK_STR_CONTAINS(o, "rebuilt the quantum classifier of qcq-cnn: RealAmplitudes(reps 2)");
	CHECK_STR_CONTAINS(o, "== Done.");
	cmd_workspace_destroy(ws);
}

/* confusion's headers are whole class names, never cut */
static void test_confusion_headers(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, "load synth 300; classes 3 vs 0+1+2+4+5+6+7+8+9; model cnn; "
			       "train epochs=1",
			   "-c", 1, false) == QCQ_OK);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "confusion", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "  0+1+2+4+5+6+7+8+9  "); /* row label, whole */
	CHECK_STR_CONTAINS(c.out, "  0+1+2+4+5+6+7+8+9\n"); /* column header, whole */
	cmd_workspace_destroy(ws);
}

/* export png heatmap uses the workbench's blue-white-red map (report's diverging one),
 * not viridis: a pixel of the file has the colour of its value */
static void test_png_colours(void)
{
	char path[] = "/tmp/qcq_wb_pngXXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "load synth 100; classes 3 5; quanv cache=off; "
		 "export png %s heatmap 0 scale=1", path);
	CHECK(cmd_run_text(ws, cmd, "-c", 1, false) == QCQ_OK);
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	CHECK(png_image_begin_read_from_file(&img, path));
	img.format = PNG_FORMAT_RGB;
	uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
	CHECK(png_image_finish_read(&img, NULL, buf, 0, NULL));
	const struct data_features *f = ws->features;
	for (int k = 0; f && k < 3; k++) { /* pixels (0,0), (5,3), (13,13) of map 0 */
		int y = k == 0 ? 0 : k == 1 ? 5 : 13, x = k == 0 ? 0 : k == 1 ? 3 : 13;
		float v = f->part[0][(size_t)y * f->ow + x];
		uint32_t want = rep_cmap_color(REP_CMAP_DIVERGING, (v + 1) * 0.5);
		const uint8_t *px = buf + ((size_t)y * img.width + (size_t)x) * 3;
		CHECK(px[0] == (want >> 16 & 255) && px[1] == (want >> 8 & 255) && px[2] == (want & 255));
	}
	free(buf);
	unlink(path);
	cmd_workspace_destroy(ws);
}

/* shots and noise are workspace settings that no study uses (each fixes its runs'
 * estimator) and that a model without a quantum classifier cannot take: a study or a
 * training started with them set says so instead of ignoring them quietly. */
static void test_study_names_unused_settings(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	char dir[] = "/tmp/qcq-wb-XXXXXX", cmd[200];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof cmd,
		 "experiment compare datasets=synth models=mlp train=40 val=10 test=10 seeds=1 "
		 "epochs=1 out=%s/c",
		 dir);
	const char *note = "the settings shots and noise do not apply to studies";
	CHECK(cmd_run_text(ws, cmd, "-c", 1, false) == QCQ_OK);
	CHECK(strstr(c.out, note) == NULL);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set shots 128", "-c", 1, false) == QCQ_OK);
	CHECK(cmd_run_text(ws, cmd, "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, note);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set shots exact; set noise depolarizing p1=0.01 p2=0.02", "-c", 1,
			   false) == QCQ_OK);
	CHECK(cmd_run_text(ws, cmd, "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, note);
	/* train: a model with no quantum classifier says it takes neither */
	const char *no_q = "the model cnn has no quantum classifier: the settings shots and noise "
			   "do not apply to it";
	capture_reset(&c);
	CHECK(cmd_run_text(ws, SYNTH "model cnn; train epochs=1", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "test accuracy");
	CHECK_STR_CONTAINS(c.out, no_q);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set noise off; train epochs=1", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "test accuracy");
	CHECK(strstr(c.out, no_q) == NULL);
	cmd_workspace_destroy(ws);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

/* The quantum classifier runs with the settings shots and noise as they are now: `set`
 * and `load model` apply them to the model at once and say so (train, eval, confusion
 * and predict apply them too, for a model a job trained while they changed). Before, a
 * model trained exact was evaluated exact after `set shots 16`, without a word. */
static void test_eval_follows_shots(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, SYNTH "model qcq-cnn; train epochs=1; eval test", "-c", 1, false) ==
	      QCQ_OK);
	char exact[200];
	const char *l = strstr(c.out, "test: accuracy");
	CHECK(l != NULL);
	snprintf(exact, sizeof exact, "%.*s", (int)strcspn(l, "\n"), l);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set shots 2; eval test", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "shots 2 (was exact)\nset: the quantum classifier of qcq-cnn now "
				  "runs with 2 shots and no noise (the settings; it ran with exact "
				  "expectations and no noise)");
	CHECK(nn_model_get_desc(ws->model)->shots == 2);
	CHECK(strstr(c.out, exact) == NULL); /* 2 shots move the loss */
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "eval test", "-c", 1, false) == QCQ_OK);
	CHECK(strstr(c.out, "now runs with") == NULL); /* said once, when it changed */
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "set shots exact; set noise depolarizing p1=0.01 p2=0.02", "-c", 1,
			   false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "set: the quantum classifier of qcq-cnn now runs with exact "
				  "expectations and depolarizing p1 0.01, p2 0.02");
	CHECK(nn_model_get_desc(ws->model)->p1 == 0.01f && nn_model_get_desc(ws->model)->shots == 0);
	/* a checkpoint saved under other settings takes the current ones when loaded */
	char dir[] = "/tmp/qcq-wb-XXXXXX", cmd[200];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof cmd,
		 "set noise depolarizing p1=0.01 p2=0.02; save model %s/m.qcqm; set noise off; "
		 "load model %s/m.qcqm",
		 dir, dir);
	capture_reset(&c);
	CHECK(cmd_run_text(ws, cmd, "-c", 1, false) == QCQ_OK);
	CHECK(nn_model_get_desc(ws->model)->p1 == 0.0f);
	CHECK_STR_CONTAINS(c.out, "load model: the quantum classifier of qcq-cnn now runs with "
				  "exact expectations and no noise (the settings; it ran with exact "
				  "expectations and depolarizing p1 0.01, p2 0.02)");
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "eval test", "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, exact); /* back to the exact model's numbers */
	/* an exact-only classifier keeps the setting for circuits, and refuses to run */
	capture_reset(&c);
	CHECK(cmd_run_text(ws, "load synth 200; classes 0 1 2; quanv; model qcq-cnn; set shots 4",
			   "-c", 1, false) == QCQ_OK);
	CHECK_STR_CONTAINS(c.out, "it runs with `set shots exact` and `set noise off`");
	CHECK(cmd_run_text(ws, "eval", "-c", 1, false) == QCQ_EUNSUPPORTED);
	cmd_workspace_destroy(ws);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

int main(void)
{
	RUN(test_set_depth_reaches_model);
	RUN(test_save_session_replays);
	RUN(test_help_and_suggestions);
	RUN(test_quanv_after_load);
	RUN(test_tour_is_true);
	RUN(test_confusion_headers);
	RUN(test_png_colours);
	RUN(test_study_names_unused_settings);
	RUN(test_eval_follows_shots);
	return check_summary();
}
