/*
 * stats: comparing two models over seeds (part of core).
 *
 * Student's t distribution (CDF, two-sided p-value, quantile), the mean and sample
 * standard deviation of a sample, Welch's and the paired t-test with a confidence
 * interval of the mean difference, Cohen's d and Holm's step-down correction.
 * Everything is double precision and pure: no state, no printing, safe from any thread.
 *
 * Conventions, the same in every function:
 *   - tests are two-sided: p = P(|T| >= |t|) under the null of no difference;
 *   - a standard deviation is the sample one, with ddof 1 (divide by n - 1);
 *   - the difference is always x - y (first sample minus second), and so are t, the
 *     interval and Cohen's d: a negative value means x is below y;
 *   - level is the confidence level of the interval, in (0, 1) (0.95 for a 95 % CI);
 *   - NaN or Inf among the inputs is refused with QCQ_ENUMERIC, a value out of its
 *     range (n < 2, level or alpha outside (0, 1), a negative std, a p-value outside
 *     [0, 1], df <= 0) with QCQ_EINVAL. A failed call leaves its outputs untouched.
 *
 * Zero variance. When both samples of Welch's test have zero variance (or every paired
 * difference is the same), the standard error is 0 and t cannot be formed:
 *   - if the mean difference is exactly 0 too (the two models gave identical numbers),
 *     the call succeeds with diff = se = t = 0, p = 1 and the interval [0, 0]; df is
 *     then n - 1 (paired) or nx + ny - 2 (Welch, where the Welch-Satterthwaite formula
 *     is 0/0; this is its value when the two variances are equal and nx = ny);
 *   - otherwise it fails with QCQ_EINVAL ("... zero variance ... t is infinite"): a
 *     difference with no spread is not something a t-test can weigh.
 * Cohen's d follows the same rule (d = 0 when everything is equal, an error otherwise).
 *
 * Accuracy: the t distribution comes from the regularised incomplete beta function
 * (modified Lentz continued fraction) for df <= 1e5 and from the Cornish-Fisher expansion
 * of the normal beyond. Against mpmath (df 0.5 .. 1e14, |t| <= 38) the two-sided p-value
 * is within 5e-13 relative for df <= 1e4, 1e-11 for any df, 4e-11 in the far tail
 * (p ~ 1e-290). The quantile is found by bisection on that CDF to about 1e-15 relative.
 */
#ifndef QCQ_STATS_H
#define QCQ_STATS_H

#include "qcq/core.h"

/* ---------------------------------------------------------------- t distribution */

/* *cdf = P(T <= t) for Student's t with df degrees of freedom (any real df > 0).
 * Rejects t not finite (QCQ_ENUMERIC), df not finite or <= 0. */
enum qcq_status qcq_stats_t_cdf(double t, double df, double *cdf, struct qcq_error *err);

/* *p = P(|T| >= |t|), the two-sided p-value of a t statistic; computed in the tail, so a
 * small p keeps its relative accuracy (1 - cdf would not). Same rejections as t_cdf. */
enum qcq_status qcq_stats_t_pvalue(double t, double df, double *p, struct qcq_error *err);

/* *t such that P(T <= *t) = prob (the inverse CDF; prob = 0.975 gives the multiplier of
 * a 95 % two-sided interval). Rejects prob outside (0, 1), df not finite or <= 0, and
 * (QCQ_ERANGE) a quantile beyond the range of a double (tiny df with an extreme prob). */
enum qcq_status qcq_stats_t_quantile(double prob, double df, double *t, struct qcq_error *err);

/* ---------------------------------------------------------------- samples */

/* A sample's summary: mean, sample std (ddof 1) and size. */
struct qcq_stats_sample {
	double mean;
	double sd;
	size_t n;
};

/* Mean and sample std (ddof 1) of x[0..n). The std is computed in two passes (about the
 * mean), and is exactly 0 when all values are equal. Rejects n < 2, x == NULL, a value
 * that is NaN or Inf (its index is in the message) and sums that overflow. */
enum qcq_status qcq_stats_describe(const double *x, size_t n, struct qcq_stats_sample *out,
				   struct qcq_error *err);

/* ---------------------------------------------------------------- tests */

/* The result of a test of the mean difference x - y. */
struct qcq_stats_test {
	double diff;         /* mean(x) - mean(y) (paired: the mean of x[i] - y[i]) */
	double se;           /* standard error of diff */
	double t;            /* diff / se */
	double df;           /* degrees of freedom (Welch's are fractional) */
	double p;            /* two-sided p-value */
	double level;        /* confidence level of the interval, as given */
	double ci_lo, ci_hi; /* diff -+ t_{(1+level)/2, df} * se */
};

/*
 * Welch's unequal-variance t-test of x[0..nx) against y[0..ny):
 * se = sqrt(sx^2/nx + sy^2/ny), t = (mean x - mean y) / se, df by Welch-Satterthwaite
 * se^4 / ((sx^2/nx)^2/(nx-1) + (sy^2/ny)^2/(ny-1)), p two-sided, interval at level.
 * Rejects nx < 2 or ny < 2, non-finite values, level outside (0, 1), and zero variance
 * on both sides with different means (see the top of this file).
 */
enum qcq_status qcq_stats_welch(const double *x, size_t nx, const double *y, size_t ny,
				double level, struct qcq_stats_test *out, struct qcq_error *err);

/*
 * Welch's test from summary statistics (mean, sample std, n of each side), e.g. ours
 * against a paper's "mean +- std over n runs" (which assumes the paper's +- is a sample
 * std). The same outputs and rules as qcq_stats_welch; also rejects a negative or
 * non-finite std.
 */
enum qcq_status qcq_stats_welch_summary(const struct qcq_stats_sample *x,
					const struct qcq_stats_sample *y, double level,
					struct qcq_stats_test *out, struct qcq_error *err);

/*
 * Paired t-test of x[i] against y[i], i < n (seed i of one model against seed i of the
 * other): d[i] = x[i] - y[i], diff = mean d, se = sd(d) / sqrt(n), t = diff / se,
 * df = n - 1, p two-sided, interval at level. Rejects n < 2, non-finite values, level
 * outside (0, 1), and differences that are all equal but not 0 (see the top of this file).
 */
enum qcq_status qcq_stats_paired(const double *x, const double *y, size_t n, double level,
				 struct qcq_stats_test *out, struct qcq_error *err);

/*
 * Cohen's d = (mean x - mean y) / s_pooled with
 * s_pooled = sqrt(((nx-1) sx^2 + (ny-1) sy^2) / (nx + ny - 2)), both stds with ddof 1.
 * Rejects nx < 2 or ny < 2, non-finite values, and s_pooled = 0 with different means;
 * s_pooled = 0 with equal means gives d = 0.
 */
enum qcq_status qcq_stats_cohen_d(const double *x, size_t nx, const double *y, size_t ny,
				  double *d, struct qcq_error *err);

/*
 * Holm's step-down correction of n p-values for a family-wise error rate alpha.
 * With p sorted ascending, p_(1) <= ... <= p_(n), the adjusted value is
 * adj_(i) = max over j <= i of min(1, (n - j + 1) p_(j)): monotone in p, capped at 1,
 * written back in the input's order (adj may be p itself). reject[i] is adj[i] <= alpha,
 * which is Holm's procedure: reject while p_(i) <= alpha / (n - i + 1), stop at the first
 * that is not. Either output may be NULL. Ties keep the order of the input.
 * Rejects n == 0, p == NULL, a p-value that is NaN or outside [0, 1], alpha outside (0, 1).
 */
enum qcq_status qcq_stats_holm(const double *p, size_t n, double alpha, double *adj,
			       bool *reject, struct qcq_error *err);

#endif
