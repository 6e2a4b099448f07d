/*
 * nn/nn-internal.h: what the files of the nn module share and nobody else sees:
 * the small matrix kernels (loops or sgemm) that conv and dense are built on.
 */
#ifndef QCQ_NN_INTERNAL_H
#define QCQ_NN_INTERNAL_H

#include "qcq/nn.h"

/*
 * C (M,N) += A (M,K) B (K,N), all row-major and dense; ta = true reads A as (K,M)
 * (C += A^T B). nn_gemm uses the implementation nn_gemm_plan chose for the shape
 * (gemm-plan.c: timed once per shape, cached for the process); nn_gemm_loops (the
 * naive twin), nn_gemm_small (the register-blocked kernel, any vector width) and
 * nn_gemm_blas (sgemm) force one path.
 */
void nn_gemm(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_loops(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_blas(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_small(float *C, const float *A, const float *B, int M, int N, int K, bool ta);

/* The _set twins compute C = A B (C's old contents unread): the bits of clearing C
 * and accumulating, without the clearing pass (sgemm with beta 0). */
void nn_gemm_set(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_loops_set(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_blas_set(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
void nn_gemm_small_set(float *C, const float *A, const float *B, int M, int N, int K, bool ta);

/* Any of them (the planner times them; tests run conv on one implementation). */
typedef void (*nn_gemm_fn)(float *C, const float *A, const float *B, int M, int N, int K, bool ta);
/* An implementation's accumulating and setting product: as planned, the kernel's,
 * the loops'. */
struct nn_gemm_ops {
	nn_gemm_fn add, set;
};
extern const struct nn_gemm_ops nn_gemm_planned, nn_gemm_kernel, nn_gemm_plain;

enum nn_gemm_impl { NN_GEMM_LOOPS, NN_GEMM_KERNEL, NN_GEMM_SGEMM };
/* The implementation for this shape: planned (timed) on first use, then cached. */
enum nn_gemm_impl nn_gemm_plan(int M, int N, int K, bool ta);
const char *nn_gemm_impl_name(enum nn_gemm_impl impl);
/* "MxNxK[t] choice (us: loops .., kernel .., sgemm ..)" into buf (snprintf rules);
 * plans the shape if it is new. */
size_t nn_gemm_plan_describe(char *buf, size_t n, int M, int N, int K, bool ta);
/* Microseconds per call of the chosen implementation as timed (plans the shape if it
 * is new); 0 when not timed (decided by size). */
float nn_gemm_plan_us(int M, int N, int K, bool ta);

/*
 * conv.c: samples per chunk of the batched products (a conv's products at batch d->B
 * have N or K = nb P for chunks of nb = nn_conv2d_chunk(d) samples and one last
 * chunk of what is left); the passes of nn.h with every product done by gemm
 * (nn.h's use nn_gemm_planned). The forward runs a chunk as one product or one per sample
 * (how: as the plan's timings say, or forced), and returns whether it left the
 * batch's im2col in scratch for the backward: then kept_col = true there (the
 * model's layers own their scratch) spares a second im2col.
 */
enum nn_conv_fwd { NN_CONV_FWD_PLANNED, NN_CONV_FWD_SAMPLES, NN_CONV_FWD_CHUNK };
int nn_conv2d_chunk(const struct nn_conv2d_dims *d);
bool nn_conv2d_forward_with(float *out, const float *inp, const float *w, const float *b,
			    const struct nn_conv2d_dims *d, float *scratch, enum nn_conv_fwd how,
			    const struct nn_gemm_ops *gemm);
void nn_conv2d_backward_with(float *dinp, float *dw, float *db, const float *dout,
			     const float *inp, const float *w, const struct nn_conv2d_dims *d,
			     float *scratch, bool kept_col, const struct nn_gemm_ops *gemm);

/*
 * layers.c: backward passes that write their input's gradient instead of adding to
 * it, for the model, where each activation has one consumer: the gradient its
 * consumer writes needs no clearing first. The bits are those of the accumulating
 * pass (nn.h) onto zeros (+ 0 turns a -0 into +0 as 0 + -0 does); the 2x2 max-pool
 * also zeroes the positions no window covers (odd H or W).
 */
void nn_relu_backward_write(float *dinp, const float *dout, const float *out, size_t n);
void nn_maxpool2_backward_write(float *dinp, const float *dout, const float *inp, int B, int C,
				int H, int W);
/* Both in one pass for ReLU then 2x2 max-pool: out is the ReLU's output (the pool's
 * input), dinp the gradient of the ReLU's input; the bits of the two passes. */
void nn_relu_maxpool2_backward_write(float *dinp, const float *dout, const float *out, int B,
				     int C, int H, int W);

/* ---------------------------------------------------------------- the model */

enum nn_kind { NN_L_CONV, NN_L_RELU, NN_L_POOL, NN_L_DROPOUT, NN_L_FLATTEN, NN_L_DENSE,
	       NN_L_QUANTUM, NN_L_AVGPOOL, NN_L_RFILTER, NN_L_HEAD, NN_L_QFILTER };

#define NN_MAX_LAYERS 16

/* One layer: its shapes (per sample), its parameters as pointers into the model's
 * blocks, and its activations (outputs for max_batch samples). */
struct nn_layer {
	enum nn_kind kind;
	int in_c, in_h, in_w, out_c, out_h, out_w;
	int k, stride, pad; /* conv kernel / pool window */
	int kh, kw;         /* average-pool window */
	float p;            /* dropout */
	size_t group;       /* dropout group (1 or H*W) */
	struct nn_qlayer q; /* quantum */
	float fw[16], fb[4]; /* rfilter: fixed weights (4 out, 2x2) and biases, not trained */
	struct qml_tfilter *tf; /* qfilter: forward/backward state (qfilter.c) */
	struct qml_filter *tmpl; /* qfilter: its gates with the initial angles */
	size_t nw, nb;      /* weight and bias counts */
	size_t poff;        /* offset of the weights in the parameter block */
	bool need_dinp;     /* some earlier layer has parameters */
	float *w, *b, *dw, *db;
	float *out, *dout;  /* (max_batch, out size); aliases the input for flatten */
	float *mask;        /* dropout factors */
	float *scratch;     /* conv: its own scratch (the forward's im2col kept for backward) */
	bool kept_col;      /* conv: the last forward left its im2col there */
};

struct nn_model {
	struct nn_model_desc desc;
	int max_batch;
	int nl;
	struct nn_layer L[NN_MAX_LAYERS];
	size_t nparams, nparams_q, nparams_f;
	float filter_lr;  /* 0 = the optimiser's */
	float *params, *grads, *m1, *m2; /* one block each */
	long t;
	float *acts;     /* input copy + every layer's output, one block */
	float *dacts;    /* their gradients, one block */
	size_t nacts;    /* floats in acts (= in dacts) */
	float *input, *dinput;
	float *masks;    /* dropout factors, one block */
	float *scratch;  /* the conv layers' scratch, one block */
	float *probs;    /* (max_batch, 2) */
	int32_t *labels; /* (max_batch) of the last loss */
	float *qtmp;     /* quantum layer's dinp staging, (max_batch, in) */
	int last_B;      /* batch of the last forward, 0 = none */
	bool have_loss;
	bool train;
	struct qcq_rng rng;
	size_t bytes;
};

static inline size_t nn_layer_out_size(const struct nn_layer *l)
{
	return (size_t)l->out_c * l->out_h * l->out_w;
}
static inline size_t nn_layer_in_size(const struct nn_layer *l)
{
	return (size_t)l->in_c * l->in_h * l->in_w;
}

/* arch.c: fills m->L[0..nl-1] (shapes, kinds, parameter counts; no memory) for
 * m->desc, building the quantum layer through qf. Assumes the descriptor checked. */
enum qcq_status nn_arch_build(struct nn_model *m, nn_qlayer_factory qf, struct qcq_error *err);
/* model-plan.c: plans (times) every matrix product shape of m at its max batch. */
void nn_model_plan_kernels(const struct nn_model *m);

/* qlayer.c: the default factory over qml_qlayer. */
enum qcq_status nn_qlayer_qml_create(struct nn_qlayer *q, const struct nn_model_desc *d,
				     struct qcq_error *err);
/* qlayer.c: the classifier without entangling gates (qcq-cnn-noent). */
enum qcq_status nn_qlayer_product_create(struct nn_qlayer *q, const struct nn_model_desc *d,
					 struct qcq_error *err);
/* qlayer.c: the K-class classifier (qml_mc_probs) of a qcq-cnn with K > 2 classes. */
enum qcq_status nn_qlayer_multi_create(struct nn_qlayer *q, const struct nn_model_desc *d,
				       struct qcq_error *err);
/* controls.c: the fixed random filter and the classical head of the ablation controls. */
void nn_rfilter_init(float fw[16], float fb[4]);
void nn_rfilter_forward(float *out, const float *inp, const float *fw, const float *fb, int B,
			int H, int W);
void nn_head_init(float *w, size_t n, struct qcq_rng *rng);
void nn_head_forward(float *out, const float *inp, const float *w, size_t n, int B);
void nn_head_backward(float *dinp, float *dw, const float *dout, const float *inp,
		      const float *w, size_t n, int B);
/* qfilter.c: layer 0 as the trainable quanvolution filter: setup from the circuit f
 * (sets nw; assumes d checked), release, initial angles, forward, backward (the
 * filter's input is the model's: it has no input gradient). */
struct qml_filter;
enum qcq_status nn_qfilter_setup(struct nn_layer *l, const struct qml_filter *f,
				 const struct nn_model_desc *d, struct qcq_error *err);
void nn_qfilter_free(struct nn_layer *l);
void nn_qfilter_init(struct nn_layer *l);
void nn_qfilter_forward(struct nn_layer *l, const float *in, int B);
void nn_qfilter_backward(struct nn_layer *l, const float *in, int B);
/* qcnn.c: the 8-qubit QCNN of the qcnn model. */
enum qcq_status nn_qlayer_qcnn_create(struct nn_qlayer *q, const struct nn_model_desc *d,
				      struct qcq_error *err);

#endif
