/* SPDX-License-Identifier: MIT */
/*
 * sha256_speed.c - fwkit's SHA-256 throughput measured the way
 * `openssl speed -evp sha256 -bytes 16384` measures OpenSSL's: one whole
 * digest (init, update, final) per 16 KiB message, as many as fit in the
 * given seconds; prints "<impl> <bytes per second>".
 *
 * Usage: sha256-speed [--portable] SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fwkit/sha256.h>

#define MESSAGE_BYTES 16384u

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static uint8_t msg[MESSAGE_BYTES];
	enum sha256_impl impl = sha256_best_impl();
	uint8_t d[SHA256_DIGEST_SIZE], acc = 0;
	unsigned long long n = 0;
	double secs, start, end;
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "--portable")) {
		impl = SHA256_IMPL_PORTABLE;
		i++;
	}
	if (argc != i + 1 || (secs = atof(argv[i])) <= 0) {
		fprintf(stderr, "usage: sha256-speed [--portable] SECONDS\n");
		return 2;
	}
	for (size_t k = 0; k < sizeof(msg); k++)
		msg[k] = (uint8_t)(k * 131 + 7);
	start = now();
	do {
		for (unsigned r = 0; r < 16; r++, n++) {
			struct sha256_ctx c;

			sha256_init_impl(&c, impl);
			sha256_update(&c, msg, sizeof(msg));
			sha256_final(&c, d);
			acc ^= d[0]; /* keeps the work from being optimised away */
			msg[0] = acc;
		}
		end = now();
	} while (end - start < secs);
	printf("%s %.0f\n", sha256_impl_name(impl), (double)n * MESSAGE_BYTES / (end - start));
	return 0;
}
