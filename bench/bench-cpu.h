/*
 * bench/bench-cpu.h: the line every benchmark starts with, naming what it measures
 * on: the CPU, the vector width the kernels were compiled for, and OpenBLAS's core
 * when forced (OPENBLAS_CORETYPE, e.g. Haswell to measure an AVX2 sgemm on an
 * AVX-512 CPU). Speed figures mean nothing without it.
 */
#ifndef QCQ_BENCH_CPU_H
#define QCQ_BENCH_CPU_H

#include "core/simd.h"

#include <stdio.h>
#include <stdlib.h>

static inline void bench_print_cpu(const char *bench)
{
	char cpu[160];
	qcq_cpu_name(cpu, sizeof cpu);
	const char *core = getenv("OPENBLAS_CORETYPE");
	printf("%s: CPU %s; kernels compiled for %s; OpenBLAS core %s\n", bench, cpu,
	       qcq_simd_name(), core && *core ? core : "chosen by OpenBLAS");
}

#endif
