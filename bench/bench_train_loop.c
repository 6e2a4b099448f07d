/*
 * bench/bench_train_loop.c: what the training loop (train_fit) costs on top of the
 * model's own steps. For QCQ-CNN at batch 1 and the CNN at batch 4 it measures, in the
 * same run, sample steps per second of (a) a bare loop of nn_model_train_step over the
 * data and (b) train_fit over the same data (shuffling, batch gathering, accuracy,
 * events through a counting sink, one validation pass per epoch on 10% as much data),
 * and prints the ratio. Also times a checkpoint save + load of each model.
 *
 * Usage: bench_train_loop [epochs, default 20]
 */
#include "qcq/nn.h"
#include "bench-cpu.h"
#include "qcq/train.h"

#include <stdio.h>
#include <stdlib.h>

static void count(void *ctx, const struct qcq_event *ev)
{
	(*(long *)ctx)++;
	(void)ev;
}

static void bench(enum nn_arch arch, int batch, int epochs)
{
	struct nn_model_desc d;
	nn_model_desc_default(&d, arch);
	struct nn_model *m;
	struct qcq_error e;
	if (nn_model_create(&m, &d, 128, NULL, &e)) {
		printf("%s: %s\n", nn_arch_name(arch), e.msg);
		return;
	}
	int n = 200, nv = 20;
	size_t in = nn_model_in_floats(m);
	float *x = malloc((size_t)(n + nv) * in * sizeof(float));
	int32_t *y = malloc((size_t)(n + nv) * sizeof(int32_t));
	struct qcq_rng r;
	qcq_rng_seed(&r, 1);
	for (size_t i = 0; i < (size_t)(n + nv) * in; i++)
		x[i] = qcq_rng_uniformf(&r) * 2 - 1;
	for (int i = 0; i < n + nv; i++)
		y[i] = i % 2;
	struct nn_adam adam = NN_ADAM_DEFAULT;
	double t0 = qcq_now();
	for (int ep = 0; ep < epochs; ep++)
		for (int b = 0; b + batch <= n; b += batch) {
			float loss;
			nn_model_train_step(m, x + (size_t)b * in, y + b, batch, &adam, &loss, &e);
		}
	double bare = (double)epochs * n / (qcq_now() - t0);

	struct train_data tr = {x, y, (size_t)n, (int)d.in_c, (int)d.in_h, (int)d.in_w};
	struct train_data va = {x + (size_t)n * in, y + n, (size_t)nv, (int)d.in_c, (int)d.in_h,
				(int)d.in_w};
	struct train_opts o;
	train_opts_default(&o);
	o.epochs = epochs, o.batch = batch;
	struct train_history *h = train_history_create();
	long events = 0;
	struct qcq_sink sink = {count, &events};
	nn_model_reset(m, 1);
	t0 = qcq_now();
	enum qcq_status st = train_fit(m, &tr, &va, NULL, &o, h, &sink, NULL, &e);
	double fit = (double)epochs * n / (qcq_now() - t0);
	printf("%-8s batch %d: bare steps %9.0f samples/s, train_fit %9.0f samples/s "
	       "(incl. validation of %d per epoch), ratio %.3f, %ld events%s%s\n",
	       nn_arch_name(arch), batch, bare, fit, nv, fit / bare, events, st ? ": " : "",
	       st ? e.msg : "");

	int reps = 20;
	double ts = 0, tl = 0;
	for (int i = 0; i < reps; i++) {
		struct nn_model *m2;
		t0 = qcq_now();
		train_checkpoint_save("/tmp/bench_train_loop.qcqm", m, h, NULL, &e);
		ts += qcq_now() - t0;
		t0 = qcq_now();
		if (train_checkpoint_load("/tmp/bench_train_loop.qcqm", 128, &m2, NULL, NULL, &e) ==
		    QCQ_OK)
			nn_model_destroy(m2);
		tl += qcq_now() - t0;
	}
	printf("%-8s checkpoint (%zu parameters): save %.2f ms (fsync included), load %.2f ms\n",
	       nn_arch_name(arch), nn_model_nparams(m), ts / reps * 1e3, tl / reps * 1e3);
	remove("/tmp/bench_train_loop.qcqm");
	train_history_free(h);
	nn_model_destroy(m);
	free(x), free(y);
}

int main(int argc, char **argv)
{
	bench_print_cpu("bench_train_loop");
	int epochs = argc > 1 ? atoi(argv[1]) : 20;
	qcq_blas_set_threads(1);
	bench(NN_ARCH_QCQ_CNN, 1, epochs);
	bench(NN_ARCH_CNN, 4, epochs);
	return 0;
}
