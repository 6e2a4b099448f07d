/* tests/qml: circuit templates through the simulator -- the classifier circuit
 * against CONVENTIONS 11 (a), (b), (c) and the fast layer, ZZ/RealAmplitudes structure,
 * QCNN blocks, the filter <-> circuit bridge and the validation messages. */
#include "qcq/qml.h"
#include "qcq/qsim.h"
#include "check.h"

#include <stdlib.h>

static double expect(const struct qs_circuit *c, const double *x, const double *w,
		     const struct qs_noise *nm, const char *pauli)
{
	struct qs_pauli p;
	struct qcq_error e;
	double v = NAN;
	CHECK(qs_pauli_parse(pauli, c->nqubits, &p, &e) == QCQ_OK);
	CHECK(qs_circuit_expect(c, x, w, nm, &p, 1, 0, NULL, &v, &e) == QCQ_OK);
	return v;
}

static void test_classifier_circuit_matches_layer_and_golden(void)
{
	struct qs_circuit *c;
	struct qcq_error e;
	double x[2] = {1.2, -0.4}, th[8] = {-0.5, 1.1, 0.25, -1.3, 2.0, 0.05, -0.75, 1.6};
	/* golden case C: (a) r=1 Z0, (c) p=0.01/0.02 r=2 Z0Z1, (b) r=1 ZZ gradients */
	CHECK(qml_circuit_classifier(2, 2, 1, QML_ENT_FULL, &c, &e) == QCQ_OK);
	CHECK(c->ninputs == 2 && c->nweights == 4 && c->ngates == 14 + 5);
	CHECK_NEAR(expect(c, x, th, NULL, "Z0"), -0.6073872702307, 1e-10);
	CHECK_NEAR(expect(c, x, th, NULL, "Z1"), +0.2261081729620, 1e-10);
	struct qs_pauli zz;
	CHECK(qs_pauli_parse("Z0Z1", 2, &zz, &e) == QCQ_OK);
	double v, dx[2], dw[4];
	CHECK(qs_grad_adjoint(c, x, th, zz, &v, dx, dw, &e) == QCQ_OK);
	CHECK_NEAR(v, -0.4356803671225, 1e-10);
	CHECK_NEAR(dx[0], -7.5946435226848, 1e-10);
	CHECK_NEAR(dx[1], -4.3548092333014, 1e-10);
	CHECK_NEAR(dw[2], +0.6521110253432, 1e-10);
	qs_circuit_destroy(c);

	CHECK(qml_circuit_classifier(2, 2, 2, QML_ENT_REVERSE_LINEAR, &c, &e) == QCQ_OK);
	struct qs_noise nm = {.p1 = 0.01, .p2 = 0.02};
	CHECK_NEAR(expect(c, x, th, &nm, "Z0Z1"), +0.1946833248480, 1e-10);
	/* and the fast layer at random points and depths */
	qs_circuit_destroy(c);
	struct qcq_rng r;
	qcq_rng_seed(&r, 5);
	for (int depth = 1; depth <= 8; depth++) {
		CHECK(qml_circuit_classifier(2, 2, depth, QML_ENT_FULL, &c, &e) == QCQ_OK);
		double xr[2] = {3 * qcq_rng_uniform(&r), -3 * qcq_rng_uniform(&r)}, w[18];
		for (int k = 0; k < 18; k++)
			w[k] = 6 * qcq_rng_uniform(&r) - 3;
		CHECK_NEAR(expect(c, xr, w, NULL, "Z0"),
			   qml_classifier_expect(xr, w, depth, QML_OBS_Z0, NULL, NULL), 1e-12);
		struct qs_noise n2 = {.p1 = 0.05, .p2 = 0.1};
		CHECK_NEAR(expect(c, xr, w, &n2, "Z0Z1"),
			   qml_classifier_expect_noisy(xr, w, depth, QML_OBS_ZZ, 0.05, 0.1, NULL,
						       NULL), 1e-12);
		qs_circuit_destroy(c);
	}
}

static int count_kind(const struct qs_circuit *c, enum qs_gate_kind k)
{
	int n = 0;
	for (size_t i = 0; i < c->ngates; i++)
		n += c->gates[i].kind == k;
	return n;
}

/* The no-entangling control (qcq-cnn-noent): no CX anywhere; the fast path agrees with
 * the simulator (values and adjoint gradients) at every depth; the state is a product
 * (<Z0 Z1> = <Z0><Z1>); and it differs from the entangling classifier. */
static void test_product_classifier(void)
{
	struct qs_circuit *c;
	struct qcq_error e;
	struct qcq_rng r;
	qcq_rng_seed(&r, 11);
	CHECK(qml_circuit_classifier_product(0, &c, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "depth 0 out of range");
	for (int depth = 1; depth <= 8; depth++) {
		CHECK(qml_circuit_classifier_product(depth, &c, &e) == QCQ_OK);
		CHECK(count_kind(c, QS_G_CX) == 0 && c->ninputs == 2);
		CHECK(c->nweights == (size_t)(2 * (depth + 1)) && count_kind(c, QS_G_P) == 8);
		double x[2] = {3 * qcq_rng_uniform(&r), -2 * qcq_rng_uniform(&r)}, w[18];
		for (int k = 0; k < 18; k++)
			w[k] = 6 * qcq_rng_uniform(&r) - 3;
		double dx[2], dw[18], fdx[2], fdw[18];
		double z0 = qml_classifier_product_expect(x, w, depth, QML_OBS_Z0, fdx, fdw);
		double zz = qml_classifier_product_expect(x, w, depth, QML_OBS_ZZ, NULL, NULL);
		CHECK_NEAR(expect(c, x, w, NULL, "Z0"), z0, 1e-12);
		CHECK_NEAR(expect(c, x, w, NULL, "Z0Z1"), zz, 1e-12);
		CHECK_NEAR(zz, z0 * expect(c, x, w, NULL, "Z1"), 1e-12);
		CHECK(fabs(z0 - qml_classifier_expect(x, w, depth, QML_OBS_Z0, NULL, NULL)) > 1e-6);
		struct qs_pauli z0p;
		double v;
		CHECK(qs_pauli_parse("Z0", 2, &z0p, &e) == QCQ_OK);
		CHECK(qs_grad_adjoint(c, x, w, z0p, &v, dx, dw, &e) == QCQ_OK);
		for (int j = 0; j < 2; j++)
			CHECK_NEAR(fdx[j], dx[j], 1e-10);
		for (int k = 0; k < 2 * (depth + 1); k++)
			CHECK_NEAR(fdw[k], dw[k], 1e-10);
		qs_circuit_destroy(c);
	}
}

static void test_zz_and_realamp_structure(void)
{
	struct qs_circuit *c;
	struct qcq_error e;
	CHECK(qml_circuit_zz(4, 3, QML_ENT_FULL, &c, &e) == QCQ_OK);
	CHECK(c->ninputs == 4 && c->nweights == 0);
	CHECK(count_kind(c, QS_G_H) == 12 && count_kind(c, QS_G_CX) == 3 * 6 * 2);
	qs_circuit_destroy(c);
	CHECK(qml_circuit_zz(4, 1, QML_ENT_LINEAR, &c, &e) == QCQ_OK);
	CHECK(count_kind(c, QS_G_CX) == 6);
	/* linear: first pair (0,1) */
	CHECK(c->gates[8].kind == QS_G_CX && c->gates[8].q[0] == 0 && c->gates[8].q[1] == 1);
	qs_circuit_destroy(c);
	CHECK(qml_circuit_zz(4, 1, QML_ENT_REVERSE_LINEAR, &c, &e) == QCQ_OK);
	CHECK(c->gates[8].kind == QS_G_CX && c->gates[8].q[0] == 2 && c->gates[8].q[1] == 3);
	qs_circuit_destroy(c);

	CHECK(qml_circuit_realamp(3, 2, QML_ENT_FULL, &c, &e) == QCQ_OK);
	CHECK(c->nweights == 9 && count_kind(c, QS_G_RY) == 9 && count_kind(c, QS_G_CX) == 6);
	double w[9] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
	double full = expect(c, NULL, w, NULL, "Z0Z2");
	qs_circuit_destroy(c);
	/* full and reverse_linear: same unitary (CONVENTIONS 6), different gate counts */
	CHECK(qml_circuit_realamp(3, 2, QML_ENT_REVERSE_LINEAR, &c, &e) == QCQ_OK);
	CHECK(count_kind(c, QS_G_CX) == 4);
	CHECK_NEAR(expect(c, NULL, w, NULL, "Z0Z2"), full, 1e-12);
	qs_circuit_destroy(c);
	CHECK(qml_circuit_realamp(3, 0, QML_ENT_LINEAR, &c, &e) == QCQ_OK);
	CHECK(c->nweights == 3 && count_kind(c, QS_G_CX) == 0);
	qs_circuit_destroy(c);
	CHECK(strcmp(qml_entanglement_name(QML_ENT_REVERSE_LINEAR), "reverse_linear") == 0);
}

static void test_qcnn8(void)
{
	struct qs_circuit *c;
	struct qcq_error e;
	CHECK(qml_circuit_qcnn8(&c, &e) == QCQ_OK);
	CHECK(c->nqubits == 8 && c->ninputs == 8 && c->nweights == QML_QCNN8_WEIGHTS);
	/* 8 encoding + conv 8 blocks*8 + pool 4*6 + conv 4*8 + pool 2*6 + conv 2*8 + pool 6 */
	CHECK(c->ngates == (size_t)(8 + 64 + 24 + 32 + 12 + 16 + 6));
	/* the readout depends on every input (the network is not disconnected) */
	double x[8], w[63];
	for (int i = 0; i < 63; i++)
		w[i] = 0.1 * i - 2;
	for (int i = 0; i < 8; i++)
		x[i] = 0.1 * i + 0.05;
	struct qs_pauli p;
	CHECK(qs_pauli_parse("Z7", 8, &p, &e) == QCQ_OK);
	double v, dx[8], dw[63];
	CHECK(qs_grad_adjoint(c, x, w, p, &v, dx, dw, &e) == QCQ_OK);
	for (int i = 0; i < 8; i++)
		CHECK(fabs(dx[i]) > 1e-9);
	qs_circuit_destroy(c);
	int q[3] = {0, 1, 2};
	CHECK(qs_circuit_create(3, &c, &e) == QCQ_OK);
	CHECK(qml_tpl_qcnn_conv(c, q, 3, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "qcnn conv: 3 qubits (need an even 2..24)");
	CHECK(qml_tpl_qcnn_pool(c, q, q, 0, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "qcnn pool: 0 pairs out of range [1, 24]");
	qs_circuit_destroy(c);
}

static void test_filter_circuit_bridge(void)
{
	struct qml_filter *f, *g;
	struct qs_circuit *c;
	struct qcq_error e;
	CHECK(qml_filter_create_random(&f, 2, 2, 2, 9, &e) == QCQ_OK);
	double x[4] = {0.1, 0.7, 0.35, 0.9}, z[4];
	qml_filter_patch_naive(f, x, z);
	CHECK(qml_filter_to_circuit(f, NULL, &c, &e) == QCQ_OK);
	CHECK(c->ninputs == 4);
	for (int j = 0; j < 4; j++) {
		char pz[8];
		snprintf(pz, sizeof pz, "Z%d", j);
		CHECK_NEAR(expect(c, x, NULL, NULL, pz), z[j], 1e-12);
	}
	CHECK(qml_filter_from_circuit(c, 2, NULL, &g, &e) == QCQ_EINVAL && g == NULL);
	CHECK_STR_CONTAINS(e.msg, "gate 0 (ry): a filter needs constant angles");
	qs_circuit_destroy(c);
	CHECK(qml_filter_to_circuit(f, x, &c, &e) == QCQ_OK);
	CHECK(c->ninputs == 0);
	CHECK_NEAR(expect(c, NULL, NULL, NULL, "Z2"), z[2], 1e-12);
	qs_circuit_destroy(c);

	/* circuit F from QASM -> filter -> golden (d) */
	static const char qasm[] =
		"OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[4];\n"
		"rx(0.7) q[0];\ncx q[1],q[2];\nry(1.3) q[3];\nrz(-0.4) q[1];\nbarrier q;\n"
		"cx q[0],q[3];\nry(2.1) q[2];\nrx(-1.1) q[1];\ncx q[3],q[1];\n";
	CHECK(qs_qasm_parse(qasm, strlen(qasm), &c, &e) == QCQ_OK);
	CHECK(qml_filter_from_circuit(c, 2, "F", &g, &e) == QCQ_OK);
	CHECK(qml_filter_ngates(g) == 8);
	double p[4] = {0.1, 0.2, 0.3, 0.4};
	qml_filter_patch_naive(g, p, z);
	CHECK_NEAR(z[0], +0.7274081461544, 1e-10);
	CHECK_NEAR(z[3], -0.6064667997154, 1e-10);
	qs_circuit_destroy(c);
	qml_filter_destroy(g);
	CHECK(qs_circuit_create(3, &c, &e) == QCQ_OK);
	CHECK(qml_filter_from_circuit(c, 2, NULL, &g, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "a filter circuit needs 1, 4 or 9 qubits (k x k patch), got 3");
	qs_circuit_destroy(c);
	qml_filter_destroy(f);
}

static void test_template_validation(void)
{
	struct qs_circuit *c;
	struct qcq_error e;
	enum qml_entanglement ent;
	CHECK(qml_entanglement_parse("circular", &ent, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "entanglement 'circular' unknown (full, linear or reverse_linear)");
	CHECK(qml_entanglement_parse("linear", &ent, &e) == QCQ_OK && ent == QML_ENT_LINEAR);
	CHECK(qml_circuit_zz(0, 2, QML_ENT_FULL, &c, &e) == QCQ_ERANGE && c == NULL);
	CHECK_STR_CONTAINS(e.msg, "0 qubits out of range [1, 24]");
	CHECK(qml_circuit_zz(2, 0, QML_ENT_FULL, &c, &e) == QCQ_ERANGE && c == NULL);
	CHECK_STR_CONTAINS(e.msg, "zz feature map: reps 0 out of range [1, 64]");
	CHECK(qml_circuit_realamp(2, -1, QML_ENT_FULL, &c, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "real amplitudes: reps -1 out of range [0, 64]");
	CHECK(qs_circuit_create(2, &c, &e) == QCQ_OK);
	CHECK(qml_tpl_angle_encoding(c, 3, 0, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "angle encoding: needs 3 qubits (circuit has 2)");
	CHECK(qml_tpl_real_amplitudes(c, 25, 1, QML_ENT_FULL, 0, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "real amplitudes: 25 qubits out of range [1, 24]");
	/* offsets compose: encoding of x2, x3 */
	CHECK(qml_tpl_angle_encoding(c, 2, 2, &e) == QCQ_OK && c->ninputs == 4);
	qs_circuit_destroy(c);
}

int main(void)
{
	RUN(test_classifier_circuit_matches_layer_and_golden);
	RUN(test_zz_and_realamp_structure);
	RUN(test_product_classifier);
	RUN(test_qcnn8);
	RUN(test_filter_circuit_bridge);
	RUN(test_template_validation);
	return check_summary();
}
