/*
 * bench/bench_qsim.c: gate throughput on a 20-qubit state vector, in amplitudes per
 * second, for H, RY, CX and RZZ on one thread (the kernels are single-threaded), each
 * gate swept over every target qubit (CX/RZZ over pairs (q, q+1 mod 20) and (q, 19-q)).
 * Baseline measured in the same run: one streaming pass that scales every amplitude by
 * a complex phase (read + write of the whole state, what any gate must at least do).
 * Usage: bench_qsim [qubits] [reps]
 */
#include "qcq/qsim.h"
#include "bench-cpu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double stream_pass(struct qs_state *s, int reps)
{
	double t0 = qcq_now();
	double cr = cos(1e-3), ci = sin(1e-3);
	double *d = (double *)s->amp;
	for (int r = 0; r < reps; r++)
		for (size_t i = 0; i < s->dim; i++) {
			double xr = d[2 * i], xi = d[2 * i + 1];
			d[2 * i] = cr * xr - ci * xi;
			d[2 * i + 1] = cr * xi + ci * xr;
		}
	return (qcq_now() - t0) / reps;
}

/* Seconds per gate application, averaged over all placements and reps. */
static double time_gate(struct qs_state *s, enum qs_gate_kind k, int reps)
{
	int n = s->n, count = 0;
	struct qcq_error e;
	double ang = 0.37;
	double t0 = qcq_now();
	for (int r = 0; r < reps; r++)
		for (int q = 0; q < n; q++) {
			if (qs_gate_info(k)->nqubits == 1) {
				qs_apply_gate(s, k, &q, &ang, &e);
				count++;
				continue;
			}
			int p1[2] = {q, (q + 1) % n}, p2[2] = {q, n - 1 - q};
			qs_apply_gate(s, k, p1, &ang, &e);
			count++;
			if (p2[0] != p2[1]) {
				qs_apply_gate(s, k, p2, &ang, &e);
				count++;
			}
		}
	return (qcq_now() - t0) / count;
}

int main(int argc, char **argv)
{
	bench_print_cpu("bench_qsim");
	int n = argc > 1 ? atoi(argv[1]) : 20, reps = argc > 2 ? atoi(argv[2]) : 5;
	struct qs_state *s;
	struct qcq_error e;
	if (qs_create(n, QS_PURE, &s, &e)) {
		fprintf(stderr, "bench_qsim: %s\n", e.msg);
		return 1;
	}
	qs_init_plus(s);
	double amps = (double)s->dim;
	double base = stream_pass(s, reps * 4);
	printf("state vector: %d qubits, %.0f amplitudes (%.1f MiB), 1 thread\n", n, amps,
	       amps * 16 / (1 << 20));
	printf("%-10s %12s %14s %10s\n", "gate", "ms/gate", "amps/s", "vs stream");
	printf("%-10s %12.3f %14.3e %10.2f\n", "stream", base * 1e3, amps / base, 1.0);
	static const enum qs_gate_kind kinds[] = {QS_G_H, QS_G_RY, QS_G_CX, QS_G_RZZ};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		double t = time_gate(s, kinds[i], reps);
		printf("%-10s %12.3f %14.3e %10.2f\n", qs_gate_info(kinds[i])->name, t * 1e3, amps / t,
		       base / t);
	}
	printf("norm after all gates: %.15f\n", qs_calc_trace(s));
	qs_destroy(s);
	return 0;
}
