/*
 * train/checkpoint.c: .qcqm model checkpoints.
 *
 * Layout (little-endian throughout):
 *   header, 48 bytes: "QCQMODEL", u32 version, u32 header size (48), u64 payload size,
 *                     u64 FNV-1a 64 of the payload, u64 parameter count, u64 0
 *   payload: sections, each u32 tag, u32 0, u64 length, then length bytes:
 *     DESC the nn_model_desc, field by field (then the filter fields: a file without
 *          them is read as a fixed filter; then the classes: without them, 2; then the
 *          K-class readout revision: without it 0, which a K-class qcq-cnn refuses)
 *     PARM the parameter block (f32)
 *     OPTM i64 step, Adam m, Adam v (f32 each)
 *     RNG_ the model's xoshiro state (4 x u64)
 *     HIST the history: options, resumable state, rows, test metrics, best parameters,
 *          the filter learning rate, the K x K test confusion (older files: 2 x 2 only)
 *     FILT the quanvolution filter: k, stride, name, gate list; for a model with a
 *          trainable filter, the model's own with its current angles (its circuit)
 *   Unknown tags are skipped, so later versions can add sections.
 *
 * The file is read whole and checked (magic, version, sizes, checksum) before anything
 * is parsed; every read inside the payload is bounds-checked, so a corrupt file cannot
 * make the parser read past its buffer, and nothing is allocated for the caller until
 * the whole file has been accepted.
 */
#include "qcq/train.h"

#include "qcq/nn.h"
#include "qcq/qml.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "QCQMODEL"
#define HEADER_BYTES 48
#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define TAG_DESC TAG('D', 'E', 'S', 'C')
#define TAG_PARM TAG('P', 'A', 'R', 'M')
#define TAG_OPTM TAG('O', 'P', 'T', 'M')
#define TAG_RNG TAG('R', 'N', 'G', '_')
#define TAG_HIST TAG('H', 'I', 'S', 'T')
#define TAG_FILT TAG('F', 'I', 'L', 'T')

/* ---------------------------------------------------------------- writing */

struct wbuf {
	uint8_t *p;
	size_t n, cap;
};

static void w_bytes(struct wbuf *b, const void *src, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 256;
		b->p = qcq_xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, src, n);
	b->n += n;
}

static void w_u64(struct wbuf *b, uint64_t v)
{
	uint8_t x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	w_bytes(b, x, 8);
}

static void w_u32(struct wbuf *b, uint32_t v)
{
	uint8_t x[4];
	for (int i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	w_bytes(b, x, 4);
}

static void w_u8(struct wbuf *b, uint8_t v)
{
	w_bytes(b, &v, 1);
}

static void w_f32(struct wbuf *b, float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	w_u32(b, u);
}

static void w_f64(struct wbuf *b, double f)
{
	uint64_t u;
	memcpy(&u, &f, 8);
	w_u64(b, u);
}

static void w_f32s(struct wbuf *b, const float *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w_f32(b, v[i]);
}

/* Starts a section; returns where its length goes (patched by section_end). */
static size_t section_begin(struct wbuf *b, uint32_t tag)
{
	w_u32(b, tag);
	w_u32(b, 0);
	w_u64(b, 0);
	return b->n;
}

static void section_end(struct wbuf *b, size_t start)
{
	uint64_t len = b->n - start;
	for (int i = 0; i < 8; i++)
		b->p[start - 8 + (size_t)i] = (uint8_t)(len >> (8 * i));
}

static void write_desc(struct wbuf *b, const struct nn_model_desc *d)
{
	size_t s = section_begin(b, TAG_DESC);
	uint32_t u[8] = {d->arch, d->in_c, d->in_h, d->in_w, d->conv1, d->conv2, d->depth,
			 d->observable};
	for (int i = 0; i < 8; i++)
		w_u32(b, u[i]);
	w_f32(b, d->dropout);
	w_f32(b, d->p1);
	w_f32(b, d->p2);
	w_u32(b, d->frozen);
	w_u64(b, d->shots);
	w_u64(b, d->seed);
	w_u32(b, d->filter);
	w_u32(b, d->filter_k);
	w_u32(b, d->filter_stride);
	w_u32(b, (uint32_t)nn_desc_classes(d));
	w_u32(b, NN_KCLASS_READOUT_REVISION);
	section_end(b, s);
}

static void write_opts(struct wbuf *b, const struct train_opts *o)
{
	w_u32(b, (uint32_t)o->epochs);
	w_u32(b, (uint32_t)o->batch);
	w_f64(b, o->lr);
	w_u64(b, o->seed);
	w_u8(b, o->shuffle);
	w_u8(b, o->restore_best);
	w_u8(b, (uint8_t)o->optim);
	w_u8(b, 0);
	w_u32(b, (uint32_t)o->patience);
	w_f64(b, o->momentum);
	w_f64(b, o->event_interval);
}

static void write_history(struct wbuf *b, const struct train_history *h, size_t np)
{
	size_t s = section_begin(b, TAG_HIST);
	write_opts(b, &h->opts);
	w_u32(b, (uint32_t)h->best_epoch);
	w_f64(b, h->best_val_acc);
	w_u32(b, (uint32_t)h->since_best);
	w_u32(b, (uint32_t)h->end);
	w_u64(b, h->n);
	for (size_t i = 0; i < h->n; i++) {
		const struct train_epoch *r = &h->rows[i];
		w_u32(b, (uint32_t)r->epoch);
		w_f64(b, r->train_loss);
		w_f64(b, r->train_acc);
		w_f64(b, r->val_loss);
		w_f64(b, r->val_acc);
		w_f64(b, r->seconds);
	}
	w_u8(b, h->has_test);
	w_u64(b, h->test.n);
	w_f64(b, h->test.loss);
	w_f64(b, h->test.acc);
	for (int i = 0; i < 4; i++)
		w_u64(b, h->test.confusion[i / 2][i % 2]);
	w_f64(b, h->total_seconds);
	bool best = h->best_params && h->nparams == np;
	w_u8(b, best);
	if (best)
		w_f32s(b, h->best_params, np);
	bool resume = h->resume_state && h->nparams == np;
	w_u8(b, resume);
	if (resume) {
		w_f32s(b, h->resume_state, 3 * np);
		w_u64(b, (uint64_t)h->resume_t);
		for (int i = 0; i < 4; i++)
			w_u64(b, h->resume_rng.s[i]);
	}
	w_f64(b, h->opts.filter_lr); /* older files end before it */
	int K = train_metrics_classes(&h->test); /* then the K x K test confusion */
	w_u32(b, (uint32_t)K);
	for (int i = 0; i < K * K; i++)
		w_u64(b, h->test.confusion[i / K][i % K]);
	section_end(b, s);
}

static void write_filter(struct wbuf *b, const struct qml_filter *f)
{
	size_t s = section_begin(b, TAG_FILT);
	w_u32(b, (uint32_t)qml_filter_patch(f));
	w_u32(b, (uint32_t)qml_filter_stride(f));
	const char *name = qml_filter_name(f) ? qml_filter_name(f) : "";
	w_u32(b, (uint32_t)strlen(name));
	w_bytes(b, name, strlen(name));
	int ng = qml_filter_ngates(f);
	w_u32(b, (uint32_t)ng);
	for (int i = 0; i < ng; i++) {
		const struct qml_gate *g = qml_filter_gate(f, i);
		char nm[8] = {0};
		memcpy(nm, g->name, strnlen(g->name, sizeof nm));
		w_bytes(b, nm, 8);
		w_u32(b, (uint32_t)g->nq);
		for (int k = 0; k < QML_GATE_MAX_QUBITS; k++)
			w_u32(b, (uint32_t)(k < g->nq ? g->q[k] : 0));
		w_u32(b, (uint32_t)g->nparam);
		for (int k = 0; k < 3; k++)
			w_f64(b, k < g->nparam ? g->param[k] : 0.0);
	}
	section_end(b, s);
}

enum qcq_status train_checkpoint_save(const char *path, struct nn_model *m,
				      const struct train_history *h, const struct qml_filter *f,
				      struct qcq_error *err)
{
	size_t np = nn_model_nparams(m);
	struct wbuf b = {0};
	w_bytes(&b, MAGIC, 8);
	w_u32(&b, TRAIN_CKPT_VERSION);
	w_u32(&b, HEADER_BYTES);
	w_u64(&b, 0); /* payload size, patched below */
	w_u64(&b, 0); /* checksum, patched below */
	w_u64(&b, np);
	w_u64(&b, 0);
	write_desc(&b, nn_model_get_desc(m));
	size_t s = section_begin(&b, TAG_PARM);
	w_f32s(&b, nn_model_params(m), np);
	section_end(&b, s);
	s = section_begin(&b, TAG_OPTM);
	w_u64(&b, (uint64_t)nn_model_opt_t(m));
	w_f32s(&b, nn_model_opt_m(m), np);
	w_f32s(&b, nn_model_opt_v(m), np);
	section_end(&b, s);
	s = section_begin(&b, TAG_RNG);
	for (int i = 0; i < 4; i++)
		w_u64(&b, nn_model_rng(m)->s[i]);
	section_end(&b, s);
	if (h)
		write_history(&b, h, np);
	struct qml_filter *own = NULL;
	if (nn_model_nparams_filter(m) && nn_model_filter(m, &own, err)) {
		free(b.p);
		return err ? err->code : QCQ_ENUMERIC;
	}
	if (own || f)
		write_filter(&b, own ? own : f);
	if (own)
		qml_filter_destroy(own);
	uint64_t payload = b.n - HEADER_BYTES;
	uint64_t sum = qcq_hash(QCQ_HASH_INIT, b.p + HEADER_BYTES, payload);
	for (int i = 0; i < 8; i++) {
		b.p[16 + i] = (uint8_t)(payload >> (8 * i));
		b.p[24 + i] = (uint8_t)(sum >> (8 * i));
	}
	enum qcq_status st = qcq_write_file_atomic(path, b.p, b.n, err);
	free(b.p);
	return st;
}

/* ---------------------------------------------------------------- reading */

struct rbuf {
	const uint8_t *p;
	size_t n, off;
	bool bad;
};

static const uint8_t *r_bytes(struct rbuf *r, size_t n)
{
	if (r->bad || n > r->n - r->off) {
		r->bad = true;
		return NULL;
	}
	const uint8_t *p = r->p + r->off;
	r->off += n;
	return p;
}

static uint64_t r_u64(struct rbuf *r)
{
	const uint8_t *p = r_bytes(r, 8);
	uint64_t v = 0;
	for (int i = 0; p && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint32_t r_u32(struct rbuf *r)
{
	const uint8_t *p = r_bytes(r, 4);
	uint32_t v = 0;
	for (int i = 0; p && i < 4; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static uint8_t r_u8(struct rbuf *r)
{
	const uint8_t *p = r_bytes(r, 1);
	return p ? *p : 0;
}

static float r_f32(struct rbuf *r)
{
	uint32_t u = r_u32(r);
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static double r_f64(struct rbuf *r)
{
	uint64_t u = r_u64(r);
	double f;
	memcpy(&f, &u, 8);
	return f;
}

static void r_f32s(struct rbuf *r, float *v, size_t n)
{
	if (n > (r->n - r->off) / 4) {
		r->bad = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = r_f32(r);
}

/* Where the sections are (offsets into the payload), found in a first pass. */
struct sections {
	struct rbuf desc, parm, optm, rng, hist, filt;
	bool has_desc, has_parm, has_optm, has_rng, has_hist, has_filt;
};

static enum qcq_status find_sections(const uint8_t *p, size_t n, struct sections *s,
				     struct qcq_error *err)
{
	memset(s, 0, sizeof *s);
	struct rbuf r = {p, n, 0, false};
	while (r.off < n) {
		uint32_t tag = r_u32(&r);
		r_u32(&r);
		uint64_t len = r_u64(&r);
		if (r.bad || len > n - r.off)
			return qcq_error_set(err, QCQ_EFORMAT, "payload offset %zu: section length %llu "
					     "runs past the end",
					     r.off, (unsigned long long)len);
		struct rbuf sec = {p + r.off, (size_t)len, 0, false};
		r.off += (size_t)len;
		struct rbuf *dst = NULL;
		bool *has = NULL;
		switch (tag) {
		case TAG_DESC: dst = &s->desc, has = &s->has_desc; break;
		case TAG_PARM: dst = &s->parm, has = &s->has_parm; break;
		case TAG_OPTM: dst = &s->optm, has = &s->has_optm; break;
		case TAG_RNG: dst = &s->rng, has = &s->has_rng; break;
		case TAG_HIST: dst = &s->hist, has = &s->has_hist; break;
		case TAG_FILT: dst = &s->filt, has = &s->has_filt; break;
		default: break; /* a section of a later version: skipped */
		}
		if (dst) {
			*dst = sec;
			*has = true;
		}
	}
	if (!s->has_desc || !s->has_parm)
		return qcq_error_set(err, QCQ_EFORMAT, "no %s section",
				     s->has_desc ? "parameter" : "architecture");
	return QCQ_OK;
}

static enum qcq_status read_desc(struct rbuf *r, struct nn_model_desc *d, struct qcq_error *err)
{
	memset(d, 0, sizeof *d);
	d->arch = r_u32(r), d->in_c = r_u32(r), d->in_h = r_u32(r), d->in_w = r_u32(r);
	d->conv1 = r_u32(r), d->conv2 = r_u32(r), d->depth = r_u32(r), d->observable = r_u32(r);
	d->dropout = r_f32(r), d->p1 = r_f32(r), d->p2 = r_f32(r), d->frozen = r_u32(r);
	d->shots = r_u64(r), d->seed = r_u64(r);
	d->filter = NN_FILTER_FIXED, d->filter_k = d->filter_stride = 2;
	if (!r->bad && r->off < r->n)
		d->filter = r_u32(r), d->filter_k = r_u32(r), d->filter_stride = r_u32(r);
	d->nclasses = 2;
	if (!r->bad && r->off < r->n)
		d->nclasses = r_u32(r);
	uint32_t readout = 0; /* files before the field: the unbounded K-class readout */
	if (!r->bad && r->off < r->n)
		readout = r_u32(r);
	if (r->bad)
		return qcq_error_set(err, QCQ_EFORMAT, "architecture section too short");
	if (nn_desc_kclass_quantum(d) && readout != NN_KCLASS_READOUT_REVISION)
		return qcq_error_set(err, QCQ_EFORMAT,
				     "a %u-class %s saved with K-class readout revision %u (its "
				     "classifier read unbounded inputs); this build reads revision "
				     "%u (tanh-bounded), which would make these parameters another "
				     "model: train it again",
				     d->nclasses, nn_arch_name((enum nn_arch)d->arch), readout,
				     NN_KCLASS_READOUT_REVISION);
	enum qcq_status st = nn_model_desc_check(d, err);
	return st ? qcq_error_prefix(err, "architecture") : QCQ_OK;
}

static enum qcq_status read_history(struct rbuf *r, size_t np, struct train_history **out,
				    struct qcq_error *err)
{
	struct train_history *h = train_history_create();
	struct train_opts *o = &h->opts;
	o->epochs = (int)r_u32(r), o->batch = (int)r_u32(r), o->lr = r_f64(r), o->seed = r_u64(r);
	o->shuffle = r_u8(r), o->restore_best = r_u8(r), o->optim = (enum train_optim)r_u8(r);
	r_u8(r);
	o->patience = (int)r_u32(r), o->momentum = r_f64(r), o->event_interval = r_f64(r);
	h->best_epoch = (int)r_u32(r), h->best_val_acc = r_f64(r), h->since_best = (int)r_u32(r);
	uint32_t end = r_u32(r);
	uint64_t nrows = r_u64(r);
	enum qcq_status st = QCQ_OK;
	if (r->bad)
		st = qcq_error_set(err, QCQ_EFORMAT, "history section too short");
	else if ((st = train_opts_check(o, err)))
		qcq_error_prefix(err, "history options");
	else if (end > TRAIN_FAILED || nrows > (uint64_t)o->epochs || h->best_epoch < 0 ||
		 (uint64_t)h->best_epoch > nrows || h->since_best < 0)
		st = qcq_error_set(err, QCQ_EFORMAT,
				   "history state out of range (end %u, %llu rows of %d epochs, best "
				   "epoch %d)",
				   end, (unsigned long long)nrows, o->epochs, h->best_epoch);
	if (st) {
		train_history_free(h);
		return st;
	}
	h->end = (enum train_end)end;
	h->cap = (size_t)o->epochs;
	h->rows = qcq_xcalloc(h->cap, sizeof *h->rows);
	for (uint64_t i = 0; i < nrows && !r->bad; i++) {
		struct train_epoch *e = &h->rows[h->n++];
		e->epoch = (int)r_u32(r);
		e->train_loss = r_f64(r), e->train_acc = r_f64(r);
		e->val_loss = r_f64(r), e->val_acc = r_f64(r), e->seconds = r_f64(r);
	}
	h->has_test = r_u8(r);
	h->test.n = r_u64(r);
	h->test.loss = r_f64(r);
	h->test.acc = r_f64(r);
	for (int i = 0; i < 4; i++)
		h->test.confusion[i / 2][i % 2] = r_u64(r);
	h->total_seconds = r_f64(r);
	if (r_u8(r)) {
		h->nparams = np;
		h->best_params = qcq_xmalloc(np * sizeof(float));
		r_f32s(r, h->best_params, np);
	}
	if (r_u8(r)) {
		h->nparams = np;
		h->resume_state = qcq_xmalloc(3 * np * sizeof(float));
		r_f32s(r, h->resume_state, 3 * np);
		h->resume_t = (long)r_u64(r);
		for (int i = 0; i < 4; i++)
			h->resume_rng.s[i] = r_u64(r);
	}
	if (!r->bad && r->off < r->n)
		o->filter_lr = r_f64(r);
	h->test.nclasses = 2;
	if (!r->bad && r->off < r->n) {
		uint32_t K = r_u32(r);
		if (K < 2 || K > TRAIN_MAX_CLASSES) {
			train_history_free(h);
			return qcq_error_set(err, QCQ_EFORMAT, "history: %u classes out of range 2..%d",
					     K, TRAIN_MAX_CLASSES);
		}
		h->test.nclasses = (int)K;
		for (uint32_t i = 0; i < K * K; i++)
			h->test.confusion[i / K][i % K] = r_u64(r);
	}
	if (!r->bad && (st = train_opts_check(o, err))) {
		train_history_free(h);
		return qcq_error_prefix(err, "history options");
	}
	if (r->bad) {
		train_history_free(h);
		return qcq_error_set(err, QCQ_EFORMAT, "history section too short");
	}
	*out = h;
	return QCQ_OK;
}

static enum qcq_status read_filter(struct rbuf *r, struct qml_filter **out, struct qcq_error *err)
{
	int k = (int)r_u32(r), stride = (int)r_u32(r);
	uint32_t nlen = r_u32(r);
	char name[256] = "";
	const uint8_t *np = nlen < sizeof name ? r_bytes(r, nlen) : NULL;
	if (np)
		memcpy(name, np, nlen);
	uint32_t ng = r_u32(r);
	if (r->bad || !np || ng > QML_FILTER_MAX_GATES)
		return qcq_error_set(err, QCQ_EFORMAT, "filter section malformed (%u gates)", ng);
	struct qml_gate *gates = qcq_xcalloc(ng ? ng : 1, sizeof *gates);
	enum qcq_status st = QCQ_OK;
	for (uint32_t i = 0; i < ng && !st; i++) {
		char gname[9] = {0};
		const uint8_t *p = r_bytes(r, 8);
		if (p)
			memcpy(gname, p, 8);
		int nq = (int)r_u32(r), q[QML_GATE_MAX_QUBITS];
		for (int j = 0; j < QML_GATE_MAX_QUBITS; j++)
			q[j] = (int)r_u32(r);
		int npar = (int)r_u32(r);
		double par[3];
		for (int j = 0; j < 3; j++)
			par[j] = r_f64(r);
		if (r->bad)
			st = qcq_error_set(err, QCQ_EFORMAT, "filter section too short");
		else if (nq < 0 || nq > QML_GATE_MAX_QUBITS || npar < 0 || npar > 3)
			st = qcq_error_set(err, QCQ_EFORMAT, "filter gate %u: %d qubits, %d params", i,
					   nq, npar);
		else if ((st = qml_gate_make(&gates[i], gname, q, nq, par, npar, err)))
			qcq_error_prefix(err, "filter gate %u", i);
	}
	if (!st && (st = qml_filter_create(out, k, stride, gates, (int)ng, name[0] ? name : NULL,
					     err)))
		qcq_error_prefix(err, "filter");
	free(gates);
	return st;
}

/* Checks the header against the bytes; returns the payload. */
static enum qcq_status check_header(const uint8_t *d, size_t n, uint64_t *np,
				    struct qcq_error *err)
{
	if (n < 8 || memcmp(d, MAGIC, 8) != 0)
		return qcq_error_set(err, QCQ_EFORMAT, "not a qcqlab model checkpoint (no QCQMODEL "
				     "magic at the start)");
	if (n < HEADER_BYTES)
		return qcq_error_set(err, QCQ_EFORMAT, "truncated: %zu bytes, the header alone is %d",
				     n, HEADER_BYTES);
	struct rbuf r = {d, n, 8, false};
	uint32_t version = r_u32(&r), hsize = r_u32(&r);
	uint64_t payload = r_u64(&r), sum = r_u64(&r);
	*np = r_u64(&r);
	if (version != TRAIN_CKPT_VERSION)
		return qcq_error_set(err, QCQ_EFORMAT, "checkpoint version %u not supported (this "
				     "build reads version %d)",
				     version, TRAIN_CKPT_VERSION);
	if (hsize != HEADER_BYTES)
		return qcq_error_set(err, QCQ_EFORMAT, "header size %u, expected %d", hsize,
				     HEADER_BYTES);
	if (payload > n - HEADER_BYTES)
		return qcq_error_set(err, QCQ_EFORMAT,
				     "truncated: the header promises %llu payload bytes, the file "
				     "has %zu",
				     (unsigned long long)payload, n - HEADER_BYTES);
	if (payload < n - HEADER_BYTES)
		return qcq_error_set(err, QCQ_EFORMAT, "%zu unexpected bytes after the payload",
				     n - HEADER_BYTES - (size_t)payload);
	uint64_t got = qcq_hash(QCQ_HASH_INIT, d + HEADER_BYTES, (size_t)payload);
	if (got != sum)
		return qcq_error_set(err, QCQ_EFORMAT,
				     "checksum mismatch (stored %016llx, computed %016llx): the file "
				     "is corrupt",
				     (unsigned long long)sum, (unsigned long long)got);
	return QCQ_OK;
}

static enum qcq_status load_parsed(const uint8_t *d, size_t n, int max_batch,
				   struct nn_model **m_out, struct train_history **h_out,
				   struct qml_filter **f_out, struct qcq_error *err)
{
	uint64_t np = 0;
	enum qcq_status st = check_header(d, n, &np, err);
	struct sections s;
	if (st || (st = find_sections(d + HEADER_BYTES, n - HEADER_BYTES, &s, err)))
		return st;
	struct nn_model_desc desc;
	if ((st = read_desc(&s.desc, &desc, err)))
		return st;
	if (s.parm.n != np * 4)
		return qcq_error_set(err, QCQ_EFORMAT,
				     "parameter section has %zu bytes for %llu parameters", s.parm.n,
				     (unsigned long long)np);
	/* a trainable filter's circuit is the model's: read it first */
	struct qml_filter *f = NULL;
	bool trainable = desc.filter == NN_FILTER_TRAINABLE;
	if (trainable && !s.has_filt)
		return qcq_error_set(err, QCQ_EFORMAT, "trainable filter without a filter section");
	if ((trainable || f_out) && s.has_filt && (st = read_filter(&s.filt, &f, err)))
		return st;
	struct nn_model *m = NULL;
	if ((st = nn_model_create_filter(&m, &desc, max_batch, NULL, f, err))) {
		if (f)
			qml_filter_destroy(f);
		return qcq_error_prefix(err, "architecture");
	}
	if (nn_model_nparams(m) != np) {
		st = qcq_error_set(err, QCQ_EFORMAT,
				   "%llu parameters stored, the %s architecture has %zu",
				   (unsigned long long)np, nn_arch_name((enum nn_arch)desc.arch),
				   nn_model_nparams(m));
		nn_model_destroy(m);
		if (f)
			qml_filter_destroy(f);
		return st;
	}
	r_f32s(&s.parm, nn_model_params(m), np);
	if (s.has_optm) {
		long t = (long)r_u64(&s.optm);
		r_f32s(&s.optm, nn_model_opt_m(m), np);
		r_f32s(&s.optm, nn_model_opt_v(m), np);
		nn_model_set_opt_t(m, t < 0 ? 0 : t);
		if (s.optm.bad)
			st = qcq_error_set(err, QCQ_EFORMAT, "optimiser section too short");
	}
	if (!st && s.has_rng) {
		struct qcq_rng rng;
		for (int i = 0; i < 4; i++)
			rng.s[i] = r_u64(&s.rng);
		if (s.rng.bad || !(rng.s[0] | rng.s[1] | rng.s[2] | rng.s[3]))
			st = qcq_error_set(err, QCQ_EFORMAT, "rng section malformed");
		else
			*nn_model_rng(m) = rng;
	}
	struct train_history *h = NULL;
	if (!st && h_out && s.has_hist)
		st = read_history(&s.hist, (size_t)np, &h, err);
	if (st) {
		nn_model_destroy(m);
		train_history_free(h);
		if (f)
			qml_filter_destroy(f);
		return st;
	}
	*m_out = m;
	if (h_out)
		*h_out = h;
	if (f_out)
		*f_out = f;
	else if (f)
		qml_filter_destroy(f);
	return QCQ_OK;
}

enum qcq_status train_checkpoint_load(const char *path, int max_batch, struct nn_model **m_out,
				      struct train_history **h_out, struct qml_filter **f_out,
				      struct qcq_error *err)
{
	char *data;
	size_t n;
	enum qcq_status st = qcq_read_file(path, TRAIN_CKPT_MAX_BYTES, &data, &n, err);
	if (st)
		return st;
	st = load_parsed((const uint8_t *)data, n, max_batch, m_out, h_out, f_out, err);
	free(data);
	if (st && st != QCQ_EIO)
		qcq_error_prefix(err, "%s", path);
	return st;
}
