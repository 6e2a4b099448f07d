/*
 * tests/data/test_cmd_data.c: the data commands through cmd_run_text, as a person or a
 * session file would run them: results, JSON, dirty bits, and that a failing command
 * leaves the workspace as it was.
 */
#include "../check.h"
#include "cmd/capture.h"
#include "qcq/qml.h"
#include "qcq/qsim.h"
#include "util.h"

static struct capture cap;

static enum qcq_status run(struct cmd_workspace *ws, const char *text)
{
	capture_reset(&cap);
	return cmd_run_text(ws, text, "t.qcq", 1, false);
}

static void test_load_synth_and_bad_loads(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	ws->json = true;
	CHECK(run(ws, "load synth 300 seed=4") == QCQ_OK);
	CHECK(ws->data && ws->data->n == 300 && ws->data->h == 28);
	CHECK(ws->dirty & CMD_DIRTY_DATA);
	CHECK_STR_CONTAINS(cap.json, "{\"result\":\"data\",\"n\":300");
	struct data_set *before = ws->data;
	/* every failing load leaves the data as it was */
	const char *bad[] = {
		"load synth zero",
		"load synth 0",
		"load synth 5 seed=-1",
		"load idx /nonexistent/a /nonexistent/b",
		"load csv /nonexistent.csv",
		"load npy /nonexistent.npy",
		"load folder /nonexistent",
		"load folder . size=0x5",
		"load folder . size=big",
		"load npy x.npy labels=y.npy extra",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(run(ws, bad[i]) != QCQ_OK);
		CHECK(ws->data == before);
		CHECK(cap.err[0] != '\0');
	}
	run(ws, "load synth 0");
	CHECK_STR_CONTAINS(cap.err, "t.qcq:1: N: 0 out of range");
	run(ws, "load idx /nonexistent/a /nonexistent/b");
	CHECK_STR_CONTAINS(cap.err, "/nonexistent/a: cannot open");
	/* bad files the test writes: errors name the file, data unchanged */
	uint8_t buf[64];
	util_idx(buf, 3, 2u << 30, 28, 28, NULL);
	util_write(util_path("huge-images"), buf, 16); /* the header alone */
	size_t k = util_idx(buf, 1, 2, 0, 0, (const uint8_t *)"\1\2");
	util_write(util_path("labels"), buf, k);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "load idx %s %s", util_path("huge-images"), util_path("labels"));
	CHECK(run(ws, cmd) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(cap.err, "huge-images: offset 4: idx dimension 0 is 2147483648");
	CHECK(ws->data == before);
	util_mkdir(util_path("f"));
	util_mkdir(util_path("f/a"));
	util_mkdir(util_path("f/b"));
	util_png(util_path("f/a/1.png"), 28, 28, PNG_COLOR_TYPE_GRAY, 8, false, false);
	snprintf(cmd, sizeof cmd, "load folder %s", util_path("f"));
	CHECK(run(ws, cmd) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(cap.err, "f/b: empty class folder");
	CHECK(ws->data == before);
	util_write(util_path("f/b/2.png"), "text, not a png", 15);
	CHECK(run(ws, cmd) == QCQ_EFORMAT);
	CHECK_STR_CONTAINS(cap.err, "f/b/2.png: offset 0: not a png or jpeg");
	CHECK(ws->data == before);
	/* good files: csv, npy with labels, folder */
	util_write(util_path("d.csv"), "label,a,b,c,d\n1,0,0,255,255\n0,255,0,0,0\n", 40);
	snprintf(cmd, sizeof cmd, "load csv %s", util_path("d.csv"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(ws->data && ws->data->n == 2 && ws->data->w == 2);
	float im[8] = {0, 1, 0, 1, 1, 1, 0, 0}, lab[2] = {0, 1};
	size_t sh[3] = {2, 2, 2}, ls[1] = {2};
	data_npy_write(util_path("i.npy"), DATA_F32, sh, 3, im, NULL);
	data_npy_write(util_path("l.npy"), DATA_F32, ls, 1, lab, NULL);
	snprintf(cmd, sizeof cmd, "load npy %s labels=%s", util_path("i.npy"), util_path("l.npy"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(ws->data && ws->data->labels[1] == 1 && ws->data->nclasses == 2);
	util_png(util_path("f/b/2.png"), 40, 40, PNG_COLOR_TYPE_RGB, 8, false, false);
	snprintf(cmd, sizeof cmd, "load folder %s size=14", util_path("f"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(ws->data && ws->data->n == 2 && ws->data->h == 14);
	ws->json = false;
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "loaded 2 images of 14x14, 2 classes");
	CHECK_STR_CONTAINS(cap.out, "0=a, 1=b");
	/* load mnist without files: says what to do, naming every place it looked in (the
	 * data places point into the temporary folder: no real data is found by accident) */
	char cwd[1024];
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	CHECK(chdir(util_tmpdir()) == 0);
	unsetenv("QCQ_DATA");
	setenv("XDG_DATA_HOME", util_path("xdg"), 1);
	CHECK(run(ws, "load fashion-mnist") == QCQ_EIO);
	CHECK_STR_CONTAINS(cap.err, "no fashion-mnist files in ");
	CHECK_STR_CONTAINS(cap.err, "xdg/qcqlab/fashion-mnist, data/fashion-mnist");
	CHECK_STR_CONTAINS(cap.err, "fetch fashion-mnist");
	CHECK(chdir(cwd) == 0);
	cmd_workspace_destroy(ws);
}

/* Writes a 2-image IDX pair (labels a, b) into dir/mnist/. */
static void tiny_mnist(const char *dir, uint8_t a, uint8_t b)
{
	uint8_t buf[64], px[2 * 2 * 2] = {0, 50, 100, 150, 200, 250, 30, 60}, lab[2] = {a, b};
	util_mkdir(dir);
	util_mkdir(util_path("%s/mnist", dir + strlen(util_tmpdir()) + 1));
	size_t n = util_idx(buf, 3, 2, 2, 2, px);
	util_write(util_path("%s/mnist/x-images-idx3-ubyte", dir + strlen(util_tmpdir()) + 1), buf, n);
	n = util_idx(buf, 1, 2, 0, 0, lab);
	util_write(util_path("%s/mnist/x-labels-idx1-ubyte", dir + strlen(util_tmpdir()) + 1), buf, n);
}

/* Where `load mnist` looks without DIR: $QCQ_DATA, then $XDG_DATA_HOME/qcqlab (else
 * ~/.local/share/qcqlab), then ./data; never a folder of the development set-up. */
static void test_data_places(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	char cwd[1024], dir[1024];
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	util_mkdir(util_path("places"));
	CHECK(chdir(util_path("places")) == 0);
	unsetenv("QCQ_DATA");
	unsetenv("XDG_DATA_HOME");
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	setenv("HOME", util_path("home"), 1);
	/* ./data last */
	snprintf(dir, sizeof dir, "%s", util_path("places/data"));
	tiny_mnist(dir, 1, 2);
	CHECK(run(ws, "load mnist") == QCQ_OK);
	CHECK(ws->data && ws->data->n == 2 && ws->data->labels[1] == 2);
	/* ~/.local/share/qcqlab before it */
	util_mkdir(util_path("home"));
	util_mkdir(util_path("home/.local"));
	util_mkdir(util_path("home/.local/share"));
	snprintf(dir, sizeof dir, "%s", util_path("home/.local/share/qcqlab"));
	tiny_mnist(dir, 3, 4);
	CHECK(run(ws, "load mnist") == QCQ_OK);
	CHECK(ws->data && ws->data->labels[1] == 4);
	/* $XDG_DATA_HOME/qcqlab instead of ~/.local/share when set */
	util_mkdir(util_path("xdg2"));
	setenv("XDG_DATA_HOME", util_path("xdg2"), 1);
	snprintf(dir, sizeof dir, "%s", util_path("xdg2/qcqlab"));
	tiny_mnist(dir, 5, 6);
	CHECK(run(ws, "load mnist") == QCQ_OK);
	CHECK(ws->data && ws->data->labels[1] == 6);
	/* $QCQ_DATA first */
	snprintf(dir, sizeof dir, "%s", util_path("qd"));
	tiny_mnist(dir, 7, 8);
	setenv("QCQ_DATA", dir, 1);
	CHECK(run(ws, "load mnist") == QCQ_OK);
	CHECK(ws->data && ws->data->labels[1] == 8);
	/* and the command's DIR before all */
	snprintf(dir, sizeof dir, "load mnist %s", util_path("places/data/mnist"));
	CHECK(run(ws, dir) == QCQ_OK);
	CHECK(ws->data && ws->data->labels[1] == 2);
	/* the resolver the studies use agrees */
	char root[DATA_PATH_MAX];
	CHECK(data_find(NULL, root, sizeof root) && strcmp(root, util_path("qd")) == 0);
	CHECK(!data_find("brain-mri", root, sizeof root));
	CHECK_STR_CONTAINS(root, "qd/brain-mri, ");
	CHECK_STR_CONTAINS(root, "xdg2/qcqlab/brain-mri, data/brain-mri");
	unsetenv("QCQ_DATA");
	unsetenv("XDG_DATA_HOME");
	if (home) {
		setenv("HOME", home, 1);
		free(home);
	}
	CHECK(chdir(cwd) == 0);
	cmd_workspace_destroy(ws);
}

static void test_classes_split_stats_show(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	CHECK(run(ws, "classes 3 5") == QCQ_ESTATE);
	CHECK_STR_CONTAINS(cap.err, "no data loaded");
	CHECK(run(ws, "load synth 400 seed=2; classes 3 5") == QCQ_OK);
	CHECK(ws->split && ws->split->available[0] == 40 && ws->split->available[1] == 40);
	CHECK(ws->split->part[0].n == 56 && ws->split->part[1].n == 12);
	CHECK_STR_CONTAINS(cap.out, "task: 3 (label 0, 40 images) vs 5 (label 1, 40 images)");
	struct data_split *before = ws->split;
	const char *bad[] = {"classes 3 3", "classes 3 eleven", "classes 3 versus 5",
			     "split train=1000 val=10 test=10", "split train=0.5 val=10",
			     "split", "split train=abc", "split train=0.5 val=0.6"};
	const char *msgs[] = {"named twice", "no class 'eleven'", "no class 'versus'", /* 3 classes */
			      "side '3' has 40 images, the split needs 510", "mix of counts and fractions",
			      "give train=", "train: 'abc' is not a number", "fractions add up to 1.1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(run(ws, bad[i]) != QCQ_OK);
		CHECK_STR_CONTAINS(cap.err, msgs[i]);
		CHECK(ws->split == before);
	}
	CHECK(run(ws, "split train=40 val=10 test=10 seed=3") == QCQ_OK);
	CHECK(ws->split->part[0].n == 40 && ws->split->part[1].n == 10 && ws->split->seed == 3);
	CHECK(run(ws, "split train=20") == QCQ_OK); /* val and test keep their counts */
	CHECK(ws->split->part[0].n == 20 && ws->split->part[2].n == 10);
	/* a plain 0 empties a part with counts and with fractions alike */
	CHECK(run(ws, "split train=20 val=0 test=10") == QCQ_OK);
	CHECK(ws->split->part[0].n == 20 && ws->split->part[1].n == 0 && ws->split->part[2].n == 10);
	CHECK(run(ws, "split train=0.5 val=0 test=0.25") == QCQ_OK);
	CHECK(ws->split->part[0].n == 40 && ws->split->part[1].n == 0 && ws->split->part[2].n == 20);
	CHECK(run(ws, "split train=0.5 val=0.25 test=0.25") == QCQ_OK);
	CHECK(ws->split->part[0].n == 40 && ws->split->part[2].n == 20);
	CHECK(run(ws, "classes 0 vs 1+2+3") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "vs 1+2+3 (label 1, 120 images)");
	CHECK(run(ws, "stats") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "class  3 3");
	CHECK_STR_CONTAINS(cap.out, "mean image:");
	CHECK_STR_CONTAINS(cap.out, "train");
	ws->dirty = 0;
	CHECK(run(ws, "show image 3 ascii=1") == QCQ_OK);
	CHECK(ws->cur_image == 3 && (ws->dirty & CMD_DIRTY_DATA));
	CHECK_STR_CONTAINS(cap.out, "train image 3");
	CHECK_STR_CONTAINS(cap.out, "##");
	setenv("LC_ALL", "C.UTF-8", 1);
	CHECK(run(ws, "show image 1 part=test") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "\xe2\x96\x88\xe2\x96\x88");
	CHECK(ws->cur_image == (long)(ws->split->part[0].n + ws->split->part[1].n + 1));
	setenv("LC_ALL", "C", 1);
	CHECK(run(ws, "show image 1") == QCQ_OK);
	CHECK(strstr(cap.out, "\xe2\x96") == NULL);
	unsetenv("LC_ALL");
	CHECK(run(ws, "show image 100000") == QCQ_ERANGE);
	CHECK(run(ws, "show image 0 part=dev") == QCQ_EINVAL);
	cmd_workspace_destroy(ws);
}

static void test_quanv_cache_heatmap_patch_export(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	char cmd[2048];
	CHECK(run(ws, "quanv") == QCQ_ESTATE);
	CHECK(run(ws, "heatmap 0") == QCQ_ESTATE);
	CHECK(run(ws, "patch 0 1 1") == QCQ_ESTATE);
	CHECK(run(ws, "load synth 200 seed=9; classes 3 5; split train=20 val=6 test=4 seed=1") == QCQ_OK);
	snprintf(cmd, sizeof cmd, "quanv cache=%s", util_path("qcache"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "features: 30 images -> (4, 14, 14) each");
	CHECK_STR_CONTAINS(cap.out, "computed");
	CHECK(ws->filter && ws->features && ws->features->n[0] == 20);
	/* the features are the filter's */
	float *ref = malloc(20 * 4 * 196 * sizeof(float));
	CHECK(qml_filter_apply_naive(ws->filter, ws->split->part[0].images, 20, 28, 28, ref, NULL) ==
	      QCQ_OK);
	double maxd = 0;
	for (int i = 0; i < 20 * 4 * 196; i++) {
		double d = fabs(ref[i] - ws->features->part[0][i]);
		maxd = d > maxd ? d : maxd;
	}
	CHECK(maxd < 1e-5);
	free(ref);
	/* the same again: nothing to do; after a re-split with the same spec: from the cache */
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "already computed");
	CHECK(run(ws, "split train=20 val=6 test=4 seed=1") == QCQ_OK);
	CHECK(ws->features == NULL);
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "read from the cache (no quanvolution needed)");
	CHECK(run(ws, "quanv cache=off") == QCQ_OK);
	/* heatmap */
	CHECK(run(ws, "heatmap 2 ascii=1") == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "Z0 [");
	CHECK_STR_CONTAINS(cap.out, "Z3 [");
	CHECK_STR_CONTAINS(cap.out, "legend: <Z> from -1");
	CHECK(run(ws, "heatmap 2 1") == QCQ_OK);
	CHECK(strstr(cap.out, "Z0 [") == NULL);
	CHECK_STR_CONTAINS(cap.out, "Z1 [");
	CHECK(run(ws, "heatmap 30") == QCQ_ERANGE);
	CHECK(run(ws, "heatmap 0 4") == QCQ_ERANGE);
	/* patch: the circuit of one feature pixel; running it reproduces the feature */
	CHECK(run(ws, "patch 5 6 7") == QCQ_OK);
	CHECK(ws->circuit && ws->exec);
	CHECK(ws->dirty & CMD_DIRTY_CIRCUIT);
	CHECK_STR_CONTAINS(cap.out, "from the quanvolved features");
	CHECK(run(ws, "patch 5 14 0") == QCQ_ERANGE);
	CHECK(run(ws, "patch x 1 1") == QCQ_EINVAL);
	/* filter change drops features; a new quanv computes them again */
	CHECK(run(ws, "filter random seed=3") == QCQ_OK);
	CHECK(ws->features == NULL);
	CHECK(run(ws, "heatmap 0") == QCQ_ESTATE);
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK_STR_CONTAINS(cap.out, "computed");
	/* exports */
	snprintf(cmd, sizeof cmd, "export png %s image 3", util_path("im.png"));
	CHECK(run(ws, cmd) == QCQ_OK);
	float *px;
	int h, w;
	CHECK(data_read_image(util_path("im.png"), &px, &h, &w, NULL) == QCQ_OK);
	if (px) {
		CHECK(h == 224 && w == 224);
		/* split image 3 at scale 8: pixel (5, 9) of the image is (40..47, 72..79) */
		size_t local;
		const struct data_subset *sub = data_split_locate(ws->split, 3, NULL, &local);
		float want = sub->images[local * 28 * 28 + 5 * 28 + 9];
		CHECK_NEAR(px[44 * 224 + 75], want, 0.6 / 255);
		free(px);
	}
	snprintf(cmd, sizeof cmd, "export png %s heatmap 3 scale=4", util_path("hm.png"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(data_read_image(util_path("hm.png"), &px, &h, &w, NULL) == QCQ_OK);
	if (px) {
		CHECK(h == 56 && w == 4 * 56 + 3 * 4);
		free(px);
	}
	/* user-sized pictures are refused before allocating (native 260x260 images: 4 maps
	 * of 130x130 at scale 32 would be 16652x4160 px) */
	util_mkdir(util_path("big"));
	util_mkdir(util_path("big/a"));
	util_mkdir(util_path("big/b"));
	for (int i = 0; i < 6; i++)
		util_png(util_path("big/%c/%d.png", 'a' + i % 2, i), 260, 260, PNG_COLOR_TYPE_GRAY, 8,
			 false, false);
	struct cmd_workspace *big = capture_ws(&cap);
	snprintf(cmd, sizeof cmd, "load folder %s size=native; classes a b; split train=2 val=2 "
		 "test=2; quanv", util_path("big"));
	CHECK(run(big, cmd) == QCQ_OK);
	snprintf(cmd, sizeof cmd, "export png %s heatmap 0 scale=32", util_path("bighm.png"));
	CHECK(run(big, cmd) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(cap.err, "export png: 4 maps of 130x130 at scale 32 make 16652x4160 px, "
			   "over 8192 a side: use a smaller scale");
	CHECK(access(util_path("bighm.png"), F_OK) != 0);
	snprintf(cmd, sizeof cmd, "export png %s image 0 scale=32", util_path("bigim.png"));
	CHECK(run(big, cmd) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(cap.err, "a 260x260 image at scale 32 makes 8320x8320 px");
	/* a scale that fits works */
	snprintf(cmd, sizeof cmd, "export png %s heatmap 0 scale=8", util_path("bighm.png"));
	CHECK(run(big, cmd) == QCQ_OK);
	cmd_workspace_destroy(big);
	snprintf(cmd, sizeof cmd, "export png %s chart 3", util_path("x.png"));
	CHECK(run(ws, cmd) == QCQ_EINVAL);
	snprintf(cmd, sizeof cmd, "export npy %s features train layout=nhwc labels=%s",
		 util_path("f.npy"), util_path("fl.npy"));
	CHECK(run(ws, cmd) == QCQ_OK);
	struct data_array a;
	CHECK(data_npy_read(util_path("f.npy"), &a, NULL) == QCQ_OK);
	CHECK(a.ndim == 4 && a.shape[0] == 20 && a.shape[1] == 14 && a.shape[3] == 4);
	/* NHWC back to NCHW equals the workspace's features */
	struct data_features *back = NULL;
	CHECK(data_features_from_nhwc(&a, DATA_TRAIN, &back, NULL) == QCQ_OK);
	CHECK(back && memcmp(back->part[0], ws->features->part[0], 20 * 784 * sizeof(float)) == 0);
	data_features_free(back);
	data_array_free(&a);
	CHECK(data_npy_read(util_path("fl.npy"), &a, NULL) == QCQ_OK && a.count == 20);
	data_array_free(&a);
	snprintf(cmd, sizeof cmd, "export npy %s images", util_path("all.npy"));
	CHECK(run(ws, cmd) == QCQ_OK);
	CHECK(data_npy_read(util_path("all.npy"), &a, NULL) == QCQ_OK && a.shape[0] == 30);
	data_array_free(&a);
	snprintf(cmd, sizeof cmd, "export npy %s pixels", util_path("all.npy"));
	CHECK(run(ws, cmd) == QCQ_EINVAL);
	snprintf(cmd, sizeof cmd, "export npy %s images dev", util_path("all.npy"));
	CHECK(run(ws, cmd) == QCQ_EINVAL);
	cmd_workspace_destroy(ws);
}

static void test_fetch(void)
{
	struct cmd_workspace *ws = capture_ws(&cap);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "fetch brain-mri dir=%s", util_path("dl"));
	CHECK(run(ws, cmd) == QCQ_EUNSUPPORTED);
	CHECK_STR_CONTAINS(cap.err, "download it by hand");
	/* url= is an http(s) address, never an option for curl (-K reads a config file) */
	snprintf(cmd, sizeof cmd, "fetch mnist dir=%s url=-K.", util_path("dl"));
	CHECK(run(ws, cmd) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(cap.err, "url: '-K.' is not an http:// or https:// address");
	snprintf(cmd, sizeof cmd, "fetch mnist dir=%s url=file:///nonexistent/", util_path("dl"));
	CHECK(run(ws, cmd) == QCQ_EINVAL);
	CHECK(access(util_path("dl"), F_OK) != 0);
	CHECK(run(ws, "fetch cifar") == QCQ_EINVAL);
	cmd_workspace_destroy(ws);
}

int main(void)
{
	RUN(test_load_synth_and_bad_loads);
	RUN(test_data_places);
	RUN(test_classes_split_stats_show);
	RUN(test_quanv_cache_heatmap_patch_export);
	RUN(test_fetch);
	util_cleanup();
	return check_summary();
}
