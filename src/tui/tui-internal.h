/*
 * tui/tui-internal.h: what the files of the workbench share — the screen state
 * (struct tui), the pane vtable, semantic colours and the text/glyph helpers.
 *
 * ncurses is touched only from the main loop (tui.c) and the functions it calls
 * (pane draw functions, the prompt's redisplay). Nothing here is thread-safe, and
 * nothing needs to be: job events arrive on the main thread through cmd_job_poll.
 */
#ifndef QCQ_TUI_INTERNAL_H
#define QCQ_TUI_INTERNAL_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "qcq/cmd.h"
#include "qcq/tui.h"
#include "epoch-gate.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* ---------------------------------------------------------------- colours */

/* Semantic colours: every draw call names what it draws, the scheme decides how. */
enum tui_color {
	TUI_C_NORMAL = 0,
	TUI_C_DIM,
	TUI_C_TITLE,       /* a pane's title rule */
	TUI_C_TITLE_FOCUS, /* the focused pane's title */
	TUI_C_STATUS,      /* the status bar */
	TUI_C_STATUS_JOB,  /* a running job in the status bar */
	TUI_C_PROMPT,
	TUI_C_LOG_CMD,     /* an echoed command line */
	TUI_C_LOG_INFO,    /* notes and progress */
	TUI_C_ERROR,
	TUI_C_TRAIN_LOSS,
	TUI_C_VAL_LOSS,
	TUI_C_TRAIN_ACC,
	TUI_C_VAL_ACC,
	TUI_C_AXIS,
	TUI_C_PROGRESS,
	TUI_C_GATE,        /* a gate not yet applied */
	TUI_C_GATE_DONE,   /* a gate already applied */
	TUI_C_GATE_NEXT,   /* the gate under the cursor */
	TUI_C_WIRE,
	TUI_C_LABEL,       /* labels: basis states, qubit names, class names */
	TUI_C_VALUE,       /* highlighted numbers */
	TUI_C_BAR,         /* bars: probabilities, counts */
	TUI_C_PHASE0,      /* amplitude phase sectors: 0, 90, 180, 270 degrees */
	TUI_C_PHASE1,
	TUI_C_PHASE2,
	TUI_C_PHASE3,
	TUI_C_HELP,        /* the key help box */
	TUI_C_MARK,        /* the patch `patch` loaded, on the image and the feature maps */
	TUI_C_COUNT
};

/* Heat maps: levels of a ramp, drawn as half blocks (fg top pixel, bg bottom pixel). */
#define TUI_HEAT_LEVELS 10
enum tui_ramp { TUI_RAMP_GRAY = 0, TUI_RAMP_DIVERGE = 1 };

enum tui_scheme { TUI_SCHEME_MONO = 0, TUI_SCHEME_8 = 1, TUI_SCHEME_256 = 2 };

/* ---------------------------------------------------------------- panes */

enum tui_pane_id { TUI_P_DATA, TUI_P_CIRCUIT, TUI_P_STATE, TUI_P_CURVES, TUI_P_LOG, TUI_NPANES };

struct tui;
struct tui_pane;

/* A pane draws into its window (row 0 is its title rule, drawn by the frame), takes the
 * keys it understands (returns true) and hears about a new size. */
struct tui_pane_ops {
	const char *title;
	void (*draw)(struct tui *t, struct tui_pane *p);
	bool (*on_key)(struct tui *t, struct tui_pane *p, int key);
	void (*resize)(struct tui *t, struct tui_pane *p);
};

struct tui_pane {
	const struct tui_pane_ops *ops;
	enum tui_pane_id id;
	WINDOW *win;        /* the pane's rectangle, title row included; NULL when hidden */
	int y, x, h, w;     /* the rectangle */
	int cw;             /* content width (w minus the right separator, if any) */
	bool sep_right;     /* draws a vertical rule in its last column */
	bool dirty;
	int scroll_y, scroll_x;
	char subtitle[160]; /* shown after the title (pane-specific) */
};

/* ---------------------------------------------------------------- log */

struct tui_log_line {
	enum tui_color color;
	char *text;
};

#define TUI_LOG_MAX 4000

struct tui_log {
	struct tui_log_line *lines; /* ring of TUI_LOG_MAX */
	size_t first, n;
	int scroll;                 /* rows up from the bottom; 0 = follow */
};

/* ---------------------------------------------------------------- curves */

struct tui_epoch {
	int epoch;
	double train_loss, train_acc, val_loss, val_acc, seconds;
};

struct tui_curves {
	struct tui_epoch *ep;
	size_t n, cap;
	double *batch_loss; /* per-batch training loss of the current epoch run */
	size_t nb, bcap;
	bool have_progress;
	bool progress_dirty; /* only the progress row needs drawing */
	double done, total, rate; /* the latest progress or batch event (within an epoch) */
	int ep_done, ep_total;    /* from epoch events: epochs done of the run's total */
	char units[48];
	char job[64];     /* name of the job that fed the curves */
	char last[160];   /* the job's last DONE text */
	double t_start;
	struct tui_epoch_gate gate; /* which epoch lines reach the log */
};

/* ---------------------------------------------------------------- the screen */

struct tui {
	struct cmd_workspace *ws;
	struct tui_pane pane[TUI_NPANES];
	int focus;          /* a pane id, or -1 for the prompt */
	int featured[2];    /* panes shown when only one or two fit */
	int slots;          /* 1, 2 or 4 panes above the log */
	int zoom;           /* the pane shown alone on the full screen, or -1 */
	int log_grow;       /* rows added to (or taken from) the log's usual height */
	bool quit_armed;    /* Ctrl-D once while a job runs: the second one leaves */
	bool too_small;
	bool help;          /* the key help is shown */
	bool status_dirty, prompt_dirty, all_dirty;
	SCREEN *screen;
	WINDOW *status, *prompt, *helpwin;
	int rows, cols;

	enum tui_scheme scheme;
	bool utf8;
	attr_t attr[TUI_C_COUNT];
	short heat_pair0[2]; /* first pair of each heat ramp (TUI_HEAT_LEVELS^2 pairs), 0 = none */

	struct tui_log log;
	struct tui_curves curves;

	/* commands typed and not run yet (the readline handler queues, the loop runs) */
	char **queue;
	size_t nqueue, qcap;
	bool in_command;    /* a command is running (synchronously) */
	bool resume;        /* Enter on an empty prompt: go on with a paused session */
	char running[128];  /* its text, for the status bar */
	size_t circ_cursor, circ_ngates; /* what the circuit view last followed */
	const void *curves_job; /* the job whose events the curves hold (reset on a new one) */

	double last_frame;  /* qcq_now() of the last doupdate */
	long frames;        /* frames drawn (for the benchmark) */
	double draw_seconds; /* time spent drawing them */
	bool quit;
	char hist_path[4096];
};

/* tui.c */
#define TUI_MIN_ROWS 24
#define TUI_MIN_COLS 80
void tui_mark(struct tui *t, int pane_id);
void tui_mark_all(struct tui *t);
void tui_absorb_dirty(struct tui *t); /* ws->dirty into the panes' marks */
void tui_run_line(struct tui *t, const char *line, bool echo);
void tui_keys_while_busy(struct tui *t); /* keys (and a typed stop) during a command */

/* layout.c */
void tui_relayout(struct tui *t);
void tui_free_windows(struct tui *t);
void tui_feature(struct tui *t, int id); /* show pane id when not all panes fit */
void tui_set_focus(struct tui *t, int id); /* a pane id, or -1 for the prompt */
void tui_cycle_focus(struct tui *t, int dir);
/* Zoom pane id to the full screen, or back when it is zoomed already (or id < 0). */
void tui_zoom(struct tui *t, int id);
/* The log `rows` rows taller (negative: shorter), within what leaves the panes room. */
void tui_grow_log(struct tui *t, int rows);

/* keys.c */
void tui_handle_key(struct tui *t, int c);
/* n/Right and p/Left step the circuit forward and back (runs step, back): the keys of
 * the Circuit and State panes. Returns whether key was one of them. */
bool tui_step_key(struct tui *t, int key);

/* frame.c */
void tui_frame(struct tui *t, bool force); /* draws what is dirty, at most ~20 times a second */
bool tui_anything_dirty(const struct tui *t);
double tui_frame_interval(const struct tui *t); /* seconds between frames now */

/* colors.c */
void tui_colors_init(struct tui *t);
attr_t tui_attr(const struct tui *t, enum tui_color c);
/* The attribute of a heat cell whose top pixel has level a and bottom level b
 * (0..TUI_HEAT_LEVELS-1); false if the scheme cannot colour heat maps. */
bool tui_heat_attr(const struct tui *t, enum tui_ramp ramp, int a, int b, attr_t *out);
bool tui_locale_utf8(void);

/* draw.c: text and glyphs. All clip to the window; x, y are window coordinates. */
int tui_text_width(const char *s);
/* Put at most maxw columns of s at (y, x); returns the columns used. */
int tui_put(WINDOW *w, int y, int x, int maxw, const char *s, attr_t a);
int tui_putf(WINDOW *w, int y, int x, int maxw, attr_t a, const char *fmt, ...)
	QCQ_PRINTF(6, 7);
/* One glyph: the UTF-8 string u when the terminal speaks UTF-8, else the ASCII fallback. */
void tui_glyph(const struct tui *t, WINDOW *w, int y, int x, const char *u, char ascii, attr_t a);
void tui_hline(const struct tui *t, WINDOW *w, int y, int x, int n, attr_t a);
/* A horizontal bar of frac (0..1) of n columns, in eighths with UTF-8, else '#'. */
void tui_bar(const struct tui *t, WINDOW *w, int y, int x, int n, double frac, attr_t a);
/*
 * A heat map of h x w values (row-major) scaled from [lo, hi] to the ramp, drawn with
 * (y, x) as the top-left cell: ceil(h/2) rows x w columns with half blocks when colours
 * allow, else shading glyphs (one row per two pixels, averaged).
 */
void tui_heatmap(const struct tui *t, WINDOW *win, int y, int x, const float *v, int h, int w,
		 float lo, float hi, enum tui_ramp ramp);
/* Byte offset in s after skipping `cols` display columns (for wrapping). */
size_t tui_text_advance(const char *s, int cols);

/* log.c */
void tui_log_init(struct tui_log *l);
void tui_log_free(struct tui_log *l);
void tui_log_add(struct tui *t, enum tui_color c, const char *text);
void tui_log_write(void *ctx, enum cmd_stream s, const char *text); /* a struct cmd_out */
extern const struct tui_pane_ops tui_log_ops;

/* curves.c */
void tui_curves_free(struct tui_curves *c);
void tui_curves_reset(struct tui_curves *c, const char *job);
void tui_curves_draw_progress(struct tui *t, struct tui_pane *p, int y);
/* The running job's progress in [0, 1] (epochs of a training, with the epoch in
 * progress counted in part), or a negative number when unknown. */
double tui_curves_fraction(const struct tui_curves *c);
void tui_event(void *ctx, const struct qcq_event *ev); /* a struct qcq_sink */
extern const struct tui_pane_ops tui_curves_ops;

/* plot.c: a line plot of up to 4 series into a rectangle (axes and labels included). */
struct tui_series {
	const double *x, *y; /* n points; NaN y values are skipped */
	size_t n;
	enum tui_color color;
	const char *marker;  /* UTF-8 marker at data points */
	char ascii;          /* its ASCII fallback */
	const char *name;
};
void tui_plot(const struct tui *t, WINDOW *w, int y, int x, int h, int wd, const char *title,
	      const struct tui_series *s, int ns, double xmin, double xmax, bool fixed_y,
	      double ymin, double ymax);

/* panes */
extern const struct tui_pane_ops tui_data_ops;
extern const struct tui_pane_ops tui_circuit_ops;
extern const struct tui_pane_ops tui_state_ops;

/* prompt.c */
void tui_prompt_init(struct tui *t);
void tui_prompt_end(struct tui *t);
void tui_prompt_key(struct tui *t, int key); /* a key for readline */
void tui_prompt_draw(struct tui *t);
void tui_prompt_clear_line(struct tui *t);
bool tui_prompt_empty(void); /* nothing typed on the line */

#endif
