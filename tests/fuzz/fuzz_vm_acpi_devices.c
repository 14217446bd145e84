/* SPDX-License-Identifier: MIT */
/*
 * fuzz_vm_acpi_devices.c - libFuzzer harness: vm_acpi_devices over tables
 * cut from the input.  Byte 0: bits 0-2 the number of tables less one; bit
 * 7 set, each table of 36 bytes or more (but an RSDP) gets its Length and
 * checksum made right, so the fuzzer reaches the AML and table bodies.
 * Then a 16-bit little-endian length for each table but the last, which
 * takes the rest; each table is an exact heap copy so ASan sees any read
 * past it.  Checks: the inputs are never written, a failure is a fault
 * inside the tables (offsets count across them) with a field and no
 * devices, every device has a valid kind and at most 4 interrupts, a
 * 5-device array gives the first devices or FWK_ERR_NOSPACE, and the list
 * is in parity with itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/acpi.h>
#include <fwkit/vm.h>

#include "fuzzkit.h"

#define CAP 96u
#define SHORT 5u

static void on_diff(void *ctx, const struct vm_dev *dt, const struct vm_dev *acpi,
		    const char *what)
{
	(void)ctx, (void)dt, (void)acpi, (void)what;
	fuzz_fail(__FILE__, __LINE__, "a device list is not in parity with itself");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_blob t[8];
	uint8_t *copy[8];
	static struct vm_dev out[CAP], few[SHORT];
	struct fwk_fault f = { 0 };
	size_t n = 12345, m = 12345, ntables, at = 1, total = 0;

	if (size < 1)
		return 0;
	ntables = (data[0] & 7u) + 1;
	for (size_t i = 0; i < ntables; i++) {
		size_t len = size - at;

		if (i + 1 < ntables) {
			len = at + 2 <= size ? (size_t)(data[at] | data[at + 1] << 8) : 0;
			at = at + 2 <= size ? at + 2 : size;
			if (len > size - at)
				len = size - at;
		}
		copy[i] = malloc(len ? len : 1);
		CHECK(copy[i] != NULL);
		memcpy(copy[i], data + at, len);
		at += len;
		if (data[0] & 0x80 && len >= ACPI_HEADER_SIZE && memcmp(copy[i], "RSD PTR ", 8)) {
			for (int k = 0; k < 4; k++)
				copy[i][4 + k] = (uint8_t)(len >> 8 * k);
			copy[i][9] = acpi_checksum_fix_value(copy[i], len);
		}
		t[i].p = copy[i];
		t[i].len = len;
		total += len;
	}

	int rc = vm_acpi_devices(t, ntables, out, CAP, &n, &f);
	if (rc < 0) {
		check_fault(&f, rc, total);
		CHECK(n == 0 && rc != FWK_ERR_INVAL);
	} else {
		CHECK(rc == 0 && n <= CAP);
		for (size_t i = 0; i < n; i++) {
			CHECK(out[i].kind >= VM_DEV_CPU && out[i].kind <= VM_DEV_IOAPIC);
			CHECK(out[i].nirq <= 4);
			sink += (uint32_t)out[i].base + out[i].index;
		}
		CHECK(vm_parity(out, n, out, n, on_diff, NULL) == 0);
	}

	memset(&f, 0, sizeof(f));
	int rc2 = vm_acpi_devices(t, ntables, few, SHORT, &m, &f);
	if (rc == 0 && n <= SHORT) {
		CHECK(rc2 == 0 && m == n && memcmp(few, out, n * sizeof(out[0])) == 0);
	} else {
		CHECK(rc2 == (rc == 0 ? FWK_ERR_NOSPACE : rc2) && rc2 < 0 && m == 0);
		check_fault(&f, rc2, total);
	}
	for (size_t i = 0; i < ntables; i++)
		free(copy[i]);
	return 0;
}
