/*
 * core/stats.c: comparing two models over seeds. Sample summaries, Welch's and the
 * paired t-test with a confidence interval, Cohen's d, Holm's correction. The t
 * distribution itself is in stats-t.c; conventions are in include/qcq/stats.h.
 */
#include "qcq/stats.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

static enum qcq_status check_level(const char *who, double level, struct qcq_error *err)
{
	if (isnan(level))
		return qcq_error_set(err, QCQ_ENUMERIC, "%s: level is nan", who);
	if (!(level > 0 && level < 1))
		return qcq_error_set(err, QCQ_EINVAL, "%s: level = %g must be in (0, 1)", who,
				     level);
	return QCQ_OK;
}

/* Validates a sample named name (n >= 2, finite) and summarises it. All-equal values get
 * exactly that mean and sd 0: sum / n would round, and the two-pass sd would be a tiny
 * nonzero number that turns a no-spread sample into a huge t. */
static enum qcq_status describe(const char *who, const char *name, const double *x, size_t n,
				struct qcq_stats_sample *out, struct qcq_error *err)
{
	if (n < 2)
		return qcq_error_set(err, QCQ_EINVAL, "%s: %s has %zu value%s, need at least 2",
				     who, name, n, n == 1 ? "" : "s");
	if (!x)
		return qcq_error_set(err, QCQ_EINVAL, "%s: %s is null", who, name);
	bool equal = true;
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return qcq_error_set(err, QCQ_ENUMERIC, "%s: %s[%zu] = %g is not finite",
					     who, name, i, x[i]);
		equal = equal && x[i] == x[0];
		sum += x[i];
	}
	double mean = equal ? x[0] : sum / (double)n, ss = 0;
	if (!equal)
		for (size_t i = 0; i < n; i++)
			ss += (x[i] - mean) * (x[i] - mean);
	double sd = sqrt(ss / (double)(n - 1));
	if (!isfinite(mean) || !isfinite(sd))
		return qcq_error_set(err, QCQ_ENUMERIC, "%s: %s overflows (values too large)",
				     who, name);
	*out = (struct qcq_stats_sample){mean, sd, n};
	return QCQ_OK;
}

enum qcq_status qcq_stats_describe(const double *x, size_t n, struct qcq_stats_sample *out,
				   struct qcq_error *err)
{
	assert(out);
	return describe("describe", "x", x, n, out, err);
}

/* Fills t, p and the interval from diff, se and df. se == 0 is the zero-variance case of
 * the header: p = 1 when diff is 0 too, an error otherwise. */
static enum qcq_status finish_test(const char *who, double diff, double se, double df,
				   double level, struct qcq_stats_test *out, struct qcq_error *err)
{
	struct qcq_stats_test r = {.diff = diff, .se = se, .df = df, .level = level};
	if (se == 0) {
		if (diff != 0)
			return qcq_error_set(err, QCQ_EINVAL,
					     "%s: zero variance and a mean difference of %g: t "
					     "is infinite", who, diff);
		r.p = 1;
		*out = r;
		return QCQ_OK;
	}
	r.t = diff / se;
	if (!isfinite(r.t) || !isfinite(df))
		return qcq_error_set(err, QCQ_ENUMERIC,
				     "%s: t = %g, df = %g from difference %g and se %g", who,
				     r.t, df, diff, se);
	double q = 0;
	enum qcq_status st = qcq_stats_t_pvalue(r.t, df, &r.p, err);
	if (!st)
		st = qcq_stats_t_quantile(0.5 * (1 + level), df, &q, err);
	if (st)
		return qcq_error_prefix(err, "%s", who);
	r.ci_lo = diff - q * se;
	r.ci_hi = diff + q * se;
	*out = r;
	return QCQ_OK;
}

static enum qcq_status welch(const char *who, const struct qcq_stats_sample *x,
			     const struct qcq_stats_sample *y, double level,
			     struct qcq_stats_test *out, struct qcq_error *err)
{
	double vx = x->sd * x->sd / (double)x->n, vy = y->sd * y->sd / (double)y->n;
	double se2 = vx + vy, diff = x->mean - y->mean;
	double df = se2 == 0 ? (double)(x->n + y->n - 2)
			     : se2 * se2 / (vx * vx / (double)(x->n - 1) +
					    vy * vy / (double)(y->n - 1));
	return finish_test(who, diff, sqrt(se2), df, level, out, err);
}

enum qcq_status qcq_stats_welch(const double *x, size_t nx, const double *y, size_t ny,
				double level, struct qcq_stats_test *out, struct qcq_error *err)
{
	assert(out);
	const char *who = "welch t-test";
	struct qcq_stats_sample sx, sy;
	enum qcq_status st;
	if ((st = describe(who, "x", x, nx, &sx, err)) || (st = describe(who, "y", y, ny, &sy, err)) ||
	    (st = check_level(who, level, err)))
		return st;
	return welch(who, &sx, &sy, level, out, err);
}

static enum qcq_status check_summary(const char *who, const char *name,
				     const struct qcq_stats_sample *s, struct qcq_error *err)
{
	if (!isfinite(s->mean) || !isfinite(s->sd))
		return qcq_error_set(err, QCQ_ENUMERIC, "%s: %s has mean %g, std %g", who, name,
				     s->mean, s->sd);
	if (s->sd < 0)
		return qcq_error_set(err, QCQ_EINVAL, "%s: %s has a negative std %g", who, name,
				     s->sd);
	if (s->n < 2)
		return qcq_error_set(err, QCQ_EINVAL, "%s: %s has n = %zu, need at least 2", who,
				     name, s->n);
	return QCQ_OK;
}

enum qcq_status qcq_stats_welch_summary(const struct qcq_stats_sample *x,
					const struct qcq_stats_sample *y, double level,
					struct qcq_stats_test *out, struct qcq_error *err)
{
	assert(x && y && out);
	const char *who = "welch t-test";
	enum qcq_status st;
	if ((st = check_summary(who, "x", x, err)) || (st = check_summary(who, "y", y, err)) ||
	    (st = check_level(who, level, err)))
		return st;
	/* sd^2 / n of a std near DBL_MAX overflows: say so rather than return a NaN */
	if (!isfinite(x->sd * x->sd + y->sd * y->sd) || !isfinite(x->mean - y->mean))
		return qcq_error_set(err, QCQ_ENUMERIC, "%s: summaries too large (%g +- %g, %g +- %g)",
				     who, x->mean, x->sd, y->mean, y->sd);
	return welch(who, x, y, level, out, err);
}

enum qcq_status qcq_stats_paired(const double *x, const double *y, size_t n, double level,
				 struct qcq_stats_test *out, struct qcq_error *err)
{
	assert(out);
	const char *who = "paired t-test";
	if (n < 2)
		return qcq_error_set(err, QCQ_EINVAL, "%s: %zu pair%s, need at least 2", who, n,
				     n == 1 ? "" : "s");
	if (!x || !y)
		return qcq_error_set(err, QCQ_EINVAL, "%s: %s is null", who, x ? "y" : "x");
	enum qcq_status st = check_level(who, level, err);
	if (st)
		return st;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]) || !isfinite(y[i]))
			return qcq_error_set(err, QCQ_ENUMERIC,
					     "%s: pair %zu (x = %g, y = %g) is not finite", who,
					     i, x[i], y[i]);
	double *d = qcq_alloc_checked(n, sizeof *d, "paired differences", err);
	if (!d)
		return qcq_error_prefix(err, "%s", who);
	for (size_t i = 0; i < n; i++)
		d[i] = x[i] - y[i];
	struct qcq_stats_sample sd;
	st = describe(who, "x - y", d, n, &sd, err);
	qcq_aligned_free(d);
	if (st)
		return st;
	return finish_test(who, sd.mean, sd.sd / sqrt((double)n), (double)(n - 1), level, out,
			   err);
}

enum qcq_status qcq_stats_cohen_d(const double *x, size_t nx, const double *y, size_t ny,
				  double *d, struct qcq_error *err)
{
	assert(d);
	const char *who = "cohen's d";
	struct qcq_stats_sample sx, sy;
	enum qcq_status st;
	if ((st = describe(who, "x", x, nx, &sx, err)) || (st = describe(who, "y", y, ny, &sy, err)))
		return st;
	double pooled = sqrt(((double)(nx - 1) * sx.sd * sx.sd + (double)(ny - 1) * sy.sd * sy.sd) /
			     (double)(nx + ny - 2));
	double diff = sx.mean - sy.mean;
	if (pooled == 0) {
		if (diff != 0)
			return qcq_error_set(err, QCQ_EINVAL,
					     "%s: zero pooled std and a mean difference of %g: d "
					     "is infinite", who, diff);
		*d = 0;
		return QCQ_OK;
	}
	if (!isfinite(diff / pooled))
		return qcq_error_set(err, QCQ_ENUMERIC, "%s: difference %g over pooled std %g",
				     who, diff, pooled);
	*d = diff / pooled;
	return QCQ_OK;
}

struct holm_item {
	double p;
	size_t i;
};

static int holm_cmp(const void *a, const void *b)
{
	const struct holm_item *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

enum qcq_status qcq_stats_holm(const double *p, size_t n, double alpha, double *adj,
			       bool *reject, struct qcq_error *err)
{
	const char *who = "holm";
	if (n == 0 || !p)
		return qcq_error_set(err, QCQ_EINVAL, "%s: no p-values", who);
	if (isnan(alpha))
		return qcq_error_set(err, QCQ_ENUMERIC, "%s: alpha is nan", who);
	if (!(alpha > 0 && alpha < 1))
		return qcq_error_set(err, QCQ_EINVAL, "%s: alpha = %g must be in (0, 1)", who,
				     alpha);
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i]))
			return qcq_error_set(err, QCQ_ENUMERIC, "%s: p[%zu] is nan", who, i);
		if (!(p[i] >= 0 && p[i] <= 1))
			return qcq_error_set(err, QCQ_EINVAL, "%s: p[%zu] = %g is not in [0, 1]",
					     who, i, p[i]);
	}
	struct holm_item *s = qcq_alloc_checked(n, sizeof *s, "holm p-values", err);
	if (!s)
		return qcq_error_prefix(err, "%s", who);
	for (size_t i = 0; i < n; i++)
		s[i] = (struct holm_item){p[i], i};
	qsort(s, n, sizeof *s, holm_cmp);
	/* s[k].p becomes the adjusted value of rank k: a running max keeps it monotone */
	double run = 0;
	for (size_t k = 0; k < n; k++) {
		double a = (double)(n - k) * s[k].p;
		run = fmax(run, a < 1 ? a : 1);
		s[k].p = run;
	}
	for (size_t k = 0; k < n; k++) {
		if (adj)
			adj[s[k].i] = s[k].p;
		if (reject)
			reject[s[k].i] = s[k].p <= alpha;
	}
	qcq_aligned_free(s);
	return QCQ_OK;
}
