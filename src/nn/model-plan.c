/*
 * nn/model-plan.c: the matrix products a model will run, planned when it is built,
 * and what was chosen for them (`summary kernels`).
 *
 * A conv layer runs three products (forward and weight gradient per chunk of
 * samples, input gradient per sample; see conv.c), and two more when the batch ends
 * in a smaller chunk; a dense layer two in backward for the batch (its forward is a
 * dot product per output). Planning them in nn_model_create means the timing
 * (gemm-plan.c, a few milliseconds once per shape and process) never lands inside a
 * training step. Batches smaller than the model's maximum are planned on first use.
 */
#include "nn-internal.h"

#include "core/simd.h"

#include <stdio.h>

/* The products of layer l at batch B: (M, N, K, ta) rows and what each is for, how
 * many (0..6). */
static int layer_products(const struct nn_layer *l, int B, int p[6][4], const char *what[6])
{
	if (l->kind == NN_L_CONV) {
		struct nn_conv2d_dims d;
		if (!nn_conv2d_dims_init(&d, B, l->in_c, l->in_h, l->in_w, l->out_c, l->k, l->stride,
					 l->pad))
			return 0;
		int K = d.C * d.k * d.k, P = d.OH * d.OW, nb = nn_conv2d_chunk(&d), last = B % nb;
		int n = 0;
		what[n] = "forward"; /* out = w col, per sample */
		p[n][0] = d.OC, p[n][1] = P, p[n][2] = K, p[n][3] = 0, n++;
		if (nb > 1) { /* or for a chunk, if that is faster */
			what[n] = "forward";
			p[n][0] = d.OC, p[n][1] = nb * P, p[n][2] = K, p[n][3] = 0, n++;
		}
		what[n] = "weight grad"; /* dw^T += col G, or dw += dout row for one sample */
		if (nb > 1)
			p[n][0] = K, p[n][1] = d.OC, p[n][2] = nb * P, p[n][3] = 0, n++;
		else
			p[n][0] = d.OC, p[n][1] = K, p[n][2] = P, p[n][3] = 0, n++;
		if (l->need_dinp) { /* dcol = w^T dout */
			what[n] = "input grad";
			p[n][0] = K, p[n][1] = P, p[n][2] = d.OC, p[n][3] = 1, n++;
		}
		if (last) { /* the batch's last, smaller chunk */
			if (last > 1) {
				what[n] = "forward";
				p[n][0] = d.OC, p[n][1] = last * P, p[n][2] = K, p[n][3] = 0, n++;
			}
			what[n] = "weight grad";
			p[n][0] = K, p[n][1] = d.OC, p[n][2] = last * P, p[n][3] = 0, n++;
		}
		return n;
	}
	if (l->kind == NN_L_DENSE) {
		int IN = (int)nn_layer_in_size(l), OUT = l->out_c, n = 0;
		what[n] = "weight grad"; /* dw += dout^T inp */
		p[n][0] = OUT, p[n][1] = IN, p[n][2] = B, p[n][3] = 1, n++;
		if (l->need_dinp) { /* dinp += dout w */
			what[n] = "input grad";
			p[n][0] = B, p[n][1] = IN, p[n][2] = OUT, p[n][3] = 0, n++;
		}
		return n;
	}
	return 0;
}

void nn_model_plan_kernels(const struct nn_model *m)
{
	for (int i = 0; i < m->nl; i++) {
		int p[6][4];
		const char *what[6];
		int n = layer_products(&m->L[i], m->max_batch, p, what);
		for (int j = 0; j < n; j++)
			nn_gemm_plan(p[j][0], p[j][1], p[j][2], p[j][3] != 0);
	}
}

size_t nn_model_kernels_describe(const struct nn_model *m, char *buf, size_t n)
{
	char cpu[128];
	qcq_cpu_name(cpu, sizeof cpu);
	size_t len = 0;
#define PUT(...)                                                                      \
	do {                                                                          \
		int w_ = snprintf(buf ? buf + len : NULL, len < n ? n - len : 0, __VA_ARGS__); \
		len += w_ > 0 ? (size_t)w_ : 0;                                       \
	} while (0)
	char plan[512];
	nn_gemm_plan_file(plan, sizeof plan);
	PUT("kernels on %s, vectors %s; matrix products (M x N x K, t = A transposed), "
	    "chosen by timing:\n", cpu, qcq_simd_name());
	if (plan[0])
		PUT("  plan kept in %s (every process on this machine makes the same choices)\n",
		    plan);
	else
		PUT("  plan timed for this process only (no cache directory to keep it in): "
		    "another process may choose differently and round differently\n");
	for (int i = 0; i < m->nl; i++) {
		const struct nn_layer *l = &m->L[i];
		int p[6][4];
		const char *what[6];
		int np = layer_products(l, m->max_batch, p, what);
		for (int j = 0; j < np; j++) {
			char line[160];
			nn_gemm_plan_describe(line, sizeof line, p[j][0], p[j][1], p[j][2], p[j][3] != 0);
			PUT("  %2d %-5s %-11s %s\n", i, l->kind == NN_L_CONV ? "conv" : "dense", what[j],
			    line);
		}
	}
#undef PUT
	return len;
}
