/* SPDX-License-Identifier: MIT */
/* text.c - the bounded text builder of the hyp-hooks core (see text.h). */
#include <stdarg.h>

#include "text.h"

size_t boot_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void boot_text_init(struct boot_text *t, char *buf, size_t cap)
{
	t->buf = buf;
	t->cap = cap;
	t->len = 0;
	t->overflow = false;
	if (cap)
		buf[0] = '\0';
}

void boot_text_mem(struct boot_text *t, const char *s, size_t n)
{
	/* len < cap always holds once cap > 0, so room cannot underflow. */
	size_t room = t->cap ? t->cap - 1 - t->len : 0;

	if (n > room) {
		t->overflow = true;
		n = room;
	}
	if (!t->cap)
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void boot_text_str(struct boot_text *t, const char *s)
{
	if (s)
		boot_text_mem(t, s, boot_strlen(s));
}

void boot_text_u64(struct boot_text *t, uint64_t v)
{
	char d[20];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	boot_text_mem(t, d + i, sizeof(d) - i);
}

void boot_text_hex(struct boot_text *t, uint64_t v, unsigned digits)
{
	char d[16];
	size_t i = sizeof(d);

	if (digits > sizeof(d))
		digits = sizeof(d);
	do {
		d[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v || sizeof(d) - i < digits);
	boot_text_mem(t, d + i, sizeof(d) - i);
}

void boot_text_escaped(struct boot_text *t, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = (char)b[i];

		if (b[i] == '\\') {
			boot_text_mem(t, "\\\\", 2);
		} else if (b[i] >= 0x20 && b[i] < 0x7f) {
			boot_text_mem(t, &c, 1);
		} else {
			boot_text_mem(t, "\\x", 2);
			boot_text_hex(t, b[i], 2);
		}
	}
}

void boot_text_fmt(struct boot_text *t, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt;

	va_start(ap, fmt);
	for (;;) {
		while (*p && *p != '%')
			p++;
		boot_text_mem(t, fmt, (size_t)(p - fmt));
		if (!*p++)
			break;
		unsigned width = 0;
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (unsigned)(*p++ - '0');
		const bool ll = p[0] == 'l' && p[1] == 'l';
		p += ll ? 2 : 0;
		fmt = p + 1;
		if (*p == 's') {
			boot_text_str(t, va_arg(ap, const char *));
		} else if (*p == 'u' || *p == 'x') {
			uint64_t v = ll ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			if (*p == 'u')
				boot_text_u64(t, v);
			else
				boot_text_hex(t, v, width);
		} else {
			/* "%%", or a conversion this builder does not know:
			 * its last character is written as it is. */
			if (!*p)
				break;
			boot_text_mem(t, p, 1);
		}
		p = fmt;
	}
	va_end(ap);
}

bool boot_text_cut(struct boot_text *t, const char *mark)
{
	size_t n = boot_strlen(mark);

	if (!t->overflow || n >= t->cap)
		return t->overflow;
	/* After an overflow the text fills the buffer: the mark replaces its
	 * last characters. */
	if (t->len + n > t->cap - 1)
		t->len = t->cap - 1 - n;
	memcpy(t->buf + t->len, mark, n);
	t->len += n;
	t->buf[t->len] = '\0';
	return true;
}
