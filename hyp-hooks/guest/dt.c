/* SPDX-License-Identifier: MIT */
/* dt.c - the guest's device tree (placeholder). */
#include <fwkit/vm.h>

size_t vm_dtb_size(const struct vm_desc *d)
{
	(void)d;
	return 0;
}

int vm_dtb(const struct vm_desc *d, void *buf, size_t cap, size_t *len, struct fwk_fault *f)
{
	(void)d, (void)buf, (void)cap, (void)len;
	return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "arch", "not yet");
}
