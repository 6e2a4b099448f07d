/*
 * qml/filter.c: the quanvolution filter as an object -- construction (explicit gate
 * list, PennyLane's RandomLayers algorithm on our RNG, the PennyLane demo's derived
 * seed-42 circuits), its hash for feature caching, and the naive gate-by-gate
 * double-precision path that the fast paths (filter-fast.c) are tested against.
 */
#include "qml-internal.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hash_int(uint64_t *h, int64_t v)
{
	*h = qcq_hash(*h, &v, sizeof v);
}

static uint64_t filter_hash(const struct qml_filter *f)
{
	/* explicit fields, no struct padding: equal definitions give equal hashes */
	uint64_t h = qcq_hash(QCQ_HASH_INIT, "qml_filter v1", 13);
	hash_int(&h, f->k);
	hash_int(&h, f->stride);
	hash_int(&h, f->ngates);
	for (int i = 0; i < f->ngates; i++) {
		const struct qml_gate *g = &f->gates[i];
		h = qcq_hash(h, g->name, strlen(g->name) + 1);
		for (int k = 0; k < g->nq; k++)
			hash_int(&h, g->q[k]);
		for (int k = 0; k < g->nparam; k++) {
			double p = g->param[k] == 0 ? 0 : g->param[k]; /* -0 == 0 */
			h = qcq_hash(h, &p, sizeof p);
		}
	}
	return h;
}

enum qcq_status qml_filter_create(struct qml_filter **out, int k, int stride,
				  const struct qml_gate *gates, int ngates, const char *name,
				  struct qcq_error *err)
{
	*out = NULL;
	if (k < 1 || k > QML_FILTER_MAX_PATCH)
		return qcq_error_set(err, QCQ_ERANGE, "patch size %d out of range [1, %d]", k,
				     QML_FILTER_MAX_PATCH);
	if (stride < 1 || stride > 64)
		return qcq_error_set(err, QCQ_ERANGE, "stride %d out of range [1, 64]", stride);
	if (ngates < 0 || ngates > QML_FILTER_MAX_GATES)
		return qcq_error_set(err, QCQ_ERANGE, "%d gates out of range [0, %d]", ngates,
				     QML_FILTER_MAX_GATES);
	int nq = k * k;
	for (int i = 0; i < ngates; i++) {
		if (gates[i].nq < 1 || gates[i].nq > QML_GATE_MAX_QUBITS)
			return qcq_error_set(err, QCQ_EINVAL, "gate %d: %d qubits", i, gates[i].nq);
		for (int j = 0; j < gates[i].nq; j++)
			if (gates[i].q[j] < 0 || gates[i].q[j] >= nq)
				return qcq_error_set(err, QCQ_ERANGE,
						     "gate %d (%s): qubit %d out of range (filter has %d)",
						     i, gates[i].name, gates[i].q[j], nq);
	}
	struct qml_filter *f = qcq_xcalloc(1, sizeof *f);
	f->k = k;
	f->stride = stride;
	f->nq = nq;
	f->ngates = ngates;
	f->gates = qcq_xcalloc((size_t)ngates + 1, sizeof *f->gates);
	if (ngates > 0)
		memcpy(f->gates, gates, (size_t)ngates * sizeof *gates);
	f->mats = qcq_xcalloc((size_t)ngates * 64 + 1, sizeof *f->mats);
	for (int i = 0; i < ngates; i++)
		qml_gate_matrix(&f->gates[i], f->mats + 64 * (size_t)i);
	snprintf(f->name, sizeof f->name, "%s", name ? name : "custom");
	f->hash = filter_hash(f);
	qml_filter_compile(f);
	*out = f;
	return QCQ_OK;
}

void qml_filter_destroy(struct qml_filter *f)
{
	if (!f)
		return;
	free(f->gates);
	free(f->mats);
	qcq_aligned_free(f->coef);
	free(f->terms);
	free(f->mre);
	free(f->mim);
	free(f);
}

/* ---------------------------------------------------------------- RandomLayers */

static void make1(struct qml_gate *g, const char *name, int q, double a)
{
	enum qcq_status st = qml_gate_make(g, name, &q, 1, &a, 1, NULL);
	assert(st == QCQ_OK);
	(void)st;
}

static void make_cx(struct qml_gate *g, int c, int t)
{
	int q[2] = {c, t};
	enum qcq_status st = qml_gate_make(g, "cx", q, 2, NULL, 0, NULL);
	assert(st == QCQ_OK);
	(void)st;
}

enum qcq_status qml_filter_create_random(struct qml_filter **out, int k, int stride, int layers,
					 uint64_t seed, struct qcq_error *err)
{
	*out = NULL;
	if (layers < 1 || layers > 64)
		return qcq_error_set(err, QCQ_ERANGE, "layers %d out of range [1, 64]", layers);
	if (k < 1 || k > QML_FILTER_MAX_PATCH)
		return qcq_error_set(err, QCQ_ERANGE, "patch size %d out of range [1, %d]", k,
				     QML_FILTER_MAX_PATCH);
	static const char *const rot[3] = {"rx", "ry", "rz"};
	int nq = k * k, nrot = nq;
	struct qcq_rng base, rs, rw;
	qcq_rng_seed_domain(&base, seed, "qml.filter");
	rs = qcq_rng_split(&base, 1);
	rw = qcq_rng_split(&base, 2);
	/* weights first, shape (layers, nrot), as PennyLane takes them as an argument */
	double *wts = qcq_xmalloc((size_t)layers * (size_t)nrot * sizeof *wts);
	for (int i = 0; i < layers * nrot; i++)
		wts[i] = 2 * M_PI * qcq_rng_uniform(&rw);
	/* at most 64*9 rotations; the CNOT count is geometric: cap generously, the
	 * probability of 0.3-ratio draws exceeding it is negligible but handled */
	int cap = 64, n = 0;
	struct qml_gate *g = qcq_xmalloc((size_t)cap * sizeof *g);
	for (int l = 0; l < layers; l++) {
		int i = 0;
		while (i < nrot) {
			if (n == cap) {
				cap *= 2;
				g = qcq_xrealloc(g, (size_t)cap * sizeof *g);
			}
			double u = qcq_rng_uniform(&rs);
			if (u > 0.3) {
				const char *r = rot[qcq_rng_below(&rs, 3)];
				int wire = (int)qcq_rng_below(&rs, (uint64_t)nq);
				make1(&g[n++], r, wire, wts[l * nrot + i]);
				i++;
			} else if (nq >= 2) {
				int c = (int)qcq_rng_below(&rs, (uint64_t)nq);
				int t = (int)qcq_rng_below(&rs, (uint64_t)nq - 1);
				if (t >= c)
					t++;
				make_cx(&g[n++], c, t);
			}
		}
	}
	free(wts);
	enum qcq_status st = QCQ_OK;
	if (n > QML_FILTER_MAX_GATES)
		st = qcq_error_set(err, QCQ_ERANGE, "random circuit has %d gates (max %d)", n,
				   QML_FILTER_MAX_GATES);
	char name[96];
	snprintf(name, sizeof name, "random layers=%d seed=%llu patch=%d stride=%d", layers,
		 (unsigned long long)seed, k, stride);
	if (st == QCQ_OK)
		st = qml_filter_create(out, k, stride, g, n, name, err);
	free(g);
	return st;
}

/* CONVENTIONS section 4: demo weights and the derived seed-42 gate lists */
static const double demo_w[4] = {3.448296944257913, 4.493667318642264, 3.787273988239316,
				 3.4236020095353483};

enum qcq_status qml_filter_create_pennylane(struct qml_filter **out, char generation,
					    struct qcq_error *err)
{
	struct qml_gate g[6];
	int n = 0;
	const double *w = demo_w;
	*out = NULL;
	switch (generation) {
	case 'A': case 'a':
		make1(&g[n++], "rx", 2, w[0]);
		make1(&g[n++], "rx", 0, w[1]);
		make_cx(&g[n++], 1, 0);
		make1(&g[n++], "rx", 3, w[2]);
		make_cx(&g[n++], 3, 0);
		make1(&g[n++], "ry", 1, w[3]);
		break;
	case 'B': case 'b':
		make1(&g[n++], "rx", 0, w[0]);
		make1(&g[n++], "rz", 3, w[1]);
		make_cx(&g[n++], 2, 1);
		make_cx(&g[n++], 3, 0);
		make1(&g[n++], "ry", 0, w[2]);
		make1(&g[n++], "rx", 0, w[3]);
		break;
	case 'C': case 'c':
		make1(&g[n++], "ry", 1, w[0]);
		make1(&g[n++], "rx", 2, w[1]);
		make_cx(&g[n++], 1, 3);
		make1(&g[n++], "rz", 2, w[2]);
		make1(&g[n++], "rx", 2, w[3]);
		break;
	default:
		return qcq_error_set(err, QCQ_EINVAL,
				     "pennylane generation '%c' unknown (A, B or C)", generation);
	}
	char name[64];
	snprintf(name, sizeof name, "pennylane generation=%c", generation & ~0x20);
	return qml_filter_create(out, 2, 2, g, n, name, err);
}

/* ---------------------------------------------------------------- accessors */

int qml_filter_patch(const struct qml_filter *f) { return f->k; }
int qml_filter_stride(const struct qml_filter *f) { return f->stride; }
int qml_filter_qubits(const struct qml_filter *f) { return f->nq; }
int qml_filter_ngates(const struct qml_filter *f) { return f->ngates; }
const char *qml_filter_name(const struct qml_filter *f) { return f->name; }
uint64_t qml_filter_hash(const struct qml_filter *f) { return f->hash; }

const struct qml_gate *qml_filter_gate(const struct qml_filter *f, int i)
{
	return i >= 0 && i < f->ngates ? &f->gates[i] : NULL;
}

const char *qml_filter_path_name(const struct qml_filter *f)
{
	return f->path == QML_PATH_HEISENBERG ? "heisenberg" : "statevector";
}

enum qcq_status qml_filter_out_dims(const struct qml_filter *f, int h, int w, int *oh, int *ow,
				    struct qcq_error *err)
{
	if (h < f->k || w < f->k)
		return qcq_error_set(err, QCQ_EINVAL, "image %dx%d smaller than the %dx%d patch",
				     h, w, f->k, f->k);
	if (h > 65536 || w > 65536)
		return qcq_error_set(err, QCQ_ERANGE, "image %dx%d over the 65536 limit", h, w);
	*oh = (h - f->k) / f->stride + 1;
	*ow = (w - f->k) / f->stride + 1;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- naive path */

void qml_filter_patch_naive(const struct qml_filter *f, const double *x, double *z)
{
	int nq = f->nq;
	size_t dim = (size_t)1 << nq;
	double complex a[1 << (QML_FILTER_MAX_PATCH * QML_FILTER_MAX_PATCH)];
	for (size_t i = 0; i < dim; i++)
		a[i] = 0;
	a[0] = 1;
	for (int q = 0; q < nq; q++) {
		struct qml_gate ry;
		double complex m[4];
		make1(&ry, "ry", q, M_PI * x[q]);
		qml_gate_matrix(&ry, m);
		qml_sv_apply(a, nq, m, &q, 1);
	}
	for (int i = 0; i < f->ngates; i++)
		qml_sv_apply(a, nq, f->mats + 64 * (size_t)i, f->gates[i].q, f->gates[i].nq);
	for (int q = 0; q < nq; q++)
		z[q] = 0;
	for (size_t i = 0; i < dim; i++) {
		double p = creal(a[i]) * creal(a[i]) + cimag(a[i]) * cimag(a[i]);
		for (int q = 0; q < nq; q++)
			z[q] += (i >> q & 1) ? -p : p;
	}
}

enum qcq_status qml_filter_apply_naive(const struct qml_filter *f, const float *images, long n,
				       int h, int w, float *out, struct qcq_error *err)
{
	int oh, ow;
	if (n < 0)
		return qcq_error_set(err, QCQ_EINVAL, "negative image count %ld", n);
	enum qcq_status st = qml_filter_out_dims(f, h, w, &oh, &ow, err);
	if (st)
		return st;
	int nq = f->nq;
	size_t plane = (size_t)oh * (size_t)ow;
	for (long i = 0; i < n; i++) {
		const float *img = images + (size_t)i * (size_t)h * (size_t)w;
		float *o = out + (size_t)i * (size_t)nq * plane;
		for (int r = 0; r < oh; r++) {
			for (int c = 0; c < ow; c++) {
				double x[9], z[9];
				qml_patch_pixels(f, img, w, r, c, x);
				qml_filter_patch_naive(f, x, z);
				for (int j = 0; j < nq; j++)
					o[(size_t)j * plane + (size_t)r * (size_t)ow + (size_t)c] =
						(float)z[j];
			}
		}
	}
	return QCQ_OK;
}
