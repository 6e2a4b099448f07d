/*
 * core/stats-t.c: Student's t distribution (CDF, two-sided p-value, quantile).
 *
 * The two-sided tail is a regularised incomplete beta function,
 *   P(|T| >= |t|) = I_x(df/2, 1/2),  x = df / (df + t^2),
 * evaluated by its continued fraction (modified Lentz) on whichever side of the
 * symmetry I_x(a,b) = 1 - I_{1-x}(b,a) converges fast. The tests of stats.c only need
 * df of a few seeds, but the functions are public and are exact for any df > 0:
 * x and 1 - x and their logarithms are formed separately (log1p) so that a large df
 * does not cancel them away, and ln B(a, 1/2) for large a comes from its asymptotic
 * series, not from a difference of two huge lgamma values.
 */
#include "qcq/stats.h"

#include <float.h>
#include <math.h>

/* Beyond this df the continued fraction's rounding error (about df * 6e-17) would pass
 * 6e-12, and the t distribution is the normal one seen through the Cornish-Fisher
 * expansion to 1/df^4, whose next term matters only in the far tail. Against mpmath at
 * 50 digits over df 0.5 .. 1e14, |t| up to 38: relative error of the two-sided p at most
 * 6e-12 (df just under 1e5, |t| near 2), and 4e-11 at |t| = 37 (p ~ 1e-290) just past
 * the switch. */
#define T_DF_EXPANSION 1e5
#define CF_MAX_STEPS 1000000
#define CF_TINY 1e-300

static enum qcq_status check_df(double df, struct qcq_error *err)
{
	if (!isfinite(df))
		return qcq_error_set(err, QCQ_ENUMERIC, "t distribution: df = %g is not finite", df);
	if (!(df > 0))
		return qcq_error_set(err, QCQ_EINVAL, "t distribution: df = %g must be > 0", df);
	return QCQ_OK;
}

/* lgamma without the global signgam (lgamma is not thread safe); arguments here are > 0. */
static double lgam(double x)
{
	int sign;
	return lgamma_r(x, &sign);
}

/* ln(1 / B(a, b)) = lgamma(a+b) - lgamma(a) - lgamma(b). For b = 1/2 and a large the
 * difference lgamma(a+1/2) - lgamma(a) would lose ~log10(a ln a) digits, so it comes
 * from its series 0.5 ln a - 1/(8a) + 1/(192a^3) - 1/(640a^5) + 17/(14336a^7). */
static double log_inv_beta(double a, double b)
{
	double big = a > b ? a : b, small = a > b ? b : a;
	if (small == 0.5 && big >= 30) {
		double u = 1 / big, u2 = u * u;
		double s = 0.5 * log(big) - u * (1.0 / 8 - u2 * (1.0 / 192 - u2 * (1.0 / 640 -
			   u2 * 17.0 / 14336)));
		return s - lgam(0.5);
	}
	return lgam(a + b) - lgam(a) - lgam(b);
}

/* The continued fraction of I_x(a,b) (converges fast for x < (a+1)/(a+b+2)); NaN when it
 * does not converge within CF_MAX_STEPS. */
static double beta_cf(double a, double b, double x, double y)
{
	/* 1 - (a+b) x / (a+1), written with y = 1 - x when x is near 1 (large a, small t):
	 * there the two terms cancel to a few digits */
	double c = 1, d = x <= 0.5 ? 1 - (a + b) * x / (a + 1) : (1 - b + (a + b) * y) / (a + 1);
	if (fabs(d) < CF_TINY)
		d = CF_TINY;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= CF_MAX_STEPS; m++) {
		for (int half = 0; half < 2; half++) {
			/* even step d_{2m}, then odd step d_{2m+1} */
			double aa = half == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
					      : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
			d = 1 + aa * d;
			if (fabs(d) < CF_TINY)
				d = CF_TINY;
			c = 1 + aa / c;
			if (fabs(c) < CF_TINY)
				c = CF_TINY;
			d = 1 / d;
			h *= d * c;
			if (half == 1 && fabs(d * c - 1) < 1e-16)
				return h;
		}
	}
	return NAN;
}

/* I_x(a,b) with y = 1 - x, lx = ln x, ly = ln y all given accurately by the caller. */
static double beta_reg(double a, double b, double x, double y, double lx, double ly)
{
	if (lx == -INFINITY)
		return 0;
	if (ly == -INFINITY)
		return 1;
	double lfront = log_inv_beta(a, b) + a * lx + b * ly;
	if (x < (a + 1) / (a + b + 2))
		return exp(lfront) * beta_cf(a, b, x, y) / a;
	return 1 - exp(lfront) * beta_cf(b, a, y, x) / b;
}

/* Cornish-Fisher: the t quantile is x + g1(x)/df + ... + g4(x)/df^4 of the normal
 * quantile x (Abramowitz & Stegun 26.7.5). For large df, solve that for x at t (Newton
 * from x = t) and take the normal tail of x. at >= 0. */
static double cornish_fisher(double x, double df, double *dt)
{
	double x2 = x * x, u = 1 / df;
	double g1 = (x2 + 1) * x / 4, d1 = (3 * x2 + 1) / 4;
	double g2 = ((5 * x2 + 16) * x2 + 3) * x / 96, d2 = ((25 * x2 + 48) * x2 + 3) / 96;
	double g3 = (((3 * x2 + 19) * x2 + 17) * x2 - 15) * x / 384;
	double d3 = (((21 * x2 + 95) * x2 + 51) * x2 - 15) / 384;
	double g4 = ((((79 * x2 + 776) * x2 + 1482) * x2 - 1920) * x2 - 945) * x / 92160;
	double d4 = ((((711 * x2 + 5432) * x2 + 7410) * x2 - 5760) * x2 - 945) / 92160;
	*dt = 1 + u * (d1 + u * (d2 + u * (d3 + u * d4)));
	return x + u * (g1 + u * (g2 + u * (g3 + u * g4)));
}

static double t_two_sided_expansion(double at, double df)
{
	/* beyond |t| = 40 (df > 1e5) the tail is below the smallest double: its exponent
	 * -(df+1)/2 ln(1 + t^2/df) is under -793 */
	if (at > 40)
		return 0;
	double x = at;
	for (int i = 0; i < 50; i++) {
		double dt, step = (cornish_fisher(x, df, &dt) - at) / dt;
		x -= step;
		if (fabs(step) <= 1e-16 * x)
			break;
	}
	return erfc(x / M_SQRT2);
}

/* P(|T| >= |t|) for valid t, df; NaN if the fraction failed to converge. */
static double t_two_sided(double t, double df)
{
	double at = fabs(t), t2 = t * t;
	if (at == 0)
		return 1;
	if (df > T_DF_EXPANSION)
		return t_two_sided_expansion(at, df);
	/* x = 1 / (1 + r), y = r / (1 + r) with r = t^2 / df */
	double r = t2 / df, x, y, lx, ly;
	if (isfinite(r)) {
		x = 1 / (1 + r);
		y = r / (1 + r);
		lx = -log1p(r);
		ly = log(r) - log1p(r);
	} else { /* t^2 / df overflows: x is tiny, y is 1 */
		lx = -(2 * log(at) - log(df));
		x = exp(lx);
		y = 1;
		ly = -x;
	}
	double p = beta_reg(0.5 * df, 0.5, x, y, lx, ly);
	return p > 1 ? 1 : p < 0 ? 0 : p;
}

static enum qcq_status t_tail(double t, double df, double *p2, struct qcq_error *err)
{
	double p = t_two_sided(t, df);
	if (isnan(p))
		return qcq_error_set(err, QCQ_ENUMERIC,
				     "t distribution: no convergence at t = %g, df = %g", t, df);
	*p2 = p;
	return QCQ_OK;
}

enum qcq_status qcq_stats_t_pvalue(double t, double df, double *p, struct qcq_error *err)
{
	if (!isfinite(t))
		return qcq_error_set(err, QCQ_ENUMERIC, "t distribution: t = %g is not finite", t);
	enum qcq_status st = check_df(df, err);
	if (st)
		return st;
	return t_tail(t, df, p, err);
}

enum qcq_status qcq_stats_t_cdf(double t, double df, double *cdf, struct qcq_error *err)
{
	double p2;
	enum qcq_status st = qcq_stats_t_pvalue(t, df, &p2, err);
	if (st)
		return st;
	*cdf = t < 0 ? 0.5 * p2 : 1 - 0.5 * p2;
	return QCQ_OK;
}

/* The q >= 0 with P(T >= q) = tail, tail in (0, 0.5]: bracket by doubling, then bisect
 * (geometrically while the bracket spans more than a factor 4, so that a quantile of
 * 1e100 for a tiny df costs a few hundred steps, not thousands). */
static enum qcq_status t_upper_quantile(double tail, double df, double *q,
				       struct qcq_error *err)
{
	double lo = 0, hi = 1, p2;
	enum qcq_status st;
	for (;;) {
		if ((st = t_tail(hi, df, &p2, err)))
			return st;
		if (0.5 * p2 <= tail)
			break;
		if (hi > DBL_MAX / 4)
			return qcq_error_set(err, QCQ_ERANGE,
					     "t quantile: upper tail %g at df = %g is beyond %g",
					     tail, df, hi);
		lo = hi;
		hi *= 2;
	}
	for (int i = 0; i < 4000 && hi - lo > 1e-15 * hi; i++) {
		double mid = lo > 0 && hi > 4 * lo ? sqrt(lo) * sqrt(hi) : 0.5 * (lo + hi);
		if (mid <= lo || mid >= hi)
			break;
		if ((st = t_tail(mid, df, &p2, err)))
			return st;
		if (0.5 * p2 > tail)
			lo = mid;
		else
			hi = mid;
	}
	*q = 0.5 * (lo + hi);
	return QCQ_OK;
}

enum qcq_status qcq_stats_t_quantile(double prob, double df, double *t, struct qcq_error *err)
{
	if (isnan(prob))
		return qcq_error_set(err, QCQ_ENUMERIC, "t quantile: prob is nan");
	if (!(prob > 0 && prob < 1))
		return qcq_error_set(err, QCQ_EINVAL, "t quantile: prob = %g must be in (0, 1)",
				     prob);
	enum qcq_status st = check_df(df, err);
	if (st)
		return st;
	if (prob == 0.5) {
		*t = 0;
		return QCQ_OK;
	}
	double q = 0;
	st = t_upper_quantile(prob < 0.5 ? prob : 1 - prob, df, &q, err);
	if (st)
		return st;
	*t = prob < 0.5 ? -q : q;
	return QCQ_OK;
}
