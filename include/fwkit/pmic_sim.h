/* SPDX-License-Identifier: MIT */
/*
 * fwkit/pmic_sim.h - a simulated PMIC with a firmware-update mailbox behind
 * I2C-style register access, and the adapter that lets fwu_deliver() update
 * it; with fault injection (NACK, a device stuck busy, CRC errors, power
 * loss) to show that an update never leaves the device with a mix of old and
 * new firmware.
 *
 * The device.  Its flash has two banks of `capacity` bytes each: the active
 * bank holds the firmware it runs (active_len bytes, version in VERSION),
 * the other is staging.  An update erases staging, programs it a chunk at a
 * time (each chunk carries a CRC-32 the device checks), and COMMIT switches
 * banks in one step after checking that every byte of IMAGE_LEN was
 * programmed and that the staged image hashes to IMAGE_SHA (SHA-256, given
 * before the erase); NEW_VERSION becomes VERSION in that same step.  The
 * active bank is never written.  Power loss drops everything volatile
 * (registers, the staged image's validity) and the device NACKs until
 * pmic_sim_power_on(); flash keeps its contents.
 *
 * Registers (8-bit addresses; multi-byte values little-endian; a transfer
 * auto-increments the register address, except at DATA; a transfer that
 * touches an address that is not readable, resp. writable, is NACKed
 * whole and has no effect):
 *
 *   0x00 CHIP_ID     r   1   PMIC_SIM_CHIP_ID
 *   0x01 STATUS      r   1   PMIC_ST_* bits; each read while a command is
 *                            still running counts down its latency
 *   0x02 ERROR       r   1   why the last command failed (PMIC_E_*)
 *   0x03 CMD         w   1   PMIC_CMD_*, alone in its transfer; NACKed busy
 *   0x04 INSTANCE    r   4
 *   0x08 VERSION     r   8   the active image's version
 *   0x10 ADDR        rw  4   staging offset of the chunk in DATA
 *   0x14 LEN         rw  4   its length, 1..PMIC_SIM_WINDOW
 *   0x18 CRC         rw  4   its CRC-32 (IEEE 802.3, as zlib's crc32)
 *   0x1c IMAGE_LEN   rw  4   the whole image's length
 *   0x20 NEW_VERSION rw  8   the version COMMIT installs
 *   0x28 IMAGE_SHA   rw  32  SHA-256 of the whole image
 *   0x48 ACTIVE_LEN  r   4   length of the active image
 *   0x80 COMPAT      r   64  compatible string, NUL padded
 *   0xf0 DATA        w   up to PMIC_SIM_WINDOW bytes per transfer, stored
 *                            from the start of the window
 *
 * Commands: ERASE (needs 1 <= IMAGE_LEN <= capacity), PROGRAM (after ERASE;
 * LEN bytes of DATA at ADDR, ADDR no further than the bytes programmed so
 * far, so a chunk may be sent again), COMMIT (every byte programmed, digest
 * right), ABORT (drop staging).  A command sets STATUS.BUSY for `latency`
 * STATUS reads, then shows its result: ERROR set (and the ERROR register)
 * or not.
 *
 * Hosted module (a stand-in device for tests and the demo, not something a
 * boot environment carries), though it allocates nothing and does no I/O:
 * the state lives in the caller's struct pmic_sim and the caller's two
 * flash buffers.
 */
#ifndef FWKIT_PMIC_SIM_H
#define FWKIT_PMIC_SIM_H

#include <fwkit/fwupload.h>

#define PMIC_SIM_CHIP_ID 0x5au
#define PMIC_SIM_WINDOW 256u
#define PMIC_SIM_COMPAT_SIZE 64u
#define PMIC_SIM_CAPACITY_MAX 0xffffffffull
#define PMIC_SIM_MAX_FAULTS 8u
#define PMIC_SIM_ERASED 0xffu       /* an erased flash byte */
#define PMIC_SIM_DEFAULT_LATENCY 1u

/* Register addresses. */
enum {
	PMIC_REG_CHIP_ID = 0x00,
	PMIC_REG_STATUS = 0x01,
	PMIC_REG_ERROR = 0x02,
	PMIC_REG_CMD = 0x03,
	PMIC_REG_INSTANCE = 0x04,
	PMIC_REG_VERSION = 0x08,
	PMIC_REG_ADDR = 0x10,
	PMIC_REG_LEN = 0x14,
	PMIC_REG_CRC = 0x18,
	PMIC_REG_IMAGE_LEN = 0x1c,
	PMIC_REG_NEW_VERSION = 0x20,
	PMIC_REG_IMAGE_SHA = 0x28,
	PMIC_REG_ACTIVE_LEN = 0x48,
	PMIC_REG_COMPAT = 0x80,
	PMIC_REG_DATA = 0xf0
};

/* STATUS bits. */
#define PMIC_ST_BUSY 0x01u    /* a command is running */
#define PMIC_ST_ERROR 0x02u   /* the last command failed: see ERROR */
#define PMIC_ST_READY 0x04u   /* staging erased, taking chunks */
#define PMIC_ST_STAGED 0x08u  /* every byte of IMAGE_LEN programmed */

/* ERROR values. */
enum {
	PMIC_E_NONE = 0,
	PMIC_E_CRC = 1,      /* the chunk's CRC-32 is not CRC's */
	PMIC_E_RANGE = 2,    /* LEN, or ADDR + LEN, out of range; a gap */
	PMIC_E_SEQUENCE = 3, /* PROGRAM before ERASE, COMMIT before all is staged */
	PMIC_E_LENGTH = 4,   /* IMAGE_LEN 0 or larger than the flash bank */
	PMIC_E_DIGEST = 5,   /* the staged image does not hash to IMAGE_SHA */
	PMIC_E_COMMAND = 6   /* no such command */
};

/* CMD values. */
enum {
	PMIC_CMD_ERASE = 0x01,
	PMIC_CMD_PROGRAM = 0x02,
	PMIC_CMD_COMMIT = 0x03,
	PMIC_CMD_ABORT = 0x04
};

/* Transfer results. */
#define PMIC_SIM_ACK 0
#define PMIC_SIM_NACK (-1)

/* Faults to inject; n's meaning depends on the kind. */
enum pmic_sim_fault_kind {
	PMIC_FAULT_NACK = 1,      /* "nack@N": transfer N (from 1, counted since
				     pmic_sim_init) is NACKed, once */
	PMIC_FAULT_BUSY,          /* "timeout@N": from transfer N on, STATUS
				     stays BUSY and commands are NACKed, until
				     power-on */
	PMIC_FAULT_CRC_ONCE,      /* "crc@N": the first PROGRAM of chunk N (the
				     one holding byte N * PMIC_SIM_WINDOW) sees
				     a corrupted byte and reports a CRC error */
	PMIC_FAULT_CRC_ALWAYS,    /* "crc-always@N": every PROGRAM of chunk N */
	PMIC_FAULT_POWER,         /* "power@N": power is lost when programming
				     reaches staging byte N */
	PMIC_FAULT_POWER_COMMIT   /* "power-commit@0": power is lost at COMMIT
				     before the bank switch; "@1": right after it */
};

struct pmic_sim_fault {
	enum pmic_sim_fault_kind kind;
	uint64_t n;
	bool fired;
};

/* The device.  Read any field; change them only through the functions. */
struct pmic_sim {
	/* What it is. */
	char compatible[PMIC_SIM_COMPAT_SIZE];
	uint32_t instance;
	/* Non-volatile. */
	uint8_t *bank[2];
	uint64_t capacity;
	unsigned active;          /* the bank it runs from */
	uint64_t active_len;
	uint64_t version;
	/* Volatile. */
	bool powered;
	bool busy_forever;
	unsigned latency;         /* STATUS reads a command stays BUSY */
	unsigned busy_left;
	uint8_t status, error;
	uint8_t mailbox[PMIC_REG_ACTIVE_LEN - PMIC_REG_ADDR]; /* ADDR .. IMAGE_SHA */
	/* IMAGE_LEN, NEW_VERSION and IMAGE_SHA as ERASE latched them. */
	uint32_t image_len;
	uint64_t new_version;
	uint8_t image_sha[SHA256_DIGEST_SIZE];
	uint8_t data[PMIC_SIM_WINDOW];
	uint32_t data_len;
	uint64_t staged;          /* bytes programmed from offset 0 on */
	/* Counters: all transfers (NACKed ones too), write transfers, bytes
	 * written to DATA.  transfers_total and friends carry over when a
	 * caller restores them; `transfers` restarts at pmic_sim_init and is
	 * what fault numbers count. */
	uint64_t transfers;
	uint64_t transfers_total, writes_total, data_bytes_total;
	uint64_t commits;
	struct pmic_sim_fault fault[PMIC_SIM_MAX_FAULTS];
	unsigned nfaults;
};

/*
 * Set up a powered device with two erased banks (filled with
 * PMIC_SIM_ERASED), version 0 and an empty active image.  bank0 and bank1
 * are the caller's, capacity bytes each, and stay in use.  Returns 0, or
 * FWK_ERR_INVAL: a compatible string that is empty, longer than 63 bytes
 * or not printable ASCII; a NULL bank; capacity 0 or above
 * PMIC_SIM_CAPACITY_MAX.
 */
int pmic_sim_init(struct pmic_sim *s, const char *compatible, uint32_t instance,
		  uint8_t *bank0, uint8_t *bank1, uint64_t capacity);

/*
 * Put back the non-volatile state a previous run left (the banks' contents
 * are already in the caller's buffers).  Returns 0, or FWK_ERR_INVAL for a
 * bank other than 0 or 1 or an active_len above the capacity.
 */
int pmic_sim_restore(struct pmic_sim *s, unsigned active_bank, uint64_t active_len,
		     uint64_t version);

/* The active image: a pointer into its bank, and its length in *len. */
const uint8_t *pmic_sim_active(const struct pmic_sim *s, uint64_t *len);

/*
 * One I2C transfer: write len bytes to registers reg, reg+1, ... (DATA:
 * into the window), or read them.  Returns PMIC_SIM_ACK, or PMIC_SIM_NACK
 * (nothing happened): no power, an injected NACK, an address or length the
 * register map does not allow, a command while busy.
 */
int pmic_sim_i2c_write(struct pmic_sim *s, uint8_t reg, const void *buf, size_t len);
int pmic_sim_i2c_read(struct pmic_sim *s, uint8_t reg, void *buf, size_t len);

/* Power on again after a loss: volatile state reset, a stuck BUSY cleared. */
void pmic_sim_power_on(struct pmic_sim *s);

/* Arm a fault.  Returns 0, FWK_ERR_INVAL (unknown kind; power-commit with
 * n > 1; nack@0 or timeout@0, since transfers count from 1), FWK_ERR_LIMIT
 * (PMIC_SIM_MAX_FAULTS armed already). */
int pmic_sim_add_fault(struct pmic_sim *s, const struct pmic_sim_fault *f);

/*
 * Parse "KIND@N" (s[0..len), no NUL needed): nack, timeout, crc,
 * crc-always, power, power-commit; N decimal.  Returns 0, or
 * FWK_ERR_BADFIELD (unknown kind, bad number) with a static reason in *why.
 */
int pmic_sim_fault_parse(const char *s, size_t len, struct pmic_sim_fault *f,
			 const char **why);

/* CRC-32 (IEEE 802.3, reflected, as zlib): start with crc = 0. */
uint32_t pmic_sim_crc32(uint32_t crc, const void *data, size_t len);

/*
 * The engine's view of the device: fwu_ops that speak only through
 * pmic_sim_i2c_read/write.  Each command is followed by STATUS reads until
 * BUSY clears; more than poll_limit of them is FWU_ERR_TIMEOUT.  A NACK is
 * FWU_ERR_RW_ERROR, a CRC error FWU_ERR_RW_ERROR (both retried by the
 * engine), a refused image length FWU_ERR_INVALID_SIZE, any other device
 * error FWU_ERR_HW_ERROR.  Payloads above the 32-bit IMAGE_LEN are
 * FWU_ERR_INVALID_SIZE.
 */
#define PMIC_SIM_POLL_LIMIT 1000u
struct pmic_sim_port {
	struct pmic_sim *sim;
	unsigned poll_limit;      /* 0: PMIC_SIM_POLL_LIMIT */
	bool commit_sent;
};
extern const struct fwu_ops pmic_sim_fwu_ops; /* name "pmic-sim" */
/* Point a port at a device, defaults for the rest; the port is the ctx of
 * a struct fwu_device whose ops are pmic_sim_fwu_ops.  Cannot fail. */
void pmic_sim_port_init(struct pmic_sim_port *p, struct pmic_sim *s);

#endif /* FWKIT_PMIC_SIM_H */
