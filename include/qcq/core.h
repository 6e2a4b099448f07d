/*
 * core: what every module of qcqlab stands on.
 *
 * Error values (struct qcq_error), a seeded splittable RNG, checked and aligned
 * allocation, a small thread pool, a monotonic clock and the event sink through which
 * long jobs report progress to whichever front end runs them.
 *
 * It is not a utility dumping ground: anything that knows about quantum states,
 * tensors, files or commands belongs to its own module.
 */
#ifndef QCQ_CORE_H
#define QCQ_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if defined(__GNUC__)
#define QCQ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define QCQ_PRINTF(a, b)
#endif

/* ---------------------------------------------------------------- errors */

enum qcq_status {
	QCQ_OK = 0,
	QCQ_EINVAL,    /* an argument out of its documented range */
	QCQ_ERANGE,    /* a size over a limit (qubits, images, allocation) */
	QCQ_ENOMEM,    /* an allocation the user asked for failed */
	QCQ_EIO,       /* a system call on a file failed (errno text in the message) */
	QCQ_EFORMAT,   /* a file or string that does not parse */
	QCQ_ESTATE,    /* the call does not fit the current state (no data loaded, ...) */
	QCQ_ESTOPPED,  /* a job was stopped by the user */
	QCQ_ENUMERIC,  /* NaN or Inf where a number was expected */
	QCQ_EUNSUPPORTED,
};

#define QCQ_ERROR_MSG_MAX 512

/*
 * Fallible functions return enum qcq_status and fill the error passed last.
 * The message is one line, lower case, with the offending values
 * ("target qubit 5 out of range (circuit has 4)"). Callers on the way up add
 * context in front with qcq_error_prefix, never overwrite it.
 * Passing err = NULL is allowed: the message is then dropped.
 */
struct qcq_error {
	enum qcq_status code;
	char msg[QCQ_ERROR_MSG_MAX];
};

/*
 * Sets code and message; returns code so that `return qcq_error_set(...)` reads well.
 * Control bytes in the message (quoted from a file, say) are written as \xNN, here and
 * in the other setters, so no message can drive a terminal.
 */
enum qcq_status qcq_error_set(struct qcq_error *err, enum qcq_status code, const char *fmt, ...)
	QCQ_PRINTF(3, 4);
/* The same with a va_list (for other printf-like error helpers). */
enum qcq_status qcq_error_vset(struct qcq_error *err, enum qcq_status code, const char *fmt,
			       va_list ap) QCQ_PRINTF(3, 0);
/* Sets code and a message ending in ": strerror(errnum)". */
enum qcq_status qcq_error_errno(struct qcq_error *err, int errnum, const char *fmt, ...)
	QCQ_PRINTF(3, 4);
/* Puts "context: " in front of the message already there; returns err->code. */
enum qcq_status qcq_error_prefix(struct qcq_error *err, const char *fmt, ...) QCQ_PRINTF(2, 3);
void qcq_error_clear(struct qcq_error *err);
const char *qcq_status_name(enum qcq_status code);

/* ---------------------------------------------------------------- allocation */

/*
 * Small internal allocations that cannot sensibly fail: abort with a message on
 * out-of-memory (tmux's xmalloc). Sizes that a user controls go through
 * qcq_alloc_checked instead, which returns an error.
 */
void *qcq_xmalloc(size_t size);
void *qcq_xcalloc(size_t n, size_t size);
void *qcq_xrealloc(void *p, size_t size);
char *qcq_xstrdup(const char *s);

/* n*size with an overflow check; false on overflow. */
bool qcq_mul_size(size_t n, size_t size, size_t *out);

/*
 * The most one user-sized block may take: 3/4 of this machine's physical memory
 * (sysconf), so a request that cannot fit is refused with a message instead of
 * swapping or being killed. 16 GiB when the machine does not say.
 */
size_t qcq_mem_limit(void);
/* 64-byte aligned, zeroed; NULL and an error when n*size overflows, is over
 * qcq_mem_limit() or the allocation fails. what names the thing in the message. */
void *qcq_alloc_checked(size_t n, size_t size, const char *what, struct qcq_error *err);
void *qcq_aligned_xalloc(size_t size); /* 64-byte aligned, zeroed, aborts on OOM */
/* Frees what qcq_alloc_checked and qcq_aligned_xalloc return (and nothing else: plain
 * free() on those is a bug that ASan reports). NULL is allowed. */
void qcq_aligned_free(void *p);

/* ---------------------------------------------------------------- random numbers */

/*
 * xoshiro256** seeded through splitmix64. Splittable: qcq_rng_split derives an
 * independent stream (for a worker thread, a shuffle, a dropout mask) from a parent
 * and a stream id, so results do not depend on the order threads run in.
 */
struct qcq_rng {
	uint64_t s[4];
};

void qcq_rng_seed(struct qcq_rng *r, uint64_t seed);
/*
 * Seeds r for one use of a user's seed: domain names the use ("data.split",
 * "nn.init", ...). Modules seed through this, so that the same seed given to the split,
 * the model and the training shuffle still yields unrelated streams (a shared stream
 * once made the shuffle of one epoch replay the split's class-sorted layout).
 */
void qcq_rng_seed_domain(struct qcq_rng *r, uint64_t seed, const char *domain);
struct qcq_rng qcq_rng_split(const struct qcq_rng *parent, uint64_t stream);
uint64_t qcq_rng_u64(struct qcq_rng *r);
double qcq_rng_uniform(struct qcq_rng *r);            /* [0, 1) with 53 random bits */
float qcq_rng_uniformf(struct qcq_rng *r);            /* [0, 1) with 24 random bits */
uint64_t qcq_rng_below(struct qcq_rng *r, uint64_t n); /* uniform in [0, n), unbiased; n > 0 */
double qcq_rng_normal(struct qcq_rng *r);             /* standard normal */
void qcq_rng_shuffle(struct qcq_rng *r, uint32_t *a, size_t n); /* Fisher-Yates */

/* ---------------------------------------------------------------- time */

double qcq_now(void); /* monotonic seconds */

/* ---------------------------------------------------------------- threads */

/*
 * A fixed pool of worker threads. qcq_pool_for splits [0, n) into contiguous chunks
 * and runs fn(ctx, begin, end, worker) on the workers and the calling thread; it
 * returns when all chunks are done. Chunks are a function of n and the thread count
 * only, so a computation that writes disjoint outputs is bit-identical run to run.
 */
struct qcq_pool;

struct qcq_pool *qcq_pool_create(int nthreads); /* nthreads >= 1 (1 = calling thread only) */
void qcq_pool_destroy(struct qcq_pool *p);
int qcq_pool_threads(const struct qcq_pool *p);
typedef void (*qcq_range_fn)(void *ctx, size_t begin, size_t end, int worker);
void qcq_pool_for(struct qcq_pool *p, size_t n, size_t min_chunk, qcq_range_fn fn, void *ctx);

/* Sets OpenBLAS's thread count (and nothing else); a no-op when the build links another
 * CBLAS (meson defines QCQ_HAVE_OPENBLAS only for OpenBLAS). */
void qcq_blas_set_threads(int n);

/* ---------------------------------------------------------------- events */

/*
 * Long jobs (training, a sweep, quanvolving a data set) report through a sink that
 * the front end implements: the batch front end prints, the TUI draws. A sink's
 * post may be called from a worker thread; the TUI's sink queues and the main loop
 * drains, so ncurses is only touched by the main loop.
 */
enum qcq_event_kind {
	QCQ_EV_LOG,      /* text: a line for the log */
	QCQ_EV_PROGRESS, /* done of total (units in text), rate per second */
	QCQ_EV_BATCH,    /* epoch, step: a training batch finished; loss */
	QCQ_EV_EPOCH,    /* epoch finished: train/val loss and accuracy, seconds */
	QCQ_EV_DONE,     /* job finished (text says why) */
};

struct qcq_event {
	enum qcq_event_kind kind;
	const char *text;
	int epoch, step;
	double done, total, rate;
	double train_loss, train_acc, val_loss, val_acc, seconds;
};

struct qcq_sink {
	void (*post)(void *ctx, const struct qcq_event *ev);
	void *ctx;
};

static inline void qcq_post(const struct qcq_sink *s, const struct qcq_event *ev)
{
	if (s && s->post)
		s->post(s->ctx, ev);
}
/* Posts a QCQ_EV_LOG line, formatted (up to 1 KiB), to s (nothing when s has no post). */
void qcq_post_log(const struct qcq_sink *s, const char *fmt, ...) QCQ_PRINTF(2, 3);

/*
 * A stop flag: set by one thread (`stop`, Ctrl-C, a failing worker), read by another
 * between steps. Atomic, so the write is seen and no data race is undefined behaviour;
 * plain `*stop` and `flag = 1` are sequentially consistent loads and stores.
 */
typedef _Atomic int qcq_stop_flag;

/* ---------------------------------------------------------------- misc */

/* FNV-1a 64 over bytes, chainable: pass the previous hash (or QCQ_HASH_INIT). */
#define QCQ_HASH_INIT 0xcbf29ce484222325ULL
uint64_t qcq_hash(uint64_t h, const void *data, size_t n);

/*
 * Write a whole buffer to path atomically: a new temporary path.tmp.PID.RANDOM (created
 * with O_EXCL|O_NOFOLLOW, never through a planted link; a replaced file's mode kept),
 * fsync, rename, fsync of the folder. Temporaries left by killed processes (PID gone)
 * beside path are removed first.
 */
enum qcq_status qcq_write_file_atomic(const char *path, const void *data, size_t n,
				      struct qcq_error *err);
/*
 * Streaming atomic write, for writers that want a FILE * (libpng, CSV): write to
 * af->fp, then commit (flush, fsync, close, rename over path) or abort (close and
 * remove the temporary). A crash in between leaves path as it was.
 */
#include <stdio.h>
struct qcq_atomic_file {
	FILE *fp;
	char *path;
	char *tmp;
};
enum qcq_status qcq_atomic_open(struct qcq_atomic_file *af, const char *path,
				struct qcq_error *err);
enum qcq_status qcq_atomic_commit(struct qcq_atomic_file *af, struct qcq_error *err);
void qcq_atomic_abort(struct qcq_atomic_file *af);

/* mkdir -p: create dir and its missing parents (0755); existing folders are fine. */
enum qcq_status qcq_mkdir_p(const char *dir, struct qcq_error *err);
/* The same with the mode of the folders it creates (0700 for private state). */
enum qcq_status qcq_mkdir_p_mode(const char *dir, unsigned mode, struct qcq_error *err);

/* Read a whole file (up to limit bytes) into a new buffer (NUL-terminated, not counted). */
enum qcq_status qcq_read_file(const char *path, size_t limit, char **data, size_t *n,
			      struct qcq_error *err);

#endif
