/*
 * nn/arch.c: the paper's architectures as layer lists: names, descriptor defaults
 * and checks, the shape plan of each model, and the text summary.
 *
 * What the models are (the paper's code, arXiv 2025 QCQ-CNN, and the issue):
 *   mlp        flatten + Linear(C H W, 2) on the image (as the PennyLane
 *              quanvolution demo's Keras model: no hidden layer)
 *   quanv-mlp  the same on quanvolved features (4,14,14)
 *   cnn        Conv2d(C,c1,3) ReLU MaxPool2d(2) Conv2d(c1,c2,3) ReLU MaxPool2d(2)
 *              [Dropout2d(p)] flatten Linear(.,2); no padding, stride 1, as in the
 *              paper's PyTorch Net (whose channels are 8/16: set conv1=8 conv2=16)
 *   qccnn      the same CNN on quanvolved features
 *   qcq-cnn    the CNN to Linear(.,2), then the quantum classifier (2 -> 1), then
 *              the head Linear(1,2)
 *   qcnn       AvgPool to 2x4 (8 values in [0,1]) -> qml's 8-qubit QCNN (63 angles,
 *              <Z7>) -> Linear(1,2)
 * and the ablation controls (nn.h), each the model above with one quantum part removed:
 *   rf-qccnn, rf-qcq-cnn   the image -> fixed random Conv2d(1,4,2,stride 2) + cos
 *                          (controls.c) -> qccnn's / qcq-cnn's layers
 *   qcq-cnn-noent          qcq-cnn with the classifier without entangling gates
 *   qcq-cnn-chead          qcq-cnn with the classical head (controls.c) in its place
 *   cnn-pm                 cnn with conv2 chosen to match qcq-cnn's parameter count
 * With K > 2 classes (desc.nclasses) every final Linear(.,2) is Linear(.,K), and the
 * classifier slot becomes dense to n = ceil(log2 K) -> tanh -> qml's K-class classifier
 * (K Born probabilities, times 2^n: qlayer.c) -> Linear(K,K).
 * This file only plans shapes; memory and the passes are in model.c.
 */
#include "nn-internal.h"
#include "qcq/qml.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

_Static_assert(NN_MAX_CLASSES == QML_MC_MAX_CLASSES, "the K-class classifier's limit differs");

static const char *kind_name(enum nn_kind k);
static enum qcq_status plan(const struct nn_model_desc *d, struct nn_layer *L, int *nl,
			    struct qcq_error *err);
static enum qcq_status matched_conv2(const struct nn_model_desc *d, int *c2,
				     struct qcq_error *err);

static const char *const arch_names[NN_ARCH_COUNT] = {
	"mlp", "quanv-mlp", "cnn", "qccnn", "qcq-cnn", "qcnn",
	"rf-qccnn", "rf-qcq-cnn", "qcq-cnn-noent", "qcq-cnn-chead", "cnn-pm",
};

const char *nn_arch_name(enum nn_arch arch)
{
	return (unsigned)arch < NN_ARCH_COUNT ? arch_names[arch] : "?";
}

enum qcq_status nn_arch_from_name(const char *name, enum nn_arch *arch, struct qcq_error *err)
{
	for (int i = 0; i < NN_ARCH_COUNT; i++)
		if (name && strcmp(name, arch_names[i]) == 0) {
			*arch = (enum nn_arch)i;
			return QCQ_OK;
		}
	char list[256] = "";
	size_t len = 0;
	for (int i = 0; i < NN_ARCH_COUNT && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
					arch_names[i]);
	return qcq_error_set(err, QCQ_EINVAL, "unknown model '%s' (%s)", name ? name : "", list);
}

bool nn_arch_takes_features(enum nn_arch arch)
{
	return arch == NN_ARCH_QUANV_MLP || arch == NN_ARCH_QCCNN || arch == NN_ARCH_QCQ_CNN ||
	       arch == NN_ARCH_QCQ_CNN_NOENT || arch == NN_ARCH_QCQ_CNN_CHEAD;
}

/* The models that end in qcq-cnn's classifier slot (2 -> 1, then Linear(1,2)). */
static bool has_classifier(uint32_t arch)
{
	return arch == NN_ARCH_QCQ_CNN || arch == NN_ARCH_RF_QCQ_CNN ||
	       arch == NN_ARCH_QCQ_CNN_NOENT || arch == NN_ARCH_QCQ_CNN_CHEAD;
}

void nn_model_desc_default(struct nn_model_desc *d, enum nn_arch arch)
{
	memset(d, 0, sizeof *d);
	d->arch = arch;
	bool quanv = nn_arch_takes_features(arch);
	d->in_c = quanv ? 4 : 1;
	d->in_h = d->in_w = quanv ? 14 : 28;
	d->conv1 = 16, d->conv2 = 32;
	d->depth = NN_DEFAULT_DEPTH;
	d->observable = NN_OBS_Z0;
	d->seed = 1;
	d->filter = NN_FILTER_FIXED;
	d->filter_k = d->filter_stride = 2;
	d->nclasses = 2;
}

static bool is_cnn(uint32_t arch)
{
	return arch != NN_ARCH_MLP && arch != NN_ARCH_QUANV_MLP && arch != NN_ARCH_QCNN;
}

/* Appends a layer with input shape = the previous output (or the model input). */
static struct nn_layer *push(struct nn_layer *L, int *nl, enum nn_kind kind,
			     const struct nn_model_desc *d)
{
	struct nn_layer *l = &L[*nl];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	if (*nl == 0)
		l->in_c = (int)d->in_c, l->in_h = (int)d->in_h, l->in_w = (int)d->in_w;
	else
		l->in_c = L[*nl - 1].out_c, l->in_h = L[*nl - 1].out_h, l->in_w = L[*nl - 1].out_w;
	l->out_c = l->in_c, l->out_h = l->in_h, l->out_w = l->in_w;
	(*nl)++;
	return l;
}

static void push_dense(struct nn_layer *L, int *nl, const struct nn_model_desc *d, int out)
{
	struct nn_layer *l = push(L, nl, NN_L_DENSE, d);
	int in = l->in_c * l->in_h * l->in_w;
	l->out_c = out, l->out_h = l->out_w = 1;
	l->nw = (size_t)out * in, l->nb = (size_t)out;
}

/* conv 3x3 valid, ReLU, pool 2; false if the map vanishes. */
static bool push_conv_block(struct nn_layer *L, int *nl, const struct nn_model_desc *d, int oc)
{
	struct nn_layer *l = push(L, nl, NN_L_CONV, d);
	struct nn_conv2d_dims cd;
	l->k = 3, l->stride = 1, l->pad = 0;
	if (!nn_conv2d_dims_init(&cd, 1, l->in_c, l->in_h, l->in_w, oc, 3, 1, 0))
		return false;
	l->out_c = oc, l->out_h = cd.OH, l->out_w = cd.OW;
	l->nw = (size_t)oc * l->in_c * 9, l->nb = (size_t)oc;
	push(L, nl, NN_L_RELU, d);
	l = push(L, nl, NN_L_POOL, d);
	l->k = 2, l->stride = 2;
	l->out_h = l->in_h / 2, l->out_w = l->in_w / 2;
	return l->out_h >= 1 && l->out_w >= 1;
}

/*
 * The shape plan of d into L (no quantum layer object yet: its slot gets its
 * input width, out 1 and its number of angles).
 */
static enum qcq_status plan(const struct nn_model_desc *d, struct nn_layer *L, int *nl,
			    struct qcq_error *err)
{
	*nl = 0;
	int K = nn_desc_classes(d);
	if (d->arch == NN_ARCH_QCNN) {
		if (d->in_c != 1 || d->in_h < 2 || d->in_w < 4)
			return qcq_error_set(err, QCQ_EINVAL,
					     "qcnn needs a 1-channel image of at least 2x4 (got (%u,%u,%u))",
					     d->in_c, d->in_h, d->in_w);
		if (d->p1 > 0.0f || d->p2 > 0.0f || d->shots > 0)
			return qcq_error_set(err, QCQ_EUNSUPPORTED,
					     "qcnn is simulated exactly: noise and shots are not supported");
		struct nn_layer *l = push(L, nl, NN_L_AVGPOOL, d);
		l->kh = l->in_h / 2, l->kw = l->in_w / 4;
		l->out_h = 2, l->out_w = 4;
		struct nn_layer *f = push(L, nl, NN_L_FLATTEN, d);
		f->out_c = 8, f->out_h = f->out_w = 1;
		struct nn_layer *q = push(L, nl, NN_L_QUANTUM, d);
		q->out_c = 1;
		q->nw = 63;
		push_dense(L, nl, d, K);
		return QCQ_OK;
	}
	if (d->filter == NN_FILTER_TRAINABLE) { /* angles counted at build: nw = 0 here */
		struct nn_layer *l = push(L, nl, NN_L_QFILTER, d);
		l->k = (int)d->filter_k, l->stride = (int)d->filter_stride;
		l->out_c = l->k * l->k;
		l->out_h = (l->in_h - l->k) / l->stride + 1;
		l->out_w = (l->in_w - l->k) / l->stride + 1;
	}
	if (d->arch == NN_ARCH_MLP || d->arch == NN_ARCH_QUANV_MLP) {
		struct nn_layer *fl = push(L, nl, NN_L_FLATTEN, d);
		fl->out_c = fl->in_c * fl->in_h * fl->in_w, fl->out_h = fl->out_w = 1;
		if (d->dropout > 0.0f) {
			struct nn_layer *l = push(L, nl, NN_L_DROPOUT, d);
			l->p = d->dropout, l->group = 1;
		}
		push_dense(L, nl, d, K);
		return QCQ_OK;
	}
	int c2 = (int)d->conv2;
	if (d->arch == NN_ARCH_RF_QCCNN || d->arch == NN_ARCH_RF_QCQ_CNN) {
		if (d->in_c != 1)
			return qcq_error_set(err, QCQ_EINVAL,
					     "%s: the random filter takes a 1-channel image (got %u channels)",
					     nn_arch_name(d->arch), d->in_c);
		struct nn_layer *l = push(L, nl, NN_L_RFILTER, d);
		l->out_c = 4, l->out_h = l->in_h / 2, l->out_w = l->in_w / 2;
		nn_rfilter_init(l->fw, l->fb);
	} else if (d->arch == NN_ARCH_CNN_PM) {
		enum qcq_status st = matched_conv2(d, &c2, err);
		if (st)
			return st;
	}
	if (!push_conv_block(L, nl, d, (int)d->conv1) || !push_conv_block(L, nl, d, c2))
		return qcq_error_set(err, QCQ_EINVAL,
				     "input %ux%u is too small for two conv 3x3 + pool 2 blocks (need >= 10x10%s)",
				     d->in_h, d->in_w, L[0].kind == NN_L_RFILTER ? " after the 2x2 filter" : "");
	if (d->dropout > 0.0f) {
		struct nn_layer *l = push(L, nl, NN_L_DROPOUT, d);
		l->p = d->dropout, l->group = (size_t)l->in_h * l->in_w;
	}
	struct nn_layer *f = push(L, nl, NN_L_FLATTEN, d);
	f->out_c = f->in_c * f->in_h * f->in_w, f->out_h = f->out_w = 1;
	if (!has_classifier(d->arch)) {
		push_dense(L, nl, d, K);
		return QCQ_OK;
	}
	/* binary: dense 2 -> classifier -> <Z0> -> Linear(1,2); K classes: dense n ->
	 * K-class classifier (n = ceil(log2 K) qubits) -> K probabilities -> Linear(K,K) */
	bool head = d->arch == NN_ARCH_QCQ_CNN_CHEAD;
	int nq = K == 2 ? 2 : qml_mc_qubits(K);
	push_dense(L, nl, d, nq);
	struct nn_layer *q = push(L, nl, head ? NN_L_HEAD : NN_L_QUANTUM, d);
	q->out_c = K == 2 ? 1 : K;
	q->nw = (size_t)nq * (d->depth + 1);
	push_dense(L, nl, d, K);
	return QCQ_OK;
}

/* Parameters of a planned list. */
static size_t plan_params(const struct nn_layer *L, int nl)
{
	size_t n = 0;
	for (int i = 0; i < nl; i++)
		n += L[i].nw + L[i].nb;
	return n;
}

/*
 * cnn-pm's conv2: the width whose cnn (conv1 kept) has the parameter count closest to
 * qcq-cnn's with d's widths and depth on the quanvolved (4, H/2, W/2) input (ties: the
 * narrower). The count is linear in conv2, so two plans give the slope.
 */
static enum qcq_status matched_conv2(const struct nn_model_desc *d, int *c2,
				     struct qcq_error *err)
{
	struct nn_layer L[NN_MAX_LAYERS];
	int nl;
	struct nn_model_desc q = *d, c = *d;
	q.arch = NN_ARCH_QCQ_CNN, q.in_c = 4, q.in_h = d->in_h / 2, q.in_w = d->in_w / 2;
	c.arch = NN_ARCH_CNN;
	if (d->in_c != 1 || plan(&q, L, &nl, NULL) != QCQ_OK)
		return qcq_error_set(err, QCQ_EINVAL,
				     "cnn-pm: matches qcq-cnn on the quanvolved image, so it needs a "
				     "1-channel image of at least 20x20 (got (%u,%u,%u))",
				     d->in_c, d->in_h, d->in_w);
	double target = (double)plan_params(L, nl);
	c.conv2 = 1;
	if (plan(&c, L, &nl, err) != QCQ_OK)
		return err ? err->code : QCQ_EINVAL;
	double at1 = (double)plan_params(L, nl);
	c.conv2 = 2;
	plan(&c, L, &nl, NULL);
	double slope = (double)plan_params(L, nl) - at1;
	double k = 1 + (target - at1) / slope, lo = floor(k);
	long best = target - (at1 + (lo - 1) * slope) <= (at1 + lo * slope) - target ? (long)lo
										   : (long)lo + 1;
	*c2 = (int)(best < 1 ? 1 : best > 1024 ? 1024 : best);
	return QCQ_OK;
}

enum qcq_status nn_model_desc_check(const struct nn_model_desc *d, struct qcq_error *err)
{
	if (d->arch >= NN_ARCH_COUNT)
		return qcq_error_set(err, QCQ_EINVAL, "unknown architecture %u", d->arch);
	if (d->in_c < 1 || d->in_c > 4096 || d->in_h < 1 || d->in_h > 4096 || d->in_w < 1 ||
	    d->in_w > 4096)
		return qcq_error_set(err, QCQ_EINVAL, "input shape (%u,%u,%u) out of range 1..4096",
				     d->in_c, d->in_h, d->in_w);
	if (is_cnn(d->arch) &&
	    (d->conv1 < 1 || d->conv1 > 1024 || d->conv2 < 1 || d->conv2 > 1024))
		return qcq_error_set(err, QCQ_EINVAL, "conv channels %u/%u out of range 1..1024",
				     d->conv1, d->conv2);
	if (d->depth < 1 || d->depth > 8)
		return qcq_error_set(err, QCQ_EINVAL, "depth %u out of range 1..8", d->depth);
	if (d->observable > NN_OBS_ZZ)
		return qcq_error_set(err, QCQ_EINVAL, "unknown observable %u (0 = z0, 1 = zz)",
				     d->observable);
	if (!(d->dropout >= 0.0f && d->dropout < 1.0f))
		return qcq_error_set(err, QCQ_EINVAL, "dropout %g out of range [0,1)",
				     (double)d->dropout);
	if (!(d->p1 >= 0.0f && d->p1 <= 4.0f / 3.0f) || !(d->p2 >= 0.0f && d->p2 <= 16.0f / 15.0f))
		return qcq_error_set(err, QCQ_EINVAL,
				     "noise p1 %g, p2 %g out of range (p1 in [0,4/3], p2 in [0,16/15])",
				     (double)d->p1, (double)d->p2);
	if (d->shots > 100000000u)
		return qcq_error_set(err, QCQ_EINVAL, "shots %llu over the limit 100000000",
				     (unsigned long long)d->shots);
	if (d->arch == NN_ARCH_QCQ_CNN_NOENT && (d->p1 > 0.0f || d->p2 > 0.0f || d->shots > 0))
		return qcq_error_set(err, QCQ_EUNSUPPORTED,
				     "qcq-cnn-noent is simulated exactly: noise and shots are not supported");
	if (d->nclasses == 1 || d->nclasses > NN_MAX_CLASSES)
		return qcq_error_set(err, QCQ_EINVAL, "%u classes out of range 2..%d", d->nclasses,
				     NN_MAX_CLASSES);
	if (nn_desc_classes(d) > 2) {
		if (d->arch == NN_ARCH_QCNN || d->arch == NN_ARCH_QCQ_CNN_NOENT ||
		    d->arch == NN_ARCH_QCQ_CNN_CHEAD)
			return qcq_error_set(err, QCQ_EUNSUPPORTED,
					     "%s is binary only (%u classes asked); with more than 2 "
					     "classes: mlp, quanv-mlp, cnn, qccnn, qcq-cnn, rf-qccnn, "
					     "rf-qcq-cnn, cnn-pm",
					     nn_arch_name((enum nn_arch)d->arch), d->nclasses);
		if (has_classifier(d->arch) && (d->p1 > 0.0f || d->p2 > 0.0f || d->shots > 0))
			return qcq_error_set(err, QCQ_EUNSUPPORTED,
					     "the %u-class quantum classifier is simulated exactly: noise "
					     "and shots are binary only", d->nclasses);
		if (has_classifier(d->arch) && d->observable != NN_OBS_Z0)
			return qcq_error_set(err, QCQ_EUNSUPPORTED,
					     "observable zz is the binary readout; the %u-class quantum "
					     "classifier reads Born probabilities (use observable z0)",
					     d->nclasses);
	}
	if (d->filter > NN_FILTER_TRAINABLE)
		return qcq_error_set(err, QCQ_EINVAL, "unknown filter mode %u (0 = fixed, 1 = trainable)",
				     d->filter);
	if (d->filter == NN_FILTER_TRAINABLE) {
		if (d->arch != NN_ARCH_QUANV_MLP && d->arch != NN_ARCH_QCCNN &&
		    d->arch != NN_ARCH_QCQ_CNN)
			return qcq_error_set(err, QCQ_EINVAL,
					     "model %s has no quanvolution filter to train (quanv-mlp, "
					     "qccnn and qcq-cnn have one)",
					     nn_arch_name((enum nn_arch)d->arch));
		if (d->filter_k < 1 || d->filter_k > 2 || d->filter_stride < 1 ||
		    d->filter_stride > 64)
			return qcq_error_set(err, QCQ_EINVAL,
					     "trainable filter %ux%u stride %u out of range (patch 1..2, "
					     "stride 1..64)",
					     d->filter_k, d->filter_k, d->filter_stride);
		if (d->in_c != 1 || d->in_h < d->filter_k || d->in_w < d->filter_k)
			return qcq_error_set(err, QCQ_EINVAL,
					     "a trainable filter reads a 1-channel image of at least %ux%u "
					     "(got (%u,%u,%u))",
					     d->filter_k, d->filter_k, d->in_c, d->in_h, d->in_w);
	}
	/* sizes are now small enough that the plan cannot overflow an int */
	struct nn_layer L[NN_MAX_LAYERS];
	int nl;
	enum qcq_status st = plan(d, L, &nl, err);
	if (st)
		return st;
	for (int k = 0; k < 32; k++) {
		if (!(d->frozen >> k & 1u))
			continue;
		if (k >= nl)
			return qcq_error_set(err, QCQ_EINVAL,
					     "freeze: no layer %d (%s has layers 0..%d)", k,
					     nn_arch_name(d->arch), nl - 1);
		if (L[k].nw + L[k].nb == 0 && L[k].kind != NN_L_QFILTER)
			return qcq_error_set(err, QCQ_EINVAL,
					     "freeze: layer %d (%s) has no parameters", k,
					     kind_name(L[k].kind));
	}
	return QCQ_OK;
}

enum qcq_status nn_arch_build(struct nn_model *m, nn_qlayer_factory qf, struct qcq_error *err)
{
	enum qcq_status st = plan(&m->desc, m->L, &m->nl, err);
	if (st)
		return st;
	bool seen_params = false;
	for (int i = 0; i < m->nl; i++) {
		struct nn_layer *l = &m->L[i];
		l->need_dinp = seen_params;
		seen_params |= l->nw + l->nb > 0 || l->kind == NN_L_QFILTER;
		if (l->kind != NN_L_QUANTUM)
			continue;
		size_t want = l->nw;
		nn_qlayer_factory def = m->desc.arch == NN_ARCH_QCNN ? nn_qlayer_qcnn_create
				      : m->desc.arch == NN_ARCH_QCQ_CNN_NOENT ? nn_qlayer_product_create
				      : nn_desc_classes(&m->desc) > 2 ? nn_qlayer_multi_create
								       : nn_qlayer_qml_create;
		st = (qf ? qf : def)(&l->q, &m->desc, err);
		if (st)
			return qcq_error_prefix(err, "quantum layer");
		if (l->q.in != l->in_c || l->q.out != l->out_c || l->q.nparams != want) {
			if (l->q.ops->destroy)
				l->q.ops->destroy(l->q.ctx);
			l->q.ops = NULL;
			return qcq_error_set(err, QCQ_EINVAL,
					     "quantum layer maps %d -> %d with %zu angles, model needs %d -> %d with %zu",
					     l->q.in, l->q.out, l->q.nparams, l->in_c, l->out_c, want);
		}
	}
	return QCQ_OK;
}

/* ---------------------------------------------------------------- summary */

static const char *kind_name(enum nn_kind k)
{
	/* by kind, so the table cannot drift from the enum's order */
	static const char *const names[] = {
		[NN_L_CONV] = "conv2d",   [NN_L_RELU] = "relu",       [NN_L_POOL] = "maxpool",
		[NN_L_DROPOUT] = "dropout", [NN_L_FLATTEN] = "flatten", [NN_L_DENSE] = "dense",
		[NN_L_QUANTUM] = "quantum", [NN_L_AVGPOOL] = "avgpool", [NN_L_RFILTER] = "rfilter",
		[NN_L_HEAD] = "head",       [NN_L_QFILTER] = "qfilter",
	};
	return names[k];
}

int nn_model_nlayers(const struct nn_model *m)
{
	return m->nl;
}

void nn_model_layer_info(const struct nn_model *m, int i, struct nn_layer_info *info)
{
	const struct nn_layer *l = &m->L[i];
	info->kind = kind_name(l->kind);
	info->out_c = l->out_c, info->out_h = l->out_h, info->out_w = l->out_w;
	info->nparams = l->nw + l->nb;
	info->quantum = l->kind == NN_L_QUANTUM || l->kind == NN_L_QFILTER;
}

/* snprintf into buf at *len, tracking the length needed even past n. */
QCQ_PRINTF(4, 5)
static void put(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(*len < n ? buf + *len : NULL, *len < n ? n - *len : 0, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len += (size_t)k;
}

size_t nn_model_summary(const struct nn_model *m, char *buf, size_t n)
{
	const struct nn_model_desc *d = &m->desc;
	size_t len = 0;
	if (n)
		buf[0] = 0;
	put(buf, n, &len, "model %s, input (%u,%u,%u), max batch %d\n", nn_arch_name(d->arch),
	    d->in_c, d->in_h, d->in_w, m->max_batch);
	put(buf, n, &len, "%3s  %-14s %-14s %10s\n", "#", "layer", "output", "params");
	for (int i = 0; i < m->nl; i++) {
		const struct nn_layer *l = &m->L[i];
		char what[32], shape[32], extra[160] = "";
		switch (l->kind) {
		case NN_L_CONV:
			snprintf(what, sizeof what, "conv2d %dx%d", l->k, l->k);
			break;
		case NN_L_POOL:
			snprintf(what, sizeof what, "maxpool %d", l->k);
			break;
		case NN_L_AVGPOOL:
			snprintf(what, sizeof what, "avgpool %dx%d", l->kh, l->kw);
			break;
		case NN_L_RFILTER:
			snprintf(what, sizeof what, "rfilter 2x2/2");
			snprintf(extra, sizeof extra, "  fixed random conv + cos (not trained)");
			break;
		case NN_L_HEAD:
			snprintf(what, sizeof what, "head");
			snprintf(extra, sizeof extra, "  classical: %zu tanh unit%s%s", l->nw / 4,
				 l->nw / 4 == 1 ? "" : "s", l->nw % 4 ? " + direct term" : "");
			break;
		case NN_L_DROPOUT:
			snprintf(what, sizeof what, "dropout%s %.2g", l->group > 1 ? "2d" : "",
				 (double)l->p);
			break;
		case NN_L_QFILTER:
			snprintf(what, sizeof what, "qfilter %dx%d/%d", l->k, l->k, l->stride);
			snprintf(extra, sizeof extra, "  %d qubits: trainable quanvolution filter",
				 l->out_c);
			break;
		default:
			snprintf(what, sizeof what, "%s", kind_name(l->kind));
		}
		if (l->out_h == 1 && l->out_w == 1)
			snprintf(shape, sizeof shape, "(%d)", l->out_c);
		else
			snprintf(shape, sizeof shape, "(%d,%d,%d)", l->out_c, l->out_h, l->out_w);
		if (l->kind == NN_L_QUANTUM && l->q.ops && l->q.ops->describe) {
			char dsc[150];
			l->q.ops->describe(l->q.ctx, dsc, sizeof dsc);
			snprintf(extra, sizeof extra, "  %d qubits: %s", l->q.qubits, dsc);
		}
		put(buf, n, &len, "%3d  %-14s %-14s %10zu%s%s\n", i, what, shape, l->nw + l->nb,
		    d->frozen >> i & 1u ? " frozen" : "", extra);
	}
	put(buf, n, &len, "parameters: %zu (classical %zu, quantum %zu", m->nparams,
	    m->nparams - m->nparams_q - m->nparams_f, m->nparams_q);
	if (m->nparams_f)
		put(buf, n, &len, ", filter %zu", m->nparams_f);
	put(buf, n, &len, ")\n");
	return len;
}
