/*
 * tests/cmd/capture.h: a workspace whose output is captured into a buffer, for tests
 * that drive commands through cmd_run_text and assert on what a person would see.
 * Any test of any module may include it.
 */
#ifndef QCQ_TESTS_CAPTURE_H
#define QCQ_TESTS_CAPTURE_H

#include "qcq/cmd.h"

#include <stdlib.h>
#include <string.h>

struct capture {
	char out[65536]; /* human OUT + INFO text */
	char err[16384];
	char json[65536];
};

static void capture_append(char *buf, size_t cap, const char *text)
{
	size_t n = strlen(buf), m = strlen(text);
	if (n + m + 2 >= cap)
		return;
	memcpy(buf + n, text, m);
	buf[n + m] = '\n';
	buf[n + m + 1] = '\0';
}

static void capture_write(void *ctx, enum cmd_stream s, const char *text)
{
	struct capture *c = ctx;
	if (s == CMD_STREAM_ERR)
		capture_append(c->err, sizeof c->err, text);
	else if (s == CMD_STREAM_JSON)
		capture_append(c->json, sizeof c->json, text);
	else
		capture_append(c->out, sizeof c->out, text);
}

static inline struct cmd_workspace *capture_ws(struct capture *c)
{
	memset(c, 0, sizeof *c);
	struct cmd_out out = {capture_write, c};
	return cmd_workspace_create(&out);
}

static inline void capture_reset(struct capture *c)
{
	c->out[0] = c->err[0] = c->json[0] = '\0';
}

#endif
