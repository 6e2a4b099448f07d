/*
 * qml/filter-grad.c: the quanvolution filter with trainable angles -- forward and exact
 * gradients with respect to every angle of its gates, summed over every patch of every
 * image against an upstream gradient d loss / d feature map.
 *
 * Why the Heisenberg picture again (filter-fast.c): per patch, <Z_j> = sum_P c_jP(theta)
 * phi_P(x) with P over {I,X,Z}^n and phi_P a product of 1, sin pi x_q, cos pi x_q. So
 *   d loss / d theta = sum_{j,P} (d c_jP / d theta) G_jP,  G_jP = sum_patches g_j phi_P,
 * and the patches enter only through the table G (one pass, 16 patches per SIMD lane
 * group: qml_heis_image_grad). What depends on theta is the table c and its derivative,
 * a few thousand flops per step whatever the batch -- cheaper than an adjoint pass per
 * patch (196 per 28x28 image).
 *
 * The table is compiled in the Pauli basis: O_j = U^dag Z_j U is a real vector of 4^n
 * Pauli coefficients, and conjugating by one gate G is its Pauli transfer matrix
 * R[a][b] = Re Tr(P_a G^dag P_b G) / 2^m on the gate's m qubits (orthogonal, so its
 * transpose undoes it). Compiling is o_j = R_0 R_1 ... R_last e_{Z_j}; the gradient is
 * reverse mode through that chain: walking the gates forward, undo R_g on o, take
 * lambda . dR_g/dtheta o, move lambda back through R_g^T -- the adjoint method, on
 * Pauli vectors rather than states, without storing the intermediate vectors.
 *
 * dG/dtheta is exact from two shifted matrices: in each parameter a gate matrix is
 * A + B e^{i w t} + C e^{-i w t} (w = 1/2 for rotations, 1 for phases), so
 * dG = w (G(t + pi/(2w)) - G(t + 3 pi/(2w))) / 2.
 *
 * qml_filter_backward_naive is the reference: a double state vector per patch, gate by
 * gate, with the ordinary adjoint method.
 */
#include "qml-internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TF_MAX_QUBITS 4 /* 2x2 patches: 4^4 = 256 Pauli coefficients per output */

/* ---------------------------------------------------------------- angles */

int qml_filter_nangles(const struct qml_filter *f)
{
	int n = 0;
	for (int i = 0; i < f->ngates; i++)
		n += f->gates[i].nparam;
	return n;
}

void qml_filter_angles(const struct qml_filter *f, double *theta)
{
	for (int i = 0, a = 0; i < f->ngates; i++)
		for (int k = 0; k < f->gates[i].nparam; k++)
			theta[a++] = f->gates[i].param[k];
}

enum qcq_status qml_filter_with_angles(const struct qml_filter *f, const double *theta,
				       const char *name, struct qml_filter **out,
				       struct qcq_error *err)
{
	*out = NULL;
	int na = qml_filter_nangles(f);
	for (int a = 0; a < na; a++)
		if (!isfinite(theta[a]))
			return qcq_error_set(err, QCQ_ENUMERIC, "filter angle %d is not finite", a);
	struct qml_gate *g = qcq_xcalloc((size_t)f->ngates + 1, sizeof *g);
	if (f->ngates)
		memcpy(g, f->gates, (size_t)f->ngates * sizeof *g);
	for (int i = 0, a = 0; i < f->ngates; i++)
		for (int k = 0; k < g[i].nparam; k++)
			g[i].param[k] = theta[a++];
	enum qcq_status st =
		qml_filter_create(out, f->k, f->stride, g, f->ngates, name ? name : f->name, err);
	free(g);
	return st;
}

/* ---------------------------------------------------------------- gate derivatives */

static double param_freq(const struct qml_gate *g, int k)
{
	if (!strcmp(g->name, "p") || !strcmp(g->name, "cp"))
		return 1;
	if (!strcmp(g->name, "u"))
		return k == 0 ? 0.5 : 1;
	return 0.5; /* rx ry rz crx cry crz rzz */
}

/* dm = d(matrix of g) / d param k (dimension 2^nq, row major) */
static void gate_dmatrix(const struct qml_gate *g, int k, double complex *dm)
{
	double w = param_freq(g, k);
	struct qml_gate a = *g, b = *g;
	double complex ma[64], mb[64];
	a.param[k] += M_PI / (2 * w);
	b.param[k] += 3 * M_PI / (2 * w);
	qml_gate_matrix(&a, ma);
	qml_gate_matrix(&b, mb);
	int d = 1 << g->nq;
	for (int i = 0; i < d * d; i++)
		dm[i] = w * (ma[i] - mb[i]) / 2;
}

/* ---------------------------------------------------------------- Pauli transfer matrices */

/* element (r, c) of the m-qubit Pauli string alpha (digit m' of alpha in base 4 is the
 * Pauli I X Y Z on local qubit m', which is bit m' of r and c) */
static double complex pauli_elem(int m, int alpha, int r, int c)
{
	double complex v = 1;
	for (int i = 0; i < m; i++, alpha >>= 2) {
		int rb = r >> i & 1, cb = c >> i & 1;
		switch (alpha & 3) {
		case 0: v *= rb == cb; break;
		case 1: v *= rb != cb; break;
		case 2: v *= rb == cb ? 0 : (rb ? I : -I); break;
		default: v *= rb != cb ? 0 : (rb ? -1 : 1); break;
		}
	}
	return v;
}

/*
 * R[a * 4^m + b] = Re Tr(P_a A^dag P_b B) / 2^m * scale for the gate's m qubits: with
 * A = B = G the transfer matrix; with A = G, B = dG and scale 2 its derivative
 * (d(G^dag P G) = dG^dag P G + G^dag P dG, the two terms complex conjugates).
 */
static void ptm(int m, const double complex *A, const double complex *B, double scale,
		double *R)
{
	int d = 1 << m, n4 = 1 << (2 * m);
	for (int b = 0; b < n4; b++) {
		double complex pb[64], t[64]; /* pb = P_b B, t = A^dag P_b B */
		for (int r = 0; r < d; r++)
			for (int c = 0; c < d; c++) {
				double complex s = 0;
				for (int x = 0; x < d; x++)
					s += pauli_elem(m, b, r, x) * B[x * d + c];
				pb[r * d + c] = s;
			}
		for (int r = 0; r < d; r++)
			for (int c = 0; c < d; c++) {
				double complex s = 0;
				for (int x = 0; x < d; x++)
					s += conj(A[x * d + r]) * pb[x * d + c];
				t[r * d + c] = s;
			}
		for (int a = 0; a < n4; a++) {
			double complex s = 0;
			for (int r = 0; r < d; r++)
				for (int c = 0; c < d; c++)
					s += pauli_elem(m, a, r, c) * t[c * d + r];
			R[a * n4 + b] = scale * creal(s) / d;
		}
	}
}

static int pauli_stride_count(int m) { return 1 << (2 * m); }

/* If R (l4 x l4) is a signed permutation (exactly, as Clifford gates give up to
 * rounding), *perm and *sgn describe it; else both stay NULL. */
static void find_perm(const double *R, int l4, int **perm, double **sgn)
{
	int *p = qcq_xcalloc((size_t)l4, sizeof *p);
	double *sg = qcq_xcalloc((size_t)l4, sizeof *sg);
	for (int a = 0; a < l4; a++) {
		int col = -1;
		for (int b = 0; b < l4; b++) {
			double v = R[a * l4 + b];
			if (fabs(v) < 1e-12)
				continue;
			if (col >= 0 || fabs(fabs(v) - 1) > 1e-12) {
				free(p), free(sg);
				return;
			}
			col = b, sg[a] = v > 0 ? 1 : -1;
		}
		if (col < 0) {
			free(p), free(sg);
			return;
		}
		p[a] = col;
	}
	*perm = p, *sgn = sg;
}

/*
 * Pauli vectors of the nq outputs side by side: v[a * NJ + j] is the coefficient of
 * Pauli string a in output j (columns j >= nq stay 0), so every step below works on
 * all outputs at once, NJ doubles wide. A gate touches groups of 4^m strings that
 * differ only on its qubits: the group bases and the offsets inside a group are
 * computed once per gate (gate_plan). The identity string of a gate's qubits is
 * invariant (a unitary's transfer matrix has e_0 as row and column 0, its derivative
 * zeros), so the loops start at 1.
 */
#define NJ TF_MAX_QUBITS

struct gate_plan {
	int l4, ngroups;
	size_t off[64];
	size_t *base;
};

static void plan_gate(struct gate_plan *p, const int *q, int m, int nq)
{
	size_t mask = 0, n4 = (size_t)1 << (2 * nq);
	p->l4 = pauli_stride_count(m);
	for (int i = 0; i < m; i++)
		mask |= (size_t)3 << (2 * q[i]);
	for (int a = 0; a < p->l4; a++) {
		p->off[a] = 0;
		for (int i = 0; i < m; i++)
			p->off[a] |= (size_t)(a >> (2 * i) & 3) << (2 * q[i]);
	}
	p->ngroups = (int)(n4 / (size_t)p->l4);
	p->base = qcq_xcalloc((size_t)p->ngroups, sizeof *p->base);
	for (size_t i = 0, k = 0; i < n4; i++)
		if (!(i & mask))
			p->base[k++] = i;
}

/* v <- R v, or R^T v, on the gate's qubits; all-zero groups are skipped; a signed
 * permutation (perm not NULL) moves entries instead of multiplying */
static void ptm_apply(const struct gate_plan *p, double *v, const double *R, const int *perm,
		      const double *sgn, bool tr)
{
	int l4 = p->l4;
	double grp[64][NJ];
	for (int s = 0; s < p->ngroups; s++) {
		size_t i = p->base[s];
		bool nz = false;
		for (int a = 1; a < l4; a++)
			for (int j = 0; j < NJ; j++)
				nz |= (grp[a][j] = v[(i | p->off[a]) * NJ + j]) != 0;
		if (!nz)
			continue;
		for (int a = 1; a < l4; a++) {
			double *out = v + (i | p->off[tr && perm ? perm[a] : a]) * NJ;
			if (perm) { /* (R v)[a] = sgn a v[perm a]; (R^T v)[perm a] = sgn a v[a] */
				const double *in = grp[tr ? a : perm[a]];
				for (int j = 0; j < NJ; j++)
					out[j] = sgn[a] * in[j];
				continue;
			}
			double acc[NJ] = {0};
			for (int b = 1; b < l4; b++) {
				double r = tr ? R[b * l4 + a] : R[a * l4 + b];
				for (int j = 0; j < NJ; j++)
					acc[j] += r * grp[b][j];
			}
			for (int j = 0; j < NJ; j++)
				out[j] = acc[j];
		}
	}
}

/* sum over outputs of lam . (dR v) on the gate's qubits */
static double ptm_dot(const struct gate_plan *p, const double *lam, const double *v,
		      const double *dR)
{
	int l4 = p->l4;
	double s = 0;
	for (int g = 0; g < p->ngroups; g++) {
		size_t i = p->base[g];
		for (int a = 1; a < l4; a++) {
			const double *la = lam + (i | p->off[a]) * NJ;
			double acc[NJ] = {0};
			for (int b = 1; b < l4; b++) {
				const double *vb = v + (i | p->off[b]) * NJ;
				for (int j = 0; j < NJ; j++)
					acc[j] += dR[a * l4 + b] * vb[j];
			}
			for (int j = 0; j < NJ; j++)
				s += la[j] * acc[j];
		}
	}
	return s;
}

/* base-3 table index (0 I, 1 X, 2 Z per qubit) -> base-4 Pauli index (0 I, 1 X, 3 Z) */
static size_t idx3_to_4(int idx, int nq)
{
	size_t a = 0;
	for (int q = 0; q < nq; q++, idx /= 3)
		a |= (size_t)(idx % 3 == 2 ? 3 : idx % 3) << (2 * q);
	return a;
}

/* ---------------------------------------------------------------- the trainable filter */

struct qml_tfilter {
	struct qml_filter *f; /* own copy; gates and mats follow the angles (coef does not) */
	int h, w, oh, ow;
	int nangles, n4;
	int *agate, *aparam;  /* angle a is param aparam[a] of gate agate[a] */
	size_t *roff, *droff; /* per gate / per angle: offset of R / dR */
	double *R, *dR;
	/* fixed gates whose transfer matrix is a signed permutation (cx, h, swap, ...):
	 * row a of R has its one entry sgn[a] = +-1 in column perm[a]; perm NULL if not */
	int **perm;
	double **sgn;
	struct gate_plan *plan; /* per gate */
	double *o, *v, *lam; /* 4^n x NJ (below) */
	size_t *map4;        /* table index (base 3) -> Pauli string (base 4) */
	float *coef;               /* nq x 3^n, the table for the current angles */
	float *acc;                /* nq x 3^n x lanes, the table's gradient */
	float *xs;
	float *theta;              /* the angles the tables hold */
	bool set;
};

enum qcq_status qml_tfilter_create(struct qml_tfilter **out, const struct qml_filter *f, int h,
				   int w, struct qcq_error *err)
{
	*out = NULL;
	if (f->nq > TF_MAX_QUBITS)
		return qcq_error_set(err, QCQ_EUNSUPPORTED,
				     "a trainable filter takes patches up to 2x2 (this one is %dx%d)",
				     f->k, f->k);
	int oh, ow;
	enum qcq_status st = qml_filter_out_dims(f, h, w, &oh, &ow, err);
	if (st)
		return st;
	struct qml_tfilter *t = qcq_xcalloc(1, sizeof *t);
	st = qml_filter_create(&t->f, f->k, f->stride, f->gates, f->ngates, f->name, err);
	if (st) {
		free(t);
		return st;
	}
	t->h = h, t->w = w, t->oh = oh, t->ow = ow;
	int nq = f->nq, ng = f->ngates, na = qml_filter_nangles(f);
	t->nangles = na;
	t->n4 = 1 << (2 * nq);
	t->agate = qcq_xcalloc((size_t)na + 1, sizeof *t->agate);
	t->aparam = qcq_xcalloc((size_t)na + 1, sizeof *t->aparam);
	t->roff = qcq_xcalloc((size_t)ng + 1, sizeof *t->roff);
	t->droff = qcq_xcalloc((size_t)na + 1, sizeof *t->droff);
	size_t nr = 0, ndr = 0;
	for (int i = 0, a = 0; i < ng; i++) {
		size_t sz = (size_t)pauli_stride_count(f->gates[i].nq);
		sz *= sz;
		t->roff[i] = nr;
		nr += sz;
		for (int k = 0; k < f->gates[i].nparam; k++, a++) {
			t->agate[a] = i, t->aparam[a] = k;
			t->droff[a] = ndr;
			ndr += sz;
		}
	}
	t->R = qcq_xcalloc(nr + 1, sizeof *t->R);
	t->dR = qcq_xcalloc(ndr + 1, sizeof *t->dR);
	t->perm = qcq_xcalloc((size_t)ng + 1, sizeof *t->perm);
	t->sgn = qcq_xcalloc((size_t)ng + 1, sizeof *t->sgn);
	for (int i = 0; i < ng; i++) /* fixed gates once; gates with angles at every set */
		if (f->gates[i].nparam == 0) {
			ptm(f->gates[i].nq, f->mats + 64 * (size_t)i, f->mats + 64 * (size_t)i, 1,
			    t->R + t->roff[i]);
			find_perm(t->R + t->roff[i], pauli_stride_count(f->gates[i].nq), &t->perm[i],
				  &t->sgn[i]);
		}
	t->map4 = qcq_xcalloc((size_t)f->ncoef, sizeof *t->map4);
	for (int idx = 0; idx < f->ncoef; idx++)
		t->map4[idx] = idx3_to_4(idx, nq);
	t->plan = qcq_xcalloc((size_t)ng + 1, sizeof *t->plan);
	for (int i = 0; i < ng; i++)
		plan_gate(&t->plan[i], f->gates[i].q, f->gates[i].nq, nq);
	size_t nv = (size_t)NJ * (size_t)t->n4;
	t->o = qcq_xcalloc(nv, sizeof *t->o);
	t->v = qcq_xcalloc(nv, sizeof *t->v);
	t->lam = qcq_xcalloc(nv, sizeof *t->lam);
	size_t nc = (size_t)nq * (size_t)f->ncoef;
	t->coef = qcq_aligned_xalloc(nc * sizeof *t->coef);
	t->acc = qcq_aligned_xalloc(nc * qml_heis_lanes() * sizeof *t->acc);
	t->xs = qcq_aligned_xalloc((size_t)nq * qml_heis_pad((size_t)oh * ow) * sizeof *t->xs);
	t->theta = qcq_xcalloc((size_t)na + 1, sizeof *t->theta);
	*out = t;
	return QCQ_OK;
}

void qml_tfilter_destroy(struct qml_tfilter *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->f->ngates; i++)
		free(t->perm[i]), free(t->sgn[i]), free(t->plan[i].base);
	free(t->perm), free(t->sgn), free(t->plan);
	qml_filter_destroy(t->f);
	free(t->agate), free(t->aparam), free(t->roff), free(t->droff);
	free(t->R), free(t->dR);
	free(t->o), free(t->v), free(t->lam), free(t->map4);
	qcq_aligned_free(t->coef);
	qcq_aligned_free(t->acc);
	qcq_aligned_free(t->xs);
	free(t->theta);
	free(t);
}

int qml_tfilter_nangles(const struct qml_tfilter *t) { return t->nangles; }

void qml_tfilter_set_angles(struct qml_tfilter *t, const float *theta)
{
	if (t->set && memcmp(theta, t->theta, (size_t)t->nangles * sizeof *theta) == 0)
		return;
	struct qml_filter *f = t->f;
	memcpy(t->theta, theta, (size_t)t->nangles * sizeof *theta);
	for (int a = 0; a < t->nangles; a++)
		f->gates[t->agate[a]].param[t->aparam[a]] = (double)theta[a];
	for (int i = 0, a = 0; i < f->ngates; i++) {
		struct qml_gate *g = &f->gates[i];
		if (g->nparam == 0)
			continue;
		double complex *m = f->mats + 64 * (size_t)i, dm[64];
		qml_gate_matrix(g, m);
		ptm(g->nq, m, m, 1, t->R + t->roff[i]);
		for (int k = 0; k < g->nparam; k++, a++) {
			gate_dmatrix(g, k, dm);
			ptm(g->nq, m, dm, 2, t->dR + t->droff[a]);
		}
	}
	/* o_j = R_0 R_1 ... R_last e_{Z_j}, all j at once */
	int nq = f->nq;
	size_t n4 = (size_t)t->n4;
	memset(t->o, 0, NJ * n4 * sizeof *t->o);
	for (int j = 0; j < nq; j++)
		t->o[((size_t)3 << (2 * j)) * NJ + (size_t)j] = 1;
	for (int i = f->ngates - 1; i >= 0; i--)
		ptm_apply(&t->plan[i], t->o, t->R + t->roff[i], t->perm[i], t->sgn[i], false);
	for (int idx = 0; idx < f->ncoef; idx++) {
		size_t a4 = t->map4[idx];
		for (int j = 0; j < nq; j++)
			t->coef[(size_t)j * f->ncoef + idx] = (float)t->o[a4 * NJ + j];
	}
	t->set = true;
}

void qml_tfilter_forward(struct qml_tfilter *t, float *out, const float *images, long n)
{
	assert(t->set);
	size_t in = (size_t)t->h * t->w, on = (size_t)t->f->nq * t->oh * t->ow;
	for (long i = 0; i < n; i++)
		qml_heis_image(t->f, t->coef, images + (size_t)i * in, t->h, t->w, t->oh, t->ow,
			       out + (size_t)i * on, t->xs);
}

void qml_tfilter_backward(struct qml_tfilter *t, float *dtheta, const float *dout,
			  const float *images, long n)
{
	assert(t->set);
	struct qml_filter *f = t->f;
	int nq = f->nq;
	size_t lanes = qml_heis_lanes(), nc = (size_t)nq * f->ncoef, n4 = (size_t)t->n4;
	size_t in = (size_t)t->h * t->w, on = (size_t)nq * t->oh * t->ow;
	memset(t->acc, 0, nc * lanes * sizeof *t->acc);
	for (long i = 0; i < n; i++)
		qml_heis_image_grad(f, images + (size_t)i * in, t->h, t->w, t->oh, t->ow,
				    dout + (size_t)i * on, t->acc, t->xs);
	/* lambda_j = d loss / d o_j: the lanes summed, on the Y-free Pauli strings */
	memset(t->lam, 0, NJ * n4 * sizeof *t->lam);
	for (int j = 0; j < nq; j++)
		for (int idx = 0; idx < f->ncoef; idx++) {
			const float *a = t->acc + ((size_t)j * f->ncoef + idx) * lanes;
			double s = 0;
			for (size_t l = 0; l < lanes; l++)
				s += a[l];
			t->lam[t->map4[idx] * NJ + (size_t)j] = s;
		}
	/* reverse mode through o = R_0 (R_1 (... e)): gate g sees v = R_{g+1} ... e */
	memcpy(t->v, t->o, NJ * n4 * sizeof *t->v);
	for (int i = 0, a = 0; i < f->ngates; i++) {
		const struct qml_gate *g = &f->gates[i];
		const double *R = t->R + t->roff[i];
		ptm_apply(&t->plan[i], t->v, R, t->perm[i], t->sgn[i], true);
		for (int k = 0; k < g->nparam; k++, a++)
			dtheta[a] += (float)ptm_dot(&t->plan[i], t->lam, t->v, t->dR + t->droff[a]);
		ptm_apply(&t->plan[i], t->lam, R, t->perm[i], t->sgn[i], true);
	}
}

/* ---------------------------------------------------------------- naive twin */

/* conjugate transpose of a d x d matrix */
static void dagger(const double complex *m, int d, double complex *out)
{
	for (int r = 0; r < d; r++)
		for (int c = 0; c < d; c++)
			out[c * d + r] = conj(m[r * d + c]);
}

/* one patch: dtheta += sum_j g[j] d<Z_j>/dtheta by the adjoint method */
static void patch_grad_naive(const struct qml_filter *f, const double *x, const double *g,
			     double *dtheta)
{
	int nq = f->nq;
	size_t dim = (size_t)1 << nq;
	double complex phi[16], lam[16], mu[16];
	for (size_t i = 0; i < dim; i++)
		phi[i] = i == 0;
	for (int q = 0; q < nq; q++) {
		struct qml_gate ry;
		double complex m[4];
		double a = M_PI * x[q];
		qml_gate_make(&ry, "ry", &q, 1, &a, 1, NULL);
		qml_gate_matrix(&ry, m);
		qml_sv_apply(phi, nq, m, &q, 1);
	}
	for (int i = 0; i < f->ngates; i++)
		qml_sv_apply(phi, nq, f->mats + 64 * (size_t)i, f->gates[i].q, f->gates[i].nq);
	for (size_t i = 0; i < dim; i++) { /* lambda = sum_j g_j Z_j phi */
		double s = 0;
		for (int j = 0; j < nq; j++)
			s += (i >> j & 1) ? -g[j] : g[j];
		lam[i] = s * phi[i];
	}
	int a = qml_filter_nangles(f);
	for (int i = f->ngates - 1; i >= 0; i--) {
		const struct qml_gate *gt = &f->gates[i];
		double complex gd[64];
		dagger(f->mats + 64 * (size_t)i, 1 << gt->nq, gd);
		qml_sv_apply(phi, nq, gd, gt->q, gt->nq); /* phi = state before gate i */
		a -= gt->nparam;
		for (int k = 0; k < gt->nparam; k++) {
			double complex dm[64];
			gate_dmatrix(gt, k, dm);
			memcpy(mu, phi, dim * sizeof *mu);
			qml_sv_apply(mu, nq, dm, gt->q, gt->nq);
			double complex s = 0;
			for (size_t r = 0; r < dim; r++)
				s += conj(lam[r]) * mu[r];
			dtheta[a + k] += 2 * creal(s);
		}
		qml_sv_apply(lam, nq, gd, gt->q, gt->nq);
	}
}

enum qcq_status qml_filter_backward_naive(const struct qml_filter *f, const float *images,
					  long n, int h, int w, const float *dout, double *dtheta,
					  struct qcq_error *err)
{
	int oh, ow;
	if (n < 0)
		return qcq_error_set(err, QCQ_EINVAL, "negative image count %ld", n);
	if (f->nq > TF_MAX_QUBITS)
		return qcq_error_set(err, QCQ_EUNSUPPORTED,
				     "filter gradients take patches up to 2x2 (this one is %dx%d)",
				     f->k, f->k);
	enum qcq_status st = qml_filter_out_dims(f, h, w, &oh, &ow, err);
	if (st)
		return st;
	int nq = f->nq;
	size_t plane = (size_t)oh * (size_t)ow;
	for (long i = 0; i < n; i++) {
		const float *img = images + (size_t)i * (size_t)h * (size_t)w;
		const float *d = dout + (size_t)i * (size_t)nq * plane;
		for (int r = 0; r < oh; r++)
			for (int c = 0; c < ow; c++) {
				double x[TF_MAX_QUBITS], g[TF_MAX_QUBITS];
				qml_patch_pixels(f, img, w, r, c, x);
				for (int j = 0; j < nq; j++)
					g[j] = d[(size_t)j * plane + (size_t)r * ow + c];
				patch_grad_naive(f, x, g, dtheta);
			}
	}
	return QCQ_OK;
}
