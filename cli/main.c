/* SPDX-License-Identifier: MIT */
/* main.c - the fwkit command: dispatch to the command groups. */
#include "cli.h"

#include <string.h>

static const char main_help[] =
	"usage: fwkit COMMAND [ARGS...]\n"
	"\n"
	"fwkit gets firmware tables and blobs from an initramfs or boot modules to\n"
	"where they take effect, checking every byte on the way.\n"
	"\n"
	"Commands:\n"
	"  initrd ls|extract|build|prepend   read and write multi-segment initramfs images\n"
	"\n"
	"Run 'fwkit COMMAND --help' for a command's options.  Exit status: 0 success,\n"
	"1 a finding to act on, 2 bad usage or bad input.\n";

int main(int argc, char **argv)
{
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
	fprintf(stderr, "fwkit: unknown command '%s' (see 'fwkit --help')\n", argv[1]);
	return EXIT_BAD;
}
