/*
 * nn: neural-network layers and models over float32 NCHW tensors.
 *
 * Two levels, as in llm.c:
 *
 *  - Layers are pairs of free functions over flat float arrays. Forward writes its
 *    output; backward ACCUMULATES (+=) into the input gradient and the parameter
 *    gradients, so the caller zeroes gradients once per step. Every optimised
 *    kernel has a _naive twin (plain loops in the obvious order) that the tests
 *    compare it with. These functions assert their arguments (they are the inner
 *    loops); the model layer above validates.
 *
 *  - struct nn_model: one of the paper's architectures built for an input shape,
 *    as a list of layers (one of which may be a quantum layer that plugs in
 *    through struct nn_qlayer). Parameters, gradients and the two Adam moments each
 *    live in ONE contiguous block carved into per-layer pointers; activations and
 *    scratch are preallocated for a maximum batch at creation, so a training step
 *    never allocates.
 *
 * Not here: the training loop, metrics, checkpoint files (train), the quanvolution
 * filter and quantum circuits (qml, qsim). Shapes are per sample unless said
 * otherwise; a batch is B samples back to back.
 */
#ifndef QCQ_NN_H
#define QCQ_NN_H

#include "qcq/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ================================================================ layers */

/*
 * 2-D convolution, square kernel k, zero padding pad, stride s (PyTorch Conv2d).
 * inp (B,C,H,W), w (OC,C,k,k), b (OC), out (B,OC,OH,OW) with
 * OH = (H + 2 pad - k) / s + 1, OW likewise.
 */
struct nn_conv2d_dims {
	int B, C, H, W; /* input */
	int OC, k, stride, pad;
	int OH, OW;     /* filled by nn_conv2d_dims_init */
};

/* Fills OH, OW; false when the output would be empty (k > H + 2 pad) or a size is < 1. */
bool nn_conv2d_dims_init(struct nn_conv2d_dims *d, int B, int C, int H, int W, int OC, int k,
			 int stride, int pad);
/* Floats of scratch the fast kernels need (the im2col of a chunk of samples, and the
 * transposed gradients of the backward; capped per layer for large batches). */
size_t nn_conv2d_scratch_floats(const struct nn_conv2d_dims *d);

/*
 * Fast path: im2col of a chunk of samples, then small matrix products (one per sample,
 * or one across the chunk where the plan's timings say it pays), each by the
 * register-tiled kernel (any vector width), OpenBLAS sgemm or plain loops, whichever
 * timed fastest for its shape on this machine (see nn/gemm.c, nn/gemm-plan.c, and
 * nn/conv.c). Each element's additions keep one order whichever grouping is used.
 * scratch holds nn_conv2d_scratch_floats(d) floats.
 * backward: dinp may be NULL (first layer: nothing to propagate); db may be NULL.
 */
void nn_conv2d_forward(float *out, const float *inp, const float *w, const float *b,
		       const struct nn_conv2d_dims *d, float *scratch);
void nn_conv2d_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
			const float *w, const struct nn_conv2d_dims *d, float *scratch);
/* Seven nested loops, no scratch: the reference. */
void nn_conv2d_forward_naive(float *out, const float *inp, const float *w, const float *b,
			     const struct nn_conv2d_dims *d);
void nn_conv2d_backward_naive(float *dinp, float *dw, float *db, const float *dout,
			      const float *inp, const float *w, const struct nn_conv2d_dims *d);

/*
 * Max pooling, window k, stride k, no padding (PyTorch MaxPool2d(k)); the output
 * drops a ragged edge: OH = H / k. inp (B,C,H,W), out (B,C,OH,OW).
 * Backward re-finds the arg max in inp (the first maximum, as PyTorch does) and
 * adds dout there.
 */
void nn_maxpool_forward(float *out, const float *inp, int B, int C, int H, int W, int k);
void nn_maxpool_backward(float *dinp, const float *dout, const float *inp, int B, int C, int H,
			 int W, int k);

/*
 * Average pooling over kh x kw windows, stride = window, no padding, ragged edges
 * dropped (OH = H / kh, OW = W / kw): the fixed downsampling in front of qcnn.
 */
void nn_avgpool_forward(float *out, const float *inp, int B, int C, int H, int W, int kh, int kw);
void nn_avgpool_backward(float *dinp, const float *dout, int B, int C, int H, int W, int kh,
			 int kw);

/*
 * Fully connected (PyTorch Linear): inp (B,IN), w (OUT,IN), b (OUT), out (B,OUT).
 * Fast path: dot products / the small-matrix kernel for small sizes, sgemm for large
 * ones. backward: dinp, db may be NULL.
 */
void nn_dense_forward(float *out, const float *inp, const float *w, const float *b, int B,
		      int IN, int OUT);
void nn_dense_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
		       const float *w, int B, int IN, int OUT);
void nn_dense_forward_naive(float *out, const float *inp, const float *w, const float *b, int B,
			    int IN, int OUT);
void nn_dense_backward_naive(float *dinp, float *dw, float *db, const float *dout,
			     const float *inp, const float *w, int B, int IN, int OUT);

/* ReLU over n floats; backward uses the forward output (out > 0 passes). */
void nn_relu_forward(float *out, const float *inp, size_t n);
void nn_relu_backward(float *dinp, const float *dout, const float *out, size_t n);

/*
 * Inverted dropout with drop probability p in [0, 1): in training each unit is
 * kept with probability 1-p and scaled by 1/(1-p), so evaluation is the identity.
 * mask (n floats) records the factor (0 or 1/(1-p)) for backward. group > 1 drops
 * whole runs of `group` consecutive floats together: with group = H*W that is
 * PyTorch's Dropout2d (whole channels). Draws one uniform per group from rng.
 * train = false: out = inp, mask = 1.
 */
void nn_dropout_forward(float *out, float *mask, const float *inp, size_t n, size_t group,
			float p, bool train, struct qcq_rng *rng);
void nn_dropout_backward(float *dinp, const float *dout, const float *mask, size_t n);

/*
 * Softmax cross-entropy over K classes, mean over the batch (PyTorch
 * CrossEntropyLoss). logits (B,K), labels (B) in [0,K), probs (B,K) written by
 * forward and read by backward. Returns the mean loss (computed in double).
 * backward: dlogits += (probs - onehot) / B * dloss.
 */
float nn_softmax_ce_forward(float *probs, const float *logits, const int32_t *labels, int B,
			    int K);
void nn_softmax_ce_backward(float *dlogits, const float *probs, const int32_t *labels, int B,
			    int K, float dloss);

/* PyTorch's default Linear/Conv2d initialisation: kaiming_uniform_(a = sqrt 5) on the
 * weights and the bias both give U(-1/sqrt(fan_in), +1/sqrt(fan_in)). */
void nn_init_uniform(float *x, size_t n, float bound, struct qcq_rng *rng);

/* ================================================================ optimisers */

/*
 * One flat loop over a contiguous parameter block. Adam is torch.optim.Adam with
 * bias correction (weight_decay = 0 gives PyTorch's default); t is the step number
 * starting at 1. SGD is torch.optim.SGD with momentum (dampening 0, not Nesterov):
 * buf = momentum buf + g (buf = g at t = 1); p -= lr buf.
 */
struct nn_adam {
	float lr, beta1, beta2, eps, weight_decay;
};
#define NN_ADAM_DEFAULT ((struct nn_adam){ 0.001f, 0.9f, 0.999f, 1e-8f, 0.0f })
void nn_adam_step(float *p, const float *g, float *m, float *v, size_t n,
		  const struct nn_adam *o, long t);
void nn_adam_step_naive(float *p, const float *g, float *m, float *v, size_t n,
			const struct nn_adam *o, long t);
void nn_sgd_step(float *p, const float *g, float *buf, size_t n, float lr, float momentum,
		 long t);

/* ================================================================ quantum layers */

/*
 * A quantum layer plugs into a model as one more layer kind: it maps (B, in) to
 * (B, out) with nparams trainable angles that live in the model's parameter block
 * like any weight. backward ACCUMULATES d/dtheta and d/dinput (dinp may be NULL).
 * forward/backward get the model's rng (for shot sampling) and must not allocate.
 * The model owns the layer after nn_model_create and calls destroy.
 */
struct nn_qlayer_ops {
	const char *name; /* "vqc" ... for summaries */
	void (*init)(void *ctx, float *theta, size_t n, struct qcq_rng *rng);
	void (*forward)(void *ctx, float *out, const float *inp, const float *theta, int B,
			struct qcq_rng *rng);
	void (*backward)(void *ctx, float *dinp, float *dtheta, const float *dout,
			 const float *inp, const float *theta, int B, struct qcq_rng *rng);
	/* One line such as "ZZFeatureMap(2, reps 2) + RealAmplitudes(reps 1), <Z0>". */
	void (*describe)(void *ctx, char *buf, size_t n);
	/* Optional (NULL = not supported): change noise and shots, validating first. */
	enum qcq_status (*set_noise)(void *ctx, double p1, double p2, uint64_t shots,
				     uint64_t seed, struct qcq_error *err);
	void (*destroy)(void *ctx);
};

struct nn_qlayer {
	const struct nn_qlayer_ops *ops;
	void *ctx;
	int in, out;     /* features per sample */
	size_t nparams;  /* trainable angles */
	int qubits;      /* for summaries */
};

/* ================================================================ models */

enum nn_arch {
	NN_ARCH_MLP = 0,   /* flatten + dense to 2 on the image (the paper's MLP) */
	NN_ARCH_QUANV_MLP, /* the same on quanvolved features (4,14,14) */
	NN_ARCH_CNN,       /* conv c1 3x3, ReLU, pool 2, conv c2 3x3, ReLU, pool 2, dense 2 */
	NN_ARCH_QCCNN,     /* the same CNN on quanvolved features */
	NN_ARCH_QCQ_CNN,   /* quanvolved features -> CNN -> dense 2 -> VQC -> Linear(1,2) */
	NN_ARCH_QCNN,      /* average-pool the image to 2x4 = 8 values -> 8-qubit QCNN (Cong
			    * et al., qml's blocks) -> <Z7> -> Linear(1,2) */
	/* Ablation controls (the study `experiment ablate`): each removes one quantum part. */
	NN_ARCH_RF_QCCNN,  /* qccnn with a classical random filter in place of the quantum one:
			    * the image -> fixed, untrained Conv2d(1,4,2,stride 2) -> cos(pi .)
			    * (4 channels in [-1,1] of half the size, like the quanvolution's
			    * <Z>) -> the same CNN (Henderson et al.'s control) */
	NN_ARCH_RF_QCQ_CNN, /* qcq-cnn with the same classical random filter */
	NN_ARCH_QCQ_CNN_NOENT, /* qcq-cnn whose classifier has no entangling gate: each ZZ block
				* keeps its local phases P(phi) on both qubits and drops the
				* controlled phase; RealAmplitudes drops its CX (qml.h) */
	NN_ARCH_QCQ_CNN_CHEAD, /* qcq-cnn with a classical head in place of the quantum
				* classifier: the same 2 inputs, one output in (-1,1), the same
				* number of trainable parameters 2 (depth + 1) (see below) */
	NN_ARCH_CNN_PM,    /* cnn on the image with conv2 narrowed so that its parameter count
			    * is closest to qcq-cnn's with the same conv1, conv2, depth on the
			    * quanvolved (4, H/2, W/2) input */
	NN_ARCH_COUNT
};

/*
 * The classical head of qcq-cnn-chead, with n = 2 (depth + 1) parameters: m = n / 4
 * hidden units h_i = tanh(W_i . x + b_i) (W: m x 2, b: m), then
 * z = tanh(sum_i v_i h_i + c . x) with v (m) and, when n % 4 == 2, a direct term c (2)
 * (absent otherwise); parameters in that order W, b, v, c. Depth 1 -> 4 parameters
 * (1 unit), 2 -> 6 (1 unit + c), 3 -> 8 (2 units).
 */

/* The seed of the classical random filter's weights (w ~ U(-1,1), bias ~ U(-pi,pi)):
 * fixed, like the quantum filter, so every seed of a study sees the same filter. */
#define NN_RFILTER_SEED 42u

/* Whether arch reads quanvolved features (quanv-mlp, qccnn, qcq-cnn and its -noent and
 * -chead controls) rather than the image. */
bool nn_arch_takes_features(enum nn_arch arch);

enum nn_observable { NN_OBS_Z0 = 0, NN_OBS_ZZ = 1 };

/*
 * Everything needed to rebuild the same architecture (a checkpoint stores this
 * and the parameter block). Fixed-width fields so it can be written as is (in
 * little-endian order by the caller). Start from nn_model_desc_default.
 */
struct nn_model_desc {
	uint32_t arch;       /* enum nn_arch */
	uint32_t in_c, in_h, in_w; /* input per sample: (1,28,28) image, (4,14,14) features */
	uint32_t conv1, conv2; /* CNN channels (16, 32) */
	uint32_t depth;      /* RealAmplitudes reps of the quantum classifier, 1..8 */
	uint32_t observable; /* enum nn_observable */
	float dropout;       /* drop probability in [0,1): channel-wise (Dropout2d) after the
			      * last pool of a CNN, element-wise on the input of an MLP */
	float p1, p2;        /* depolarizing noise of the quantum layer (0 = off) */
	uint32_t frozen;     /* bit k set: layer k (as `summary` numbers them) keeps its
			      * parameters in training; only layers with parameters */
	uint64_t shots;      /* 0 = exact expectations, else sampled with this many shots */
	uint64_t seed;       /* parameter initialisation, dropout and shot streams */
	/* The quanvolution filter of quanv-mlp, qccnn and qcq-cnn: NN_FILTER_FIXED (the
	 * paper's; the model reads features quanvolved outside it) or NN_FILTER_TRAINABLE
	 * (layer 0 is the filter, over filter_k x filter_k patches with stride
	 * filter_stride: the model reads the 1-channel image and trains the angles). */
	uint32_t filter;
	uint32_t filter_k, filter_stride;
	/* Classes: the model's outputs, 2..NN_MAX_CLASSES (0 is read as 2). With K > 2,
	 * qcq-cnn and rf-qcq-cnn end in qml's K-class classifier (qml_mc_probs: dense to
	 * n = ceil(log2 K) values, tanh, K Born probabilities times 2^n, Linear(K,K)); qcnn,
	 * qcq-cnn-noent and qcq-cnn-chead are binary only. */
	uint32_t nclasses;
};

#define NN_MAX_CLASSES 32
/* The classes of d: d->nclasses, 2 when it is 0. */
static inline int nn_desc_classes(const struct nn_model_desc *d)
{
	return d->nclasses ? (int)d->nclasses : 2;
}

/*
 * Whether d ends in qml's K-class quantum classifier (qcq-cnn or rf-qcq-cnn with K > 2).
 * Its inputs are bounded by tanh since readout revision NN_KCLASS_READOUT_REVISION;
 * revision 0 (the first K-class checkpoints and study runs) fed them unbounded, which is
 * another model with the same parameters: checkpoints and run keys record the revision.
 */
#define NN_KCLASS_READOUT_REVISION 1u
static inline bool nn_desc_kclass_quantum(const struct nn_model_desc *d)
{
	return nn_desc_classes(d) > 2 && (d->arch == NN_ARCH_QCQ_CNN || d->arch == NN_ARCH_RF_QCQ_CNN);
}

/* The default RealAmplitudes reps of the quantum classifier: 2 (6 angles), the default
 * the paper adopts (Long et al., Sci. Rep. 2025, Fig. 11: "depth 5" = reps 2). */
#define NN_DEFAULT_DEPTH 2

#define NN_FILTER_FIXED 0u
#define NN_FILTER_TRAINABLE 1u

/* Defaults for arch: input (1,28,28) for mlp/cnn/qcnn and the rf- and -pm controls,
 * (4,14,14) for quanv-mlp/qccnn/qcq-cnn and its -noent/-chead controls; channels 16/32,
 * depth NN_DEFAULT_DEPTH, <Z0>, dropout 0, no noise, exact, seed 1, fixed filter
 * (filter_k 2, filter_stride 2 for when it is made trainable), 2 classes. */
void nn_model_desc_default(struct nn_model_desc *d, enum nn_arch arch);
/* "mlp", "quanv-mlp", "cnn", "qccnn", "qcq-cnn", "qcnn", "rf-qccnn", "rf-qcq-cnn",
 * "qcq-cnn-noent", "qcq-cnn-chead", "cnn-pm". */
const char *nn_arch_name(enum nn_arch arch);
/* Looks a name up (exact, case-sensitive); QCQ_EINVAL lists the names. */
enum qcq_status nn_arch_from_name(const char *name, enum nn_arch *arch, struct qcq_error *err);
/* Checks every field (arch known, sizes 1..4096, channels 1..1024, depth 1..8,
 * observable, dropout in [0,1), p1 in [0,4/3], p2 in [0,16/15], shots <= 1e8,
 * frozen naming only layers that exist and have parameters, that the conv stack
 * leaves a non-empty output, for qcnn a 1-channel input of at least 2x4 without noise
 * or shots, for the rf- models a 1-channel image, for qcq-cnn-noent no noise or shots,
 * for cnn-pm an image whose halves fit qcq-cnn; a trainable filter only on quanv-mlp,
 * qccnn and qcq-cnn, over a 1-channel image, with filter_k 1..2 and filter_stride
 * 1..64), nclasses 0 or 2..NN_MAX_CLASSES, and with more than 2 classes a model that
 * has a K-class form, exact and reading <Z0> (the K-class classifier reads probabilities)). */
enum qcq_status nn_model_desc_check(const struct nn_model_desc *d, struct qcq_error *err);

/*
 * Factory for the quantum layer of qcq-cnn / qcnn: called by nn_model_create with
 * the descriptor; must fill q (ops, ctx, in, out, nparams, qubits). The default
 * (NULL) wraps qml's 2-qubit classifier for qcq-cnn (struct qml_qlayer:
 * ZZFeatureMap + RealAmplitudes of d->depth, d->observable, noise d->p1/p2 and
 * d->shots) and qml's 8-qubit QCNN circuit (qsim, exact, adjoint) for qcnn.
 */
typedef enum qcq_status (*nn_qlayer_factory)(struct nn_qlayer *q, const struct nn_model_desc *d,
					     struct qcq_error *err);

struct nn_model;

/*
 * Builds the model for d and allocates everything for batches up to max_batch
 * (1..65536). Parameters are initialised from d->seed (PyTorch's default
 * initialisation for classical layers; the quantum layer's own init for angles).
 * qfactory NULL = the built-in quantum layer. Rejects what nn_model_desc_check
 * rejects; QCQ_EUNSUPPORTED for an arch that has no implementation.
 */
enum qcq_status nn_model_create(struct nn_model **out, const struct nn_model_desc *d,
				int max_batch, nn_qlayer_factory qfactory, struct qcq_error *err);
/*
 * The same, with the circuit of a trainable filter (d->filter == NN_FILTER_TRAINABLE):
 * its gates (copied) make layer 0, and its angles are the filter parameters' initial
 * values (for every seed, as the fixed filter is the same for every seed). Rejects a
 * trainable descriptor without f, an f whose patch or stride differ from filter_k,
 * filter_stride, and filters over 2x2 patches (QCQ_EUNSUPPORTED). f is ignored for a
 * fixed filter. nn_model_create refuses trainable descriptors.
 */
struct qml_filter;
enum qcq_status nn_model_create_filter(struct nn_model **out, const struct nn_model_desc *d,
				       int max_batch, nn_qlayer_factory qfactory,
				       const struct qml_filter *f, struct qcq_error *err);
void nn_model_destroy(struct nn_model *m);

const struct nn_model_desc *nn_model_get_desc(const struct nn_model *m);
int nn_model_max_batch(const struct nn_model *m);
size_t nn_model_in_floats(const struct nn_model *m); /* floats per input sample */

/* The parameter block: nn_model_nparams floats, classical and quantum together, in
 * layer order, each layer weight then bias in PyTorch's state_dict layout. */
size_t nn_model_nparams(const struct nn_model *m);
size_t nn_model_nparams_quantum(const struct nn_model *m); /* the quantum layer's */
/* Angles of a trainable filter (0 without one): the first ones of the block. */
size_t nn_model_nparams_filter(const struct nn_model *m);
/* A new filter: the trainable filter's gates with the model's current angles, for
 * display, export and quanvolving (QCQ_EUNSUPPORTED when the model has none). */
enum qcq_status nn_model_filter(const struct nn_model *m, struct qml_filter **out,
				struct qcq_error *err);
/* Learning rate of the filter's angles in nn_model_adam_step / sgd_step: 0 (the
 * default) = the optimiser's own; otherwise this one for them only. */
void nn_model_set_filter_lr(struct nn_model *m, float lr);
float *nn_model_params(struct nn_model *m);
float *nn_model_grads(struct nn_model *m);
/* Optimiser state: Adam first and second moments (or SGD momentum in m1), n each,
 * and the step counter (0 before the first step). */
float *nn_model_opt_m(struct nn_model *m);
float *nn_model_opt_v(struct nn_model *m);
long nn_model_opt_t(const struct nn_model *m);
void nn_model_set_opt_t(struct nn_model *m, long t);
/* The dropout / shot-sampling stream, for checkpoints and reseeding. */
struct qcq_rng *nn_model_rng(struct nn_model *m);
/* Re-initialises parameters from seed, zeroes gradients and optimiser state. */
void nn_model_reset(struct nn_model *m, uint64_t seed);

/* Training mode turns dropout on; evaluation mode (the default) is deterministic. */
void nn_model_set_train(struct nn_model *m, bool train);
/* Changes the quantum layer's noise and shots (and the descriptor); validates first.
 * QCQ_EUNSUPPORTED for a model without a quantum layer or one that cannot. */
enum qcq_status nn_model_set_noise(struct nn_model *m, float p1, float p2, uint64_t shots,
				   struct qcq_error *err);

/*
 * Forward over a batch x (B, in_c, in_h, in_w) -> logits (B, K), a pointer into the
 * model valid until the next call. Rejects B outside 1..max_batch.
 */
enum qcq_status nn_model_forward(struct nn_model *m, const float *x, int B, const float **logits,
				 struct qcq_error *err);
/*
 * Loss of the last forward (mean softmax cross-entropy) for labels (B) in [0, K);
 * probs (B,K) may be NULL. Rejects a label out of range, a B different from the
 * forward's, and a loss that is NaN or Inf (QCQ_ENUMERIC, nothing changed).
 */
enum qcq_status nn_model_loss(struct nn_model *m, const int32_t *labels, int B, float *loss,
			      const float **probs, struct qcq_error *err);
/* Backward of the last forward + loss (labels from nn_model_loss): ACCUMULATES into
 * the gradient block. QCQ_ESTATE when there is no loss since the last forward. */
enum qcq_status nn_model_backward(struct nn_model *m, struct qcq_error *err);
void nn_model_zero_grad(struct nn_model *m);
/* One optimiser step over the whole block (increments the step counter). */
void nn_model_adam_step(struct nn_model *m, const struct nn_adam *o);
void nn_model_sgd_step(struct nn_model *m, float lr, float momentum);

/*
 * One training step: forward (train mode), loss, zero grads, backward, Adam.
 * On error (bad B or label, non-finite loss) nothing is updated.
 */
enum qcq_status nn_model_train_step(struct nn_model *m, const float *x, const int32_t *labels,
				    int B, const struct nn_adam *o, float *loss,
				    struct qcq_error *err);

/*
 * Text summary: one line per layer (kind, output shape, parameters), then totals
 * with quantum and classical parameters separately. Returns the length it needed
 * (snprintf convention).
 */
size_t nn_model_summary(const struct nn_model *m, char *buf, size_t n);
/* The CPU, the vector width of the kernels and, per matrix product of the model's
 * layers, the implementation chosen by timing (loops, kernel or sgemm) with the
 * measured microseconds; snprintf convention. */
size_t nn_model_kernels_describe(const struct nn_model *m, char *buf, size_t n);

/*
 * Keeps the plan of matrix-product implementations (which of loops, kernel or sgemm
 * each shape uses, chosen by timing) in a file in dir, named for this CPU and vector
 * width, and loads what it holds. The implementations round differently, so without
 * a file every process times its own plan and the same seeded training can differ
 * in its last bits between processes; with it, every process on the machine makes
 * the same choices (a shape new to all is timed once, under flock). Call once, at
 * start, before threads train; dir must exist. Without a call the plan lives for
 * the process only.
 */
enum qcq_status nn_gemm_plan_attach(const char *dir, struct qcq_error *err);
/* The attached plan file's path ("" when none); snprintf convention. */
size_t nn_gemm_plan_file(char *buf, size_t n);

/* Layer listing for front ends. */
int nn_model_nlayers(const struct nn_model *m);
struct nn_layer_info {
	const char *kind; /* "conv2d", "relu", "maxpool", "dropout", "flatten", "dense", "quantum",
			   * "avgpool", "rfilter" (fixed random filter), "head" (classical head),
			   * "qfilter" (the trainable quanvolution filter) */
	int out_c, out_h, out_w; /* output shape per sample (h = w = 1 for vectors) */
	size_t nparams;
	bool quantum;
};
void nn_model_layer_info(const struct nn_model *m, int i, struct nn_layer_info *info);

/* Bytes the model holds (all blocks); constant after creation. */
size_t nn_model_bytes(const struct nn_model *m);

#endif
