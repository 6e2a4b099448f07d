/*
 * data/pngout.c: PNG output for looking at data (grayscale images, RGB heatmaps), the
 * viridis colour map and image grids.
 *
 * Files are written atomically through qcq_atomic_open; libpng errors longjmp back
 * and abort the temporary file. Not here: plots with axes and legends (report module).
 */
#include "qcq/data.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct png_wctx {
	const char *path;
	struct qcq_error *err;
};

static void pngw_on_error(png_structp png, png_const_charp msg)
{
	struct png_wctx *c = png_get_error_ptr(png);
	qcq_error_set(c->err, QCQ_EIO, "%s: png: %s", c->path, msg);
	png_longjmp(png, 1);
}

static void pngw_on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* rows: h pointers to rows of w * channels bytes. */
static enum qcq_status write_png(const char *path, png_bytep *rows, int h, int w, int channels,
				 struct qcq_error *err)
{
	if (h < 1 || w < 1 || h > 65535 || w > 65535)
		return qcq_error_set(err, QCQ_EINVAL, "%s: png size %dx%d out of range", path, w, h);
	struct qcq_atomic_file af;
	enum qcq_status st = qcq_atomic_open(&af, path, err);
	if (st)
		return st;
	struct png_wctx c = {path, err};
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &c, pngw_on_error,
						  pngw_on_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		qcq_atomic_abort(&af);
		return qcq_error_set(err, QCQ_ENOMEM, "%s: cannot create a png encoder", path);
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		qcq_atomic_abort(&af);
		return err ? err->code : QCQ_EIO;
	}
	png_init_io(png, af.fp);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
		     channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return qcq_atomic_commit(&af, err);
}

enum qcq_status data_write_png_gray(const char *path, const float *px, int h, int w, int scale,
				    struct qcq_error *err)
{
	if (scale < 1 || scale > 64 || h < 1 || w < 1 || (long)h * scale > 65535 ||
	    (long)w * scale > 65535)
		return qcq_error_set(err, QCQ_EINVAL, "%s: png of %dx%d at scale %d out of range", path,
				     w, h, scale);
	int oh = h * scale, ow = w * scale;
	uint8_t *buf = qcq_xmalloc((size_t)oh * (size_t)ow);
	png_bytep *rows = qcq_xmalloc((size_t)oh * sizeof *rows);
	for (int y = 0; y < oh; y++) {
		rows[y] = buf + (size_t)y * ow;
		for (int x = 0; x < ow; x++) {
			float v = px[(size_t)(y / scale) * w + x / scale];
			v = v < 0 ? 0 : v > 1 ? 1 : v;
			rows[y][x] = (uint8_t)(v * 255.0f + 0.5f);
		}
	}
	enum qcq_status st = write_png(path, rows, oh, ow, 1, err);
	free(rows);
	free(buf);
	return st;
}

enum qcq_status data_write_png_rgb(const char *path, const uint8_t *rgb, int h, int w,
				   struct qcq_error *err)
{
	if (h < 1 || w < 1)
		return qcq_error_set(err, QCQ_EINVAL, "%s: png size %dx%d out of range", path, w, h);
	png_bytep *rows = qcq_xmalloc((size_t)h * sizeof *rows);
	for (int y = 0; y < h; y++)
		rows[y] = (png_bytep)rgb + (size_t)y * w * 3;
	enum qcq_status st = write_png(path, rows, h, w, 3, err);
	free(rows);
	return st;
}

/* viridis, 9 stops of matplotlib's table, linearly interpolated. */
void data_viridis(float t, uint8_t rgb[3])
{
	static const uint8_t stops[9][3] = {
		{68, 1, 84},    {71, 44, 122},  {59, 81, 139},  {44, 113, 142}, {33, 144, 141},
		{39, 173, 129}, {92, 200, 99},  {170, 220, 50}, {253, 231, 37},
	};
	if (!(t > 0)) /* also NaN */
		t = 0;
	if (t > 1)
		t = 1;
	float x = t * 8;
	int i = (int)x;
	if (i > 7)
		i = 7;
	float f = x - i;
	for (int k = 0; k < 3; k++)
		rgb[k] = (uint8_t)(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]) + 0.5f);
}

float *data_image_grid(const float *images, size_t n, int h, int w, int cols, int *gh, int *gw)
{
	if (cols < 1)
		cols = 1;
	size_t rows = (n + (size_t)cols - 1) / (size_t)cols;
	if (rows == 0)
		rows = 1;
	*gh = (int)rows * (h + 1) + 1;
	*gw = cols * (w + 1) + 1;
	float *g = qcq_xcalloc((size_t)*gh * (size_t)*gw, sizeof(float));
	for (size_t i = 0; i < (size_t)*gh * (size_t)*gw; i++)
		g[i] = 0.25f; /* gaps in dark gray */
	for (size_t k = 0; k < n; k++) {
		int r0 = (int)(k / (size_t)cols) * (h + 1) + 1, c0 = (int)(k % (size_t)cols) * (w + 1) + 1;
		for (int y = 0; y < h; y++)
			memcpy(g + (size_t)(r0 + y) * *gw + c0, images + (k * h + y) * (size_t)w,
			       (size_t)w * sizeof(float));
	}
	return g;
}
