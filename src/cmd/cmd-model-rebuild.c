/*
 * cmd/cmd-model-rebuild.c: `set depth N` and `set observable X` on a model that exists.
 * The quantum classifier is built when the model is; a setting that shapes it must
 * either reach the model or say why not (issue 13). The model is rebuilt with the new
 * classifier, keeping every parameter whose layer keeps its shape: the classical layers
 * always, the classifier's angles too when only the observable changes (the angles are
 * the same circuit's; only what is measured differs).
 */
#include "cmd-model-internal.h"

#include <stdio.h>
#include <string.h>

/* The parameter range [*q0, *q1) of the quantum layer in the block; false if none. */
static bool quantum_range(const struct nn_model *m, size_t *q0, size_t *q1)
{
	size_t off = 0;
	for (int i = 0; i < nn_model_nlayers(m); i++) {
		struct nn_layer_info li;
		nn_model_layer_info(m, i, &li);
		if (li.quantum) {
			*q0 = off;
			*q1 = off + li.nparams;
			return true;
		}
		off += li.nparams;
	}
	return false;
}

enum qcq_status cmd_model_follow_settings(struct cmd_ctx *ctx, const struct cmd_settings *s,
					  struct nn_model **rebuilt)
{
	*rebuilt = NULL;
	struct nn_model *old = ctx->ws->model;
	if (!old)
		return QCQ_OK;
	const struct nn_model_desc *od = nn_model_get_desc(old);
	uint32_t obs = s->observable == CMD_OBS_ZZ ? NN_OBS_ZZ : NN_OBS_Z0;
	if (od->depth == (uint32_t)s->depth && od->observable == obs)
		return QCQ_OK;
	const char *arch = nn_arch_name((enum nn_arch)od->arch);
	if (od->arch != NN_ARCH_QCQ_CNN) {
		/* mlp/cnn have no classifier; qcnn's circuit has no depth or observable */
		cmd_info(ctx, "the model %s has no RealAmplitudes classifier: depth and observable "
			 "apply to the next `model qcq-cnn`", arch);
		return QCQ_OK;
	}
	struct nn_model_desc d = *od;
	d.depth = (uint32_t)s->depth;
	d.observable = obs;
	struct nn_model *m;
	if (nn_model_create(&m, &d, nn_model_max_batch(old), NULL, ctx->err))
		return qcq_error_prefix(ctx->err, "set: rebuilding the classifier of %s", arch);
	size_t oq0 = 0, oq1 = 0, nq0 = 0, nq1 = 0;
	quantum_range(old, &oq0, &oq1);
	quantum_range(m, &nq0, &nq1);
	const float *op = nn_model_params(old);
	float *np = nn_model_params(m);
	size_t on = nn_model_nparams(old), nn = nn_model_nparams(m);
	/* the classical layers in front of the classifier and behind it keep their shapes */
	memcpy(np, op, oq0 * sizeof *np);
	memcpy(np + nq1, op + oq1, (on - oq1) * sizeof *np);
	bool same_angles = od->depth == d.depth;
	if (same_angles)
		memcpy(np + nq0, op + oq0, (oq1 - oq0) * sizeof *np);
	char what[96];
	if (same_angles)
		snprintf(what, sizeof what, "all %zu parameters kept", nn);
	else
		snprintf(what, sizeof what,
			 "%zu classical parameters kept, %zu new angles from seed %llu", nn - (nq1 - nq0),
			 nq1 - nq0, (unsigned long long)d.seed);
	cmd_info(ctx, "rebuilt the quantum classifier of %s: RealAmplitudes(reps %u), %s (%s)%s",
		 arch, d.depth, obs == NN_OBS_ZZ ? "<Z0 Z1>" : "<Z0>", what,
		 ctx->ws->history ? "; its training history was cleared (train resume would "
				    "continue another circuit)"
				  : "");
	*rebuilt = m;
	return QCQ_OK;
}
