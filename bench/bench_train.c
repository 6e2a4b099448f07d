/*
 * bench/bench_train.c: training throughput of the nn models, one thread.
 *
 * Measures sample steps per second (forward + loss + backward + Adam) of QCQ-CNN at
 * batch 1 and the CNN at batch 4 on random data, the paper's 100-image x 100-epoch
 * QCQ-CNN run (10,000 steps at batch 1; the paper's code needs 366 s), a per-phase
 * split of one QCQ-CNN step, and loops vs OpenBLAS sgemm on the matrix products of
 * these models (the measurement behind the threshold in src/nn/gemm.c). Then, in
 * the same run, the same two models in PyTorch (bench/torch_qcqcnn.py through
 * /usr/bin/python3, same thread count) when `import torch` works, and the ratios.
 *
 * Usage: bench_train [seconds per measurement, default 2] [--no-torch]
 */
#include "qcq/nn.h"
#include "bench-cpu.h"
#include "nn/nn-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NN_BENCH_TORCH_SCRIPT
#define NN_BENCH_TORCH_SCRIPT "bench/torch_qcqcnn.py"
#endif

struct data {
	float *x;
	int32_t *y;
	int n;
	size_t nin;
};

static struct data make_data(const struct nn_model *m, int n)
{
	struct data d = { .n = n, .nin = nn_model_in_floats(m) };
	struct qcq_rng r;
	qcq_rng_seed(&r, 42);
	d.x = malloc(sizeof(float) * d.nin * n);
	d.y = malloc(sizeof(int32_t) * n);
	for (size_t i = 0; i < d.nin * n; i++)
		d.x[i] = 2.0f * qcq_rng_uniformf(&r) - 1.0f;
	for (int i = 0; i < n; i++)
		d.y[i] = i & 1;
	return d;
}

static struct nn_model *build(enum nn_arch a, int batch)
{
	struct nn_model_desc d;
	nn_model_desc_default(&d, a);
	struct nn_model *m;
	struct qcq_error err;
	if (nn_model_create(&m, &d, batch, NULL, &err)) {
		fprintf(stderr, "bench_train: %s\n", err.msg);
		exit(1);
	}
	return m;
}

/* CPU seconds of this thread: the machine is shared, so wall-clock rates swing with
 * other people's load; the CPU-time rate is what one uncontended core would do. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Sample steps per second over about `seconds` (wall clock); *cpu_rate the same
 * per CPU second. */
static double rate(struct nn_model *m, const struct data *d, int B, double seconds,
		   double *cpu_rate)
{
	struct nn_adam o = NN_ADAM_DEFAULT;
	float loss;
	long steps = 0;
	for (int i = 0; i < 50; i++)
		nn_model_train_step(m, d->x + (size_t)(i * B % d->n) * d->nin, d->y + i * B % d->n, B,
				    &o, &loss, NULL);
	double t0 = qcq_now(), c0 = cpu_now(), dt;
	do {
		for (int k = 0; k < 200; k++, steps++) {
			int j = (int)(steps * B % (d->n - B + 1));
			nn_model_train_step(m, d->x + (size_t)j * d->nin, d->y + j, B, &o, &loss, NULL);
		}
		dt = qcq_now() - t0;
	} while (dt < seconds);
	*cpu_rate = (double)steps * B / (cpu_now() - c0);
	return (double)steps * B / dt;
}

/* The paper's QCQ-CNN run: 100 images, 100 epochs, batch 1 = 10,000 steps. */
static double paper_run(double *cpu)
{
	struct nn_model *m = build(NN_ARCH_QCQ_CNN, 1);
	struct data d = make_data(m, 100);
	struct nn_adam o = NN_ADAM_DEFAULT;
	float loss;
	double t0 = qcq_now(), c0 = cpu_now();
	for (int e = 0; e < 100; e++)
		for (int i = 0; i < 100; i++)
			nn_model_train_step(m, d.x + (size_t)i * d.nin, d.y + i, 1, &o, &loss, NULL);
	double t = qcq_now() - t0;
	*cpu = cpu_now() - c0;
	free(d.x), free(d.y);
	nn_model_destroy(m);
	return t;
}

/* Microseconds per phase of a QCQ-CNN batch-1 step. */
static void phases(double seconds)
{
	struct nn_model *m = build(NN_ARCH_QCQ_CNN, 1);
	struct data d = make_data(m, 64);
	struct nn_adam o = NN_ADAM_DEFAULT;
	double tf = 0, tb = 0, ta = 0;
	long n = 0;
	nn_model_set_train(m, true);
	double end = qcq_now() + seconds;
	while (qcq_now() < end)
		for (int k = 0; k < 100; k++, n++) {
			int j = (int)(n % d.n);
			float loss;
			double t0 = qcq_now();
			nn_model_forward(m, d.x + (size_t)j * d.nin, 1, NULL, NULL);
			nn_model_loss(m, d.y + j, 1, &loss, NULL, NULL);
			double t1 = qcq_now();
			nn_model_zero_grad(m);
			nn_model_backward(m, NULL);
			double t2 = qcq_now();
			nn_model_adam_step(m, &o);
			double t3 = qcq_now();
			tf += t1 - t0, tb += t2 - t1, ta += t3 - t2;
		}
	printf("  qcq-cnn b1 per step: forward+loss %.2f us, zero+backward %.2f us, adam %.2f us "
	       "(%zu params; timer overhead included)\n",
	       1e6 * tf / n, 1e6 * tb / n, 1e6 * ta / n, nn_model_nparams(m));
	/* Adam alone, on the moments training left (CPU time of the thread, no timer per step) */
	long na = 0;
	double c0 = cpu_now(), ca;
	do {
		for (int k = 0; k < 1000; k++, na++)
			nn_model_adam_step(m, &o);
		ca = cpu_now() - c0;
	} while (ca < seconds / 4);
	printf("  adam alone: %.2f us per step over %zu parameters (CPU time)\n", 1e6 * ca / na,
	       nn_model_nparams(m));
	free(d.x), free(d.y);
	nn_model_destroy(m);
}

/* Loops vs sgemm on the products of conv (after im2col) and dense in these models. */
static void gemm_compare(double seconds)
{
	struct {
		const char *what;
		int M, N, K;
		bool ta;
	} s[] = {
		{ "qcq-cnn conv1 fwd  16x144x36", 16, 144, 36, false },
		{ "qcq-cnn conv1 dW   16x36x144", 16, 36, 144, false },
		{ "qcq-cnn conv2 fwd  32x16x144", 32, 16, 144, false },
		{ "qcq-cnn conv2 dW   32x144x16", 32, 144, 16, false },
		{ "qcq-cnn conv2 dX   144x16x32", 144, 16, 32, true },
		/* the CNN at batch 4: forward and weight gradient across the 4 samples where
		 * that pays (src/nn/conv.c), the input gradient per sample */
		{ "cnn conv1 fwd      16x676x9 ", 16, 676, 9, false },
		{ "cnn conv1 dW^T b4  9x16x2704", 9, 16, 2704, false },
		{ "cnn conv2 fwd b4   32x484x144", 32, 484, 144, false },
		{ "cnn conv2 dW^T b4  144x32x484", 144, 32, 484, false },
		{ "cnn conv2 dX       144x121x32", 144, 121, 32, true },
		{ "big                128x1024x256", 128, 1024, 256, false },
	};
	printf("  matrix products, us per call (loops / small kernel / sgemm, 1 thread):\n");
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
		int M = s[i].M, N = s[i].N, K = s[i].K;
		float *A = calloc((size_t)M * K, 4), *B = calloc((size_t)K * N, 4),
		      *C = calloc((size_t)M * N, 4);
		for (size_t j = 0; j < (size_t)M * K; j++)
			A[j] = (float)(j % 7) * 0.1f;
		for (size_t j = 0; j < (size_t)K * N; j++)
			B[j] = (float)(j % 5) * 0.1f;
		double us[3];
		void (*fn[3])(float *, const float *, const float *, int, int, int, bool) = {
			nn_gemm_loops, nn_gemm_small, nn_gemm_blas
		};
		for (int path = 0; path < 3; path++) {
			long n = 0;
			double t0 = qcq_now(), dt;
			do {
				for (int k = 0; k < 20; k++, n++)
					fn[path](C, A, B, M, N, K, s[i].ta);
				dt = qcq_now() - t0;
			} while (dt < seconds / 20);
			us[path] = 1e6 * dt / n;
		}
		int best = 0;
		for (int path = 1; path < 3; path++)
			best = us[path] < us[best] ? path : best;
		printf("    %-32s %8.2f / %8.2f / %8.2f  -> %s (%.1f GFLOP/s)\n", s[i].what, us[0],
		       us[1], us[2], (const char *[]){ "loops", "small", "sgemm" }[best],
		       2.0 * M * N * K / us[best] * 1e-3);
		free(A), free(B), free(C);
	}
}

/* Runs the PyTorch script; fills its two rates; false if torch is unavailable. */
static bool torch_rates(double seconds, double r[4])
{
	if (system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
		return false;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s --threads 1 --seconds %g", NN_BENCH_TORCH_SCRIPT,
		 seconds);
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	char line[256];
	r[0] = r[1] = r[2] = r[3] = 0;
	while (fgets(line, sizeof line, p)) {
		printf("  torch: %s", line);
		sscanf(line, "qcq-cnn-b1 %lf cpu %lf", &r[0], &r[1]);
		sscanf(line, "cnn-b4 %lf cpu %lf", &r[2], &r[3]);
	}
	return pclose(p) == 0 && r[0] > 0 && r[2] > 0;
}

int main(int argc, char **argv)
{
	bench_print_cpu("bench_train");
	double seconds = 2.0;
	bool want_torch = true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-torch") == 0)
			want_torch = false;
		else
			seconds = atof(argv[i]) > 0 ? atof(argv[i]) : seconds;
	}
	qcq_blas_set_threads(1);
	printf("bench_train: one thread, %.1f s per measurement\n", seconds);

	struct nn_model *q = build(NN_ARCH_QCQ_CNN, 1), *c = build(NN_ARCH_CNN, 4);
	struct data dq = make_data(q, 64), dc = make_data(c, 64);
	double cq, cc;
	double rq = rate(q, &dq, 1, seconds, &cq);
	double rc = rate(c, &dc, 4, seconds, &cc);
	printf("qcq-cnn batch 1: %8.0f sample steps/s wall (%.1f us/step), %8.0f per CPU second\n",
	       rq, 1e6 / rq, cq);
	printf("cnn     batch 4: %8.0f sample steps/s wall (%.1f us/step), %8.0f per CPU second\n",
	       rc, 4e6 / rc, cc);
	double cpu, t = paper_run(&cpu);
	printf("paper's run (qcq-cnn, 100 images x 100 epochs, batch 1 = 10,000 steps): %.3f s wall, "
	       "%.3f s CPU (paper's code: 366 s)\n", t, cpu);
	phases(seconds / 2);
	gemm_compare(seconds);

	double tr[4];
	if (!want_torch) {
		printf("torch: skipped (--no-torch)\n");
	} else if (torch_rates(seconds, tr)) {
		printf("ratio qcq-cnn batch 1: %.1fx PyTorch wall (%.0f vs %.0f), %.1fx per CPU second "
		       "(%.0f vs %.0f)\n", rq / tr[0], rq, tr[0], cq / tr[1], cq, tr[1]);
		printf("ratio cnn batch 4:     %.1fx PyTorch wall (%.0f vs %.0f), %.1fx per CPU second "
		       "(%.0f vs %.0f)\n", rc / tr[2], rc, tr[2], cc / tr[3], cc, tr[3]);
	} else {
		printf("torch: not available (/usr/bin/python3 cannot import torch): no ratio\n");
	}
	free(dq.x), free(dq.y), free(dc.x), free(dc.y);
	nn_model_destroy(q), nn_model_destroy(c);
	return 0;
}
