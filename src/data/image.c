/*
 * data/image.c: one PNG or JPEG from memory to grayscale floats in [0,1].
 *
 * libpng and libjpeg report errors by calling a handler that must not return; ours
 * copy the library's message into our error and longjmp back to the decode call (the
 * default libjpeg handler would call exit()); libjpeg's warnings about corrupt data are
 * errors too. Every variable changed between setjmp and
 * longjmp that is read afterwards is volatile. Gray = 0.299 R + 0.587 G + 0.114 B (ITU-R
 * 601, what PIL's convert('L') and libjpeg use), alpha is ignored, 16-bit is scaled.
 *
 * Not here: reading directories or resizing (folder.c, dataset.c).
 */
#include "qcq/data.h"

#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_FILE_LIMIT ((size_t)256 << 20)

/* ---------------------------------------------------------------- PNG */

struct png_src {
	const uint8_t *buf;
	size_t n, pos;
	const char *name;
	struct qcq_error *err;
};

static void png_on_error(png_structp png, png_const_charp msg)
{
	struct png_src *s = png_get_error_ptr(png);
	qcq_error_set(s->err, QCQ_EFORMAT, "%s: offset %zu: png: %s", s->name, s->pos, msg);
	png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg; /* warnings (bad sRGB chunk, ...) do not stop a decode */
}

static void png_read_mem(png_structp png, png_bytep out, png_size_t len)
{
	struct png_src *s = png_get_io_ptr(png);
	if (len > s->n - s->pos)
		png_error(png, "file truncated");
	memcpy(out, s->buf + s->pos, len);
	s->pos += len;
}

static enum qcq_status decode_png(const uint8_t *buf, size_t n, const char *name, float **px,
				  int *ph, int *pw, struct qcq_error *err)
{
	struct png_src src = {buf, n, 0, name, err};
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_on_error,
						 png_on_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_read_struct(&png, NULL, NULL);
		return qcq_error_set(err, QCQ_ENOMEM, "%s: cannot create a png decoder", name);
	}
	float *volatile out = NULL;
	png_bytep volatile row = NULL;
	png_bytep *volatile rows = NULL; /* interlaced images: row pointers into row */
	if (setjmp(png_jmpbuf(png))) {
		free(out);
		free(row);
		free(rows);
		png_destroy_read_struct(&png, &info, NULL);
		return err ? err->code : QCQ_EFORMAT;
	}
	png_set_read_fn(png, &src, png_read_mem);
	png_set_user_limits(png, DATA_MAX_SIDE, DATA_MAX_SIDE);
	png_read_info(png, info);
	png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
	int ct = png_get_color_type(png, info);
	/* palette -> RGB, gray < 8 bits -> 8; tRNS is not expanded (alpha is ignored) */
	if (ct == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png);
	if (ct == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8)
		png_set_expand_gray_1_2_4_to_8(png);
	png_set_scale_16(png); /* 16 -> 8 bits, rounding */
	png_set_strip_alpha(png);
	int passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	int ch = png_get_channels(png, info);
	size_t rowbytes = png_get_rowbytes(png, info);
	out = malloc((size_t)w * h * sizeof(float));
	row = malloc(rowbytes * (passes > 1 ? h : 1));
	if (!out || !row)
		png_error(png, "out of memory");
	if (passes > 1) {
		/* interlaced: read the whole image, then convert */
		rows = malloc(h * sizeof *rows);
		if (!rows)
			png_error(png, "out of memory");
		for (png_uint_32 y = 0; y < h; y++)
			rows[y] = row + (size_t)y * rowbytes;
		png_read_image(png, rows);
		free(rows);
		rows = NULL;
	}
	const float k = 1.0f / 255.0f;
	for (png_uint_32 y = 0; y < h; y++) {
		png_bytep r = row;
		if (passes > 1)
			r = row + (size_t)y * rowbytes;
		else
			png_read_row(png, r, NULL);
		float *o = out + (size_t)y * w;
		if (ch <= 2) {
			for (png_uint_32 x = 0; x < w; x++)
				o[x] = r[(size_t)x * ch] * k;
		} else {
			for (png_uint_32 x = 0; x < w; x++) {
				png_bytep p = r + (size_t)x * ch;
				o[x] = (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) * k;
			}
		}
	}
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	free(row);
	*px = out;
	*ph = (int)h;
	*pw = (int)w;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- JPEG */

struct jpeg_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jb;
	const char *name;
	struct qcq_error *err;
};

static void jpeg_on_error(j_common_ptr cinfo)
{
	struct jpeg_err *e = (struct jpeg_err *)cinfo->err;
	char msg[JMSG_LENGTH_MAX];
	e->mgr.format_message(cinfo, msg);
	qcq_error_set(e->err, QCQ_EFORMAT, "%s: jpeg: %s", e->name, msg);
	longjmp(e->jb, 1);
}

/*
 * libjpeg's messages: level -1 is a warning, which for a decoder means corrupt data that
 * it papered over (a truncated file gets a fake end and grey fill, a bad Huffman code
 * zeroes a block). Those images would load with wrong pixels, so a warning is an
 * error naming the file. Trace messages (level >= 0) are ignored.
 */
static void jpeg_on_message(j_common_ptr cinfo, int level)
{
	if (level < 0) {
		struct jpeg_err *e = (struct jpeg_err *)cinfo->err;
		char msg[JMSG_LENGTH_MAX];
		e->mgr.format_message(cinfo, msg);
		qcq_error_set(e->err, QCQ_EFORMAT, "%s: jpeg: corrupt data: %s", e->name, msg);
		longjmp(e->jb, 1);
	}
}

static enum qcq_status decode_jpeg(const uint8_t *buf, size_t n, const char *name, float **px,
				   int *ph, int *pw, struct qcq_error *err)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_err je;
	cinfo.err = jpeg_std_error(&je.mgr);
	je.mgr.error_exit = jpeg_on_error;
	je.mgr.emit_message = jpeg_on_message;
	je.name = name;
	je.err = err;
	float *volatile out = NULL;
	JSAMPLE *volatile row = NULL;
	if (setjmp(je.jb)) {
		free(out);
		free(row);
		jpeg_destroy_decompress(&cinfo);
		return err ? err->code : QCQ_EFORMAT;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, buf, (unsigned long)n);
	jpeg_read_header(&cinfo, TRUE);
	if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
		qcq_error_set(err, QCQ_EUNSUPPORTED, "%s: jpeg: CMYK images are not supported", name);
		longjmp(je.jb, 1);
	}
	if (cinfo.image_width > DATA_MAX_SIDE || cinfo.image_height > DATA_MAX_SIDE ||
	    cinfo.image_width == 0 || cinfo.image_height == 0) {
		qcq_error_set(err, QCQ_ERANGE, "%s: jpeg: image size %ux%u out of range [1, %d]", name,
			      cinfo.image_width, cinfo.image_height, DATA_MAX_SIDE);
		longjmp(je.jb, 1);
	}
	cinfo.out_color_space = JCS_GRAYSCALE; /* libjpeg converts YCbCr: its Y is 601 luma */
	jpeg_start_decompress(&cinfo);
	int w = (int)cinfo.output_width, h = (int)cinfo.output_height;
	out = malloc((size_t)w * (size_t)h * sizeof(float));
	row = malloc((size_t)w * (size_t)cinfo.output_components);
	if (!out || !row) {
		qcq_error_set(err, QCQ_ENOMEM, "%s: jpeg: out of memory", name);
		longjmp(je.jb, 1);
	}
	const float k = 1.0f / 255.0f;
	while (cinfo.output_scanline < cinfo.output_height) {
		int y = (int)cinfo.output_scanline;
		JSAMPROW rp = row;
		jpeg_read_scanlines(&cinfo, &rp, 1);
		for (int x = 0; x < w; x++)
			out[(size_t)y * w + x] = row[x] * k;
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	free(row);
	*px = out;
	*ph = h;
	*pw = w;
	return QCQ_OK;
}

/* ---------------------------------------------------------------- dispatch */

enum qcq_status data_decode_image(const uint8_t *buf, size_t n, const char *name, float **px,
				  int *h, int *w, struct qcq_error *err)
{
	static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (n >= 8 && memcmp(buf, png_sig, 8) == 0)
		return decode_png(buf, n, name, px, h, w, err);
	if (n >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff)
		return decode_jpeg(buf, n, name, px, h, w, err);
	if (n == 0)
		return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 0: empty file", name);
	return qcq_error_set(err, QCQ_EFORMAT, "%s: offset 0: not a png or jpeg file (starts with "
			     "%02x %02x %02x %02x)", name, buf[0], n > 1 ? buf[1] : 0,
			     n > 2 ? buf[2] : 0, n > 3 ? buf[3] : 0);
}

enum qcq_status data_read_image(const char *path, float **px, int *h, int *w,
				struct qcq_error *err)
{
	char *buf;
	size_t n;
	enum qcq_status st = qcq_read_file(path, IMAGE_FILE_LIMIT, &buf, &n, err);
	if (st)
		return st;
	st = data_decode_image((const uint8_t *)buf, n, path, px, h, w, err);
	free(buf);
	return st;
}
