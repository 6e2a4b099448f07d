/* tests/qml: the K-class quantum classifier (qml_mc_probs): its Born probabilities
 * against the same circuit run by qsim (qml_circuit_classifier(n, 2, depth,
 * reverse_linear)), its adjoint gradients against central differences for every angle
 * and input, and the qubit count of the readout. */
#include "qcq/qml.h"
#include "qcq/qsim.h"
#include "check.h"

#include <stdlib.h>

static void test_qubits(void)
{
	CHECK(qml_mc_qubits(3) == 2 && qml_mc_qubits(4) == 2);
	CHECK(qml_mc_qubits(5) == 3 && qml_mc_qubits(8) == 3);
	CHECK(qml_mc_qubits(9) == 4 && qml_mc_qubits(10) == 4 && qml_mc_qubits(16) == 4);
	CHECK(qml_mc_qubits(17) == 5 && qml_mc_qubits(QML_MC_MAX_CLASSES) == 5);
	CHECK(qml_mc_nparams(10, 2) == 12 && qml_mc_nparams(3, 1) == 4);
}

/* The probabilities are qsim's |amplitude|^2 of the same circuit. */
static void test_probs_match_qsim(void)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, 11);
	const int Ks[] = {3, 4, 5, 8, 10, 17, 32};
	for (size_t t = 0; t < sizeof Ks / sizeof *Ks; t++) {
		int K = Ks[t];
		for (int depth = 1; depth <= 3; depth++) {
			int n = qml_mc_qubits(K), np = qml_mc_nparams(K, depth);
			struct qs_circuit *c;
			struct qs_exec *e;
			struct qcq_error err;
			CHECK(qml_circuit_classifier(n, 2, depth, QML_ENT_REVERSE_LINEAR, &c, &err) ==
			      QCQ_OK);
			CHECK(c->ninputs == (uint32_t)n && c->nweights == (uint32_t)np);
			double x[QML_MC_MAX_QUBITS], th[QML_MC_MAX_QUBITS * 9], p[QML_MC_MAX_CLASSES];
			for (int j = 0; j < n; j++)
				x[j] = 4 * qcq_rng_uniform(&r) - 2;
			for (int k = 0; k < np; k++)
				th[k] = 6 * qcq_rng_uniform(&r) - 3;
			qml_mc_probs(K, depth, x, th, p, NULL, NULL, NULL);
			CHECK(qs_exec_create(c, NULL, &e, &err) == QCQ_OK);
			CHECK(qs_exec_set_inputs(e, x, (size_t)n, &err) == QCQ_OK);
			CHECK(qs_exec_set_weights(e, th, (size_t)np, &err) == QCQ_OK);
			CHECK(qs_exec_run(e, &err) == QCQ_OK);
			const struct qs_state *s = qs_exec_state(e);
			double sum = 0;
			for (int k = 0; k < K; k++) {
				double want = creal(s->amp[k]) * creal(s->amp[k]) +
					      cimag(s->amp[k]) * cimag(s->amp[k]);
				CHECK_NEAR(p[k], want, 1e-12);
				sum += p[k];
			}
			CHECK(sum <= 1 + 1e-12);
			if (K == 1 << n) /* every basis state read: a distribution */
				CHECK_NEAR(sum, 1.0, 1e-12);
			qs_exec_destroy(e);
			qs_circuit_destroy(c);
		}
	}
}

/* sum_k g_k p_k and its adjoint gradient vs central differences, in every angle and
 * input, at random points, for several K and depths. */
static double weighted(int K, int depth, const double *x, const double *th, const double *g)
{
	double p[QML_MC_MAX_CLASSES], s = 0;
	qml_mc_probs(K, depth, x, th, p, NULL, NULL, NULL);
	for (int k = 0; k < K; k++)
		s += g[k] * p[k];
	return s;
}

static void test_gradients_fd(void)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, 23);
	const int Ks[] = {3, 4, 6, 10, 32};
	for (size_t t = 0; t < sizeof Ks / sizeof *Ks; t++) {
		int K = Ks[t];
		for (int depth = 1; depth <= 8; depth += 3) {
			int n = qml_mc_qubits(K), np = qml_mc_nparams(K, depth);
			double x[QML_MC_MAX_QUBITS], th[QML_MC_MAX_QUBITS * 9], g[QML_MC_MAX_CLASSES];
			double p[QML_MC_MAX_CLASSES], dx[QML_MC_MAX_QUBITS], dth[QML_MC_MAX_QUBITS * 9];
			for (int j = 0; j < n; j++)
				x[j] = 4 * qcq_rng_uniform(&r) - 2;
			for (int k = 0; k < np; k++)
				th[k] = 6 * qcq_rng_uniform(&r) - 3;
			for (int k = 0; k < K; k++)
				g[k] = 2 * qcq_rng_uniform(&r) - 1;
			qml_mc_probs(K, depth, x, th, p, g, dx, dth);
			const double h = 1e-6;
			for (int k = 0; k < np; k++) {
				double keep = th[k];
				th[k] = keep + h;
				double lp = weighted(K, depth, x, th, g);
				th[k] = keep - h;
				double lm = weighted(K, depth, x, th, g);
				th[k] = keep;
				CHECK_NEAR(dth[k], (lp - lm) / (2 * h), 1e-7);
			}
			for (int j = 0; j < n; j++) {
				double keep = x[j];
				x[j] = keep + h;
				double lp = weighted(K, depth, x, th, g);
				x[j] = keep - h;
				double lm = weighted(K, depth, x, th, g);
				x[j] = keep;
				CHECK_NEAR(dx[j], (lp - lm) / (2 * h), 1e-6);
			}
			/* the gradient without dx is the same */
			double dth2[QML_MC_MAX_QUBITS * 9];
			qml_mc_probs(K, depth, x, th, p, g, NULL, dth2);
			for (int k = 0; k < np; k++)
				CHECK(dth2[k] == dth[k]);
		}
	}
}

int main(void)
{
	RUN(test_qubits);
	RUN(test_probs_match_qsim);
	RUN(test_gradients_fd);
	return check_summary();
}
