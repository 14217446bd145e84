/* SPDX-License-Identifier: MIT */
/* errbuf.c - the one-line error buffer the hosted blob modules fill. */
#include "errbuf.h"

#include <stdarg.h>
#include <stdio.h>

void blob_say(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (!out || !cap)
		return;
	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}
