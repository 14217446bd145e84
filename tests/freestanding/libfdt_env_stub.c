/* SPDX-License-Identifier: MIT */
/* libfdt_env_stub.c - what libfdt's own environment (libfdt_env.h) asks of
 * an embedder beyond fwkit/env.h, so the freestanding core can be linked
 * with libfdt alone to prove that nothing else is needed.  Never run. */
#include <stddef.h>

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
void *memchr(const void *s, int c, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);
void __stack_chk_fail(void);

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	(void)base; /* libfdt asks for base 10 only */
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned long)(*s++ - '0');
	if (end)
		*end = (char *)s;
	return v;
}

/* Weak, so an embedder that can say something (the test kernel) may
 * provide its own. */
__attribute__((weak)) void __stack_chk_fail(void)
{
	for (;;)
		;
}
