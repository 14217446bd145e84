/* SPDX-License-Identifier: MIT */
/* fuzz_vm_dt_devices.c - libFuzzer harness: the input as a DTB read by
 * vm_dt_devices into 96 devices and again into 5; the input is never
 * written, a failure is a fault inside it with a field and no devices, a
 * tree read passes libfdt's full check, every device has a valid kind and
 * at most 4 interrupts, the short array gives the long one's first devices
 * or FWK_ERR_NOSPACE, and the list is in parity with itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

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

static void check_devices(const struct vm_dev *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		CHECK(v[i].kind >= VM_DEV_CPU && v[i].kind <= VM_DEV_IOAPIC);
		CHECK(v[i].nirq <= 4);
		CHECK(strcmp(vm_dev_name(v[i].kind), "unknown") != 0);
		sink += (uint32_t)v[i].base + v[i].index;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *d = malloc(size ? size : 1);
	static struct vm_dev out[CAP], few[SHORT];
	struct fwk_fault f = { 0 };
	size_t n = 12345, m = 12345;

	CHECK(d != NULL);
	if (size)
		memcpy(d, data, size);
	int rc = vm_dt_devices(d, size, out, CAP, &n, &f);
	CHECK(size == 0 || memcmp(d, data, size) == 0);
	if (rc < 0) {
		check_fault(&f, rc, size);
		CHECK(n == 0);
		CHECK(rc != FWK_ERR_INVAL);
	} else {
		CHECK(rc == 0 && n <= CAP);
		CHECK(fdt_check_full(d, size) == 0);
		check_devices(out, n);
		CHECK(vm_parity(out, n, out, n, on_diff, NULL) == 0);
	}

	memset(&f, 0, sizeof(f));
	int rc2 = vm_dt_devices(d, size, few, SHORT, &m, &f);
	if (rc == 0 && n <= SHORT) {
		CHECK(rc2 == 0 && m == n && memcmp(few, out, n * sizeof(out[0])) == 0);
	} else if (rc == 0) {
		CHECK(rc2 == FWK_ERR_NOSPACE && m == 0);
		check_fault(&f, rc2, size);
	} else {
		CHECK(rc2 < 0 && m == 0);
		check_fault(&f, rc2, size);
	}
	free(d);
	return 0;
}
