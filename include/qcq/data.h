/*
 * data: images in, quanvolved feature maps out.
 *
 * Loaders for the formats people bring (IDX plain or gzip, folders of PNG/JPEG with one
 * subfolder per class, CSV, NPY), the built-in synthetic digits, class selection,
 * balanced seeded splits, resizing, statistics, a small PNG writer and the on-disk cache
 * of quanvolved features.
 *
 * It is not the filter (qml computes features; this module only stores them) and not
 * the report module (which owns plots and tables): the PNG writer here exists so that a
 * person can look at data and feature maps.
 *
 * Conventions (shared contracts): an image is float32 in [0,1], row-major (h, w); a data
 * set is n such images back to back plus int32 labels; features are float32 NCHW
 * (n, c, oh, ow), contiguous. Every loader validates the whole input before it returns
 * anything: a failed call allocates nothing that outlives it and leaves *out untouched.
 * Error messages name the file and the offset, line or entry that is wrong.
 */
#ifndef QCQ_DATA_H
#define QCQ_DATA_H

#include "qcq/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qcq_pool;

/* ---------------------------------------------------------------- limits */

#define DATA_MAX_IMAGES ((size_t)1 << 24) /* 16.7 million images in one set */
#define DATA_MAX_SIDE 8192                /* rows or columns of a stored image */
#define DATA_MAX_TARGET 1024              /* rows or columns after resizing */
#define DATA_MAX_CLASSES 1000
#define DATA_NAME_MAX 128                 /* class names are truncated to this */
#define DATA_DEFAULT_SIDE 28

/* ---------------------------------------------------------------- data sets */

struct data_set {
	size_t n;            /* images */
	int h, w;            /* every image has this size */
	float *images;       /* (n, h, w), values in [0,1]; qcq_alloc_checked memory */
	int32_t *labels;     /* (n,), each in [0, nclasses) */
	int nclasses;
	char **class_names;  /* nclasses strings */
	char source[512];    /* human description: "idx data/mnist (train+t10k)" */
};

/*
 * A new data set with room for n images of h x w and nclasses classes named "0", "1", ...
 * Rejects n > DATA_MAX_IMAGES, sides outside [1, DATA_MAX_SIDE], nclasses outside
 * [1, DATA_MAX_CLASSES] and sizes over the allocation limit.
 */
enum qcq_status data_set_create(size_t n, int h, int w, int nclasses, struct data_set **out,
				struct qcq_error *err);
void data_set_free(struct data_set *ds);
/* Replace the class names (copies; n must equal ds->nclasses; names are truncated). */
void data_set_set_names(struct data_set *ds, const char *const *names, int n);
/* The class index named by text: a decimal index, a class name, or a short alias (case and
 * punctuation are ignored: "tshirt" finds "T-shirt/top"); -1 if none. */
int data_set_find_class(const struct data_set *ds, const char *text);

/* The ten Fashion-MNIST class names, in label order. */
extern const char *const data_fashion_names[10];

/* ---------------------------------------------------------------- resizing */

/*
 * Resample in (ih, iw) to out (oh, ow): area averaging along an axis that shrinks,
 * bilinear (pixel centres aligned, edges clamped) along one that grows, identity when
 * equal. Separable. Sides must be >= 1. out and in must not overlap.
 */
void data_resize(float *out, int oh, int ow, const float *in, int ih, int iw);

/* ---------------------------------------------------------------- IDX */

/*
 * Parse IDX bytes from memory (already decompressed). Accepts unsigned-byte data (type
 * 0x08) with 1 dimension (labels) or 3 dimensions (images n, rows, cols). Checks the
 * magic, the dimensions against the limits and the byte count against the header, before
 * allocating. name is used in messages ("name: offset 4: ...").
 * On success *dims holds the ndim sizes and *data points into buf (no copy).
 */
struct data_idx {
	int ndim;
	uint32_t dims[3];
	const uint8_t *data;
	size_t count; /* product of dims */
};
enum qcq_status data_idx_parse(const uint8_t *buf, size_t n, const char *name,
			       struct data_idx *out, struct qcq_error *err);
/*
 * Read a whole IDX file (gzip or plain, detected from the bytes) into a new buffer; the
 * header is read first and the file may not be larger than it says, so a header claiming
 * 2^31 images is refused before any allocation and a truncated file is an error.
 */
enum qcq_status data_idx_read_file(const char *path, uint8_t **buf, size_t *n,
				   struct qcq_error *err);
/* An image file and a label file (same n). Classes are 0..max label, named "0", "1", ... */
enum qcq_status data_load_idx(const char *images, const char *labels, struct data_set **out,
			      struct qcq_error *err);
/*
 * A directory in the MNIST layout: train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz]
 * and/or t10k-..., or a single pair *-images-idx3-ubyte[.gz] / *-labels-idx1-ubyte[.gz].
 * train then t10k are concatenated (train first). The two pairs are decoded in parallel
 * on pool (may be NULL).
 */
enum qcq_status data_load_idx_dir(const char *dir, struct qcq_pool *pool, struct data_set **out,
				  struct qcq_error *err);

/* ---------------------------------------------------------------- NPY */

enum data_dtype { DATA_F32 = 0, DATA_U8, DATA_F64 };

/* An n-dimensional array in C order, values converted to float32 on reading. */
#define DATA_NPY_MAX_DIMS 6
struct data_array {
	int ndim;
	size_t shape[DATA_NPY_MAX_DIMS];
	size_t count;           /* product of shape */
	enum data_dtype dtype;  /* as stored in the file */
	float *v;               /* count values; qcq_alloc_checked memory */
};
/*
 * Parse .npy bytes (format 1.0, 2.0, 3.0). Accepts descr '<f4', '|u1'/'<u1', '<f8',
 * fortran_order False, 1..6 dimensions; rejects anything else with the offset of the
 * problem. Float values must be finite.
 */
enum qcq_status data_npy_parse(const uint8_t *buf, size_t n, const char *name,
			       struct data_array *out, struct qcq_error *err);
enum qcq_status data_npy_read(const char *path, struct data_array *out, struct qcq_error *err);
void data_array_free(struct data_array *a);
/* Write v (count = product of shape) as dtype, atomically. u8 rounds and clamps to 0..255. */
enum qcq_status data_npy_write(const char *path, enum data_dtype dtype, const size_t *shape,
			       int ndim, const float *v, struct qcq_error *err);
/*
 * Images from an array: (n, h, w), (n, h, w, 1), (n, 1, h, w), or (n, h*w) with h*w a
 * square. uint8 is divided by 255; float data outside [0,1] is divided by 255 if it lies
 * in [0,255], else min-max scaled (the source says which). labels may be NULL (all 0) or an
 * (n,) array of non-negative integers.
 */
enum qcq_status data_set_from_arrays(const struct data_array *images,
				     const struct data_array *labels, const char *name,
				     struct data_set **out, struct qcq_error *err);

/* ---------------------------------------------------------------- CSV */

/*
 * CSV: one image per line, "label,p0,p1,...". A first line whose label field is not a
 * number is a header and is skipped. Blank lines are skipped. Every row must have the
 * same number of pixels, a perfect square (28x28 = 784). Values in [0,255] (divided by
 * 255) or all in [0,1] (kept). Errors name the line and field.
 */
enum qcq_status data_csv_parse(const char *buf, size_t n, const char *name, struct data_set **out,
			       struct qcq_error *err);
enum qcq_status data_load_csv(const char *path, struct data_set **out, struct qcq_error *err);

/* ---------------------------------------------------------------- images and folders */

/*
 * Decode one PNG (8/16-bit; gray, gray+alpha, RGB, RGBA, palette; alpha is ignored, as
 * PIL's convert('L') does) or JPEG (gray or RGB; CMYK is refused) from memory into new
 * grayscale float pixels in [0,1]: gray = 0.299 R + 0.587 G + 0.114 B. The format is
 * taken from the signature bytes, not the file name. *px is malloc'd. Data libjpeg
 * calls corrupt (a truncated scan, a bad code: its warnings) is an error, never grey fill.
 */
enum qcq_status data_decode_image(const uint8_t *buf, size_t n, const char *name, float **px,
				  int *h, int *w, struct qcq_error *err);
/* Read a file and decode it. */
enum qcq_status data_read_image(const char *path, float **px, int *h, int *w,
				struct qcq_error *err);

/*
 * A folder with one subfolder per class (torchvision ImageFolder): classes are the
 * subfolder names in sorted order, images the .png, .jpg and .jpeg files (sorted) in each.
 * One more level is allowed, DIR/<part>/<class>/ (the MRI set's Training and Testing):
 * then the classes are the union of the class names and each takes the files of every part.
 * Images are resized to h x w (area down, bilinear up); h = w = 0 keeps the native size,
 * and then every image must have the size of the first (an error names the one that does
 * not). Decoding runs in parallel on pool (may be NULL). Empty class folders, folders
 * without classes and undecodable files are errors naming the folder or file.
 */
enum qcq_status data_load_folder(const char *dir, int h, int w, struct qcq_pool *pool,
				 struct data_set **out, struct qcq_error *err);

/* ---------------------------------------------------------------- synthetic digits */

/*
 * The built-in data set: n procedurally drawn 28x28 handwritten-looking digits 0-9,
 * classes balanced (label i % 10 before a seeded shuffle), a function of (n, seed) only.
 * Each digit is a stroke skeleton with per-sample control point wobble, a random affine
 * map (rotation, shear, scale, translation), stroke thickness, blur and noise.
 * n in [1, DATA_MAX_IMAGES]. Drawn in parallel on pool (may be NULL); the result does not
 * depend on the thread count.
 */
enum qcq_status data_synth_digits(size_t n, uint64_t seed, struct qcq_pool *pool,
				  struct data_set **out, struct qcq_error *err);

/* ---------------------------------------------------------------- classes and splits */

/*
 * The sides (classes) of a task: map[c] = side 0 .. nsides-1 for a class on that side,
 * -1 for an unused class. A binary task has two sides, and a side may merge several
 * classes ("no_tumor" vs "glioma_tumor+meningioma_tumor+pituitary_tumor"); a K-class task
 * has K sides, label k = side k. nsides is 2..DATA_MAX_SIDES.
 */
#define DATA_MAX_SIDES 32
#define DATA_SIDE_NAME_MAX 256
struct data_classes {
	int nclasses;
	int nsides;
	int8_t map[DATA_MAX_CLASSES];
	char name[DATA_MAX_SIDES][DATA_SIDE_NAME_MAX];
};
/*
 * Parse side specs: each is a '+'-separated list of class indices or names
 * (data_set_find_class). A class may not be on two sides (or twice on one), each side
 * needs one class, and there are 2..DATA_MAX_SIDES sides.
 */
enum qcq_status data_classes_parse_sides(const struct data_set *ds, const char *const *sides,
					 int nsides, struct data_classes *out,
					 struct qcq_error *err);
/* The binary form: data_classes_parse_sides with two sides. */
enum qcq_status data_classes_parse(const struct data_set *ds, const char *side0,
				   const char *side1, struct data_classes *out,
				   struct qcq_error *err);
/* Every class of the data set its own side, in label order (`classes all`); an error
 * for fewer than 2 or more than DATA_MAX_SIDES classes. */
enum qcq_status data_classes_all(const struct data_set *ds, struct data_classes *out,
				 struct qcq_error *err);

enum data_part { DATA_TRAIN = 0, DATA_VAL, DATA_TEST, DATA_NPARTS };
extern const char *const data_part_names[DATA_NPARTS]; /* "train", "val", "test" */

/* How many images go to each part: counts (totals per part, all sides together) or
 * fractions of the smallest side (times the number of sides, so the parts stay
 * balanced). */
struct data_split_spec {
	double amount[DATA_NPARTS];
	bool fractions;
	uint64_t seed;
};

struct data_subset {
	size_t n;
	float *images;   /* (n, h, w) */
	int32_t *labels; /* (n,) in [0, nsides) */
	size_t *index;   /* (n,) index of each image in the data set it came from */
};

struct data_split {
	int h, w;
	struct data_subset part[DATA_NPARTS];
	struct data_classes classes; /* the selection it was made from (to re-split) */
	int nsides;          /* = classes.nsides: the model's number of classes */
	char side_name[DATA_MAX_SIDES][DATA_SIDE_NAME_MAX];
	size_t available[DATA_MAX_SIDES]; /* images of each side in the data set */
	uint64_t seed;
	uint64_t hash;       /* of all parts' pixels and labels: the data half of cache keys */
};

/*
 * Balanced split: each part gets amount/K images of each of the K sides (when K does not
 * divide a count, the first sides get one more: side 0 with two sides), drawn without
 * replacement after a seeded shuffle of each side; parts never overlap; within a part
 * the order is shuffled too. With counts, a side with too few images is an error that
 * says how many there are and suggests fractions; with fractions (each in [0,1],
 * sum <= 1) the counts are floor(fraction * min(side sizes)) per side. Zero-size parts
 * are allowed except train, which needs an image of every side.
 */
enum qcq_status data_split_make(const struct data_set *ds, const struct data_classes *cls,
				const struct data_split_spec *spec, struct data_split **out,
				struct qcq_error *err);
/*
 * Stratified split: part p gets n[p] images (all sides together) and every part keeps
 * the sides' proportions in the data set (an unbalanced task stays unbalanced): with two
 * sides, side 0 gets round(total * its share) of all parts; with K, each side's total is
 * its share by largest remainder. Side by side, a side's total is spread over the parts
 * in proportion to the room each has left, by largest remainder. Same dealing and
 * seeding as data_split_make. An error if the task has fewer than n[0] + n[1] + n[2]
 * images or the training part would miss a side.
 */
enum qcq_status data_split_make_stratified(const struct data_set *ds,
					   const struct data_classes *cls,
					   const size_t n[DATA_NPARTS], uint64_t seed,
					   struct data_split **out, struct qcq_error *err);
void data_split_free(struct data_split *s);
/* The subset holding the k-th image of the split, counting train, then val, then test;
 * NULL if k is out of range. *local is the index inside that subset. */
const struct data_subset *data_split_locate(const struct data_split *s, size_t k, int *part,
					    size_t *local);
size_t data_split_total(const struct data_split *s);

/* ---------------------------------------------------------------- statistics */

struct data_stats {
	int nclasses;
	size_t *count; /* per class (nclasses) */
	float *mean;   /* mean image (h, w) */
	int h, w;
	double pixel_mean, pixel_std, pixel_min, pixel_max;
};
/* Statistics of n images with labels in [0, nclasses) (labels may be NULL). */
void data_stats_compute(const float *images, const int32_t *labels, size_t n, int h, int w,
			int nclasses, struct data_stats *out);
void data_stats_free(struct data_stats *st);

/* ---------------------------------------------------------------- features and their cache */

struct data_features {
	int c, oh, ow;
	size_t n[DATA_NPARTS];
	float *part[DATA_NPARTS]; /* (n, c, oh, ow) each; NULL when n is 0 */
	uint64_t key;             /* the cache key they were computed for */
};

/* Zeroed features for a split's part sizes: c, oh, ow >= 1. */
enum qcq_status data_features_create(const size_t n[DATA_NPARTS], int c, int oh, int ow,
				     struct data_features **out, struct qcq_error *err);
void data_features_free(struct data_features *f);
/* (n, h, w, c) float array -> features of one part (the paper's (N,14,14,4) .npy). */
enum qcq_status data_features_from_nhwc(const struct data_array *a, enum data_part part,
					struct data_features **out, struct qcq_error *err);

/*
 * The cache directory: override if non-NULL, else $QCQ_CACHE_DIR, else
 * $XDG_CACHE_HOME/qcqlab, else $HOME/.cache/qcqlab. Created (with parents) on demand by
 * data_cache_store.
 */
enum qcq_status data_cache_dir(const char *override, char *buf, size_t size,
			       struct qcq_error *err);
/* The key of a split's features under a filter: combines split->hash and filter_hash. */
uint64_t data_cache_key(const struct data_split *s, uint64_t filter_hash);
/* dir/quanv-<key as 16 hex digits>.qcqf */
void data_cache_path(const char *dir, uint64_t key, char *buf, size_t size);
/*
 * Look up features for key in dir. *out is NULL (and QCQ_OK returned) when there is no
 * entry; an entry whose header, size or checksum is wrong, or whose part sizes differ
 * from expect_n, is an error naming the file (the caller may then recompute and
 * overwrite it).
 */
enum qcq_status data_cache_load(const char *dir, uint64_t key, const size_t expect_n[DATA_NPARTS],
				struct data_features **out, struct qcq_error *err);
/* Store f under f->key in dir, atomically (header, sizes, FNV-1a checksum, data). */
enum qcq_status data_cache_store(const char *dir, const struct data_features *f,
				 struct qcq_error *err);

/* ---------------------------------------------------------------- where data sets are */

#define DATA_ROOTS_MAX 3
#define DATA_PATH_MAX 4096
/*
 * The data home, where `fetch` puts what it downloads: $XDG_DATA_HOME/qcqlab, else
 * $HOME/.local/share/qcqlab; false (buf untouched) when neither variable is set.
 */
bool data_home_dir(char *buf, size_t size);
/*
 * The folders data sets are looked for in when a command names none, in order: $QCQ_DATA
 * (when set), the data home (when known), ./data. Returns how many (1 to DATA_ROOTS_MAX).
 */
int data_roots(char roots[DATA_ROOTS_MAX][DATA_PATH_MAX]);
/*
 * The first root/name that is a folder (name NULL: the first root that is one) into buf.
 * False when there is none, and buf then lists the places looked in ("A/mnist, B/mnist")
 * for the caller's message.
 */
bool data_find(const char *name, char *buf, size_t size);

/* ---------------------------------------------------------------- fetching */

/*
 * The canonical public files of a named set ("mnist", "fashion-mnist", "brain-mri"):
 * download each into dir/<name>/ with `curl` (a subprocess; url_base overrides the
 * server, for mirrors, and must start with http:// or https://: anything else is
 * QCQ_EINVAL before any folder is made) and verify its SHA-256 before moving it into place.
 * Without curl, network or a matching checksum it fails, and the message says where to
 * put the files by hand. Files already present with the right checksum are kept.
 * log (may be NULL) receives one line per file.
 */
enum qcq_status data_fetch(const char *name, const char *dir, const char *url_base,
			   void (*log)(void *ctx, const char *line), void *log_ctx,
			   struct qcq_error *err);
/* SHA-256 of bytes as 64 lower-case hex digits (+ NUL). */
void data_sha256_hex(const void *data, size_t n, char hex[65]);

#endif
