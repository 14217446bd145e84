/* SPDX-License-Identifier: MIT */
/*
 * text.h - a tiny bounded text builder the hyp-hooks core writes its reasons
 * and report lines with (internal to hyp-hooks, not a public API).
 *
 * The caller owns the buffer.  Every append writes what fits and sets
 * `overflow` for the rest; the text is always NUL-terminated when cap > 0.
 * A builder with cap 0 writes nothing and reports overflow on any append.
 */
#ifndef FWKIT_HYP_TEXT_H
#define FWKIT_HYP_TEXT_H

#include <fwkit/env.h>

struct boot_text {
	char *buf;
	size_t cap;      /* bytes of buf, NUL included */
	size_t len;      /* characters written, NUL excluded; always < cap */
	bool overflow;   /* something did not fit */
};

/* Length of the NUL-terminated s (the core has no strlen). */
size_t boot_strlen(const char *s);

/* Start an empty text in buf[0 .. cap). */
void boot_text_init(struct boot_text *t, char *buf, size_t cap);

/* Append n bytes of s as they are (the caller knows they are printable). */
void boot_text_mem(struct boot_text *t, const char *s, size_t n);

/* Append the NUL-terminated s; NULL appends nothing. */
void boot_text_str(struct boot_text *t, const char *s);

/* Append v in decimal. */
void boot_text_u64(struct boot_text *t, uint64_t v);

/* Append v in lowercase hex, no prefix, zero-padded to at least `digits`
 * digits (0 or 1: as many as v needs). */
void boot_text_hex(struct boot_text *t, uint64_t v, unsigned digits);

/* Append the bytes b[0 .. n) with every byte outside 0x20..0x7e written
 * as \xNN and the backslash as \\, so untrusted bytes stay one line. */
void boot_text_escaped(struct boot_text *t, const uint8_t *b, size_t n);

/* Append fmt with its conversions, a subset of printf's, checked by the
 * compiler: %s (const char *; NULL appends nothing), %u and %x (unsigned),
 * %llu and %llx (unsigned long long), a zero-padded width for hex ("%02x",
 * "%016llx"), and %%.  Anything else after a % is written as it is. */
void boot_text_fmt(struct boot_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* When the text overflowed, end it with `mark` (such as "..." or "...\n"),
 * overwriting its last characters so it still fits; returns t->overflow.
 * A mark longer than the buffer leaves the text as it is. */
bool boot_text_cut(struct boot_text *t, const char *mark);

#endif /* FWKIT_HYP_TEXT_H */
