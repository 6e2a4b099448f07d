/* tests/qml: the quanvolution filter -- golden values (CONVENTIONS 11 d), fast paths
 * against the naive twin, construction, hashing and every validation message. */
#include "qcq/qml.h"
#include "qml/qml-internal.h"
#include "check.h"

#include <stdlib.h>

static void make(struct qml_gate *g, const char *name, int q0, int q1, double a)
{
	int q[2] = {q0, q1};
	int nq = q1 < 0 ? 1 : 2;
	struct qcq_error e;
	CHECK(qml_gate_make(g, name, q, nq, &a, q1 < 0 ? 1 : 0, &e) == QCQ_OK);
}

static struct qml_filter *filter_F(void)
{
	struct qml_gate g[8];
	make(&g[0], "rx", 0, -1, 0.7);
	make(&g[1], "cx", 1, 2, 0);
	make(&g[2], "ry", 3, -1, 1.3);
	make(&g[3], "rz", 1, -1, -0.4);
	make(&g[4], "cx", 0, 3, 0);
	make(&g[5], "ry", 2, -1, 2.1);
	make(&g[6], "rx", 1, -1, -1.1);
	make(&g[7], "cx", 3, 1, 0);
	struct qml_filter *f;
	struct qcq_error e;
	CHECK(qml_filter_create(&f, 2, 2, g, 8, "F", &e) == QCQ_OK);
	return f;
}

static const double patches[5][4] = {
	{0.0, 0.0, 0.0, 0.0}, {1.0, 1.0, 1.0, 1.0}, {0.1, 0.2, 0.3, 0.4},
	{0.9, 0.0, 0.35, 0.6}, {0.25, 0.75, 1.0, 0.5},
};
/* [patch][circuit F, RL-A, RL-B, RL-C][j] */
static const double golden[5][4][4] = {
	{{+0.7648421872845, +0.0928032213981, -0.5048461045999, +0.2045943891813},
	 {+0.1733012803655, -0.9604982016835, -0.9533337806845, -0.7986899641694},
	 {-0.8153604516454, +1.0000000000000, +1.0000000000000, +1.0000000000000},
	 {+1.0000000000000, -0.9533337806845, +0.4253798201272, -0.9533337806845}},
	{{-0.7648421872845, -0.0928032213981, -0.5048461045999, +0.2045943891813},
	 {-0.1733012803655, +0.9604982016835, +0.9533337806845, +0.7986899641694},
	 {-0.8153604516454, +1.0000000000000, -1.0000000000000, -1.0000000000000},
	 {-1.0000000000000, +0.9533337806845, -0.4253798201272, -0.9533337806845}},
	{{+0.7274081461544, -0.3226404819131, -0.9384196360755, -0.6064667997154},
	 {+0.0412048279935, -0.7265126798983, -0.5603555367986, -0.2468087721651},
	 {-0.4182318518914, +0.4755282581476, +0.5877852522925, +0.3090169943749},
	 {+0.9510565162952, -0.5938000641532, +0.3855073004278, -0.1834943110843}},
	{{-0.7274081461544, +0.3296393530273, -0.9983205127435, +0.7267243643779},
	 {+0.0509319684011, -0.9604982016835, -0.4328044795115, +0.2468087721651},
	 {-0.4182318518914, +0.4539904997395, +0.4539904997395, -0.3090169943749},
	 {-0.9510565162952, -0.9533337806845, +0.3423234086904, +0.2945963395432}},
	{{+0.5408250971664, +0.1671433554886, -0.3569801040182, -0.5211164492537},
	 {+0.0000000000000, +0.8183178876425, +0.9533337806845, +0.0000000000000},
	 {-0.4086885091383, +0.7071067811865, -1.0000000000000, +0.0000000000000},
	 {+0.7071067811865, +0.8875973083894, -0.4253798201272, +0.0000000000000}},
};

static struct qml_filter *golden_filter(int c)
{
	if (c == 0)
		return filter_F();
	struct qml_filter *f;
	struct qcq_error e;
	CHECK(qml_filter_create_pennylane(&f, "ABC"[c - 1], &e) == QCQ_OK);
	return f;
}

static void test_golden_naive_and_fast(void)
{
	for (int c = 0; c < 4; c++) {
		struct qml_filter *f = golden_filter(c);
		/* the Heisenberg path's sparse terms and its dense table both get compared
		 * with the naive twin: these filters and the random ones below */
		CHECK(f->path != QML_PATH_HEISENBERG || f->terms);
		for (int p = 0; p < 5; p++) {
			double z[4];
			qml_filter_patch_naive(f, patches[p], z);
			for (int j = 0; j < 4; j++)
				CHECK_NEAR(z[j], golden[p][c][j], 1e-10);
			/* the same patch as a 2x2 image through every path */
			float img[4], out[4], outs[4], outn[4];
			for (int j = 0; j < 4; j++)
				img[j] = (float)patches[p][j];
			struct qcq_error e;
			CHECK(qml_filter_apply(f, img, 1, 2, 2, out, NULL, &e) == QCQ_OK);
			CHECK(qml_filter_apply_path(f, QML_PATH_STATEVEC, img, 1, 2, 2, outs, NULL,
						    &e) == QCQ_OK);
			CHECK(qml_filter_apply_naive(f, img, 1, 2, 2, outn, &e) == QCQ_OK);
			for (int j = 0; j < 4; j++) {
				/* the float image rounds x: 1e-5 covers it */
				CHECK_NEAR(out[j], golden[p][c][j], 1e-5);
				CHECK_NEAR(outs[j], golden[p][c][j], 1e-5);
				CHECK_NEAR(out[j], outn[j], 1e-5);
			}
		}
		qml_filter_destroy(f);
	}
}

static void test_empty_filter_is_cos(void)
{
	struct qml_filter *f;
	struct qcq_error e;
	CHECK(qml_filter_create(&f, 2, 2, NULL, 0, NULL, &e) == QCQ_OK);
	float img[4] = {0.0f, 0.25f, 0.5f, 1.0f}, out[4];
	CHECK(qml_filter_apply(f, img, 1, 2, 2, out, NULL, &e) == QCQ_OK);
	CHECK_NEAR(out[0], 1.0, 1e-6);
	CHECK_NEAR(out[1], 0.7071067811865, 1e-6);
	CHECK_NEAR(out[2], 0.0, 1e-6);
	CHECK_NEAR(out[3], -1.0, 1e-6);
	qml_filter_destroy(f);
}

static float *random_images(long n, int h, int w, uint64_t seed, float lo, float hi)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, seed);
	float *im = malloc((size_t)n * (size_t)h * (size_t)w * sizeof *im);
	for (long i = 0; i < n * h * w; i++)
		im[i] = lo + (hi - lo) * qcq_rng_uniformf(&r);
	return im;
}

static double max_diff(const float *a, const float *b, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++)
		if (fabs((double)a[i] - b[i]) > m || a[i] != a[i] || b[i] != b[i])
			m = fabs((double)a[i] - b[i]) > m ? fabs((double)a[i] - b[i]) : 1e9;
	return m;
}

/* fast paths vs naive over random filters, sizes and strides (tails included) */
static void test_fast_vs_naive(void)
{
	int dense = 0;
	static const struct { int k, stride, layers, h, w; } cases[] = {
		{2, 2, 1, 28, 28}, {2, 2, 3, 13, 9}, {2, 1, 2, 7, 11}, {1, 1, 2, 5, 6},
		{3, 3, 1, 12, 12}, {3, 1, 2, 7, 8},  {2, 3, 4, 17, 20},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct qml_filter *f;
		struct qcq_error e;
		CHECK(qml_filter_create_random(&f, cases[c].k, cases[c].stride, cases[c].layers,
					       100 + c, &e) == QCQ_OK);
		int oh, ow, h = cases[c].h, w = cases[c].w, nq = qml_filter_qubits(f);
		CHECK(qml_filter_out_dims(f, h, w, &oh, &ow, &e) == QCQ_OK);
		dense += f->path == QML_PATH_HEISENBERG && !f->sparse;
		long n = 5;
		/* pixels outside [0,1] too: the encoding is periodic */
		float *im = random_images(n, h, w, c, -1.5f, 2.5f);
		size_t no = (size_t)n * (size_t)nq * (size_t)oh * (size_t)ow;
		float *a = malloc(no * sizeof *a), *b = malloc(no * sizeof *b),
		      *s = malloc(no * sizeof *s);
		CHECK(qml_filter_apply_naive(f, im, n, h, w, b, &e) == QCQ_OK);
		CHECK(qml_filter_apply(f, im, n, h, w, a, NULL, &e) == QCQ_OK);
		CHECK(qml_filter_apply_path(f, QML_PATH_STATEVEC, im, n, h, w, s, NULL, &e) ==
		      QCQ_OK);
		CHECK(max_diff(a, b, no) < 1e-5);
		CHECK(max_diff(s, b, no) < 1e-5);
		/* patch values really land in the right channel: naive per patch */
		double x[9], z[9];
		int k = cases[c].k, st = cases[c].stride;
		for (int j = 0; j < nq; j++)
			x[j] = im[(size_t)(1 * h * w) + (size_t)((oh - 1) * st + j / k) * w +
				  (size_t)((ow - 1) * st + j % k)];
		qml_filter_patch_naive(f, x, z);
		for (int j = 0; j < nq; j++)
			CHECK_NEAR(a[(size_t)(1 * nq + j) * oh * ow + (size_t)(oh * ow - 1)], z[j], 1e-5);
		free(im), free(a), free(b), free(s);
		qml_filter_destroy(f);
	}
	CHECK(dense > 0);
	struct qml_filter *pl;
	struct qcq_error e;
	CHECK(qml_filter_create_pennylane(&pl, 'C', &e) == QCQ_OK);
	CHECK(pl->sparse); /* and fast = naive for it in test_golden_naive_and_fast */
	qml_filter_destroy(pl);
}

static void test_threads_identical(void)
{
	struct qml_filter *f;
	struct qcq_error e;
	CHECK(qml_filter_create_pennylane(&f, 'C', &e) == QCQ_OK);
	long n = 100;
	float *im = random_images(n, 28, 28, 7, 0, 1);
	size_t no = (size_t)n * 4 * 14 * 14;
	float *a = malloc(no * sizeof *a), *b = malloc(no * sizeof *b);
	struct qcq_pool *p = qcq_pool_create(3);
	CHECK(qml_filter_apply(f, im, n, 28, 28, a, NULL, &e) == QCQ_OK);
	CHECK(qml_filter_apply(f, im, n, 28, 28, b, p, &e) == QCQ_OK);
	CHECK(memcmp(a, b, no * sizeof *a) == 0);
	CHECK(qml_filter_apply(f, im, 0, 28, 28, b, p, &e) == QCQ_OK);
	qcq_pool_destroy(p);
	free(im), free(a), free(b);
	qml_filter_destroy(f);
}

static void test_random_layers_structure(void)
{
	struct qml_filter *f, *g, *h;
	struct qcq_error e;
	CHECK(qml_filter_create_random(&f, 2, 2, 3, 42, &e) == QCQ_OK);
	CHECK(qml_filter_create_random(&g, 2, 2, 3, 42, &e) == QCQ_OK);
	CHECK(qml_filter_create_random(&h, 2, 2, 3, 43, &e) == QCQ_OK);
	CHECK(qml_filter_hash(f) == qml_filter_hash(g));
	CHECK(qml_filter_hash(f) != qml_filter_hash(h));
	CHECK(strcmp(qml_filter_path_name(f), "heisenberg") == 0);
	int nrot = 0, ncx = 0;
	for (int i = 0; i < qml_filter_ngates(f); i++) {
		const struct qml_gate *gt = qml_filter_gate(f, i);
		if (!strcmp(gt->name, "cx")) {
			ncx++;
			CHECK(gt->q[0] != gt->q[1]);
		} else {
			nrot++;
			CHECK(gt->name[0] == 'r' && gt->param[0] >= 0 && gt->param[0] < 2 * M_PI);
		}
	}
	CHECK(nrot == 12);
	CHECK(qml_filter_gate(f, -1) == NULL && qml_filter_gate(f, 1000) == NULL);
	/* over many seeds the CNOT share approaches 0.3/0.7 of the rotations */
	long tot_cx = 0, tot_rot = 0;
	for (int s = 0; s < 300; s++) {
		struct qml_filter *r;
		CHECK(qml_filter_create_random(&r, 2, 2, 1, (uint64_t)s, &e) == QCQ_OK);
		tot_rot += 4;
		tot_cx += qml_filter_ngates(r) - 4;
		qml_filter_destroy(r);
	}
	CHECK_NEAR((double)tot_cx / tot_rot, 0.3 / 0.7, 0.08);
	(void)ncx;
	qml_filter_destroy(f), qml_filter_destroy(g), qml_filter_destroy(h);
	/* the pennylane filters differ from each other, hash-wise and by name */
	struct qml_filter *a, *b;
	CHECK(qml_filter_create_pennylane(&a, 'a', &e) == QCQ_OK);
	CHECK(qml_filter_create_pennylane(&b, 'B', &e) == QCQ_OK);
	CHECK(qml_filter_hash(a) != qml_filter_hash(b));
	CHECK(strcmp(qml_filter_name(a), "pennylane generation=A") == 0);
	CHECK(qml_filter_patch(a) == 2 && qml_filter_stride(a) == 2 && qml_filter_qubits(a) == 4);
	qml_filter_destroy(a), qml_filter_destroy(b);
}

static void test_big_filter_statevec(void)
{
	struct qml_filter *f;
	struct qcq_error e;
	CHECK(qml_filter_create_random(&f, 3, 3, 1, 5, &e) == QCQ_OK);
	CHECK(strcmp(qml_filter_path_name(f), "statevector") == 0);
	float im[9] = {0}, out[9];
	CHECK(qml_filter_apply_path(f, QML_PATH_HEISENBERG, im, 1, 3, 3, out, NULL, &e) ==
	      QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(e.msg, "heisenberg path needs at most 5 qubits (filter has 9)");
	qml_filter_destroy(f);
}

static void test_gates_and_format(void)
{
	struct qml_gate g;
	struct qcq_error e;
	int q[3] = {0, 1, 2};
	double p[3] = {0.5, 0.25, NAN};
	char buf[64];
	CHECK(qml_gate_make(&g, "u", q, 1, p, 3, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "gate u: angle 2 is not finite");
	CHECK(qml_gate_make(&g, "foo", q, 1, p, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown gate 'foo'");
	CHECK(qml_gate_make(&g, "cx", q, 1, p, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "gate cx takes 2 qubit(s), got 1");
	CHECK(qml_gate_make(&g, "rx", q, 1, p, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "gate rx takes 1 angle(s), got 0");
	int qq[2] = {1, 1}, qn = -2;
	CHECK(qml_gate_make(&g, "cz", qq, 2, p, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "gate cz: qubit 1 used twice");
	CHECK(qml_gate_make(&g, "h", &qn, 1, p, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "gate h: negative qubit -2");
	CHECK(qml_gate_make(&g, "crx", q, 2, p, 1, &e) == QCQ_OK);
	qml_gate_format(&g, buf, sizeof buf);
	CHECK(strcmp(buf, "crx(0.5) q[0],q[1]") == 0);
	qml_gate_format(&g, buf, 6); /* truncates safely */
	CHECK(strlen(buf) == 5);

	/* every gate of the table through naive vs both fast paths: a 3-qubit filter
	 * does not exist (k*k), so use k = 2 with qubits 0..3 */
	static const char *const names[] = {"id", "h", "x", "y", "z", "s", "sdg", "t", "tdg",
					    "sx", "rx", "ry", "rz", "p", "u", "cx", "cy", "cz",
					    "swap", "crx", "cry", "crz", "cp", "rzz", "ccx"};
	static const int nqs[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
				  2, 2, 2, 2, 2, 2, 2, 2, 2, 3};
	static const int nps[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 3,
				  0, 0, 0, 0, 1, 1, 1, 1, 1, 0};
	struct qml_gate gs[60];
	int n = 0;
	double ang[3] = {0.3, -1.1, 0.7};
	for (int i = 0; i < 25; i++) {
		int qa[3] = {i % 4, (i + 1) % 4, (i + 3) % 4};
		CHECK(qml_gate_make(&gs[n++], "ry", &qa[0], 1, ang, 1, &e) == QCQ_OK);
		CHECK(qml_gate_make(&gs[n++], names[i], qa, nqs[i], ang, nps[i], &e) == QCQ_OK);
	}
	struct qml_filter *f;
	CHECK(qml_filter_create(&f, 2, 1, gs, n, "all gates", &e) == QCQ_OK);
	float *im = random_images(3, 5, 4, 9, 0, 1);
	float a[3 * 4 * 12], b[3 * 4 * 12], s[3 * 4 * 12];
	CHECK(qml_filter_apply(f, im, 3, 5, 4, a, NULL, &e) == QCQ_OK);
	CHECK(qml_filter_apply_path(f, QML_PATH_STATEVEC, im, 3, 5, 4, s, NULL, &e) == QCQ_OK);
	CHECK(qml_filter_apply_naive(f, im, 3, 5, 4, b, &e) == QCQ_OK);
	CHECK(max_diff(a, b, 144) < 1e-5);
	CHECK(max_diff(s, b, 144) < 1e-5);
	/* unitarity: the sum of squares of <Z_j> is bounded, outputs in [-1, 1] */
	for (int i = 0; i < 144; i++)
		CHECK(b[i] >= -1.0f - 1e-6f && b[i] <= 1.0f + 1e-6f);
	free(im);
	qml_filter_destroy(f);
}

static void test_validation(void)
{
	struct qml_filter *f = NULL;
	struct qcq_error e;
	struct qml_gate g;
	int q[2] = {0, 4};
	CHECK(qml_gate_make(&g, "cx", q, 2, NULL, 0, &e) == QCQ_OK);
	CHECK(qml_filter_create(&f, 2, 2, &g, 1, NULL, &e) == QCQ_ERANGE && f == NULL);
	CHECK_STR_CONTAINS(e.msg, "gate 0 (cx): qubit 4 out of range (filter has 4)");
	g.nq = 0;
	CHECK(qml_filter_create(&f, 2, 2, &g, 1, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "gate 0: 0 qubits");
	CHECK(qml_filter_create(&f, 4, 2, NULL, 0, NULL, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "patch size 4 out of range [1, 3]");
	CHECK(qml_filter_create(&f, 2, 0, NULL, 0, NULL, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "stride 0 out of range [1, 64]");
	CHECK(qml_filter_create(&f, 2, 2, NULL, QML_FILTER_MAX_GATES + 1, NULL, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "4097 gates out of range [0, 4096]");
	CHECK(qml_filter_create_random(&f, 2, 2, 0, 1, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "layers 0 out of range [1, 64]");
	CHECK(qml_filter_create_random(&f, 0, 2, 1, 1, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "patch size 0 out of range [1, 3]");
	CHECK(qml_filter_create_pennylane(&f, 'D', &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "pennylane generation 'D' unknown (A, B or C)");
	CHECK(f == NULL);

	CHECK(qml_filter_create_pennylane(&f, 'A', &e) == QCQ_OK);
	float im[4] = {0}, out[4];
	int oh, ow;
	CHECK(qml_filter_out_dims(f, 1, 5, &oh, &ow, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "image 1x5 smaller than the 2x2 patch");
	CHECK(qml_filter_out_dims(f, 70000, 5, &oh, &ow, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "image 70000x5 over the 65536 limit");
	CHECK(qml_filter_apply(f, im, -1, 2, 2, out, NULL, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "negative image count -1");
	CHECK(qml_filter_apply_naive(f, im, -1, 2, 2, out, &e) == QCQ_EINVAL);
	CHECK(qml_filter_apply_naive(f, im, 1, 1, 2, out, &e) == QCQ_EINVAL);
	CHECK(qml_filter_apply(f, im, 1, 2, 1, out, NULL, &e) == QCQ_EINVAL);
	CHECK(qml_filter_out_dims(f, 28, 28, &oh, &ow, &e) == QCQ_OK && oh == 14 && ow == 14);
	CHECK(qml_filter_out_dims(f, 27, 28, &oh, &ow, &e) == QCQ_OK && oh == 13 && ow == 14);
	qml_filter_destroy(f);
	qml_filter_destroy(NULL);
}

int main(void)
{
	RUN(test_golden_naive_and_fast);
	RUN(test_empty_filter_is_cos);
	RUN(test_fast_vs_naive);
	RUN(test_threads_identical);
	RUN(test_random_layers_structure);
	RUN(test_big_filter_statevec);
	RUN(test_gates_and_format);
	RUN(test_validation);
	return check_summary();
}
