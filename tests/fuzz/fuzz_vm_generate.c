/* SPDX-License-Identifier: MIT */
/* fuzz_vm_generate.c - libFuzzer harness: every JSON description that
 * parses and validates must generate: vm_dtb and vm_acpi succeed within
 * their size bounds, the tree passes libfdt's full check, and the DTB and
 * the ACPI tables, each read back by its own reader, are in parity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <fwkit/vm.h>

#include "fuzzkit.h"

/* The parity check's devices: CPUs, GIC frames, virtio, PCIe windows... */
#define DEVS (VM_CPUS_MAX + 3 * VM_NODES_MAX + VM_VIRTIO_MAX + 64)

static void on_mismatch(void *ctx, const struct vm_dev *dt, const struct vm_dev *acpi,
			const char *what)
{
	const struct vm_dev *d = dt ? dt : acpi;

	fprintf(stderr, "parity: %s %u base 0x%llx: %s (dt %s, acpi %s)\n",
		vm_dev_name(d->kind), d->index, (unsigned long long)d->base, what,
		dt ? "yes" : "no", acpi ? "yes" : "no");
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_desc *d = malloc(sizeof(*d));
	struct fwk_fault f = { 0 };

	CHECK(d != NULL);
	if (vm_parse_json(d, (const char *)data, size, &f) < 0 || vm_validate(d, &f) < 0) {
		free(d);
		return 0;
	}

	/* ACPI: laid out at a base the input chooses (16-aligned) */
	uint64_t base = size >= 8 ? (((uint64_t)data[0] << 32 | (uint64_t)data[size - 1] << 20) & ~15ull)
				  : 0x40000000;
	size_t acap = vm_acpi_size(d);
	uint8_t *abuf = malloc(acap ? acap : 1);
	struct vm_acpi_layout lay;
	CHECK(acap > 0 && abuf != NULL);
	int rc = vm_acpi(d, base, abuf, acap, &lay, &f);
	if (rc == FWK_ERR_INVAL && f.field && strcmp(f.field, "base") == 0) {
		/* a base where the tables would wrap: that one is the caller's */
		rc = vm_acpi(d, 0, abuf, acap, &lay, &f);
	}
	if (rc != 0)
		fprintf(stderr, "vm_acpi: %d %s: %s\n", rc, f.field, f.detail);
	CHECK(rc == 0);
	CHECK(lay.total <= acap && lay.count >= 2 && lay.count <= VM_TABLES_MAX);

	struct vm_blob tables[VM_TABLES_MAX];
	size_t nt = 0;
	for (uint32_t i = 0; i < lay.count; i++) {
		CHECK((uint64_t)lay.table[i].offset + lay.table[i].length <= lay.total);
		if (memcmp(lay.table[i].sig, "RSDP", 4) == 0)
			continue;
		tables[nt].p = abuf + lay.table[i].offset;
		tables[nt++].len = lay.table[i].length;
	}
	struct vm_dev *adev = calloc(DEVS, sizeof(*adev));
	size_t na = 0;
	CHECK(adev != NULL);
	rc = vm_acpi_devices(tables, nt, adev, DEVS, &na, &f);
	if (rc != 0)
		fprintf(stderr, "vm_acpi_devices: %d %s: %s\n", rc, f.field, f.detail);
	CHECK(rc == 0);

	if (d->arch == VM_ARM64) {
		size_t cap = vm_dtb_size(d), len = 0;
		uint8_t *dtb = malloc(cap ? cap : 1);
		CHECK(cap > 0 && dtb != NULL);
		rc = vm_dtb(d, dtb, cap, &len, &f);
		if (rc != 0)
			fprintf(stderr, "vm_dtb: %d %s: %s\n", rc, f.field, f.detail);
		CHECK(rc == 0 && len <= cap);
		CHECK(fdt_check_full(dtb, len) == 0 && fdt_totalsize(dtb) == len);

		struct vm_dev *ddev = calloc(DEVS, sizeof(*ddev));
		size_t nd = 0;
		CHECK(ddev != NULL);
		rc = vm_dt_devices(dtb, len, ddev, DEVS, &nd, &f);
		if (rc != 0)
			fprintf(stderr, "vm_dt_devices: %d %s: %s\n", rc, f.field, f.detail);
		CHECK(rc == 0);
		CHECK(vm_parity(ddev, nd, adev, na, on_mismatch, NULL) == 0);
		free(ddev);
		free(dtb);
	} else {
		size_t len = 0;
		CHECK(vm_dtb(d, NULL, 0, &len, &f) < 0);
	}
	free(adev);
	free(abuf);
	free(d);
	return 0;
}
