/* SPDX-License-Identifier: MIT */
/* main.c - the fwkit command: dispatch to the command groups. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char main_help[] =
	"usage: fwkit COMMAND [ARGS...]\n"
	"\n"
	"fwkit gets firmware tables and blobs from an initramfs or boot modules to\n"
	"where they take effect, checking every byte on the way.\n"
	"\n"
	"Commands:\n"
	"  initrd ls|extract|build|prepend   read and write multi-segment initramfs images\n"
	"  acpi info|check|fix|compile|pack  check ACPI tables and ship them in an initrd\n"
	"  ucode info|pack                   check Intel/AMD microcode, pack an early cpio\n"
	"  blob pack|info|verify|deliver     signed device firmware containers (.fwb)\n"
	"  dt check|info|apply               check device trees, apply overlays\n"
	"  boot verify                       in the initramfs: confirm, taint and record\n"
	"  boot scan [--json] MODULE[:CMDLINE]...   the hypervisor pipeline over module files\n"
	"  taint show|decode                 the kernel's taint bits and fwkit's ledger\n"
	"  vm dtb|acpi|check|map             a guest's device tree and ACPI tables from one\n"
	"                                    VM description, and their parity\n"
	"\n"
	"Run 'fwkit COMMAND --help' for a command's options.  Exit status: 0 success,\n"
	"1 a finding to act on, 2 bad usage or bad input.\n";

int main(int argc, char **argv)
{
	opterr = 0; /* every command prints its own one-line option errors */
	if (argc < 2) {
		fputs(main_help, stderr);
		return EXIT_BAD;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(main_help, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("fwkit %s\n", FWKIT_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "initrd"))
		return cmd_initrd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "acpi"))
		return cmd_acpi(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ucode"))
		return cmd_ucode(argc - 1, argv + 1);
	if (!strcmp(argv[1], "blob"))
		return cmd_blob(argc - 1, argv + 1);
	if (!strcmp(argv[1], "dt"))
		return cmd_dt(argc - 1, argv + 1);
	if (!strcmp(argv[1], "boot"))
		return cmd_boot(argc - 1, argv + 1);
	if (!strcmp(argv[1], "taint"))
		return cmd_taint(argc - 1, argv + 1);
	if (!strcmp(argv[1], "vm"))
		return cmd_vm(argc - 1, argv + 1);
	fprintf(stderr, "fwkit: unknown command '%s' (see 'fwkit --help')\n", argv[1]);
	return EXIT_BAD;
}
