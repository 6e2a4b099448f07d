/*
 * cmd/cmd-model.c: `model NAME [options]` -- build one of the paper's architectures
 * as the workspace's model (replacing the old model and its training history).
 *
 * The input shape follows the workspace: the quanvolved features (or what the filter
 * will make of the split's images) for quanv-mlp/qccnn/qcq-cnn, the split's images for
 * mlp/cnn, 8x8 for qcnn. depth, observable, noise, shots and seed come from the
 * settings unless given. The quantum classifier has depolarizing noise only: damping
 * settings are refused, not ignored.
 *
 * filter=trainable (quanv-mlp, qccnn, qcq-cnn): the model takes the images and its layer
 * 0 is the workspace's filter with trainable angles (`filter pennylane` is chosen when
 * there is none, as quanv does).
 */
#include "cmd-model-internal.h"

#include "qcq/data.h"
#include "qcq/qml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const model_options[] = {"depth",   "observable", "seed",   "conv1", "conv2",
					    "dropout", "input",      "freeze", "filter", NULL};

/* filter=fixed|trainable into d (fixed by default, as in the paper); *flt is the
 * filter to train: the workspace's, or a new one in *made when it has none. */
static enum qcq_status parse_filter(struct cmd_ctx *ctx, struct nn_model_desc *d,
				    const struct qml_filter **flt, struct qml_filter **made)
{
	*flt = ctx->ws->filter;
	*made = NULL;
	const char *v = cmd_opt(ctx->call, "filter");
	if (!v || strcmp(v, "fixed") == 0)
		return QCQ_OK;
	if (strcmp(v, "trainable") != 0)
		return cmd_error(ctx, QCQ_EINVAL, "filter: '%s' is not fixed or trainable", v);
	if (!cmd_model_takes_features((enum nn_arch)d->arch))
		return cmd_error(ctx, QCQ_EINVAL,
				 "filter=trainable: model %s has no quanvolution filter (quanv-mlp, "
				 "qccnn and qcq-cnn have one)",
				 nn_arch_name((enum nn_arch)d->arch));
	if (!*flt) {
		if (qml_filter_create_pennylane(made, 'C', ctx->err))
			return ctx->err->code;
		*flt = *made;
	}
	d->filter = NN_FILTER_TRAINABLE;
	d->filter_k = (uint32_t)qml_filter_patch(*flt);
	d->filter_stride = (uint32_t)qml_filter_stride(*flt);
	return QCQ_OK;
}

/* freeze=K[,K...]: layer numbers as `summary` lists them, into a bit mask. Which
 * layers exist and hold parameters is checked by nn_model_create. */
static enum qcq_status parse_freeze(struct cmd_ctx *ctx, uint32_t *mask)
{
	const char *v = cmd_opt(ctx->call, "freeze");
	*mask = 0;
	if (!v)
		return QCQ_OK;
	char *list = qcq_xstrdup(v), *item = list;
	enum qcq_status st = QCQ_OK;
	for (char *comma = list; comma && st == QCQ_OK; item = comma + 1) {
		long k;
		comma = strchr(item, ',');
		if (comma)
			*comma = '\0';
		st = cmd_parse_long(ctx, "freeze", item, 0, 31, &k);
		if (st == QCQ_OK)
			*mask |= 1u << k;
	}
	free(list);
	return st;
}

/* The input shape the workspace's data give this architecture (or the default). */
static void input_shape(struct cmd_workspace *ws, struct nn_model_desc *d)
{
	enum nn_arch arch = (enum nn_arch)d->arch;
	if (ws->split) /* as many outputs as the task has classes */
		d->nclasses = (uint32_t)ws->split->nsides;
	if (arch == NN_ARCH_QCNN)
		return;
	if (cmd_model_takes_features(arch) && d->filter != NN_FILTER_TRAINABLE) {
		if (ws->features) {
			d->in_c = (uint32_t)ws->features->c;
			d->in_h = (uint32_t)ws->features->oh;
			d->in_w = (uint32_t)ws->features->ow;
		} else if (ws->filter && (ws->split || ws->data)) {
			int h = ws->split ? ws->split->h : ws->data->h;
			int w = ws->split ? ws->split->w : ws->data->w, oh, ow;
			if (qml_filter_out_dims(ws->filter, h, w, &oh, &ow, NULL) == QCQ_OK) {
				d->in_c = (uint32_t)qml_filter_qubits(ws->filter);
				d->in_h = (uint32_t)oh;
				d->in_w = (uint32_t)ow;
			}
		}
	} else if (ws->split || ws->data) {
		d->in_c = 1;
		d->in_h = (uint32_t)(ws->split ? ws->split->h : ws->data->h);
		d->in_w = (uint32_t)(ws->split ? ws->split->w : ws->data->w);
	}
}

static enum qcq_status parse_options(struct cmd_ctx *ctx, struct nn_model_desc *d)
{
	const struct cmd_settings *s = &ctx->ws->set;
	long depth, seed, c1, c2, side = 0;
	double dropout;
	if (cmd_opt_long(ctx, "depth", 1, 8, s->depth, &depth) ||
	    cmd_opt_long(ctx, "seed", 0, 0x7fffffffffffffffL, (long)s->seed, &seed) ||
	    cmd_opt_long(ctx, "conv1", 1, 1024, d->conv1, &c1) ||
	    cmd_opt_long(ctx, "conv2", 1, 1024, d->conv2, &c2) ||
	    cmd_opt_double(ctx, "dropout", 0, 0.95, d->dropout, &dropout) ||
	    parse_freeze(ctx, &d->frozen))
		return ctx->err->code;
	const char *obs = cmd_opt(ctx->call, "observable");
	d->observable = s->observable == CMD_OBS_ZZ ? NN_OBS_ZZ : NN_OBS_Z0;
	if (obs && strcmp(obs, "z0") == 0)
		d->observable = NN_OBS_Z0;
	else if (obs && strcmp(obs, "zz") == 0)
		d->observable = NN_OBS_ZZ;
	else if (obs)
		return cmd_error(ctx, QCQ_EINVAL, "observable: '%s' is not z0 or zz", obs);
	if (cmd_opt(ctx->call, "input")) {
		if (d->arch != NN_ARCH_QCNN)
			return cmd_error(ctx, QCQ_EINVAL, "input: only the qcnn model takes input=N");
		if (cmd_opt_long(ctx, "input", 4, 64, 8, &side))
			return ctx->err->code;
		d->in_h = d->in_w = (uint32_t)side;
	}
	d->depth = (uint32_t)depth;
	d->seed = (uint64_t)seed;
	d->conv1 = (uint32_t)c1;
	d->conv2 = (uint32_t)c2;
	d->dropout = (float)dropout;
	if (d->arch == NN_ARCH_QCQ_CNN || d->arch == NN_ARCH_QCNN ||
	    d->arch == NN_ARCH_RF_QCQ_CNN || d->arch == NN_ARCH_QCQ_CNN_NOENT) {
		char what[64];
		snprintf(what, sizeof what, "model %s", nn_arch_name((enum nn_arch)d->arch));
		if (cmd_model_refuse_damping(ctx, what, "build it"))
			return ctx->err->code;
		d->p1 = (float)s->p1;
		d->p2 = (float)s->p2;
		d->shots = (uint64_t)s->shots;
	}
	return QCQ_OK;
}

static void print_model(struct cmd_ctx *ctx, struct nn_model *m)
{
	const struct nn_model_desc *d = nn_model_get_desc(m);
	size_t np = nn_model_nparams(m), nq = nn_model_nparams_quantum(m);
	size_t nf = nn_model_nparams_filter(m);
	char fpart[48] = "";
	if (nf)
		snprintf(fpart, sizeof fpart, ", %zu filter angles", nf);
	cmd_print(ctx, "model %s: input (%u,%u,%u), %zu parameters (%zu quantum, %zu classical%s)",
		  nn_arch_name((enum nn_arch)d->arch), d->in_c, d->in_h, d->in_w, np, nq,
		  np - nq - nf, fpart);
	if (d->filter == NN_FILTER_TRAINABLE)
		cmd_print(ctx, "  trainable filter: %ux%u stride %u, %zu angles (layer 0), the images "
			  "as input", d->filter_k, d->filter_k, d->filter_stride,
			  nn_model_nparams_filter(m));
	int K = nn_desc_classes(d);
	if (K > 2)
		cmd_print(ctx, "  %d classes: %d outputs with a softmax", K, K);
	if (nq && K > 2 && d->arch != NN_ARCH_QCNN)
		cmd_print(ctx, "  classifier: depth %u, %d qubits on tanh inputs, Born probabilities "
			  "of |0>..|%d> (x %d) -> Linear(%d,%d), exact", d->depth, qml_mc_qubits(K),
			  K - 1, 1 << qml_mc_qubits(K), K, K);
	else if (nq)
		cmd_print(ctx, "  classifier: depth %u, observable %s, %s, %s", d->depth,
			  d->observable == NN_OBS_ZZ ? "<Z0 Z1>" : "<Z0>",
			  d->p1 > 0 || d->p2 > 0 ? "depolarizing noise" : "noiseless",
			  d->shots ? "sampled" : "exact");
	if (d->frozen) {
		char list[128] = "";
		size_t len = 0;
		for (int k = 0; k < 32 && len < sizeof list; k++)
			if (d->frozen >> k & 1u)
				len += (size_t)snprintf(list + len, sizeof list - len, "%s%d",
							len ? ", " : "", k);
		cmd_print(ctx, "  frozen (not trained): layer%s %s", d->frozen & (d->frozen - 1) ? "s" : "",
			  list);
	}
	cmd_json_begin(ctx, "model");
	cmd_json_str(ctx, "arch", nn_arch_name((enum nn_arch)d->arch));
	cmd_json_int(ctx, "in_c", d->in_c);
	cmd_json_int(ctx, "in_h", d->in_h);
	cmd_json_int(ctx, "in_w", d->in_w);
	cmd_json_int(ctx, "params", (long long)np);
	cmd_json_int(ctx, "quantum_params", (long long)nq);
	cmd_json_int(ctx, "depth", d->depth);
	cmd_json_str(ctx, "observable", d->observable == NN_OBS_ZZ ? "zz" : "z0");
	cmd_json_int(ctx, "seed", (long long)d->seed);
	cmd_json_int(ctx, "frozen_mask", d->frozen);
	cmd_json_str(ctx, "filter", d->filter == NN_FILTER_TRAINABLE ? "trainable" : "fixed");
	cmd_json_int(ctx, "filter_params", (long long)nf);
	cmd_json_int(ctx, "nclasses", K);
	cmd_json_end(ctx);
}

static enum qcq_status exec_model(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	enum nn_arch arch;
	if (nn_arch_from_name(cmd_arg(call, 0), &arch, ctx->err))
		return ctx->err->code;
	struct nn_model_desc d;
	nn_model_desc_default(&d, arch);
	const struct qml_filter *flt;
	struct qml_filter *made;
	if (parse_filter(ctx, &d, &flt, &made))
		return ctx->err->code;
	input_shape(ctx->ws, &d);
	struct nn_model *m;
	if (parse_options(ctx, &d)) {
		qml_filter_destroy(made);
		return ctx->err->code;
	}
	if (nn_model_create_filter(&m, &d, CMD_MODEL_MAX_BATCH, NULL, flt, ctx->err)) {
		qml_filter_destroy(made);
		return qcq_error_prefix(ctx->err, "model %s", nn_arch_name(arch));
	}
	if (made) {
		ctx->ws->filter = made;
		ctx->ws->dirty |= CMD_DIRTY_DATA;
		cmd_info(ctx, "no filter chosen: using `filter pennylane` (the demo's circuit)");
	}
	cmd_model_put(ctx->ws, m, NULL);
	print_model(ctx, m);
	return QCQ_OK;
}

const struct cmd_entry cmd_model_entry = {
	.name = "model",
	.min_args = 1,
	.max_args = 1,
	.options = model_options,
	.usage = "model mlp|quanv-mlp|cnn|qccnn|qcq-cnn|qcnn|rf-qccnn|rf-qcq-cnn|qcq-cnn-noent|"
		 "qcq-cnn-chead|cnn-pm [depth=N] [observable=z0|zz] "
		 "[seed=S] [conv1=N] [conv2=N] [dropout=P] [input=N] [freeze=K,...] "
		 "[filter=fixed|trainable]",
	.help = "Build one of the paper's models as the workspace's model.\n"
		"The input shape follows the loaded data: quanv-mlp, qccnn and qcq-cnn take the "
		"quanvolved features, mlp and cnn the images, qcnn an 8x8 (input=N) downsampled "
		"image. depth and observable (of the quantum classifier), noise and shots come from "
		"the settings unless given (the classifier takes depolarizing noise only: qcq-cnn "
		"and qcnn are refused while `set noise damping` is on); seed initialises the "
		"parameters. freeze=K[,K...] keeps the "
		"parameters of those layers (numbered as `summary` lists them) at their initial "
		"values during training: freeze=8 on qcq-cnn is the dense layer in front of the "
		"quantum classifier, which the paper's published code never trains. "
		"filter=trainable (quanv-mlp, qccnn, qcq-cnn; patches up to 2x2) makes the "
		"workspace's filter the model's layer 0 with trainable angles, starting from the "
		"filter's own: the model then reads the images, not quanvolved features (fixed, "
		"the paper's, is the default). Replaces the previous model and its training "
		"history.\n"
		"Controls (each removes one quantum part; `experiment ablate` compares them): "
		"rf-qcq-cnn and rf-qccnn take the image and replace the quantum filter by a fixed, "
		"untrained classical random filter (2x2 stride-2 convolution to 4 channels, then "
		"cos(pi .): the same (4,14,14) shape and [-1,1] range; Henderson et al.'s control); "
		"qcq-cnn-noent removes every entangling gate of the classifier (the ZZ feature map "
		"keeps its local phases P(2(pi-x0)(pi-x1)) on both qubits and drops the controlled "
		"phase; RealAmplitudes drops its CX; exact only); qcq-cnn-chead replaces the quantum "
		"classifier by a classical tanh head with the same two inputs and the same 2(depth+1) "
		"trainable parameters; cnn-pm is cnn on the image with conv2 narrowed so that its "
		"parameter count matches qcq-cnn's (same conv1, conv2, depth). "
		"In `experiment ablate` (models=), qcq-cnn-tf and qccnn-tf are the trainable-filter "
		"arms: qcq-cnn and qccnn with filter=trainable, the filter starting from the fixed "
		"one's angles, compared with the fixed quantum filter and the classical random "
		"filter.\n"
		"Classes: the model has as many outputs as the task (`classes`) has classes. With "
		"K > 2 every final Linear(.,2) becomes Linear(.,K) and qcq-cnn's quantum classifier "
		"becomes a K-class one that keeps the circuit small: the dense layer in front maps "
		"to n = ceil(log2 K) values (at least 2), bounded by tanh (the feature map's angles "
		"are quadratic in its inputs: unbounded, they drifted far out in training and the "
		"circuit's output became a pseudo-random function of the image), the n-qubit "
		"ZZFeatureMap (reps 2, full) + RealAmplitudes (depth, reverse_linear) circuit is "
		"read out as the Born "
		"probabilities of the basis states |0>..|K-1> (one measurement distribution gives "
		"every class a number: 4 qubits for 10 classes), times 2^n (a uniform distribution "
		"reads 1, so the head sees inputs of order one as the binary head sees <Z0>), and "
		"Linear(K,K) and the softmax follow, as Linear(1,2) follows <Z0> in the binary "
		"model; exact, observable z0, no noise or shots. rf-qcq-cnn, rf-qccnn and cnn-pm follow suit; qcnn, qcq-cnn-noent "
		"and qcq-cnn-chead are binary only.",
	.exec = exec_model,
};
