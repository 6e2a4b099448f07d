/* cmd/cmd-summary.c: `summary` -- the model's layers, output shapes and parameter counts
 * (quantum and classical separately), as nn_model_summary writes them. */
#include "cmd-model-internal.h"

#include <stdlib.h>
#include <string.h>

static enum qcq_status exec_summary(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	struct nn_model *m;
	if (cmd_model_need(ctx, &m))
		return ctx->err->code;
	size_t need = nn_model_summary(m, NULL, 0) + 1;
	char *buf = qcq_xmalloc(need);
	nn_model_summary(m, buf, need);
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
	.max_args = 0,
	.usage = "summary",
	.help = "Show the model's layers, their output shapes and parameter counts, with the "
		"quantum and classical parameters counted separately.",
	.exec = exec_summary,
};
