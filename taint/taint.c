/* SPDX-License-Identifier: MIT */
/* taint.c - Linux's taint bits: letter, name and meaning of each, and the
 * taint string print_tainted() shows for a mask. */
#include <fwkit/taint.h>

/*
 * Bits, letters and names as in Linux's include/linux/panic.h and the
 * taint_flags table of kernel/panic.c; the descriptions follow
 * Documentation/admin-guide/tainted-kernels.rst.  Bit 18 ('N') arrived in
 * 6.0, bit 19 ('J', fwctl) in 6.15.
 */
static const struct taint_flag taint_table[TAINT_BITS] = {
	{ 0, 'P', 'G', "PROPRIETARY_MODULE", "a proprietary module was loaded" },
	{ 1, 'F', ' ', "FORCED_MODULE", "a module was force loaded" },
	{ 2, 'S', ' ', "CPU_OUT_OF_SPEC", "the kernel runs on an out-of-specification system" },
	{ 3, 'R', ' ', "FORCED_RMMOD", "a module was force unloaded" },
	{ 4, 'M', ' ', "MACHINE_CHECK", "the processor reported a machine check exception" },
	{ 5, 'B', ' ', "BAD_PAGE", "a bad page was referenced or a page had unexpected flags" },
	{ 6, 'U', ' ', "USER", "a user-space application asked for the taint" },
	{ 7, 'D', ' ', "DIE", "the kernel died recently (an oops or a BUG)" },
	{ 8, 'A', ' ', "OVERRIDDEN_ACPI_TABLE", "an ACPI table was overridden by the user" },
	{ 9, 'W', ' ', "WARN", "the kernel issued a warning" },
	{ 10, 'C', ' ', "CRAP", "a staging driver was loaded" },
	{ 11, 'I', ' ', "FIRMWARE_WORKAROUND", "a workaround for a platform firmware bug was applied" },
	{ 12, 'O', ' ', "OOT_MODULE", "an externally built (out-of-tree) module was loaded" },
	{ 13, 'E', ' ', "UNSIGNED_MODULE", "an unsigned module was loaded" },
	{ 14, 'L', ' ', "SOFTLOCKUP", "a soft lockup occurred" },
	{ 15, 'K', ' ', "LIVEPATCH", "the kernel was live patched" },
	{ 16, 'X', ' ', "AUX", "auxiliary taint, defined for and used by distributions" },
	{ 17, 'T', ' ', "RANDSTRUCT", "the kernel was built with the struct randomization plugin" },
	{ 18, 'N', ' ', "TEST", "an in-kernel test (such as KUnit) was run" },
	{ 19, 'J', ' ', "FWCTL", "user space used a mutating fwctl debug operation" },
};

const struct taint_flag *taint_flag(unsigned bit)
{
	return bit < TAINT_BITS ? &taint_table[bit] : NULL;
}

int taint_letters(uint64_t mask, char *out)
{
	/* Like print_tainted(): one column per defined bit; bits Linux does
	 * not define are not shown. */
	for (unsigned i = 0; i < TAINT_BITS; i++)
		out[i] = mask >> i & 1 ? taint_table[i].letter
				       : taint_table[i].clear_letter;
	out[TAINT_BITS] = '\0';
	return (int)TAINT_BITS;
}
