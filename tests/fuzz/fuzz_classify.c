/* SPDX-License-Identifier: MIT */
/* fuzz_classify.c - libFuzzer harness: boot_classify over the input after
 * its first byte, which picks the /chosen role (low 3 bits) and the
 * command-line hint (the rest); every answer is a kind below BOOT_KINDS
 * with a NUL-terminated one-line reason, an invalid known kind names its
 * fault inside the module, and a hint or role only ever confirms the
 * bytes' own answer or turns it into a contradiction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/bootpipe.h>

#include "fuzzkit.h"

static const char *const hints[] = {
	NULL, "fwkit=unknown", "fwkit=acpi-table", "fwkit=dtb", "fwkit=dt-overlay",
	"fwkit=cpio", "fwkit=compressed", "fwkit=ucode-intel", "fwkit=ucode-amd",
	"fwkit=fwb", "fwkit=kernel", "fwkit=ucode", "fwkit=ignore", "fwkit=bogus",
	"name.bin  fwkit=dtb root=/dev/vda fwkit=cpio", "xfwkit=fwb", "fwkit=",
	"fwkit=kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
};

static void check_class(const struct boot_class *c, uint64_t len)
{
	CHECK((unsigned)c->kind < BOOT_KINDS);
	const char *nul = memchr(c->reason, '\0', sizeof(c->reason));
	CHECK(nul != NULL && nul > c->reason);
	CHECK(memchr(c->reason, '\n', (size_t)(nul - c->reason)) == NULL);
	CHECK(!c->valid || c->kind != BOOT_KIND_UNKNOWN);
	if (!c->valid && c->kind != BOOT_KIND_UNKNOWN)
		check_fault(&c->fault, c->fault.error, len);
	sink += touch(c->reason, (uint64_t)(nul - c->reason));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const uint8_t pick = data[0];
	const size_t len = size - 1;
	uint8_t *d = malloc(len ? len : 1);
	size_t words = BOOT_SCRATCH_WORDS(len);
	uint32_t *scratch = malloc(words * sizeof(*scratch));
	struct boot_class plain, c;

	CHECK(d != NULL && scratch != NULL);
	memcpy(d, data + 1, len);

	/* The bytes alone. */
	CHECK(boot_classify(d, len, NULL, 0, BOOT_ROLE_NONE, scratch, words, &plain) == 0);
	check_class(&plain, len);
	CHECK(memcmp(d, data + 1, len) == 0);

	/* With a role and a hint. */
	const enum boot_module_role role = (enum boot_module_role)((pick & 7) % 6);
	const char *hint = hints[(pick >> 3) % (sizeof(hints) / sizeof(hints[0]))];
	CHECK(boot_classify(d, len, hint, hint ? strlen(hint) : 0, role, scratch, words, &c) == 0);
	check_class(&c, len);
	CHECK(memcmp(d, data + 1, len) == 0);

	/* Hints and roles confirm, or contradict into an unknown module. */
	const bool same = c.kind == plain.kind && c.valid == plain.valid &&
			  strcmp(c.reason, plain.reason) == 0;
	const bool overlay_hint = plain.kind == BOOT_KIND_DTB && !plain.valid &&
				  c.kind == BOOT_KIND_DT_OVERLAY && !c.valid &&
				  c.fault.offset == plain.fault.offset &&
				  c.fault.error == plain.fault.error &&
				  strncmp(c.reason, "dt-overlay at ", 14) == 0;
	CHECK(same || overlay_hint || (c.kind == BOOT_KIND_UNKNOWN && !c.valid));
	if (!hint && role == BOOT_ROLE_NONE)
		CHECK(same);
	if (!same && !overlay_hint && strcmp(c.reason, "ignored (fwkit=ignore)") != 0)
		CHECK(c.fault.error == FWK_ERR_BADFIELD && c.fault.field != NULL);
	if (!plain.valid)
		CHECK(plain.count == 0);

	/* Too little scratch never breaks the rules either. */
	CHECK(boot_classify(d, len, hint, hint ? strlen(hint) : 0, role, scratch, 1, &c) == 0);
	check_class(&c, len);
	free(scratch);
	free(d);
	return 0;
}
