/* SPDX-License-Identifier: MIT */
/* ledger.h - the ledger file and the taint mask, as the fwkit command uses them. */
#ifndef FWKIT_CLI_LEDGER_H
#define FWKIT_CLI_LEDGER_H

#include <fwkit/taint.h>

#define LEDGER_DEFAULT_PATH "/run/fwkit/ledger.json"

/* All records of a ledger file (none when it does not exist).  0, or
 * EXIT_BAD after one message naming the file, line and field. */
int ledger_read(const char *path, struct ledger_record **out, size_t *n);

/* Append one record as one JSON line (creating the file and its directory).
 * 0, or EXIT_BAD after one message. */
int ledger_append(const char *path, const struct ledger_record *r);

/* Read a taint mask file such as /proc/sys/kernel/tainted. */
int taint_read(const char *path, uint64_t *mask);

/* Set one bit in a taint mask file (writing 1 << bit there, as the kernel
 * ors it in); nothing when it is already set.  0, or EXIT_BAD after one
 * message. */
int taint_add(const char *path, unsigned bit);

#endif /* FWKIT_CLI_LEDGER_H */
