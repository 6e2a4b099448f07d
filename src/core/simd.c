/*
 * core/simd.c: names of what the kernels run on, for benchmarks and `summary`:
 * the vector width this build's qcq_vf compiles to, and the CPU's model name.
 */
#include "core/simd.h"

#include <stdio.h>
#include <string.h>

const char *qcq_simd_name(void)
{
#if QCQ_SIMD_BYTES == 64
	return "AVX-512 (16 floats)";
#elif QCQ_SIMD_BYTES == 32 && defined(__AVX2__) && defined(__FMA__)
	return "AVX2+FMA (8 floats)";
#elif QCQ_SIMD_BYTES == 32
	return "AVX (8 floats)";
#elif QCQ_SIMD_BYTES == 16 && defined(__ARM_NEON)
	return "NEON (4 floats)";
#elif QCQ_SIMD_BYTES == 16 && defined(__SSE2__)
	return "SSE2 (4 floats)";
#elif QCQ_SIMD_BYTES == 16
	return "generic 128-bit (4 floats)";
#else
	return "scalar (1 float)";
#endif
}

/* x86 Linux says "model name : ...", arm64 Linux often has no model name, so the
 * implementer/part pair is what names the core there. */
void qcq_cpu_name(char *buf, size_t cap)
{
	if (cap == 0)
		return;
	snprintf(buf, cap, "unknown CPU");
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[512], impl[64] = "", part[64] = "";
	while (fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		char *v = colon + 1;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = '\0';
		if (strncmp(line, "model name", 10) == 0 && *v) {
			snprintf(buf, cap, "%s", v);
			fclose(f);
			return;
		}
		if (strncmp(line, "CPU implementer", 15) == 0 && !*impl)
			snprintf(impl, sizeof impl, "%s", v);
		if (strncmp(line, "CPU part", 8) == 0 && !*part)
			snprintf(part, sizeof part, "%s", v);
	}
	fclose(f);
	if (*impl)
		snprintf(buf, cap, "ARM implementer %s part %s", impl, part);
}
