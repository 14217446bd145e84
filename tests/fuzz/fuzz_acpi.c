/* SPDX-License-Identifier: MIT */
/* fuzz_acpi.c - libFuzzer harness: the ACPI table checks (table, RSDP,
 * RSDT/XSDT, FADT) over the whole input, then acpi_plan() with the input
 * cut into a few candidates against a fixed small firmware. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/acpi.h>

#include "fuzzkit.h"


#define MAX_CAND 4

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void check_table(const uint8_t *d, size_t n)
{
	struct fwk_fault f = { 0 };
	int kind = acpi_table_check(d, n, &f);

	if (kind < 0) {
		check_fault(&f, kind, n);
	} else if (kind == ACPI_KIND_SDT) {
		struct acpi_header h;
		char id[ACPI_IDENTITY_MAX];

		CHECK(n >= ACPI_HEADER_SIZE && le32(d + 4) == n);
		CHECK(acpi_header_parse(d, n, &h, NULL) == 0 && h.length == n);
		int l = acpi_identity(&h, id);
		CHECK(l > 0 && (unsigned)l < ACPI_IDENTITY_MAX && strlen(id) == (size_t)l);
		uint8_t w[ACPI_HEADER_SIZE];
		acpi_header_write(w, &h);
		CHECK(memcmp(w, d, ACPI_HEADER_SIZE) == 0);
		const char *desc = acpi_sig_describe(h.signature);
		if (desc)
			sink += touch(desc, strlen(desc));
		sink += acpi_sig_upgradable(h.signature);
		uint8_t fix = acpi_checksum_fix_value(d, n);
		CHECK((uint8_t)(acpi_checksum(d, n) - d[9] + fix) == 0);
	} else if (kind == ACPI_KIND_FACS) {
		CHECK(n >= ACPI_FACS_MIN_SIZE && le32(d + 4) == n);
	} else {
		CHECK(kind == ACPI_KIND_RSDP && n >= ACPI_RSDP_V1_SIZE);
	}

	/* RSDT/XSDT: the count matches the Length, every entry reads. */
	int count = acpi_root_entries(d, n, &f);
	if (count >= 0) {
		CHECK(kind == ACPI_KIND_SDT);
		unsigned esz = memcmp(d, "XSDT", 4) == 0 ? 8 : 4;
		CHECK(ACPI_HEADER_SIZE + (uint64_t)count * esz == n);
		for (uint32_t i = 0; i < (uint32_t)count; i++) {
			uint64_t a;
			CHECK(acpi_root_entry(d, n, i, &a) == 0);
			sink += (uint32_t)a;
		}
		uint64_t a;
		CHECK(acpi_root_entry(d, n, (uint32_t)count, &a) == FWK_ERR_INVAL);
	} else {
		check_fault(&f, count, n);
	}

	struct acpi_fadt_ptrs p;
	int rc = acpi_fadt_ptrs(d, n, &p);
	CHECK(rc == 0 || rc == FWK_ERR_TRUNCATED || rc == FWK_ERR_BADMAGIC);
	sink += (uint32_t)(p.dsdt + p.x_dsdt + p.facs + p.x_facs);

	struct acpi_rsdp r;
	rc = acpi_rsdp_parse(d, n, &r, &f);
	if (rc == 0) {
		CHECK(acpi_checksum(d, ACPI_RSDP_V1_SIZE) == 0);
		if (r.revision >= 2)
			CHECK(r.length >= ACPI_RSDP_V2_SIZE && r.length <= n &&
			      acpi_checksum(d, r.length) == 0);
		else
			CHECK(r.length == ACPI_RSDP_V1_SIZE && r.xsdt_address == 0);
	} else {
		check_fault(&f, rc, n);
	}
}

/* The firmware every plan runs against: QEMU-like IDs, two SSDTs sharing
 * theirs, a root table, a FACS and a table loaded at run time. */
static struct acpi_target targets[7];

static void make_targets(void)
{
	static const struct { const char *sig, *tid; uint32_t rev; bool dyn; } t[7] = {
		{ "FACP", "BXPC    ", 1, false }, { "DSDT", "BXPC    ", 1, false },
		{ "SSDT", "BXPC    ", 2, false }, { "SSDT", "BXPC    ", 1, false },
		{ "XSDT", "BXPC    ", 1, false }, { "FACS", "BXPC    ", 0, false },
		{ "SSDT", "CPUS    ", 1, true },
	};

	for (int i = 0; i < 7; i++) {
		memcpy(targets[i].h.signature, t[i].sig, 4);
		memcpy(targets[i].h.oem_id, "BOCHS ", 6);
		memcpy(targets[i].h.oem_table_id, t[i].tid, 8);
		targets[i].h.oem_revision = t[i].rev;
		targets[i].dynamic = t[i].dyn;
	}
}

static bool rejected_reason(enum acpi_reason r)
{
	return r == ACPI_WHY_SMALL || r == ACPI_WHY_SIGNATURE ||
	       r == ACPI_WHY_LENGTH || r == ACPI_WHY_CHECKSUM ||
	       r == ACPI_WHY_TOO_MANY;
}

/* The last byte steers: bits 0-1 the number of candidates, 2 copies of
 * one table with different OEM revisions (else equal slices), 3 fix each
 * candidate's Length and Checksum, 4 lockdown, 5-7 the name length. */
static void check_plan(const uint8_t *d, size_t size)
{
	static const char names[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct acpi_candidate c[MAX_CAND];
	struct acpi_plan_entry out[MAX_CAND];
	uint8_t *copy[MAX_CAND];

	if (size < 1)
		return;
	const uint8_t ctl = d[size - 1];
	const size_t body = size - 1;
	const uint32_t nc = 1 + (ctl & 3);

	for (uint32_t i = 0; i < nc; i++) {
		size_t from = (ctl & 4) ? 0 : body * i / nc;
		size_t to = (ctl & 4) ? body : body * (i + 1) / nc;
		size_t n = to - from;

		copy[i] = malloc(n ? n : 1);
		CHECK(copy[i] != NULL);
		memcpy(copy[i], d + from, n);
		if ((ctl & 4) && n >= ACPI_HEADER_SIZE)
			copy[i][24] = (uint8_t)(d[i % body] % 4);
		if ((ctl & 8) && n >= ACPI_HEADER_SIZE) {
			copy[i][4] = (uint8_t)n;
			copy[i][5] = (uint8_t)(n >> 8);
			copy[i][6] = (uint8_t)(n >> 16);
			copy[i][7] = (uint8_t)(n >> 24);
			copy[i][9] = acpi_checksum_fix_value(copy[i], n);
		}
		c[i].data = copy[i];
		c[i].len = n;
		c[i].name = names;
		c[i].namelen = 14 + (ctl >> 5);
	}

	int used = acpi_plan(c, nc, targets, 7, (ctl & 16) ? ACPI_PLAN_LOCKDOWN : 0, out);
	CHECK(used >= 0 && (uint32_t)used <= nc);
	int counted = 0;
	bool taken[7] = { false };
	for (uint32_t i = 0; i < nc; i++) {
		const struct acpi_plan_entry *e = &out[i];

		CHECK(e->have_header == (c[i].len >= ACPI_HEADER_SIZE));
		CHECK(e->target >= -1 && e->target < 7);
		CHECK(!(e->warnings & ~0x1fu));
		CHECK(((e->warnings & ACPI_WARN_LONG_NAME) != 0) == (c[i].namelen >= 17));
		sink += touch(acpi_verdict_name(e->verdict), 3) +
			touch(acpi_reason_text(e->reason), 3);
		switch (e->verdict) {
		case ACPI_OVERRIDE: {
			const struct acpi_target *t = &targets[e->target];
			counted++;
			CHECK(e->reason == ACPI_WHY_REVISION_GREATER && e->target >= 0);
			CHECK(acpi_same_ids(&e->h, &t->h) && !t->dynamic);
			CHECK(e->h.oem_revision > t->h.oem_revision);
			CHECK(!taken[e->target]);
			taken[e->target] = true;
			CHECK(!(ctl & 16));
			break;
		}
		case ACPI_INSTALL:
			counted++;
			CHECK(e->reason == ACPI_WHY_NEW_IDS && e->target == -1);
			CHECK(memcmp(e->h.signature, "RSDT", 4) != 0 &&
			      memcmp(e->h.signature, "XSDT", 4) != 0);
			CHECK(!(ctl & 16));
			break;
		case ACPI_DROPPED:
			CHECK(e->have_header && acpi_sig_upgradable(e->h.signature));
			CHECK(acpi_checksum(c[i].data, c[i].len) == 0);
			if (e->reason == ACPI_WHY_REVISION_NOT_GREATER)
				CHECK(e->target >= 0 &&
				      e->h.oem_revision <= targets[e->target].h.oem_revision &&
				      acpi_same_ids(&e->h, &targets[e->target].h));
			else
				CHECK((e->reason == ACPI_WHY_ROOT_TABLE && !(ctl & 16)) ||
				      (e->reason == ACPI_WHY_LOCKDOWN && (ctl & 16) &&
				       (e->warnings & ACPI_WARN_LOCKDOWN)));
			break;
		case ACPI_REJECTED:
			CHECK(rejected_reason(e->reason) && e->reason != ACPI_WHY_TOO_MANY);
			CHECK(e->target == -1);
			break;
		default:
			CHECK(0);
		}
	}
	CHECK(counted == used);
	for (uint32_t i = 0; i < nc; i++)
		free(copy[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;

	if (!ready) {
		make_targets();
		ready = true;
	}
	check_table(data, size);
	check_plan(data, size);
	return 0;
}
