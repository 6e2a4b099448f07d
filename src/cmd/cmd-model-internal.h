/*
 * cmd/cmd-model-internal.h: what the model commands (model, summary, train, eval,
 * confusion, predict, save/load model, export curves) share: finding the model's
 * inputs in the workspace and the common refusals. Defined in cmd-family-model.c.
 */
#ifndef QCQ_CMD_MODEL_INTERNAL_H
#define QCQ_CMD_MODEL_INTERNAL_H

#include "cmd-internal.h"
#include "qcq/nn.h"
#include "qcq/train.h"

/* Largest batch a model of the workspace is built for (training and evaluation). */
#define CMD_MODEL_MAX_BATCH 32

/* Does this architecture take quanvolved features (else images)? */
bool cmd_model_takes_features(enum nn_arch arch);

/* ws->model, or an error "no model: create one with `model NAME` (...)". */
enum qcq_status cmd_model_need(struct cmd_ctx *ctx, struct nn_model **m);

/*
 * The inputs of a model for each part of the split (train, val, test): the quanvolved
 * features (quanv-mlp, qccnn, qcq-cnn) or the images (mlp, cnn), resized to the
 * model's input for qcnn, with the split's labels. Refuses when the split or the
 * features are missing, or when their shape does not match the model (saying what to
 * run). The arrays are copies owned by *in (a background job may keep them while the
 * workspace changes).
 */
struct cmd_model_inputs {
	struct train_data part[3]; /* DATA_TRAIN, DATA_VAL, DATA_TEST */
	float *x[3];               /* owned copies, or NULL where part[] borrows */
	int32_t *y[3];
};
/*
 * The model's inputs for every part of the split: the quanvolved features or the images
 * (resized for qcnn). borrow: point into the workspace where no resizing is needed, for
 * commands that finish before the workspace can change (eval, predict); a training job
 * passes false and gets its own copies, since commands may run while it trains.
 */
enum qcq_status cmd_model_inputs(struct cmd_ctx *ctx, const struct nn_model *m, bool borrow,
				 struct cmd_model_inputs *in);
void cmd_model_inputs_free(struct cmd_model_inputs *in);

/*
 * The quantum classifier (qml's qlayer) simulates depolarizing noise only: while `set
 * noise damping` is on, building or training a model with a quantum layer fails with
 * QCQ_EUNSUPPORTED instead of ignoring it: "WHAT: ... `set noise damping gamma=0
 * lambda=0` to TODO" (what "train", todo "train"). OK when gamma and lambda are 0.
 */
enum qcq_status cmd_model_refuse_damping(struct cmd_ctx *ctx, const char *what,
					 const char *todo);

/*
 * The quantum classifier follows the settings shots and noise (depolarizing p1, p2)
 * wherever the model is used — train, eval, confusion, predict — so that a model built,
 * trained or loaded under other settings runs with the ones shown by `show settings`;
 * the log says when that changes it (what: the command's name). A model with no quantum
 * classifier takes neither, and says so when they are set; one whose quantum layer is
 * exact only (qcnn, the K-class classifier) refuses, saying what to set.
 */
enum qcq_status cmd_model_follow_noise(struct cmd_ctx *ctx, struct nn_model *m, const char *what);
/* The same for the workspace's model (if any) where a command changed the model or the
 * settings (set, load model): never fails; what it would refuse becomes a note. */
void cmd_model_note_noise(struct cmd_ctx *ctx, const char *what);

/* The part named by text ("train", "val", "test"); an error for anything else. */
enum qcq_status cmd_model_part(struct cmd_ctx *ctx, const char *text, int *part);

/*
 * After training or loading a model with a trainable filter: the workspace's filter
 * becomes the model's circuit at its current angles, so `patch`, `circuit template
 * filter`, `quanv` and heatmaps show the trained filter (and the feature cache, keyed
 * on qml_filter_hash, tells it apart); features of another filter are dropped. Returns
 * a note for the user ("" when nothing changed).
 */
const char *cmd_model_sync_filter(struct cmd_workspace *ws);

/* Replace ws->model and ws->history (either may be NULL), freeing what was there. */
void cmd_model_put(struct cmd_workspace *ws, struct nn_model *m, struct train_history *h);

/* Writes a line to the workspace's output outside a command (job finish callbacks). */
void cmd_model_out(struct cmd_workspace *ws, enum cmd_stream s, const char *fmt, ...)
	QCQ_PRINTF(3, 4);

/* The model's metrics on the part named by the call's first word (default test), for
 * eval and confusion: errors for no model, no data, an unknown or empty part. */
enum qcq_status cmd_model_evaluate(struct cmd_ctx *ctx, const struct cmd_call *call, int *part,
				   struct train_metrics *mt);

/*
 * After `set depth` or `set observable` (the new settings s, before they are stored):
 * when the workspace's qcq-cnn has another depth or observable, builds the model again
 * with them into *rebuilt, keeping the parameters of every layer that keeps its shape,
 * and says so in the log (the caller installs it with cmd_model_put). *rebuilt is NULL
 * when nothing needs rebuilding (no model, same classifier, or a model without a
 * RealAmplitudes classifier, which is said). On error nothing has changed.
 */
enum qcq_status cmd_model_follow_settings(struct cmd_ctx *ctx, const struct cmd_settings *s,
					  struct nn_model **rebuilt);

#endif
