/*
 * nn/qfilter.c: the trainable quanvolution filter as layer 0 of quanv-mlp, qccnn and
 * qcq-cnn (desc filter = NN_FILTER_TRAINABLE). It maps the 1-channel image (H, W) to
 * the k*k channels <Z_j> of (OH, OW) that the fixed filter would give at the same
 * angles, and its parameters are the angles of the filter's gates (qml_filter_nangles,
 * in gate order), at the front of the model's parameter block, so Adam and checkpoints
 * treat them like any weight.
 *
 * The circuit and its gradients live in qml (qml_tfilter); this adapter keeps the
 * circuit's initial angles (the template) for nn_model_reset, and recompiles the
 * filter's table from the parameter block at every forward (a no-op when the angles did
 * not change, as in evaluation).
 */
#include "nn-internal.h"
#include "qcq/qml.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum qcq_status nn_qfilter_setup(struct nn_layer *l, const struct qml_filter *f,
				 const struct nn_model_desc *d, struct qcq_error *err)
{
	if (!f)
		return qcq_error_set(err, QCQ_EINVAL,
				     "a trainable filter needs its circuit (no filter given)");
	if ((uint32_t)qml_filter_patch(f) != d->filter_k ||
	    (uint32_t)qml_filter_stride(f) != d->filter_stride)
		return qcq_error_set(err, QCQ_EINVAL,
				     "filter %dx%d stride %d does not match the model's %ux%u stride %u",
				     qml_filter_patch(f), qml_filter_patch(f), qml_filter_stride(f),
				     d->filter_k, d->filter_k, d->filter_stride);
	enum qcq_status st = qml_tfilter_create(&l->tf, f, l->in_h, l->in_w, err);
	if (st)
		return st;
	int na = qml_filter_nangles(f);
	double *th = qcq_xcalloc((size_t)na + 1, sizeof *th);
	qml_filter_angles(f, th);
	st = qml_filter_with_angles(f, th, NULL, &l->tmpl, err);
	free(th);
	if (st) {
		qml_tfilter_destroy(l->tf);
		l->tf = NULL;
		return st;
	}
	l->nw = (size_t)na;
	return QCQ_OK;
}

void nn_qfilter_free(struct nn_layer *l)
{
	qml_tfilter_destroy(l->tf);
	qml_filter_destroy(l->tmpl);
	l->tf = NULL, l->tmpl = NULL;
}

void nn_qfilter_init(struct nn_layer *l)
{
	double *th = qcq_xcalloc(l->nw + 1, sizeof *th);
	qml_filter_angles(l->tmpl, th);
	for (size_t a = 0; a < l->nw; a++)
		l->w[a] = (float)th[a];
	free(th);
}

void nn_qfilter_forward(struct nn_layer *l, const float *in, int B)
{
	qml_tfilter_set_angles(l->tf, l->w);
	qml_tfilter_forward(l->tf, l->out, in, B);
}

void nn_qfilter_backward(struct nn_layer *l, const float *in, int B)
{
	/* the forward of this batch set the angles l->w */
	qml_tfilter_backward(l->tf, l->dw, l->dout, in, B);
}

enum qcq_status nn_model_filter(const struct nn_model *m, struct qml_filter **out,
				struct qcq_error *err)
{
	*out = NULL;
	if (m->nl == 0 || m->L[0].kind != NN_L_QFILTER)
		return qcq_error_set(err, QCQ_EUNSUPPORTED, "model %s has no trainable filter",
				     nn_arch_name((enum nn_arch)m->desc.arch));
	const struct nn_layer *l = &m->L[0];
	double *th = qcq_xcalloc(l->nw + 1, sizeof *th);
	for (size_t a = 0; a < l->nw; a++)
		th[a] = l->w[a];
	/* named after the circuit it was trained from (once, however often retrained) */
	const char *base = qml_filter_name(l->tmpl);
	char name[96];
	snprintf(name, sizeof name, "%s%s", strncmp(base, "trained: ", 9) ? "trained: " : "", base);
	enum qcq_status st = qml_filter_with_angles(l->tmpl, th, name, out, err);
	free(th);
	return st;
}
