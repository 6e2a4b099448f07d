/*
 * core/rng.c: xoshiro256** (Blackman & Vigna), seeded by splitmix64. Fast, 256 bits
 * of state, and splittable by hashing (parent state, stream id) into a new seed.
 */
#include "qcq/core.h"

#include <math.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void qcq_rng_seed(struct qcq_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

void qcq_rng_seed_domain(struct qcq_rng *r, uint64_t seed, const char *domain)
{
	uint64_t h = qcq_hash(QCQ_HASH_INIT, domain, strlen(domain));
	qcq_rng_seed(r, qcq_hash(h, &seed, sizeof seed));
}

struct qcq_rng qcq_rng_split(const struct qcq_rng *parent, uint64_t stream)
{
	uint64_t x = parent->s[0] ^ rotl(parent->s[1], 17) ^ rotl(parent->s[2], 31) ^
		     rotl(parent->s[3], 47);
	x ^= splitmix64(&stream);
	struct qcq_rng r;
	qcq_rng_seed(&r, x);
	return r;
}

uint64_t qcq_rng_u64(struct qcq_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double qcq_rng_uniform(struct qcq_rng *r)
{
	return (double)(qcq_rng_u64(r) >> 11) * 0x1.0p-53;
}

float qcq_rng_uniformf(struct qcq_rng *r)
{
	return (float)(qcq_rng_u64(r) >> 40) * 0x1.0p-24f;
}

uint64_t qcq_rng_below(struct qcq_rng *r, uint64_t n)
{
	/* Lemire's nearly divisionless method, exact (rejects the biased tail). */
	uint64_t x = qcq_rng_u64(r);
	__uint128_t m = (__uint128_t)x * n;
	uint64_t l = (uint64_t)m;
	if (l < n) {
		uint64_t t = -n % n;
		while (l < t) {
			x = qcq_rng_u64(r);
			m = (__uint128_t)x * n;
			l = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double qcq_rng_normal(struct qcq_rng *r)
{
	/* Box-Muller; one value per call keeps the stream position simple to reason about. */
	double u1 = qcq_rng_uniform(r), u2 = qcq_rng_uniform(r);
	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void qcq_rng_shuffle(struct qcq_rng *r, uint32_t *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)qcq_rng_below(r, i);
		uint32_t t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}
