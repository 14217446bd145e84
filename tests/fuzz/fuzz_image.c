/* SPDX-License-Identifier: MIT */
/* fuzz_image.c - libFuzzer harness for the hosted image loader: segment scan,
 * every decompressor, and the archives inside unpacked segments. */
#include <fwkit/initrd_image.h>

#include <stdio.h>
#include <stdlib.h>

static int touch(const struct cpio_entry *e, void *arg)
{
	uint32_t *sum = arg;

	for (uint32_t i = 0; i < e->namelen; i++)
		*sum += (uint8_t)e->name[i];
	for (uint32_t i = 0; i < e->st.size; i++)
		*sum += e->data[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct initrd_image img;
	uint32_t sum = 0;
	char text[512];

	memset(&img, 0, sizeof(img));
	img.max_unpacked = 16u << 20; /* keep decompression bombs cheap */
	if (initrd_image_open(&img, data, size) != 0) {
		initrd_image_fault_text(&img, text, sizeof(text));
		if (img.fault.field == NULL || text[0] == '\0')
			abort(); /* every failure must say where and what */
		return 0;
	}
	for (unsigned i = 0; i < img.nparts; i++) {
		const struct initrd_part *p = &img.part[i];
		if (p->seg.offset + p->seg.length > size)
			abort();
		if (initrd_part_foreach(p, touch, &sum) != 0)
			abort(); /* open() checked every archive already */
		initrd_part_dirname(&img, i, text, sizeof(text));
	}
	initrd_image_close(&img);
	return (int)(sum & 0);
}
