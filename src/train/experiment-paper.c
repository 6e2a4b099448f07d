/*
 * train/experiment-paper.c: what the paper did, in one place — its Table 1, its depth
 * study's timings, its protocol as a study spec, and the list of ways a study departs
 * from that protocol (forced by the data, or chosen where the paper is unclear or
 * silent), which the study prints when it starts and writes into table.md.
 *
 * The paper: C. Long, M. Huang, X. Ye, Y. Futamura, T. Sakurai, "Hybrid quantum-classical-
 * quantum convolutional neural networks", Scientific Reports (2025),
 * doi:10.1038/s41598-025-13417-1. Not here: the part sizes per task (experiment-data.c,
 * which sees how many images the data hold).
 */
#include "experiment-internal.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* Table 1 of Long et al. (Sci. Rep. 2025): test accuracy (%), mean ± std over 10 seeds,
 * per model on MNIST 3 vs 5, Fashion-MNIST T-shirt/top vs Trouser and brain MRI. */
static const struct {
	enum nn_arch arch;
	double mean[3], std[3]; /* mnist, fashion, mri */
} paper_table1[] = {
	{NN_ARCH_MLP, {96.56, 98.48, 86.10}, {0.13, 0.11, 0.40}},
	{NN_ARCH_QUANV_MLP, {96.86, 98.58, 89.24}, {0.14, 0.13, 0.85}},
	{NN_ARCH_CNN, {98.79, 99.19, 89.43}, {0.13, 0.19, 1.00}},
	{NN_ARCH_QCCNN, {98.81, 99.28, 90.06}, {0.25, 0.12, 1.00}},
	{NN_ARCH_QCQ_CNN, {98.85, 99.41, 95.18}, {0.25, 0.14, 0.65}},
};

/* The paper's QCQ-CNN training time on MNIST 3 vs 5 per RealAmplitudes reps (Fig. 11). */
static const double paper_depth_seconds[] = {364.47, 438.70, 525.83};

bool train_exp_paper_cell(enum nn_arch arch, enum train_exp_data data, double *mean, double *std)
{
	int col = data == TRAIN_EXP_MNIST ? 0 : data == TRAIN_EXP_FASHION ? 1
		: data == TRAIN_EXP_MRI ? 2 : -1;
	for (size_t i = 0; col >= 0 && i < sizeof paper_table1 / sizeof paper_table1[0]; i++) {
		if (paper_table1[i].arch == arch) {
			*mean = paper_table1[i].mean[col];
			*std = paper_table1[i].std[col];
			return true;
		}
	}
	return false;
}

double train_exp_paper_depth_seconds(enum train_exp_data data, int depth)
{
	if (data != TRAIN_EXP_MNIST || depth < 1 || depth > 3)
		return NAN;
	return paper_depth_seconds[depth - 1];
}

const char *train_exp_protocol_name(enum train_exp_protocol p)
{
	return p == TRAIN_EXP_PAPER ? "paper" : p == TRAIN_EXP_OWN ? "own" : "?";
}

enum qcq_status train_exp_protocol_from_name(const char *name, enum train_exp_protocol *out,
					     struct qcq_error *err)
{
	if (strcmp(name, "paper") == 0)
		*out = TRAIN_EXP_PAPER;
	else if (strcmp(name, "own") == 0)
		*out = TRAIN_EXP_OWN;
	else
		return qcq_error_set(err, QCQ_EINVAL, "unknown protocol '%s' (paper, own)", name);
	return QCQ_OK;
}

void train_exp_spec_paper(struct train_exp_spec *s)
{
	/* qcqlab's defaults already follow the paper in the training settings and lists */
	struct train_exp_spec d;
	train_exp_spec_default(&d, TRAIN_EXP_COMPARE);
	s->protocol = TRAIN_EXP_PAPER;
	s->seeds = TRAIN_EXP_PAPER_SEEDS;
	s->epochs = d.epochs, s->patience = d.patience, s->batch = d.batch, s->lr = d.lr;
	s->ntrain = s->nval = s->ntest = -1;
	s->size = 1;
	s->depth = 2;
	s->observable = NN_OBS_Z0;
	if (s->kind == TRAIN_EXP_COMPARE) {
		s->nmodels = d.nmodels;
		memcpy(s->models, d.models, sizeof d.models);
	}
	s->ndatasets = s->kind == TRAIN_EXP_NOISE ? 1 : d.ndatasets; /* mnist first */
	memcpy(s->datasets, d.datasets, sizeof d.datasets);
	s->nshots = d.nshots;
	memcpy(s->shots, d.shots, sizeof d.shots);
	s->nlevels = 2; /* the paper has no shots-only level: (0.01, 0.02), (0.02, 0.03) */
	s->levels[0] = (struct train_exp_level){0.01, 0.02};
	s->levels[1] = (struct train_exp_level){0.02, 0.03};
	s->ndepths = d.ndepths;
	memcpy(s->depths, d.depths, sizeof d.depths);
}

void train_exp_notes_add(struct exp_notes *n, const char *fmt, ...)
{
	if (n->n >= EXP_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(n->line[n->n++], sizeof n->line[0], fmt, ap);
	va_end(ap);
}

static bool has_model(const struct train_exp_spec *s, enum nn_arch a)
{
	for (int i = 0; i < s->nmodels; i++)
		if (s->models[i] == a)
			return true;
	return false;
}

static bool has_data(const struct train_exp_spec *s, enum train_exp_data d)
{
	for (int i = 0; i < s->ndatasets; i++)
		if (s->datasets[i] == d)
			return true;
	return false;
}

/* Settings changed from the protocol on purpose (reduced runs, options). */
static void changed(const struct train_exp_spec *s, struct exp_notes *n)
{
	struct train_exp_spec p = *s;
	train_exp_spec_paper(&p);
	if (s->seeds != p.seeds)
		train_exp_notes_add(n, "seeds: %d, the paper's: %d (reduced run)", s->seeds, p.seeds);
	if (s->epochs != p.epochs)
		train_exp_notes_add(n, "epochs: at most %d, the paper's: %d (reduced run)", s->epochs, p.epochs);
	if (s->size != 1)
		train_exp_notes_add(n, "sizes: %g of the protocol's part sizes (reduced run)", s->size);
	if (s->patience != p.patience || s->lr != p.lr || s->batch != p.batch)
		train_exp_notes_add(n, "training: patience %d, lr %g, batch %d (the protocol: 10, 0.001, 4 and 1 "
		    "for qcq-cnn)", s->patience, s->lr, s->batch);
	if (s->kind != TRAIN_EXP_DEPTH && s->depth != p.depth)
		train_exp_notes_add(n, "qcq-cnn: RealAmplitudes reps %d, the paper's: 2", s->depth);
	if (s->observable != NN_OBS_Z0)
		train_exp_notes_add(n, "qcq-cnn: observable <Z0 Z1>, the paper's: <Z0>");
	bool same_lists = s->nmodels == p.nmodels && s->ndatasets == p.ndatasets &&
			  !memcmp(s->models, p.models, sizeof s->models[0] * (size_t)s->nmodels) &&
			  !memcmp(s->datasets, p.datasets, sizeof s->datasets[0] * (size_t)s->ndatasets);
	if (s->kind == TRAIN_EXP_NOISE)
		same_lists = same_lists && s->nshots == p.nshots && s->nlevels == p.nlevels &&
			     !memcmp(s->shots, p.shots, sizeof s->shots[0] * (size_t)s->nshots) &&
			     !memcmp(s->levels, p.levels, sizeof s->levels[0] * (size_t)s->nlevels);
	if (s->kind == TRAIN_EXP_DEPTH)
		same_lists = same_lists && s->ndepths == p.ndepths &&
			     !memcmp(s->depths, p.depths, sizeof s->depths[0] * (size_t)s->ndepths);
	if (!same_lists)
		train_exp_notes_add(n, "models, data sets, shots, levels or depths differ from the paper's lists");
}

void train_exp_paper_notes(const struct train_exp_spec *s, struct exp_notes *n)
{
	changed(s, n);
	/* choices where the paper is silent or unclear (PAPER.md marks them) */
	train_exp_notes_add(n, "choice: early stopping after 10 epochs without a better validation accuracy, "
	    "the best epoch's weights restored (the paper gives no patience)");
	train_exp_notes_add(n, "choice: Adam lr 0.001 (not in the paper's text; the authors' notebook uses it)");
	train_exp_notes_add(n, "choice: one split per task (split seed 1) for every seed; a seed sets the "
	    "initialisation and the sample order (the paper does not say)");
	train_exp_notes_add(n, "choice: the quanvolution filter is PennyLane's RandomLayers demo circuit, 2x2 "
	    "patches, stride 2, 28x28 -> 4x14x14 (the paper's text and code disagree; input size "
	    "implied, not given)");
	if (s->kind == TRAIN_EXP_COMPARE && has_model(s, NN_ARCH_CNN))
		train_exp_notes_add(n, "choice: 3x3 convolution kernels in cnn, qccnn and qcq-cnn (not given)");
	if (s->kind == TRAIN_EXP_COMPARE &&
	    (has_model(s, NN_ARCH_MLP) || has_model(s, NN_ARCH_QUANV_MLP)))
		train_exp_notes_add(n, "deviation: mlp and quanv-mlp end in 2 softmax outputs, the paper's in 10 "
		    "(8 of which no label uses)");
	train_exp_notes_add(n, "deviation: qcq-cnn maps <Z0> to 2 logits with Linear(1,2) (the paper: <Z0> "
	    "compared with a trainable bias; the same decision rule with a learned scale)");
	if (has_data(s, TRAIN_EXP_MRI))
		train_exp_notes_add(n, "choice: mri images are the 128x128 PNGs area-averaged to 28x28; the sides "
		    "are no_tumor vs the three tumour classes in these data's proportions (the "
		    "paper's 790 / 2,745 match no grouping of the four classes)");
	if (s->kind == TRAIN_EXP_DEPTH) {
		train_exp_notes_add(n, "choice: depth study, mnist and fashion: validation and test parts as in "
		    "Table 1 (the paper gives only the 100 training images)");
		train_exp_notes_add(n, "choice: depth study trains as Table 1 does (early stopping); Fig 11 here "
		    "plots validation accuracy per epoch");
		train_exp_notes_add(n, "deviation: the paper's depth times (364 / 439 / 526 s on MNIST) are for "
		    "its own code and machine; ours are this machine's training seconds per run");
	}
	if (s->kind == TRAIN_EXP_NOISE) {
		train_exp_notes_add(n, "choice: noise study on the Table 1 MNIST split (the paper gives no size)");
		train_exp_notes_add(n, "choice: shots and noise act in training and in evaluation alike (the "
		    "paper says inference, its figures plot training accuracy)");
	}
}
