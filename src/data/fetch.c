/*
 * data/fetch.c: download the canonical public data files, with SHA-256 checks.
 *
 * Downloads run `curl` as a subprocess (no network library linked in; a machine
 * without curl or without network gets a message that says where to put the files by
 * hand). Each file goes to a temporary name, its SHA-256 is checked against the table
 * below (the checksums published with TensorFlow Datasets), and only then renamed into
 * place. SHA-256 is implemented here (FIPS 180-4) so the check needs no other tool.
 *
 * Not here: reading the files (idx.c, folder.c).
 */
#include "qcq/data.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---------------------------------------------------------------- SHA-256 */

struct sha256 {
	uint32_t h[8];
	uint8_t buf[64];
	uint64_t len;
	size_t fill;
};

static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

#define ROR(x, n) ((x) >> (n) | (x) << (32 - (n)))

static void sha_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4], f = s->h[5],
		 g = s->h[6], h = s->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
		uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
	s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

static void sha_init(struct sha256 *s)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
	s->fill = 0;
}

static void sha_update(struct sha256 *s, const uint8_t *p, size_t n)
{
	s->len += n;
	while (n) {
		size_t k = 64 - s->fill < n ? 64 - s->fill : n;
		memcpy(s->buf + s->fill, p, k);
		s->fill += k, p += k, n -= k;
		if (s->fill == 64) {
			sha_block(s, s->buf);
			s->fill = 0;
		}
	}
}

static void sha_hex(struct sha256 *s, char hex[65])
{
	uint64_t bits = s->len * 8;
	uint8_t pad = 0x80, zero = 0, lenb[8];
	sha_update(s, &pad, 1);
	while (s->fill != 56)
		sha_update(s, &zero, 1);
	for (int i = 0; i < 8; i++)
		lenb[i] = (uint8_t)(bits >> (56 - 8 * i));
	sha_update(s, lenb, 8);
	for (int i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08x", s->h[i]);
}

void data_sha256_hex(const void *data, size_t n, char hex[65])
{
	struct sha256 s;
	sha_init(&s);
	sha_update(&s, data, n);
	sha_hex(&s, hex);
}

/* SHA-256 of a file; false if it cannot be read. */
static bool sha256_file(const char *path, char hex[65])
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return false;
	struct sha256 s;
	sha_init(&s);
	uint8_t buf[1 << 16];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, fp)) > 0)
		sha_update(&s, buf, k);
	bool ok = !ferror(fp);
	fclose(fp);
	sha_hex(&s, hex);
	return ok;
}

/* ---------------------------------------------------------------- the table */

struct fetch_file {
	const char *name, *sha256;
};
struct fetch_set {
	const char *name, *base;
	struct fetch_file files[4];
};

static const struct fetch_set sets[] = {
	{"mnist", "https://storage.googleapis.com/cvdf-datasets/mnist/",
	 {{"train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"},
	  {"train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"},
	  {"t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"},
	  {"t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"}}},
	{"fashion-mnist", "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
	 {{"train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"},
	  {"train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"},
	  {"t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"},
	  {"t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"}}},
};

static bool find_curl(char *buf, size_t size)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *e = strchr(path, ':');
		size_t len = e ? (size_t)(e - path) : strlen(path);
		snprintf(buf, size, "%.*s/curl", (int)len, path);
		if (len && access(buf, X_OK) == 0)
			return true;
		path += len + (e ? 1 : 0);
	}
	return false;
}

/* Run curl; returns its exit status (or -1 if it could not be started). */
static int run_curl(const char *curl, const char *url, const char *out)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* --proto: no file://, scp:// or redirects into them; "--": the URL is never an option
	 * (a value such as "-K." would make curl read a config file) */
	char *argv[] = {(char *)curl, "-fsSL", "--proto", "=https,http", "--proto-redir",
			"=https,http", "--connect-timeout", "20", "--max-time", "900",
			"-o", (char *)out, "--", (char *)url, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, curl, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static enum qcq_status by_hand(struct qcq_error *err, const struct fetch_set *s,
			       const char *dest, const char *why)
{
	return qcq_error_set(err, QCQ_EIO, "%s; download by hand from %s (train-images-idx3-ubyte.gz, "
			     "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
			     "t10k-labels-idx1-ubyte.gz) and put them in %s/", why, s->base, dest);
}

enum qcq_status data_fetch(const char *name, const char *dir, const char *url_base,
			   void (*log)(void *ctx, const char *line), void *log_ctx,
			   struct qcq_error *err)
{
	if (strcmp(name, "brain-mri") == 0)
		return qcq_error_set(err, QCQ_EUNSUPPORTED, "brain-mri has no direct checksummed download "
				     "(it is the Kaggle set sartajbhuvaji/brain-tumor-classification-mri, "
				     "behind a login): download it by hand and unpack it as "
				     "%s/brain-mri/{Training,Testing}/<class>/*.jpg, then `load folder "
				     "%s/brain-mri`", dir, dir);
	const struct fetch_set *s = NULL;
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
		if (strcmp(sets[i].name, name) == 0)
			s = &sets[i];
	if (!s)
		return qcq_error_set(err, QCQ_EINVAL, "no data set '%s' to fetch (mnist, fashion-mnist, "
				     "brain-mri)", name);
	const char *base = url_base ? url_base : s->base;
	if (strncmp(base, "https://", 8) != 0 && strncmp(base, "http://", 7) != 0)
		return qcq_error_set(err, QCQ_EINVAL, "url: '%.200s' is not an http:// or https:// "
				     "address", base);
	char dest[4096], curl[4096];
	snprintf(dest, sizeof dest, "%s/%s", dir, name);
	enum qcq_status st = qcq_mkdir_p(dest, err);
	if (st)
		return st;
	for (int f = 0; f < 4; f++) {
		const struct fetch_file *ff = &s->files[f];
		char path[4200], tmp[4300], url[4200], hex[65], line[4600];
		snprintf(path, sizeof path, "%s/%s", dest, ff->name);
		if (sha256_file(path, hex) && strcmp(hex, ff->sha256) == 0) {
			snprintf(line, sizeof line, "%s: present, checksum ok", path);
			if (log)
				log(log_ctx, line);
			continue;
		}
		if (!find_curl(curl, sizeof curl))
			return by_hand(err, s, dest, "curl is not installed");
		snprintf(url, sizeof url, "%s%s%s", base,
			 base[0] && base[strlen(base) - 1] == '/' ? "" : "/", ff->name);
		/* a fresh file of ours (never a link planted at a guessable name) for curl to fill */
		snprintf(tmp, sizeof tmp, "%s.part.XXXXXX", path);
		int fd = mkstemp(tmp);
		if (fd < 0)
			return qcq_error_errno(err, errno, "%s: cannot create a temporary file", dest);
		close(fd);
		int rc = run_curl(curl, url, tmp);
		if (rc != 0) {
			unlink(tmp);
			char why[4400];
			snprintf(why, sizeof why, "%s: download failed (curl exit %d%s)", url, rc,
				 rc == 6 || rc == 7 || rc == 28 ? ": no network?" : "");
			return by_hand(err, s, dest, why);
		}
		if (!sha256_file(tmp, hex) || strcmp(hex, ff->sha256) != 0) {
			unlink(tmp);
			char why[4600];
			snprintf(why, sizeof why, "%s: checksum mismatch (sha256 %.16s..., expected "
				 "%.16s...)", url, hex, ff->sha256);
			return by_hand(err, s, dest, why);
		}
		if (rename(tmp, path) != 0) {
			st = qcq_error_errno(err, errno, "%s: cannot rename", tmp);
			unlink(tmp);
			return st;
		}
		snprintf(line, sizeof line, "%s: downloaded, checksum ok", path);
		if (log)
			log(log_ctx, line);
	}
	return QCQ_OK;
}
