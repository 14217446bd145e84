/* SPDX-License-Identifier: MIT */
/* desc.c - the VM description: defaults, validation, JSON (placeholder). */
#include <fwkit/vm.h>

void vm_default(struct vm_desc *d, enum vm_arch arch)
{
	memset(d, 0, sizeof(*d));
	d->arch = arch;
}

int vm_validate(const struct vm_desc *d, struct fwk_fault *f)
{
	(void)d;
	return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "arch", "not yet");
}

int vm_parse_json(struct vm_desc *d, const char *text, size_t len, struct fwk_fault *f)
{
	(void)d, (void)text, (void)len;
	return fwk_fail(f, FWK_ERR_UNSUPPORTED, 0, "arch", "not yet");
}
