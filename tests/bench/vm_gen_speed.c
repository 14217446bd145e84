/* SPDX-License-Identifier: MIT */
/*
 * vm_gen_speed.c - the library's cost of generating a guest's device tree
 * (vm_dtb) and ACPI tables (vm_acpi) without process start-up: one VM
 * description read from JSON, each generator called in a loop for the
 * given seconds, in batches of 16 calls; prints the mean and the best
 * batch's time per call in nanoseconds, and the output's size:
 *   "dtb <mean> <best> <bytes> acpi <mean> <best> <bytes> <tables>".
 * With DTB_OUT and ACPI_OUT, also writes one result of each, so the caller
 * can check they equal what `fwkit vm dtb` and `fwkit vm acpi --base` write.
 *
 * Usage: vm-gen-speed SPEC.json BASE SECONDS [DTB_OUT ACPI_OUT]
 * Built by tests/bench/bench.sh against build/libfwkit.a.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fwkit/vm.h>

#define BATCH 16u

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int fail(const char *what, const struct fwk_fault *f)
{
	fprintf(stderr, "vm-gen-speed: %s: %s (field %s at %llu%s%s)\n", what,
		fwk_strerror(f->error), f->field ? f->field : "-", (unsigned long long)f->offset,
		f->detail ? ": " : "", f->detail ? f->detail : "");
	return 1;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL && fread(p, 1, (size_t)n, fp) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(p);
		p = NULL;
	}
	fclose(fp);
	return p;
}

static int write_all(const char *path, const void *p, size_t len)
{
	FILE *fp = fopen(path, "wb");
	int ok = fp && fwrite(p, 1, len, fp) == len;

	if (fp && fclose(fp) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "vm-gen-speed: cannot write %s: %s\n", path, strerror(errno));
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	static struct vm_desc d;
	struct vm_acpi_layout lay;
	struct fwk_fault f = { 0 };
	unsigned long long ndtb = 0, nacpi = 0;
	size_t len, dtb_cap, acpi_cap, dtb_len = 0;
	double secs, t0, tdtb, tacpi, bdtb = 0, bacpi = 0;
	unsigned long long base;
	void *dtb, *acpi;
	char *text, *end;

	if ((argc != 4 && argc != 6) || (secs = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: vm-gen-speed SPEC.json BASE SECONDS [DTB_OUT ACPI_OUT]\n");
		return 2;
	}
	errno = 0;
	base = strtoull(argv[2], &end, 0);
	if (errno || *end || end == argv[2]) {
		fprintf(stderr, "vm-gen-speed: BASE '%s' is not a number\n", argv[2]);
		return 2;
	}
	if (!(text = read_all(argv[1], &len))) {
		fprintf(stderr, "vm-gen-speed: cannot read %s\n", argv[1]);
		return 2;
	}
	if (vm_parse_json(&d, text, len, &f) < 0)
		return fail(argv[1], &f);
	free(text);
	if (vm_validate(&d, &f) < 0)
		return fail("vm_validate", &f);
	dtb_cap = vm_dtb_size(&d);
	acpi_cap = vm_acpi_size(&d);
	dtb = malloc(dtb_cap);
	acpi = malloc(acpi_cap);
	if (!dtb || !acpi) {
		fprintf(stderr, "vm-gen-speed: out of memory\n");
		return 1;
	}

	/* One call of each first: its output is what gets written and sized. */
	if (vm_dtb(&d, dtb, dtb_cap, &dtb_len, &f) < 0)
		return fail("vm_dtb", &f);
	if (vm_acpi(&d, base, acpi, acpi_cap, &lay, &f) < 0)
		return fail("vm_acpi", &f);
	if (argc == 6 && (write_all(argv[4], dtb, dtb_len) || write_all(argv[5], acpi, lay.total)))
		return 1;

	/* Batches of 16 calls between clock reads, as long as asked; the best
	 * batch is the one least disturbed by other load. */
	t0 = now();
	do {
		double b = now();

		for (unsigned i = 0; i < BATCH; i++, ndtb++)
			if (vm_dtb(&d, dtb, dtb_cap, &len, &f) < 0)
				return fail("vm_dtb", &f);
		b = now() - b;
		if (bdtb == 0 || b < bdtb)
			bdtb = b;
	} while ((tdtb = now() - t0) < secs);
	t0 = now();
	do {
		double b = now();

		for (unsigned i = 0; i < BATCH; i++, nacpi++)
			if (vm_acpi(&d, base, acpi, acpi_cap, &lay, &f) < 0)
				return fail("vm_acpi", &f);
		b = now() - b;
		if (bacpi == 0 || b < bacpi)
			bacpi = b;
	} while ((tacpi = now() - t0) < secs);

	printf("dtb %.0f %.0f %zu acpi %.0f %.0f %u %u\n", tdtb * 1e9 / (double)ndtb,
	       bdtb * 1e9 / BATCH, dtb_len, tacpi * 1e9 / (double)nacpi, bacpi * 1e9 / BATCH,
	       (unsigned)lay.total, (unsigned)lay.count);
	free(dtb);
	free(acpi);
	return 0;
}
