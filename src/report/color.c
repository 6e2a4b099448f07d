/*
 * report/color.c: colour maps and the series palette, as small anchor tables
 * interpolated linearly in sRGB.
 *
 * Viridis is sampled at nine points of matplotlib's (CC0) definition; the diverging
 * map runs blue - near white - red with white exactly at 0.5, so that a feature value
 * of 0 on [-1, 1] reads as "nothing".
 */
#include "qcq/report.h"

#include <math.h>

struct anchor {
	double r, g, b;
};

static const struct anchor viridis[] = {
	{0.267004, 0.004874, 0.329415}, {0.282623, 0.140926, 0.457517},
	{0.229739, 0.322361, 0.545706}, {0.172719, 0.448791, 0.557885},
	{0.127568, 0.566949, 0.550556}, {0.157851, 0.683765, 0.501686},
	{0.369214, 0.788888, 0.382914}, {0.678489, 0.863742, 0.189503},
	{0.993248, 0.906157, 0.143936},
};

static const struct anchor diverging[] = {
	{0.129, 0.400, 0.675}, {0.404, 0.663, 0.812}, {0.820, 0.898, 0.941},
	{0.969, 0.969, 0.969}, {0.992, 0.859, 0.780}, {0.937, 0.541, 0.384},
	{0.698, 0.094, 0.169},
};

static uint32_t pack(double r, double g, double b)
{
	unsigned R = (unsigned)lround(r * 255), G = (unsigned)lround(g * 255),
		 B = (unsigned)lround(b * 255);
	return (R << 16) | (G << 8) | B;
}

static uint32_t interp(const struct anchor *a, int n, double t)
{
	double u = t * (n - 1);
	int i = (int)floor(u);
	if (i >= n - 1)
		i = n - 2;
	double f = u - i;
	return pack(a[i].r + f * (a[i + 1].r - a[i].r), a[i].g + f * (a[i + 1].g - a[i].g),
		    a[i].b + f * (a[i + 1].b - a[i].b));
}

uint32_t rep_cmap_color(enum rep_cmap map, double t)
{
	if (isnan(t))
		return 0xff00ffu;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	switch (map) {
	case REP_CMAP_VIRIDIS:
		return interp(viridis, (int)(sizeof viridis / sizeof *viridis), t);
	case REP_CMAP_DIVERGING:
		return interp(diverging, (int)(sizeof diverging / sizeof *diverging), t);
	case REP_CMAP_GRAY:
		break;
	}
	return pack(t, t, t);
}

/* Okabe-Ito, ordered so that the first few are the most distinct on white
 * (its yellow is replaced by a dark gray: yellow lines vanish on white). */
static const uint32_t palette[] = {
	0x0072b2, 0xd55e00, 0x009e73, 0xcc79a7, 0xe69f00, 0x56b4e9, 0x000000, 0x777777,
};

uint32_t rep_palette(int n)
{
	int k = (int)(sizeof palette / sizeof *palette);
	return palette[((n % k) + k) % k];
}
