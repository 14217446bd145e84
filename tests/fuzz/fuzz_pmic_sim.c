/* SPDX-License-Identifier: MIT */
/* fuzz_pmic_sim.c - libFuzzer harness for the simulated PMIC: arbitrary
 * mailbox transfers and power cycles never change the active image except
 * by a COMMIT of exactly what was promised at ERASE; and deliveries through
 * the engine under arbitrary faults end with the old image or the new. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwkit/pmic_sim.h>

#include "fuzzkit.h"

#define CAP 2048u

static uint8_t bank[2][CAP];
static uint8_t shadow[CAP];

struct cursor {
	const uint8_t *p;
	size_t left;
};

static uint8_t take(struct cursor *c)
{
	if (!c->left)
		return 0;
	c->left--;
	return *c->p++;
}

/* Mode 0: raw transfers.  Each step: an opcode byte, a register, a length,
 * then (writes) that many bytes from the input. */
static void raw_transfers(struct cursor *c)
{
	struct pmic_sim s;
	uint8_t buf[300];

	CHECK(pmic_sim_init(&s, "fuzz,pmic", 0, bank[0], bank[1], CAP) == 0);
	s.latency = take(c) & 3;
	for (unsigned i = 0; i < 4; i++) {
		struct pmic_sim_fault f = { .kind = (enum pmic_sim_fault_kind)(take(c) % 7),
					    .n = take(c) | (uint64_t)take(c) << 8 };
		(void)pmic_sim_add_fault(&s, &f); /* invalid ones are refused */
	}
	while (c->left) {
		uint8_t op = take(c), reg = take(c);
		size_t len = take(c) | (size_t)(op & 1) << 8;
		uint64_t alen;
		const uint8_t *active = pmic_sim_active(&s, &alen);
		uint64_t version = s.version, commits = s.commits;
		uint32_t promised_len = s.image_len;
		uint8_t promised_sha[SHA256_DIGEST_SIZE];
		memcpy(promised_sha, s.image_sha, sizeof(promised_sha));
		memcpy(shadow, active, CAP);

		switch ((op >> 1) % 4) {
		case 0:
			for (size_t i = 0; i < len && i < sizeof(buf); i++)
				buf[i] = take(c);
			if (len > sizeof(buf))
				len = sizeof(buf);
			(void)pmic_sim_i2c_write(&s, reg, buf, len);
			break;
		case 1:
			if (len > sizeof(buf))
				len = sizeof(buf);
			(void)pmic_sim_i2c_read(&s, reg, buf, len);
			break;
		case 2:
			buf[0] = (uint8_t)(reg % 6);
			(void)pmic_sim_i2c_write(&s, PMIC_REG_CMD, buf, 1);
			break;
		default:
			pmic_sim_power_on(&s);
			break;
		}
		const uint8_t *now = pmic_sim_active(&s, &alen);
		if (s.commits == commits) {
			/* No commit: the running firmware did not move by a byte. */
			CHECK(now == active);
			CHECK(s.version == version);
			CHECK(memcmp(now, shadow, CAP) == 0);
		} else {
			/* A commit installs exactly what ERASE was promised. */
			uint8_t d[SHA256_DIGEST_SIZE];
			CHECK(s.commits == commits + 1);
			CHECK(alen == promised_len);
			sha256(now, (size_t)alen, d);
			CHECK(memcmp(d, promised_sha, sizeof(d)) == 0);
		}
		CHECK(s.active_len <= CAP);
	}
}

/* Mode 1: two deliveries through the engine under faults from the input. */
static void engine_faults(struct cursor *c)
{
	static uint8_t old_img[CAP], new_img[CAP];
	struct pmic_sim s;
	struct pmic_sim_port port;
	struct fwu_result r;
	uint32_t old_len = 1 + (take(c) | (uint32_t)take(c) << 8) % CAP;
	uint32_t new_len = 1 + (take(c) | (uint32_t)take(c) << 8) % CAP;

	for (uint32_t i = 0; i < CAP; i++) {
		old_img[i] = (uint8_t)(i * 7 + 1);
		new_img[i] = (uint8_t)(i * 13 + 5);
	}
	struct fwu_image a = { .target = "fuzz,pmic", .version = 1, .payload = old_img,
			       .payload_len = old_len };
	struct fwu_image b = { .target = "fuzz,pmic", .version = 2, .payload = new_img,
			       .payload_len = new_len };
	sha256(old_img, old_len, a.sha256);
	sha256(new_img, new_len, b.sha256);
	CHECK(pmic_sim_init(&s, "fuzz,pmic", 0, bank[0], bank[1], CAP) == 0);
	pmic_sim_port_init(&port, &s);
	port.poll_limit = 20;
	struct fwu_device dev = { &pmic_sim_fwu_ops, &port, "fuzz" };
	struct fwu_options opt = { .chunk_size = 1 + take(c) % 600, .retries = take(c) % 4,
				   .poll_limit = 30 };
	CHECK(fwu_deliver(&a, &dev, &opt, &r) == FWU_DELIVERED);
	while (c->left) {
		struct pmic_sim_fault f = { .kind = (enum pmic_sim_fault_kind)(1 + take(c) % 6) };
		f.n = take(c) | (uint64_t)take(c) << 8;
		if (f.kind == PMIC_FAULT_NACK || f.kind == PMIC_FAULT_BUSY)
			f.n += s.transfers + 1;
		if (f.kind == PMIC_FAULT_POWER_COMMIT)
			f.n &= 1;
		(void)pmic_sim_add_fault(&s, &f);
	}
	int rc = fwu_deliver(&b, &dev, &opt, &r);
	CHECK(rc == FWU_DELIVERED || rc == FWU_FAILED);
	uint64_t len;
	const uint8_t *act = pmic_sim_active(&s, &len);
	bool is_old = s.version == 1 && len == old_len && !memcmp(act, old_img, old_len);
	bool is_new = s.version == 2 && len == new_len && !memcmp(act, new_img, new_len);
	CHECK(is_old || is_new);
	CHECK(rc != FWU_DELIVERED || is_new);
	CHECK(r.record.kind == LEDGER_BLOB && r.record.reason[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };

	if (take(&c) & 1)
		engine_faults(&c);
	else
		raw_transfers(&c);
	return 0;
}
