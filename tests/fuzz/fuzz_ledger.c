/* SPDX-License-Identifier: MIT */
/* fuzz_ledger.c - libFuzzer harness for the ledger's JSON parser: every
 * failure says where, and every record it accepts writes back (JSON, text,
 * TCG event) to a line that parses to the same record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/taint.h>

#include "fuzzkit.h"


/* JSON escapes make a record at most ~6x its string fields; this is ample. */
#define LINE_MAX_BYTES 4096

static bool ends_inside(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static bool records_equal(const struct ledger_record *a,
			  const struct ledger_record *b)
{
	return a->kind == b->kind && strcmp(a->identity, b->identity) == 0 &&
	       strcmp(a->source, b->source) == 0 &&
	       memcmp(a->sha256, b->sha256, SHA256_DIGEST_SIZE) == 0 &&
	       a->have_replaced == b->have_replaced &&
	       (!a->have_replaced ||
		memcmp(a->replaced_sha256, b->replaced_sha256, SHA256_DIGEST_SIZE) == 0) &&
	       strcmp(a->reason, b->reason) == 0 && a->taint_bit == b->taint_bit;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[LINE_MAX_BYTES], line2[LINE_MAX_BYTES], text[LINE_MAX_BYTES];
	static uint8_t event[LINE_MAX_BYTES + 64];
	struct ledger_record r, r2;
	struct fwk_fault f;
	int rc, n, n2;

	memset(&f, 0, sizeof(f));
	rc = ledger_parse_json((const char *)data, size, &r, &f);
	if (rc != 0) {
		CHECK(rc == FWK_ERR_BADFIELD || rc == FWK_ERR_LIMIT ||
		      rc == FWK_ERR_TRUNCATED);
		CHECK(f.error == rc);
		CHECK(f.field != NULL && f.detail != NULL);
		CHECK(f.offset <= size);
		return 0;
	}

	/* What the parser accepts is a record the writers take. */
	CHECK(ledger_kind_name(r.kind) != NULL);
	CHECK(r.taint_bit == -1 || taint_flag((unsigned)r.taint_bit) != NULL);
	CHECK(ends_inside(r.identity, sizeof(r.identity)));
	CHECK(ends_inside(r.source, sizeof(r.source)));
	CHECK(ends_inside(r.reason, sizeof(r.reason)));

	n = ledger_format_json(&r, line, sizeof(line));
	CHECK(n > 0 && (size_t)n < sizeof(line));
	CHECK(strlen(line) == (size_t)n);
	/* One byte short is NOSPACE, never a cut line. */
	CHECK(ledger_format_json(&r, line2, (size_t)n) == FWK_ERR_NOSPACE);

	memset(&f, 0, sizeof(f));
	CHECK(ledger_parse_json(line, (size_t)n, &r2, &f) == 0);
	CHECK(records_equal(&r, &r2));
	n2 = ledger_format_json(&r2, line2, sizeof(line2));
	CHECK(n2 == n && memcmp(line, line2, (size_t)n) == 0);

	n = ledger_format_text(&r, text, sizeof(text));
	CHECK(n > 0 && strlen(text) == (size_t)n);
	CHECK(memchr(text, '\n', (size_t)n) == NULL);
	rc = tcg_log_event(&r, TCG_LOG_PCR_DEFAULT, event, sizeof(event));
	CHECK(rc == 50 + n);
	CHECK(memcmp(event + 50, text, (size_t)n) == 0);
	return 0;
}
