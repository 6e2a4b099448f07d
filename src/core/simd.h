/*
 * core/simd.h: one float vector type for every vector width, so that a kernel is
 * written once and the compiler maps it to the machine it is built for.
 *
 * qcq_vf is a GCC/Clang vector extension of QCQ_VF_N floats: 16 with AVX-512, 8
 * with AVX (AVX2 and FMA when the build has them), 4 with SSE2 or NEON, 1 (plain
 * scalar code) on anything else. Arithmetic on it is ordinary C (a * b + c is one
 * FMA where the kernel files are built with -ffp-contract=fast, see
 * src/meson.build's kernel library), loads and stores go through memcpy (one
 * unaligned vector move). -DQCQ_SIMD_BYTES=N forces a width (4 = scalar), which is
 * how the scalar path is built and tested on a vector machine.
 *
 * Not here: shuffles and masked loads (no portable spelling); kernels handle ragged
 * edges with narrower vectors or scalar tails.
 */
#ifndef QCQ_CORE_SIMD_H
#define QCQ_CORE_SIMD_H

#include <stddef.h>
#include <string.h>

#ifndef QCQ_SIMD_BYTES
#if defined(__AVX512F__)
#define QCQ_SIMD_BYTES 64
#elif defined(__AVX__)
#define QCQ_SIMD_BYTES 32
#elif defined(__SSE2__) || defined(__ARM_NEON) || defined(__ALTIVEC__) || defined(__riscv_vector)
#define QCQ_SIMD_BYTES 16
#else
#define QCQ_SIMD_BYTES 4
#endif
#endif

#define QCQ_VF_N (QCQ_SIMD_BYTES / 4) /* floats per vector (usable in #if) */

typedef float qcq_vf __attribute__((vector_size(QCQ_SIMD_BYTES)));
/* Lane masks of comparisons (-1 true, 0 false) and the bits of a qcq_vf. */
typedef int qcq_vi __attribute__((vector_size(QCQ_SIMD_BYTES)));

static inline qcq_vf qcq_vf_load(const float *p)
{
	qcq_vf v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline void qcq_vf_store(float *p, qcq_vf v)
{
	memcpy(p, &v, sizeof v);
}

/* x in every lane. Adding -0.0 is exact for every x (0 + x is not, for x = -0), so
 * the compiler drops the add and keeps a bare broadcast. */
static inline qcq_vf qcq_vf_splat(float x)
{
	return -(qcq_vf){ 0 } + x;
}

/* mask ? a : b lane by lane (C has no ?: on vectors). */
static inline qcq_vf qcq_vf_select(qcq_vi mask, qcq_vf a, qcq_vf b)
{
	return (qcq_vf)(((qcq_vi)a & mask) | ((qcq_vi)b & ~mask));
}

/*
 * Copies n floats, for the short runs (4 to 30 floats) of im2col: memcpy's call
 * costs more than such a copy, and a plain loop is turned back into that call. Two
 * overlapping moves of 8 (or 4) floats cover any n in [8, 16) (or [4, 8)).
 */
typedef float qcq_f8 __attribute__((vector_size(32)));
typedef float qcq_f4 __attribute__((vector_size(16)));

static inline void qcq_copy_floats(float *restrict dst, const float *restrict src, int n)
{
	qcq_f8 a, b;
	qcq_f4 c, d;
	for (; n >= 16; n -= 16, dst += 16, src += 16) {
		memcpy(&a, src, 32), memcpy(&b, src + 8, 32);
		memcpy(dst, &a, 32), memcpy(dst + 8, &b, 32);
	}
	if (n == 4 || n == 8) { /* one move (conv maps of 4 and 8 columns) */
		if (n == 8)
			memcpy(&a, src, 32), memcpy(dst, &a, 32);
		else
			memcpy(&c, src, 16), memcpy(dst, &c, 16);
	} else if (n >= 8) {
		memcpy(&a, src, 32), memcpy(&b, src + n - 8, 32);
		memcpy(dst, &a, 32), memcpy(dst + n - 8, &b, 32);
	} else if (n >= 4) {
		memcpy(&c, src, 16), memcpy(&d, src + n - 4, 16);
		memcpy(dst, &c, 16), memcpy(dst + n - 4, &d, 16);
	} else {
		for (int i = 0; i < n; i++)
			dst[i] = src[i];
	}
}

/* What the vector type compiles to in this build, e.g. "AVX-512 (16 floats)". */
const char *qcq_simd_name(void);
/* The CPU's model name (from /proc/cpuinfo or the OS), "unknown CPU" if not found. */
void qcq_cpu_name(char *buf, size_t cap);

#endif
