/*
 * nn/qlayer.c: the adapter that plugs qml's 2-qubit classifier (struct qml_qlayer)
 * into a model as an nn_qlayer. It only translates: the circuit, its gradients and
 * its noise live in qml.
 *
 * Two differences the adapter absorbs: qml writes d/dx (nn layers accumulate), so
 * backward runs per sample into a 2-float local and adds; and qml has no init for
 * the angles, so the adapter draws them U(-1, 1) as Qiskit's TorchConnector does
 * when given no initial weights.
 *
 * Shots: qml samples from the stream in its struct; the adapter lends it the model's
 * stream for each call and takes it back, so that the shot draws live in the one
 * stream a checkpoint saves (with dropout's), and a resumed sampled run repeats the
 * uninterrupted one bit for bit.
 */
#include "nn-internal.h"
#include "qcq/qml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qml_ctx {
	struct qml_qlayer L;
};

static void q_init(void *ctx, float *theta, size_t n, struct qcq_rng *rng)
{
	nn_init_uniform(theta, n, 1.0f, rng);
}

static void lend_rng(struct qml_ctx *c, struct qcq_rng *rng)
{
	if (rng && c->L.cfg.shots > 0)
		c->L.rng = *rng;
}

static void return_rng(struct qml_ctx *c, struct qcq_rng *rng)
{
	if (rng && c->L.cfg.shots > 0)
		*rng = c->L.rng;
}

static void q_forward(void *ctx, float *out, const float *inp, const float *theta, int B,
		      struct qcq_rng *rng)
{
	struct qml_ctx *c = ctx;
	lend_rng(c, rng);
	qml_qlayer_forward(&c->L, out, inp, theta, B);
	return_rng(c, rng);
}

static void q_backward(void *ctx, float *dinp, float *dtheta, const float *dout, const float *inp,
		       const float *theta, int B, struct qcq_rng *rng)
{
	struct qml_ctx *c = ctx;
	lend_rng(c, rng);
	if (!dinp) {
		qml_qlayer_backward(&c->L, NULL, dtheta, dout, inp, theta, B);
	} else {
		for (int n = 0; n < B; n++) {
			float dx[2];
			qml_qlayer_backward(&c->L, dx, dtheta, dout + n, inp + 2 * n, theta, 1);
			dinp[2 * n] += dx[0];
			dinp[2 * n + 1] += dx[1];
		}
	}
	return_rng(c, rng);
}

static void q_describe(void *ctx, char *buf, size_t n)
{
	const struct qml_qlayer_config *cfg = &((struct qml_ctx *)ctx)->L.cfg;
	char mode[96];
	if (cfg->p1 > 0 || cfg->p2 > 0)
		snprintf(mode, sizeof mode, "density matrix p1 %g p2 %g", cfg->p1, cfg->p2);
	else
		snprintf(mode, sizeof mode, "exact");
	if (cfg->shots > 0)
		snprintf(mode + strlen(mode), sizeof mode - strlen(mode), ", %ld shots", cfg->shots);
	snprintf(buf, n, "ZZFeatureMap(reps 2) + RealAmplitudes(reps %d), %s, %s", cfg->depth,
		 cfg->obs == QML_OBS_ZZ ? "<Z0Z1>" : "<Z0>", mode);
}

static enum qcq_status q_set_noise(void *ctx, double p1, double p2, uint64_t shots,
				   uint64_t seed, struct qcq_error *err)
{
	struct qml_ctx *c = ctx;
	struct qml_qlayer_config cfg = c->L.cfg;
	cfg.p1 = p1, cfg.p2 = p2, cfg.shots = (long)shots, cfg.seed = seed;
	struct qml_qlayer L;
	enum qcq_status st = qml_qlayer_init(&L, &cfg, err);
	if (st == QCQ_OK)
		c->L = L;
	return st;
}

static void q_destroy(void *ctx)
{
	free(ctx);
}

static const struct nn_qlayer_ops qml_ops = {
	.name = "vqc",
	.init = q_init,
	.forward = q_forward,
	.backward = q_backward,
	.describe = q_describe,
	.set_noise = q_set_noise,
	.destroy = q_destroy,
};

/* The shot stream is derived from the model seed so that runs repeat. */
enum qcq_status nn_qlayer_qml_create(struct nn_qlayer *q, const struct nn_model_desc *d,
				     struct qcq_error *err)
{
	struct qml_qlayer_config cfg = {
		.depth = (int)d->depth,
		.obs = d->observable == NN_OBS_ZZ ? QML_OBS_ZZ : QML_OBS_Z0,
		.p1 = d->p1,
		.p2 = d->p2,
		.shots = (long)d->shots,
		.seed = d->seed ^ 0x5157u,
	};
	struct qml_ctx *c = qcq_xcalloc(1, sizeof *c);
	enum qcq_status st = qml_qlayer_init(&c->L, &cfg, err);
	if (st) {
		free(c);
		return st;
	}
	q->ops = &qml_ops;
	q->ctx = c;
	q->in = 2, q->out = 1;
	q->nparams = (size_t)c->L.nparams;
	q->qubits = 2;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- no entangling gates */

/*
 * qcq-cnn-noent's classifier (qml_classifier_product_expect): exact only, so it needs
 * no state beyond depth and observable and has no set_noise (the model refuses noise).
 */
struct product_ctx {
	int depth;
	enum qml_observable obs;
};

static void p_forward(void *ctx, float *out, const float *inp, const float *theta, int B,
		      struct qcq_rng *rng)
{
	const struct product_ctx *c = ctx;
	double th[2 * (QML_QLAYER_MAX_DEPTH + 1)];
	for (int k = 0; k < 2 * (c->depth + 1); k++)
		th[k] = theta[k];
	for (int n = 0; n < B; n++) {
		double x[2] = {inp[2 * n], inp[2 * n + 1]};
		out[n] = (float)qml_classifier_product_expect(x, th, c->depth, c->obs, NULL, NULL);
	}
}

static void p_backward(void *ctx, float *dinp, float *dtheta, const float *dout, const float *inp,
		       const float *theta, int B, struct qcq_rng *rng)
{
	const struct product_ctx *c = ctx;
	int np = 2 * (c->depth + 1);
	double th[2 * (QML_QLAYER_MAX_DEPTH + 1)], dth[2 * (QML_QLAYER_MAX_DEPTH + 1)];
	for (int k = 0; k < np; k++)
		th[k] = theta[k];
	for (int n = 0; n < B; n++) {
		double x[2] = {inp[2 * n], inp[2 * n + 1]}, dx[2];
		qml_classifier_product_expect(x, th, c->depth, c->obs, dx, dth);
		for (int k = 0; k < np; k++)
			dtheta[k] += (float)(dout[n] * dth[k]);
		if (dinp) {
			dinp[2 * n] += (float)(dout[n] * dx[0]);
			dinp[2 * n + 1] += (float)(dout[n] * dx[1]);
		}
	}
}

static void p_describe(void *ctx, char *buf, size_t n)
{
	const struct product_ctx *c = ctx;
	snprintf(buf, n, "no entangling gates: ZZFeatureMap local phases + RealAmplitudes(reps %d) "
		 "without CX, %s, exact", c->depth, c->obs == QML_OBS_ZZ ? "<Z0Z1>" : "<Z0>");
}

static const struct nn_qlayer_ops product_ops = {
	.name = "vqc-noent",
	.init = q_init,
	.forward = p_forward,
	.backward = p_backward,
	.describe = p_describe,
	.set_noise = NULL,
	.destroy = q_destroy,
};

enum qcq_status nn_qlayer_product_create(struct nn_qlayer *q, const struct nn_model_desc *d,
					 struct qcq_error *err)
{
	if (d->depth < 1 || d->depth > QML_QLAYER_MAX_DEPTH)
		return qcq_error_set(err, QCQ_ERANGE, "depth %u out of range [1, %d]", d->depth,
				     QML_QLAYER_MAX_DEPTH);
	struct product_ctx *c = qcq_xcalloc(1, sizeof *c);
	c->depth = (int)d->depth;
	c->obs = d->observable == NN_OBS_ZZ ? QML_OBS_ZZ : QML_OBS_Z0;
	*q = (struct nn_qlayer){&product_ops, c, 2, 1, (size_t)qml_qlayer_nparams(c->depth), 2};
	return QCQ_OK;
}

/* ---------------------------------------------------------------- K classes */

/*
 * A K-class qcq-cnn's classifier (qml_mc_probs): n inputs, K Born probabilities out;
 * exact only, so no set_noise (the model refuses noise with K > 2). backward weights
 * each sample's probabilities by its dout row: one adjoint sweep per sample.
 *
 * The inputs are bounded, x_j = tanh(z_j) of the dense outputs z, before the feature
 * map. The map's ZZ angles 2 (pi - x_i)(pi - x_j) are quadratic in x, so with x = z
 * unbounded the circuit's sensitivity to x grows with |x|: once the dense outputs leave
 * O(1) (they did, in the runs that stayed at chance: docs/RESULTS.md, more than two
 * classes), a change of z by 0.01 turns the angles by radians, the n-qubit state is a
 * pseudo-random function of the image (Born probabilities with the spread of a random
 * state's, mean = sd = 1/2^n) and the gradient through it, larger the larger |z|, holds
 * for less than one Adam step: nothing brings z back. tanh keeps |d angle / dx| <=
 * 2 (pi + 1) and is the identity to first order where the runs that learned kept z
 * (|z| <~ 0.3); far out it saturates to a constant state whose gradient vanishes
 * instead of growing. Its cost: a run whose inputs all saturate sees one state for every
 * image (RESULTS counts how often). The binary classifier (above) keeps x = z: it has
 * one ZZ pair, stays near z = 0 in training and its results are the paper's protocol.
 */
struct multi_ctx {
	int nclasses, depth, n;
	double scale; /* 2^n: see nn_qlayer_multi_create */
};

static void m_forward(void *ctx, float *out, const float *inp, const float *theta, int B,
		      struct qcq_rng *rng)
{
	(void)rng;
	const struct multi_ctx *c = ctx;
	int np = c->n * (c->depth + 1), K = c->nclasses;
	double th[QML_MC_MAX_QUBITS * (QML_QLAYER_MAX_DEPTH + 1)], x[QML_MC_MAX_QUBITS];
	double p[QML_MC_MAX_CLASSES];
	for (int k = 0; k < np; k++)
		th[k] = theta[k];
	for (int b = 0; b < B; b++) {
		for (int j = 0; j < c->n; j++)
			x[j] = tanh(inp[(size_t)b * c->n + j]);
		qml_mc_probs(K, c->depth, x, th, p, NULL, NULL, NULL);
		for (int k = 0; k < K; k++)
			out[(size_t)b * K + k] = (float)(c->scale * p[k]);
	}
}

static void m_backward(void *ctx, float *dinp, float *dtheta, const float *dout, const float *inp,
		       const float *theta, int B, struct qcq_rng *rng)
{
	(void)rng;
	const struct multi_ctx *c = ctx;
	int np = c->n * (c->depth + 1), K = c->nclasses;
	double th[QML_MC_MAX_QUBITS * (QML_QLAYER_MAX_DEPTH + 1)];
	double dth[QML_MC_MAX_QUBITS * (QML_QLAYER_MAX_DEPTH + 1)];
	double x[QML_MC_MAX_QUBITS], dx[QML_MC_MAX_QUBITS], g[QML_MC_MAX_CLASSES];
	double p[QML_MC_MAX_CLASSES];
	for (int k = 0; k < np; k++)
		th[k] = theta[k];
	for (int b = 0; b < B; b++) {
		for (int j = 0; j < c->n; j++)
			x[j] = tanh(inp[(size_t)b * c->n + j]);
		for (int k = 0; k < K; k++)
			g[k] = c->scale * dout[(size_t)b * K + k];
		qml_mc_probs(K, c->depth, x, th, p, g, dinp ? dx : NULL, dth);
		for (int k = 0; k < np; k++)
			dtheta[k] += (float)dth[k];
		if (dinp)
			for (int j = 0; j < c->n; j++)
				dinp[(size_t)b * c->n + j] += (float)(dx[j] * (1 - x[j] * x[j]));
	}
}

static void m_describe(void *ctx, char *buf, size_t n)
{
	const struct multi_ctx *c = ctx;
	snprintf(buf, n, "tanh, ZZFeatureMap(reps 2) + RealAmplitudes(reps %d), Born "
		 "probabilities of |0>..|%d> x %d, exact", c->depth, c->nclasses - 1, 1 << c->n);
}

static const struct nn_qlayer_ops multi_ops = {
	.name = "vqc-multiclass",
	.init = q_init,
	.forward = m_forward,
	.backward = m_backward,
	.describe = m_describe,
	.set_noise = NULL,
	.destroy = q_destroy,
};

enum qcq_status nn_qlayer_multi_create(struct nn_qlayer *q, const struct nn_model_desc *d,
				       struct qcq_error *err)
{
	int K = nn_desc_classes(d);
	if (K < 3 || K > QML_MC_MAX_CLASSES || d->depth < 1 || d->depth > QML_QLAYER_MAX_DEPTH)
		return qcq_error_set(err, QCQ_ERANGE, "the K-class classifier takes 3..%d classes and "
				     "depth 1..%d (got %d, %u)", QML_MC_MAX_CLASSES,
				     QML_QLAYER_MAX_DEPTH, K, d->depth);
	struct multi_ctx *c = qcq_xcalloc(1, sizeof *c);
	c->nclasses = K, c->depth = (int)d->depth, c->n = qml_mc_qubits(K);
	/* The outputs are 2^n p_k: 1 for every class under a uniform distribution, so the
	 * head Linear(K,K) sees inputs of order one, as the binary head sees <Z0> in [-1,1].
	 * Adam moves each weight by about lr per step whatever its gradient's size, so with
	 * raw probabilities (about 1/2^n each) the head needs 2^n times the steps to reach
	 * logits of the same size. */
	c->scale = (double)(1 << c->n);
	*q = (struct nn_qlayer){&multi_ops, c, c->n, K, (size_t)qml_mc_nparams(K, c->depth), c->n};
	return QCQ_OK;
}
