/* SPDX-License-Identifier: MIT */
/* pmic_sim_dir.c - the PMIC simulator kept in a directory between runs: a
 * text state file and one file per flash bank, each replaced atomically. */
#include <fwkit/upload_backends.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errbuf.h"

#define CAPACITY_LIMIT (1ull << 30) /* a simulated PMIC, not a disk */

static int mkdir_parents(const char *dir)
{
	char p[UPLOAD_PATH_MAX];
	size_t n = strlen(dir);

	if (n >= sizeof(p))
		return -1;
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return -1;
		p[i] = c;
	}
	return 0;
}

/* Exactly len bytes, or -1 (errno EMSGSIZE for another size). */
static int read_exact(const char *path, uint8_t *buf, uint64_t len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != len) {
		close(fd);
		errno = EMSGSIZE;
		return -1;
	}
	uint64_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, buf + got, (size_t)(len - got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			errno = r == 0 ? EMSGSIZE : errno;
			return -1;
		}
		got += (uint64_t)r;
	}
	close(fd);
	return 0;
}

/* Temp file beside path, fsync, rename: a reader sees the old or the new. */
static int replace_file(const char *path, const void *data, uint64_t len)
{
	char tmp[UPLOAD_PATH_MAX + 16];
	const uint8_t *p = data;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.fwkit-XXXXXX", path) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	while (len) {
		ssize_t w = write(fd, p, len > (1u << 30) ? (1u << 30) : (size_t)len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (uint64_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:;
	int e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

static void bank_path(const struct pmic_sim_dir *d, unsigned b, char *out, size_t cap)
{
	snprintf(out, cap, "%s/bank%u.bin", d->dir, b);
}

/* ---- the state file --------------------------------------------------------- */

struct state {
	char compatible[PMIC_SIM_COMPAT_SIZE];
	uint64_t v[9];
	bool have[10];
};

static const char *const state_keys[] = {
	"instance", "capacity", "active_bank", "active_length", "version",
	"transfers", "writes", "data_bytes", "commits",
};
#define NKEYS (sizeof(state_keys) / sizeof(state_keys[0]))
enum { K_INSTANCE, K_CAPACITY, K_ACTIVE, K_LENGTH, K_VERSION, K_TRANSFERS, K_WRITES,
       K_DATA, K_COMMITS };

static int parse_state(const char *path, FILE *f, struct state *s, char *err, size_t errcap)
{
	char line[256];
	unsigned no = 0;

	memset(s, 0, sizeof(*s));
	while (fgets(line, sizeof(line), f)) {
		no++;
		size_t n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		char *sp = strchr(line, ' ');
		if (!sp) {
			blob_say(err, errcap, "%s: line %u: expected 'key value'", path, no);
			return FWK_ERR_BADFIELD;
		}
		*sp = '\0';
		const char *key = line, *val = sp + 1;
		if (!strcmp(key, "compatible")) {
			if (strlen(val) >= sizeof(s->compatible)) {
				blob_say(err, errcap, "%s: line %u: compatible: longer than 63 bytes", path, no);
				return FWK_ERR_BADFIELD;
			}
			snprintf(s->compatible, sizeof(s->compatible), "%s", val);
			s->have[NKEYS] = true;
			continue;
		}
		size_t k = 0;
		while (k < NKEYS && strcmp(key, state_keys[k]))
			k++;
		if (k == NKEYS) {
			blob_say(err, errcap, "%s: line %u: unknown key '%s'", path, no, key);
			return FWK_ERR_BADFIELD;
		}
		char *end;
		errno = 0;
		unsigned long long v = strtoull(val, &end, 10);
		if (!*val || *val == '-' || *end || errno) {
			blob_say(err, errcap, "%s: line %u: %s: '%s' is not a number", path, no, key, val);
			return FWK_ERR_BADFIELD;
		}
		s->v[k] = v;
		s->have[k] = true;
	}
	for (size_t k = 0; k <= NKEYS; k++) {
		if (!s->have[k] && k != K_TRANSFERS && k != K_WRITES && k != K_DATA &&
		    k != K_COMMITS) {
			blob_say(err, errcap, "%s: '%s' is missing", path,
			    k == NKEYS ? "compatible" : state_keys[k]);
			return FWK_ERR_BADFIELD;
		}
	}
	if (s->v[K_INSTANCE] > 0xffffffffu || s->v[K_CAPACITY] == 0 ||
	    s->v[K_CAPACITY] > CAPACITY_LIMIT || s->v[K_ACTIVE] > 1 ||
	    s->v[K_LENGTH] > s->v[K_CAPACITY]) {
		blob_say(err, errcap, "%s: instance, capacity (1..%llu), active_bank (0, 1) or "
			    "active_length (up to capacity) out of range", path, CAPACITY_LIMIT);
		return FWK_ERR_BADFIELD;
	}
	return 0;
}

static int alloc_banks(struct pmic_sim_dir *d, uint64_t capacity, char *err, size_t errcap)
{
	d->bank[0] = malloc((size_t)capacity);
	d->bank[1] = malloc((size_t)capacity);
	if (!d->bank[0] || !d->bank[1]) {
		blob_say(err, errcap, "%s: out of memory for two %llu-byte banks", d->dir,
		    (unsigned long long)capacity);
		return FWK_ERR_INVAL;
	}
	return 0;
}

int pmic_sim_dir_open(struct pmic_sim_dir *d, const char *dir, const char *compatible,
		      uint32_t instance, uint64_t capacity, char *err, size_t errcap)
{
	char path[UPLOAD_PATH_MAX + 32];
	struct state s;
	int rc;

	memset(d, 0, sizeof(*d));
	if (!dir || !*dir || strlen(dir) + 32 > sizeof(d->dir)) {
		blob_say(err, errcap, "pmic-sim: directory name empty or too long");
		return FWK_ERR_INVAL;
	}
	snprintf(d->dir, sizeof(d->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/state", dir);
	FILE *f = fopen(path, "r");
	if (!f && errno != ENOENT) {
		blob_say(err, errcap, "%s: %s", path, strerror(errno));
		return FWK_ERR_INVAL;
	}
	if (!f) {
		/* A new device: the caller's identity, version 0, nothing active. */
		if (!capacity)
			capacity = PMIC_SIM_DIR_CAPACITY;
		if (capacity > CAPACITY_LIMIT) {
			blob_say(err, errcap, "%s: capacity above %llu bytes", dir, CAPACITY_LIMIT);
			return FWK_ERR_INVAL;
		}
		if (mkdir_parents(dir) != 0) {
			blob_say(err, errcap, "%s: cannot create: %s", dir, strerror(errno));
			return FWK_ERR_INVAL;
		}
		if ((rc = alloc_banks(d, capacity, err, errcap)) != 0)
			return rc;
		if (pmic_sim_init(&d->sim, compatible ? compatible : "", instance, d->bank[0],
				  d->bank[1], capacity) != 0) {
			blob_say(err, errcap, "%s: '%s' cannot be a device's compatible string", dir,
			    compatible ? compatible : "");
			return FWK_ERR_INVAL;
		}
		d->created = true;
		return 0;
	}
	rc = parse_state(path, f, &s, err, errcap);
	fclose(f);
	if (rc)
		return rc;
	if ((rc = alloc_banks(d, s.v[K_CAPACITY], err, errcap)) != 0)
		return rc;
	if (pmic_sim_init(&d->sim, s.compatible, (uint32_t)s.v[K_INSTANCE], d->bank[0],
			  d->bank[1], s.v[K_CAPACITY]) != 0) {
		blob_say(err, errcap, "%s: compatible: '%s' is not 1 to 63 printable bytes", path,
		    s.compatible);
		return FWK_ERR_BADFIELD;
	}
	for (unsigned b = 0; b < 2; b++) {
		bank_path(d, b, path, sizeof(path));
		if (read_exact(path, d->bank[b], s.v[K_CAPACITY]) != 0) {
			int e = errno;
			blob_say(err, errcap, "%s: %s", path,
			    e == EMSGSIZE ? "not exactly 'capacity' bytes long" : strerror(e));
			return e == EMSGSIZE ? FWK_ERR_TRUNCATED : FWK_ERR_INVAL;
		}
		sha256(d->bank[b], (size_t)s.v[K_CAPACITY], d->loaded_sha[b]);
	}
	pmic_sim_restore(&d->sim, (unsigned)s.v[K_ACTIVE], s.v[K_LENGTH], s.v[K_VERSION]);
	d->sim.transfers_total = s.v[K_TRANSFERS];
	d->sim.writes_total = s.v[K_WRITES];
	d->sim.data_bytes_total = s.v[K_DATA];
	d->sim.commits = s.v[K_COMMITS];
	return 0;
}

int pmic_sim_dir_save(struct pmic_sim_dir *d, char *err, size_t errcap)
{
	const struct pmic_sim *s = &d->sim;
	char path[UPLOAD_PATH_MAX + 32], text[512];

	/* Banks first, the one not running from before the active one; the
	 * state file, which selects the bank, last. */
	for (unsigned i = 0; i < 2; i++) {
		unsigned b = i == 0 ? s->active ^ 1u : s->active;
		uint8_t now[SHA256_DIGEST_SIZE];
		sha256(d->bank[b], (size_t)s->capacity, now);
		if (!d->created && !memcmp(now, d->loaded_sha[b], sizeof(now)))
			continue;
		bank_path(d, b, path, sizeof(path));
		if (replace_file(path, d->bank[b], s->capacity) != 0) {
			blob_say(err, errcap, "%s: cannot write: %s", path, strerror(errno));
			return FWK_ERR_INVAL;
		}
		memcpy(d->loaded_sha[b], now, sizeof(now));
	}
	int n = snprintf(text, sizeof(text),
			 "# fwkit pmic-sim: a simulated PMIC (docs/delivery.md)\n"
			 "compatible %s\ninstance %u\ncapacity %llu\nactive_bank %u\n"
			 "active_length %llu\nversion %llu\ntransfers %llu\nwrites %llu\n"
			 "data_bytes %llu\ncommits %llu\n",
			 s->compatible, s->instance, (unsigned long long)s->capacity, s->active,
			 (unsigned long long)s->active_len, (unsigned long long)s->version,
			 (unsigned long long)s->transfers_total,
			 (unsigned long long)s->writes_total,
			 (unsigned long long)s->data_bytes_total, (unsigned long long)s->commits);
	snprintf(path, sizeof(path), "%s/state", d->dir);
	if (n < 0 || (size_t)n >= sizeof(text) || replace_file(path, text, (uint64_t)n) != 0) {
		blob_say(err, errcap, "%s: cannot write: %s", path, strerror(errno));
		return FWK_ERR_INVAL;
	}
	d->created = false;
	return 0;
}

void pmic_sim_dir_close(struct pmic_sim_dir *d)
{
	free(d->bank[0]);
	free(d->bank[1]);
	d->bank[0] = d->bank[1] = NULL;
}
