/* SPDX-License-Identifier: MIT */
/* aml.c - the bounded AML builder: names, integers, strings, objects with a
 * back-patched PkgLength, and resource descriptors (ACPI 6.4, 20 and 6.4). */
#include "aml.h"

enum aml_kind {
	K_PLAIN = 1, /* Scope, Device, Method, Package, If, Else */
	K_BUFFER,    /* a BufferSize follows the PkgLength */
	K_RT,        /* a Buffer that ends with an EndTag */
};

/* Large resource items (6.4.3) and their fixed lengths. */
#define RD_MEM32_FIXED 0x86u
#define RD_INTERRUPT 0x89u
#define RD_WORD 0x88u
#define RD_DWORD 0x87u
#define RD_QWORD 0x8Au
#define RD_IO 0x47u        /* small item: tag 8, length 7 */
#define RD_IRQ_NOFLAGS 0x22u /* small item: tag 4, length 2 */
#define RD_END 0x79u       /* small item: tag 15, length 1 */

static bool failed(struct aml *a, int err)
{
	if (!a->err)
		a->err = err;
	return false;
}

/* Room for n more bytes, or the builder fails with NOSPACE. */
static bool room(struct aml *a, uint64_t n)
{
	if (a->err)
		return false;
	if ((uint64_t)a->len + n > a->cap)
		return failed(a, FWK_ERR_NOSPACE);
	return true;
}

void aml_init(struct aml *a, void *buf, size_t cap)
{
	memset(a, 0, sizeof(*a));
	a->buf = buf;
	a->cap = cap > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)cap;
}

int aml_finish(const struct aml *a)
{
	if (a->err)
		return a->err;
	if (a->depth)
		return FWK_ERR_INVAL;
	return (int)a->len;
}

void aml_byte(struct aml *a, uint8_t v)
{
	if (room(a, 1))
		a->buf[a->len++] = v;
}

void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (room(a, n)) {
		memcpy(a->buf + a->len, p, n);
		a->len += (uint32_t)n;
	}
}

/* n little-endian bytes of v. */
static void le(struct aml *a, uint64_t v, unsigned n)
{
	if (!room(a, n))
		return;
	for (unsigned i = 0; i < n; i++)
		a->buf[a->len++] = (uint8_t)(v >> 8 * i);
}

static bool lead_char(char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
	return lead_char(c) || (c >= '0' && c <= '9');
}

/* The number of segments of a NamePath (after its prefixes), or -1 when
 * it is not one. */
static int name_segments(const char *p)
{
	int nseg = 0;

	while (*p) {
		unsigned n = 0;

		if (!lead_char(*p))
			return -1;
		while (name_char(*p) && n <= 4)
			p++, n++;
		if (n > 4 || (*p && *p != '.') || (*p == '.' && !*++p) || ++nseg > 255)
			return -1;
	}
	return nseg;
}

void aml_name(struct aml *a, const char *p)
{
	const char *q = p;
	int nseg;

	if (*q == '\\')
		q++;
	else
		while (*q == '^')
			q++;
	nseg = name_segments(q);
	if (nseg < 0)
		return (void)failed(a, FWK_ERR_INVAL);
	aml_bytes(a, p, (size_t)(q - p));
	if (nseg == 0)
		aml_byte(a, 0x00);    /* NullName */
	else if (nseg == 2)
		aml_byte(a, 0x2E);    /* DualNamePrefix */
	else if (nseg > 2) {
		aml_byte(a, 0x2F);    /* MultiNamePrefix, SegCount */
		aml_byte(a, (uint8_t)nseg);
	}
	while (*q && room(a, 4)) {
		unsigned n = 0;

		while (name_char(*q))
			a->buf[a->len + n++] = (uint8_t)*q++;
		while (n < 4)
			a->buf[a->len + n++] = '_';
		a->len += 4;
		q += *q == '.';
	}
}

void aml_int(struct aml *a, uint64_t v)
{
	if (v == 0 || v == 1)
		aml_byte(a, (uint8_t)v);
	else if (v == ~(uint64_t)0)
		aml_byte(a, AML_OP_ONES);
	else if (v <= 0xFF)
		aml_byte(a, 0x0A), le(a, v, 1);
	else if (v <= 0xFFFF)
		aml_byte(a, 0x0B), le(a, v, 2);
	else if (v <= 0xFFFFFFFFu)
		aml_byte(a, 0x0C), le(a, v, 4);
	else
		aml_byte(a, 0x0E), le(a, v, 8);
}

void aml_string(struct aml *a, const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	aml_byte(a, 0x0D);
	aml_bytes(a, s, n + 1);
}

void aml_eisaid(struct aml *a, const char *id)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 7; i++) {
		int c = id[i], h = fwk_hex_digit(c);

		if (i < 3 && c >= 'A' && c <= 'Z')
			v = v << 5 | (uint32_t)(c - 0x40);
		else if (i >= 3 && h >= 0 && !(c >= 'a' && c <= 'f'))
			v = v << 4 | (uint32_t)h;
		else
			return (void)failed(a, FWK_ERR_INVAL);
	}
	if (id[7])
		return (void)failed(a, FWK_ERR_INVAL);
	/* The 31 bits read most significant first: stored big-endian. */
	aml_byte(a, 0x0C);
	for (int i = 3; i >= 0; i--)
		aml_byte(a, (uint8_t)(v >> 8 * i));
}

void aml_uuid(struct aml *a, const char *s)
{
	/* Byte i of the buffer is hex pair at[i] of the text: the first
	 * three fields little-endian, the last two as written. */
	static const uint8_t at[16] = { 6, 4, 2, 0, 11, 9, 16, 14,
					19, 21, 24, 26, 28, 30, 32, 34 };
	uint8_t b[16];

	for (unsigned i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : fwk_hex_digit(s[i]) < 0)
			return (void)failed(a, FWK_ERR_INVAL);
	}
	if (s[36])
		return (void)failed(a, FWK_ERR_INVAL);
	for (unsigned i = 0; i < 16; i++)
		b[i] = (uint8_t)(fwk_hex_digit(s[at[i]]) << 4 | fwk_hex_digit(s[at[i] + 1]));
	aml_buffer(a);
	aml_bytes(a, b, sizeof(b));
	aml_close(a);
}

void aml_name_decl(struct aml *a, const char *name)
{
	aml_byte(a, AML_OP_NAME);
	aml_name(a, name);
}

void aml_name_int(struct aml *a, const char *name, uint64_t v)
{
	aml_name_decl(a, name);
	aml_int(a, v);
}

void aml_name_str(struct aml *a, const char *name, const char *s)
{
	aml_name_decl(a, name);
	aml_string(a, s);
}

void aml_name_eisaid(struct aml *a, const char *name, const char *id)
{
	aml_name_decl(a, name);
	aml_eisaid(a, id);
}

/* Open an object whose PkgLength will be inserted here at aml_close. */
static void push(struct aml *a, enum aml_kind kind)
{
	if (a->err)
		return;
	if (a->depth == AML_NEST_MAX)
		return (void)failed(a, FWK_ERR_LIMIT);
	a->open[a->depth].start = a->len;
	a->open[a->depth].kind = (uint8_t)kind;
	a->depth++;
}

void aml_scope(struct aml *a, const char *path)
{
	aml_byte(a, 0x10);
	push(a, K_PLAIN);
	aml_name(a, path);
}

void aml_device(struct aml *a, const char *name)
{
	aml_byte(a, 0x5B);    /* ExtOpPrefix */
	aml_byte(a, 0x82);
	push(a, K_PLAIN);
	aml_name(a, name);
}

void aml_method(struct aml *a, const char *name, unsigned args, bool serialized)
{
	if (args > 7)
		return (void)failed(a, FWK_ERR_INVAL);
	aml_byte(a, 0x14);
	push(a, K_PLAIN);
	aml_name(a, name);
	aml_byte(a, (uint8_t)(args | (serialized ? 0x08u : 0u)));
}

void aml_package(struct aml *a, unsigned count)
{
	if (count > 255)
		return (void)failed(a, FWK_ERR_INVAL);
	aml_byte(a, 0x12);
	push(a, K_PLAIN);
	aml_byte(a, (uint8_t)count);
}

void aml_varpackage(struct aml *a, uint32_t count)
{
	aml_byte(a, 0x13);
	push(a, K_PLAIN);
	aml_int(a, count);
}

void aml_buffer(struct aml *a)
{
	aml_byte(a, 0x11);
	push(a, K_BUFFER);
}

void aml_if(struct aml *a)
{
	aml_byte(a, 0xA0);
	push(a, K_PLAIN);
}

void aml_else(struct aml *a)
{
	aml_byte(a, 0xA1);
	push(a, K_PLAIN);
}

void aml_rt(struct aml *a)
{
	aml_byte(a, 0x11);
	push(a, K_RT);
}

/* The shortest integer encoding of v, as aml_int writes it, into out. */
static unsigned int_bytes(uint64_t v, uint8_t *out)
{
	struct aml t;

	aml_init(&t, out, 9);
	aml_int(&t, v);
	return t.len;
}

void aml_close(struct aml *a)
{
	uint8_t head[4 + 9];
	uint32_t start, body;
	unsigned extra = 0, n;
	uint64_t total;

	if (a->err)
		return;
	if (a->depth == 0)
		return (void)failed(a, FWK_ERR_INVAL);
	if (a->open[a->depth - 1].kind == K_RT) {
		aml_byte(a, RD_END);
		aml_byte(a, 0);   /* checksum 0: "treat as summed correctly" */
		if (a->err)
			return;
	}
	a->depth--;
	start = a->open[a->depth].start;
	body = a->len - start;
	if (a->open[a->depth].kind != K_PLAIN)
		extra = int_bytes(body, head + 4);
	/* The PkgLength counts itself: pick the form whose range holds it. */
	for (n = 1; n <= 4; n++) {
		total = (uint64_t)body + extra + n;
		if (total <= (n == 1 ? 0x3Fu : (1u << (4 + 8 * (n - 1))) - 1))
			break;
	}
	if (n > 4)
		return (void)failed(a, FWK_ERR_LIMIT);
	if (n == 1) {
		head[3] = (uint8_t)total;
	} else {
		head[4 - n] = (uint8_t)((n - 1) << 6 | (total & 0x0F));
		for (unsigned i = 1; i < n; i++)
			head[4 - n + i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
	}
	if (!room(a, n + extra))
		return;
	memmove(a->buf + start + n + extra, a->buf + start, body);
	memcpy(a->buf + start, head + 4 - n, n + extra);
	a->len += n + extra;
}

/* ---- resource descriptors ------------------------------------------- */

/* A large item's tag and 16-bit length. */
static void large(struct aml *a, uint8_t tag, uint16_t len)
{
	aml_byte(a, tag);
	le(a, len, 2);
}

void aml_rd_mem32_fixed(struct aml *a, uint32_t base, uint32_t length, bool rw)
{
	large(a, RD_MEM32_FIXED, 9);
	aml_byte(a, rw ? 1 : 0);
	le(a, base, 4);
	le(a, length, 4);
}

void aml_rd_addr(struct aml *a, unsigned width, const struct aml_addr *r)
{
	static const uint8_t tag[9] = { [2] = RD_WORD, [4] = RD_DWORD, [8] = RD_QWORD };
	const uint64_t v[5] = { r->granularity, r->min, r->max, r->translation, r->length };

	if (width > 8 || !tag[width])
		return (void)failed(a, FWK_ERR_INVAL);
	for (unsigned i = 0; i < 5; i++)
		if (width < 8 && v[i] >> 8 * width)
			return (void)failed(a, FWK_ERR_INVAL);
	large(a, tag[width], (uint16_t)(3 + 5 * width));
	aml_byte(a, r->space);
	aml_byte(a, r->flags);
	aml_byte(a, r->type_flags);
	for (unsigned i = 0; i < 5; i++)
		le(a, v[i], width);
}

void aml_rd_interrupt(struct aml *a, unsigned flags, const uint32_t *gsi, unsigned n)
{
	if (n == 0 || n > 255 || flags > 0x1F)
		return (void)failed(a, FWK_ERR_INVAL);
	large(a, RD_INTERRUPT, (uint16_t)(2 + 4 * n));
	aml_byte(a, (uint8_t)flags);
	aml_byte(a, (uint8_t)n);
	for (unsigned i = 0; i < n; i++)
		le(a, gsi[i], 4);
}

void aml_rd_io(struct aml *a, uint16_t min, uint16_t max, uint8_t align, uint8_t length)
{
	aml_byte(a, RD_IO);
	aml_byte(a, 1);   /* decodes all 16 address bits */
	le(a, min, 2);
	le(a, max, 2);
	aml_byte(a, align);
	aml_byte(a, length);
}

void aml_rd_irq_noflags(struct aml *a, uint16_t mask)
{
	aml_byte(a, RD_IRQ_NOFLAGS);
	le(a, mask, 2);
}
