/*
 * tui/colors.c: semantic colours (STYLE 19) and the terminal's character set.
 *
 * Three schemes, chosen once at start: 256 colours, the 8 ANSI colours, and a
 * monochrome one that only uses bold, reverse, underline and dim (NO_COLOR, `set
 * color off`, or a terminal without colours). Each is a table from enum tui_color to
 * (foreground, background, attributes); nothing else in the TUI names a colour.
 * Heat maps get their own ramps of colour pairs when the terminal has enough of them.
 */
#include "tui-internal.h"

#include "qcq/report.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>

struct color_def {
	short fg, bg; /* -1 = terminal default */
	attr_t a;
};

static const struct color_def scheme_256[TUI_C_COUNT] = {
	[TUI_C_NORMAL] = {-1, -1, 0},
	[TUI_C_DIM] = {244, -1, 0},
	[TUI_C_TITLE] = {110, -1, A_BOLD},
	[TUI_C_TITLE_FOCUS] = {16, 179, A_BOLD},
	[TUI_C_STATUS] = {252, 236, 0},
	[TUI_C_STATUS_JOB] = {16, 114, A_BOLD},
	[TUI_C_PROMPT] = {114, -1, A_BOLD},
	[TUI_C_LOG_CMD] = {75, -1, A_BOLD},
	[TUI_C_LOG_INFO] = {246, -1, 0},
	[TUI_C_ERROR] = {203, -1, A_BOLD},
	[TUI_C_TRAIN_LOSS] = {209, -1, 0},
	[TUI_C_VAL_LOSS] = {75, -1, 0},
	[TUI_C_TRAIN_ACC] = {114, -1, 0},
	[TUI_C_VAL_ACC] = {177, -1, 0},
	[TUI_C_AXIS] = {244, -1, 0},
	[TUI_C_PROGRESS] = {114, -1, 0},
	[TUI_C_GATE] = {250, -1, 0},
	[TUI_C_GATE_DONE] = {117, -1, A_BOLD},
	[TUI_C_GATE_NEXT] = {16, 220, A_BOLD},
	[TUI_C_WIRE] = {242, -1, 0},
	[TUI_C_LABEL] = {180, -1, 0},
	[TUI_C_VALUE] = {229, -1, A_BOLD},
	[TUI_C_BAR] = {110, -1, 0},
	[TUI_C_PHASE0] = {75, -1, 0},
	[TUI_C_PHASE1] = {114, -1, 0},
	[TUI_C_PHASE2] = {209, -1, 0},
	[TUI_C_PHASE3] = {177, -1, 0},
	[TUI_C_HELP] = {252, 24, 0},
	[TUI_C_MARK] = {16, 46, A_BOLD}, /* green: in neither heat ramp */
};

static const struct color_def scheme_8[TUI_C_COUNT] = {
	[TUI_C_NORMAL] = {-1, -1, 0},
	[TUI_C_DIM] = {-1, -1, A_DIM},
	[TUI_C_TITLE] = {COLOR_CYAN, -1, A_BOLD},
	[TUI_C_TITLE_FOCUS] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD},
	[TUI_C_STATUS] = {COLOR_WHITE, COLOR_BLUE, 0},
	[TUI_C_STATUS_JOB] = {COLOR_BLACK, COLOR_GREEN, A_BOLD},
	[TUI_C_PROMPT] = {COLOR_GREEN, -1, A_BOLD},
	[TUI_C_LOG_CMD] = {COLOR_BLUE, -1, A_BOLD},
	[TUI_C_LOG_INFO] = {-1, -1, A_DIM},
	[TUI_C_ERROR] = {COLOR_RED, -1, A_BOLD},
	[TUI_C_TRAIN_LOSS] = {COLOR_YELLOW, -1, 0},
	[TUI_C_VAL_LOSS] = {COLOR_BLUE, -1, A_BOLD},
	[TUI_C_TRAIN_ACC] = {COLOR_GREEN, -1, 0},
	[TUI_C_VAL_ACC] = {COLOR_MAGENTA, -1, 0},
	[TUI_C_AXIS] = {-1, -1, A_DIM},
	[TUI_C_PROGRESS] = {COLOR_GREEN, -1, 0},
	[TUI_C_GATE] = {-1, -1, A_DIM},
	[TUI_C_GATE_DONE] = {COLOR_CYAN, -1, A_BOLD},
	[TUI_C_GATE_NEXT] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD},
	[TUI_C_WIRE] = {-1, -1, A_DIM},
	[TUI_C_LABEL] = {COLOR_YELLOW, -1, 0},
	[TUI_C_VALUE] = {COLOR_WHITE, -1, A_BOLD},
	[TUI_C_BAR] = {COLOR_CYAN, -1, 0},
	[TUI_C_PHASE0] = {COLOR_BLUE, -1, A_BOLD},
	[TUI_C_PHASE1] = {COLOR_GREEN, -1, 0},
	[TUI_C_PHASE2] = {COLOR_YELLOW, -1, 0},
	[TUI_C_PHASE3] = {COLOR_MAGENTA, -1, 0},
	[TUI_C_HELP] = {COLOR_WHITE, COLOR_BLUE, 0},
	[TUI_C_MARK] = {COLOR_BLACK, COLOR_GREEN, A_BOLD},
};

/* Monochrome: attributes only. Series in plots still differ by their glyphs. */
static const attr_t scheme_mono[TUI_C_COUNT] = {
	[TUI_C_NORMAL] = 0,
	[TUI_C_DIM] = A_DIM,
	[TUI_C_TITLE] = A_BOLD,
	[TUI_C_TITLE_FOCUS] = A_REVERSE | A_BOLD,
	[TUI_C_STATUS] = A_REVERSE,
	[TUI_C_STATUS_JOB] = A_REVERSE | A_BOLD,
	[TUI_C_PROMPT] = A_BOLD,
	[TUI_C_LOG_CMD] = A_BOLD,
	[TUI_C_LOG_INFO] = A_DIM,
	[TUI_C_ERROR] = A_BOLD | A_UNDERLINE,
	[TUI_C_TRAIN_LOSS] = 0,
	[TUI_C_VAL_LOSS] = A_BOLD,
	[TUI_C_TRAIN_ACC] = 0,
	[TUI_C_VAL_ACC] = A_BOLD,
	[TUI_C_AXIS] = A_DIM,
	[TUI_C_PROGRESS] = A_BOLD,
	[TUI_C_GATE] = A_DIM,
	[TUI_C_GATE_DONE] = A_BOLD,
	[TUI_C_GATE_NEXT] = A_REVERSE | A_BOLD,
	[TUI_C_WIRE] = A_DIM,
	[TUI_C_LABEL] = 0,
	[TUI_C_VALUE] = A_BOLD,
	[TUI_C_BAR] = 0,
	[TUI_C_PHASE0] = 0,
	[TUI_C_PHASE1] = 0,
	[TUI_C_PHASE2] = 0,
	[TUI_C_PHASE3] = 0,
	[TUI_C_HELP] = A_REVERSE,
	[TUI_C_MARK] = A_REVERSE | A_BOLD,
};

/* The gray ramp for images in the xterm 256-colour cube. The blue-white-red one for <Z>
 * in [-1, 1] is made at start from report's diverging map, the one `export png heatmap`
 * writes, so that the same data look the same on screen and in the file. */
static const short gray_256[TUI_HEAT_LEVELS] = {232, 235, 238, 241, 244, 247, 250, 252, 254, 231};

/* The xterm-256 colour nearest to 0xRRGGBB: the 6x6x6 cube (16..231) or the gray ramp
 * (232..255), by squared distance. */
static short xterm_nearest(uint32_t rgb)
{
	static const int cube[6] = {0, 95, 135, 175, 215, 255};
	int r = (int)(rgb >> 16 & 255), g = (int)(rgb >> 8 & 255), b = (int)(rgb & 255);
	int best = 16;
	long bd = -1;
	for (int i = 16; i < 256; i++) {
		int cr, cg, cb;
		if (i < 232)
			cr = cube[(i - 16) / 36], cg = cube[(i - 16) / 6 % 6], cb = cube[(i - 16) % 6];
		else
			cr = cg = cb = 8 + 10 * (i - 232);
		long d = (long)(r - cr) * (r - cr) + (long)(g - cg) * (g - cg) + (long)(b - cb) * (b - cb);
		if (bd < 0 || d < bd)
			bd = d, best = i;
	}
	return (short)best;
}

/* The heat pairs follow the semantic ones (pairs 1..TUI_C_COUNT). All must stay below
 * 256: COLOR_PAIR() keeps 8 bits, so pair 263 would draw as pair 7 (a +1 cell in the
 * prompt's green, issue 13), whatever COLOR_PAIRS the terminal reports. */
#define HEAT_PAIR_BASE 32
_Static_assert(TUI_C_COUNT + 1 <= HEAT_PAIR_BASE, "semantic pairs overlap the heat pairs");
_Static_assert(HEAT_PAIR_BASE + 2 * TUI_HEAT_LEVELS * TUI_HEAT_LEVELS <= 256,
	       "heat pairs past 255 do not fit COLOR_PAIR()");

static void init_heat(struct tui *t)
{
	int need = HEAT_PAIR_BASE + 2 * TUI_HEAT_LEVELS * TUI_HEAT_LEVELS;
	if (t->scheme != TUI_SCHEME_256 || COLOR_PAIRS <= need)
		return;
	short ramp[2][TUI_HEAT_LEVELS];
	for (int l = 0; l < TUI_HEAT_LEVELS; l++) {
		ramp[0][l] = gray_256[l];
		/* level l covers [l, l+1)/LEVELS of [0, 1]; its middle's colour (the ends at the
		 * ends, so that -1 and +1 are the map's own blue and red) */
		double mid = TUI_HEAT_LEVELS > 1 ? (double)l / (TUI_HEAT_LEVELS - 1) : 0.5;
		ramp[1][l] = xterm_nearest(rep_cmap_color(REP_CMAP_DIVERGING, mid));
	}
	for (int r = 0; r < 2; r++) {
		short base = (short)(HEAT_PAIR_BASE + r * TUI_HEAT_LEVELS * TUI_HEAT_LEVELS);
		for (int a = 0; a < TUI_HEAT_LEVELS; a++)
			for (int b = 0; b < TUI_HEAT_LEVELS; b++)
				init_pair((short)(base + a * TUI_HEAT_LEVELS + b), ramp[r][a],
					  ramp[r][b]);
		t->heat_pair0[r] = base;
	}
}

void tui_colors_init(struct tui *t)
{
	t->scheme = TUI_SCHEME_MONO;
	if (t->ws->set.color && has_colors() && start_color() == OK) {
		use_default_colors();
		t->scheme = COLORS >= 256 ? TUI_SCHEME_256 : COLORS >= 8 ? TUI_SCHEME_8 : TUI_SCHEME_MONO;
	}
	for (int i = 0; i < TUI_C_COUNT; i++) {
		if (t->scheme == TUI_SCHEME_MONO) {
			t->attr[i] = scheme_mono[i];
			continue;
		}
		const struct color_def *d = t->scheme == TUI_SCHEME_256 ? &scheme_256[i] : &scheme_8[i];
		if (i == TUI_C_NORMAL || i + 1 >= COLOR_PAIRS) {
			t->attr[i] = d->a;
			continue;
		}
		init_pair((short)(i + 1), d->fg, d->bg);
		t->attr[i] = COLOR_PAIR(i + 1) | d->a;
	}
	t->heat_pair0[0] = t->heat_pair0[1] = 0;
	init_heat(t);
}

attr_t tui_attr(const struct tui *t, enum tui_color c)
{
	return t->attr[c];
}

bool tui_heat_attr(const struct tui *t, enum tui_ramp ramp, int a, int b, attr_t *out)
{
	if (!t->heat_pair0[ramp])
		return false;
	*out = COLOR_PAIR(t->heat_pair0[ramp] + a * TUI_HEAT_LEVELS + b);
	return true;
}

/* The locale was set from the environment by tui_main; LANG=C gives ASCII drawing. */
bool tui_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}
