/* SPDX-License-Identifier: MIT */
/* fuzz_multiboot1.c - libFuzzer harness: boot_parse_multiboot1 with the
 * whole input as physical memory from 0x1000 on; the info structure's
 * window offset is the input's first two bytes (little-endian), the module
 * and memory-map caps come from bytes 2 and 3.  A success must leave every
 * module either with data inside the window (and inside available RAM when
 * there is a map, overlapping no other usable module nor the info) or with
 * a problem, strings that end where their lengths say, counts within caps. */
#include <stdint.h>

#include <fwkit/bootinfo.h>

#include "bootinfo_check.h"

/* Multiboot v1 has no RSDP or tags; modules must stay clear of the info's
 * flags word. */
static uint64_t check_multiboot1(const struct boot_window *w,
				 const struct boot_info *bi, uint64_t info)
{
	(void)w;
	(void)info;
	CHECK(bi->rsdp == NULL && bi->rsdp_tag == 0 && bi->unknown_tags == 0);
	CHECK(bi->protocol == BOOT_PROTO_MULTIBOOT1);
	return 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return bootinfo_fuzz_one(data, size, boot_parse_multiboot1, check_multiboot1);
}
