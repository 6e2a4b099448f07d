/*
 * core/error.c: error values. Messages are formatted once at the site that knows the
 * offending values; callers only prepend context.
 */
#include "qcq/core.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * Messages quote bytes from files (a CSV field, a name in a session file, a folder
 * name), and end up on a terminal: control bytes (C0, DEL, and C1 as UTF-8 C2 80..9F)
 * become \xNN so a file cannot move the cursor, retitle the window or clear the screen.
 * Other bytes, UTF-8 included, stay. Cut at the buffer's end, never mid-escape.
 */
static void escape_controls(char *msg)
{
	char out[QCQ_ERROR_MSG_MAX];
	size_t o = 0;
	bool changed = false;
	for (const unsigned char *p = (const unsigned char *)msg; *p && o + 1 < sizeof out; p++) {
		bool c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
		if (*p >= 0x20 && *p != 0x7f && !c1) {
			out[o++] = (char)*p;
			continue;
		}
		unsigned v = c1 ? p[1] : *p;
		if (o + 5 > sizeof out)
			break;
		snprintf(out + o, 5, "\\x%02x", v);
		o += 4;
		p += c1;
		changed = true;
	}
	if (!changed)
		return;
	out[o] = '\0';
	memcpy(msg, out, o + 1);
}

enum qcq_status qcq_error_vset(struct qcq_error *err, enum qcq_status code, const char *fmt,
			       va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		escape_controls(err->msg);
	}
	return code;
}

enum qcq_status qcq_error_set(struct qcq_error *err, enum qcq_status code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qcq_error_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

enum qcq_status qcq_error_errno(struct qcq_error *err, int errnum, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->code = QCQ_EIO;
		int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < sizeof err->msg)
			snprintf(err->msg + n, sizeof err->msg - (size_t)n, ": %s", strerror(errnum));
		escape_controls(err->msg);
	}
	return QCQ_EIO;
}

enum qcq_status qcq_error_prefix(struct qcq_error *err, const char *fmt, ...)
{
	if (!err)
		return QCQ_EINVAL;
	char pre[QCQ_ERROR_MSG_MAX], old[QCQ_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	snprintf(err->msg, sizeof err->msg, "%s: %s", pre, old);
	escape_controls(err->msg);
	return err->code;
}

void qcq_error_clear(struct qcq_error *err)
{
	if (err) {
		err->code = QCQ_OK;
		err->msg[0] = '\0';
	}
}

const char *qcq_status_name(enum qcq_status code)
{
	switch (code) {
	case QCQ_OK: return "ok";
	case QCQ_EINVAL: return "invalid argument";
	case QCQ_ERANGE: return "out of range";
	case QCQ_ENOMEM: return "out of memory";
	case QCQ_EIO: return "i/o error";
	case QCQ_EFORMAT: return "bad format";
	case QCQ_ESTATE: return "wrong state";
	case QCQ_ESTOPPED: return "stopped";
	case QCQ_ENUMERIC: return "numeric error";
	case QCQ_EUNSUPPORTED: return "unsupported";
	}
	return "unknown error";
}
