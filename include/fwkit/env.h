/* SPDX-License-Identifier: MIT */
/*
 * fwkit/env.h - the core's only contact with the platform.
 *
 * The core (cpio, ACPI, microcode, boot-info parsing, ...) is built both
 * hosted and with -ffreestanding -nostdlib.  It uses the C11 freestanding
 * headers, the four memory functions declared here and libfdt's API (the
 * one library it links, which is freestanding too), nothing else; the
 * build checks that the freestanding object has no other undefined symbol
 * and at most 96 KiB of text.  An embedder (a hypervisor, a bootloader)
 * may replace this header with its own that provides the same names, and
 * gives libfdt what its libfdt_env.h asks (strlen, strnlen, memchr,
 * strchr, strrchr, strtoul; __stack_chk_fail and a canary at %fs:0x28 for
 * Debian's libfdt.a, built with the stack protector): the test kernel in
 * integration/testkernel shows how.
 */
#ifndef FWKIT_ENV_H
#define FWKIT_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef FWKIT_FREESTANDING
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#else
#include <string.h>
#endif

/* Little-endian loads that do not care about alignment. */
static inline uint16_t fwk_le16(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t fwk_le32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static inline uint32_t fwk_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[0] << 24;
}

/* The value of one hex digit (either case), or -1. */
static inline int fwk_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* FWKIT_ENV_H */
