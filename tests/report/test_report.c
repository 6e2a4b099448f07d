/* tests/report: PNG files read back through libpng, colour maps, canvas primitives, the
 * font, plots, heatmaps, CSV and markdown tables.
 * Set QCQ_KEEP_PNG=DIR to keep the example plots for looking at them. */
#include "qcq/report.h"
#include "check.h"
#include "scratch.h"

#include <png.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>


/* Reads a PNG as RGB (any format converted by libpng's simplified API). */
static uint8_t *read_png(const char *path, int *w, int *h)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path))
		return NULL;
	img.format = PNG_FORMAT_RGB;
	uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
	if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) {
		free(buf);
		return NULL;
	}
	*w = (int)img.width;
	*h = (int)img.height;
	return buf;
}

static uint32_t px(const uint8_t *rgb, int w, int x, int y)
{
	const uint8_t *p = rgb + ((size_t)y * w + x) * 3;
	return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

static void test_png_gray_and_rgb_round_trip(void)
{
	struct qcq_error e;
	uint8_t g[6 * 4], rgb[5 * 3 * 3];
	for (int i = 0; i < 24; i++)
		g[i] = (uint8_t)(i * 10);
	for (int i = 0; i < 45; i++)
		rgb[i] = (uint8_t)(i * 5 + 1);
	CHECK(rep_png_write_gray(scratch_path("g.png"), g, 6, 4, &e) == QCQ_OK);
	CHECK(rep_png_write_rgb(scratch_path("c.png"), rgb, 5, 3, &e) == QCQ_OK);
	int w, h;
	uint8_t *back = read_png(scratch_path("g.png"), &w, &h);
	CHECK(back && w == 6 && h == 4);
	for (int i = 0; back && i < 24; i++)
		CHECK(back[3 * i] == g[i] && back[3 * i + 1] == g[i] && back[3 * i + 2] == g[i]);
	free(back);
	back = read_png(scratch_path("c.png"), &w, &h);
	CHECK(back && w == 5 && h == 3 && memcmp(back, rgb, 45) == 0);
	free(back);
	/* no temporary file left behind */
	char tmp[600];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", scratch_path("c.png"), (long)getpid());
	CHECK(access(tmp, F_OK) != 0);
}

static void test_png_rejects(void)
{
	struct qcq_error e;
	uint8_t g[4] = {0};
	CHECK(rep_png_write_gray(scratch_path("bad.png"), g, 0, 4, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "image size 0x4 out of range");
	CHECK(access(scratch_path("bad.png"), F_OK) != 0);
	CHECK(rep_png_write_gray("/nonexistent-scratch_dir/x.png", g, 2, 2, &e) == QCQ_EIO);
	CHECK_STR_CONTAINS(e.msg, "/nonexistent-scratch_dir/x.png: cannot create");
	struct rep_canvas c;
	CHECK(rep_canvas_create(&c, 20000, 10, REP_WHITE, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "canvas size 20000x10 out of range");
}

static void test_cmaps(void)
{
	/* viridis ends: (68,1,84) and (253,231,37) */
	CHECK(rep_cmap_color(REP_CMAP_VIRIDIS, 0) == 0x440154);
	CHECK(rep_cmap_color(REP_CMAP_VIRIDIS, 1) == 0xfde725);
	CHECK(rep_cmap_color(REP_CMAP_VIRIDIS, -3) == 0x440154); /* clamped */
	CHECK(rep_cmap_color(REP_CMAP_DIVERGING, 0.5) == 0xf7f7f7);
	uint32_t lo = rep_cmap_color(REP_CMAP_DIVERGING, 0), hi = rep_cmap_color(REP_CMAP_DIVERGING, 1);
	CHECK((lo & 0xff) > (lo >> 16));  /* blue end */
	CHECK((hi >> 16) > (hi & 0xff));  /* red end */
	CHECK(rep_cmap_color(REP_CMAP_GRAY, 1) == 0xffffff);
	CHECK(rep_cmap_color(REP_CMAP_GRAY, NAN) == 0xff00ff);
	/* viridis lightness increases monotonically (perceptual order) */
	double prev = -1;
	for (int i = 0; i <= 32; i++) {
		uint32_t c = rep_cmap_color(REP_CMAP_VIRIDIS, i / 32.0);
		double l = 0.2126 * (c >> 16) + 0.7152 * ((c >> 8) & 0xff) + 0.0722 * (c & 0xff);
		CHECK(l > prev);
		prev = l;
	}
	CHECK(rep_palette(0) != rep_palette(1) && rep_palette(8) == rep_palette(0));
}

static void test_font_glyphs_distinct(void)
{
	/* every printable glyph except space has ink, and no two are the same */
	struct qcq_error e;
	struct rep_canvas c;
	CHECK(rep_canvas_create(&c, 6 * 95, 10, REP_WHITE, &e) == QCQ_OK);
	char s[96];
	for (int i = 0; i < 95; i++)
		s[i] = (char)(32 + i);
	s[95] = 0;
	rep_canvas_text(&c, 0, 0, s, REP_BLACK, 1);
	uint64_t sig[95];
	for (int i = 0; i < 95; i++) {
		uint64_t h = 0;
		int ink = 0;
		for (int y = 0; y < 9; y++)
			for (int x = 0; x < 5; x++) {
				int on = rep_canvas_get(&c, i * 6 + x, y) == 0;
				ink += on;
				h = h * 3 + (uint64_t)on;
			}
		sig[i] = h;
		CHECK(i == 0 ? ink == 0 : ink > 0);
		CHECK(rep_canvas_get(&c, i * 6 + 5, 4) == REP_WHITE); /* the gap column */
	}
	for (int i = 0; i < 95; i++)
		for (int j = i + 1; j < 95; j++)
			if (sig[i] == sig[j]) {
				fprintf(stderr, "glyphs '%c' and '%c' are identical\n", 32 + i, 32 + j);
				CHECK(0);
			}
	CHECK(rep_text_width("ab", 2) == 22);
	CHECK(rep_text_width("", 2) == 0);
	rep_canvas_free(&c);
}

static void test_canvas_primitives(void)
{
	struct qcq_error e;
	struct rep_canvas c;
	CHECK(rep_canvas_create(&c, 100, 60, REP_WHITE, &e) == QCQ_OK);
	rep_canvas_fill_rect(&c, 10, 10, 20, 20, 0xff0000, 1);
	CHECK(rep_canvas_get(&c, 10, 10) == 0xff0000 && rep_canvas_get(&c, 19, 19) == 0xff0000);
	CHECK(rep_canvas_get(&c, 20, 20) == REP_WHITE);
	rep_canvas_fill_rect(&c, 30, 10, 40, 20, 0x000000, 0.5);
	CHECK(rep_canvas_get(&c, 35, 15) == 0x808080);
	/* a horizontal line at y = 40.5, width 3: rows 39..41 covered, 44 not */
	rep_canvas_line(&c, 5, 40.5, 95, 40.5, 0x0000ff, 3);
	CHECK(rep_canvas_get(&c, 50, 40) == 0x0000ff && rep_canvas_get(&c, 50, 39) == 0x0000ff);
	CHECK(rep_canvas_get(&c, 50, 44) == REP_WHITE);
	/* a dashed line has gaps, a solid one none */
	double xs[2] = {5, 95}, ys[2] = {50.5, 50.5};
	rep_canvas_polyline(&c, xs, ys, 2, 0x00aa00, 2, REP_DASH_DASHED);
	int on = 0;
	for (int x = 6; x < 94; x++)
		on += rep_canvas_get(&c, x, 50) != REP_WHITE;
	CHECK(on > 40 && on < 80);
	/* clipping */
	rep_canvas_set_clip(&c, 0, 0, 50, 60);
	rep_canvas_fill_rect(&c, 0, 55, 100, 60, 0x123456, 1);
	CHECK(rep_canvas_get(&c, 49, 57) == 0x123456 && rep_canvas_get(&c, 50, 57) == REP_WHITE);
	rep_canvas_reset_clip(&c);
	rep_canvas_free(&c);

	/* a band fills between lo and hi, with its opacity, and nothing outside */
	CHECK(rep_canvas_create(&c, 100, 100, REP_WHITE, &e) == QCQ_OK);
	double bx[3] = {10, 50, 90}, lo[3] = {60, 70, 60}, hi[3] = {40, 30, 40};
	rep_canvas_band(&c, bx, lo, hi, 3, 0x000000, 0.5);
	CHECK(rep_canvas_get(&c, 50, 50) == 0x808080);
	CHECK(rep_canvas_get(&c, 50, 25) == REP_WHITE && rep_canvas_get(&c, 5, 50) == REP_WHITE);
	rep_canvas_marker(&c, 20, 20, REP_MARK_CIRCLE, 10, 0xff0000);
	CHECK(rep_canvas_get(&c, 20, 20) == 0xff0000 && rep_canvas_get(&c, 27, 27) == REP_WHITE);
	/* rotated text: "I" reads upwards, its ink is in a column band right of x */
	rep_canvas_text_up(&c, 80, 95, "II", 0x000000, 1);
	int ink = 0;
	for (int y = 80; y < 96; y++)
		for (int x = 80; x < 89; x++)
			ink += rep_canvas_get(&c, x, y) == 0;
	CHECK(ink == 2 * 11);
	rep_canvas_free(&c);
}

static void test_nice_ticks(void)
{
	double t[32], step;
	int n = rep_nice_ticks(0, 1, 5, t, 32, &step);
	CHECK(n == 6 && fabs(step - 0.2) < 1e-12 && t[0] == 0 && fabs(t[5] - 1) < 1e-12);
	n = rep_nice_ticks(0.43, 0.97, 6, t, 32, &step);
	CHECK(fabs(step - 0.1) < 1e-12 && fabs(t[0] - 0.5) < 1e-12 && n == 5);
	n = rep_nice_ticks(1, 100, 8, t, 32, &step);
	CHECK(step == 10 && t[0] == 10 && n == 10);
	CHECK(rep_nice_ticks(1, 1, 5, t, 32, &step) == 0);
}

static int count_color(const uint8_t *rgb, int w, int h, uint32_t col)
{
	int n = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			n += px(rgb, w, x, y) == col;
	return n;
}

static void test_plot_png(void)
{
	struct qcq_error e;
	double x[30], m1[30], s1[30], m2[30], s2[30], m3[30];
	for (int i = 0; i < 30; i++) {
		x[i] = i + 1;
		m1[i] = 0.5 + 0.45 * (1 - exp(-i / 5.0));
		s1[i] = 0.05 * exp(-i / 10.0);
		m2[i] = 0.5 + 0.35 * (1 - exp(-i / 8.0));
		s2[i] = 0.03;
		m3[i] = 0.5 + 0.2 * (1 - exp(-i / 3.0));
	}
	struct rep_plot *p = rep_plot_create("Test accuracy, MNIST 3 vs 5", "epoch", "accuracy");
	CHECK(rep_plot_add_mean_std(p, "qcq-cnn", x, m1, s1, 30, &e) == 0);
	CHECK(rep_plot_add_mean_std(p, "cnn", x, m2, s2, 30, &e) == 1);
	CHECK(rep_plot_add_series(p, "mlp (no band)", x, m3, 30, &e) == 2);
	struct rep_style st = rep_plot_get_style(p, 2);
	st.dash = REP_DASH_DASHED;
	rep_plot_set_style(p, 2, &st);
	rep_plot_set_integer_x(p, true);
	rep_plot_add_vline(p, 12, "best");
	CHECK(rep_plot_write_png(p, scratch_path("plot-acc.png"), 960, 640, &e) == QCQ_OK);
	/* rejects */
	CHECK(rep_plot_add_series(p, "empty", x, m1, 0, &e) == -1);
	CHECK_STR_CONTAINS(e.msg, "series 'empty': 0 points");
	CHECK(rep_plot_add_band(p, 7, x, m1, m1, 3, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "band: no series 7 (plot has 3)");
	CHECK(rep_plot_add_band(p, 0, x, m1, m1, 0, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "band: 0 points");
	CHECK(rep_plot_write_png(p, scratch_path("tiny.png"), 100, 640, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "plot size 100x640 out of range");
	rep_plot_free(p);

	int w, h;
	uint8_t *img = read_png(scratch_path("plot-acc.png"), &w, &h);
	CHECK(img && w == 960 && h == 640);
	if (img) {
		/* each series colour is drawn (line + markers + legend sample) */
		for (int i = 0; i < 3; i++)
			CHECK(count_color(img, w, h, rep_palette(i)) > 300);
		/* the band of series 0 is a tint of its colour, not the colour itself */
		int tinted = 0;
		for (int i = 0; i < w * h; i++) {
			uint32_t c = px(img, w, i % w, i / w);
			tinted += c != REP_WHITE && c != rep_palette(0) && (c & 0xff) > (c >> 16) + 30;
		}
		CHECK(tinted > 1000);
		/* dark text pixels exist in the title strip, the x label strip and the y label strip */
		int title = 0, xl = 0, yl = 0;
		for (int y = 0; y < h; y++)
			for (int x2 = 0; x2 < w; x2++) {
				uint32_t c = px(img, w, x2, y);
				int dark = c == 0x111111 || c == 0x222222;
				title += dark && y < 40;
				xl += dark && y > h - 30;
				yl += dark && x2 < 30;
			}
		CHECK(title > 100 && xl > 50 && yl > 50);
	}
	free(img);

	/* a loss plot with auto-scaled y and a gap (NaN) in one series */
	p = rep_plot_create("Loss", "epoch", "cross-entropy loss");
	double l1[30], l2[30];
	for (int i = 0; i < 30; i++) {
		l1[i] = 0.7 * exp(-i / 6.0) + 0.05;
		l2[i] = i == 10 ? NAN : 0.75 * exp(-i / 9.0) + 0.1;
	}
	rep_plot_add_series(p, "train", x, l1, 30, &e);
	rep_plot_add_series(p, "val", x, l2, 30, &e);
	rep_plot_set_integer_x(p, true);
	CHECK(rep_plot_write_png(p, scratch_path("plot-loss.png"), 800, 500, &e) == QCQ_OK);
	rep_plot_free(p);
}

static void test_heatmap(void)
{
	struct qcq_error e;
	float maps[4 * 14 * 14];
	for (int c = 0; c < 4; c++)
		for (int y = 0; y < 14; y++)
			for (int x = 0; x < 14; x++)
				maps[(c * 14 + y) * 14 + x] =
					(float)sin(0.4 * x + c) * (float)cos(0.3 * y - c);
	maps[0] = -1, maps[1] = 1;
	const char *titles[4] = {"<Z0>", "<Z1>", "<Z2>", "<Z3>"};
	CHECK(rep_heatmap_grid_png(scratch_path("heat.png"), maps, 4, 14, 14, 4, REP_CMAP_DIVERGING, -1,
				   1, titles, "quanvolved features, image 0", &e) == QCQ_OK);
	int w, h;
	uint8_t *img = read_png(scratch_path("heat.png"), &w, &h);
	CHECK(img != NULL && w > 4 * 112 && h > 112);
	if (img) {
		/* the first map's top-left cell (value -1) is the blue end, the next one red */
		int found_lo = count_color(img, w, h, rep_cmap_color(REP_CMAP_DIVERGING, 0));
		int found_hi = count_color(img, w, h, rep_cmap_color(REP_CMAP_DIVERGING, 1));
		CHECK(found_lo >= 64 && found_hi >= 64); /* 8x8 cells, plus the colour bar */
	}
	free(img);
	CHECK(rep_heatmap_grid_png(scratch_path("heat2.png"), maps, 2, 14, 14, 0, REP_CMAP_VIRIDIS, 0, 0,
				   NULL, NULL, &e) == QCQ_OK);
	CHECK(rep_heatmap_grid_png(scratch_path("heat3.png"), maps, 0, 14, 14, 0, REP_CMAP_VIRIDIS, 0, 0,
				   NULL, NULL, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "heatmap grid of 0 maps of 14x14 out of range");
}

static void test_csv(void)
{
	struct qcq_error e;
	struct rep_csv csv;
	const char *hdr[3] = {"name", "value", "note"};
	CHECK(rep_csv_open(&csv, scratch_path("a.csv"), hdr, 3, &e) == QCQ_OK);
	rep_csv_str(&csv, "qcq-cnn");
	rep_csv_num(&csv, 0.5);
	rep_csv_str(&csv, "a, \"b\"");
	rep_csv_end_row(&csv);
	rep_csv_str(&csv, " x");
	rep_csv_num(&csv, NAN);
	rep_csv_int(&csv, -3);
	rep_csv_end_row(&csv);
	CHECK(rep_csv_close(&csv, &e) == QCQ_OK);
	char *d;
	size_t n;
	CHECK(qcq_read_file(scratch_path("a.csv"), 1 << 20, &d, &n, &e) == QCQ_OK);
	CHECK(strcmp(d, "name,value,note\nqcq-cnn,0.5,\"a, \"\"b\"\"\"\n\" x\",nan,-3\n") == 0);
	free(d);
	/* a ragged row refuses the whole file */
	CHECK(rep_csv_open(&csv, scratch_path("b.csv"), hdr, 3, &e) == QCQ_OK);
	rep_csv_str(&csv, "a");
	rep_csv_end_row(&csv);
	CHECK(rep_csv_close(&csv, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "row 1 has 1 fields (header has 3)");
	CHECK(access(scratch_path("b.csv"), F_OK) != 0);
	CHECK(rep_csv_open(&csv, scratch_path("c.csv"), hdr, 0, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "0 csv columns");
}

static void test_markdown(void)
{
	const char *hdr[2] = {"model", "accuracy"};
	struct rep_table *t = rep_table_create(2, hdr);
	rep_table_set_align(t, 1, REP_ALIGN_RIGHT);
	rep_table_add_rowf(t, "%s\t%.4f", "qcq-cnn", 0.98851);
	const char *row[2] = {"a|b", NULL};
	rep_table_add_row(t, row);
	CHECK(rep_table_rows(t) == 2);
	char *s = rep_table_format(t);
	CHECK(strcmp(s, "| model   | accuracy |\n"
			"|:--------|---------:|\n"
			"| qcq-cnn |   0.9885 |\n"
			"| a\\|b    |          |\n") == 0);
	free(s);
	struct qcq_error e;
	CHECK(rep_table_write_md(t, scratch_path("t.md"), "Table 1", "mean over 3 seeds", &e) == QCQ_OK);
	char *d;
	size_t n;
	CHECK(qcq_read_file(scratch_path("t.md"), 1 << 20, &d, &n, &e) == QCQ_OK);
	CHECK(strncmp(d, "# Table 1\n\nmean over 3 seeds\n\n| model", 37) == 0);
	free(d);
	rep_table_free(t);
	/* "±" is one column wide though two bytes long */
	t = rep_table_create(2, hdr);
	rep_table_add_rowf(t, "%s\t%s", "cnn", "99.50 ± 0.17");
	s = rep_table_format(t);
	CHECK(strcmp(s, "| model | accuracy     |\n"
			"|:------|:-------------|\n"
			"| cnn   | 99.50 ± 0.17 |\n") == 0);
	free(s);
	rep_table_free(t);
}

int main(void)
{
	if (scratch_open("report"))
		return 1;
	RUN(test_png_gray_and_rgb_round_trip);
	RUN(test_png_rejects);
	RUN(test_cmaps);
	RUN(test_font_glyphs_distinct);
	RUN(test_canvas_primitives);
	RUN(test_nice_ticks);
	RUN(test_plot_png);
	RUN(test_heatmap);
	RUN(test_csv);
	RUN(test_markdown);
	scratch_close();
	return check_summary();
}
