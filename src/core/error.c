/*
 * core/error.c: error values. Messages are formatted once at the site that knows the
 * offending values; callers only prepend context.
 */
#include "qcq/core.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum qcq_status qcq_error_set(struct qcq_error *err, enum qcq_status code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
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
