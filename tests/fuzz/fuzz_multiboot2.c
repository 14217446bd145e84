/* SPDX-License-Identifier: MIT */
/* fuzz_multiboot2.c - libFuzzer harness: boot_parse_multiboot2 with the
 * whole input as physical memory from 0x1000 on; the information block's
 * window offset is the input's first two bytes (little-endian), the module
 * and memory-map caps come from bytes 2 and 3.  A success must leave every
 * module either with data inside the window (and inside available RAM when
 * there is a map, overlapping no other usable module nor the block) or
 * with a problem, strings that end where their lengths say, counts within
 * caps, an RSDP copy inside the block with its signature. */
#include <stdint.h>
#include <string.h>

#include <fwkit/bootinfo.h>

#include "bootinfo_check.h"

/* The block is 8-aligned inside the window with a sane total_size, and an
 * RSDP copy (tag 14 or 15) lies inside it after the fixed part. */
static uint64_t check_multiboot2(const struct boot_window *w,
				 const struct boot_info *bi, uint64_t info)
{
	uint64_t total = fwk_le32(w->bytes + (info - w->phys));
	CHECK(info % 8 == 0 && total >= 16 && total % 8 == 0);
	CHECK(info - w->phys + total <= w->len);
	CHECK(bi->protocol == BOOT_PROTO_MULTIBOOT2 && bi->mb1_flags == 0);
	CHECK((bi->rsdp == NULL) == (bi->rsdp_tag == 0));
	if (bi->rsdp) {
		const uint8_t *blk = w->bytes + (info - w->phys);
		CHECK(bi->rsdp_tag == 14 || bi->rsdp_tag == 15);
		CHECK(bi->rsdp >= blk + 16 && bi->rsdp_len >= 20);
		CHECK((uint64_t)(bi->rsdp - blk) + bi->rsdp_len <= total);
		CHECK(memcmp(bi->rsdp, "RSD PTR ", 8) == 0);
		sink += touch(bi->rsdp, bi->rsdp_len);
	}
	return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return bootinfo_fuzz_one(data, size, boot_parse_multiboot2, check_multiboot2);
}
