/* cmd/cmd-summary.c: `summary` -- the model's layers, output shapes and parameter counts
 * (quantum and classical separately), as nn_model_summary writes them; `summary
 * kernels` adds the CPU and the matrix-product implementations chosen by timing. */
#include "cmd-model-internal.h"

#include <stdlib.h>
#include <string.h>

static enum qcq_status exec_summary(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct nn_model *m;
	bool kernels = call->argc > 1 && strcmp(call->argv[1], "kernels") == 0;
	if (call->argc > 1 && !kernels)
		return qcq_error_set(ctx->err, QCQ_EINVAL, "summary: unknown word '%s' (try: kernels)",
				     call->argv[1]);
	if (cmd_model_need(ctx, &m))
		return ctx->err->code;
	size_t need = nn_model_summary(m, NULL, 0) + 1;
	size_t kneed = kernels ? nn_model_kernels_describe(m, NULL, 0) : 0;
	char *buf = qcq_xmalloc(need + kneed);
	nn_model_summary(m, buf, need);
	if (kernels)
		nn_model_kernels_describe(m, buf + need - 1, kneed + 1);
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		cmd_print(ctx, "%s", line);
	}
	free(buf);
	cmd_json_begin(ctx, "summary");
	cmd_json_str(ctx, "arch", nn_arch_name((enum nn_arch)nn_model_get_desc(m)->arch));
	cmd_json_arr_begin(ctx, "layers");
	for (int i = 0; i < nn_model_nlayers(m); i++) {
		struct nn_layer_info li;
		nn_model_layer_info(m, i, &li);
		cmd_json_obj_begin(ctx, NULL);
		cmd_json_str(ctx, "kind", li.kind);
		cmd_json_int(ctx, "out_c", li.out_c);
		cmd_json_int(ctx, "out_h", li.out_h);
		cmd_json_int(ctx, "out_w", li.out_w);
		cmd_json_int(ctx, "params", (long long)li.nparams);
		cmd_json_bool(ctx, "quantum", li.quantum);
		cmd_json_obj_end(ctx);
	}
	cmd_json_arr_end(ctx);
	cmd_json_int(ctx, "params", (long long)nn_model_nparams(m));
	cmd_json_int(ctx, "quantum_params", (long long)nn_model_nparams_quantum(m));
	cmd_json_end(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_summary_entry = {
	.name = "summary",
	.min_args = 0,
	.max_args = 1,
	.usage = "summary [kernels]",
	.help = "Show the model's layers, their output shapes and parameter counts, with the "
		"quantum and classical parameters counted separately. With kernels: also the CPU, "
		"the vector width and, for every matrix product, which implementation (loops, "
		"kernel, sgemm) was chosen by timing them on this machine.",
	.exec = exec_summary,
};
