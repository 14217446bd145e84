/* SPDX-License-Identifier: MIT */
/* ucode.c - fwkit ucode info|pack (placeholder until the commands land). */
#include "cli.h"

int cmd_ucode(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return bad("ucode: not built yet");
}
