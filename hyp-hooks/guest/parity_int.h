/* SPDX-License-Identifier: MIT */
/* parity_int.h - what the two parity readers (parity.c, parity_aml.c) share. */
#ifndef FWKIT_GUEST_PARITY_INT_H
#define FWKIT_GUEST_PARITY_INT_H

#include <fwkit/vm.h>

/* Appends a zeroed device of kind at base/size/index to out[*n], or fails
 * with FWK_ERR_NOSPACE (field "out", the given detail) and returns NULL. */
struct vm_dev *vm_dev_append(struct vm_dev *out, size_t cap, size_t *n, struct fwk_fault *f,
			     const char *full, unsigned kind, uint64_t base, uint64_t size,
			     uint32_t index);

#endif /* FWKIT_GUEST_PARITY_INT_H */
