/* SPDX-License-Identifier: MIT */
/* blob.c - fwkit blob pack|info|verify (placeholder until the commands land). */
#include "cli.h"

#include <string.h>

int cmd_blob(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "deliver"))
		return cmd_blob_deliver(argc - 1, argv + 1);
	return bad("blob: not built yet");
}
