/* SPDX-License-Identifier: MIT */
/* acpi.c - the guest's ACPI tables (placeholder). */
#include <fwkit/vm.h>

size_t vm_acpi_size(const struct vm_desc *d)
{
	(void)d;
	return 0;
}

int vm_acpi(const struct vm_desc *d, uint64_t base, void *buf, size_t cap,
	    struct vm_acpi_layout *out, struct fwk_fault *f)
{
	(void)d, (void)base, (void)buf, (void)cap, (void)out;
	return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "arch", "not yet");
}
