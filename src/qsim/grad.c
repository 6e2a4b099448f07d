/*
 * qsim/grad.c: gradients of <P> with respect to inputs x and weights w.
 *
 * Adjoint (pure states): with phi_k = U_k..U_1|0> and lambda_k = U_{k+1}^dag..U_N^dag P
 * phi_N, dE/dtheta_k = 2 Re <lambda_k| dU_k/dtheta |phi_{k-1}>; one sweep backwards
 * undoes each gate on phi and lambda. dU/dtheta of a rotation exp(-i theta G/2) is
 * U(theta + pi)/2; controlled gates zero the control-0 block.
 * Parameter shift (noise, shots): per gate occurrence, two terms with shift pi/2 for
 * gates whose generator has eigenvalues one apart (RX RY RZ P U RZZ CP), the four-term
 * rule for CRX CRY CRZ (eigenvalues 0, +-1/2).
 * Both then apply the chain rule through the angle expressions (qs_angle_diff).
 */
#include "qsim-internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t control_mask(const struct qs_gate *g)
{
	uint64_t cm = 0;
	for (int j = 0; j < qs_gate_ncontrols(g->kind); j++)
		cm |= UINT64_C(1) << g->q[j];
	return cm;
}

/* a <- U^dag a for gate g with numeric angles ang. */
static void apply_inverse(cplx *a, int n, const struct qs_gate *g, const double *ang)
{
	enum qs_gate_kind k = g->kind;
	if (k == QS_G_BARRIER || k == QS_G_I)
		return;
	if (k == QS_G_SWAP || k == QS_G_X || k == QS_G_CX || k == QS_G_CCX) {
		qs_kernel_gate(a, n, k, g->q, ang, false); /* self-inverse */
		return;
	}
	if (k == QS_G_RZZ) {
		double neg = -ang[0];
		qs_kernel_gate(a, n, k, g->q, &neg, false);
		return;
	}
	cplx m[4], mh[4];
	qs_target_matrix(k, ang, m);
	mh[0] = conj(m[0]), mh[1] = conj(m[2]), mh[2] = conj(m[1]), mh[3] = conj(m[3]);
	qs_kernel_1q(a, n, g->q[qs_gate_ncontrols(k)], control_mask(g), mh);
}

/* a <- (dU/d angle j) a, the control-0 block zeroed for controlled gates. */
static void apply_derivative(cplx *a, int n, const struct qs_gate *g, const double *ang, int j)
{
	enum qs_gate_kind k = g->kind;
	uint64_t cm = control_mask(g);
	int t = g->q[qs_gate_ncontrols(k)];
	cplx m[4];
	if (k == QS_G_RZZ) {
		qs_kernel_zz(a, n, g->q[0], g->q[1], -0.5 * I * cexp(-0.5 * I * ang[0]),
		       0.5 * I * cexp(0.5 * I * ang[0]));
		return;
	}
	if (k == QS_G_P || k == QS_G_CP) {
		qs_kernel_diag1(a, n, t, cm, 0, I * cexp(I * ang[0]));
	} else if (k == QS_G_U && j > 0) {
		double c = cos(ang[0] / 2), s = sin(ang[0] / 2), p = ang[1], l = ang[2];
		cplx e = I * cexp(I * p) * cexp(I * l) * c;
		if (j == 1) /* d/dphi */
			m[0] = 0, m[1] = 0, m[2] = I * cexp(I * p) * s, m[3] = e;
		else        /* d/dlambda */
			m[0] = 0, m[1] = -I * cexp(I * l) * s, m[2] = 0, m[3] = e;
		qs_kernel_1q(a, n, t, 0, m);
	} else { /* RX RY RZ CRX CRY CRZ and U's theta: M(theta + pi) / 2 */
		double sh[3] = {ang[0] + M_PI, k == QS_G_U ? ang[1] : 0, k == QS_G_U ? ang[2] : 0};
		qs_target_matrix(k, sh, m);
		for (int i = 0; i < 4; i++)
			m[i] *= 0.5;
		qs_kernel_1q(a, n, t, cm, m);
	}
	if (cm)
		qs_kernel_keep_controlled(a, n, cm);
}

/* dx, dw += dE/dtheta(gate, angle j) * dtheta/dvar over the variables of the angle. */
static void chain_rule(const struct qs_angle *a, double dtheta, const double *x, const double *w,
		       double *dx, double *dw)
{
	for (int i = 0; i < a->ntok; i++) {
		const struct qs_tok *t = &a->tok[i];
		if (t->op != QS_T_X && t->op != QS_T_W)
			continue;
		bool seen = false; /* each variable once per angle */
		for (int p = 0; p < i && !seen; p++)
			seen = a->tok[p].op == t->op && a->tok[p].index == t->index;
		double *d = t->op == QS_T_X ? dx : dw;
		if (!seen && d)
			d[t->index] += dtheta * qs_angle_diff(a, x, w, t->op == QS_T_W, t->index);
	}
}

static void zero_outputs(const struct qs_circuit *c, double *dx, double *dw)
{
	if (dx)
		memset(dx, 0, sizeof(double) * c->ninputs);
	if (dw)
		memset(dw, 0, sizeof(double) * c->nweights);
}

static double re_inner(const cplx *a, const cplx *b, size_t d)
{
	double s = 0;
	for (size_t i = 0; i < d; i++)
		s += creal(a[i]) * creal(b[i]) + cimag(a[i]) * cimag(b[i]);
	return s;
}

enum qcq_status qs_grad_adjoint(const struct qs_circuit *c, const double *x, const double *w,
				struct qs_pauli obs, double *value, double *dx, double *dw,
				struct qcq_error *err)
{
	enum qcq_status st = qs_check_run(c, x, w, NULL, 0, NULL, &obs, err);
	if (st)
		return st;
	double *ang = qs_circuit_angles(c, x, w);
	struct qs_state *phi, *lam = NULL, *tmp = NULL;
	st = qs_run_numeric(c, ang, NULL, &phi, err);
	if (!st)
		st = qs_create(c->nqubits, QS_PURE, &lam, err);
	if (!st)
		st = qs_create(c->nqubits, QS_PURE, &tmp, err);
	if (st)
		goto out;
	int n = c->nqubits;
	size_t d = phi->dim;
	qs_pauli_apply_vec(lam->amp, phi->amp, n, obs);
	*value = re_inner(phi->amp, lam->amp, d);
	zero_outputs(c, dx, dw);
	for (size_t k = c->ngates; k-- > 0;) {
		const struct qs_gate *g = &c->gates[k];
		const double *ga = ang + 3 * k;
		apply_inverse(phi->amp, n, g, ga);
		for (int j = 0; j < qs_gate_info(g->kind)->nangles; j++) {
			if (qs_angle_is_const(&g->angle[j]))
				continue;
			memcpy(tmp->amp, phi->amp, d * sizeof(cplx));
			apply_derivative(tmp->amp, n, g, ga, j);
			chain_rule(&g->angle[j], 2 * re_inner(lam->amp, tmp->amp, d), x, w, dx, dw);
		}
		apply_inverse(lam->amp, n, g, ga);
	}
out:
	qs_destroy(phi);
	qs_destroy(lam);
	qs_destroy(tmp);
	free(ang);
	return st;
}

struct shift_run {
	const struct qs_circuit *c;
	const struct qs_noise *nm;
	struct qs_pauli obs;
	long shots;
	struct qcq_rng *rng;
	double *ang;
};

/* f with angle slot i shifted by delta. */
static enum qcq_status f_shift(struct shift_run *r, size_t i, double delta, double *out,
			       struct qcq_error *err)
{
	double keep = r->ang[i];
	r->ang[i] = keep + delta;
	struct qs_state *s;
	enum qcq_status st = qs_run_numeric(r->c, r->ang, r->nm, &s, err);
	r->ang[i] = keep;
	if (st)
		return st;
	double e = qs_pauli_unchecked(s, r->obs);
	*out = r->shots ? qs_shots_estimate(e, r->shots, r->rng) : e;
	qs_destroy(s);
	return QCQ_OK;
}

static enum qcq_status shift_rule(struct shift_run *r, size_t i, enum qs_gate_kind k, double *df,
				  struct qcq_error *err)
{
	double fp, fm, fp3, fm3;
	enum qcq_status st = f_shift(r, i, M_PI / 2, &fp, err);
	if (!st)
		st = f_shift(r, i, -M_PI / 2, &fm, err);
	if (st)
		return st;
	if (k != QS_G_CRX && k != QS_G_CRY && k != QS_G_CRZ) {
		*df = 0.5 * (fp - fm);
		return QCQ_OK;
	}
	st = f_shift(r, i, 1.5 * M_PI, &fp3, err);
	if (!st)
		st = f_shift(r, i, -1.5 * M_PI, &fm3, err);
	double d1 = (M_SQRT2 + 1) / (4 * M_SQRT2), d2 = (M_SQRT2 - 1) / (4 * M_SQRT2);
	*df = d1 * (fp - fm) - d2 * (fp3 - fm3);
	return st;
}

enum qcq_status qs_grad_shift(const struct qs_circuit *c, const double *x, const double *w,
			      const struct qs_noise *nm, struct qs_pauli obs, long shots,
			      struct qcq_rng *rng, double *value, double *dx, double *dw,
			      struct qcq_error *err)
{
	enum qcq_status st = qs_check_run(c, x, w, nm, shots, rng, &obs, err);
	if (st)
		return st;
	struct shift_run r = {c, nm, obs, shots, rng, qs_circuit_angles(c, x, w)};
	st = f_shift(&r, 0, 0, value, err);
	if (!st)
		zero_outputs(c, dx, dw);
	for (size_t k = 0; k < c->ngates && !st; k++) {
		const struct qs_gate *g = &c->gates[k];
		for (int j = 0; j < qs_gate_info(g->kind)->nangles && !st; j++) {
			if (qs_angle_is_const(&g->angle[j]))
				continue;
			double df;
			st = shift_rule(&r, 3 * k + (size_t)j, g->kind, &df, err);
			if (!st)
				chain_rule(&g->angle[j], df, x, w, dx, dw);
		}
	}
	free(r.ang);
	return st;
}
