/* SPDX-License-Identifier: MIT */
/* parity.c - what a DTB and ACPI tables describe, compared (placeholder). */
#include <fwkit/vm.h>

int vm_dt_devices(const void *dtb, size_t len, struct vm_dev *out, size_t cap, size_t *n,
		  struct fwk_fault *f)
{
	(void)dtb, (void)len, (void)out, (void)cap, (void)n;
	return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "dtb", "not yet");
}

int vm_acpi_devices(const struct vm_blob *tables, size_t ntables, struct vm_dev *out,
		    size_t cap, size_t *n, struct fwk_fault *f)
{
	(void)tables, (void)ntables, (void)out, (void)cap, (void)n;
	return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "acpi", "not yet");
}

size_t vm_parity(const struct vm_dev *dt, size_t ndt, const struct vm_dev *acpi, size_t nacpi,
		 vm_mismatch_fn fn, void *ctx)
{
	(void)dt, (void)ndt, (void)acpi, (void)nacpi, (void)fn, (void)ctx;
	return 0;
}

const char *vm_dev_name(unsigned kind)
{
	(void)kind;
	return "device";
}
