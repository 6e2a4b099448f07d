/*
 * data/synth.c: the built-in data set, procedurally drawn handwritten-looking digits.
 *
 * Each digit is a skeleton of strokes (cubic Bezier pieces and lines in a unit box, y
 * down). For each sample: every control point wobbles a little (so shapes vary, not
 * just poses), a random affine map places the digit (rotation, shear, scale,
 * translation), the strokes are flattened to segments and drawn with a random pen
 * radius by distance to the nearest segment (anti-aliased edge), then blurred, scaled
 * in brightness and given a little noise. Sample i uses the RNG stream split(seed, i),
 * so the set is a function of (n, seed) alone, whatever the thread count.
 *
 * Not here: any other data set; loading files.
 */
#include "qcq/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SYN_SIDE 28
#define MAX_PIECES 8

/* A stroke: n cubic pieces sharing end points; a line is a piece with p1 = p0, p2 = p3. */
struct piece {
	float p[4][2];
};
struct stroke {
	int n;
	struct piece pc[MAX_PIECES];
};
struct glyph {
	int n;
	struct stroke s[3];
};

#define L(x0, y0, x1, y1) {{{x0, y0}, {x0, y0}, {x1, y1}, {x1, y1}}}
#define C(x0, y0, x1, y1, x2, y2, x3, y3) {{{x0, y0}, {x1, y1}, {x2, y2}, {x3, y3}}}

/* An ellipse as four cubic pieces (k = 0.5523 is the circle constant). */
#define ELLIPSE(cx, cy, rx, ry)                                                            \
	{4,                                                                                \
	 {C(cx, cy - ry, cx + 0.5523f * rx, cy - ry, cx + rx, cy - 0.5523f * ry, cx + rx, cy),  \
	  C(cx + rx, cy, cx + rx, cy + 0.5523f * ry, cx + 0.5523f * rx, cy + ry, cx, cy + ry),  \
	  C(cx, cy + ry, cx - 0.5523f * rx, cy + ry, cx - rx, cy + 0.5523f * ry, cx - rx, cy),  \
	  C(cx - rx, cy, cx - rx, cy - 0.5523f * ry, cx - 0.5523f * rx, cy - ry, cx, cy - ry)}}

static const struct glyph glyphs[10] = {
	/* 0 */ {1, {ELLIPSE(0.5f, 0.5f, 0.2f, 0.31f)}},
	/* 1 */ {1, {{2, {L(0.40f, 0.28f, 0.53f, 0.17f), L(0.53f, 0.17f, 0.50f, 0.83f)}}}},
	/* 2 */ {1, {{3, {C(0.30f, 0.32f, 0.32f, 0.10f, 0.72f, 0.10f, 0.68f, 0.36f),
			  C(0.68f, 0.36f, 0.65f, 0.52f, 0.40f, 0.66f, 0.29f, 0.81f),
			  L(0.29f, 0.81f, 0.73f, 0.80f)}}}},
	/* 3 */ {1, {{4, {C(0.31f, 0.24f, 0.42f, 0.10f, 0.70f, 0.11f, 0.67f, 0.30f),
			  C(0.67f, 0.30f, 0.65f, 0.42f, 0.52f, 0.47f, 0.44f, 0.47f),
			  C(0.44f, 0.47f, 0.64f, 0.47f, 0.74f, 0.58f, 0.69f, 0.71f),
			  C(0.69f, 0.71f, 0.63f, 0.87f, 0.39f, 0.88f, 0.29f, 0.76f)}}}},
	/* 4 */ {2, {{2, {L(0.58f, 0.17f, 0.28f, 0.60f), L(0.28f, 0.60f, 0.75f, 0.60f)}},
		     {1, {L(0.60f, 0.30f, 0.60f, 0.84f)}}}},
	/* 5 */ {1, {{4, {L(0.69f, 0.18f, 0.37f, 0.18f), L(0.37f, 0.18f, 0.34f, 0.46f),
			  C(0.34f, 0.46f, 0.50f, 0.37f, 0.75f, 0.44f, 0.71f, 0.64f),
			  C(0.71f, 0.64f, 0.67f, 0.87f, 0.41f, 0.89f, 0.29f, 0.77f)}}}},
	/* 6 */ {1, {{3, {C(0.65f, 0.16f, 0.43f, 0.24f, 0.30f, 0.48f, 0.33f, 0.67f),
			  C(0.33f, 0.67f, 0.37f, 0.88f, 0.66f, 0.88f, 0.67f, 0.68f),
			  C(0.67f, 0.68f, 0.68f, 0.50f, 0.44f, 0.47f, 0.34f, 0.62f)}}}},
	/* 7 */ {1, {{2, {L(0.29f, 0.19f, 0.72f, 0.19f), C(0.72f, 0.19f, 0.60f, 0.40f, 0.50f, 0.60f, 0.45f, 0.84f)}}}},
	/* 8 */ {2, {ELLIPSE(0.5f, 0.31f, 0.15f, 0.14f), ELLIPSE(0.5f, 0.66f, 0.19f, 0.18f)}},
	/* 9 */ {2, {ELLIPSE(0.49f, 0.34f, 0.17f, 0.16f),
		     {1, {C(0.66f, 0.34f, 0.66f, 0.55f, 0.63f, 0.70f, 0.60f, 0.85f)}}}},
};

/* Per-sample drawing parameters. */
struct pose {
	float a[2][2], t[2]; /* pixel = a * unit + t */
	float radius;        /* pen radius in pixels */
	float bright;
	float blur;          /* weight of the neighbours in the 3x3 blur */
	float noise;
};

static void make_pose(struct qcq_rng *r, struct pose *p)
{
	float rot = (float)(qcq_rng_normal(r) * 0.19);
	float shear = (float)(qcq_rng_normal(r) * 0.22);
	rot = fmaxf(-0.45f, fminf(0.45f, rot)); /* beyond this a 1 becomes a slash */
	shear = fmaxf(-0.45f, fminf(0.45f, shear));
	float sx = 0.8f + 0.35f * qcq_rng_uniformf(r);
	float sy = 0.85f + 0.25f * qcq_rng_uniformf(r);
	float c = cosf(rot), s = sinf(rot);
	/* R * Shear(x += shear*y) * S, times the box size */
	float m00 = sx, m01 = shear * sy, m10 = 0, m11 = sy;
	p->a[0][0] = SYN_SIDE * (c * m00 - s * m10);
	p->a[0][1] = SYN_SIDE * (c * m01 - s * m11);
	p->a[1][0] = SYN_SIDE * (s * m00 + c * m10);
	p->a[1][1] = SYN_SIDE * (s * m01 + c * m11);
	/* keep the unit centre (0.5, 0.5) near the image centre, then shift */
	float dx = (float)(qcq_rng_normal(r) * 1.6), dy = (float)(qcq_rng_normal(r) * 1.3);
	p->t[0] = SYN_SIDE * 0.5f - (p->a[0][0] + p->a[0][1]) * 0.5f + dx;
	p->t[1] = SYN_SIDE * 0.5f - (p->a[1][0] + p->a[1][1]) * 0.5f + dy;
	p->radius = 0.85f + 0.95f * qcq_rng_uniformf(r);
	p->bright = 0.8f + 0.2f * qcq_rng_uniformf(r);
	p->blur = 0.05f + 0.2f * qcq_rng_uniformf(r);
	p->noise = 0.01f + 0.03f * qcq_rng_uniformf(r);
}

/* Distance-field drawing of segment (a, b) with the pen: d[] keeps the nearest distance. */
static void draw_segment(float *d, const float a[2], const float b[2], float reach)
{
	float x0 = fminf(a[0], b[0]) - reach, x1 = fmaxf(a[0], b[0]) + reach;
	float y0 = fminf(a[1], b[1]) - reach, y1 = fmaxf(a[1], b[1]) + reach;
	int i0 = (int)fmaxf(0, floorf(y0)), i1 = (int)fminf(SYN_SIDE - 1, ceilf(y1));
	int j0 = (int)fmaxf(0, floorf(x0)), j1 = (int)fminf(SYN_SIDE - 1, ceilf(x1));
	float vx = b[0] - a[0], vy = b[1] - a[1], vv = vx * vx + vy * vy;
	for (int i = i0; i <= i1; i++)
		for (int j = j0; j <= j1; j++) {
			float px = j + 0.5f - a[0], py = i + 0.5f - a[1];
			float t = vv > 0 ? (px * vx + py * vy) / vv : 0;
			t = t < 0 ? 0 : t > 1 ? 1 : t;
			float ex = px - t * vx, ey = py - t * vy;
			float dist = sqrtf(ex * ex + ey * ey);
			float *q = d + i * SYN_SIDE + j;
			if (dist < *q)
				*q = dist;
		}
}

static void bezier(const float p[4][2], float t, float out[2])
{
	float u = 1 - t;
	float b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t, b3 = t * t * t;
	for (int k = 0; k < 2; k++)
		out[k] = b0 * p[0][k] + b1 * p[1][k] + b2 * p[2][k] + b3 * p[3][k];
}

static void render_digit(float *img, int digit, struct qcq_rng *r)
{
	struct glyph g = glyphs[digit];
	/* wobble: move every distinct point; shared end points move together because the
	 * offset is a function of the point's position */
	float wob[6];
	for (int k = 0; k < 6; k++)
		wob[k] = (float)(qcq_rng_normal(r) * 0.04);
	for (int s = 0; s < g.n; s++)
		for (int c = 0; c < g.s[s].n; c++)
			for (int k = 0; k < 4; k++) {
				float *pt = g.s[s].pc[c].p[k];
				float x = pt[0], y = pt[1];
				pt[0] += wob[0] * sinf(7.1f * y + 3 * wob[4] * 40) + wob[2] * (y - 0.5f) * 2;
				pt[1] += wob[1] * sinf(6.3f * x + 3 * wob[5] * 40) + wob[3] * (x - 0.5f) * 2;
			}
	struct pose p;
	make_pose(r, &p);
	float d[SYN_SIDE * SYN_SIDE];
	for (int i = 0; i < SYN_SIDE * SYN_SIDE; i++)
		d[i] = 1e9f;
	float reach = p.radius + 1.5f;
	for (int s = 0; s < g.n; s++)
		for (int c = 0; c < g.s[s].n; c++) {
			float prev[2], cur[2], u[2];
			for (int k = 0; k <= 12; k++) {
				bezier((const float(*)[2])g.s[s].pc[c].p, k / 12.0f, u);
				cur[0] = p.a[0][0] * u[0] + p.a[0][1] * u[1] + p.t[0];
				cur[1] = p.a[1][0] * u[0] + p.a[1][1] * u[1] + p.t[1];
				if (k > 0)
					draw_segment(d, prev, cur, reach);
				prev[0] = cur[0];
				prev[1] = cur[1];
			}
		}
	/* pen: full inside the radius, a one-pixel linear edge outside */
	float ink[SYN_SIDE * SYN_SIDE];
	for (int i = 0; i < SYN_SIDE * SYN_SIDE; i++) {
		float v = p.radius + 0.5f - d[i];
		ink[i] = v < 0 ? 0 : v > 1 ? 1 : v;
	}
	/* 3x3 blur with neighbour weight p.blur (diagonals half of it) */
	for (int i = 0; i < SYN_SIDE; i++)
		for (int j = 0; j < SYN_SIDE; j++) {
			float acc = 0, wsum = 0;
			for (int di = -1; di <= 1; di++)
				for (int dj = -1; dj <= 1; dj++) {
					int y = i + di, x = j + dj;
					if (y < 0 || y >= SYN_SIDE || x < 0 || x >= SYN_SIDE)
						continue;
					float wgt = di == 0 && dj == 0 ? 1 : (di && dj ? 0.5f : 1) * p.blur;
					acc += wgt * ink[y * SYN_SIDE + x];
					wsum += wgt;
				}
			float v = p.bright * acc / wsum;
			v += (float)(qcq_rng_normal(r) * p.noise) * (v > 0.05f ? 1.0f : 0.5f);
			img[i * SYN_SIDE + j] = v < 0 ? 0 : v > 1 ? 1 : v;
		}
}

struct synth_job {
	struct qcq_rng base;
	float *images;
	const int32_t *labels;
};

static void synth_range(void *ctx, size_t b, size_t e, int worker)
{
	struct synth_job *j = ctx;
	for (size_t i = b; i < e; i++) {
		struct qcq_rng r = qcq_rng_split(&j->base, i + 1);
		render_digit(j->images + i * SYN_SIDE * SYN_SIDE, j->labels[i], &r);
	}
}

enum qcq_status data_synth_digits(size_t n, uint64_t seed, struct qcq_pool *pool,
				  struct data_set **out, struct qcq_error *err)
{
	struct data_set *ds;
	enum qcq_status st = data_set_create(n, SYN_SIDE, SYN_SIDE, 10, &ds, err);
	if (st)
		return qcq_error_prefix(err, "synth");
	struct synth_job j;
	qcq_rng_seed_domain(&j.base, seed, "data.synth");
	/* balanced labels in a seeded order */
	struct qcq_rng lr = qcq_rng_split(&j.base, 0);
	uint32_t *perm = qcq_xmalloc(n * sizeof *perm);
	for (size_t i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	qcq_rng_shuffle(&lr, perm, n);
	for (size_t i = 0; i < n; i++)
		ds->labels[i] = (int32_t)(perm[i] % 10);
	free(perm);
	j.images = ds->images;
	j.labels = ds->labels;
	if (pool)
		qcq_pool_for(pool, n, 64, synth_range, &j);
	else
		synth_range(&j, 0, n, 0);
	snprintf(ds->source, sizeof ds->source, "synth %zu digits, seed %llu", n,
		 (unsigned long long)seed);
	*out = ds;
	return QCQ_OK;
}
