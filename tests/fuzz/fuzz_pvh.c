/* SPDX-License-Identifier: MIT */
/* fuzz_pvh.c - libFuzzer harness: boot_parse_pvh with the whole input as
 * physical memory from 0x1000 on; the hvm_start_info's window offset is
 * the input's first two bytes (little-endian), the module and memory-map
 * caps come from bytes 2 and 3.  A success must leave every
 * module either with data inside the window (and inside available RAM when
 * there is a map, overlapping no other usable module nor the info) or with
 * a problem, strings that end where their lengths say, counts within caps. */
#include <stdint.h>

#include <fwkit/bootinfo.h>

#include "bootinfo_check.h"

/* A version 0 or 1 start info with its magic inside the window; only
 * version 1 carries a memory map; no RSDP copy or tags. */
static uint64_t check_pvh(const struct boot_window *w, const struct boot_info *bi,
			  uint64_t info)
{
	CHECK(bi->rsdp == NULL && bi->rsdp_tag == 0 && bi->unknown_tags == 0);
	CHECK(bi->protocol == BOOT_PROTO_PVH && bi->pvh_version <= 1);
	uint64_t len = bi->pvh_version ? 56 : 40;
	CHECK(info >= w->phys && info - w->phys + len <= w->len);
	CHECK(fwk_le32(w->bytes + (info - w->phys)) == PVH_START_MAGIC);
	CHECK(bi->nmmap == 0 || bi->pvh_version == 1);
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return bootinfo_fuzz_one(data, size, boot_parse_pvh, check_pvh);
}
