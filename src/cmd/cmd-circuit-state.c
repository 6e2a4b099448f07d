/*
 * cmd/cmd-circuit-state.c: reading the state at the cursor: `state [amps|probs|bloch|
 * density]`, `expect PAULI...` (exact, or from `set shots` with the workspace rng) and
 * `measure SHOTS` (a histogram into ws->counts). Basis states are labelled with qubit
 * n-1 leftmost: "|q1q0> = |01>" is index 1.
 */
#include "cmd-circuit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 64     /* basis states listed in text */
#define MAX_DENSITY_TEXT 3 /* qubits of a density matrix printed in full */
#define MAX_DENSITY_JSON 5

static void basis_header(struct cmd_ctx *ctx, int n)
{
	char q[200] = "";
	size_t len = 0;
	for (int j = n - 1; j >= 0 && len + 8 < sizeof q; j--)
		len += (size_t)snprintf(q + len, sizeof q - len, "q%d", j);
	cmd_print(ctx, "basis |%s> (qubit 0 rightmost)", n <= 8 ? q : "q(n-1)...q0");
}

static void show_amps(struct cmd_ctx *ctx, const struct qs_state *s, bool probs)
{
	size_t d = (size_t)1 << s->n, shown = 0, hidden = 0;
	double *p = qcq_xmalloc(sizeof *p * d);
	char bits[32];
	qs_calc_probs(s, p);
	basis_header(ctx, s->n);
	cmd_json_begin(ctx, probs ? "state-probs" : "state-amps");
	cmd_json_int(ctx, "qubits", s->n);
	cmd_json_arr_begin(ctx, "states");
	for (size_t i = 0; i < d; i++) {
		if (p[i] < 1e-14 && d > MAX_LINES) {
			continue;
		}
		if (shown++ >= MAX_LINES) {
			hidden++;
			continue;
		}
		cmd_circuit_bits(i, s->n, bits);
		if (probs)
			cmd_print(ctx, "|%s>  p=%.10f", bits, p[i]);
		else
			cmd_print(ctx, "|%s>  %+.10f %+.10fi  p=%.10f", bits, creal(s->amp[i]),
				  cimag(s->amp[i]), p[i]);
		cmd_json_obj_begin(ctx, NULL);
		cmd_json_str(ctx, "label", bits);
		cmd_json_int(ctx, "index", (long long)i);
		if (!probs) {
			cmd_json_num(ctx, "re", creal(s->amp[i]));
			cmd_json_num(ctx, "im", cimag(s->amp[i]));
		}
		cmd_json_num(ctx, "p", p[i]);
		cmd_json_obj_end(ctx);
	}
	cmd_json_arr_end(ctx);
	cmd_json_end(ctx);
	if (hidden)
		cmd_print(ctx, "... %zu more basis states with p >= 1e-14", hidden);
	free(p);
}

static void show_bloch(struct cmd_ctx *ctx, const struct qs_state *s)
{
	cmd_json_begin(ctx, "state-bloch");
	cmd_json_arr_begin(ctx, "qubits");
	for (int q = 0; q < s->n; q++) {
		double v[3];
		qs_calc_bloch(s, q, v, NULL);
		cmd_print(ctx, "q%d: <X> = %+.10f  <Y> = %+.10f  <Z> = %+.10f  |r| = %.6f", q, v[0],
			  v[1], v[2], sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
		cmd_json_nums(ctx, NULL, v, 3);
	}
	cmd_json_arr_end(ctx);
	cmd_json_num(ctx, "purity", qs_calc_purity(s));
	cmd_json_end(ctx);
	cmd_print(ctx, "purity tr(rho^2) = %.10f", qs_calc_purity(s));
}

static enum qcq_status show_density(struct cmd_ctx *ctx, const struct qs_state *s)
{
	if (s->n > MAX_DENSITY_JSON)
		return cmd_error(ctx, QCQ_ERANGE,
				 "state density: %d qubits is too many to print (at most %d)", s->n,
				 MAX_DENSITY_JSON);
	size_t d = (size_t)1 << s->n;
	char bits[32];
	basis_header(ctx, s->n);
	cmd_json_begin(ctx, "state-density");
	cmd_json_int(ctx, "qubits", s->n);
	cmd_json_arr_begin(ctx, "rows");
	for (size_t r = 0; r < d; r++) {
		char line[1024];
		size_t len = 0;
		cmd_circuit_bits(r, s->n, bits);
		len += (size_t)snprintf(line, sizeof line, "<%s| ", bits);
		double *re = qcq_xmalloc(sizeof *re * 2 * d);
		for (size_t c = 0; c < d; c++) {
			double complex v = qs_density_get(s, r, c);
			re[2 * c] = creal(v), re[2 * c + 1] = cimag(v);
			if (len < sizeof line)
				len += (size_t)snprintf(line + len, sizeof line - len, " %+.4f%+.4fi",
							creal(v), cimag(v));
		}
		if (s->n <= MAX_DENSITY_TEXT)
			cmd_print(ctx, "%s", line);
		cmd_json_nums(ctx, NULL, re, 2 * d); /* re, im interleaved */
		free(re);
	}
	cmd_json_arr_end(ctx);
	cmd_json_end(ctx);
	if (s->n > MAX_DENSITY_TEXT)
		cmd_print(ctx, "(%d qubits: the matrix is only in the JSON result)", s->n);
	cmd_print(ctx, "trace %.10f, purity %.10f", qs_calc_trace(s), qs_calc_purity(s));
	return QCQ_OK;
}

static enum qcq_status exec_state(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	const char *what = cmd_nargs(call) ? cmd_arg(call, 0) : NULL;
	struct qs_exec *e;
	if (what && strcmp(what, "amps") && strcmp(what, "probs") && strcmp(what, "bloch") &&
	    strcmp(what, "density"))
		return cmd_error(ctx, QCQ_EINVAL, "state: '%s' is not amps, probs, bloch or density",
				 what);
	if (cmd_circuit_exec(ctx, &e))
		return ctx->err->code;
	const struct qs_state *s = qs_exec_state(e);
	if (!what)
		what = s->kind == QS_PURE ? "amps" : "probs";
	if (!strcmp(what, "amps") && s->kind == QS_DENSITY)
		return cmd_error(ctx, QCQ_ESTATE,
				 "state amps: the state is a density matrix (noise is on); use probs, "
				 "bloch or density");
	char noise[160];
	qs_noise_describe(qs_exec_noise(e), noise, sizeof noise);
	if (s->kind == QS_PURE)
		cmd_print(ctx, "state after gate %zu/%zu (pure)", qs_exec_cursor(e),
			  qs_exec_circuit(e)->ngates);
	else
		cmd_print(ctx, "state after gate %zu/%zu (density matrix: %s)", qs_exec_cursor(e),
			  qs_exec_circuit(e)->ngates, noise);
	if (!strcmp(what, "density"))
		return show_density(ctx, s);
	if (!strcmp(what, "bloch"))
		show_bloch(ctx, s);
	else
		show_amps(ctx, s, !strcmp(what, "probs"));
	return QCQ_OK;
}

static enum qcq_status exec_expect(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct qs_exec *e;
	if (cmd_circuit_exec(ctx, &e))
		return ctx->err->code;
	const struct qs_state *s = qs_exec_state(e);
	int np = cmd_nargs(call);
	struct qs_pauli *p = qcq_xcalloc((size_t)np, sizeof *p);
	for (int j = 0; j < np; j++)
		if (qs_pauli_parse(cmd_arg(call, j), s->n, &p[j], ctx->err)) {
			free(p);
			return ctx->err->code;
		}
	long shots = ctx->ws->set.shots;
	cmd_json_begin(ctx, "expect");
	cmd_json_int(ctx, "cursor", (long long)qs_exec_cursor(e));
	cmd_json_int(ctx, "shots", shots);
	cmd_json_obj_begin(ctx, "values");
	for (int j = 0; j < np; j++) {
		double v;
		char name[200];
		if (shots > 0)
			qs_calc_pauli_shots(s, p[j], shots, &ctx->ws->rng, &v, NULL);
		else
			qs_calc_pauli(s, p[j], &v, NULL);
		qs_pauli_format(p[j], name, sizeof name);
		/* under the label typed (X1Y0 is Y0X1 in qubit order: both are said) */
		const char *label = cmd_arg(call, j);
		if (strcmp(label, name) != 0)
			cmd_print(ctx, "<%s> = %+.13f  (%s in qubit order)", label, v, name);
		else
			cmd_print(ctx, "<%s> = %+.13f", label, v);
		bool again = false; /* a label typed twice is one key of the object */
		for (int k = 0; k < j; k++)
			again |= strcmp(cmd_arg(call, k), label) == 0;
		if (!again)
			cmd_json_num(ctx, label, v);
	}
	cmd_json_obj_end(ctx);
	cmd_json_end(ctx);
	if (shots > 0)
		cmd_print(ctx, "(estimated from %ld shots each; `set shots exact` for exact values)",
			  shots);
	free(p);
	return QCQ_OK;
}

static enum qcq_status exec_measure(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct cmd_workspace *ws = ctx->ws;
	struct qs_exec *e;
	long shots;
	if (cmd_parse_long(ctx, "SHOTS", cmd_arg(call, 0), 1, 100000000L, &shots) ||
	    cmd_circuit_exec(ctx, &e))
		return ctx->err->code;
	const struct qs_state *s = qs_exec_state(e);
	size_t d = (size_t)1 << s->n;
	double *counts = qcq_alloc_checked(d, sizeof *counts, "histogram", ctx->err);
	if (!counts)
		return ctx->err->code;
	struct qs_readout ro = {ws->set.p01, ws->set.p10};
	bool noisy_readout = ro.p01 > 0 || ro.p10 > 0;
	if (qs_sample(s, shots, noisy_readout ? &ro : NULL, &ws->rng, counts, ctx->err)) {
		qcq_aligned_free(counts);
		return ctx->err->code;
	}
	/* ws->counts is released with free() by the family: keep it a malloc block */
	double *keep = qcq_xmalloc(sizeof *keep * d);
	memcpy(keep, counts, sizeof *keep * d);
	qcq_aligned_free(counts);
	free(ws->counts);
	ws->counts = keep;
	ws->counts_shots = shots;
	ws->dirty |= CMD_DIRTY_STATE;
	char bits[32];
	basis_header(ctx, s->n);
	cmd_json_begin(ctx, "measure");
	cmd_json_int(ctx, "shots", shots);
	cmd_json_obj_begin(ctx, "counts");
	size_t lines = 0;
	for (size_t i = 0; i < d; i++) {
		if (keep[i] == 0)
			continue;
		cmd_circuit_bits(i, s->n, bits);
		if (lines++ < MAX_LINES)
			cmd_print(ctx, "|%s>  %8.0f  (%.4f)", bits, keep[i], keep[i] / (double)shots);
		cmd_json_num(ctx, bits, keep[i]);
	}
	cmd_json_obj_end(ctx);
	cmd_json_end(ctx);
	if (lines > MAX_LINES)
		cmd_print(ctx, "... %zu more outcomes", lines - MAX_LINES);
	return QCQ_OK;
}

const struct cmd_entry cmd_state_entry = {
	.name = "state",
	.min_args = 0,
	.max_args = 1,
	.usage = "state [amps|probs|bloch|density]",
	.help = "Show the state at the cursor: amplitudes (pure states), probabilities, the\n"
		"Bloch vector of each qubit, or the density matrix. Labels |q(n-1)...q0>.",
	.flags = CMD_F_JOB_SAFE,
	.exec = exec_state,
};

const struct cmd_entry cmd_expect_entry = {
	.name = "expect",
	.min_args = 1,
	.max_args = 64,
	.usage = "expect PAULI...",
	.help = "Expectation values of Pauli strings at the cursor: expect Z0 Z1 Z0Z1, or\n"
		"Qiskit labels (IZ = Z on qubit 0). Exact, or from `set shots N` shots.",
	.flags = CMD_F_JOB_SAFE,
	.exec = exec_expect,
};

const struct cmd_entry cmd_measure_entry = {
	.name = "measure",
	.min_args = 1,
	.max_args = 1,
	.usage = "measure SHOTS",
	.help = "Sample SHOTS measurements of every qubit at the cursor (workspace seed), with\n"
		"the readout error of `set noise readout p01=P p10=P`; the histogram is kept\n"
		"for the state view.",
	.exec = exec_measure,
};
