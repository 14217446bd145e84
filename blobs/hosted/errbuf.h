/* SPDX-License-Identifier: MIT */
/* errbuf.h - the one-line error buffer the hosted blob modules fill. */
#ifndef FWKIT_BLOBS_ERRBUF_H
#define FWKIT_BLOBS_ERRBUF_H

#include <stddef.h>

/* printf into out[0..cap) (NUL-terminated, cut to fit); nothing when out is
 * NULL or cap 0. */
void blob_say(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* FWKIT_BLOBS_ERRBUF_H */
