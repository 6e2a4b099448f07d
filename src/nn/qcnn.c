/*
 * nn/qcnn.c: the quantum layer of the qcnn model: qml's 8-qubit quantum
 * convolutional network (Cong, Choi, Lukin 2019, as in the Qiskit Machine Learning
 * QCNN tutorial: RY(pi x) encoding of 8 inputs, conv / pool blocks down to qubit 7,
 * 63 weights, readout <Z7>), simulated exactly by qsim with adjoint gradients.
 *
 * Unlike the 2-qubit classifier this goes through qsim's generic circuit runner,
 * which allocates its 256-amplitude state per call: a qcnn training step allocates
 * (the other models do not). Noise and shots are not supported here (the model
 * descriptor check refuses them for qcnn).
 */
#include "nn-internal.h"
#include "qcq/qml.h"
#include "qcq/qsim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct qcnn_ctx {
	struct qs_circuit *c;
	struct qs_pauli obs;
	double w[QML_QCNN8_WEIGHTS];
};

static void load(struct qcnn_ctx *q, double x[8], const float *inp, const float *theta)
{
	for (int i = 0; i < 8; i++)
		x[i] = inp[i];
	for (int k = 0; k < QML_QCNN8_WEIGHTS; k++)
		q->w[k] = theta[k];
}

static void qcnn_init(void *ctx, float *theta, size_t n, struct qcq_rng *rng)
{
	nn_init_uniform(theta, n, 1.0f, rng);
}

static void qcnn_forward(void *ctx, float *out, const float *inp, const float *theta, int B,
			 struct qcq_rng *rng)
{
	struct qcnn_ctx *q = ctx;
	for (int n = 0; n < B; n++) {
		double x[8], v = 0;
		load(q, x, inp + 8 * n, theta);
		enum qcq_status st = qs_circuit_expect(q->c, x, q->w, NULL, &q->obs, 1, 0, NULL, &v,
						       NULL);
		out[n] = st ? NAN : (float)v; /* a NaN loss stops training with a message */
	}
}

static void qcnn_backward(void *ctx, float *dinp, float *dtheta, const float *dout,
			  const float *inp, const float *theta, int B, struct qcq_rng *rng)
{
	struct qcnn_ctx *q = ctx;
	for (int n = 0; n < B; n++) {
		double x[8], v, dx[8], dw[QML_QCNN8_WEIGHTS];
		load(q, x, inp + 8 * n, theta);
		if (qs_grad_adjoint(q->c, x, q->w, q->obs, &v, dx, dw, NULL))
			continue; /* only on out-of-memory; the forward already gave NaN */
		for (int k = 0; k < QML_QCNN8_WEIGHTS; k++)
			dtheta[k] += (float)(dout[n] * dw[k]);
		if (dinp)
			for (int i = 0; i < 8; i++)
				dinp[8 * n + i] += (float)(dout[n] * dx[i]);
	}
}

static void qcnn_describe(void *ctx, char *buf, size_t n)
{
	snprintf(buf, n, "QCNN (Cong et al.): RY(pi x) encoding, 3 conv + 3 pool blocks, <Z7>, exact");
}

static void qcnn_destroy(void *ctx)
{
	struct qcnn_ctx *q = ctx;
	qs_circuit_destroy(q->c);
	free(q);
}

static const struct nn_qlayer_ops qcnn_ops = {
	.name = "qcnn8",
	.init = qcnn_init,
	.forward = qcnn_forward,
	.backward = qcnn_backward,
	.describe = qcnn_describe,
	.set_noise = NULL,
	.destroy = qcnn_destroy,
};

enum qcq_status nn_qlayer_qcnn_create(struct nn_qlayer *q, const struct nn_model_desc *d,
				      struct qcq_error *err)
{
	struct qcnn_ctx *c = qcq_xcalloc(1, sizeof *c);
	enum qcq_status st = qml_circuit_qcnn8(&c->c, err);
	if (st) {
		free(c);
		return st;
	}
	c->obs = (struct qs_pauli){ .x = 0, .z = 1u << QML_QCNN8_READOUT };
	*q = (struct nn_qlayer){ &qcnn_ops, c, 8, 1, QML_QCNN8_WEIGHTS, 8 };
	return QCQ_OK;
}
