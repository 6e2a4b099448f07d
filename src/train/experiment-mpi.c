/*
 * train/experiment-mpi.c: the studies across MPI ranks (meson -Dmpi=enabled defines
 * QCQ_HAVE_MPI). Without MPI every function is a no-op and this process is rank 0 of 1.
 *
 * The protocol is small: rank 0 broadcasts which runs are finished on disk; every rank
 * trains the pending runs i with i % K == rank; ranks other than 0 send each finished
 * run's file to rank 0 (tag RUN: an 8-byte run index, then the text) and an END when
 * they have no more; rank 0 writes the files as they arrive and the reports at the end.
 * No scheduler: the split is static, as the launcher gives us K ranks.
 *
 * MPI is process-global state by nature, so this file keeps the little it needs in
 * statics: whether we initialised MPI ourselves (then we finalize it at exit) and a
 * mutex, because worker threads send while the coordinator probes and we ask for
 * MPI_THREAD_SERIALIZED (one MPI call at a time), not MULTIPLE.
 */
#include "experiment-internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifdef QCQ_HAVE_MPI
#include <mpi.h>

enum { TAG_RUN = 7301, TAG_END = 7302 };

static pthread_mutex_t mpi_lock = PTHREAD_MUTEX_INITIALIZER;
static int ends_seen; /* rank 0: END messages received in the current study */

/* Started by an MPI launcher? (OpenMPI, MPICH/PMI, PMIx, Slurm's srun with PMI) */
static bool under_launcher(void)
{
	return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK") ||
	       getenv("MPI_LOCALNRANKS");
}

void train_exp_mpi_init(int *argc, char ***argv)
{
	int on = 0, prov;
	MPI_Initialized(&on);
	if (!on && under_launcher())
		MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &prov);
}

void train_exp_mpi_finalize(void)
{
	int on = 0, off = 0;
	MPI_Initialized(&on);
	MPI_Finalized(&off);
	if (on && !off)
		MPI_Finalize();
}

bool train_exp_mpi_active(void)
{
	int on = 0, off = 0;
	MPI_Initialized(&on);
	MPI_Finalized(&off);
	return on && !off;
}

int train_exp_mpi_rank(void)
{
	int r = 0;
	if (train_exp_mpi_active())
		MPI_Comm_rank(MPI_COMM_WORLD, &r);
	return r;
}

int train_exp_mpi_size(void)
{
	int n = 1;
	if (train_exp_mpi_active())
		MPI_Comm_size(MPI_COMM_WORLD, &n);
	return n;
}

static const char *thread_level_name(int level)
{
	return level == MPI_THREAD_SINGLE ? "MPI_THREAD_SINGLE"
	       : level == MPI_THREAD_FUNNELED ? "MPI_THREAD_FUNNELED"
	       : level == MPI_THREAD_SERIALIZED ? "MPI_THREAD_SERIALIZED"
					       : "MPI_THREAD_MULTIPLE";
}

enum qcq_status train_exp_mpi_begin(const struct train_exp_spec *s, int *rank, int *size,
			      struct qcq_error *err)
{
	*rank = 0;
	*size = 1;
	if (!s->use_mpi)
		return QCQ_OK;
	pthread_mutex_lock(&mpi_lock);
	if (!train_exp_mpi_active() && under_launcher()) {
		/* main() did not initialise MPI: do it here, finalize at exit */
		train_exp_mpi_init(NULL, NULL);
		atexit(train_exp_mpi_finalize);
	}
	*rank = train_exp_mpi_rank();
	*size = train_exp_mpi_size();
	ends_seen = 0;
	/* worker threads send their runs: the library must allow calls from any thread,
	 * one at a time (the mutex); an MPI built without thread support grants less */
	int level = MPI_THREAD_MULTIPLE;
	if (*size > 1)
		MPI_Query_thread(&level);
	pthread_mutex_unlock(&mpi_lock);
	if (level < MPI_THREAD_SERIALIZED)
		return qcq_error_set(err, QCQ_EUNSUPPORTED, "mpi: the MPI library grants only %s; the "
				     "studies need MPI_THREAD_SERIALIZED (worker threads send "
				     "results): use an MPI built with thread support",
				     thread_level_name(level));
	return QCQ_OK;
}

static bool multi(void)
{
	return train_exp_mpi_size() > 1;
}

void train_exp_mpi_share_done(bool *done, size_t n)
{
	if (!multi())
		return;
	unsigned char *b = qcq_xcalloc(n + 1, 1);
	for (size_t i = 0; i < n; i++)
		b[i] = done[i];
	pthread_mutex_lock(&mpi_lock);
	MPI_Bcast(b, (int)n, MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
	pthread_mutex_unlock(&mpi_lock);
	for (size_t i = 0; i < n; i++)
		done[i] = b[i] != 0;
	free(b);
}

void train_exp_mpi_send_run(size_t i, const char *text, size_t len)
{
	char *msg = qcq_xmalloc(len + 8);
	uint64_t idx = i;
	memcpy(msg, &idx, 8);
	memcpy(msg + 8, text, len);
	pthread_mutex_lock(&mpi_lock);
	MPI_Send(msg, (int)(len + 8), MPI_CHAR, 0, TAG_RUN, MPI_COMM_WORLD);
	pthread_mutex_unlock(&mpi_lock);
	free(msg);
}

void train_exp_mpi_send_end(void)
{
	pthread_mutex_lock(&mpi_lock);
	MPI_Send(NULL, 0, MPI_CHAR, 0, TAG_END, MPI_COMM_WORLD);
	pthread_mutex_unlock(&mpi_lock);
}

/* Take one message if there is one (or wait for one); false when none was taken. */
static bool take_one(bool wait, void (*got)(void *, size_t, const char *, size_t), void *ctx)
{
	MPI_Status stt;
	int flag = 0, count = 0;
	pthread_mutex_lock(&mpi_lock);
	if (wait) {
		MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &stt);
		flag = 1;
	} else {
		MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &stt);
	}
	if (!flag) {
		pthread_mutex_unlock(&mpi_lock);
		return false;
	}
	MPI_Get_count(&stt, MPI_CHAR, &count);
	char *msg = qcq_xmalloc((size_t)count + 1);
	MPI_Recv(msg, count, MPI_CHAR, stt.MPI_SOURCE, stt.MPI_TAG, MPI_COMM_WORLD,
		 MPI_STATUS_IGNORE);
	if (stt.MPI_TAG == TAG_END)
		ends_seen++;
	pthread_mutex_unlock(&mpi_lock);
	if (stt.MPI_TAG == TAG_RUN && count >= 8) {
		uint64_t idx;
		memcpy(&idx, msg, 8);
		got(ctx, (size_t)idx, msg + 8, (size_t)count - 8);
	}
	free(msg);
	return true;
}

void train_exp_mpi_collect(bool block, void (*got)(void *ctx, size_t i, const char *text, size_t len),
		     void *ctx)
{
	if (!multi())
		return;
	if (!block) {
		while (take_one(false, got, ctx))
			;
		return;
	}
	while (ends_seen < train_exp_mpi_size() - 1)
		take_one(true, got, ctx);
}

void train_exp_mpi_barrier(void)
{
	if (!multi())
		return;
	pthread_mutex_lock(&mpi_lock);
	MPI_Barrier(MPI_COMM_WORLD);
	pthread_mutex_unlock(&mpi_lock);
}

#else /* no MPI */

void train_exp_mpi_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
}
void train_exp_mpi_finalize(void) {}
bool train_exp_mpi_active(void) { return false; }
int train_exp_mpi_rank(void) { return 0; }
int train_exp_mpi_size(void) { return 1; }

enum qcq_status train_exp_mpi_begin(const struct train_exp_spec *s, int *rank, int *size,
			      struct qcq_error *err)
{
	(void)s;
	(void)err;
	*rank = 0;
	*size = 1;
	return QCQ_OK;
}
void train_exp_mpi_share_done(bool *done, size_t n)
{
	(void)done;
	(void)n;
}
void train_exp_mpi_send_run(size_t i, const char *text, size_t len)
{
	(void)i;
	(void)text;
	(void)len;
}
void train_exp_mpi_send_end(void) {}
void train_exp_mpi_collect(bool block, void (*got)(void *ctx, size_t i, const char *text, size_t len),
		     void *ctx)
{
	(void)block;
	(void)got;
	(void)ctx;
}
void train_exp_mpi_barrier(void) {}

#endif
