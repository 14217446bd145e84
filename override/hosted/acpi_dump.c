/* SPDX-License-Identifier: MIT */
/* acpi_dump.c - reads acpidump's text ("SIG @ 0xADDR" lines, then
 * "OFFS: XX XX ...  ascii" lines) back into table bytes. */
#include <fwkit/acpi.h>

/* One line of the text, trailing CR and blanks removed. */
struct line {
	uint64_t start; /* offset of its first byte in the text */
	uint64_t end;   /* one past its last significant byte */
	uint64_t next;  /* offset of the following line */
};

/* A table being read. */
struct cur {
	bool open;
	uint64_t header;  /* text offset of its "SIG @" line */
	uint32_t index;   /* into tables[] */
	uint64_t count;   /* bytes so far */
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static void next_line(const char *text, uint64_t len, uint64_t at, struct line *l)
{
	uint64_t i = at;

	while (i < len && text[i] != '\n')
		i++;
	l->start = at;
	l->next = i < len ? i + 1 : len;
	while (i > at && (text[i - 1] == '\r' || blank(text[i - 1])))
		i--;
	l->end = i;
}

static int bad(struct fwk_fault *f, uint64_t at, const char *why)
{
	return fwk_fail(f, FWK_ERR_BADFIELD, at, "line", why);
}

/* Up to 16 hex digits at text[*p..end) into *v; false when there are none
 * or too many. */
static bool read_hex(const char *text, uint64_t *p, uint64_t end, uint64_t *v)
{
	uint64_t i = *p, n = 0;

	*v = 0;
	while (i < end && fwk_hex_digit(text[i]) >= 0) {
		if (++n > 16)
			return false;
		*v = *v << 4 | (uint64_t)fwk_hex_digit(text[i]);
		i++;
	}
	*p = i;
	return n > 0;
}

/* "SIG @ 0xADDR": the name before '@' is 1..15 printable characters. */
static int header_line(const char *text, const struct line *l,
		       struct acpi_dump_table *t, struct fwk_fault *f)
{
	uint64_t p = l->start, at = l->start;

	while (p < l->end && blank(text[p]))
		p++;
	const uint64_t name = p;
	while (p < l->end && text[p] != '@') {
		if ((uint8_t)text[p] < 0x20 || (uint8_t)text[p] > 0x7e)
			return bad(f, p, "neither a table header nor a hex dump line");
		p++;
	}
	if (p == l->end || p == name || !blank(text[p - 1]))
		return bad(f, at, "neither a table header nor a hex dump line");
	uint64_t name_end = p - 1;
	while (name_end > name && blank(text[name_end - 1]))
		name_end--;
	if (name_end - name > sizeof(t->name) - 1)
		return bad(f, name, "table name longer than 15 characters");
	p++; /* '@' */
	if (p == l->end || !blank(text[p]))
		return bad(f, p, "no blank after '@'");
	while (p < l->end && blank(text[p]))
		p++;
	if (l->end - p < 2 || text[p] != '0' ||
	    (text[p + 1] != 'x' && text[p + 1] != 'X'))
		return bad(f, p, "the address does not start with 0x");
	p += 2;
	uint64_t addr;
	if (!read_hex(text, &p, l->end, &addr) || p != l->end)
		return bad(f, p, "the address is not 1 to 16 hexadecimal digits");

	memset(t, 0, sizeof(*t));
	memcpy(t->name, text + name, name_end - name);
	memset(t->signature, ' ', 4);
	memcpy(t->signature, text + name, name_end - name < 4 ? name_end - name : 4);
	t->address = addr;
	return 0;
}

/* Whether a table's bytes are as long as they say they are. */
static int close_table(const uint8_t *out, const struct acpi_dump_table *t,
		       const struct cur *c, struct fwk_fault *f)
{
	const uint8_t *b = out + t->offset;
	const uint64_t n = t->length;

	if (n == 0)
		return bad(f, c->header, "a table header without data lines");
	if (n >= 8 && memcmp(b, "RSD PTR ", 8) == 0) {
		if (n < ACPI_RSDP_V1_SIZE)
			return bad(f, c->header, "RSDP shorter than 20 bytes");
		const uint64_t want = b[15] < 2 ? ACPI_RSDP_V1_SIZE
				    : n >= 24 ? fwk_le32(b + 20) : 0;
		if (want != n)
			return bad(f, c->header, "the RSDP's byte count is not its length");
		return 0;
	}
	/* A 4-character name is the signature acpidump printed. */
	const bool sig_name = t->name[3] != '\0' && t->name[4] == '\0';
	if (sig_name && memcmp(b, t->name, n < 4 ? n : 4) != 0)
		return bad(f, c->header,
			   "the bytes do not start with the signature named");
	const bool facs = n >= 4 && memcmp(b, "FACS", 4) == 0;
	if (n < (facs ? 8 : ACPI_HEADER_SIZE))
		return bad(f, c->header, "the table is shorter than its header");
	if (fwk_le32(b + 4) != n)
		return bad(f, c->header, "the byte count does not match the header's Length");
	return 0;
}

/* "  OFFS: XX XX ... XX  ascii": bytes end at two blanks or the line's end;
 * at most 16 of them. */
static int data_line(const char *text, const struct line *l, uint64_t p,
		     struct cur *c, uint8_t *out, uint64_t cap, uint64_t *used,
		     struct fwk_fault *f)
{
	unsigned n = 0;

	if (p == l->end || text[p] != ' ')
		return bad(f, p, "no blank after the offset's ':'");
	p++;
	for (;;) {
		if (l->end - p < 2 || fwk_hex_digit(text[p]) < 0 || fwk_hex_digit(text[p + 1]) < 0)
			return bad(f, p, "not two hexadecimal digits");
		if (*used >= cap)
			return fwk_fail(f, FWK_ERR_NOSPACE, p, "line",
					"the output buffer is full");
		if (c->count + n >= UINT32_MAX)
			return fwk_fail(f, FWK_ERR_LIMIT, p, "line",
					"a table longer than 4 GiB");
		out[(*used)++] = (uint8_t)(fwk_hex_digit(text[p]) << 4 | fwk_hex_digit(text[p + 1]));
		n++;
		p += 2;
		if (p == l->end)
			break;
		if (text[p] != ' ')
			return bad(f, p, "a byte is not two hexadecimal digits");
		if (p + 1 == l->end || blank(text[p + 1]))
			break; /* the ASCII column follows */
		if (n == 16)
			return bad(f, p, "more than 16 bytes on a line");
		p++;
	}
	c->count += n;
	return 0;
}

int acpi_dump_parse(const char *text, uint64_t len, uint8_t *out, uint64_t cap,
		    struct acpi_dump_table *tables, uint32_t max,
		    struct fwk_fault *f)
{
	struct cur c = { 0 };
	uint64_t used = 0;
	uint32_t n = 0;
	struct line l;

	if ((len && !text) || (cap && !out) || (max && !tables))
		return fwk_fail(f, FWK_ERR_INVAL, 0, "line", "NULL buffer");
	for (uint64_t at = 0; at < len; at = l.next) {
		next_line(text, len, at, &l);
		uint64_t p = l.start;
		while (p < l.end && blank(text[p]))
			p++;
		if (p == l.end)
			continue;

		/* A hex dump line: offset, ':', bytes. */
		uint64_t q = p, off;
		if (read_hex(text, &q, l.end, &off) && q < l.end && text[q] == ':') {
			if (!c.open)
				return bad(f, p, "hex dump line before any table header");
			if (off != c.count)
				return bad(f, p, "the offset is not the count of bytes before it");
			int rc = data_line(text, &l, q + 1, &c, out, cap, &used, f);
			if (rc < 0)
				return rc;
			tables[c.index].length = c.count;
			continue;
		}

		if (c.open) {
			int rc = close_table(out, &tables[c.index], &c, f);
			if (rc < 0)
				return rc;
		}
		struct acpi_dump_table hdr;
		int rc = header_line(text, &l, &hdr, f);
		if (rc < 0)
			return rc;
		if (n >= max)
			return fwk_fail(f, FWK_ERR_NOSPACE, l.start, "line",
					"more tables than the caller has room for");
		if (n >= INT32_MAX)
			return fwk_fail(f, FWK_ERR_LIMIT, l.start, "line",
					"too many tables");
		struct acpi_dump_table *t = &tables[n];
		*t = hdr;
		t->offset = used;
		t->instance = 1;
		for (uint32_t i = 0; i < n; i++)
			if (memcmp(tables[i].signature, t->signature, 4) == 0)
				t->instance++;
		c.open = true;
		c.header = l.start;
		c.index = n++;
		c.count = 0;
	}
	if (c.open) {
		int rc = close_table(out, &tables[c.index], &c, f);
		if (rc < 0)
			return rc;
	}
	return (int)n;
}
