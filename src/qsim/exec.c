/*
 * qsim/exec.c: running circuits. The executor (struct qs_exec) keeps a cursor over a
 * private copy of a circuit, the state after `cursor` gates and snapshots taken every
 * snap_every gates on the way forward, so that `back` and `goto` replay from the nearest
 * snapshot rather than from |0...0>. Snapshots take at most SNAP_BUDGET bytes; when a
 * state is too large for even one, going back replays from the start.
 * Also here: whole-circuit runs with numeric angles, used by expectations and gradients.
 */
#include "qsim-internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNAP_BUDGET ((size_t)256 << 20)
#define SNAP_MAX 4096

struct qs_exec {
	struct qs_circuit *c;
	struct qs_noise nm;
	double *x, *w;      /* ninputs, nweights (at least 1 entry each) */
	double *ang;        /* ngates x 3 numeric angles for the bound x, w */
	struct qs_state *s;
	size_t cursor;
	size_t snap_every;  /* 0: no snapshots */
	size_t nsnap_max, nvalid; /* snaps[j] = state after j * snap_every gates, j < nvalid */
	struct qs_state **snaps;
};

double *qs_circuit_angles(const struct qs_circuit *c, const double *x, const double *w)
{
	double *ang = qcq_xcalloc(c->ngates * 3 + 1, sizeof(double));
	for (size_t k = 0; k < c->ngates; k++) {
		const struct qs_gate *g = &c->gates[k];
		for (int j = 0; j < qs_gate_info(g->kind)->nangles; j++)
			ang[3 * k + (size_t)j] = qs_angle_eval(&g->angle[j], x, w);
	}
	return ang;
}

void qs_step_gate(struct qs_state *s, const struct qs_gate *g, const double *ang,
		  const struct qs_noise *nm)
{
	if (g->kind == QS_G_BARRIER)
		return;
	qs_gate_unchecked(s, g->kind, g->q, ang);
	if (s->kind != QS_DENSITY || !nm)
		return;
	int nq = qs_gate_info(g->kind)->nqubits;
	if (nq == 1 && nm->p1 > 0)
		qs_depol1_unchecked(s, g->q[0], nm->p1);
	else if (nq == 2 && nm->p2 > 0)
		qs_depol2_unchecked(s, g->q[0], g->q[1], nm->p2);
	/* damping after the depolarizing channel, on every qubit of the gate (CCX too) */
	if (nm->gamma > 0 || nm->lambda > 0)
		for (int j = 0; j < nq; j++)
			qs_damp_unchecked(s, g->q[j], nm->gamma, nm->lambda);
}

enum qcq_status qs_run_numeric(const struct qs_circuit *c, const double *ang,
			       const struct qs_noise *nm, struct qs_state **out,
			       struct qcq_error *err)
{
	enum qs_kind kind = qs_noise_is_zero(nm) ? QS_PURE : QS_DENSITY;
	struct qs_state *s;
	enum qcq_status st = qs_create(c->nqubits, kind, &s, err);
	if (st)
		return st;
	for (size_t k = 0; k < c->ngates; k++)
		qs_step_gate(s, &c->gates[k], ang + 3 * k, nm);
	*out = s;
	return QCQ_OK;
}

/* ------------------------------------------------------------ the executor */

static void drop_snapshots(struct qs_exec *e)
{
	for (size_t j = 1; j < e->nvalid; j++)
		qs_destroy(e->snaps[j]);
	e->nvalid = 1; /* snapshot 0 is |0...0>, never stored */
}

enum qcq_status qs_exec_create(const struct qs_circuit *c, const struct qs_noise *nm,
			       struct qs_exec **out, struct qcq_error *err)
{
	enum qcq_status st = qs_noise_check(nm, err);
	if (st)
		return st;
	struct qs_state *s;
	st = qs_create(c->nqubits, qs_noise_is_zero(nm) ? QS_PURE : QS_DENSITY, &s, err);
	if (st)
		return st;
	struct qs_exec *e = qcq_xcalloc(1, sizeof *e);
	qs_circuit_clone(c, &e->c, NULL);
	if (nm)
		e->nm = *nm;
	e->s = s;
	e->x = qcq_xcalloc(c->ninputs + 1, sizeof(double));
	e->w = qcq_xcalloc(c->nweights + 1, sizeof(double));
	e->ang = qs_circuit_angles(e->c, e->x, e->w);
	size_t bytes = s->dim * sizeof(cplx), fit = SNAP_BUDGET / bytes;
	e->nsnap_max = fit < SNAP_MAX ? fit : SNAP_MAX;
	if (e->nsnap_max >= 2)
		e->snap_every = (c->ngates + e->nsnap_max - 2) / (e->nsnap_max - 1);
	if (e->snap_every == 0)
		e->snap_every = 1;
	e->snaps = qcq_xcalloc(e->nsnap_max + 1, sizeof(struct qs_state *));
	e->nvalid = 1;
	*out = e;
	return QCQ_OK;
}

void qs_exec_destroy(struct qs_exec *e)
{
	if (!e)
		return;
	drop_snapshots(e);
	free(e->snaps);
	qs_destroy(e->s);
	free(e->x);
	free(e->w);
	free(e->ang);
	qs_circuit_destroy(e->c);
	free(e);
}

const struct qs_circuit *qs_exec_circuit(const struct qs_exec *e) { return e->c; }
const struct qs_noise *qs_exec_noise(const struct qs_exec *e) { return &e->nm; }
const double *qs_exec_inputs(const struct qs_exec *e) { return e->x; }
const double *qs_exec_weights(const struct qs_exec *e) { return e->w; }
size_t qs_exec_cursor(const struct qs_exec *e) { return e->cursor; }
const struct qs_state *qs_exec_state(const struct qs_exec *e) { return e->s; }

/* One gate forward; keeps a snapshot when the cursor lands on the next multiple. */
static void forward_one(struct qs_exec *e)
{
	qs_step_gate(e->s, &e->c->gates[e->cursor], e->ang + 3 * e->cursor, &e->nm);
	e->cursor++;
	size_t j = e->cursor / e->snap_every;
	if (e->cursor % e->snap_every == 0 && j == e->nvalid && j < e->nsnap_max) {
		struct qs_state *snap;
		if (qs_clone(e->s, &snap, NULL) == QCQ_OK)
			e->snaps[e->nvalid++] = snap;
	}
}

static void rewind_to(struct qs_exec *e, size_t k)
{
	size_t j = k / e->snap_every;
	if (j >= e->nvalid)
		j = e->nvalid - 1;
	if (j == 0)
		qs_init_zero(e->s);
	else
		qs_copy(e->s, e->snaps[j]);
	e->cursor = j * e->snap_every;
	while (e->cursor < k)
		forward_one(e);
}

static enum qcq_status set_values(struct qs_exec *e, double *dst, uint32_t want, const double *v,
				  size_t n, const char *what, struct qcq_error *err)
{
	if (n != want)
		return qcq_error_set(err, QCQ_EINVAL, "circuit has %u %s, got %zu", want, what, n);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return qcq_error_set(err, QCQ_ENUMERIC, "%s %zu is not finite", what, i);
	memcpy(dst, v, n * sizeof(double));
	free(e->ang);
	e->ang = qs_circuit_angles(e->c, e->x, e->w);
	drop_snapshots(e);
	rewind_to(e, e->cursor);
	return QCQ_OK;
}

enum qcq_status qs_exec_set_inputs(struct qs_exec *e, const double *x, size_t n,
				   struct qcq_error *err)
{
	return set_values(e, e->x, e->c->ninputs, x, n, "inputs", err);
}

enum qcq_status qs_exec_set_weights(struct qs_exec *e, const double *w, size_t n,
				    struct qcq_error *err)
{
	return set_values(e, e->w, e->c->nweights, w, n, "weights", err);
}

enum qcq_status qs_exec_step(struct qs_exec *e, size_t n, size_t *moved, struct qcq_error *err)
{
	size_t left = e->c->ngates - e->cursor, m = n < left ? n : left;
	for (size_t k = 0; k < m; k++)
		forward_one(e);
	if (moved)
		*moved = m;
	return QCQ_OK;
}

enum qcq_status qs_exec_back(struct qs_exec *e, size_t n, size_t *moved, struct qcq_error *err)
{
	size_t m = n < e->cursor ? n : e->cursor;
	if (m)
		rewind_to(e, e->cursor - m);
	if (moved)
		*moved = m;
	return QCQ_OK;
}

enum qcq_status qs_exec_goto(struct qs_exec *e, size_t k, struct qcq_error *err)
{
	if (k > e->c->ngates)
		return qcq_error_set(err, QCQ_EINVAL, "gate %zu out of range (circuit has %zu gates)",
				     k, e->c->ngates);
	if (k >= e->cursor)
		return qs_exec_step(e, k - e->cursor, NULL, err);
	rewind_to(e, k);
	return QCQ_OK;
}

enum qcq_status qs_exec_run(struct qs_exec *e, struct qcq_error *err)
{
	return qs_exec_step(e, e->c->ngates - e->cursor, NULL, err);
}

void qs_exec_reset(struct qs_exec *e)
{
	qs_init_zero(e->s);
	e->cursor = 0;
}

const struct qs_gate *qs_exec_last_gate(const struct qs_exec *e)
{
	return e->cursor ? &e->c->gates[e->cursor - 1] : NULL;
}

void qs_exec_last_label(const struct qs_exec *e, char *buf, size_t size)
{
	const struct qs_gate *g = qs_exec_last_gate(e);
	if (!g)
		snprintf(buf, size, "(start)");
	else
		qs_gate_format(g, e->x, e->w, buf, size);
}

/* ------------------------------------------------------------ whole runs */

static enum qcq_status check_run(const struct qs_circuit *c, const double *x, const double *w,
				 const struct qs_noise *nm, long shots, struct qcq_rng *rng,
				 struct qcq_error *err)
{
	if (c->ninputs && !x)
		return qcq_error_set(err, QCQ_EINVAL, "circuit uses %u inputs but none were given",
				     c->ninputs);
	if (c->nweights && !w)
		return qcq_error_set(err, QCQ_EINVAL, "circuit uses %u weights but none were given",
				     c->nweights);
	if (shots < 0 || shots > 1000000000L)
		return qcq_error_set(err, QCQ_EINVAL, "shots %ld out of range (0 to 1e9)", shots);
	if (shots > 0 && !rng)
		return qcq_error_set(err, QCQ_EINVAL, "shots need a random generator");
	return qs_noise_check(nm, err);
}

static enum qcq_status check_obs(const struct qs_circuit *c, const struct qs_pauli *obs, int np,
				 struct qcq_error *err)
{
	if (np < 1)
		return qcq_error_set(err, QCQ_EINVAL, "no observable given");
	for (int j = 0; j < np; j++) {
		uint64_t used = obs[j].x | obs[j].z;
		if (used >> c->nqubits)
			return qcq_error_set(err, QCQ_EINVAL, "observable %d acts on qubit %d (circuit has %d)",
					     j, 63 - __builtin_clzll(used), c->nqubits);
	}
	return QCQ_OK;
}

enum qcq_status qs_circuit_expect(const struct qs_circuit *c, const double *x, const double *w,
				  const struct qs_noise *nm, const struct qs_pauli *obs, int np,
				  long shots, struct qcq_rng *rng, double *out,
				  struct qcq_error *err)
{
	enum qcq_status st = check_run(c, x, w, nm, shots, rng, err);
	if (!st)
		st = check_obs(c, obs, np, err);
	if (st)
		return st;
	double *ang = qs_circuit_angles(c, x, w);
	struct qs_state *s;
	st = qs_run_numeric(c, ang, nm, &s, err);
	free(ang);
	if (st)
		return st;
	for (int j = 0; j < np; j++) {
		double e = qs_pauli_unchecked(s, obs[j]);
		out[j] = shots ? qs_shots_estimate(e, shots, rng) : e;
	}
	qs_destroy(s);
	return QCQ_OK;
}

/* Shared with grad.c through this name. */
enum qcq_status qs_check_run(const struct qs_circuit *c, const double *x, const double *w,
			     const struct qs_noise *nm, long shots, struct qcq_rng *rng,
			     const struct qs_pauli *obs, struct qcq_error *err)
{
	enum qcq_status st = check_run(c, x, w, nm, shots, rng, err);
	return st ? st : check_obs(c, obs, 1, err);
}
