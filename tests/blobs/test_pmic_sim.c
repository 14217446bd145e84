/* SPDX-License-Identifier: MIT */
/* test_pmic_sim.c - cmocka tests of the simulated PMIC: its register mailbox
 * driven by hand, each injected fault, and, through the engine, the
 * invariant that after any fault the active bank holds the old image or the
 * whole new one with the matching version; and its directory persistence. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../support/testkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/pmic_sim.h>
#include <fwkit/upload_backends.h>

#define CAP (16u * 1024u)
#define COMPAT "acme,pmic-x1"

struct dev {
	struct pmic_sim s;
	uint8_t bank[2][CAP];
};

static struct dev *dev_new(void)
{
	struct dev *d = calloc(1, sizeof(*d));
	assert_non_null(d);
	assert_int_equal(pmic_sim_init(&d->s, COMPAT, 0, d->bank[0], d->bank[1], CAP), 0);
	return d;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

static int wr(struct pmic_sim *s, uint8_t reg, uint64_t v, unsigned n)
{
	uint8_t b[8];
	for (unsigned i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return pmic_sim_i2c_write(s, reg, b, n);
}

static uint64_t rd(struct pmic_sim *s, uint8_t reg, unsigned n)
{
	uint8_t b[8];
	uint64_t v = 0;
	assert_int_equal(pmic_sim_i2c_read(s, reg, b, n), PMIC_SIM_ACK);
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static int cmd(struct pmic_sim *s, uint8_t c)
{
	return pmic_sim_i2c_write(s, PMIC_REG_CMD, &c, 1);
}

/* STATUS once the command is done (BUSY for `latency` reads first). */
static uint8_t settle(struct pmic_sim *s)
{
	uint8_t st;
	for (unsigned i = 0; i < 100; i++) {
		st = (uint8_t)rd(s, PMIC_REG_STATUS, 1);
		if (!(st & PMIC_ST_BUSY))
			return st;
	}
	fail_msg("device stays busy");
	return 0;
}

/* ---- the device by hand ----------------------------------------------------- */

static void test_crc32(void **state)
{
	(void)state;
	/* The check value of CRC-32/ISO-HDLC (zlib's crc32). */
	assert_int_equal(pmic_sim_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(pmic_sim_crc32(0, "", 0), 0);
	uint32_t c = pmic_sim_crc32(0, "1234", 4);
	assert_int_equal(pmic_sim_crc32(c, "56789", 5), 0xcbf43926u);
}

static void test_init(void **state)
{
	(void)state;
	struct dev *d = dev_new();
	uint8_t b0[4], b1[4];
	char long_name[70];

	assert_int_equal(d->bank[0][0], PMIC_SIM_ERASED);
	assert_int_equal(d->bank[1][CAP - 1], PMIC_SIM_ERASED);
	assert_int_equal(d->s.version, 0);
	assert_int_equal(d->s.active_len, 0);
	memset(long_name, 'a', 64);
	long_name[64] = '\0';
	assert_int_equal(pmic_sim_init(&d->s, "", 0, b0, b1, 4), FWK_ERR_INVAL);
	assert_int_equal(pmic_sim_init(&d->s, long_name, 0, b0, b1, 4), FWK_ERR_INVAL);
	assert_int_equal(pmic_sim_init(&d->s, "a\tb", 0, b0, b1, 4), FWK_ERR_INVAL);
	assert_int_equal(pmic_sim_init(&d->s, "x", 0, NULL, b1, 4), FWK_ERR_INVAL);
	assert_int_equal(pmic_sim_init(&d->s, "x", 0, b0, b1, 0), FWK_ERR_INVAL);
	assert_int_equal(pmic_sim_init(&d->s, "x", 0, b0, b1, PMIC_SIM_CAPACITY_MAX + 1),
			 FWK_ERR_INVAL);
	assert_int_equal(pmic_sim_init(&d->s, "x", 7, b0, b1, 4), 0);
	assert_int_equal(pmic_sim_restore(&d->s, 2, 0, 0), FWK_ERR_INVAL);
	assert_int_equal(pmic_sim_restore(&d->s, 1, 5, 0), FWK_ERR_INVAL);
	assert_int_equal(pmic_sim_restore(&d->s, 1, 4, 9), 0);
	uint64_t len;
	assert_ptr_equal(pmic_sim_active(&d->s, &len), b1);
	assert_int_equal(len, 4);
	free(d);
}

static void test_registers(void **state)
{
	(void)state;
	struct dev *d = dev_new();
	struct pmic_sim *s = &d->s;
	uint8_t buf[PMIC_SIM_COMPAT_SIZE];

	pmic_sim_restore(s, 0, 0, 0x0102030405060708ull);
	s->instance = 0x11223344;
	assert_int_equal(rd(s, PMIC_REG_CHIP_ID, 1), PMIC_SIM_CHIP_ID);
	assert_int_equal(rd(s, PMIC_REG_VERSION, 8), 0x0102030405060708ull);
	assert_int_equal(rd(s, PMIC_REG_INSTANCE, 4), 0x11223344);
	assert_int_equal(pmic_sim_i2c_read(s, PMIC_REG_COMPAT, buf, sizeof(buf)), PMIC_SIM_ACK);
	assert_string_equal((char *)buf, COMPAT);
	assert_int_equal(buf[63], 0);
	/* Mailbox registers read back what was written. */
	assert_int_equal(wr(s, PMIC_REG_ADDR, 0xdeadbeef, 4), PMIC_SIM_ACK);
	assert_int_equal(rd(s, PMIC_REG_ADDR, 4), 0xdeadbeef);
	/* NACKs: holes, read-only registers, running off the map, empty. */
	assert_int_equal(pmic_sim_i2c_read(s, 0x03, buf, 1), PMIC_SIM_NACK);  /* CMD */
	assert_int_equal(pmic_sim_i2c_read(s, 0x4c, buf, 1), PMIC_SIM_NACK);  /* hole */
	assert_int_equal(pmic_sim_i2c_read(s, 0xbf, buf, 2), PMIC_SIM_NACK);
	assert_int_equal(pmic_sim_i2c_read(s, 0xff, buf, 2), PMIC_SIM_NACK);
	assert_int_equal(pmic_sim_i2c_read(s, PMIC_REG_CHIP_ID, buf, 0), PMIC_SIM_NACK);
	assert_int_equal(wr(s, PMIC_REG_VERSION, 1, 1), PMIC_SIM_NACK);
	assert_int_equal(wr(s, PMIC_REG_IMAGE_SHA + 30, 0, 4), PMIC_SIM_NACK);
	assert_int_equal(wr(s, 0xff, 0, 1), PMIC_SIM_NACK); /* past the mailbox */
	assert_int_equal(wr(s, PMIC_REG_ACTIVE_LEN, 0, 1), PMIC_SIM_NACK);
	uint8_t two[2] = { PMIC_CMD_ABORT, 0 };
	assert_int_equal(pmic_sim_i2c_write(s, PMIC_REG_CMD, two, 2), PMIC_SIM_NACK);
	uint8_t big[PMIC_SIM_WINDOW + 1] = { 0 };
	assert_int_equal(pmic_sim_i2c_write(s, PMIC_REG_DATA, big, sizeof(big)), PMIC_SIM_NACK);
	/* A NACKed write changed nothing: ADDR is as before. */
	assert_int_equal(rd(s, PMIC_REG_ADDR, 4), 0xdeadbeef);
	/* Every transfer counted, NACKed ones too. */
	assert_int_equal(s->transfers, 18);
	assert_int_equal(s->transfers_total, 18);
	assert_int_equal(s->writes_total, 7);
	free(d);
}

/* Stage img by hand; returns the STATUS after the last PROGRAM. */
static uint8_t stage(struct pmic_sim *s, const uint8_t *img, uint32_t len, uint64_t version,
		     const uint8_t sha[32])
{
	assert_int_equal(wr(s, PMIC_REG_IMAGE_LEN, len, 4), PMIC_SIM_ACK);
	assert_int_equal(wr(s, PMIC_REG_NEW_VERSION, version, 8), PMIC_SIM_ACK);
	assert_int_equal(pmic_sim_i2c_write(s, PMIC_REG_IMAGE_SHA, sha, 32), PMIC_SIM_ACK);
	assert_int_equal(cmd(s, PMIC_CMD_ERASE), PMIC_SIM_ACK);
	uint8_t st = settle(s);
	assert_true(st & PMIC_ST_READY);
	for (uint32_t off = 0; off < len; off += PMIC_SIM_WINDOW) {
		uint32_t n = len - off < PMIC_SIM_WINDOW ? len - off : PMIC_SIM_WINDOW;
		assert_int_equal(pmic_sim_i2c_write(s, PMIC_REG_DATA, img + off, n), PMIC_SIM_ACK);
		assert_int_equal(wr(s, PMIC_REG_ADDR, off, 4), PMIC_SIM_ACK);
		assert_int_equal(wr(s, PMIC_REG_LEN, n, 4), PMIC_SIM_ACK);
		assert_int_equal(wr(s, PMIC_REG_CRC, pmic_sim_crc32(0, img + off, n), 4),
				 PMIC_SIM_ACK);
		assert_int_equal(cmd(s, PMIC_CMD_PROGRAM), PMIC_SIM_ACK);
		st = settle(s);
		assert_false(st & PMIC_ST_ERROR);
	}
	return st;
}

static void test_update_by_hand(void **state)
{
	(void)state;
	struct dev *d = dev_new();
	struct pmic_sim *s = &d->s;
	uint8_t img[1000], sha[32];

	fill(img, sizeof(img), 1);
	sha256(img, sizeof(img), sha);
	uint8_t st = stage(s, img, sizeof(img), 3, sha);
	assert_true(st & PMIC_ST_STAGED);
	/* Staged, not yet running. */
	assert_int_equal(s->version, 0);
	assert_int_equal(rd(s, PMIC_REG_ACTIVE_LEN, 4), 0);
	assert_int_equal(cmd(s, PMIC_CMD_COMMIT), PMIC_SIM_ACK);
	/* BUSY for `latency` STATUS reads, then done. */
	assert_int_equal(rd(s, PMIC_REG_STATUS, 1), PMIC_ST_BUSY);
	st = (uint8_t)rd(s, PMIC_REG_STATUS, 1);
	assert_int_equal(st & (PMIC_ST_BUSY | PMIC_ST_ERROR), 0);
	assert_int_equal(rd(s, PMIC_REG_VERSION, 8), 3);
	assert_int_equal(rd(s, PMIC_REG_ACTIVE_LEN, 4), sizeof(img));
	uint64_t len;
	const uint8_t *a = pmic_sim_active(s, &len);
	assert_int_equal(len, sizeof(img));
	assert_memory_equal(a, img, sizeof(img));
	assert_int_equal(s->active, 1);
	assert_int_equal(s->commits, 1);
	/* A command while busy is NACKed. */
	s->latency = 3;
	assert_int_equal(cmd(s, PMIC_CMD_ABORT), PMIC_SIM_ACK);
	assert_int_equal(cmd(s, PMIC_CMD_ABORT), PMIC_SIM_NACK);
	settle(s);
	assert_int_equal(cmd(s, PMIC_CMD_ABORT), PMIC_SIM_ACK);
	free(d);
}

static uint8_t error_after(struct pmic_sim *s, uint8_t c)
{
	assert_int_equal(cmd(s, c), PMIC_SIM_ACK);
	uint8_t st = settle(s);
	return st & PMIC_ST_ERROR ? (uint8_t)rd(s, PMIC_REG_ERROR, 1) : PMIC_E_NONE;
}

static void test_device_errors(void **state)
{
	(void)state;
	struct dev *d = dev_new();
	struct pmic_sim *s = &d->s;
	uint8_t img[600], sha[32];

	fill(img, sizeof(img), 2);
	sha256(img, sizeof(img), sha);
	assert_int_equal(error_after(s, PMIC_CMD_PROGRAM), PMIC_E_SEQUENCE);
	assert_int_equal(error_after(s, PMIC_CMD_COMMIT), PMIC_E_SEQUENCE);
	assert_int_equal(error_after(s, 0x77), PMIC_E_COMMAND);
	wr(s, PMIC_REG_IMAGE_LEN, CAP + 1, 4);
	assert_int_equal(error_after(s, PMIC_CMD_ERASE), PMIC_E_LENGTH);
	wr(s, PMIC_REG_IMAGE_LEN, 0, 4);
	assert_int_equal(error_after(s, PMIC_CMD_ERASE), PMIC_E_LENGTH);

	/* A chunk beyond what was programmed (a gap), or past IMAGE_LEN. */
	wr(s, PMIC_REG_IMAGE_LEN, sizeof(img), 4);
	pmic_sim_i2c_write(s, PMIC_REG_IMAGE_SHA, sha, 32);
	assert_int_equal(error_after(s, PMIC_CMD_ERASE), PMIC_E_NONE);
	pmic_sim_i2c_write(s, PMIC_REG_DATA, img + 256, 256);
	wr(s, PMIC_REG_ADDR, 256, 4);
	wr(s, PMIC_REG_LEN, 256, 4);
	wr(s, PMIC_REG_CRC, pmic_sim_crc32(0, img + 256, 256), 4);
	assert_int_equal(error_after(s, PMIC_CMD_PROGRAM), PMIC_E_RANGE);
	wr(s, PMIC_REG_LEN, 257, 4);
	assert_int_equal(error_after(s, PMIC_CMD_PROGRAM), PMIC_E_RANGE);
	/* A wrong CRC. */
	pmic_sim_i2c_write(s, PMIC_REG_DATA, img, 256);
	wr(s, PMIC_REG_ADDR, 0, 4);
	wr(s, PMIC_REG_LEN, 256, 4);
	wr(s, PMIC_REG_CRC, pmic_sim_crc32(0, img, 256) ^ 1, 4);
	assert_int_equal(error_after(s, PMIC_CMD_PROGRAM), PMIC_E_CRC);
	assert_int_equal(s->staged, 0);
	/* Incomplete at COMMIT. */
	wr(s, PMIC_REG_CRC, pmic_sim_crc32(0, img, 256), 4);
	assert_int_equal(error_after(s, PMIC_CMD_PROGRAM), PMIC_E_NONE);
	assert_int_equal(error_after(s, PMIC_CMD_COMMIT), PMIC_E_SEQUENCE);
	free(d);

	/* Staged completely, but not what IMAGE_SHA promised. */
	d = dev_new();
	s = &d->s;
	sha[0] ^= 1;
	stage(s, img, sizeof(img), 4, sha);
	assert_int_equal(error_after(s, PMIC_CMD_COMMIT), PMIC_E_DIGEST);
	assert_int_equal(s->version, 0);
	assert_int_equal(s->active_len, 0);
	assert_int_equal(s->active, 0);
	free(d);
}

static void test_faults_by_hand(void **state)
{
	(void)state;
	struct dev *d = dev_new();
	struct pmic_sim *s = &d->s;
	struct pmic_sim_fault f = { .kind = PMIC_FAULT_NACK, .n = 3 };

	assert_int_equal(pmic_sim_add_fault(s, &f), 0);
	uint8_t b;
	assert_int_equal(pmic_sim_i2c_read(s, PMIC_REG_CHIP_ID, &b, 1), PMIC_SIM_ACK);
	assert_int_equal(pmic_sim_i2c_read(s, PMIC_REG_CHIP_ID, &b, 1), PMIC_SIM_ACK);
	assert_int_equal(pmic_sim_i2c_read(s, PMIC_REG_CHIP_ID, &b, 1), PMIC_SIM_NACK);
	assert_int_equal(pmic_sim_i2c_read(s, PMIC_REG_CHIP_ID, &b, 1), PMIC_SIM_ACK);

	/* Busy forever from transfer 6; power-on clears it. */
	f = (struct pmic_sim_fault){ .kind = PMIC_FAULT_BUSY, .n = 6 };
	assert_int_equal(pmic_sim_add_fault(s, &f), 0);
	assert_int_equal(rd(s, PMIC_REG_STATUS, 1) & PMIC_ST_BUSY, 0); /* 5 */
	for (int i = 0; i < 50; i++)
		assert_int_equal(rd(s, PMIC_REG_STATUS, 1), PMIC_ST_BUSY);
	assert_int_equal(cmd(s, PMIC_CMD_ABORT), PMIC_SIM_NACK);
	pmic_sim_power_on(s);
	assert_int_equal(rd(s, PMIC_REG_STATUS, 1) & PMIC_ST_BUSY, 0);

	/* Limits and nonsense. */
	struct pmic_sim_fault bad = { .kind = PMIC_FAULT_POWER_COMMIT, .n = 2 };
	assert_int_equal(pmic_sim_add_fault(s, &bad), FWK_ERR_INVAL);
	bad = (struct pmic_sim_fault){ .kind = PMIC_FAULT_NACK, .n = 0 };
	assert_int_equal(pmic_sim_add_fault(s, &bad), FWK_ERR_INVAL);
	bad = (struct pmic_sim_fault){ .kind = (enum pmic_sim_fault_kind)99, .n = 1 };
	assert_int_equal(pmic_sim_add_fault(s, &bad), FWK_ERR_INVAL);
	f = (struct pmic_sim_fault){ .kind = PMIC_FAULT_CRC_ONCE, .n = 1000 };
	for (unsigned i = s->nfaults; i < PMIC_SIM_MAX_FAULTS; i++)
		assert_int_equal(pmic_sim_add_fault(s, &f), 0);
	assert_int_equal(pmic_sim_add_fault(s, &f), FWK_ERR_LIMIT);
	free(d);

	/* Power lost in a PROGRAM: NACKs until power-on, staging invalid. */
	d = dev_new();
	s = &d->s;
	uint8_t img[600], sha[32];
	fill(img, sizeof(img), 3);
	sha256(img, sizeof(img), sha);
	f = (struct pmic_sim_fault){ .kind = PMIC_FAULT_POWER, .n = 300 };
	pmic_sim_add_fault(s, &f);
	wr(s, PMIC_REG_IMAGE_LEN, sizeof(img), 4);
	pmic_sim_i2c_write(s, PMIC_REG_IMAGE_SHA, sha, 32);
	assert_int_equal(error_after(s, PMIC_CMD_ERASE), PMIC_E_NONE);
	for (uint32_t off = 0; off < 512; off += 256) {
		pmic_sim_i2c_write(s, PMIC_REG_DATA, img + off, 256);
		wr(s, PMIC_REG_ADDR, off, 4);
		wr(s, PMIC_REG_LEN, 256, 4);
		wr(s, PMIC_REG_CRC, pmic_sim_crc32(0, img + off, 256), 4);
		if (off == 0) {
			assert_int_equal(error_after(s, PMIC_CMD_PROGRAM), PMIC_E_NONE);
			continue;
		}
		assert_int_equal(cmd(s, PMIC_CMD_PROGRAM), PMIC_SIM_NACK);
	}
	assert_false(s->powered);
	assert_int_equal(pmic_sim_i2c_read(s, PMIC_REG_CHIP_ID, &b, 1), PMIC_SIM_NACK);
	/* The torn write reached staging up to byte 300, the active bank nothing. */
	assert_memory_equal(d->bank[1] + 256, img + 256, 44);
	assert_int_equal(d->bank[1][300], PMIC_SIM_ERASED);
	pmic_sim_power_on(s);
	assert_int_equal(rd(s, PMIC_REG_STATUS, 1), 0); /* not READY: staging gone */
	assert_int_equal(error_after(s, PMIC_CMD_COMMIT), PMIC_E_SEQUENCE);
	assert_int_equal(s->active_len, 0);
	free(d);
}

static void test_fault_parse(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		enum pmic_sim_fault_kind kind;
		uint64_t n;
	} good[] = {
		{ "nack@1", PMIC_FAULT_NACK, 1 },
		{ "timeout@250", PMIC_FAULT_BUSY, 250 },
		{ "crc@0", PMIC_FAULT_CRC_ONCE, 0 },
		{ "crc-always@7", PMIC_FAULT_CRC_ALWAYS, 7 },
		{ "power@131072", PMIC_FAULT_POWER, 131072 },
		{ "power-commit@1", PMIC_FAULT_POWER_COMMIT, 1 },
		{ "power@9999999999999999999", PMIC_FAULT_POWER, 9999999999999999999ull },
	};
	static const char *const bad[] = {
		"nack", "nack@", "nack@0", "timeout@0", "nack@x", "nack@-1", "crc@1 ",
		"flip@3", "@3", "power-commit@2", "power@10000000000000000000", "",
	};
	struct pmic_sim_fault f;
	const char *why;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(pmic_sim_fault_parse(good[i].s, strlen(good[i].s), &f, &why), 0);
		assert_int_equal(f.kind, good[i].kind);
		assert_int_equal(f.n, good[i].n);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(pmic_sim_fault_parse(bad[i], strlen(bad[i]), &f, &why),
				 FWK_ERR_BADFIELD);
		assert_non_null(why);
	}
	/* Only len bytes count. */
	assert_int_equal(pmic_sim_fault_parse("nack@12,fault=crc@1", 7, &f, NULL), 0);
	assert_int_equal(f.n, 12);
}

/* ---- through the engine ---------------------------------------------------- */

struct image {
	uint8_t *bytes;
	uint32_t len;
	uint64_t version;
	struct fwu_image img;
};

static void image_make(struct image *im, uint32_t len, uint64_t version, uint32_t seed)
{
	im->bytes = malloc(len);
	assert_non_null(im->bytes);
	fill(im->bytes, len, seed);
	im->len = len;
	im->version = version;
	im->img = (struct fwu_image){ .target = COMPAT, .instance = 0, .type_name = "pmic",
				      .version = version, .payload = im->bytes,
				      .payload_len = len };
	sha256(im->bytes, len, im->img.sha256);
}

static int deliver(struct dev *d, const struct image *im, unsigned chunk, struct fwu_result *r)
{
	struct pmic_sim_port port;
	struct fwu_options opt = { .chunk_size = chunk, .retries = 3, .poll_limit = 100 };

	pmic_sim_port_init(&port, &d->s);
	port.poll_limit = 50;
	struct fwu_device dev = { &pmic_sim_fwu_ops, &port, "test" };
	return fwu_deliver(&im->img, &dev, &opt, r);
}

static bool runs(const struct pmic_sim *s, const struct image *im)
{
	uint64_t len;
	const uint8_t *a = pmic_sim_active(s, &len);
	return len == im->len && !memcmp(a, im->bytes, len) && s->version == im->version;
}

/* The invariant: the old image with the old version, or the new with the new. */
static void assert_consistent(const struct pmic_sim *s, const struct image *old,
			      const struct image *new)
{
	if (!runs(s, old) && !runs(s, new))
		fail_msg("device runs a mix: active_len %llu, version %llu",
			 (unsigned long long)s->active_len, (unsigned long long)s->version);
}

/* A device running `old`. */
static struct dev *dev_running(const struct image *old)
{
	struct dev *d = dev_new();
	struct fwu_result r;
	assert_int_equal(deliver(d, old, 256, &r), FWU_DELIVERED);
	assert_true(runs(&d->s, old));
	return d;
}

static void test_engine_delivers(void **state)
{
	(void)state;
	struct image v1, v2, v3;
	struct fwu_result r;

	image_make(&v1, 3000, 1, 10);
	image_make(&v2, 5000, 2, 20);
	image_make(&v3, 700, 3, 30);
	struct dev *d = dev_running(&v1);
	uint64_t before = d->s.transfers;
	assert_int_equal(deliver(d, &v2, 1000, &r), FWU_DELIVERED);
	assert_true(runs(&d->s, &v2));
	assert_int_equal(r.old_version, 1);
	assert_int_equal(r.new_version, 2);
	assert_int_equal(r.written, 5000);
	assert_string_equal(r.record.source, "pmic-sim:test");
	assert_string_equal(r.record.identity, "pmic acme,pmic-x1@0 v2");
	assert_int_equal(d->s.data_bytes_total, 3000 + 5000);
	assert_true(d->s.transfers > before);
	/* Banks alternate; a shorter image after a longer one. */
	assert_int_equal(deliver(d, &v3, 4096, &r), FWU_DELIVERED);
	assert_true(runs(&d->s, &v3));
	assert_int_equal(d->s.commits, 3);

	/* Up to date: identity and version read, nothing written. */
	uint64_t writes = d->s.writes_total, data = d->s.data_bytes_total;
	assert_int_equal(deliver(d, &v3, 256, &r), FWU_UP_TO_DATE);
	assert_int_equal(d->s.writes_total, writes);
	/* A downgrade: refused after reads only; the flash untouched. */
	uint8_t bank0[CAP], bank1[CAP];
	memcpy(bank0, d->bank[0], CAP);
	memcpy(bank1, d->bank[1], CAP);
	assert_int_equal(deliver(d, &v1, 256, &r), FWU_REFUSED);
	assert_string_equal(r.record.reason, "refused: downgrade 1 < 3");
	assert_int_equal(d->s.writes_total, writes);
	assert_int_equal(d->s.data_bytes_total, data);
	assert_memory_equal(bank0, d->bank[0], CAP);
	assert_memory_equal(bank1, d->bank[1], CAP);
	assert_true(runs(&d->s, &v3));
	/* Another device: refused the same way. */
	struct image other;
	image_make(&other, 100, 9, 40);
	other.img.target = "acme,pmic-y2";
	assert_int_equal(deliver(d, &other, 256, &r), FWU_REFUSED);
	assert_int_equal(r.refusal, FWU_REFUSE_TARGET);
	assert_int_equal(d->s.writes_total, writes);
	/* Too large for the flash: the device says so at ERASE. */
	struct image huge;
	image_make(&huge, CAP + 1, 9, 50);
	assert_int_equal(deliver(d, &huge, 256, &r), FWU_FAILED);
	assert_string_equal(r.record.reason, "failed: preparing:invalid-file-size (prepare)");
	assert_true(runs(&d->s, &v3));
	free(huge.bytes);
	free(other.bytes);
	free(v1.bytes);
	free(v2.bytes);
	free(v3.bytes);
	free(d);
}

/* One NACK anywhere is retried: every transfer of a whole delivery. */
static void test_every_nack_retried(void **state)
{
	(void)state;
	struct image v1, v2;
	struct fwu_result r;

	image_make(&v1, 1500, 1, 11);
	image_make(&v2, 1300, 2, 12);
	struct dev *d = dev_running(&v1);
	uint64_t t0 = d->s.transfers;
	assert_int_equal(deliver(d, &v2, 512, &r), FWU_DELIVERED);
	uint64_t total = d->s.transfers - t0;
	free(d);
	assert_true(total > 30);

	for (uint64_t n = 1; n <= total; n++) {
		d = dev_running(&v1);
		struct pmic_sim_fault f = { .kind = PMIC_FAULT_NACK, .n = d->s.transfers + n };
		assert_int_equal(pmic_sim_add_fault(&d->s, &f), 0);
		int rc = deliver(d, &v2, 512, &r);
		if (rc != FWU_DELIVERED)
			fail_msg("nack at transfer %llu of %llu: %s", (unsigned long long)n,
				 (unsigned long long)total, r.record.reason);
		assert_true(d->s.fault[0].fired);
		assert_true(r.retries >= 1);
		assert_true(runs(&d->s, &v2));
		free(d);
	}
	free(v1.bytes);
	free(v2.bytes);
}

/* Stuck busy from any transfer on: a timeout, and never a mix. */
static void test_every_timeout_consistent(void **state)
{
	(void)state;
	struct image v1, v2;
	struct fwu_result r;
	unsigned failed = 0, switched = 0;

	image_make(&v1, 1500, 1, 13);
	image_make(&v2, 1300, 2, 14);
	struct dev *d = dev_running(&v1);
	uint64_t t0 = d->s.transfers;
	assert_int_equal(deliver(d, &v2, 256, &r), FWU_DELIVERED);
	uint64_t total = d->s.transfers - t0;
	free(d);

	for (uint64_t n = 1; n <= total + 1; n++) {
		d = dev_running(&v1);
		struct pmic_sim_fault f = { .kind = PMIC_FAULT_BUSY, .n = d->s.transfers + n };
		pmic_sim_add_fault(&d->s, &f);
		int rc = deliver(d, &v2, 256, &r);
		assert_consistent(&d->s, &v1, &v2);
		if (rc == FWU_FAILED) {
			failed++;
			assert_int_equal(r.error, FWU_ERR_TIMEOUT);
			assert_non_null(strstr(r.record.reason, ":timeout ("));
			/* Stuck after the switch: new firmware, honestly reported failed. */
			switched += runs(&d->s, &v2);
		} else {
			assert_int_equal(rc, FWU_DELIVERED);
			assert_true(runs(&d->s, &v2));
		}
		free(d);
	}
	assert_true(failed > 0);
	assert_true(switched > 0 && switched < failed);
	free(v1.bytes);
	free(v2.bytes);
}

/* Power lost at every byte offset a chunk boundary can make interesting. */
static void test_power_loss_consistent(void **state)
{
	(void)state;
	struct image v1, v2;
	struct fwu_result r;
	const uint64_t offsets[] = { 0, 1, 100, 255, 256, 257, 511, 512, 1000, 2047, 2048,
				     4095, 4096, 5000, 6143, 6144, 6399 };

	image_make(&v1, 3000, 1, 15);
	image_make(&v2, 6400, 2, 16);
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		for (unsigned chunk = 100; chunk <= 4096; chunk *= 4) {
			struct dev *d = dev_running(&v1);
			struct pmic_sim_fault f = { .kind = PMIC_FAULT_POWER, .n = offsets[i] };
			pmic_sim_add_fault(&d->s, &f);
			assert_int_equal(deliver(d, &v2, chunk, &r), FWU_FAILED);
			assert_true(d->s.fault[0].fired);
			assert_false(d->s.powered);
			assert_int_equal(r.status, FWU_STATUS_TRANSFERRING);
			assert_int_equal(r.error, FWU_ERR_RW_ERROR);
			assert_true(runs(&d->s, &v1));
			/* Powered on again, the next attempt succeeds. */
			pmic_sim_power_on(&d->s);
			assert_true(runs(&d->s, &v1));
			assert_int_equal(deliver(d, &v2, chunk, &r), FWU_DELIVERED);
			assert_true(runs(&d->s, &v2));
			free(d);
		}
	}
	/* At COMMIT: before the switch the old image, after it the new. */
	for (uint64_t when = 0; when < 2; when++) {
		struct dev *d = dev_running(&v1);
		struct pmic_sim_fault f = { .kind = PMIC_FAULT_POWER_COMMIT, .n = when };
		pmic_sim_add_fault(&d->s, &f);
		assert_int_equal(deliver(d, &v2, 256, &r), FWU_FAILED);
		assert_int_equal(r.status, FWU_STATUS_PROGRAMMING);
		assert_string_equal(r.record.reason,
				    "failed: programming:read-write-error (poll_complete) after 3 retries");
		assert_true(runs(&d->s, when == 0 ? &v1 : &v2));
		free(d);
	}
	free(v1.bytes);
	free(v2.bytes);
}

static void test_crc_faults(void **state)
{
	(void)state;
	struct image v1, v2;
	struct fwu_result r;

	image_make(&v1, 1000, 1, 17);
	image_make(&v2, 2000, 2, 18);
	/* Once: the chunk is sent again and all is well. */
	for (uint64_t k = 0; k < 8; k++) {
		struct dev *d = dev_running(&v1);
		struct pmic_sim_fault f = { .kind = PMIC_FAULT_CRC_ONCE, .n = k };
		pmic_sim_add_fault(&d->s, &f);
		assert_int_equal(deliver(d, &v2, 256, &r), FWU_DELIVERED);
		assert_int_equal(r.retries, 1);
		assert_true(runs(&d->s, &v2));
		free(d);
	}
	/* Always: retried, then given up, the old firmware still running. */
	struct dev *d = dev_running(&v1);
	struct pmic_sim_fault f = { .kind = PMIC_FAULT_CRC_ALWAYS, .n = 5 };
	pmic_sim_add_fault(&d->s, &f);
	assert_int_equal(deliver(d, &v2, 256, &r), FWU_FAILED);
	assert_string_equal(r.record.reason,
			    "failed: transferring:read-write-error (write at byte 1280) after 3 retries");
	assert_int_equal(r.written, 1280);
	assert_true(runs(&d->s, &v1));
	free(d);
	free(v1.bytes);
	free(v2.bytes);
}

/* ---- the directory -------------------------------------------------------- */

static void test_dir_persistence(void **state)
{
	(void)state;
	char *dir = temp_dir("pmic-dir");
	char path[512], err[512];
	struct pmic_sim_dir pd;
	struct image v1;
	struct fwu_result r;

	image_make(&v1, 5000, 4, 19);
	snprintf(path, sizeof(path), "%s/dev", dir);
	assert_int_equal(pmic_sim_dir_open(&pd, path, COMPAT, 2, CAP, err, sizeof(err)), 0);
	assert_true(pd.created);
	struct pmic_sim_port port;
	pmic_sim_port_init(&port, &pd.sim);
	struct fwu_device dev = { &pmic_sim_fwu_ops, &port, path };
	v1.img.instance = 2;
	assert_int_equal(fwu_deliver(&v1.img, &dev, NULL, &r), FWU_DELIVERED);
	uint64_t transfers = pd.sim.transfers_total;
	assert_int_equal(pmic_sim_dir_save(&pd, err, sizeof(err)), 0);
	pmic_sim_dir_close(&pd);

	/* A second run finds it as it was left. */
	assert_int_equal(pmic_sim_dir_open(&pd, path, "ignored,now", 9, 0, err, sizeof(err)), 0);
	assert_false(pd.created);
	assert_string_equal(pd.sim.compatible, COMPAT);
	assert_int_equal(pd.sim.instance, 2);
	assert_int_equal(pd.sim.capacity, CAP);
	assert_true(runs(&pd.sim, &v1));
	assert_int_equal(pd.sim.transfers_total, transfers);
	assert_int_equal(pd.sim.transfers, 0);
	pmic_sim_dir_close(&pd);
	snprintf(path, sizeof(path), "%s/dev/bank%u.bin", dir, 1u);
	size_t len;
	uint8_t *bank = slurp(path, &len);
	assert_int_equal(len, CAP);
	assert_memory_equal(bank, v1.bytes, v1.len);
	free(bank);

	/* Damage is named: a bad state line, a short bank. */
	assert_int_equal(sh("cd '%s/dev' && cp state state.good && "
			    "sed -i 's/^version .*/version seven/' state", dir), 0);
	snprintf(path, sizeof(path), "%s/dev", dir);
	assert_int_equal(pmic_sim_dir_open(&pd, path, COMPAT, 0, 0, err, sizeof(err)),
			 FWK_ERR_BADFIELD);
	assert_non_null(strstr(err, "version: 'seven' is not a number"));
	pmic_sim_dir_close(&pd);
	assert_int_equal(sh("cd '%s/dev' && cp state.good state && echo 'colour blue' >> state",
			    dir), 0);
	assert_int_equal(pmic_sim_dir_open(&pd, path, COMPAT, 0, 0, err, sizeof(err)),
			 FWK_ERR_BADFIELD);
	assert_non_null(strstr(err, "unknown key 'colour'"));
	pmic_sim_dir_close(&pd);
	assert_int_equal(sh("cd '%s/dev' && cp state.good state && truncate -s 100 bank0.bin",
			    dir), 0);
	assert_int_equal(pmic_sim_dir_open(&pd, path, COMPAT, 0, 0, err, sizeof(err)),
			 FWK_ERR_TRUNCATED);
	assert_non_null(strstr(err, "bank0.bin"));
	pmic_sim_dir_close(&pd);
	free(v1.bytes);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_update_by_hand),
		cmocka_unit_test(test_device_errors),
		cmocka_unit_test(test_faults_by_hand),
		cmocka_unit_test(test_fault_parse),
		cmocka_unit_test(test_engine_delivers),
		cmocka_unit_test(test_every_nack_retried),
		cmocka_unit_test(test_every_timeout_consistent),
		cmocka_unit_test(test_power_loss_consistent),
		cmocka_unit_test(test_crc_faults),
		cmocka_unit_test(test_dir_persistence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
