/* SPDX-License-Identifier: MIT */
/* member.h - which cpio members the boot pipeline acts on, and at which of
 * its steps, decided in one place for boot_classify's counts and the
 * pipeline itself. */
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

/* Steps 2 to 5 of the pipeline's contract, in their order; step 6 (the
 * rest) takes what no step does. */
enum step { STEP_UCODE, STEP_ACPI, STEP_DT, STEP_BLOB, STEPS };

/* The step that acts on a kind; STEPS for the kinds left to step 6. */
static inline enum step step_of(enum boot_kind k)
{
	switch (k) {
	case BOOT_KIND_UCODE_INTEL:
	case BOOT_KIND_UCODE_AMD: return STEP_UCODE;
	case BOOT_KIND_ACPI_TABLE: return STEP_ACPI;
	case BOOT_KIND_DT_OVERLAY: return STEP_DT;
	case BOOT_KIND_FWB: return STEP_BLOB;
	default: return STEPS;
	}
}

#endif /* FWKIT_HYP_MEMBER_H */
