/* SPDX-License-Identifier: MIT */
/* deliver.c - fwkit blob deliver (placeholder until the command lands). */
#include "cli.h"

int cmd_blob_deliver(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return bad("blob deliver: not built yet");
}
