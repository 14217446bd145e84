/* SPDX-License-Identifier: MIT */
/* pmic_sim.c - the simulated PMIC (register mailbox, two flash banks, fault
 * injection) and its fwu_ops adapter, which talks to it only over I2C. */
#include <fwkit/pmic_sim.h>

#define MB_ADDR (PMIC_REG_ADDR - PMIC_REG_ADDR)
#define MB_LEN (PMIC_REG_LEN - PMIC_REG_ADDR)
#define MB_CRC (PMIC_REG_CRC - PMIC_REG_ADDR)
#define MB_IMAGE_LEN (PMIC_REG_IMAGE_LEN - PMIC_REG_ADDR)
#define MB_NEW_VERSION (PMIC_REG_NEW_VERSION - PMIC_REG_ADDR)
#define MB_IMAGE_SHA (PMIC_REG_IMAGE_SHA - PMIC_REG_ADDR)
#define MB_SIZE (PMIC_REG_ACTIVE_LEN - PMIC_REG_ADDR)

_Static_assert(MB_IMAGE_SHA + SHA256_DIGEST_SIZE == MB_SIZE, "mailbox layout");
_Static_assert(PMIC_REG_COMPAT + PMIC_SIM_COMPAT_SIZE <= PMIC_REG_DATA, "register map");

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)fwk_le32(p) | (uint64_t)fwk_le32(p + 4) << 32;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t pmic_sim_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* ---- the device ------------------------------------------------------------ */

static void volatile_reset(struct pmic_sim *s)
{
	s->busy_left = 0;
	s->status = 0;
	s->error = PMIC_E_NONE;
	memset(s->mailbox, 0, sizeof(s->mailbox));
	s->image_len = 0;
	s->new_version = 0;
	memset(s->image_sha, 0, sizeof(s->image_sha));
	memset(s->data, 0, sizeof(s->data));
	s->data_len = 0;
	s->staged = 0;
}

static void power_loss(struct pmic_sim *s)
{
	s->powered = false;
	s->busy_forever = false;
	volatile_reset(s);
}

int pmic_sim_init(struct pmic_sim *s, const char *compatible, uint32_t instance,
		  uint8_t *bank0, uint8_t *bank1, uint64_t capacity)
{
	size_t n = 0;

	if (!s || !compatible || !bank0 || !bank1 || capacity == 0 ||
	    capacity > PMIC_SIM_CAPACITY_MAX)
		return FWK_ERR_INVAL;
	for (; compatible[n]; n++)
		if (n >= PMIC_SIM_COMPAT_SIZE - 1 || compatible[n] < 0x20 || compatible[n] > 0x7e)
			return FWK_ERR_INVAL;
	if (n == 0)
		return FWK_ERR_INVAL;
	memset(s, 0, sizeof(*s));
	memcpy(s->compatible, compatible, n);
	s->instance = instance;
	s->bank[0] = bank0;
	s->bank[1] = bank1;
	s->capacity = capacity;
	memset(bank0, PMIC_SIM_ERASED, (size_t)capacity);
	memset(bank1, PMIC_SIM_ERASED, (size_t)capacity);
	s->latency = PMIC_SIM_DEFAULT_LATENCY;
	s->powered = true;
	return 0;
}

int pmic_sim_restore(struct pmic_sim *s, unsigned active_bank, uint64_t active_len,
		     uint64_t version)
{
	if (!s || active_bank > 1 || active_len > s->capacity)
		return FWK_ERR_INVAL;
	s->active = active_bank;
	s->active_len = active_len;
	s->version = version;
	return 0;
}

const uint8_t *pmic_sim_active(const struct pmic_sim *s, uint64_t *len)
{
	*len = s->active_len;
	return s->bank[s->active];
}

void pmic_sim_power_on(struct pmic_sim *s)
{
	s->powered = true;
	s->busy_forever = false;
	volatile_reset(s);
}

/* A fault of kind k that has not fired yet and whose n passes `hit`. */
static struct pmic_sim_fault *armed(struct pmic_sim *s, enum pmic_sim_fault_kind k)
{
	for (unsigned i = 0; i < s->nfaults; i++)
		if (s->fault[i].kind == k && !s->fault[i].fired)
			return &s->fault[i];
	return NULL;
}

/* Count the transfer and apply the faults that act on transfers; false
 * means NACK. */
static bool transfer_begin(struct pmic_sim *s, bool is_write)
{
	s->transfers++;
	s->transfers_total++;
	if (is_write)
		s->writes_total++;
	if (!s->powered)
		return false;
	for (unsigned i = 0; i < s->nfaults; i++) {
		struct pmic_sim_fault *f = &s->fault[i];
		if (f->fired)
			continue;
		if (f->kind == PMIC_FAULT_BUSY && s->transfers >= f->n) {
			f->fired = true;
			s->busy_forever = true;
		}
		if (f->kind == PMIC_FAULT_NACK && s->transfers == f->n) {
			f->fired = true;
			return false;
		}
	}
	return true;
}

static bool busy(const struct pmic_sim *s)
{
	return s->busy_forever || s->busy_left > 0;
}

static bool readable(unsigned a)
{
	return a <= PMIC_REG_ERROR || (a >= PMIC_REG_INSTANCE && a < PMIC_REG_ACTIVE_LEN + 4) ||
	       (a >= PMIC_REG_COMPAT && a < PMIC_REG_COMPAT + PMIC_SIM_COMPAT_SIZE);
}

static uint8_t read_byte(struct pmic_sim *s, unsigned a)
{
	if (a == PMIC_REG_CHIP_ID)
		return PMIC_SIM_CHIP_ID;
	if (a == PMIC_REG_STATUS) /* the side effect is applied once per transfer */
		return busy(s) ? PMIC_ST_BUSY : s->status;
	if (a == PMIC_REG_ERROR)
		return s->error;
	if (a >= PMIC_REG_INSTANCE && a < PMIC_REG_INSTANCE + 4)
		return (uint8_t)(s->instance >> (8 * (a - PMIC_REG_INSTANCE)));
	if (a >= PMIC_REG_VERSION && a < PMIC_REG_VERSION + 8)
		return (uint8_t)(s->version >> (8 * (a - PMIC_REG_VERSION)));
	if (a >= PMIC_REG_ADDR && a < PMIC_REG_ACTIVE_LEN)
		return s->mailbox[a - PMIC_REG_ADDR];
	if (a >= PMIC_REG_ACTIVE_LEN && a < PMIC_REG_ACTIVE_LEN + 4)
		return (uint8_t)(s->active_len >> (8 * (a - PMIC_REG_ACTIVE_LEN)));
	return (uint8_t)s->compatible[a - PMIC_REG_COMPAT];
}

int pmic_sim_i2c_read(struct pmic_sim *s, uint8_t reg, void *buf, size_t len)
{
	uint8_t *out = buf;

	if (!transfer_begin(s, false))
		return PMIC_SIM_NACK;
	if (len == 0 || len > 256u - reg)
		return PMIC_SIM_NACK;
	for (size_t i = 0; i < len; i++)
		if (!readable(reg + (unsigned)i))
			return PMIC_SIM_NACK;
	bool status_read = false;
	for (size_t i = 0; i < len; i++) {
		out[i] = read_byte(s, reg + (unsigned)i);
		status_read |= reg + i == PMIC_REG_STATUS;
	}
	if (status_read && s->busy_left > 0)
		s->busy_left--;
	return PMIC_SIM_ACK;
}

static uint8_t *staging(struct pmic_sim *s)
{
	return s->bank[s->active ^ 1u];
}

static void cmd_erase(struct pmic_sim *s)
{
	uint32_t len = fwk_le32(s->mailbox + MB_IMAGE_LEN);

	if (len == 0 || len > s->capacity) {
		s->error = PMIC_E_LENGTH;
		return;
	}
	s->image_len = len;
	s->new_version = le64(s->mailbox + MB_NEW_VERSION);
	memcpy(s->image_sha, s->mailbox + MB_IMAGE_SHA, SHA256_DIGEST_SIZE);
	memset(staging(s), PMIC_SIM_ERASED, (size_t)s->capacity);
	s->staged = 0;
	s->status |= PMIC_ST_READY;
}

static bool chunk_has(uint64_t addr, uint64_t len, uint64_t byte)
{
	return addr <= byte && byte - addr < len;
}

/* The first byte of window-sized chunk n (never matches when it overflows). */
static uint64_t chunk_start(uint64_t n)
{
	return n > UINT64_MAX / PMIC_SIM_WINDOW ? UINT64_MAX : n * PMIC_SIM_WINDOW;
}

/* false: power was lost in the middle (the command's transfer is NACKed). */
static bool cmd_program(struct pmic_sim *s)
{
	uint64_t addr = fwk_le32(s->mailbox + MB_ADDR);
	uint64_t len = fwk_le32(s->mailbox + MB_LEN);
	uint32_t want = fwk_le32(s->mailbox + MB_CRC);

	if (!(s->status & PMIC_ST_READY)) {
		s->error = PMIC_E_SEQUENCE;
		return true;
	}
	if (len == 0 || len > PMIC_SIM_WINDOW || len > s->data_len || addr > s->staged ||
	    addr + len > s->image_len) {
		s->error = PMIC_E_RANGE;
		return true;
	}
	uint32_t crc = pmic_sim_crc32(0, s->data, (size_t)len);
	struct pmic_sim_fault *f = armed(s, PMIC_FAULT_CRC_ONCE);
	if (f && chunk_has(addr, len, chunk_start(f->n))) {
		f->fired = true;
		crc = ~crc; /* as if a byte had been corrupted on the bus */
	}
	for (unsigned i = 0; i < s->nfaults; i++)
		if (s->fault[i].kind == PMIC_FAULT_CRC_ALWAYS &&
		    chunk_has(addr, len, chunk_start(s->fault[i].n)))
			crc = ~pmic_sim_crc32(0, s->data, (size_t)len);
	if (crc != want) {
		s->error = PMIC_E_CRC;
		return true;
	}
	f = armed(s, PMIC_FAULT_POWER);
	if (f && chunk_has(addr, len, f->n)) {
		f->fired = true;
		memcpy(staging(s) + addr, s->data, (size_t)(f->n - addr)); /* a torn write */
		power_loss(s);
		return false;
	}
	memcpy(staging(s) + addr, s->data, (size_t)len);
	if (addr + len > s->staged)
		s->staged = addr + len;
	if (s->staged == s->image_len)
		s->status |= PMIC_ST_STAGED;
	return true;
}

static bool cmd_commit(struct pmic_sim *s)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	if (!(s->status & PMIC_ST_STAGED)) {
		s->error = PMIC_E_SEQUENCE;
		return true;
	}
	sha256(staging(s), s->image_len, d);
	if (memcmp(d, s->image_sha, sizeof(d)) != 0) {
		s->error = PMIC_E_DIGEST;
		return true;
	}
	struct pmic_sim_fault *f = armed(s, PMIC_FAULT_POWER_COMMIT);
	if (f && f->n == 0) {
		f->fired = true;
		power_loss(s);
		return false;
	}
	/* The one step that changes what the device runs. */
	s->active ^= 1u;
	s->active_len = s->image_len;
	s->version = s->new_version;
	s->commits++;
	s->status &= (uint8_t)~(PMIC_ST_READY | PMIC_ST_STAGED);
	s->staged = 0;
	if (f && f->n == 1) {
		f->fired = true;
		power_loss(s);
		return false;
	}
	return true;
}

static int command(struct pmic_sim *s, uint8_t cmd)
{
	bool acked = true;

	s->error = PMIC_E_NONE;
	s->status &= (uint8_t)~PMIC_ST_ERROR;
	switch (cmd) {
	case PMIC_CMD_ERASE: cmd_erase(s); break;
	case PMIC_CMD_PROGRAM: acked = cmd_program(s); break;
	case PMIC_CMD_COMMIT: acked = cmd_commit(s); break;
	case PMIC_CMD_ABORT:
		s->status &= (uint8_t)~(PMIC_ST_READY | PMIC_ST_STAGED);
		s->staged = 0;
		break;
	default: s->error = PMIC_E_COMMAND; break;
	}
	if (!acked)
		return PMIC_SIM_NACK;
	if (s->error != PMIC_E_NONE)
		s->status |= PMIC_ST_ERROR;
	s->busy_left = s->latency;
	return PMIC_SIM_ACK;
}

int pmic_sim_i2c_write(struct pmic_sim *s, uint8_t reg, const void *buf, size_t len)
{
	const uint8_t *in = buf;

	if (!transfer_begin(s, true))
		return PMIC_SIM_NACK;
	if (len == 0)
		return PMIC_SIM_NACK;
	if (reg == PMIC_REG_CMD) {
		if (len != 1 || busy(s))
			return PMIC_SIM_NACK;
		return command(s, in[0]);
	}
	if (reg == PMIC_REG_DATA) {
		if (len > PMIC_SIM_WINDOW)
			return PMIC_SIM_NACK;
		memcpy(s->data, in, len);
		s->data_len = (uint32_t)len;
		s->data_bytes_total += len;
		return PMIC_SIM_ACK;
	}
	/* Only the mailbox (ADDR .. IMAGE_SHA) is writable, and only inside it. */
	if (reg < PMIC_REG_ADDR || reg >= PMIC_REG_ACTIVE_LEN ||
	    len > (size_t)PMIC_REG_ACTIVE_LEN - reg)
		return PMIC_SIM_NACK;
	memcpy(s->mailbox + (reg - PMIC_REG_ADDR), in, len);
	return PMIC_SIM_ACK;
}

/* ---- faults ----------------------------------------------------------------- */

int pmic_sim_add_fault(struct pmic_sim *s, const struct pmic_sim_fault *f)
{
	if (!s || !f || f->kind < PMIC_FAULT_NACK || f->kind > PMIC_FAULT_POWER_COMMIT)
		return FWK_ERR_INVAL;
	if (f->kind == PMIC_FAULT_POWER_COMMIT && f->n > 1)
		return FWK_ERR_INVAL;
	if ((f->kind == PMIC_FAULT_NACK || f->kind == PMIC_FAULT_BUSY) && f->n == 0)
		return FWK_ERR_INVAL;
	if (s->nfaults >= PMIC_SIM_MAX_FAULTS)
		return FWK_ERR_LIMIT;
	s->fault[s->nfaults] = *f;
	s->fault[s->nfaults].fired = false;
	s->nfaults++;
	return 0;
}

static const struct {
	const char *name;
	enum pmic_sim_fault_kind kind;
} fault_names[] = {
	{ "nack", PMIC_FAULT_NACK },
	{ "timeout", PMIC_FAULT_BUSY },
	{ "crc", PMIC_FAULT_CRC_ONCE },
	{ "crc-always", PMIC_FAULT_CRC_ALWAYS },
	{ "power", PMIC_FAULT_POWER },
	{ "power-commit", PMIC_FAULT_POWER_COMMIT },
};

int pmic_sim_fault_parse(const char *s, size_t len, struct pmic_sim_fault *f,
			 const char **why)
{
	size_t at = 0;
	const char *dummy;

	if (!why)
		why = &dummy;
	while (at < len && s[at] != '@')
		at++;
	if (at == len) {
		*why = "expected KIND@N";
		return FWK_ERR_BADFIELD;
	}
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++) {
		size_t n = 0;
		while (fault_names[i].name[n])
			n++;
		if (n == at && memcmp(s, fault_names[i].name, n) == 0)
			f->kind = fault_names[i].kind;
	}
	if (!f->kind) {
		*why = "unknown fault (nack, timeout, crc, crc-always, power, power-commit)";
		return FWK_ERR_BADFIELD;
	}
	if (at + 1 == len || len - at - 1 > 19) {
		*why = "N must be a decimal number below 10^19";
		return FWK_ERR_BADFIELD;
	}
	for (size_t i = at + 1; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			*why = "N must be a decimal number below 10^19";
			return FWK_ERR_BADFIELD;
		}
		f->n = f->n * 10 + (uint64_t)(s[i] - '0');
	}
	if ((f->kind == PMIC_FAULT_NACK || f->kind == PMIC_FAULT_BUSY) && f->n == 0) {
		*why = "transfers count from 1";
		return FWK_ERR_BADFIELD;
	}
	if (f->kind == PMIC_FAULT_POWER_COMMIT && f->n > 1) {
		*why = "power-commit is @0 (before the bank switch) or @1 (after it)";
		return FWK_ERR_BADFIELD;
	}
	return 0;
}

/* ---- the engine's adapter ------------------------------------------------- */

static enum fwu_err port_wait(struct pmic_sim_port *p, uint8_t *st)
{
	unsigned limit = p->poll_limit ? p->poll_limit : PMIC_SIM_POLL_LIMIT;

	for (unsigned i = 0; i < limit; i++) {
		if (pmic_sim_i2c_read(p->sim, PMIC_REG_STATUS, st, 1) != PMIC_SIM_ACK)
			return FWU_ERR_RW_ERROR;
		if (!(*st & PMIC_ST_BUSY))
			return FWU_ERR_NONE;
	}
	return FWU_ERR_TIMEOUT;
}

/* Issue cmd and wait for its result, mapped to Linux's vocabulary. */
static enum fwu_err port_command(struct pmic_sim_port *p, uint8_t cmd)
{
	uint8_t st, code;
	enum fwu_err e;

	if (pmic_sim_i2c_write(p->sim, PMIC_REG_CMD, &cmd, 1) != PMIC_SIM_ACK)
		return FWU_ERR_RW_ERROR;
	if ((e = port_wait(p, &st)) != FWU_ERR_NONE)
		return e;
	if (!(st & PMIC_ST_ERROR))
		return FWU_ERR_NONE;
	if (pmic_sim_i2c_read(p->sim, PMIC_REG_ERROR, &code, 1) != PMIC_SIM_ACK)
		return FWU_ERR_RW_ERROR;
	if (code == PMIC_E_CRC)
		return FWU_ERR_RW_ERROR;
	if (code == PMIC_E_LENGTH)
		return FWU_ERR_INVALID_SIZE;
	return FWU_ERR_HW_ERROR;
}

static enum fwu_err port_identity(void *ctx, struct fwu_identity *id)
{
	struct pmic_sim_port *p = ctx;
	uint8_t chip, inst[4], compat[PMIC_SIM_COMPAT_SIZE];
	size_t n = 0;

	if (pmic_sim_i2c_read(p->sim, PMIC_REG_CHIP_ID, &chip, 1) != PMIC_SIM_ACK ||
	    pmic_sim_i2c_read(p->sim, PMIC_REG_INSTANCE, inst, 4) != PMIC_SIM_ACK ||
	    pmic_sim_i2c_read(p->sim, PMIC_REG_COMPAT, compat, sizeof(compat)) != PMIC_SIM_ACK)
		return FWU_ERR_RW_ERROR;
	if (chip != PMIC_SIM_CHIP_ID)
		return FWU_ERR_HW_ERROR;
	while (n < sizeof(compat) - 1 && compat[n])
		n++;
	memcpy(id->compatible, compat, n);
	id->compatible[n] = '\0';
	id->compatible_len = n + 1;
	id->instance = fwk_le32(inst);
	id->any_target = false;
	return FWU_ERR_NONE;
}

static enum fwu_err port_read_version(void *ctx, uint64_t *version)
{
	struct pmic_sim_port *p = ctx;
	uint8_t v[8];

	if (pmic_sim_i2c_read(p->sim, PMIC_REG_VERSION, v, 8) != PMIC_SIM_ACK)
		return FWU_ERR_RW_ERROR;
	*version = le64(v);
	return FWU_ERR_NONE;
}

static enum fwu_err port_prepare(void *ctx, const uint8_t *data, uint64_t size,
				 const struct fwu_image *img)
{
	struct pmic_sim_port *p = ctx;
	uint8_t regs[MB_SIZE - MB_IMAGE_LEN], st;
	enum fwu_err e;

	(void)data;
	if (size == 0 || size > 0xffffffffu)
		return FWU_ERR_INVALID_SIZE;
	p->commit_sent = false;
	if ((e = port_wait(p, &st)) != FWU_ERR_NONE)
		return e;
	/* IMAGE_LEN, NEW_VERSION and IMAGE_SHA are adjacent: one transfer. */
	put_le(regs, size, 4);
	put_le(regs + (MB_NEW_VERSION - MB_IMAGE_LEN), img->version, 8);
	memcpy(regs + (MB_IMAGE_SHA - MB_IMAGE_LEN), img->sha256, SHA256_DIGEST_SIZE);
	if (pmic_sim_i2c_write(p->sim, PMIC_REG_IMAGE_LEN, regs, sizeof(regs)) != PMIC_SIM_ACK)
		return FWU_ERR_RW_ERROR;
	return port_command(p, PMIC_CMD_ERASE);
}

static enum fwu_err port_write(void *ctx, const uint8_t *data, uint64_t offset,
			       uint64_t size, uint64_t *written)
{
	struct pmic_sim_port *p = ctx;
	uint8_t regs[MB_IMAGE_LEN - MB_ADDR], st;
	uint64_t n = size < PMIC_SIM_WINDOW ? size : PMIC_SIM_WINDOW;
	enum fwu_err e;

	if (offset > 0xffffffffu)
		return FWU_ERR_INVALID_SIZE;
	if ((e = port_wait(p, &st)) != FWU_ERR_NONE)
		return e;
	put_le(regs + MB_ADDR, offset, 4);
	put_le(regs + MB_LEN, n, 4);
	put_le(regs + MB_CRC, pmic_sim_crc32(0, data + offset, (size_t)n), 4);
	if (pmic_sim_i2c_write(p->sim, PMIC_REG_DATA, data + offset, (size_t)n) != PMIC_SIM_ACK ||
	    pmic_sim_i2c_write(p->sim, PMIC_REG_ADDR, regs, sizeof(regs)) != PMIC_SIM_ACK)
		return FWU_ERR_RW_ERROR;
	if ((e = port_command(p, PMIC_CMD_PROGRAM)) != FWU_ERR_NONE)
		return e;
	*written = n;
	return FWU_ERR_NONE;
}

/* COMMIT once (again only if it was NACKed), then one STATUS read per call:
 * BUSY tells the engine to ask again. */
static enum fwu_err port_poll_complete(void *ctx, enum fwu_status *status)
{
	struct pmic_sim_port *p = ctx;
	uint8_t cmd = PMIC_CMD_COMMIT, st, code;
	enum fwu_err e;

	*status = FWU_STATUS_PROGRAMMING;
	if (!p->commit_sent) {
		if ((e = port_wait(p, &st)) != FWU_ERR_NONE)
			return e;
		if (pmic_sim_i2c_write(p->sim, PMIC_REG_CMD, &cmd, 1) != PMIC_SIM_ACK)
			return FWU_ERR_RW_ERROR;
		p->commit_sent = true;
	}
	if (pmic_sim_i2c_read(p->sim, PMIC_REG_STATUS, &st, 1) != PMIC_SIM_ACK)
		return FWU_ERR_RW_ERROR;
	if (st & PMIC_ST_BUSY)
		return FWU_ERR_BUSY;
	if (!(st & PMIC_ST_ERROR))
		return FWU_ERR_NONE;
	if (pmic_sim_i2c_read(p->sim, PMIC_REG_ERROR, &code, 1) != PMIC_SIM_ACK)
		return FWU_ERR_RW_ERROR;
	(void)code; /* a wrong length or digest at COMMIT: the device says no */
	return FWU_ERR_HW_ERROR;
}

static void port_cancel(void *ctx)
{
	struct pmic_sim_port *p = ctx;
	uint8_t cmd = PMIC_CMD_ABORT;

	/* Best effort: a device without power or stuck busy NACKs it, and
	 * staging is not valid after a power loss anyway. */
	(void)pmic_sim_i2c_write(p->sim, PMIC_REG_CMD, &cmd, 1);
	p->commit_sent = false;
}

static void port_cleanup(void *ctx)
{
	struct pmic_sim_port *p = ctx;

	p->commit_sent = false;
}

const struct fwu_ops pmic_sim_fwu_ops = {
	.name = "pmic-sim",
	.identity = port_identity,
	.read_version = port_read_version,
	.prepare = port_prepare,
	.write = port_write,
	.poll_complete = port_poll_complete,
	.cancel = port_cancel,
	.cleanup = port_cleanup,
};

void pmic_sim_port_init(struct pmic_sim_port *p, struct pmic_sim *s)
{
	memset(p, 0, sizeof(*p));
	p->sim = s;
}
