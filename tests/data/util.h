/*
 * tests/data/util.h: helpers for the data tests: a temporary directory per test
 * program, writing small files (raw, gzip, PNG in every colour type, JPEG) and finding
 * ../shared/data.
 */
#ifndef QCQ_TESTS_DATA_UTIL_H
#define QCQ_TESTS_DATA_UTIL_H

#include "qcq/data.h"
#include "shared_data.h"

#include <jpeglib.h>
#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char util_tmp[512];

/* A fresh temporary directory (removed by util_cleanup). */
__attribute__((unused)) static const char *util_tmpdir(void)
{
	if (!util_tmp[0]) {
		snprintf(util_tmp, sizeof util_tmp, "/tmp/qcq-data-test-XXXXXX");
		if (!mkdtemp(util_tmp)) {
			perror("mkdtemp");
			exit(2);
		}
	}
	return util_tmp;
}

__attribute__((unused)) static void util_cleanup(void)
{
	if (util_tmp[0]) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", util_tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", util_tmp);
	}
}

/* tmpdir/name (static buffer rotation of 8). */
static const char *util_path(const char *fmt, ...) QCQ_PRINTF(1, 2);
__attribute__((unused)) static const char *util_path(const char *fmt, ...)
{
	static char bufs[8][1024];
	static int k;
	char *b = bufs[k++ & 7];
	char rel[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rel, sizeof rel, fmt, ap);
	va_end(ap);
	snprintf(b, 1024, "%s/%s", util_tmpdir(), rel);
	return b;
}

__attribute__((unused)) static void util_mkdir(const char *path)
{
	mkdir(path, 0755);
}

__attribute__((unused)) static void util_write(const char *path, const void *data, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, n, fp) != n) {
		perror(path);
		exit(2);
	}
	fclose(fp);
}

__attribute__((unused)) static void util_write_gz(const char *path, const void *data, size_t n)
{
	gzFile gz = gzopen(path, "wb");
	if (!gz || gzwrite(gz, data, (unsigned)n) != (int)n) {
		perror(path);
		exit(2);
	}
	gzclose(gz);
}

/* An IDX buffer: ndim 1 (n) or 3 (n, r, c); data is n*r*c bytes; returns its size. */
__attribute__((unused)) static size_t util_idx(uint8_t *out, int ndim, uint32_t n, uint32_t r, uint32_t c,
		       const uint8_t *data)
{
	uint32_t dims[3] = {n, r, c};
	out[0] = out[1] = 0;
	out[2] = 8;
	out[3] = (uint8_t)ndim;
	size_t k = 4;
	for (int d = 0; d < ndim; d++) {
		out[k++] = (uint8_t)(dims[d] >> 24);
		out[k++] = (uint8_t)(dims[d] >> 16);
		out[k++] = (uint8_t)(dims[d] >> 8);
		out[k++] = (uint8_t)dims[d];
	}
	size_t cnt = ndim == 1 ? n : (size_t)n * r * c;
	if (data)
		memcpy(out + k, data, cnt);
	return k + cnt;
}

/*
 * A PNG of h x w in color type ct and bit depth bd; pixel (y, x) has gray level
 * g(y, x) = (y * w + x) * 255 / (h * w - 1) (or 16-bit equivalent), RGB channels equal
 * to g except where rgb_tint asks for (r, g, b) = (g, 0, 0).
 */
__attribute__((unused)) static void util_png(const char *path, int h, int w, int ct, int bd, bool interlace,
		     bool red_only)
{
	FILE *fp = fopen(path, "wb");
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	if (setjmp(png_jmpbuf(png))) {
		fprintf(stderr, "png write failed\n");
		exit(2);
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, bd, ct,
		     interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	if (ct == PNG_COLOR_TYPE_PALETTE) {
		png_color pal[256];
		for (int i = 0; i < 256; i++)
			pal[i].red = pal[i].green = pal[i].blue = (png_byte)i;
		png_set_PLTE(png, info, pal, 256);
	}
	png_write_info(png, info);
	int ch = ct == PNG_COLOR_TYPE_GRAY || ct == PNG_COLOR_TYPE_PALETTE ? 1
		 : ct == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : ct == PNG_COLOR_TYPE_RGB ? 3 : 4;
	int bps = bd == 16 ? 2 : 1;
	png_bytep img = calloc((size_t)h * w * ch * bps, 1);
	png_bytep *rows = malloc((size_t)h * sizeof *rows);
	for (int y = 0; y < h; y++) {
		rows[y] = img + (size_t)y * w * ch * bps;
		for (int x = 0; x < w; x++) {
			unsigned g = (unsigned)((y * w + x) * 255 / (h * w - 1));
			unsigned g16 = g * 257;
			for (int c = 0; c < ch; c++) {
				unsigned v = g;
				if (ct & PNG_COLOR_MASK_ALPHA && c == ch - 1)
					v = 128; /* alpha: ignored by the loader */
				else if (red_only && c > 0)
					v = 0;
				png_bytep p = rows[y] + ((size_t)x * ch + c) * bps;
				if (bps == 2) {
					unsigned vv = (ct & PNG_COLOR_MASK_ALPHA && c == ch - 1) ? 0x8000 : (v == g ? g16 : 0);
					p[0] = (png_byte)(vv >> 8);
					p[1] = (png_byte)vv;
				} else {
					p[0] = (png_byte)v;
				}
			}
		}
	}
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	fclose(fp);
	free(rows);
	free(img);
}

/* A JPEG of h x w: gray ramp like util_png (or RGB (g, g, g)), quality 100. */
__attribute__((unused)) static void util_jpeg(const char *path, int h, int w, bool rgb)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr em;
	c.err = jpeg_std_error(&em);
	jpeg_create_compress(&c);
	FILE *fp = fopen(path, "wb");
	jpeg_stdio_dest(&c, fp);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = rgb ? 3 : 1;
	c.in_color_space = rgb ? JCS_RGB : JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 100, TRUE);
	jpeg_start_compress(&c, TRUE);
	JSAMPLE *row = malloc((size_t)w * 3);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			JSAMPLE g = (JSAMPLE)(x * 255 / (w - 1));
			for (int k = 0; k < (rgb ? 3 : 1); k++)
				row[x * (rgb ? 3 : 1) + k] = g;
		}
		JSAMPROW rp = row;
		jpeg_write_scanlines(&c, &rp, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fclose(fp);
	free(row);
}

#endif
