/*
 * bench/bench_train_filter.c: training with a trainable quanvolution filter, one thread.
 *
 * In one run, on the same 28x28 images (uniform in [0, 1]):
 *  - the baseline: a QCQ-CNN step at batch 1 with the fixed filter, on features
 *    quanvolved once beforehand (what `quanv` + `train` do);
 *  - the same step with the fixed filter applied to the image inside every step
 *    (qml_filter_apply of one image, then the step): what on-the-fly quanvolution costs;
 *  - the QCQ-CNN step at batch 1 with a trainable filter (196 patches per image through
 *    the filter forward and backward, the angles in Adam), for the demo's circuit
 *    (`filter pennylane`, 4 angles) and a 2-layer RandomLayers circuit (8 angles);
 *  - the trainable step split into its phases (filter forward, the rest of forward and
 *    loss, backward without the filter, the filter's backward, Adam);
 * as sample steps per second (wall clock, and per CPU second of this thread: the
 * machine is shared) and the ratio trainable / fixed. Target: >= 2,000 trainable steps
 * per second.
 *
 * Usage: bench_train_filter [seconds per measurement, default 2]
 */
#include "qcq/nn.h"
#include "qcq/qml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NIMG 64

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static struct nn_model *build(bool trainable, const struct qml_filter *f)
{
	struct nn_model_desc d;
	nn_model_desc_default(&d, NN_ARCH_QCQ_CNN);
	d.depth = 1; /* the paper's QCQ-CNN */
	if (trainable) {
		d.in_c = 1, d.in_h = d.in_w = 28;
		d.filter = NN_FILTER_TRAINABLE, d.filter_k = 2, d.filter_stride = 2;
	}
	struct nn_model *m;
	struct qcq_error err;
	if (nn_model_create_filter(&m, &d, 1, NULL, f, &err)) {
		fprintf(stderr, "bench_train_filter: %s\n", err.msg);
		exit(1);
	}
	return m;
}

struct rate {
	double wall, cpu;
};

/* Steps per second of m over inputs x (nin floats each); with quanv, each step first
 * quanvolves its image with f into feat (the on-the-fly fixed filter). */
static struct rate rate(struct nn_model *m, const float *x, size_t nin, const int32_t *y,
			double seconds, const struct qml_filter *quanv, float *feat)
{
	struct nn_adam o = NN_ADAM_DEFAULT;
	float loss;
	long steps = 0;
	for (int i = 0; i < 50; i++)
		nn_model_train_step(m, x + (size_t)(i % NIMG) * nin, y + i % NIMG, 1, &o, &loss, NULL);
	double t0 = qcq_now(), c0 = cpu_now(), dt;
	do {
		for (int k = 0; k < 200; k++, steps++) {
			int j = (int)(steps % NIMG);
			const float *in = x + (size_t)j * nin;
			if (quanv) {
				qml_filter_apply(quanv, in, 1, 28, 28, feat, NULL, NULL);
				in = feat;
			}
			nn_model_train_step(m, in, y + j, 1, &o, &loss, NULL);
		}
		dt = qcq_now() - t0;
	} while (dt < seconds);
	return (struct rate){(double)steps / dt, (double)steps / (cpu_now() - c0)};
}

static void print_rate(const char *what, struct rate r, struct rate base)
{
	printf("%-52s %7.0f steps/s wall (%6.1f us), %7.0f per CPU s  (x%.2f of fixed)\n", what,
	       r.wall, 1e6 / r.wall, r.cpu, r.cpu / base.cpu);
}

/* Microseconds per phase of a trainable step at batch 1 (filter separately). */
static void phases(const struct qml_filter *f, const float *x, const int32_t *y, double seconds)
{
	struct nn_model *m = build(true, f);
	struct nn_model *mf = build(false, NULL);
	struct qml_tfilter *t;
	struct qcq_error err;
	if (qml_tfilter_create(&t, f, 28, 28, &err)) {
		fprintf(stderr, "bench_train_filter: %s\n", err.msg);
		exit(1);
	}
	int na = qml_filter_nangles(f);
	float th[64], dth[64] = {0}, feat[4 * 196], dfeat[4 * 196];
	double thd[64];
	qml_filter_angles(f, thd);
	for (int a = 0; a < na; a++)
		th[a] = (float)thd[a];
	for (int i = 0; i < 4 * 196; i++)
		dfeat[i] = 0.01f * (float)(i % 13) - 0.06f;
	double tset = 0, tfwd = 0, tbwd = 0, tstep = 0;
	long n = 0;
	struct nn_adam o = NN_ADAM_DEFAULT;
	double end = qcq_now() + seconds;
	while (qcq_now() < end)
		for (int k = 0; k < 100; k++, n++) {
			const float *img = x + (size_t)(n % NIMG) * 784;
			th[0] += 1e-6f; /* new angles every step, as in training */
			double t0 = qcq_now();
			qml_tfilter_set_angles(t, th);
			double t1 = qcq_now();
			qml_tfilter_forward(t, feat, img, 1);
			double t2 = qcq_now();
			qml_tfilter_backward(t, dth, dfeat, img, 1);
			double t3 = qcq_now();
			float loss;
			nn_model_train_step(mf, feat, y + n % NIMG, 1, &o, &loss, NULL);
			double t4 = qcq_now();
			tset += t1 - t0, tfwd += t2 - t1, tbwd += t3 - t2, tstep += t4 - t3;
		}
	printf("  trainable step, us: compile the table for new angles %.2f, filter forward (196 "
	       "patches) %.2f, filter backward %.2f, the rest of the step (fixed model) %.2f\n",
	       1e6 * tset / n, 1e6 * tfwd / n, 1e6 * tbwd / n, 1e6 * tstep / n);
	qml_tfilter_destroy(t);
	nn_model_destroy(m);
	nn_model_destroy(mf);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 && atof(argv[1]) > 0 ? atof(argv[1]) : 2.0;
	qcq_blas_set_threads(1);
	printf("bench_train_filter: qcq-cnn (depth 1) batch 1, one thread, %.1f s per "
	       "measurement\n", seconds);
	struct qml_filter *fp, *fr;
	struct qcq_error err;
	if (qml_filter_create_pennylane(&fp, 'C', &err) ||
	    qml_filter_create_random(&fr, 2, 2, 2, 42, &err)) {
		fprintf(stderr, "bench_train_filter: %s\n", err.msg);
		return 1;
	}
	float *x = malloc(sizeof(float) * NIMG * 784), *fx = malloc(sizeof(float) * NIMG * 784);
	float feat[784];
	int32_t y[NIMG];
	struct qcq_rng r;
	qcq_rng_seed(&r, 42);
	for (int i = 0; i < NIMG * 784; i++)
		x[i] = qcq_rng_uniformf(&r);
	for (int i = 0; i < NIMG; i++)
		y[i] = i & 1;
	qml_filter_apply(fp, x, NIMG, 28, 28, fx, NULL, &err);

	struct nn_model *mf = build(false, NULL), *mq = build(false, NULL);
	struct nn_model *tp = build(true, fp), *tr = build(true, fr);
	struct rate base = rate(mf, fx, 784, y, seconds, NULL, NULL);
	print_rate("fixed filter, features quanvolved beforehand", base, base);
	print_rate("fixed filter, each image quanvolved in the step",
		   rate(mq, x, 784, y, seconds, fp, feat), base);
	print_rate("trainable filter, demo circuit (4 angles)", rate(tp, x, 784, y, seconds, NULL,
		   NULL), base);
	print_rate("trainable filter, RandomLayers 2 layers (8 angles)",
		   rate(tr, x, 784, y, seconds, NULL, NULL), base);
	phases(fp, x, y, seconds / 2);
	nn_model_destroy(mf), nn_model_destroy(mq), nn_model_destroy(tp), nn_model_destroy(tr);
	qml_filter_destroy(fp), qml_filter_destroy(fr);
	free(x), free(fx);
	return 0;
}
