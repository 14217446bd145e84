/* SPDX-License-Identifier: MIT */
/* fuzz_vm_desc.c - libFuzzer harness: vm_parse_json over the whole input
 * (an exact-size copy), then vm_validate.  A failure names a field inside
 * the input; a success does not depend on what the struct held before,
 * reads the same twice, and validates the same way every time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/vm.h>

#include "fuzzkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = malloc(size ? size : 1);
	struct vm_desc *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct fwk_fault f = { 0 }, g = { 0 };

	CHECK(t != NULL && a != NULL && b != NULL);
	if (size)
		memcpy(t, data, size);
	memset(a, 0x00, sizeof(*a));
	memset(b, 0xff, sizeof(*b));
	int rc = vm_parse_json(a, t, size, &f);
	int rc2 = vm_parse_json(b, t, size, &g);
	CHECK(size == 0 || memcmp(t, data, size) == 0);
	CHECK(rc == rc2);
	if (rc < 0) {
		check_fault(&f, rc, size);
		CHECK(rc != FWK_ERR_INVAL && rc != FWK_ERR_NOSPACE);
		CHECK(f.offset == g.offset && f.field == g.field && f.detail == g.detail);
		/* a text cut short is reported where it ends */
		CHECK(rc != FWK_ERR_TRUNCATED || f.offset == size);
	} else {
		CHECK(rc == 0);
		CHECK(memcmp(a, b, sizeof(*a)) == 0);
		CHECK(a->arch == VM_ARM64 || a->arch == VM_X86_64);
		CHECK(a->nodes <= VM_NODES_MAX);
		CHECK(a->chosen.rng_seed_len <= VM_RNG_SEED_MAX);
		CHECK(memchr(a->chosen.bootargs, 0, VM_BOOTARGS_MAX) != NULL);
		CHECK(a->acpi.oem_id[6] == 0 && a->acpi.oem_table_id[8] == 0);
		rc = vm_validate(a, &f);
		rc2 = vm_validate(a, &g);
		CHECK(rc == rc2);
		if (rc < 0) {
			CHECK(rc == FWK_ERR_BADFIELD);
			check_fault(&f, rc, 0);
			CHECK(f.field == g.field && f.detail == g.detail);
		}
	}
	free(b);
	free(a);
	free(t);
	return 0;
}
