/* SPDX-License-Identifier: MIT */
/* member.h - which cpio members the boot pipeline acts on, decided in one
 * place for boot_classify's counts and the pipeline's steps. */
#ifndef FWKIT_HYP_MEMBER_H
#define FWKIT_HYP_MEMBER_H

#include <fwkit/bootpipe.h>

/*
 * The kind the pipeline takes a regular file of this archive name as
 * (name[0..n), not NUL-terminated; leading "./" dropped):
 *   BOOT_KIND_UCODE_INTEL / _AMD  UCODE_EARLY_INTEL / UCODE_EARLY_AMD;
 *   BOOT_KIND_ACPI_TABLE          anything under ACPI_INITRD_PREFIX;
 *   BOOT_KIND_DT_OVERLAY          what dt_overlay_member() takes;
 *   BOOT_KIND_FWB                 lib/firmware/...fwb;
 *   BOOT_KIND_UNKNOWN             anything else.
 * The caller checks that the member is a regular file.
 */
enum boot_kind boot_member_kind(const char *name, size_t n);

#endif /* FWKIT_HYP_MEMBER_H */
