/* tests/cmd: `load features` — the paper's (N, 14, 14, 4) .npy features into the split. */
#include "qcq/cmd.h"
#include "qcq/data.h"
#include "check.h"
#include "cmd/capture.h"
#include "scratch.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes part p of the workspace's features as (n, h, w, c), scaled by factor. */
static void write_nhwc(const struct data_features *f, int p, const char *name, float factor,
		       size_t drop)
{
	size_t n = f->n[p] - drop, c = (size_t)f->c, h = (size_t)f->oh, w = (size_t)f->ow;
	float *v = malloc(n * c * h * w * sizeof *v);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < c; k++)
			for (size_t y = 0; y < h; y++)
				for (size_t x = 0; x < w; x++)
					v[((i * h + y) * w + x) * c + k] =
						factor * f->part[p][((i * c + k) * h + y) * w + x];
	size_t shape[4] = {n, h, w, c};
	struct qcq_error e;
	CHECK(data_npy_write(scratch_path(name), DATA_F32, shape, 4, v, &e) == QCQ_OK);
	free(v);
}

/* Runs the formatted line (checked by the compiler against its arguments). */
static enum qcq_status run(struct cmd_workspace *ws, const char *fmt, ...) QCQ_PRINTF(2, 3);
static enum qcq_status run(struct cmd_workspace *ws, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	return cmd_run_text(ws, line, "-c", 1, false);
}

static void test_load_features(void)
{
	struct capture c;
	struct cmd_workspace *ws = capture_ws(&c);
	CHECK(cmd_run_text(ws, "load features x.npy", "-c", 1, false) == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "no split yet");
	CHECK(cmd_run_text(ws, "load synth 300; classes 3 5; split train=40 val=10 test=10; quanv",
			   "-c", 1, false) == QCQ_OK);
	struct data_features *f = ws->features;
	CHECK(f && f->n[0] == 40 && f->c == 4 && f->oh == 14);
	if (!f)
		return;
	write_nhwc(f, 0, "train.npy", -1.0f, 0);
	write_nhwc(f, 1, "val.npy", -1.0f, 0);
	write_nhwc(f, 0, "short.npy", 1.0f, 1);
	float first = f->part[0][0], val0 = f->part[1][0], test0 = f->part[2][0];

	/* one file: train from the file, val and test kept from quanv */
	CHECK(run(ws, "load features %s/%s", scratch_dir, "train.npy") == QCQ_OK);
	CHECK(ws->features->part[0][0] == -first && ws->features->part[2][0] == test0);
	CHECK(ws->features->part[1][0] == val0);
	CHECK(run(ws, "load features %s/%s %s/%s", scratch_dir, "train.npy", scratch_dir, "val.npy") == QCQ_OK);
	CHECK(ws->features->part[1][0] == -val0);
	/* wrong count: refused, the features stay as they were */
	struct data_features *before = ws->features;
	capture_reset(&c);
	CHECK(run(ws, "load features %s/%s", scratch_dir, "short.npy") == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(c.err, "short.npy: 39 samples, the train part of the split has 40");
	CHECK(ws->features == before);
	/* not a 4-d array, not a file */
	capture_reset(&c);
	CHECK(run(ws, "load features %s/%s", scratch_dir, "nothing.npy") != QCQ_OK);
	CHECK_STR_CONTAINS(c.err, "nothing.npy");
	/* without features from quanv the other parts must come from files */
	CHECK(cmd_run_text(ws, "split train=40 val=10 test=10 seed=3", "-c", 1, false) == QCQ_OK);
	capture_reset(&c);
	CHECK(ws->features == NULL); /* a new split drops the old features */
	CHECK(run(ws, "load features %s/%s", scratch_dir, "train.npy") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(c.err, "no features for the val part (10 samples)");
	cmd_workspace_destroy(ws);
}

int main(void)
{
	if (scratch_open("features"))
		return 1;
	RUN(test_load_features);
	scratch_close();
	return check_summary();
}
