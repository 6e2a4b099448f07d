/*
 * nn/model.c: struct nn_model: memory, forward, loss, backward and optimiser steps.
 *
 * llm.c's layout: parameters, gradients and the two optimiser moments are one block
 * each, carved into per-layer pointers in layer order (weights then bias), so a
 * checkpoint is one write and Adam one loop. Activations (a copy of the input and
 * every layer's output for max_batch samples), their gradients, dropout masks and
 * conv scratch are allocated once at creation: a training step does not allocate.
 * Flatten is a view: its output and gradient alias its input's.
 *
 * The architectures themselves (which layers, which shapes) are planned in arch.c.
 */
#include "nn-internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sums n floats per sample over the layers into *total, with overflow checks. */
static bool add_size(size_t *total, size_t n, size_t per)
{
	size_t x;
	if (!qcq_mul_size(n, per, &x) || *total > SIZE_MAX - x)
		return false;
	*total += x;
	return true;
}

static void free_blocks(struct nn_model *m)
{
	qcq_aligned_free(m->params);
	qcq_aligned_free(m->grads);
	qcq_aligned_free(m->m1);
	qcq_aligned_free(m->m2);
	qcq_aligned_free(m->acts);
	qcq_aligned_free(m->dacts);
	qcq_aligned_free(m->masks);
	qcq_aligned_free(m->scratch);
	qcq_aligned_free(m->probs);
	qcq_aligned_free(m->labels);
	qcq_aligned_free(m->qtmp);
}

void nn_model_destroy(struct nn_model *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nl; i++) {
		if (m->L[i].kind == NN_L_QUANTUM && m->L[i].q.ops && m->L[i].q.ops->destroy)
			m->L[i].q.ops->destroy(m->L[i].q.ctx);
		if (m->L[i].kind == NN_L_QFILTER)
			nn_qfilter_free(&m->L[i]);
	}
	free_blocks(m);
	free(m);
}

/* Allocates every block and points the layers into them. */
static enum qcq_status carve(struct nn_model *m, struct qcq_error *err)
{
	size_t B = (size_t)m->max_batch, np = 0, nacts = 0, nmask = 0, nscratch = 0, qin = 0;
	size_t scr[NN_MAX_LAYERS] = { 0 };
	bool ok = add_size(&nacts, B, nn_model_in_floats(m));
	for (int i = 0; i < m->nl; i++) {
		struct nn_layer *l = &m->L[i];
		l->poff = np;
		ok = ok && add_size(&np, 1, l->nw + l->nb);
		if (l->kind != NN_L_FLATTEN)
			ok = ok && add_size(&nacts, B, nn_layer_out_size(l));
		if (l->kind == NN_L_DROPOUT)
			ok = ok && add_size(&nmask, B, nn_layer_out_size(l));
		if (l->kind == NN_L_QUANTUM)
			qin = (size_t)l->in_c;
		if (l->kind == NN_L_CONV) {
			struct nn_conv2d_dims cd;
			nn_conv2d_dims_init(&cd, m->max_batch, l->in_c, l->in_h, l->in_w, l->out_c,
					    l->k, l->stride, l->pad);
			/* its own: the forward's im2col stays there for the backward */
			scr[i] = nn_conv2d_scratch_floats(&cd);
			ok = ok && add_size(&nscratch, 1, scr[i]);
		}
	}
	if (!ok)
		return qcq_error_set(err, QCQ_ERANGE, "model of batch %d overflows the address space",
				     m->max_batch);
	size_t f = sizeof(float);
	m->nparams = np;
	m->nacts = nacts;
	if (!(m->params = qcq_alloc_checked(np, f, "parameters", err)) ||
	    !(m->grads = qcq_alloc_checked(np, f, "gradients", err)) ||
	    !(m->m1 = qcq_alloc_checked(np, f, "optimiser moments", err)) ||
	    !(m->m2 = qcq_alloc_checked(np, f, "optimiser moments", err)) ||
	    !(m->acts = qcq_alloc_checked(nacts, f, "activations", err)) ||
	    !(m->dacts = qcq_alloc_checked(nacts, f, "activation gradients", err)) ||
	    !(m->masks = qcq_alloc_checked(nmask ? nmask : 1, f, "dropout masks", err)) ||
	    !(m->scratch = qcq_alloc_checked(nscratch ? nscratch : 1, f, "conv scratch", err)) ||
	    !(m->probs = qcq_alloc_checked(B * (size_t)nn_desc_classes(&m->desc), f,
					   "probabilities", err)) ||
	    !(m->labels = qcq_alloc_checked(B, sizeof(int32_t), "labels", err)) ||
	    !(m->qtmp = qcq_alloc_checked(B * (qin ? qin : 1), f, "quantum staging", err)))
		return err ? err->code : QCQ_ENOMEM;
	m->bytes = (4 * np + 2 * nacts + nmask + nscratch + (1 + (size_t)nn_desc_classes(&m->desc)) * B +
		    B * qin) * f;

	m->input = m->acts, m->dinput = m->dacts;
	float *a = m->acts + B * nn_model_in_floats(m), *da = m->dacts + B * nn_model_in_floats(m);
	float *mask = m->masks, *prev = m->input, *dprev = m->dinput, *scratch = m->scratch;
	for (int i = 0; i < m->nl; i++) {
		struct nn_layer *l = &m->L[i];
		l->scratch = scr[i] ? scratch : NULL, scratch += scr[i];
		l->w = m->params + l->poff, l->b = l->w + l->nw;
		l->dw = m->grads + l->poff, l->db = l->dw + l->nw;
		if (l->kind == NN_L_FLATTEN) {
			l->out = prev, l->dout = dprev;
		} else {
			l->out = a, l->dout = da;
			a += B * nn_layer_out_size(l), da += B * nn_layer_out_size(l);
		}
		if (l->kind == NN_L_DROPOUT)
			l->mask = mask, mask += B * nn_layer_out_size(l);
		prev = l->out, dprev = l->dout;
	}
	return QCQ_OK;
}

/* Parameters: PyTorch's default init for classical layers, the quantum layer's own. */
static void init_params(struct nn_model *m, uint64_t seed)
{
	struct qcq_rng root, r;
	qcq_rng_seed_domain(&root, seed, "nn.model");
	r = qcq_rng_split(&root, 1);
	for (int i = 0; i < m->nl; i++) {
		struct nn_layer *l = &m->L[i];
		if (l->kind == NN_L_QUANTUM) {
			l->q.ops->init(l->q.ctx, l->w, l->nw, &r);
		} else if (l->kind == NN_L_HEAD) {
			nn_head_init(l->w, l->nw, &r);
		} else if (l->kind == NN_L_QFILTER) {
			nn_qfilter_init(l); /* the circuit's angles: no draw from r */
		} else if (l->nw) {
			size_t fan_in = nn_layer_in_size(l);
			if (l->kind == NN_L_CONV)
				fan_in = (size_t)l->in_c * l->k * l->k;
			float bound = 1.0f / sqrtf((float)fan_in);
			nn_init_uniform(l->w, l->nw, bound, &r);
			nn_init_uniform(l->b, l->nb, bound, &r);
		}
	}
	m->rng = qcq_rng_split(&root, 2);
	memset(m->grads, 0, m->nparams * sizeof(float));
	memset(m->m1, 0, m->nparams * sizeof(float));
	memset(m->m2, 0, m->nparams * sizeof(float));
	m->t = 0;
	m->last_B = 0, m->have_loss = false;
}

enum qcq_status nn_model_create(struct nn_model **out, const struct nn_model_desc *d,
				int max_batch, nn_qlayer_factory qfactory, struct qcq_error *err)
{
	return nn_model_create_filter(out, d, max_batch, qfactory, NULL, err);
}

enum qcq_status nn_model_create_filter(struct nn_model **out, const struct nn_model_desc *d,
				       int max_batch, nn_qlayer_factory qfactory,
				       const struct qml_filter *f, struct qcq_error *err)
{
	enum qcq_status st = nn_model_desc_check(d, err);
	if (st)
		return st;
	if (max_batch < 1 || max_batch > 65536)
		return qcq_error_set(err, QCQ_EINVAL, "max batch %d out of range 1..65536", max_batch);
	struct nn_model *m = qcq_xcalloc(1, sizeof *m);
	m->desc = *d;
	m->max_batch = max_batch;
	st = nn_arch_build(m, qfactory, err);
	if (st == QCQ_OK && m->L[0].kind == NN_L_QFILTER &&
	    (st = nn_qfilter_setup(&m->L[0], f, d, err)) == QCQ_OK)
		m->nparams_f = m->L[0].nw;
	if (st == QCQ_OK)
		st = carve(m, err);
	if (st) {
		nn_model_destroy(m);
		return st;
	}
	for (int i = 0; i < m->nl; i++)
		if (m->L[i].kind == NN_L_QUANTUM)
			m->nparams_q += m->L[i].nw;
	init_params(m, d->seed);
	nn_model_plan_kernels(m);
	*out = m;
	return QCQ_OK;
}

void nn_model_reset(struct nn_model *m, uint64_t seed)
{
	m->desc.seed = seed;
	init_params(m, seed);
}

/* ---------------------------------------------------------------- accessors */

const struct nn_model_desc *nn_model_get_desc(const struct nn_model *m) { return &m->desc; }
int nn_model_max_batch(const struct nn_model *m) { return m->max_batch; }
size_t nn_model_in_floats(const struct nn_model *m)
{
	return (size_t)m->desc.in_c * m->desc.in_h * m->desc.in_w;
}
size_t nn_model_nparams(const struct nn_model *m) { return m->nparams; }
size_t nn_model_nparams_quantum(const struct nn_model *m) { return m->nparams_q; }
size_t nn_model_nparams_filter(const struct nn_model *m) { return m->nparams_f; }
void nn_model_set_filter_lr(struct nn_model *m, float lr) { m->filter_lr = lr; }
float *nn_model_params(struct nn_model *m) { return m->params; }
float *nn_model_grads(struct nn_model *m) { return m->grads; }
float *nn_model_opt_m(struct nn_model *m) { return m->m1; }
float *nn_model_opt_v(struct nn_model *m) { return m->m2; }
long nn_model_opt_t(const struct nn_model *m) { return m->t; }
void nn_model_set_opt_t(struct nn_model *m, long t) { m->t = t; }
struct qcq_rng *nn_model_rng(struct nn_model *m) { return &m->rng; }
void nn_model_set_train(struct nn_model *m, bool train) { m->train = train; }
size_t nn_model_bytes(const struct nn_model *m) { return m->bytes; }

enum qcq_status nn_model_set_noise(struct nn_model *m, float p1, float p2, uint64_t shots,
				   struct qcq_error *err)
{
	struct nn_model_desc d = m->desc;
	d.p1 = p1, d.p2 = p2, d.shots = shots;
	enum qcq_status st = nn_model_desc_check(&d, err);
	if (st)
		return st;
	for (int i = 0; i < m->nl; i++) {
		struct nn_layer *l = &m->L[i];
		if (l->kind != NN_L_QUANTUM)
			continue;
		if (!l->q.ops->set_noise)
			return qcq_error_set(err, QCQ_EUNSUPPORTED,
					     "quantum layer %s cannot change its noise", l->q.ops->name);
		st = l->q.ops->set_noise(l->q.ctx, p1, p2, shots, d.seed ^ 0x5157u, err);
		if (st == QCQ_OK)
			m->desc = d;
		return st;
	}
	return qcq_error_set(err, QCQ_EUNSUPPORTED, "model %s has no quantum layer",
			     nn_arch_name(m->desc.arch));
}

/* ---------------------------------------------------------------- passes */

enum qcq_status nn_model_forward(struct nn_model *m, const float *x, int B, const float **logits,
				 struct qcq_error *err)
{
	if (B < 1 || B > m->max_batch)
		return qcq_error_set(err, QCQ_EINVAL, "batch %d out of range 1..%d", B, m->max_batch);
	memcpy(m->input, x, (size_t)B * nn_model_in_floats(m) * sizeof(float));
	const float *in = m->input;
	for (int i = 0; i < m->nl; i++) {
		struct nn_layer *l = &m->L[i];
		size_t n = (size_t)B * nn_layer_out_size(l);
		struct nn_conv2d_dims cd;
		switch (l->kind) {
		case NN_L_CONV:
			nn_conv2d_dims_init(&cd, B, l->in_c, l->in_h, l->in_w, l->out_c, l->k, l->stride,
					    l->pad);
			l->kept_col = nn_conv2d_forward_with(l->out, in, l->w, l->b, &cd, l->scratch,
							     NN_CONV_FWD_PLANNED, &nn_gemm_planned);
			break;
		case NN_L_RELU:
			nn_relu_forward(l->out, in, n);
			break;
		case NN_L_POOL:
			nn_maxpool_forward(l->out, in, B, l->in_c, l->in_h, l->in_w, l->k);
			break;
		case NN_L_DROPOUT:
			nn_dropout_forward(l->out, l->mask, in, n, l->group, l->p, m->train, &m->rng);
			break;
		case NN_L_AVGPOOL:
			nn_avgpool_forward(l->out, in, B, l->in_c, l->in_h, l->in_w, l->kh, l->kw);
			break;
		case NN_L_FLATTEN:
			break;
		case NN_L_DENSE:
			nn_dense_forward(l->out, in, l->w, l->b, B, (int)nn_layer_in_size(l), l->out_c);
			break;
		case NN_L_QUANTUM:
			l->q.ops->forward(l->q.ctx, l->out, in, l->w, B, &m->rng);
			break;
		case NN_L_RFILTER:
			nn_rfilter_forward(l->out, in, l->fw, l->fb, B, l->in_h, l->in_w);
			break;
		case NN_L_HEAD:
			nn_head_forward(l->out, in, l->w, l->nw, B);
			break;
		case NN_L_QFILTER:
			nn_qfilter_forward(l, in, B);
			break;
		}
		in = l->out;
	}
	m->last_B = B;
	m->have_loss = false;
	if (logits)
		*logits = in;
	return QCQ_OK;
}

/* Labels in [0, K): the binary message as it always was, the K-class one with K. */
static enum qcq_status check_labels(const struct nn_model *m, const int32_t *labels, int B,
				    struct qcq_error *err)
{
	int K = nn_desc_classes(&m->desc);
	for (int n = 0; n < B; n++) {
		if (labels[n] >= 0 && labels[n] < K)
			continue;
		if (K == 2)
			return qcq_error_set(err, QCQ_EINVAL, "label %d of sample %d is not 0 or 1",
					     (int)labels[n], n);
		return qcq_error_set(err, QCQ_EINVAL, "label %d of sample %d is not in [0, %d)",
				     (int)labels[n], n, K);
	}
	return QCQ_OK;
}

enum qcq_status nn_model_loss(struct nn_model *m, const int32_t *labels, int B, float *loss,
			      const float **probs, struct qcq_error *err)
{
	enum qcq_status st;
	if (m->last_B == 0)
		return qcq_error_set(err, QCQ_ESTATE, "loss before any forward pass");
	if (B != m->last_B)
		return qcq_error_set(err, QCQ_EINVAL, "loss over %d labels after a forward of batch %d",
				     B, m->last_B);
	if ((st = check_labels(m, labels, B, err)))
		return st;
	const float *logits = m->L[m->nl - 1].out;
	float l = nn_softmax_ce_forward(m->probs, logits, labels, B, nn_desc_classes(&m->desc));
	if (!isfinite(l))
		return qcq_error_set(err, QCQ_ENUMERIC, "loss is %s (logits %g, %g of sample 0)",
				     isnan(l) ? "nan" : "inf", (double)logits[0], (double)logits[1]);
	memcpy(m->labels, labels, (size_t)B * sizeof(int32_t));
	m->have_loss = true;
	if (loss)
		*loss = l;
	if (probs)
		*probs = m->probs;
	return QCQ_OK;
}

void nn_model_zero_grad(struct nn_model *m)
{
	memset(m->grads, 0, m->nparams * sizeof(float));
}

/* Layers whose backward writes their input's gradient (nn-internal.h) rather than
 * adding to it: that gradient is not cleared before the pass. */
static bool writes_din(const struct nn_layer *l)
{
	return l->need_dinp && (l->kind == NN_L_RELU || (l->kind == NN_L_POOL && l->k == 2));
}

/* The backward of one layer: din is the gradient of its input (NULL when unused). */
static void layer_backward(struct nn_model *m, struct nn_layer *l, const float *in, float *din,
			   int B)
{
	size_t n = (size_t)B * nn_layer_out_size(l);
	struct nn_conv2d_dims cd;
	switch (l->kind) {
	case NN_L_CONV:
		nn_conv2d_dims_init(&cd, B, l->in_c, l->in_h, l->in_w, l->out_c, l->k, l->stride,
				    l->pad);
		/* the last forward may have left its im2col of this batch in the layer's
		 * scratch */
		nn_conv2d_backward_with(din, l->dw, l->db, l->dout, in, l->w, &cd, l->scratch,
					l->kept_col, &nn_gemm_planned);
		break;
	case NN_L_RELU:
		if (din)
			nn_relu_backward_write(din, l->dout, l->out, n);
		break;
	case NN_L_POOL:
		if (din && writes_din(l))
			nn_maxpool2_backward_write(din, l->dout, in, B, l->in_c, l->in_h, l->in_w);
		else if (din)
			nn_maxpool_backward(din, l->dout, in, B, l->in_c, l->in_h, l->in_w, l->k);
		break;
	case NN_L_DROPOUT:
		if (din)
			nn_dropout_backward(din, l->dout, l->mask, n);
		break;
	case NN_L_AVGPOOL:
		if (din)
			nn_avgpool_backward(din, l->dout, B, l->in_c, l->in_h, l->in_w, l->kh, l->kw);
		break;
	case NN_L_FLATTEN:
		break;
	case NN_L_DENSE:
		nn_dense_backward(din, l->dw, l->db, l->dout, in, l->w, B, (int)nn_layer_in_size(l),
				  l->out_c);
		break;
	case NN_L_QUANTUM:
		l->q.ops->backward(l->q.ctx, din, l->dw, l->dout, in, l->w, B, &m->rng);
		break;
	case NN_L_RFILTER:
		assert(!din); /* always the first layer, and fixed */
		break;
	case NN_L_HEAD:
		nn_head_backward(din, l->dw, l->dout, in, l->w, l->nw, B);
		break;
	case NN_L_QFILTER:
		assert(!din); /* always layer 0 */
		nn_qfilter_backward(l, in, B);
		break;
	}
}

enum qcq_status nn_model_backward(struct nn_model *m, struct qcq_error *err)
{
	if (!m->have_loss)
		return qcq_error_set(err, QCQ_ESTATE, "backward without a loss of the last forward");
	int B = m->last_B;
	/* Activation gradients accumulate: clear what this batch uses, except where the
	 * consumer (the next layer past flattens) writes it whole (the input's gradient
	 * is never needed: the first layer has no dinp). */
	for (int i = 0; i < m->nl; i++) {
		int j = i + 1;
		while (j < m->nl && m->L[j].kind == NN_L_FLATTEN)
			j++;
		if (m->L[i].kind != NN_L_FLATTEN && !(j < m->nl && writes_din(&m->L[j])))
			memset(m->L[i].dout, 0, (size_t)B * nn_layer_out_size(&m->L[i]) * sizeof(float));
	}
	struct nn_layer *last = &m->L[m->nl - 1];
	nn_softmax_ce_backward(last->dout, m->probs, m->labels, B, nn_desc_classes(&m->desc), 1.0f);
	for (int i = m->nl - 1; i >= 0; i--) {
		struct nn_layer *l = &m->L[i];
		const float *in = i ? m->L[i - 1].out : m->input;
		float *din = l->need_dinp ? (i ? m->L[i - 1].dout : m->dinput) : NULL;
		/* ReLU then 2x2 max-pool (every CNN stage here): one pass into the
		 * ReLU's input gradient; the ReLU's own output gradient is not formed */
		if (i >= 2 && writes_din(l) && l->kind == NN_L_POOL &&
		    m->L[i - 1].kind == NN_L_RELU && writes_din(&m->L[i - 1])) {
			nn_relu_maxpool2_backward_write(m->L[i - 2].dout, l->dout, in, B, l->in_c,
							l->in_h, l->in_w);
			i--;
			continue;
		}
		layer_backward(m, l, in, din, B);
	}
	return QCQ_OK;
}

/* Frozen layers: zero their gradients before an update, so that Adam's moments stay
 * 0 and the step moves them by exactly 0 (SGD likewise); backward still runs through
 * them to the layers before. */
static void zero_frozen_grads(struct nn_model *m)
{
	for (int i = 0; m->desc.frozen && i < m->nl; i++)
		if (m->desc.frozen >> i & 1u) {
			struct nn_layer *l = &m->L[i];
			if (l->dw)
				memset(l->dw, 0, l->nw * sizeof(float));
			if (l->db)
				memset(l->db, 0, l->nb * sizeof(float));
		}
}

/* The filter's angles are the first nf parameters; with their own rate they take a
 * step of their own (both optimisers are element-wise, so the split changes nothing
 * else). */
static size_t filter_split(const struct nn_model *m)
{
	return m->filter_lr > 0 ? m->nparams_f : 0;
}

void nn_model_adam_step(struct nn_model *m, const struct nn_adam *o)
{
	zero_frozen_grads(m);
	m->t++;
	size_t nf = filter_split(m);
	if (nf) {
		struct nn_adam of = *o;
		of.lr = m->filter_lr;
		nn_adam_step(m->params, m->grads, m->m1, m->m2, nf, &of, m->t);
	}
	nn_adam_step(m->params + nf, m->grads + nf, m->m1 + nf, m->m2 + nf, m->nparams - nf, o,
		     m->t);
}

void nn_model_sgd_step(struct nn_model *m, float lr, float momentum)
{
	zero_frozen_grads(m);
	m->t++;
	size_t nf = filter_split(m);
	if (nf)
		nn_sgd_step(m->params, m->grads, m->m1, nf, m->filter_lr, momentum, m->t);
	nn_sgd_step(m->params + nf, m->grads + nf, m->m1 + nf, m->nparams - nf, lr, momentum,
		    m->t);
}

enum qcq_status nn_model_train_step(struct nn_model *m, const float *x, const int32_t *labels,
				    int B, const struct nn_adam *o, float *loss,
				    struct qcq_error *err)
{
	if (B < 1 || B > m->max_batch)
		return qcq_error_set(err, QCQ_EINVAL, "batch %d out of range 1..%d", B, m->max_batch);
	enum qcq_status st = check_labels(m, labels, B, err);
	if (st)
		return st;
	bool was = m->train;
	struct qcq_rng saved = m->rng;
	m->train = true;
	st = nn_model_forward(m, x, B, NULL, err);
	m->train = was;
	if (st == QCQ_OK)
		st = nn_model_loss(m, labels, B, loss, NULL, err);
	if (st) {
		m->rng = saved; /* a failed step leaves the dropout stream as it was */
		return st;
	}
	nn_model_zero_grad(m);
	nn_model_backward(m, NULL);
	nn_model_adam_step(m, o);
	return QCQ_OK;
}
