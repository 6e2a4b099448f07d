/*
 * tests/core/test_stats.c: the statistics of comparing two models over seeds, against
 * values computed independently of qcqlab: every number of
 * ../shared/reference/STATS-GOLDEN.md (SciPy 1.10), textbook t quantiles, closed forms
 * of the t distribution (df = 1, 2, 4) and a few values from mpmath at 40 digits.
 */
#include "qcq/stats.h"
#include "check.h"

#include <float.h>
#include <stdlib.h>

/* a matches b to rel relative (b != 0) */
#define CHECK_REL(a, b, rel) CHECK_NEAR(a, b, (rel) * fabs((double)(b)))

/* ---------------------------------------------------------------- golden cases */

struct golden_case {
	const char *name;
	double x[10], y[10];
	size_t n;
	double diff;
	double w_t, w_df, w_p, w_lo, w_hi, w_p_tol; /* Welch; w_p_tol relative */
	double p_t, p_df, p_p, p_lo, p_hi, p_p_tol; /* paired; p_p_tol absolute */
	double d;
};

static const struct golden_case golden[] = {
	{"A", {0.9874, 0.9916, 0.9832, 0.9874, 0.9958}, {0.9916, 0.9958, 0.9874, 0.9916, 0.9916}, 5,
	 -0.0025200000,
	 -1.0000000000, 6.6804123711, 0.3521456503, -0.0085371316, 0.0034971316, 1e-8,
	 /* the golden prints p = 0.208: compare to that precision here; its exact value
	  * (df = 4 has a closed form, and mpmath agrees) is checked in test_case_a_paired_p */
	 -1.5000000000, 4, 0.208, -0.0071844278, 0.0021444278, 5e-4,
	 -0.6324555320},
	{"B", {0.8529, 0.8603, 0.8456, 0.8824, 0.8382, 0.8676, 0.875, 0.8529, 0.8603, 0.8456},
	 {0.8897, 0.8971, 0.8824, 0.9044, 0.875, 0.8971, 0.8897, 0.8824, 0.8897, 0.8971}, 10,
	 -0.0323800000,
	 -6.2240081738, 15.2186293278, 1.52580612e-05, -0.0434548700, -0.0213051300, 1e-8,
	 -10.2996203582, 9, 2.797170923e-06, -0.0394917814, -0.0252682186, 1e-15,
	 -2.7834610738},
	{"C", {0.5, 0.55, 0.98, 0.97, 0.99}, {0.96, 0.97, 0.95, 0.96, 0.97}, 5,
	 -0.1640000000,
	 -1.4663914230, 4.0089642916, 0.216274098, -0.4742416779, 0.1462416779, 1e-8,
	 -1.4526362947, 4, 0.2199762024, -0.4774556110, 0.1494556110, 1e-10,
	 -0.9274273676},
};

/* The golden prints 10 decimals: a value of size v is known to 5e-11 absolute, so the
 * comparison is 1e-8 relative or 1e-10 absolute, whichever is looser. */
static void check_golden(double got, double want)
{
	double tol = fmax(1e-8 * fabs(want), 1e-10);
	CHECK_NEAR(got, want, tol);
}

static void test_golden_cases(void)
{
	for (size_t c = 0; c < sizeof golden / sizeof golden[0]; c++) {
		const struct golden_case *g = &golden[c];
		struct qcq_error e;
		struct qcq_stats_test w, pr;
		double d;
		fprintf(stderr, "  case %s\n", g->name);
		CHECK(qcq_stats_welch(g->x, g->n, g->y, g->n, 0.95, &w, &e) == QCQ_OK);
		check_golden(w.diff, g->diff);
		check_golden(w.t, g->w_t);
		check_golden(w.df, g->w_df);
		CHECK_REL(w.p, g->w_p, g->w_p_tol);
		check_golden(w.ci_lo, g->w_lo);
		check_golden(w.ci_hi, g->w_hi);
		CHECK(w.level == 0.95);
		CHECK_NEAR(w.t * w.se, w.diff, 1e-15);

		CHECK(qcq_stats_paired(g->x, g->y, g->n, 0.95, &pr, &e) == QCQ_OK);
		check_golden(pr.diff, g->diff);
		check_golden(pr.t, g->p_t);
		CHECK(pr.df == g->p_df);
		CHECK_NEAR(pr.p, g->p_p, g->p_p_tol);
		check_golden(pr.ci_lo, g->p_lo);
		check_golden(pr.ci_hi, g->p_hi);

		CHECK(qcq_stats_cohen_d(g->x, g->n, g->y, g->n, &d, &e) == QCQ_OK);
		check_golden(d, g->d);
	}
}

static void test_case_a_paired_p(void)
{
	/* t = -1.5 at df = 4: P(|T| >= 1.5) = 1 - t (6 + t^2) / (4 + t^2)^{3/2} = 0.208 */
	double p, t = 1.5;
	CHECK(qcq_stats_t_pvalue(-1.5, 4, &p, NULL) == QCQ_OK);
	CHECK_REL(p, 1 - t * (6 + t * t) / pow(4 + t * t, 1.5), 1e-12);
	CHECK_REL(p, 0.208, 1e-12);
}

static void test_holm_golden(void)
{
	const double p[5] = {0.01, 0.04, 0.03, 0.005, 0.2};
	const double want[5] = {0.04, 0.09, 0.09, 0.025, 0.2};
	const bool rej[5] = {true, false, false, true, false};
	double adj[5];
	bool reject[5];
	CHECK(qcq_stats_holm(p, 5, 0.05, adj, reject, NULL) == QCQ_OK);
	for (int i = 0; i < 5; i++) {
		CHECK_NEAR(adj[i], want[i], 1e-15);
		CHECK(reject[i] == rej[i]);
	}
	/* in place, and with no reject array */
	double q[5] = {0.01, 0.04, 0.03, 0.005, 0.2};
	CHECK(qcq_stats_holm(q, 5, 0.05, q, NULL, NULL) == QCQ_OK);
	for (int i = 0; i < 5; i++)
		CHECK_NEAR(q[i], want[i], 1e-15);
	/* capped at 1, monotone through ties, and the step-down stops at the first failure:
	 * sorted 0.001 (x4 = .004), 0.02 (x3 = .06 > .05: stop), 0.02 (x2 = .04 -> max .06),
	 * 0.3 (x1 = .3) */
	const double p2[4] = {0.3, 0.02, 0.001, 0.02};
	CHECK(qcq_stats_holm(p2, 4, 0.05, adj, reject, NULL) == QCQ_OK);
	CHECK_NEAR(adj[0], 0.3, 1e-15);
	CHECK_NEAR(adj[1], 0.06, 1e-15);
	CHECK_NEAR(adj[2], 0.004, 1e-15);
	CHECK_NEAR(adj[3], 0.06, 1e-15);
	CHECK(!reject[0] && !reject[1] && reject[2] && !reject[3]);
	const double p3[3] = {0.5, 0.9, 0.7};
	CHECK(qcq_stats_holm(p3, 3, 0.05, adj, NULL, NULL) == QCQ_OK);
	CHECK(adj[0] == 1 && adj[1] == 1 && adj[2] == 1);
	double one = 0.03;
	CHECK(qcq_stats_holm(&one, 1, 0.05, adj, reject, NULL) == QCQ_OK);
	CHECK(adj[0] == 0.03 && reject[0]);
}

static void test_welch_summary_golden(void)
{
	const struct {
		struct qcq_stats_sample x, y;
		double t, p;
	} c[3] = {
		{{98.74, 0.46, 10}, {98.85, 0.25, 10}, -0.6644130705, 0.5173047991},
		{{98.78, 0.3, 10}, {99.41, 0.14, 10}, -6.0177656692, 4.69966476e-05},
		{{85.29, 6.04, 10}, {95.18, 0.65, 10}, -5.1482423447, 0.0005622420625},
	};
	for (int i = 0; i < 3; i++) {
		struct qcq_stats_test r;
		CHECK(qcq_stats_welch_summary(&c[i].x, &c[i].y, 0.95, &r, NULL) == QCQ_OK);
		check_golden(r.t, c[i].t);
		CHECK_REL(r.p, c[i].p, 1e-8);
		CHECK_NEAR(r.diff, c[i].x.mean - c[i].y.mean, 1e-12);
		CHECK(r.ci_lo < r.diff && r.diff < r.ci_hi);
	}
	/* from raw samples and from their summaries: the same test */
	const struct golden_case *g = &golden[1];
	struct qcq_stats_sample sx, sy;
	struct qcq_stats_test a, b;
	CHECK(qcq_stats_describe(g->x, g->n, &sx, NULL) == QCQ_OK);
	CHECK(qcq_stats_describe(g->y, g->n, &sy, NULL) == QCQ_OK);
	CHECK(qcq_stats_welch(g->x, g->n, g->y, g->n, 0.9, &a, NULL) == QCQ_OK);
	CHECK(qcq_stats_welch_summary(&sx, &sy, 0.9, &b, NULL) == QCQ_OK);
	CHECK(a.t == b.t && a.df == b.df && a.p == b.p && a.ci_lo == b.ci_lo && a.ci_hi == b.ci_hi);
}

/* ---------------------------------------------------------------- t distribution */

static void test_t_quantile_textbook(void)
{
	double q;
	CHECK(qcq_stats_t_quantile(0.975, 4, &q, NULL) == QCQ_OK);
	CHECK_REL(q, 2.7764451052, 1e-10);
	CHECK(qcq_stats_t_quantile(0.975, 9, &q, NULL) == QCQ_OK);
	CHECK_REL(q, 2.2621571628, 1e-10);
	CHECK(qcq_stats_t_quantile(0.975, 1, &q, NULL) == QCQ_OK);
	CHECK_REL(q, 12.7062047362, 1e-10);
	CHECK(qcq_stats_t_quantile(0.025, 1, &q, NULL) == QCQ_OK);
	CHECK_REL(q, -12.7062047362, 1e-10);
	CHECK(qcq_stats_t_quantile(0.995, 2.5, &q, NULL) == QCQ_OK); /* mpmath */
	CHECK_REL(q, 7.163728138948783, 1e-10);
	CHECK(qcq_stats_t_quantile(0.9, 30, &q, NULL) == QCQ_OK); /* mpmath */
	CHECK_REL(q, 1.310415025391396, 1e-10);
	CHECK(qcq_stats_t_quantile(0.975, 1e6, &q, NULL) == QCQ_OK); /* mpmath */
	CHECK_REL(q, 1.959966356814107, 1e-10);
	CHECK(qcq_stats_t_quantile(0.975, 1e12, &q, NULL) == QCQ_OK); /* -> the normal's */
	CHECK_REL(q, 1.959963984540054, 1e-10);
	CHECK(qcq_stats_t_quantile(0.5, 3, &q, NULL) == QCQ_OK);
	CHECK(q == 0);
	/* df = 1 is Cauchy: quantile tan(pi (prob - 1/2)), far into the tail */
	CHECK(qcq_stats_t_quantile(1 - 1e-9, 1, &q, NULL) == QCQ_OK);
	CHECK_REL(q, tan(M_PI * (0.5 - 1e-9)), 1e-6); /* 1 - 1e-9 itself is rounded */
	CHECK(qcq_stats_t_quantile(1e-12, 1, &q, NULL) == QCQ_OK);
	CHECK_REL(q, -1 / tan(M_PI * 1e-12), 1e-9);
}

static void test_t_cdf_closed_forms(void)
{
	const double ts[] = {-1e6, -30, -3, -1.2, -0.01, 0, 1e-9, 0.4, 2, 7.5, 1e3, 1e200};
	for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
		double t = ts[i], at = fabs(t), c, p;
		/* df = 1: p = 2 atan(1/|t|) / pi */
		CHECK(qcq_stats_t_pvalue(t, 1, &p, NULL) == QCQ_OK);
		CHECK_REL(p, at == 0 ? 1 : 2 * atan(1 / at) / M_PI, 1e-12);
		CHECK(qcq_stats_t_cdf(t, 1, &c, NULL) == QCQ_OK);
		CHECK_NEAR(c, 0.5 + atan(t) / M_PI, 1e-15);
		/* df = 2: p = 1 - |t| / sqrt(2 + t^2), written without cancellation */
		if (at < 1e150) {
			double s = sqrt(2 + t * t);
			CHECK(qcq_stats_t_pvalue(t, 2, &p, NULL) == QCQ_OK);
			CHECK_REL(p, 2 / (s * (s + at)), 1e-12);
			CHECK(qcq_stats_t_cdf(t, 2, &c, NULL) == QCQ_OK);
			CHECK_NEAR(c, 0.5 + t / (2 * s), 1e-15);
		}
	}
}

static void test_t_pvalue_mpmath(void)
{
	/* mpmath.betainc(df/2, 1/2, 0, df/(df+t^2), regularized=True) at 40 digits */
	const struct {
		double t, df, p;
	} v[] = {
		{3, 1e6, 0.0026998625414217970587},
		{2, 0.5, 0.44551489018313123119},
		{0.1, 3, 0.92665234880080582486},
		{25, 7, 4.1796971176594336285e-8},
		{1.96, 1e8, 0.049995793069328108693},
		{2.5, 12.3, 0.027492775039948714819},
		{1e-8, 5, 0.99999999240786620355},
		{1e200, 1, 6.3661977236758136234e-201},
		/* either side of the switch to the Cornish-Fisher expansion at df = 1e5 */
		{2, 99000, 0.045502990725931710551},
		{2, 101000, 0.045502936729052571883},
		{2.6, 3e5, 0.0093228328020764708939},
		{6, 100001, 1.9799293879613480034e-9},
		{30, 2e5, 2.6990044221865218183e-197},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		double p;
		CHECK(qcq_stats_t_pvalue(v[i].t, v[i].df, &p, NULL) == QCQ_OK);
		CHECK_REL(p, v[i].p, 1e-10);
	}
	/* continuous across the switch to the Cornish-Fisher expansion at df = 1e5 */
	double a, b;
	CHECK(qcq_stats_t_pvalue(2.3, 1e5 * (1 - 1e-12), &a, NULL) == QCQ_OK);
	CHECK(qcq_stats_t_pvalue(2.3, 1e5 * (1 + 1e-12), &b, NULL) == QCQ_OK);
	CHECK_REL(a, b, 1e-11);
	CHECK(qcq_stats_t_pvalue(2.3, 1e300, &b, NULL) == QCQ_OK);
	CHECK_REL(b, erfc(2.3 / M_SQRT2), 1e-14);
}

static void test_t_quantile_inverts_cdf(void)
{
	const double dfs[] = {0.3, 1, 2.7, 4, 17, 250, 1e5};
	const double probs[] = {1e-8, 0.001, 0.025, 0.3, 0.6, 0.975, 0.9999};
	for (size_t i = 0; i < sizeof dfs / sizeof dfs[0]; i++)
		for (size_t j = 0; j < sizeof probs / sizeof probs[0]; j++) {
			double q, c;
			CHECK(qcq_stats_t_quantile(probs[j], dfs[i], &q, NULL) == QCQ_OK);
			CHECK(qcq_stats_t_cdf(q, dfs[i], &c, NULL) == QCQ_OK);
			CHECK_REL(c, probs[j], 1e-10);
		}
}

/* ---------------------------------------------------------------- samples, zero variance */

static void test_describe(void)
{
	const double x[4] = {1, 2, 3, 4};
	struct qcq_stats_sample s;
	CHECK(qcq_stats_describe(x, 4, &s, NULL) == QCQ_OK);
	CHECK(s.mean == 2.5 && s.n == 4);
	CHECK_REL(s.sd, sqrt(5.0 / 3), 1e-15);
	/* all equal: the value itself and sd exactly 0 (sum / n of 0.1 x 3 would round) */
	const double z[3] = {0.1, 0.1, 0.1};
	CHECK(qcq_stats_describe(z, 3, &s, NULL) == QCQ_OK);
	CHECK(s.mean == 0.1 && s.sd == 0);
}

static void test_zero_variance(void)
{
	const double a[3] = {0.1, 0.1, 0.1}, b[4] = {0.1, 0.1, 0.1, 0.1}, c[3] = {0.2, 0.2, 0.2};
	struct qcq_stats_test r;
	struct qcq_error e;
	double d;
	/* identical numbers: p = 1, t = 0, interval [0, 0] */
	CHECK(qcq_stats_welch(a, 3, b, 4, 0.95, &r, &e) == QCQ_OK);
	CHECK(r.diff == 0 && r.t == 0 && r.se == 0 && r.p == 1 && r.df == 5);
	CHECK(r.ci_lo == 0 && r.ci_hi == 0);
	CHECK(qcq_stats_paired(a, a, 3, 0.95, &r, &e) == QCQ_OK);
	CHECK(r.p == 1 && r.t == 0 && r.df == 2 && r.ci_lo == 0 && r.ci_hi == 0);
	CHECK(qcq_stats_cohen_d(a, 3, b, 4, &d, &e) == QCQ_OK);
	CHECK(d == 0);
	/* no spread but a difference: an error, not an infinite t */
	CHECK(qcq_stats_welch(a, 3, c, 3, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "zero variance");
	const double x[3] = {1, 2, 3}, y[3] = {0, 1, 2};
	CHECK(qcq_stats_paired(x, y, 3, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "paired t-test: zero variance and a mean difference of 1");
	CHECK(qcq_stats_cohen_d(a, 3, c, 3, &d, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "zero pooled std");
	/* zero variance on one side only is an ordinary Welch test with df = n - 1 */
	CHECK(qcq_stats_welch(a, 3, x, 3, 0.95, &r, &e) == QCQ_OK);
	CHECK_NEAR(r.df, 2, 1e-12);
	CHECK_NEAR(r.t, -1.9 / sqrt(1.0 / 3), 1e-12);
}

/* ---------------------------------------------------------------- every error path */

static void test_errors(void)
{
	const double x[3] = {1, 2, 4}, y[3] = {2, 2, 5}, bad[3] = {1, NAN, 3};
	const double inf[2] = {1, INFINITY}, huge[2] = {DBL_MAX, -DBL_MAX};
	struct qcq_stats_test r = {.p = -7};
	struct qcq_stats_sample s;
	struct qcq_error e;
	double v = -7;

	CHECK(qcq_stats_t_cdf(NAN, 3, &v, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "t = nan is not finite");
	CHECK(qcq_stats_t_pvalue(INFINITY, 3, &v, &e) == QCQ_ENUMERIC);
	CHECK(qcq_stats_t_cdf(1, 0, &v, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "df = 0 must be > 0");
	CHECK(qcq_stats_t_pvalue(1, -2, &v, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_t_cdf(1, INFINITY, &v, &e) == QCQ_ENUMERIC);
	CHECK(qcq_stats_t_quantile(1, 3, &v, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "prob = 1 must be in (0, 1)");
	CHECK(qcq_stats_t_quantile(0, 3, &v, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_t_quantile(NAN, 3, &v, &e) == QCQ_ENUMERIC);
	CHECK(qcq_stats_t_quantile(0.9, NAN, &v, &e) == QCQ_ENUMERIC);
	CHECK(qcq_stats_t_quantile(0.9, -1, &v, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_t_quantile(1e-300, 0.01, &v, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "t quantile: upper tail 1e-300 at df = 0.01 is beyond");
	CHECK(v == -7);

	CHECK(qcq_stats_describe(x, 1, &s, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "describe: x has 1 value, need at least 2");
	CHECK(qcq_stats_describe(NULL, 3, &s, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_describe(bad, 3, &s, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "describe: x[1] = nan is not finite");
	CHECK(qcq_stats_describe(huge, 2, &s, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "overflows");

	CHECK(qcq_stats_welch(x, 3, y, 1, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "welch t-test: y has 1 value, need at least 2");
	CHECK(qcq_stats_welch(x, 0, y, 3, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_welch(x, 3, inf, 2, 0.95, &r, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "welch t-test: y[1] = inf is not finite");
	CHECK(qcq_stats_welch(x, 3, y, 3, 1, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "welch t-test: level = 1 must be in (0, 1)");
	CHECK(qcq_stats_welch(x, 3, y, 3, 0, &r, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_welch(x, 3, y, 3, NAN, &r, &e) == QCQ_ENUMERIC);

	struct qcq_stats_sample ok = {1, 0.5, 10}, neg = {1, -0.5, 10}, one = {1, 0.5, 1},
				nan_mean = {NAN, 0.5, 10}, inf_sd = {1, INFINITY, 10},
				big = {1, 1e200, 10}, flat = {2, 0, 10};
	CHECK(qcq_stats_welch_summary(&ok, &neg, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "welch t-test: y has a negative std -0.5");
	CHECK(qcq_stats_welch_summary(&one, &ok, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "x has n = 1, need at least 2");
	CHECK(qcq_stats_welch_summary(&nan_mean, &ok, 0.95, &r, &e) == QCQ_ENUMERIC);
	CHECK(qcq_stats_welch_summary(&ok, &inf_sd, 0.95, &r, &e) == QCQ_ENUMERIC);
	CHECK(qcq_stats_welch_summary(&ok, &ok, 1.5, &r, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_welch_summary(&big, &ok, 0.95, &r, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "summaries too large");
	struct qcq_stats_sample flat2 = flat;
	flat2.mean = 3;
	CHECK(qcq_stats_welch_summary(&flat, &flat2, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "zero variance and a mean difference of -1");

	CHECK(qcq_stats_paired(x, y, 1, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "paired t-test: 1 pair, need at least 2");
	CHECK(qcq_stats_paired(x, NULL, 3, 0.95, &r, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "y is null");
	CHECK(qcq_stats_paired(x, bad, 3, 0.95, &r, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "paired t-test: pair 1 (x = 2, y = nan) is not finite");
	CHECK(qcq_stats_paired(x, y, 3, -0.1, &r, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_paired(huge, inf, 2, 0.95, &r, &e) == QCQ_ENUMERIC);
	const double nhuge[2] = {-DBL_MAX, DBL_MAX};
	CHECK(qcq_stats_paired(huge, nhuge, 2, 0.95, &r, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "x - y[0] = inf is not finite");

	CHECK(qcq_stats_cohen_d(x, 3, y, 1, &v, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_cohen_d(bad, 3, y, 3, &v, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "cohen's d: x[1] = nan is not finite");
	CHECK(v == -7 && r.p == -7);

	const double p[3] = {0.01, 0.5, 0.2}, pbad[2] = {0.1, 1.5}, pnan[2] = {NAN, 0.1};
	double adj[3] = {-1, -1, -1};
	bool rej[3];
	CHECK(qcq_stats_holm(p, 0, 0.05, adj, rej, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "holm: no p-values");
	CHECK(qcq_stats_holm(NULL, 3, 0.05, adj, rej, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_holm(p, 3, 0, adj, rej, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "holm: alpha = 0 must be in (0, 1)");
	CHECK(qcq_stats_holm(p, 3, 1, adj, rej, &e) == QCQ_EINVAL);
	CHECK(qcq_stats_holm(p, 3, NAN, adj, rej, &e) == QCQ_ENUMERIC);
	CHECK(qcq_stats_holm(pbad, 2, 0.05, adj, rej, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "holm: p[1] = 1.5 is not in [0, 1]");
	CHECK(qcq_stats_holm(pnan, 2, 0.05, adj, rej, &e) == QCQ_ENUMERIC);
	CHECK_STR_CONTAINS(e.msg, "holm: p[0] is nan");
	CHECK(adj[0] == -1 && adj[1] == -1 && adj[2] == -1);
}

int main(void)
{
	RUN(test_golden_cases);
	RUN(test_case_a_paired_p);
	RUN(test_holm_golden);
	RUN(test_welch_summary_golden);
	RUN(test_t_quantile_textbook);
	RUN(test_t_cdf_closed_forms);
	RUN(test_t_pvalue_mpmath);
	RUN(test_t_quantile_inverts_cdf);
	RUN(test_describe);
	RUN(test_zero_variance);
	RUN(test_errors);
	return check_summary();
}
