/*
 * report/font.h: the built-in bitmap font, private to the report module.
 */
#ifndef QCQ_REPORT_FONT_H
#define QCQ_REPORT_FONT_H

#include <stdbool.h>

/* Is pixel (x, y) of the glyph for ch ink? x in [0, 5), y in [0, 9); non-printable
 * characters draw as '?'. */
bool rep_font_pixel(unsigned char ch, int x, int y);

#endif
