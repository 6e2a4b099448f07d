/*
 * tui/draw.c: putting text and glyphs into windows — clipped UTF-8 text, rules, bars
 * in eighths and heat maps in half blocks — with an ASCII fallback for each when the
 * locale is not UTF-8 (LANG=C). It knows nothing about panes or the workspace.
 */
#include "tui-internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Decode one character of s; returns its byte length (>= 1) and its display width. */
static size_t next_char(const char *s, wchar_t *wc, int *width)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = mbrtowc(wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		/* not valid in this locale (a UTF-8 byte under LANG=C): one '?' per byte */
		*wc = L'?';
		*width = 1;
		return 1;
	}
	int cw = wcwidth(*wc);
	if (*wc == L'\t')
		*wc = L' ', cw = 1;
	*width = cw < 0 ? 1 : cw;
	if (cw < 0)
		*wc = L'?';
	return n;
}

int tui_text_width(const char *s)
{
	int w = 0;
	while (*s) {
		wchar_t wc;
		int cw;
		s += next_char(s, &wc, &cw);
		w += cw;
	}
	return w;
}

size_t tui_text_advance(const char *s, int cols)
{
	const char *p = s;
	int w = 0;
	while (*p) {
		wchar_t wc;
		int cw;
		size_t n = next_char(p, &wc, &cw);
		if (w + cw > cols)
			break;
		w += cw;
		p += n;
	}
	return (size_t)(p - s);
}

int tui_put(WINDOW *w, int y, int x, int maxw, const char *s, attr_t a)
{
	int wh, ww;
	getmaxyx(w, wh, ww);
	if (y < 0 || y >= wh || x >= ww || maxw <= 0)
		return 0;
	if (x + maxw > ww)
		maxw = ww - x;
	wchar_t buf[512];
	int nb = 0, used = 0;
	while (*s && nb < 511) {
		wchar_t wc;
		int cw;
		size_t n = next_char(s, &wc, &cw);
		if (used + cw > maxw)
			break;
		s += n;
		if (x + used < 0) { /* clipped on the left */
			used += cw;
			continue;
		}
		buf[nb++] = wc;
		used += cw;
	}
	buf[nb] = L'\0';
	wattrset(w, a);
	mvwaddnwstr(w, y, x < 0 ? 0 : x, buf, nb);
	wattrset(w, A_NORMAL);
	return used;
}

int tui_putf(WINDOW *w, int y, int x, int maxw, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tui_put(w, y, x, maxw, buf, a);
}

void tui_glyph(const struct tui *t, WINDOW *w, int y, int x, const char *u, char ascii, attr_t a)
{
	int wh, ww;
	getmaxyx(w, wh, ww);
	if (y < 0 || y >= wh || x < 0 || x >= ww)
		return;
	wchar_t wc[2] = {(wchar_t)(unsigned char)ascii, L'\0'};
	if (t->utf8 && u)
		mbstowcs(wc, u, 1), wc[1] = L'\0';
	cchar_t cc;
	setcchar(&cc, wc, a, (short)PAIR_NUMBER(a), NULL);
	mvwadd_wch(w, y, x, &cc);
}

void tui_hline(const struct tui *t, WINDOW *w, int y, int x, int n, attr_t a)
{
	for (int i = 0; i < n; i++)
		tui_glyph(t, w, y, x + i, "─", '-', a);
}

void tui_bar(const struct tui *t, WINDOW *w, int y, int x, int n, double frac, attr_t a)
{
	static const char *const eighth[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	int e = (int)lround(frac * n * 8);
	int full = e / 8;
	for (int i = 0; i < full && i < n; i++)
		tui_glyph(t, w, y, x + i, "█", '#', a);
	if (full < n && e % 8) {
		if (t->utf8)
			tui_glyph(t, w, y, x + full, eighth[e % 8], ' ', a);
		else if (e % 8 >= 4)
			tui_glyph(t, w, y, x + full, NULL, '#', a);
	}
}

static int level(float v, float lo, float hi, int nlev)
{
	if (!(hi > lo))
		return nlev / 2;
	float f = (v - lo) / (hi - lo);
	int l = (int)(f * (float)nlev);
	return l < 0 ? 0 : l >= nlev ? nlev - 1 : l;
}

void tui_heatmap(const struct tui *t, WINDOW *win, int y, int x, const float *v, int h, int w,
		 float lo, float hi, enum tui_ramp ramp)
{
	attr_t a;
	bool colour = tui_heat_attr(t, ramp, 0, 0, &a);
	static const char *const shade_u[5] = {" ", "░", "▒", "▓", "█"};
	static const char shade_a[] = " .:-=+*#%@";
	for (int r = 0; r < h; r += 2) {
		for (int c = 0; c < w; c++) {
			float top = v[(size_t)r * w + c];
			float bot = r + 1 < h ? v[(size_t)(r + 1) * w + c] : top;
			float mean = 0.5f * (top + bot);
			if (colour && t->utf8) {
				tui_heat_attr(t, ramp, level(top, lo, hi, TUI_HEAT_LEVELS),
					      level(bot, lo, hi, TUI_HEAT_LEVELS), &a);
				tui_glyph(t, win, y + r / 2, x + c, "▀", '#', a);
				continue;
			}
			if (colour) { /* ASCII: one colour per cell, the mean of its two pixels */
				int l = level(mean, lo, hi, TUI_HEAT_LEVELS);
				tui_heat_attr(t, ramp, l, l, &a);
				tui_glyph(t, win, y + r / 2, x + c, NULL, ' ', a);
				continue;
			}
			attr_t sa = tui_attr(t, TUI_C_NORMAL);
			if (ramp == TUI_RAMP_DIVERGE && t->scheme != TUI_SCHEME_MONO)
				sa = tui_attr(t, mean < 0.5f * (lo + hi) ? TUI_C_VAL_LOSS : TUI_C_TRAIN_LOSS);
			if (t->utf8) {
				int l = level(mean, lo, hi, 5);
				tui_glyph(t, win, y + r / 2, x + c, shade_u[l], ' ', sa);
			} else {
				int l = level(mean, lo, hi, 10);
				tui_glyph(t, win, y + r / 2, x + c, NULL, shade_a[l], sa);
			}
		}
	}
}
