/* SPDX-License-Identifier: MIT */
/* fuzz_pipeline.c - libFuzzer harness: boot_pipeline_run over up to four
 * modules cut from the input (lengths, command lines, roles, protocol
 * problems and alignment from its first bytes), each in an exact-size heap
 * buffer, with callbacks that accept and check what they are handed; the
 * report must be NUL-terminated, its lines one each, the totals must add up
 * to the modules and members, every ledger record must format, and a second
 * run over the same bytes elsewhere in memory must write the same text.
 * Input: byte 0 (bits 0-1: modules - 1; bit 2: a short text buffer of
 * (byte 0 >> 3) * 8 + 1 bytes), then per module 4 bytes (length le16, the
 * command line's index in cmdlines[], role in bits 0-2, 0x10 data at an
 * address 4 mod 8, 0x20 a protocol problem), then the modules' bytes, the
 * last taking the rest.  The seeds in corpus/pipeline/ are laid out so:
 * the unit test's trees from dtc, linuxhw ACPI tables, a synthetic Intel
 * update, an fwb from `fwkit blob pack`, and cpio archives of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/bootpipe.h>

#include "fuzzkit.h"

#define MODS 4u
#define HEAD (1u + 4u * MODS)

static const char *const cmdlines[] = {
	"", "m.bin", "a.aml fwkit=acpi-table", "x fwkit=ignore", "u fwkit=ucode",
	"t fwkit=dtb", "o fwkit=dt-overlay", "c fwkit=cpio", "b fwkit=fwb",
	"k fwkit=kernel", "z fwkit=compressed", "q fwkit=bogus", "  lead\x01\xff ",
	"n fwkit=unknown", "i fwkit=ucode-intel", "d fwkit=ucode-amd",
};

struct seen {
	const struct boot_module *mods;
	uint32_t n;
	uint32_t calls, records, lines;
	uint64_t text_bytes;     /* what the log got, newlines included */
};

/* The item lies inside one module, or is one. */
static void inside(const struct seen *s, const uint8_t *p, uint64_t len)
{
	bool ok = false;

	for (uint32_t i = 0; i < s->n && !ok; i++) {
		const struct boot_module *m = &s->mods[i];
		ok = m->data && p >= m->data && len <= m->size &&
		     (uint64_t)(p - m->data) <= m->size - len;
	}
	CHECK(ok);
	sink += touch(p, len);
}

static void callee(struct seen *s, const char *source, const char *path, const uint8_t *d,
		   uint64_t len)
{
	size_t n = strnlen(source, 64);

	CHECK(n > 0 && n < 64);
	if (path)
		sink += touch(path, strlen(path));
	inside(s, d, len);
	s->calls++;
}

static int on_acpi(void *ctx, const char *source, const char *path, const uint8_t *t,
		   uint64_t len, const struct acpi_header *h)
{
	callee(ctx, source, path, t, len);
	CHECK(h->length == len && len >= ACPI_HEADER_SIZE);
	return (int)(len & 1); /* override or install */
}

static int on_overlay(void *ctx, const char *source, const char *path, const uint8_t *o,
		      uint64_t len, const uint8_t *base, uint64_t base_len)
{
	callee(ctx, source, path, o, len);
	CHECK(len >= 40);
	if (base)
		inside(ctx, base, base_len);
	else
		CHECK(base_len == 0);
	return 0;
}

static int on_ucode(void *ctx, const char *source, const char *path, enum ucode_vendor v,
		    const uint8_t *d, uint64_t len, uint32_t updates)
{
	callee(ctx, source, path, d, len);
	CHECK(v == UCODE_INTEL || v == UCODE_AMD);
	CHECK(updates > 0 || v == UCODE_AMD);
	return 0;
}

static int on_blob(void *ctx, const char *source, const char *path, const uint8_t *b,
		   uint64_t len, const struct fwb_info *info)
{
	callee(ctx, source, path, b, len);
	CHECK(info->header_length + info->payload_length <= len);
	return 0;
}

static void on_log(void *ctx, const char *line)
{
	struct seen *s = ctx;
	size_t n = strlen(line);

	CHECK(n > 0 && n < 512 && !strchr(line, '\n'));
	s->lines++;
	s->text_bytes += n + 1;
}

static void on_taint(void *ctx, const struct ledger_record *r)
{
	struct seen *s = ctx;
	static char out[2048];

	CHECK(r->taint_bit == -1 || r->taint_bit == (int)TAINT_OVERRIDDEN_ACPI_TABLE);
	CHECK(ledger_format_text(r, out, sizeof(out)) > 0);
	CHECK(ledger_format_json(r, out, sizeof(out)) > 0);
	s->records++;
}

/* The modules cut from the input, each copied to its own allocation at
 * the offset (mod 8) the input asks for. */
static uint32_t cut(const uint8_t *data, size_t size, struct boot_module *m, uint8_t **bufs,
		    size_t *largest)
{
	uint32_t n = 1 + (data[0] & 3u);
	size_t off = HEAD;

	*largest = 0;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *h = data + 1 + 4 * i;
		size_t len = (size_t)h[0] | (size_t)h[1] << 8, skew = h[3] & 0x10 ? 4 : 0;

		if (i == n - 1 || len > size - off)
			len = size - off;
		memset(&m[i], 0, sizeof(m[i]));
		m[i].cmdline = cmdlines[h[2] % (sizeof(cmdlines) / sizeof(cmdlines[0]))];
		m[i].cmdline_len = (uint32_t)strlen(m[i].cmdline);
		m[i].role = (enum boot_module_role)((h[3] & 7u) % 6u);
		m[i].size = len;
		bufs[i] = malloc(len + skew + 1);
		CHECK(bufs[i] != NULL);
		memcpy(bufs[i] + skew, data + off, len);
		m[i].data = bufs[i] + skew;
		m[i].start = 0x100000u * (i + 1);
		if (h[3] & 0x20) {
			m[i].problem = "range overlaps another module";
			m[i].data = NULL;
		} else if (len > *largest) {
			*largest = len;
		}
		off += len;
	}
	return n;
}

static void run(const uint8_t *data, size_t size, char *text, size_t cap,
		struct boot_report *rep, struct boot_result *res, struct seen *s)
{
	struct boot_module m[MODS];
	uint8_t *bufs[MODS];
	size_t largest;
	uint32_t n = cut(data, size, m, bufs, &largest);
	size_t words = BOOT_SCRATCH_WORDS(largest);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	struct boot_platform pf = { s, on_acpi, on_overlay, on_ucode, on_blob, on_log, on_taint };

	CHECK(scratch != NULL);
	memset(s, 0, sizeof(*s));
	s->mods = m;
	s->n = n;
	memset(rep, 0, sizeof(*rep));
	rep->text = text;
	rep->text_cap = cap;
	rep->results = res;
	rep->results_cap = MODS;
	int rc = boot_pipeline_run(m, n, &pf, scratch, words, rep);

	/* Returned 0 or 1, with a result per module and a line per verdict. */
	CHECK(rc == 0 || rc == 1);
	CHECK(rep->nresults == n);
	CHECK(rc == (rep->rejected || rep->failed || rep->no_handler));
	uint64_t items = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct boot_result *r = &res[i];
		CHECK(r->module == i && r->verdict >= BOOT_APPLIED && r->verdict <= BOOT_IGNORED);
		CHECK(strnlen(r->name, sizeof(r->name)) < sizeof(r->name) && r->name[0]);
		CHECK(strnlen(r->reason, sizeof(r->reason)) < sizeof(r->reason));
		CHECK(r->kind == BOOT_KIND_CPIO || r->items == 0);
		CHECK(r->taint_bit == -1 || r->taint_bit == (int)TAINT_OVERRIDDEN_ACPI_TABLE);
		CHECK(!m[i].problem || r->verdict == BOOT_REJECTED);
		items += r->items;
	}
	CHECK((uint64_t)rep->applied + rep->passed + rep->rejected + rep->failed +
	      rep->no_handler + rep->ignored == n + items);
	CHECK(s->calls == rep->applied && s->records == rep->applied);
	CHECK((rep->taint_mask & ~(1ull << TAINT_OVERRIDDEN_ACPI_TABLE)) == 0);
	/* Header, module lines, one per verdict, summary. */
	CHECK(s->lines == 2 + n + n + items);

	/* The text: NUL-terminated, as long as it says, cut only when short. */
	CHECK(rep->text_len < cap && text[rep->text_len] == '\0' &&
	      strlen(text) == rep->text_len);
	CHECK(rep->text_truncated == (s->text_bytes >= cap));
	if (!rep->text_truncated)
		CHECK(rep->text_len == s->text_bytes);
	else if (cap > 4)
		CHECK(rep->text_len >= 4 && !memcmp(text + rep->text_len - 4, "...\n", 4));
	free(scratch);
	for (uint32_t i = 0; i < n; i++)
		free(bufs[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[2][1 << 16];
	static struct boot_result res[2][MODS];
	struct boot_report rep[2];
	struct seen s[2];

	if (size < HEAD)
		return 0;
	/* Sometimes a short text buffer: the cut must be clean. */
	size_t cap = data[0] & 4u ? (size_t)(data[0] >> 3) * 8u + 1u : sizeof(text[0]);
	run(data, size, text[0], cap, &rep[0], res[0], &s[0]);
	run(data, size, text[1], cap, &rep[1], res[1], &s[1]);
	/* Nothing of where the bytes were shows in the report. */
	CHECK(rep[0].text_len == rep[1].text_len && !memcmp(text[0], text[1], rep[0].text_len));
	CHECK(!memcmp(res[0], res[1], sizeof(res[0])));
	return 0;
}
