/*
 * report: what qcqlab writes for a reader — PNG images (gray, RGB, colour-mapped feature
 * maps), line plots with axes, ticks, labels, a legend and ±std bands, CSV logs and
 * markdown tables.
 *
 * It draws into a plain RGB raster of its own (struct rep_canvas) with a small built-in
 * 5x7 bitmap font, so it needs nothing beyond libpng. Every file is written atomically
 * (qcq_atomic_open / commit): an interrupted write leaves the old file in place.
 *
 * It is not a plotting library: one kind of figure (x-y line plots), a heatmap grid and
 * the tables the experiments need. It never prints and knows nothing of training (the
 * training module draws its curves with it: train_history_plot).
 */
#ifndef QCQ_REPORT_H
#define QCQ_REPORT_H

#include "qcq/core.h"

#include <stdio.h>

/* Largest image side we write (a guard against absurd sizes from a user). */
#define REP_MAX_SIDE 16384

/* ---------------------------------------------------------------- PNG */

/* 8-bit grayscale, w*h bytes row-major. Rejects w or h outside [1, REP_MAX_SIDE]. */
enum qcq_status rep_png_write_gray(const char *path, const uint8_t *pix, int w, int h,
				   struct qcq_error *err);
/* 8-bit RGB, 3*w*h bytes row-major (r,g,b per pixel). Same limits. */
enum qcq_status rep_png_write_rgb(const char *path, const uint8_t *rgb, int w, int h,
				  struct qcq_error *err);

/* ---------------------------------------------------------------- colours */

/* Colours are 0xRRGGBB. */
#define REP_WHITE 0xffffffu
#define REP_BLACK 0x000000u

enum rep_cmap {
	REP_CMAP_VIRIDIS,   /* perceptually uniform, dark purple (0) to yellow (1) */
	REP_CMAP_DIVERGING, /* blue (0) - white (0.5) - red (1): for values in [-1, 1] */
	REP_CMAP_GRAY,      /* black (0) to white (1) */
};

/* The colour at t in [0, 1] (clamped; NaN gives magenta so that it shows). */
uint32_t rep_cmap_color(enum rep_cmap map, double t);
/* The n-th colour of the qualitative series palette (Okabe-Ito, colour-blind safe). */
uint32_t rep_palette(int n);

/* ---------------------------------------------------------------- canvas */

/* An RGB raster, 3 bytes per pixel, row-major, origin top left. */
struct rep_canvas {
	int w, h;
	uint8_t *rgb;
	int clip_x0, clip_y0, clip_x1, clip_y1; /* drawing is limited to [x0,x1) x [y0,y1) */
};

enum rep_marker {
	REP_MARK_NONE,
	REP_MARK_CIRCLE,
	REP_MARK_SQUARE,
	REP_MARK_TRIANGLE,
	REP_MARK_DIAMOND,
	REP_MARK_CROSS,
	REP_MARK_PLUS,
	REP_MARK_COUNT,
};

enum rep_dash {
	REP_DASH_SOLID,
	REP_DASH_DASHED,
	REP_DASH_DOTTED,
	REP_DASH_DASHDOT,
	REP_DASH_COUNT,
};

/* Rejects w or h outside [1, REP_MAX_SIDE]. The canvas starts filled with bg. */
enum qcq_status rep_canvas_create(struct rep_canvas *c, int w, int h, uint32_t bg,
				  struct qcq_error *err);
void rep_canvas_free(struct rep_canvas *c);
uint32_t rep_canvas_get(const struct rep_canvas *c, int x, int y); /* 0 outside */
/* Limit drawing to [x0, x1) x [y0, y1) (intersected with the canvas); reset to all. */
void rep_canvas_set_clip(struct rep_canvas *c, int x0, int y0, int x1, int y1);
void rep_canvas_reset_clip(struct rep_canvas *c);
/* Blend colour over pixel (x, y) with opacity a in [0, 1]; outside pixels are ignored. */
void rep_canvas_blend(struct rep_canvas *c, int x, int y, uint32_t color, double a);
/* Filled rectangle [x0, x1) x [y0, y1) with opacity a. */
void rep_canvas_fill_rect(struct rep_canvas *c, int x0, int y0, int x1, int y1, uint32_t color,
			  double a);
/* One-pixel outline of the rectangle [x0, x1) x [y0, y1). */
void rep_canvas_rect(struct rep_canvas *c, int x0, int y0, int x1, int y1, uint32_t color);
/*
 * Anti-aliased polyline of n points through (xs[i], ys[i]) in pixel coordinates, width in
 * pixels, with a dash pattern that runs on across the vertices.
 */
void rep_canvas_polyline(struct rep_canvas *c, const double *xs, const double *ys, size_t n,
			 uint32_t color, double width, enum rep_dash dash);
void rep_canvas_line(struct rep_canvas *c, double x0, double y0, double x1, double y1,
		     uint32_t color, double width);
/*
 * A band between two curves over increasing x: for every pixel column between xs[0] and
 * xs[n-1], the span between the linearly interpolated lo and hi is filled with opacity a
 * (each pixel once, so overlaps do not darken).
 */
void rep_canvas_band(struct rep_canvas *c, const double *xs, const double *lo,
		     const double *hi, size_t n, uint32_t color, double a);
/* A marker of the given size (diameter in pixels) centred at (x, y). */
void rep_canvas_marker(struct rep_canvas *c, double x, double y, enum rep_marker m,
		       double size, uint32_t color);

/*
 * Text in the built-in 5x7 font (printable ASCII; other bytes draw as '?'), each font
 * pixel scale x scale canvas pixels. (x, y) is the top left of the first glyph cell;
 * a cell is 6x10 font pixels including the gap and the descender rows.
 * rep_canvas_text_up draws the text rotated 90 degrees, reading bottom to top, with
 * (x, y) the bottom left corner.
 */
#define REP_FONT_W 6  /* advance per glyph, font pixels */
#define REP_FONT_H 10 /* line height, font pixels */
void rep_canvas_text(struct rep_canvas *c, int x, int y, const char *s, uint32_t color,
		     int scale);
void rep_canvas_text_up(struct rep_canvas *c, int x, int y, const char *s, uint32_t color,
			int scale);
int rep_text_width(const char *s, int scale); /* canvas pixels, without the trailing gap */

enum qcq_status rep_canvas_write_png(const struct rep_canvas *c, const char *path,
				     struct qcq_error *err);

/* ---------------------------------------------------------------- line plots */

/*
 * A line plot: series of (x, y) points, each with its own colour, marker and dash,
 * optional ±std bands, a title, axis titles, auto-scaled axes with "nice" ticks and
 * numeric labels, a grid and a legend placed in the corner of the plot area with the
 * fewest data points under it.
 *
 *     struct rep_plot *p = rep_plot_create("accuracy", "epoch", "test accuracy");
 *     rep_plot_add_mean_std(p, "qcq-cnn", epochs, mean, std, n, err);
 *     rep_plot_write_png(p, "acc.png", 960, 640, err);
 *     rep_plot_free(p);
 *
 * Points with a non-finite x or y are skipped (the line breaks there).
 */
struct rep_plot;

struct rep_style {
	uint32_t color;
	enum rep_marker marker;
	enum rep_dash dash;
	double width; /* line width in pixels */
};

struct rep_plot *rep_plot_create(const char *title, const char *xlabel, const char *ylabel);
void rep_plot_free(struct rep_plot *p);
/*
 * Adds a series (the data are copied) and returns its index (>= 0), or -1 with err set
 * when n is 0 or over 1e6 points. Its style defaults to palette colour, marker and
 * solid line number `index`; change it with rep_plot_set_style.
 */
int rep_plot_add_series(struct rep_plot *p, const char *label, const double *x, const double *y,
			size_t n, struct qcq_error *err);
void rep_plot_set_style(struct rep_plot *p, int series, const struct rep_style *style);
struct rep_style rep_plot_get_style(const struct rep_plot *p, int series);
/* A translucent band between lo and hi (same x as the data given), in the series' colour. */
enum qcq_status rep_plot_add_band(struct rep_plot *p, int series, const double *x, const double *lo,
				  const double *hi, size_t n, struct qcq_error *err);
/* A mean line with a ±std band; returns the series index or -1. */
int rep_plot_add_mean_std(struct rep_plot *p, const char *label, const double *x,
			  const double *mean, const double *std, size_t n, struct qcq_error *err);
/* Fix the y range (e.g. 0..1 for accuracy) instead of scaling to the data; lo < hi. */
void rep_plot_set_ylim(struct rep_plot *p, double lo, double hi);
/* A vertical line at x (e.g. the best epoch), gray and dotted, with an optional label
 * written at its top. At most 16 per plot (more are ignored). */
void rep_plot_add_vline(struct rep_plot *p, double x, const char *label);
/* Integer x ticks only (epochs). */
void rep_plot_set_integer_x(struct rep_plot *p, bool on);
/* Draw into the rectangle (x, y, w, h) of a canvas (several plots make a figure). */
void rep_plot_draw(const struct rep_plot *p, struct rep_canvas *c, int x, int y, int w, int h);
/* Draw alone on a white w x h canvas and write it; w, h in [200, REP_MAX_SIDE]. */
enum qcq_status rep_plot_write_png(const struct rep_plot *p, const char *path, int w, int h,
				   struct qcq_error *err);

/* Tick positions of a "nice" axis covering [lo, hi]: step is 1, 2 or 5 x 10^k, about
 * `target` ticks; returns the number written to ticks (at most max). */
int rep_nice_ticks(double lo, double hi, int target, double *ticks, int max, double *step);

/* ---------------------------------------------------------------- heatmaps */

/*
 * n maps of h x w floats back to back (one image's C feature maps in NCHW order are
 * exactly this), drawn side by side in `cols` columns, each scaled up by an integer factor
 * to about 112 pixels, with an optional caption per map (titles may be NULL), an optional
 * overall title and a colour bar with labelled ticks. Values are mapped linearly from
 * [lo, hi] onto the colour map; lo == hi picks the data's min and max.
 * Rejects n, h, w < 1, n > 1024, h or w > 4096.
 */
enum qcq_status rep_heatmap_grid_png(const char *path, const float *maps, int n, int h, int w,
				     int cols, enum rep_cmap cmap, double lo, double hi,
				     const char *const *titles, const char *title,
				     struct qcq_error *err);

/* ---------------------------------------------------------------- CSV */

/*
 * A CSV file written atomically, one field at a time. Fields that contain a comma, a
 * quote, a newline or leading/trailing blanks are quoted (RFC 4180, quotes doubled).
 * Numbers use %.10g; NaN and Inf are written as nan, inf, -inf. rep_csv_close checks
 * that every row had as many fields as the header and commits the file; on any error
 * the file is not created (or left as it was).
 */
struct rep_csv {
	struct qcq_atomic_file af;
	int ncols, col;
	long row;         /* data rows ended so far */
	long bad_row;     /* first row with a wrong field count, or -1 */
	int bad_count;
};

enum qcq_status rep_csv_open(struct rep_csv *csv, const char *path, const char *const *header,
			     int ncols, struct qcq_error *err);
void rep_csv_str(struct rep_csv *csv, const char *s);
void rep_csv_num(struct rep_csv *csv, double v);
void rep_csv_int(struct rep_csv *csv, long long v);
void rep_csv_end_row(struct rep_csv *csv);
enum qcq_status rep_csv_close(struct rep_csv *csv, struct qcq_error *err);
/* Write s as one CSV field (quoted if needed) to fp. */
void rep_csv_write_field(FILE *fp, const char *s);

/* ---------------------------------------------------------------- markdown tables */

/*
 * A table of strings rendered as a GitHub markdown table with padded columns:
 *     | model   | accuracy      |
 *     |:--------|--------------:|
 *     | qcq-cnn | 0.9885±0.0040 |
 * '|' in a cell is escaped as '\|', newlines become spaces.
 */
struct rep_table;

enum rep_align { REP_ALIGN_LEFT, REP_ALIGN_RIGHT, REP_ALIGN_CENTER };

/* ncols in [1, 64]; header has ncols strings (copied). */
struct rep_table *rep_table_create(int ncols, const char *const *header);
void rep_table_free(struct rep_table *t);
void rep_table_set_align(struct rep_table *t, int col, enum rep_align a);
/* Adds a row of ncols strings (copied; NULL is an empty cell). */
void rep_table_add_row(struct rep_table *t, const char *const *cells);
/* Adds a row from a printf format whose fields are separated by '\t'. */
void rep_table_add_rowf(struct rep_table *t, const char *fmt, ...) QCQ_PRINTF(2, 3);
size_t rep_table_rows(const struct rep_table *t);
/* The markdown text (malloc'd, ends with a newline). */
char *rep_table_format(const struct rep_table *t);
/* Writes the markdown (with an optional "# heading" and paragraph before it) atomically. */
enum qcq_status rep_table_write_md(const struct rep_table *t, const char *path,
				   const char *heading, const char *note, struct qcq_error *err);

/* ---------------------------------------------------------------- training curves */

#endif
