/* SPDX-License-Identifier: MIT */
/* boot.h - what `fwkit boot verify`'s ACPI and microcode halves share. */
#ifndef FWKIT_CLI_BOOT_H
#define FWKIT_CLI_BOOT_H

#include "ledger.h"

#include <fwkit/ucode.h>

struct verify_paths {
	const char *root, *tables, *tainted, *kmsg, *ledger, *lockdown;
	const char *cpuinfo;          /* /proc/cpuinfo */
	const struct ucode_cpu *cpu;  /* --cpu; NULL: this machine's (CPUID) */
};

/* One line into the kernel log (level 5 notice, 4 warning), and stdout. */
void kmsg_line(const char *kmsg, int level, const char *text);
/* Whether the ledger already holds a record of this kind, digest and source. */
bool ledger_has(const struct ledger_record *recs, size_t n, const struct ledger_record *r);
/* --cpu SIG[,PF] as `fwkit ucode pack` takes it. */
bool parse_cpu(const char *arg, struct ucode_cpu *cpu);

/* The microcode half: EXIT_OK, EXIT_FINDING (an update the CPU needs was not
 * applied) or EXIT_BAD (unreadable or damaged file, ledger failure). */
int verify_microcode(const struct verify_paths *vp);

#endif /* FWKIT_CLI_BOOT_H */
