/*
 * report/png.c: 8-bit gray and RGB PNG files through libpng, written atomically.
 *
 * Only writing: reading images is the data module's job. libpng reports errors by
 * longjmp; everything touched after setjmp lives in the caller's frame or is volatile.
 */
#include "qcq/report.h"

#include <png.h>
#include <setjmp.h>
#include <string.h>

struct png_err_ctx {
	char msg[200];
};

static void png_on_error(png_structp png, png_const_charp msg)
{
	struct png_err_ctx *ctx = png_get_error_ptr(png);
	snprintf(ctx->msg, sizeof ctx->msg, "%s", msg);
	png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Writes rows of `channels` bytes per pixel to an already opened FILE. */
static enum qcq_status png_write_fp(FILE *fp, const char *path, const uint8_t *pix, int w, int h,
				    int channels, struct qcq_error *err)
{
	struct png_err_ctx ectx = {""};
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ectx, png_on_error,
						  png_on_warning);
	if (!png)
		return qcq_error_set(err, QCQ_ENOMEM, "%s: libpng: cannot create writer", path);
	png_infop info = png_create_info_struct(png);
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return qcq_error_set(err, QCQ_ENOMEM, "%s: libpng: cannot create info", path);
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return qcq_error_set(err, QCQ_EIO, "%s: libpng: %s", path, ectx.msg);
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
		     channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < h; y++)
		png_write_row(png, (png_const_bytep)(pix + (size_t)y * (size_t)w * (size_t)channels));
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return QCQ_OK;
}

static enum qcq_status png_write(const char *path, const uint8_t *pix, int w, int h, int channels,
				 struct qcq_error *err)
{
	if (w < 1 || h < 1 || w > REP_MAX_SIDE || h > REP_MAX_SIDE)
		return qcq_error_set(err, QCQ_ERANGE, "%s: image size %dx%d out of range (1..%d)",
				     path, w, h, REP_MAX_SIDE);
	struct qcq_atomic_file af;
	enum qcq_status st = qcq_atomic_open(&af, path, err);
	if (st)
		return st;
	st = png_write_fp(af.fp, path, pix, w, h, channels, err);
	if (st) {
		qcq_atomic_abort(&af);
		return st;
	}
	return qcq_atomic_commit(&af, err);
}

enum qcq_status rep_png_write_gray(const char *path, const uint8_t *pix, int w, int h,
				   struct qcq_error *err)
{
	return png_write(path, pix, w, h, 1, err);
}

enum qcq_status rep_png_write_rgb(const char *path, const uint8_t *rgb, int w, int h,
				  struct qcq_error *err)
{
	return png_write(path, rgb, w, h, 3, err);
}

enum qcq_status rep_canvas_write_png(const struct rep_canvas *c, const char *path,
				     struct qcq_error *err)
{
	return png_write(path, c->rgb, c->w, c->h, 3, err);
}
