/*
 * cmd/output.c: how commands report: human text (cmd_print, cmd_info), errors
 * (cmd_error, which only fills ctx->err: the runner reports), and JSON results built
 * with cmd_json_* and written as one line when --json is on.
 */
#include "cmd-internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vwrite(struct cmd_ctx *ctx, enum cmd_stream s, const char *fmt, va_list ap)
{
	char small[1024];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	struct cmd_out *out = &ctx->ws->out;
	if (n < 0 || !out->write) {
		va_end(ap2);
		return;
	}
	if ((size_t)n < sizeof small) {
		out->write(out->ctx, s, small);
	} else {
		char *big = qcq_xmalloc((size_t)n + 1);
		vsnprintf(big, (size_t)n + 1, fmt, ap2);
		out->write(out->ctx, s, big);
		free(big);
	}
	va_end(ap2);
	ctx->ws->dirty |= CMD_DIRTY_LOG;
}

void cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
{
	if (ctx->ws->json)
		return;
	va_list ap;
	va_start(ap, fmt);
	vwrite(ctx, CMD_STREAM_OUT, fmt, ap);
	va_end(ap);
}

void cmd_info(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwrite(ctx, CMD_STREAM_INFO, fmt, ap);
	va_end(ap);
}

enum qcq_status cmd_error(struct cmd_ctx *ctx, enum qcq_status code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qcq_error_vset(ctx->err, code, fmt, ap); /* control bytes escaped */
	va_end(ap);
	return code;
}

static void jputs(struct cmd_ctx *ctx, const char *s);

void cmd_report_error(struct cmd_workspace *ws, const char *msg, const char *usage)
{
	if (!ws->out.write)
		return;
	ws->out.write(ws->out.ctx, CMD_STREAM_ERR, msg);
	if (usage) {
		char *line = qcq_xmalloc(strlen(usage) + 8);
		sprintf(line, "usage: %s", usage);
		ws->out.write(ws->out.ctx, CMD_STREAM_ERR, line);
		free(line);
	}
	ws->dirty |= CMD_DIRTY_LOG;
	if (!ws->json)
		return;
	/* a result-less context: the line is built and written like every other result */
	struct cmd_ctx ctx = {.ws = ws};
	ctx.json_depth = 1;
	jputs(&ctx, "{");
	cmd_json_str(&ctx, "error", msg);
	if (usage)
		cmd_json_str(&ctx, "usage", usage);
	cmd_json_end(&ctx);
	free(ctx.json);
}

/* ---------------------------------------------------------------- JSON */

static void jput(struct cmd_ctx *ctx, const char *s, size_t n)
{
	if (ctx->json_len + n + 1 > ctx->json_cap) {
		ctx->json_cap = (ctx->json_len + n + 1) * 2;
		ctx->json = qcq_xrealloc(ctx->json, ctx->json_cap);
	}
	memcpy(ctx->json + ctx->json_len, s, n);
	ctx->json_len += n;
	ctx->json[ctx->json_len] = '\0';
}

static void jputs(struct cmd_ctx *ctx, const char *s)
{
	jput(ctx, s, strlen(s));
}

/* Length of the well-formed UTF-8 sequence at s (1..4), or 0 if it is not one
 * (overlong forms, surrogates and code points past U+10FFFF are not). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A JSON string: quotes and backslashes escaped, control characters (and DEL) as
 * \u00XX, and every byte that is not part of well-formed UTF-8 (a file name in
 * Latin-1, a cut sequence) as U+FFFD, so that every line is valid UTF-8 JSON. */
static void jstring(struct cmd_ctx *ctx, const char *s)
{
	jputs(ctx, "\"");
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		unsigned char c = *p;
		char esc[8];
		size_t n = utf8_len(p);
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			jput(ctx, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			jputs(ctx, esc);
		} else if (n == 0) {
			jputs(ctx, "\\ufffd");
			n = 1;
		} else {
			jput(ctx, (const char *)p, n);
		}
		p += n ? n : 1;
	}
	jputs(ctx, "\"");
}

static void jkey(struct cmd_ctx *ctx, const char *key)
{
	if (ctx->json_need_comma)
		jputs(ctx, ",");
	ctx->json_need_comma = true;
	if (key) {
		jstring(ctx, key);
		jputs(ctx, ":");
	}
}

static void jnum(struct cmd_ctx *ctx, double v)
{
	char b[40];
	if (!isfinite(v))
		snprintf(b, sizeof b, "null");
	else if (v == (double)(long long)v && fabs(v) < 1e15)
		snprintf(b, sizeof b, "%lld", (long long)v);
	else
		snprintf(b, sizeof b, "%.17g", v);
	jputs(ctx, b);
}

void cmd_json_begin(struct cmd_ctx *ctx, const char *kind)
{
	if (!ctx->ws->json)
		return;
	ctx->json_len = 0;
	ctx->json_depth = 1;
	ctx->json_need_comma = false;
	jputs(ctx, "{");
	cmd_json_str(ctx, "result", kind);
}

void cmd_json_end(struct cmd_ctx *ctx)
{
	if (!ctx->ws->json || ctx->json_depth != 1)
		return;
	jputs(ctx, "}");
	ctx->json_depth = 0;
	if (ctx->ws->out.write)
		ctx->ws->out.write(ctx->ws->out.ctx, CMD_STREAM_JSON, ctx->json);
	ctx->json_len = 0;
}

void cmd_json_str(struct cmd_ctx *ctx, const char *key, const char *val)
{
	if (!ctx->ws->json || ctx->json_depth < 1)
		return;
	jkey(ctx, key);
	if (val)
		jstring(ctx, val);
	else
		jputs(ctx, "null");
}

void cmd_json_num(struct cmd_ctx *ctx, const char *key, double val)
{
	if (!ctx->ws->json || ctx->json_depth < 1)
		return;
	jkey(ctx, key);
	jnum(ctx, val);
}

void cmd_json_int(struct cmd_ctx *ctx, const char *key, long long val)
{
	if (!ctx->ws->json || ctx->json_depth < 1)
		return;
	char b[32];
	jkey(ctx, key);
	snprintf(b, sizeof b, "%lld", val);
	jputs(ctx, b);
}

void cmd_json_bool(struct cmd_ctx *ctx, const char *key, bool val)
{
	if (!ctx->ws->json || ctx->json_depth < 1)
		return;
	jkey(ctx, key);
	jputs(ctx, val ? "true" : "false");
}

void cmd_json_nums(struct cmd_ctx *ctx, const char *key, const double *v, size_t n)
{
	if (!ctx->ws->json || ctx->json_depth < 1)
		return;
	jkey(ctx, key);
	jputs(ctx, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			jputs(ctx, ",");
		jnum(ctx, v[i]);
	}
	jputs(ctx, "]");
}

static void open_nested(struct cmd_ctx *ctx, const char *key, const char *bracket)
{
	if (!ctx->ws->json || ctx->json_depth < 1)
		return;
	jkey(ctx, key);
	jputs(ctx, bracket);
	ctx->json_depth++;
	ctx->json_need_comma = false;
}

static void close_nested(struct cmd_ctx *ctx, const char *bracket)
{
	if (!ctx->ws->json || ctx->json_depth < 2)
		return;
	jputs(ctx, bracket);
	ctx->json_depth--;
	ctx->json_need_comma = true;
}

void cmd_json_obj_begin(struct cmd_ctx *ctx, const char *key) { open_nested(ctx, key, "{"); }
void cmd_json_obj_end(struct cmd_ctx *ctx) { close_nested(ctx, "}"); }
void cmd_json_arr_begin(struct cmd_ctx *ctx, const char *key) { open_nested(ctx, key, "["); }
void cmd_json_arr_end(struct cmd_ctx *ctx) { close_nested(ctx, "]"); }
