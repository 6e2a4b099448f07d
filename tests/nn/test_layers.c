/*
 * tests/nn/test_layers.c: every layer's fast kernel against its naive twin, every
 * backward against central finite differences of a scalar objective
 * L = sum(out * r) for a fixed random r (so dL/dout = r), and the optimisers
 * against hand-computed PyTorch formulas.
 */
#include "qcq/nn.h"
#include "nn/nn-internal.h"
#include "check.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static struct qcq_rng R;

static float *rnd(size_t n, float lo, float hi)
{
	float *x = malloc(n * sizeof *x);
	for (size_t i = 0; i < n; i++)
		x[i] = lo + (hi - lo) * qcq_rng_uniformf(&R);
	return x;
}

static float *zeros(size_t n)
{
	return calloc(n, sizeof(float));
}

static double max_abs_diff(const float *a, const float *b, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++) { /* not fmax: Debian's aarch64 gcc 12 crashes
					   vectorising an fmax reduction */
		double d = fabs((double)a[i] - b[i]);
		m = d > m || d != d ? d : m;
	}
	return m;
}

/* ---------------------------------------------------------------- gemm */

static void test_gemm_paths(void)
{
	int shapes[][3] = { { 16, 144, 36 }, { 32, 16, 144 }, { 3, 5, 7 }, { 1, 1, 1 }, { 64, 70, 33 },
			     { 13, 17, 5 }, { 9, 33, 2 }, { 144, 121, 32 }, { 9, 16, 2704 },
			     { 5, 3, 1100 } };
	for (int s = 0; s < 10; s++)
		for (int ta = 0; ta < 2; ta++) {
			int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
			float *A = rnd((size_t)M * K, -1, 1), *B = rnd((size_t)K * N, -1, 1);
			float *C1 = rnd((size_t)M * N, -1, 1), *C2 = malloc(sizeof(float) * M * N);
			float *C3 = malloc(sizeof(float) * M * N);
			double *ref = malloc(sizeof(double) * M * N);
			memcpy(C2, C1, sizeof(float) * M * N);
			memcpy(C3, C1, sizeof(float) * M * N);
			for (int i = 0; i < M; i++)
				for (int j = 0; j < N; j++) {
					double acc = C1[i * N + j];
					for (int k = 0; k < K; k++)
						acc += (double)(ta ? A[k * M + i] : A[i * K + k]) * B[k * N + j];
					ref[i * N + j] = acc;
				}
			nn_gemm_loops(C1, A, B, M, N, K, ta);
			nn_gemm_blas(C2, A, B, M, N, K, ta);
			nn_gemm_small(C3, A, B, M, N, K, ta);
			/* the kernel adds in the loops' order (in blocks of K for long sums) */
			CHECK(memcmp(C1, C3, sizeof(float) * M * N) == 0);
			for (int i = 0; i < M * N; i++) {
				CHECK_NEAR(C1[i], ref[i], 1e-4);
				CHECK_NEAR(C2[i], ref[i], 1e-4);
				CHECK_NEAR(C3[i], ref[i], 1e-4);
			}
			/* C = A B: the bits of clearing C and accumulating (sgemm: close) */
			float *S = rnd((size_t)M * N, -1, 1), *Z = zeros((size_t)M * N);
			nn_gemm_small_set(S, A, B, M, N, K, ta);
			nn_gemm_small(Z, A, B, M, N, K, ta);
			CHECK(memcmp(S, Z, sizeof(float) * M * N) == 0);
			nn_gemm_loops_set(S, A, B, M, N, K, ta);
			CHECK(memcmp(S, Z, sizeof(float) * M * N) == 0); /* loops = kernel too */
			nn_gemm_blas_set(S, A, B, M, N, K, ta);
			for (int i = 0; i < M * N; i++)
				CHECK_NEAR(S[i], Z[i], 1e-4);
			free(S), free(Z);
			free(A), free(B), free(C1), free(C2), free(C3), free(ref);
		}
}

/* nn_gemm through the planner: whatever it chose for a shape gives the product, the
 * choice is stable, and threads meeting new shapes at once agree on it. */
struct plan_job {
	int M, N, K;
	enum nn_gemm_impl got;
};

static void *plan_thread(void *p)
{
	struct plan_job *j = p;
	j->got = nn_gemm_plan(j->M, j->N, j->K, false);
	return NULL;
}

static void test_gemm_planned(void)
{
	int shapes[][3] = { { 16, 144, 36 }, { 7, 3, 300 }, { 130, 129, 65 } };
	for (int s = 0; s < 3; s++) {
		int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
		float *A = rnd((size_t)M * K, -1, 1), *B = rnd((size_t)K * N, -1, 1);
		float *C = rnd((size_t)M * N, -1, 1), *D = malloc(sizeof(float) * M * N);
		memcpy(D, C, sizeof(float) * M * N);
		nn_gemm(C, A, B, M, N, K, false);
		nn_gemm_loops(D, A, B, M, N, K, false);
		CHECK(max_abs_diff(C, D, (size_t)M * N) < 1e-4);
		enum nn_gemm_impl first = nn_gemm_plan(M, N, K, false);
		CHECK(nn_gemm_plan(M, N, K, false) == first);
		char line[160];
		nn_gemm_plan_describe(line, sizeof line, M, N, K, false);
		CHECK_STR_CONTAINS(line, nn_gemm_impl_name(first));
		free(A), free(B), free(C), free(D);
	}
	pthread_t th[4];
	struct plan_job jobs[4];
	for (int t = 0; t < 4; t++) {
		jobs[t] = (struct plan_job){ 40 + t % 2, 50, 60, NN_GEMM_LOOPS };
		pthread_create(&th[t], NULL, plan_thread, &jobs[t]);
	}
	for (int t = 0; t < 4; t++)
		pthread_join(th[t], NULL);
	CHECK(jobs[0].got == jobs[2].got && jobs[1].got == jobs[3].got);
	CHECK(jobs[0].got == nn_gemm_plan(40, 50, 60, false));
}

/* ---------------------------------------------------------------- conv */

static double conv_objective(const float *inp, const float *w, const float *b, const float *r,
			     const struct nn_conv2d_dims *d, size_t nout)
{
	float *out = malloc(nout * sizeof *out);
	nn_conv2d_forward_naive(out, inp, w, b, d);
	double L = 0;
	for (size_t i = 0; i < nout; i++)
		L += (double)out[i] * r[i];
	free(out);
	return L;
}

static void check_conv(int B, int C, int H, int W, int OC, int k, int s, int pad)
{
	struct nn_conv2d_dims d;
	CHECK(nn_conv2d_dims_init(&d, B, C, H, W, OC, k, s, pad));
	size_t nin = (size_t)B * C * H * W, nw = (size_t)OC * C * k * k;
	size_t nout = (size_t)B * OC * d.OH * d.OW;
	float *inp = rnd(nin, -1, 1), *w = rnd(nw, -1, 1), *b = rnd(OC, -1, 1), *r = rnd(nout, -1, 1);
	float *o1 = zeros(nout), *o2 = zeros(nout);
	float *scratch = zeros(nn_conv2d_scratch_floats(&d));
	nn_conv2d_forward(o1, inp, w, b, &d, scratch);
	nn_conv2d_forward_naive(o2, inp, w, b, &d);
	CHECK(max_abs_diff(o1, o2, nout) < 1e-5);

	/* fast vs naive backward, both accumulating onto the same nonzero start */
	float *di1 = rnd(nin, -1, 1), *dw1 = rnd(nw, -1, 1), *db1 = rnd(OC, -1, 1);
	float *di2 = malloc(nin * 4), *dw2 = malloc(nw * 4), *db2 = malloc(OC * 4);
	memcpy(di2, di1, nin * 4), memcpy(dw2, dw1, nw * 4), memcpy(db2, db1, OC * 4);
	nn_conv2d_backward(di1, dw1, db1, r, inp, w, &d, scratch);
	nn_conv2d_backward_naive(di2, dw2, db2, r, inp, w, &d);
	CHECK(max_abs_diff(di1, di2, nin) < 1e-4);
	CHECK(max_abs_diff(dw1, dw2, nw) < 1e-4);
	CHECK(max_abs_diff(db1, db2, OC) < 1e-4);
	/* dinp NULL leaves the weight gradient the same */
	float *dw3 = zeros(nw), *dw4 = zeros(nw);
	nn_conv2d_backward(NULL, dw3, NULL, r, inp, w, &d, scratch);
	nn_conv2d_backward_naive(NULL, dw4, NULL, r, inp, w, &d);
	CHECK(max_abs_diff(dw3, dw4, nw) < 1e-4);

	/* finite differences (naive forward, double objective) */
	float *gi = zeros(nin), *gw = zeros(nw), *gb = zeros(OC);
	nn_conv2d_backward_naive(gi, gw, gb, r, inp, w, &d);
	const float h = 1e-2f;
	float *vars[3] = { inp, w, b };
	float *grads[3] = { gi, gw, gb };
	size_t counts[3] = { nin, nw, (size_t)OC };
	for (int v = 0; v < 3; v++)
		for (size_t i = 0; i < counts[v]; i += 1 + counts[v] / 23) {
			float keep = vars[v][i];
			vars[v][i] = keep + h;
			double lp = conv_objective(inp, w, b, r, &d, nout);
			vars[v][i] = keep - h;
			double lm = conv_objective(inp, w, b, r, &d, nout);
			vars[v][i] = keep;
			CHECK_NEAR(grads[v][i], (lp - lm) / (2 * h), 2e-3);
		}
	free(inp), free(w), free(b), free(r), free(o1), free(o2), free(scratch);
	free(di1), free(dw1), free(db1), free(di2), free(dw2), free(db2), free(dw3), free(dw4);
	free(gi), free(gw), free(gb);
}

static void test_conv(void)
{
	check_conv(1, 4, 14, 14, 16, 3, 1, 0);  /* qcq-cnn conv1 */
	check_conv(1, 16, 6, 6, 32, 3, 1, 0);   /* qcq-cnn conv2 */
	check_conv(2, 1, 28, 28, 16, 3, 1, 0);  /* cnn conv1 */
	check_conv(2, 16, 13, 13, 32, 3, 1, 0); /* cnn conv2 */
	check_conv(1, 2, 20, 21, 3, 5, 1, 0);   /* 5x5 taps, rows of 16 and 17 */
	check_conv(3, 2, 7, 9, 5, 3, 2, 1);     /* stride and padding */
	check_conv(2, 3, 5, 5, 4, 2, 1, 2);     /* padding larger than the kernel edge */
	check_conv(1, 1, 3, 3, 1, 3, 1, 0);     /* one output pixel */
}

/*
 * The conv passes against the per-sample products they replaced (im2col of one
 * sample, dw += dout row with row = col^T, dcol = w^T dout then col2im), both run
 * on the same gemm implementation: the kernel and the loops add in the same order
 * either way, so the bits must agree (and so a planned run keeps its last bits).
 */
static void ref_im2col(float *col, const float *in, const struct nn_conv2d_dims *d)
{
	int k = d->k, P = d->OH * d->OW;
	for (int c = 0; c < d->C; c++)
		for (int ky = 0; ky < k; ky++)
			for (int kx = 0; kx < k; kx++, col += P)
				for (int oy = 0; oy < d->OH; oy++)
					for (int ox = 0; ox < d->OW; ox++) {
						int iy = oy * d->stride + ky - d->pad, ix = ox * d->stride + kx - d->pad;
						bool inside = iy >= 0 && iy < d->H && ix >= 0 && ix < d->W;
						col[oy * d->OW + ox] =
							inside ? in[((size_t)c * d->H + iy) * d->W + ix] : 0.0f;
					}
}

/* conv.c's bias-gradient sum: 16 partial sums, then the tail, then the partials */
static float ref_sum(const float *x, int n)
{
	float acc[16] = { 0 }, s = 0.0f;
	int i = 0;
	for (; i + 16 <= n; i += 16)
		for (int j = 0; j < 16; j++)
			acc[j] += x[i + j];
	for (; i < n; i++)
		s += x[i];
	for (int j = 0; j < 16; j++)
		s += acc[j];
	return s;
}

static void ref_conv(float *out, float *dinp, float *dw, float *db, const float *dout,
		     const float *inp, const float *w, const float *b, const struct nn_conv2d_dims *d,
		     nn_gemm_fn gemm)
{
	int K = d->C * d->k * d->k, P = d->OH * d->OW, OC = d->OC;
	size_t in_sz = (size_t)d->C * d->H * d->W;
	float *col = malloc(sizeof(float) * K * P), *row = malloc(sizeof(float) * K * P);
	float *dcol = malloc(sizeof(float) * K * P);
	for (int n = 0; n < d->B; n++) {
		float *o = out + (size_t)n * OC * P;
		const float *g = dout + (size_t)n * OC * P;
		for (int i = 0; i < OC * P; i++)
			o[i] = b[i / P];
		ref_im2col(col, inp + n * in_sz, d);
		gemm(o, w, col, OC, P, K, false);
		for (int oc = 0; oc < OC; oc++)
			db[oc] += ref_sum(g + (size_t)oc * P, P);
		for (int t = 0; t < K; t++)
			for (int p = 0; p < P; p++)
				row[(size_t)p * K + t] = col[(size_t)t * P + p];
		gemm(dw, g, row, OC, K, P, false);
		memset(dcol, 0, sizeof(float) * K * P);
		gemm(dcol, w, g, K, P, OC, true);
		float *di = dinp + n * in_sz;
		for (int c = 0; c < d->C; c++) /* taps outermost, as col2im adds them */
			for (int ky = 0; ky < d->k; ky++)
				for (int kx = 0; kx < d->k; kx++) {
					const float *src = dcol + ((size_t)(c * d->k + ky) * d->k + kx) * P;
					for (int oy = 0; oy < d->OH; oy++)
						for (int ox = 0; ox < d->OW; ox++) {
							int iy = oy * d->stride + ky - d->pad;
							int ix = ox * d->stride + kx - d->pad;
							if (iy >= 0 && iy < d->H && ix >= 0 && ix < d->W)
								di[((size_t)c * d->H + iy) * d->W + ix] +=
									src[oy * d->OW + ox];
						}
				}
	}
	free(col), free(row), free(dcol);
}

static void check_conv_bits(int B, int C, int H, int W, int OC, int k, int s, int pad)
{
	struct nn_conv2d_dims d;
	CHECK(nn_conv2d_dims_init(&d, B, C, H, W, OC, k, s, pad));
	size_t nin = (size_t)B * C * H * W, nw = (size_t)OC * C * k * k;
	size_t nout = (size_t)B * OC * d.OH * d.OW;
	float *inp = rnd(nin, -1, 1), *w = rnd(nw, -1, 1), *b = rnd(OC, -1, 1), *r = rnd(nout, -1, 1);
	float *scratch = zeros(nn_conv2d_scratch_floats(&d));
	const struct nn_gemm_ops *paths[2] = { &nn_gemm_kernel, &nn_gemm_plain };
	enum nn_conv_fwd hows[2] = { NN_CONV_FWD_SAMPLES, NN_CONV_FWD_CHUNK };
	for (int path = 0; path < 2; path++)
		for (int how = 0; how < 2; how++)
			for (int clobber = 0; clobber < 2; clobber++) {
				float *o1 = zeros(nout), *o2 = zeros(nout);
				float *di1 = rnd(nin, -1, 1), *dw1 = rnd(nw, -1, 1), *db1 = rnd(OC, -1, 1);
				float *di2 = malloc(nin * 4), *dw2 = malloc(nw * 4), *db2 = malloc(OC * 4);
				memcpy(di2, di1, nin * 4), memcpy(dw2, dw1, nw * 4);
				memcpy(db2, db1, OC * 4);
				bool kept = nn_conv2d_forward_with(o1, inp, w, b, &d, scratch, hows[how],
								   paths[path]);
				/* the batch's im2col is kept when it was built whole */
				CHECK(kept == (nn_conv2d_chunk(&d) >= B &&
					       (hows[how] == NN_CONV_FWD_CHUNK || B == 1)));
				if (clobber) { /* another conv's forward on the scratch in between */
					memset(scratch, 0xff,
					       sizeof(float) * nn_conv2d_scratch_floats(&d));
					kept = false;
				}
				nn_conv2d_backward_with(di1, dw1, db1, r, inp, w, &d, scratch, kept,
							paths[path]);
				ref_conv(o2, di2, dw2, db2, r, inp, w, b, &d, paths[path]->add);
				CHECK(memcmp(o1, o2, nout * 4) == 0);
				CHECK(memcmp(dw1, dw2, nw * 4) == 0);
				CHECK(memcmp(db1, db2, (size_t)OC * 4) == 0);
				CHECK(memcmp(di1, di2, nin * 4) == 0);
				free(o1), free(o2), free(di1), free(dw1), free(db1);
				free(di2), free(dw2), free(db2);
			}
	free(inp), free(w), free(b), free(r), free(scratch);
}

static void test_conv_bits(void)
{
	struct nn_conv2d_dims d;
	check_conv_bits(1, 4, 14, 14, 16, 3, 1, 0); /* qcq-cnn conv1 */
	check_conv_bits(4, 1, 28, 28, 16, 3, 1, 0); /* cnn conv1, batch 4 */
	check_conv_bits(4, 16, 13, 13, 32, 3, 1, 0); /* cnn conv2, batch 4 */
	/* 9 samples of cnn conv2 go in two chunks (5 and 4): kept_col must not reuse a
	 * chunk's im2col for another */
	CHECK(nn_conv2d_dims_init(&d, 9, 16, 13, 13, 32, 3, 1, 0) && nn_conv2d_chunk(&d) == 5);
	check_conv_bits(9, 16, 13, 13, 32, 3, 1, 0);
	check_conv_bits(3, 2, 7, 9, 5, 3, 2, 1);    /* stride and padding */
	check_conv_bits(2, 2, 20, 21, 3, 5, 1, 0);  /* 5x5 taps */
}

/* A model sizes a conv's scratch once, for its largest batch, and runs every smaller
 * batch on it: chunks are made even, so a smaller batch can have a larger chunk (32
 * samples at a cap of 10 go as 4 x 8, 30 as 3 x 10), and a batch of one builds row
 * (P, K) instead of G. Canaries past the end catch any write beyond the size (this
 * overflowed before: found as heap corruption in the paper-code session). */
static void check_scratch_every_batch(int Bmax, int C, int H, int OC, int k, int st, int pad)
{
	struct nn_conv2d_dims dm, d;
	CHECK(nn_conv2d_dims_init(&dm, Bmax, C, H, H, OC, k, st, pad));
	size_t ns = nn_conv2d_scratch_floats(&dm), canary = 4096;
	float *scratch = malloc((ns + canary) * sizeof(float));
	size_t nin = (size_t)Bmax * C * H * H, nw = (size_t)OC * C * k * k;
	size_t nout = (size_t)Bmax * OC * dm.OH * dm.OW;
	float *inp = rnd(nin, -1, 1), *w = rnd(nw, -1, 1), *b = rnd(OC, -1, 1), *r = rnd(nout, -1, 1);
	float *out = zeros(nout), *di = zeros(nin), *dw = zeros(nw), *db = zeros(OC);
	bool bigger = false;
	for (int B = 1; B <= Bmax; B++) {
		CHECK(nn_conv2d_dims_init(&d, B, C, H, H, OC, k, st, pad));
		bigger |= nn_conv2d_chunk(&d) > nn_conv2d_chunk(&dm);
		for (size_t i = 0; i < canary; i++)
			scratch[ns + i] = -7.0f;
		enum nn_conv_fwd hows[2] = { NN_CONV_FWD_SAMPLES, NN_CONV_FWD_CHUNK };
		for (int how = 0; how < 2; how++) {
			bool kept = nn_conv2d_forward_with(out, inp, w, b, &d, scratch, hows[how],
							   &nn_gemm_kernel);
			nn_conv2d_backward_with(di, dw, db, r, inp, w, &d, scratch, kept, &nn_gemm_kernel);
		}
		size_t bad = 0;
		for (size_t i = 0; i < canary; i++)
			bad += scratch[ns + i] != -7.0f;
		if (bad)
			printf("  scratch overflow: batch %d of max %d, (C %d, H %d, OC %d, k %d): %zu floats\n",
			       B, Bmax, C, H, OC, k, bad);
		CHECK(bad == 0);
	}
	CHECK(bigger == (Bmax == 32 && C == 2)); /* the case above does occur, for this one */
	free(scratch), free(inp), free(w), free(b), free(r), free(out), free(di), free(dw), free(db);
}

static void test_conv_scratch_every_batch(void)
{
	check_scratch_every_batch(32, 2, 28, 4, 3, 1, 0);  /* cap 10: 30 samples chunk larger than 32 */
	check_scratch_every_batch(32, 16, 13, 32, 3, 1, 0); /* cnn conv2 (K 144 > 4 OC: row is larger) */
	check_scratch_every_batch(8, 1, 28, 16, 3, 1, 0);   /* cnn conv1 */
	check_scratch_every_batch(6, 4, 14, 8, 3, 1, 0);    /* paper-code qcq-cnn conv1 */
	check_scratch_every_batch(12, 3, 9, 5, 3, 2, 1);    /* stride and padding */
	check_scratch_every_batch(9, 2, 20, 3, 5, 1, 0);    /* 5x5 taps */
}

static void test_conv_dims(void)
{
	struct nn_conv2d_dims d;
	CHECK(nn_conv2d_dims_init(&d, 1, 4, 14, 14, 16, 3, 1, 0) && d.OH == 12 && d.OW == 12);
	CHECK(nn_conv2d_dims_init(&d, 1, 1, 28, 28, 8, 3, 2, 1) && d.OH == 14 && d.OW == 14);
	CHECK(!nn_conv2d_dims_init(&d, 1, 1, 2, 2, 8, 3, 1, 0));
	CHECK(!nn_conv2d_dims_init(&d, 0, 1, 8, 8, 8, 3, 1, 0));
	CHECK(!nn_conv2d_dims_init(&d, 1, 1, 8, 8, 8, 3, 0, 0));
}

/* ---------------------------------------------------------------- pool, dense, relu */

static void check_maxpool_bc(int k, int B, int C, int H, int W)
{
	int OH = H / k, OW = W / k;
	size_t nin = (size_t)B * C * H * W, nout = (size_t)B * C * OH * OW;
	float *inp = zeros(nin), *out = zeros(nout), *r = rnd(nout, -1, 1), *din = zeros(nin);
	uint32_t *perm = malloc(nin * sizeof *perm);
	for (size_t i = 0; i < nin; i++)
		perm[i] = (uint32_t)i;
	qcq_rng_shuffle(&R, perm, nin);
	for (size_t i = 0; i < nin; i++)
		inp[i] = 0.01f * (float)perm[i] - 1.0f; /* distinct values: no ties within h */
	free(perm);
	nn_maxpool_forward(out, inp, B, C, H, W, k);
	nn_maxpool_backward(din, r, inp, B, C, H, W, k);
	/* out is the max of each window; the finite difference of sum(out r) */
	const float h = 1e-3f;
	for (size_t i = 0; i < nin; i++) {
		float keep = inp[i];
		double L[2];
		for (int s = 0; s < 2; s++) {
			inp[i] = keep + (s ? -h : h);
			float *o = zeros(nout);
			nn_maxpool_forward(o, inp, B, C, H, W, k);
			L[s] = 0;
			for (size_t j = 0; j < nout; j++)
				L[s] += (double)o[j] * r[j];
			free(o);
		}
		inp[i] = keep;
		CHECK_NEAR(din[i], (L[0] - L[1]) / (2 * h), 1e-3);
	}
	free(inp), free(out), free(r), free(din);
}

static void check_maxpool(int k, int H, int W)
{
	check_maxpool_bc(k, 2, 3, H, W);
}

static void test_maxpool(void)
{
	/* rows of 2 windows: two window rows per vector, an odd last one alone */
	check_maxpool(2, 4, 4);
	check_maxpool(2, 5, 5);
	check_maxpool_bc(2, 1, 1, 6, 4);
	check_maxpool_bc(2, 1, 3, 7, 5);
	/* the branch-free 2x2 path: rows of 4 windows, of 5, 6 and 13 (the last 4
	 * overlapping), of 3 (no vector) */
	check_maxpool(2, 7, 8);
	check_maxpool(2, 5, 10);
	check_maxpool(2, 6, 12);
	check_maxpool(2, 4, 26);
	check_maxpool(2, 3, 16);  /* one block of 8 windows */
	check_maxpool(2, 3, 35);  /* 8-window blocks overlapping, an odd column */
	check_maxpool(2, 3, 6);
	check_maxpool(3, 7, 8); /* the generic path */
	/* ties go to the first maximum, as in PyTorch; the ragged column gets nothing */
	float t[4 * 3] = { 5, 5, 0, 5, 5, 0, 1, 1, 0, 9, 9, 9 };
	float tout[2], td[12] = { 0 }, g[2] = { 1, 1 };
	nn_maxpool_forward(tout, t, 1, 1, 4, 3, 2);
	CHECK(tout[0] == 5 && tout[1] == 9);
	nn_maxpool_backward(td, g, t, 1, 1, 4, 3, 2);
	CHECK(td[0] == 1 && td[1] == 0 && td[3] == 0 && td[4] == 0);
	CHECK(td[9] == 1 && td[10] == 0 && td[2] == 0 && td[5] == 0 && td[11] == 0);
	/* tie patterns in rows of 5 windows (vector path with overlap) agree with the
	 * one-window path checked below */
	for (int pat = 0; pat < 81; pat++) {
		float row[2 * 10], o5[5], d5[20] = { 0 }, g5[5] = { 1, 2, 3, 4, 5 };
		for (int j = 0; j < 5; j++)
			for (int e = 0, q = (pat + 17 * j) % 81; e < 4; e++, q /= 3)
				row[(e / 2) * 10 + 2 * j + e % 2] = (float)(q % 3);
		nn_maxpool_forward(o5, row, 1, 1, 2, 10, 2);
		nn_maxpool_backward(d5, g5, row, 1, 1, 2, 10, 2);
		for (int j = 0; j < 5; j++) {
			float w4[4] = { row[2 * j], row[2 * j + 1], row[10 + 2 * j], row[11 + 2 * j] };
			float o1, g1[4] = { 0 };
			nn_maxpool_forward(&o1, w4, 1, 1, 2, 2, 2);
			nn_maxpool_backward(g1, &g5[j], w4, 1, 1, 2, 2, 2);
			CHECK(o5[j] == o1);
			CHECK(d5[2 * j] == g1[0] && d5[2 * j + 1] == g1[1] && d5[10 + 2 * j] == g1[2] &&
			      d5[11 + 2 * j] == g1[3]);
		}
	}
	/* every tie pattern of a 2x2 window agrees with the generic 3x3-capable path */
	for (int pat = 0; pat < 81; pat++) {
		float w4[4], o1, o2, g1[4] = { 0 }, g2[4] = { 0 }, one = 1;
		for (int j = 0, q = pat; j < 4; j++, q /= 3)
			w4[j] = (float)(q % 3);
		nn_maxpool_forward(&o1, w4, 1, 1, 2, 2, 2);
		nn_maxpool_backward(g1, &one, w4, 1, 1, 2, 2, 2);
		/* the generic path on a 3x3 window padded with -inf */
		float w9[9] = { w4[0], w4[1], -INFINITY, w4[2], w4[3], -INFINITY, -INFINITY, -INFINITY,
				-INFINITY }, g9[9] = { 0 };
		nn_maxpool_forward(&o2, w9, 1, 1, 3, 3, 3);
		nn_maxpool_backward(g9, &one, w9, 1, 1, 3, 3, 3);
		g2[0] = g9[0], g2[1] = g9[1], g2[2] = g9[3], g2[3] = g9[4];
		CHECK(o1 == o2 && memcmp(g1, g2, sizeof g1) == 0);
	}
}

static void test_avgpool(void)
{
	int B = 2, C = 2, H = 7, W = 9, kh = 3, kw = 2, OH = 2, OW = 4;
	size_t nin = (size_t)B * C * H * W, nout = (size_t)B * C * OH * OW;
	float *inp = rnd(nin, -1, 1), *out = zeros(nout), *r = rnd(nout, -1, 1), *din = zeros(nin);
	nn_avgpool_forward(out, inp, B, C, H, W, kh, kw);
	/* window (bc 3, oy 1, ox 2) by hand */
	double acc = 0;
	for (int y = 3; y < 6; y++)
		for (int x = 4; x < 6; x++)
			acc += inp[((size_t)3 * H + y) * W + x];
	CHECK_NEAR(out[(3 * OH + 1) * OW + 2], acc / 6, 1e-6);
	nn_avgpool_backward(din, r, B, C, H, W, kh, kw);
	for (size_t i = 0; i < nin; i += 3) {
		float keep = inp[i];
		double L[2];
		for (int sg = 0; sg < 2; sg++) {
			inp[i] = keep + (sg ? -0.01f : 0.01f);
			nn_avgpool_forward(out, inp, B, C, H, W, kh, kw);
			L[sg] = 0;
			for (size_t j = 0; j < nout; j++)
				L[sg] += (double)out[j] * r[j];
		}
		inp[i] = keep;
		CHECK_NEAR(din[i], (L[0] - L[1]) / 0.02, 1e-3);
	}
	free(inp), free(out), free(r), free(din);
}

static void check_dense(int B, int IN, int OUT)
{
	size_t nin = (size_t)B * IN, nw = (size_t)OUT * IN, nout = (size_t)B * OUT;
	float *inp = rnd(nin, -1, 1), *w = rnd(nw, -1, 1), *b = rnd(OUT, -1, 1), *r = rnd(nout, -1, 1);
	float *o1 = zeros(nout), *o2 = zeros(nout);
	nn_dense_forward(o1, inp, w, b, B, IN, OUT);
	nn_dense_forward_naive(o2, inp, w, b, B, IN, OUT);
	CHECK(max_abs_diff(o1, o2, nout) < 1e-4);
	float *di1 = rnd(nin, -1, 1), *dw1 = rnd(nw, -1, 1), *db1 = rnd(OUT, -1, 1);
	float *di2 = malloc(nin * 4), *dw2 = malloc(nw * 4), *db2 = malloc(OUT * 4);
	memcpy(di2, di1, nin * 4), memcpy(dw2, dw1, nw * 4), memcpy(db2, db1, OUT * 4);
	nn_dense_backward(di1, dw1, db1, r, inp, w, B, IN, OUT);
	nn_dense_backward_naive(di2, dw2, db2, r, inp, w, B, IN, OUT);
	CHECK(max_abs_diff(di1, di2, nin) < 1e-4);
	CHECK(max_abs_diff(dw1, dw2, nw) < 1e-4);
	CHECK(max_abs_diff(db1, db2, OUT) < 1e-4);
	/* finite differences: the objective is linear in each variable, so any h works */
	float *gi = zeros(nin), *gw = zeros(nw), *gb = zeros(OUT);
	nn_dense_backward_naive(gi, gw, gb, r, inp, w, B, IN, OUT);
	float *vars[3] = { inp, w, b }, *grads[3] = { gi, gw, gb };
	size_t counts[3] = { nin, nw, (size_t)OUT };
	for (int v = 0; v < 3; v++)
		for (size_t i = 0; i < counts[v]; i += 1 + counts[v] / 17) {
			float keep = vars[v][i];
			double L[2];
			for (int s = 0; s < 2; s++) {
				vars[v][i] = keep + (s ? -0.01f : 0.01f);
				nn_dense_forward_naive(o2, inp, w, b, B, IN, OUT);
				L[s] = 0;
				for (size_t j = 0; j < nout; j++)
					L[s] += (double)o2[j] * r[j];
			}
			vars[v][i] = keep;
			CHECK_NEAR(grads[v][i], (L[0] - L[1]) / 0.02, 1e-3);
		}
	free(inp), free(w), free(b), free(r), free(o1), free(o2);
	free(di1), free(dw1), free(db1), free(di2), free(dw2), free(db2), free(gi), free(gw), free(gb);
}

static void test_dense(void)
{
	check_dense(1, 128, 2);
	check_dense(4, 800, 2);
	check_dense(3, 1, 2);
	check_dense(64, 300, 100); /* large enough for the sgemm path */
}

static void test_relu(void)
{
	float x[6] = { -1, 0, 2, -0.5f, 3, 1e-8f }, y[6], g[6] = { 1, 1, 1, 1, 1, 1 }, d[6] = { 0 };
	nn_relu_forward(y, x, 6);
	CHECK(y[0] == 0 && y[1] == 0 && y[2] == 2 && y[3] == 0 && y[4] == 3 && y[5] == 1e-8f);
	nn_relu_backward(d, g, y, 6);
	nn_relu_backward(d, g, y, 6); /* accumulates */
	CHECK(d[0] == 0 && d[1] == 0 && d[2] == 2 && d[4] == 2 && d[5] == 2);
}

/* The writing backward passes of the model (nn-internal.h): the same bits as the
 * accumulating ones onto zeros, whatever the output held before (ragged rows and
 * columns of odd maps included, -0 gradients included). */
static void check_write_backward(int B, int C, int H, int W)
{
	size_t nin = (size_t)B * C * H * W, nout = (size_t)B * C * (H / 2) * (W / 2);
	float *inp = rnd(nin, -1, 1), *g = rnd(nout, -1, 1), *gin = rnd(nin, -1, 1);
	for (size_t i = 0; i < nout; i += 5)
		g[i] = -0.0f;
	for (size_t i = 0; i < nin; i += 7)
		gin[i] = -0.0f, inp[i] = 0.0f;
	float *acc = zeros(nin), *wr = rnd(nin, 1e30f, 2e30f);
	nn_maxpool_backward(acc, g, inp, B, C, H, W, 2);
	nn_maxpool2_backward_write(wr, g, inp, B, C, H, W);
	CHECK(memcmp(acc, wr, nin * sizeof(float)) == 0);
	float *acc2 = zeros(nin), *wr2 = rnd(nin, 1e30f, 2e30f);
	nn_relu_backward(acc2, gin, inp, nin);
	nn_relu_backward_write(wr2, gin, inp, nin);
	CHECK(memcmp(acc2, wr2, nin * sizeof(float)) == 0);
	/* ReLU then pool in one pass, on a ReLU's output (zeros, whole windows of them) */
	float *pre = rnd(nin, -1, 1), *out = zeros(nin), *mid = zeros(nin);
	for (int i = 0; i < 2 * W; i++)
		pre[i] = -1.0f; /* the first two rows: windows of zeros */
	nn_relu_forward(out, pre, nin);
	float *two = zeros(nin), *one = rnd(nin, 1e30f, 2e30f);
	nn_maxpool_backward(mid, g, out, B, C, H, W, 2);
	nn_relu_backward(two, mid, out, nin);
	nn_relu_maxpool2_backward_write(one, g, out, B, C, H, W);
	CHECK(memcmp(two, one, nin * sizeof(float)) == 0);
	free(pre), free(out), free(mid), free(two), free(one);
	free(inp), free(g), free(gin), free(acc), free(wr), free(acc2), free(wr2);
}

static void test_write_backward(void)
{
	check_write_backward(2, 3, 12, 12); /* qcq-cnn's pools */
	check_write_backward(2, 3, 4, 4);
	check_write_backward(2, 3, 26, 26); /* cnn's */
	check_write_backward(2, 3, 11, 11);
	check_write_backward(2, 3, 7, 9);
	check_write_backward(2, 2, 5, 16);
	check_write_backward(2, 2, 5, 35);
	check_write_backward(2, 3, 3, 3);
	check_write_backward(1, 1, 6, 5); /* an odd number of rows of 2 windows */
	check_write_backward(1, 3, 7, 4);
}

/* ---------------------------------------------------------------- dropout */

static void test_dropout(void)
{
	size_t n = 4000;
	float *x = rnd(n, 0.5f, 1), *y = zeros(n), *mask = zeros(n), *d = zeros(n), *g = rnd(n, -1, 1);
	struct qcq_rng r;
	qcq_rng_seed(&r, 7);
	nn_dropout_forward(y, mask, x, n, 1, 0.25f, true, &r);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		CHECK(mask[i] == 0.0f || fabsf(mask[i] - 1.0f / 0.75f) < 1e-6f);
		CHECK(y[i] == x[i] * mask[i]);
		kept += mask[i] != 0;
	}
	CHECK(kept > 2800 && kept < 3200); /* 3000 +- 4.8 sigma */
	nn_dropout_backward(d, g, mask, n);
	for (size_t i = 0; i < n; i++)
		CHECK(d[i] == g[i] * mask[i]);
	/* channel-wise: groups of 100 share one factor */
	nn_dropout_forward(y, mask, x, n, 100, 0.5f, true, &r);
	for (size_t i = 0; i < n; i++)
		CHECK(mask[i] == mask[i - i % 100]);
	/* same seed, same mask */
	float *m2 = zeros(n), *y2 = zeros(n);
	struct qcq_rng r1, r2;
	qcq_rng_seed(&r1, 9), qcq_rng_seed(&r2, 9);
	nn_dropout_forward(y, mask, x, n, 1, 0.5f, true, &r1);
	nn_dropout_forward(y2, m2, x, n, 1, 0.5f, true, &r2);
	CHECK(memcmp(mask, m2, n * 4) == 0);
	/* evaluation is the identity */
	nn_dropout_forward(y, mask, x, n, 1, 0.5f, false, &r);
	CHECK(memcmp(y, x, n * 4) == 0);
	free(x), free(y), free(mask), free(d), free(g), free(m2), free(y2);
}

/* ---------------------------------------------------------------- softmax CE */

static void test_softmax_ce(void)
{
	int B = 3, K = 2;
	float z[6] = { 0.3f, -1.2f, 2.0f, 2.0f, -30.0f, 50.0f }, p[6];
	int32_t y[3] = { 0, 1, 0 };
	float L = nn_softmax_ce_forward(p, z, y, B, K);
	/* by hand: -log softmax */
	double l0 = log(exp(0.3) + exp(-1.2)) - 0.3, l1 = log(2.0), l2 = 80.0 + log1p(exp(-80.0));
	CHECK_NEAR(L, (l0 + l1 + l2) / 3, 1e-5);
	CHECK_NEAR(p[0] + p[1], 1, 1e-6);
	CHECK(isfinite(L));
	float d[6] = { 0 };
	nn_softmax_ce_backward(d, p, y, B, K, 1.0f);
	for (int i = 0; i < 6; i++) {
		float keep = z[i];
		float pp[6];
		z[i] = keep + 1e-2f;
		double lp = nn_softmax_ce_forward(pp, z, y, B, K);
		z[i] = keep - 1e-2f;
		double lm = nn_softmax_ce_forward(pp, z, y, B, K);
		z[i] = keep;
		CHECK_NEAR(d[i], (lp - lm) / 2e-2, 2e-3);
	}
}

/* ---------------------------------------------------------------- optimisers, init */

static void test_adam(void)
{
	size_t n = 1000;
	float *p1 = rnd(n, -1, 1), *g = rnd(n, -1, 1), *m1 = zeros(n), *v1 = zeros(n);
	float *p2 = malloc(n * 4), *m2 = zeros(n), *v2 = zeros(n);
	memcpy(p2, p1, n * 4);
	struct nn_adam o = NN_ADAM_DEFAULT;
	for (long t = 1; t <= 5; t++) {
		nn_adam_step(p1, g, m1, v1, n, &o, t);
		nn_adam_step_naive(p2, g, m2, v2, n, &o, t);
	}
	CHECK(max_abs_diff(p1, p2, n) < 1e-6);
	CHECK(max_abs_diff(m1, m2, n) < 1e-6);
	/* first step of bias-corrected Adam moves each weight by lr sign(g) (|g| >> eps) */
	float p = 0.5f, gg = -0.2f, m = 0, v = 0;
	nn_adam_step(&p, &gg, &m, &v, 1, &o, 1);
	CHECK_NEAR(p, 0.5 + 0.001, 1e-7);
	/* weight decay adds wd p to the gradient */
	struct nn_adam owd = o;
	owd.weight_decay = 0.1f;
	float pw = 1.0f, gw = 0.0f, mw = 0, vw = 0;
	nn_adam_step(&pw, &gw, &mw, &vw, 1, &owd, 1);
	CHECK_NEAR(pw, 1.0 - 0.001, 1e-6);
	free(p1), free(g), free(m1), free(v1), free(p2), free(m2), free(v2);
}

static void test_sgd(void)
{
	float p = 1.0f, g = 0.5f, buf = 123.0f;
	nn_sgd_step(&p, &g, &buf, 1, 0.1f, 0.9f, 1); /* buf = g */
	CHECK_NEAR(p, 0.95, 1e-7);
	CHECK_NEAR(buf, 0.5, 1e-7);
	nn_sgd_step(&p, &g, &buf, 1, 0.1f, 0.9f, 2); /* buf = 0.9 0.5 + 0.5 = 0.95 */
	CHECK_NEAR(buf, 0.95, 1e-6);
	CHECK_NEAR(p, 0.95 - 0.095, 1e-6);
}

static void test_init(void)
{
	size_t n = 20000;
	float *x = zeros(n);
	struct qcq_rng r;
	qcq_rng_seed(&r, 3);
	nn_init_uniform(x, n, 1.0f / 6.0f, &r);
	double mean = 0, var = 0, mx = 0;
	for (size_t i = 0; i < n; i++)
		mean += x[i], mx = fmax(mx, fabs(x[i]));
	mean /= n;
	for (size_t i = 0; i < n; i++)
		var += (x[i] - mean) * (x[i] - mean);
	var /= n;
	CHECK(mx <= 1.0 / 6.0);
	CHECK(fabs(mean) < 0.003);
	CHECK_NEAR(var, (1.0 / 36.0) / 3.0, 5e-4); /* U(-a,a): a^2/3 */
	free(x);
}

int main(void)
{
	qcq_rng_seed(&R, 12345);
	RUN(test_gemm_paths);
	RUN(test_gemm_planned);
	RUN(test_conv_dims);
	RUN(test_conv);
	RUN(test_conv_bits);
	RUN(test_conv_scratch_every_batch);
	RUN(test_maxpool);
	RUN(test_avgpool);
	RUN(test_dense);
	RUN(test_relu);
	RUN(test_write_backward);
	RUN(test_dropout);
	RUN(test_softmax_ce);
	RUN(test_adam);
	RUN(test_sgd);
	RUN(test_init);
	return check_summary();
}
