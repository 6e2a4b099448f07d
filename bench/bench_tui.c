/*
 * bench/bench_tui.c: what the workbench costs a training run.
 *
 * The same `train` (qcq-cnn on quanvolved synthetic digits, same seeds) runs twice
 * per round in one process: headless (the batch path: the runner waits for the job,
 * events go to a sink that drops them) and inside the real TUI (tui_run on a
 * pseudo-terminal of 200x60 whose output a thread drains, training in the background,
 * the loop polling keys every 50 ms, drawing the curves live at <= 20 frames/s). The
 * training's own clock (history total_seconds) is compared; rounds alternate to share
 * the machine's noise. Prints per-round times, the median ratio, the frame rate and
 * the CPU time of the TUI's thread (the part of the cost that does not depend on noise).
 *
 * usage: bench_tui [EPOCHS=15] [ROUNDS=3] [IMAGES=2000] [THREADS=all]
 */
#include "qcq/cmd.h"
#include "bench-cpu.h"
#include "qcq/train.h"
#include "qcq/tui.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void drop_out(void *ctx, enum cmd_stream s, const char *text)
{
	(void)ctx;
	if (s == CMD_STREAM_ERR)
		fprintf(stderr, "bench: %s\n", text);
}

static void drop_event(void *ctx, const struct qcq_event *ev)
{
	(void)ctx;
	(void)ev;
}

static void *drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[65536];
	while (read(fd, buf, sizeof buf) > 0)
		;
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double run_headless(struct cmd_workspace *ws, const char *train)
{
	ws->interactive = false;
	if (cmd_run_text(ws, train, "bench", 1, false) != QCQ_OK)
		exit(1);
	return ws->history->total_seconds;
}

static double thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double run_tui(struct cmd_workspace *ws, const char *train, long *frames, double *loop_s,
		      double *draw_s, double *cpu_s)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master)) {
		perror("bench: pty");
		exit(1);
	}
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	struct winsize wsz = {.ws_row = 60, .ws_col = 200};
	ioctl(slave, TIOCSWINSZ, &wsz);
	pthread_t th;
	pthread_create(&th, NULL, drain, &master);
	int in = dup(0), out = dup(1);
	fflush(stdout);
	dup2(slave, 0);
	dup2(slave, 1);
	struct tui_options o = {.startup = train, .exit_when_done = true};
	struct tui_stats st = {0};
	double c0 = thread_cpu();
	int rc = tui_run(ws, &o, &st); /* this thread is the TUI; training runs on others */
	*cpu_s = thread_cpu() - c0;
	fflush(stdout);
	dup2(in, 0);
	dup2(out, 1);
	close(in);
	close(out);
	close(slave);
	close(master); /* ends the drain thread's read */
	pthread_join(th, NULL);
	if (rc != 0) {
		fprintf(stderr, "bench: the TUI returned %d\n", rc);
		exit(1);
	}
	*frames = st.frames;
	*loop_s = st.seconds;
	*draw_s = st.draw_seconds;
	return ws->history->total_seconds;
}

int main(int argc, char **argv)
{
	bench_print_cpu("bench_tui");
	int epochs = argc > 1 ? atoi(argv[1]) : 15;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	int images = argc > 3 ? atoi(argv[3]) : 2000;
	int threads = argc > 4 ? atoi(argv[4]) : 0;
	if (epochs < 1 || rounds < 1 || images < 20) {
		fprintf(stderr, "usage: bench_tui [EPOCHS] [ROUNDS] [IMAGES] [THREADS]\n");
		return 2;
	}
	char dir[] = "/tmp/qcq-bench-tui-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	setenv("XDG_STATE_HOME", dir, 1); /* the TUI's history goes here, not to ~ */
	setenv("TERM", "xterm-256color", 1);

	struct cmd_out out = {drop_out, NULL};
	struct cmd_workspace *ws = cmd_workspace_create(&out);
	ws->ui = (struct qcq_sink){drop_event, NULL};
	if (threads > 0)
		cmd_workspace_set_threads(ws, threads);
	char setup[256], train[128];
	snprintf(setup, sizeof setup, "load synth %d; classes 3 8; quanv cache=off; model qcq-cnn", images);
	snprintf(train, sizeof train, "train epochs=%d seed=1", epochs);
	if (cmd_run_text(ws, setup, "bench", 1, false) != QCQ_OK)
		return 1;

	printf("bench_tui: qcq-cnn, %d synthetic images (3 vs 8), %d epochs, %d threads\n", images,
	       epochs, ws->set.threads);
	double *ratio = calloc((size_t)rounds, sizeof *ratio);
	for (int r = 0; r < rounds; r++) {
		double base = run_headless(ws, train);
		long frames;
		double loop_s, draw_s, cpu_s;
		double tui = run_tui(ws, train, &frames, &loop_s, &draw_s, &cpu_s);
		ws->out = out;
		ratio[r] = tui / base;
		printf("round %d: headless %.3f s, TUI %.3f s (ratio %.4f), %ld frames in %.2f s = "
		       "%.1f frames/s, %.2f ms per frame; TUI thread CPU %.3f s = %.1f%% of one core\n",
		       r + 1, base, tui, ratio[r], frames, loop_s, frames / (loop_s > 0 ? loop_s : 1),
		       1e3 * draw_s / (frames ? frames : 1), cpu_s, 100 * cpu_s / loop_s);
		fflush(stdout);
	}
	qsort(ratio, (size_t)rounds, sizeof *ratio, cmp);
	printf("median TUI/headless training time: %.4f (%+.1f%%)\n", ratio[rounds / 2],
	       100 * (ratio[rounds / 2] - 1));
	free(ratio);
	cmd_workspace_destroy(ws);
	char path[128];
	snprintf(path, sizeof path, "%s/qcqlab/history", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/qcqlab", dir);
	rmdir(path);
	rmdir(dir);
	return 0;
}
