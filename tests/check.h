/*
 * tests/check.h: a minimal test harness. A test file defines static test functions,
 * lists them in main with RUN(name), and returns check_summary(). Each CHECK that
 * fails prints file:line and the expression; the summary prints "N passed, N failed"
 * counting test functions.
 */
#ifndef QCQ_TESTS_CHECK_H
#define QCQ_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures_in_test;
static int check_tests_passed, check_tests_failed, check_tests_skipped;

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			check_failures_in_test++;                                            \
		}                                                                            \
	} while (0)

#define CHECK_NEAR(a, b, tol)                                                                \
	do {                                                                                 \
		double check_a_ = (double)(a), check_b_ = (double)(b);                       \
		if (!(fabs(check_a_ - check_b_) <= (tol))) {                                 \
			fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.15g, %s = %.15g (tol %g)\n", \
				__FILE__, __LINE__, #a, check_a_, #b, check_b_, (double)(tol));  \
			check_failures_in_test++;                                            \
		}                                                                            \
	} while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                                      \
	do {                                                                                 \
		const char *check_h_ = (hay), *check_n_ = (needle);                          \
		if (!check_h_ || !strstr(check_h_, check_n_)) {                              \
			fprintf(stderr, "%s:%d: CHECK failed: \"%s\" does not contain \"%s\"\n", \
				__FILE__, __LINE__, check_h_ ? check_h_ : "(null)", check_n_);   \
			check_failures_in_test++;                                            \
		}                                                                            \
	} while (0)

/* A test calls SKIP("why") to be counted as skipped (e.g. ../shared/data absent). */
static int check_skip_flag;
#define SKIP(why)                                                                            \
	do {                                                                                 \
		fprintf(stderr, "  skipped: %s\n", why);                                     \
		check_skip_flag = 1;                                                         \
		return;                                                                      \
	} while (0)

#define RUN(fn)                                                                              \
	do {                                                                                 \
		check_failures_in_test = 0;                                                  \
		check_skip_flag = 0;                                                         \
		fn();                                                                        \
		if (check_skip_flag) {                                                       \
			check_tests_skipped++;                                               \
		} else if (check_failures_in_test) {                                         \
			fprintf(stderr, "FAIL %s\n", #fn);                                   \
			check_tests_failed++;                                                \
		} else {                                                                     \
			check_tests_passed++;                                                \
		}                                                                            \
	} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed, %d skipped\n", check_tests_passed, check_tests_failed,
	       check_tests_skipped);
	return check_tests_failed ? 1 : 0;
}

#endif
