/* SPDX-License-Identifier: MIT */
/* pipeline.c - the boot pipeline of fwkit/bootpipe.h: classify and hash every
 * module, hand microcode, ACPI tables, overlays and blobs (modules and cpio
 * members) to the platform in that order, record, taint, and report. */
#include <fwkit/bootpipe.h>
#include <fwkit/dt.h>
#include <fwkit/initrd.h>

#include <libfdt.h>

#include "member.h"
#include "text.h"

#define LINE_CAP 512u     /* one report line, NUL included */
#define PATH_SHOWN 96u    /* bytes of a member path a report line shows */

/* Big locals kept out of their callers' frames, so that the deepest chain
 * (an overlay's plan, then dt_check) stays within a boot stack. */
#define OWN_FRAME __attribute__((noinline))

static const char *const step_words[STEPS] = {
	"microcode", "acpi", "dt-overlay", "blob"
};

/* Early microcode file names and ledger identities, by ucode_vendor - 1. */
static const char vendors[2][13] = { "GenuineIntel", "AuthenticAMD" };

struct run {
	const struct boot_module *mods;
	uint32_t n;
	const struct boot_platform *pf;
	uint32_t *scratch;
	size_t words;
	struct boot_report *rep;
	struct boot_text out;      /* rep->text */
	int64_t base;              /* module index of the base tree, or -1 */
};

/* One thing to hand on: a module, or a member of a cpio module. */
struct item {
	uint32_t m;                /* the module */
	const char *path;          /* the member's archive name, NULL for a module */
	size_t pathlen;
	const uint8_t *data;
	uint64_t len;
};

/* The nodes an overlay creates and changes, in the plan's order:
 * "changed /a; created /b", leaving room in a ledger reason for " +N more". */
struct changes {
	struct boot_text list;
	char buf[LEDGER_REASON_MAX - 16];
	uint32_t unshown;
};

const char *boot_verdict_name(enum boot_verdict v)
{
	static const char *const names[] = {
		"?", "applied", "passed", "rejected", "failed", "no handler", "ignored"
	};

	return (unsigned)v <= BOOT_IGNORED ? names[v] : "?";
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* NAME or NAME:PATH, the path escaped, at most `shown` bytes of it. */
static void put_where(struct boot_text *t, const struct run *run,
		      const struct item *it, size_t shown)
{
	boot_text_str(t, run->rep->results[it->m].name);
	if (!it->path)
		return;
	boot_text_str(t, ":");
	boot_text_escaped(t, (const uint8_t *)it->path,
			  it->pathlen < shown ? it->pathlen : shown);
	if (it->pathlen > shown)
		boot_text_str(t, "...");
}

/* "WORD WHERE: "; finish the line with emit(). */
static void line_start(struct boot_text *l, char *buf, const char *word,
		       const struct run *run, const struct item *it)
{
	boot_text_init(l, buf, LINE_CAP);
	boot_text_fmt(l, "%s ", word);
	put_where(l, run, it, PATH_SHOWN);
	boot_text_str(l, ": ");
}

/* Into the report and to the log; a line too long ends in "...". */
static void emit(struct run *run, struct boot_text *l)
{
	boot_text_cut(l, "...");
	boot_text_fmt(&run->out, "%s\n", l->buf);
	if (run->pf->log)
		run->pf->log(run->pf->ctx, l->buf);
}

/* The total a verdict counts in. */
static uint32_t *total(struct boot_report *rep, enum boot_verdict v)
{
	static const uint8_t at[] = {
		offsetof(struct boot_report, applied), offsetof(struct boot_report, passed),
		offsetof(struct boot_report, rejected), offsetof(struct boot_report, failed),
		offsetof(struct boot_report, no_handler), offsetof(struct boot_report, ignored),
	};

	return (uint32_t *)((char *)rep + at[v - 1]);
}

/* Write the line; count the verdict: a module's is its result's, a member
 * counts in its module's items. */
static void settle(struct run *run, const struct item *it, struct boot_text *l,
		   enum boot_verdict v)
{
	struct boot_result *r = &run->rep->results[it->m];

	emit(run, l);
	++*total(run->rep, v);
	if (it->path)
		r->items++;
	else
		r->verdict = v;
}

/* ---- overlays --------------------------------------------------------- */

static void on_change(void *ctx, enum dt_change what, const char *path)
{
	struct changes *ch = ctx;
	const struct boot_text *t = &ch->list;
	size_t n = boot_strlen(path);

	/* Each node once: one a fragment creates and a later one changes
	 * stays "created". */
	for (size_t i = 8; i + n <= t->len; i++)
		if (t->buf[i - 1] == ' ' && memcmp(t->buf + i, path, n) == 0 &&
		    (i + n == t->len || t->buf[i + n] == ';'))
			return;
	if (t->len + n + 10 < t->cap)
		boot_text_fmt(&ch->list, "%s%s %s", t->len ? "; " : "",
			      what == DT_NODE_CREATED ? "created" : "changed", path);
	else
		ch->unshown++;
}

/* What became of an item, for its line (see finish()). */
struct outcome {
	enum boot_verdict v;
	enum boot_kind want, got;  /* the kind its path asks for, the bytes' */
	enum ledger_kind kind;     /* applied ACPI tables: override or install */
	const char *id;            /* what it is, NULL when refused unread */
	const char *why, *why2;    /* the rejection or failure, escaped */
};

/* Plan the overlay against the base; 0, or the rejection in o.  d is the
 * caller's, shared with its boot_class: only one is needed at a time. */
static int plan_overlay(struct run *run, const struct item *it, struct changes *ch,
			struct dt_overlay_diag *d, struct outcome *o)
{
	const struct boot_module *b = &run->mods[run->base];
	const uint8_t *ovl = it->data;
	uint32_t *s = run->scratch;
	size_t words = run->words;
	uint64_t longer = b->size > it->len ? b->size : it->len;

	ch->unshown = 0;
	boot_text_init(&ch->list, ch->buf, sizeof(ch->buf));
	/* libfdt reads only 8-byte aligned trees, and an archive aligns its
	 * members to 4: plan on a copy at the scratch's start when the rest
	 * still holds what the plan needs. */
	if ((uintptr_t)ovl & 7u) {
		size_t skip = ((uintptr_t)s & 7u) != 0;
		size_t need = skip + (size_t)(it->len + 7) / 8 * 2;

		if (words < need || words - need < DT_SCRATCH_WORDS(longer)) {
			o->why = "not 8-byte aligned, and the scratch cannot hold an "
				 "aligned copy";
			return -1;
		}
		memcpy(s + skip, ovl, (size_t)it->len);
		ovl = (const uint8_t *)(s + skip);
		s += need;
		words -= need;
	}
	if (dt_overlay_plan(b->data, (size_t)b->size, ovl, (size_t)it->len, s, words,
			    on_change, ch, d) == 0)
		return 0;
	o->why = dt_overlay_problem_text(d->problem);
	/* These problems name a label, path or phandle; libfdt 1.6.1 has no
	 * text for its alignment error. */
	d->name[sizeof(d->name) - 1] = '\0';
	if (d->problem >= DT_OVL_UNRESOLVED_LABEL && d->problem <= DT_OVL_PHANDLE_OVERWRITE)
		o->why2 = d->name;
	else if (d->problem == DT_OVL_LIBFDT)
		o->why2 = d->libfdt_error == -FDT_ERR_ALIGNMENT ? "a tree not 8-byte aligned"
								 : fdt_strerror(d->libfdt_error);
	return -1;
}

/* ---- one item ---------------------------------------------------------- */

/* The ledger record of an applied item, handed to pf->taint. */
static OWN_FRAME void record(struct run *run, const struct item *it, enum ledger_kind kind,
			     const char *identity, const struct changes *ch, int bit)
{
	const struct boot_result *r = run->rep->results;
	struct ledger_record rec;
	struct boot_text t;

	memset(&rec, 0, sizeof(rec));
	rec.kind = kind;
	boot_text_init(&t, rec.identity, sizeof(rec.identity));
	boot_text_str(&t, identity);
	boot_text_init(&t, rec.source, sizeof(rec.source));
	put_where(&t, run, it, sizeof(rec.source));
	if (it->path)
		sha256(it->data, (size_t)it->len, rec.sha256);
	else
		memcpy(rec.sha256, r[it->m].sha256, sizeof(rec.sha256));
	boot_text_init(&t, rec.reason, sizeof(rec.reason));
	if (!ch) {
		boot_text_fmt(&t, "from boot module %u", it->m);
	} else {
		/* Planned against the base: what it does to that tree. */
		boot_text_str(&t, ch->list.len ? ch->buf : "no node created or changed");
		if (ch->unshown)
			boot_text_fmt(&t, " +%u more", ch->unshown);
		rec.have_replaced = true;
		memcpy(rec.replaced_sha256, r[run->base].sha256, sizeof(rec.replaced_sha256));
	}
	rec.taint_bit = bit;
	run->pf->taint(run->pf->ctx, &rec);
}

/* "STEP WHERE: [WHAT: ]VERDICT[: WHY]", then count it. */
static OWN_FRAME void finish(struct run *run, const struct item *it, enum step st,
			     const struct outcome *o)
{
	char buf[LINE_CAP];
	struct boot_text l;

	line_start(&l, buf, step_words[st], run, it);
	if (o->id && st != STEP_DT) {
		boot_text_fmt(&l, "%s: ", o->id);
	} else if (o->id) {
		/* "2 fragments, ...": the line's first word says dt-overlay. */
		boot_text_str(&l, o->id + sizeof("dt-overlay"));
		if (run->base < 0)
			boot_text_str(&l, ", no base tree: ");
		else
			boot_text_fmt(&l, ", base %s: ", run->rep->results[run->base].name);
	}
	boot_text_str(&l, boot_verdict_name(o->v));
	if (o->v == BOOT_APPLIED && st == STEP_ACPI)
		boot_text_fmt(&l, " (%s, taint A)", ledger_kind_name(o->kind));
	if (o->why) {
		boot_text_str(&l, ": ");
		if (o->got != o->want)
			boot_text_fmt(&l, "the path wants %s, the bytes are %s: ",
				      boot_kind_name(o->want), boot_kind_name(o->got));
		boot_text_escaped(&l, (const uint8_t *)o->why, boot_strlen(o->why));
		if (o->why2) {
			boot_text_str(&l, ": ");
			boot_text_escaped(&l, (const uint8_t *)o->why2, boot_strlen(o->why2));
		}
	}
	settle(run, it, &l, o->v);
}

/*
 * Classify an item (a module with its command line and role, as step 1
 * did; a member with no hint) and hand it to its step's callback when it
 * is the kind want; or refuse it (refusal: unread, with that reason).
 */
static void handle(struct run *run, const struct item *it, enum step st,
		   enum boot_kind want, const char *refusal)
{
	const struct boot_module *m = &run->mods[it->m];
	const struct boot_platform *pf = run->pf;
	const char *src = run->rep->results[it->m].name;
	/* The class is done with before an overlay's plan needs d. */
	union {
		struct boot_class c;
		struct dt_overlay_diag d;
	} u;
	struct outcome o = { BOOT_REJECTED, want, want, LEDGER_BLOB, NULL, NULL, NULL };
	char id[LEDGER_IDENTITY_MAX];
	struct boot_text t;
	struct changes ch, *planned = NULL;
	unsigned amd = want == BOOT_KIND_UCODE_AMD;
	uint32_t count;
	int rc = 0, bit = -1;

	if (refusal || boot_classify(it->data, it->len, it->path ? NULL : m->cmdline,
				     it->path ? 0 : m->cmdline_len,
				     it->path ? BOOT_ROLE_NONE : m->role, run->scratch,
				     run->words, &u.c) < 0) {
		memset(&u.c, 0, sizeof(u.c));
		u.c.kind = want;
		boot_text_init(&t, u.c.reason, sizeof(u.c.reason));
		boot_text_str(&t, refusal ? refusal : "cannot be classified");
	}
	o.got = u.c.kind;
	if (!u.c.valid || u.c.kind != want) {
		o.why = u.c.reason;
		goto out;
	}

	/* What it is: the ledger identity, also what the line shows. */
	count = u.c.count;
	o.id = id;
	boot_text_init(&t, id, sizeof(id));
	if (st == STEP_UCODE)
		boot_text_fmt(&t, "%s %u update%s", vendors[amd], count, plural(count));
	else if (st == STEP_ACPI)
		acpi_identity(&u.c.acpi, id);
	else if (st == STEP_DT)
		boot_text_fmt(&t, "dt-overlay %u fragment%s", count, plural(count));
	else
		boot_text_fmt(&t, "%s %s@%u v%llu", fwb_type_name(u.c.fwb.type), u.c.fwb.target,
			      u.c.fwb.instance, (unsigned long long)u.c.fwb.version);
	if (st == STEP_DT && run->base >= 0) {
		if (plan_overlay(run, it, &ch, &u.d, &o) < 0)
			goto out;
		planned = &ch;
	}

	o.v = BOOT_NO_HANDLER;
	if (st == STEP_UCODE && pf->load_microcode) {
		o.kind = LEDGER_MICROCODE;
		rc = pf->load_microcode(pf->ctx, src, it->path, amd ? UCODE_AMD : UCODE_INTEL,
					it->data, it->len, count);
	} else if (st == STEP_ACPI && pf->install_acpi) {
		rc = pf->install_acpi(pf->ctx, src, it->path, it->data, it->len, &u.c.acpi);
		o.kind = rc > 0 ? LEDGER_ACPI_OVERRIDE : LEDGER_ACPI_INSTALL;
		bit = (int)TAINT_OVERRIDDEN_ACPI_TABLE;
	} else if (st == STEP_DT && pf->apply_dt_overlay) {
		const struct boot_module *b = planned ? &run->mods[run->base] : NULL;

		o.kind = LEDGER_DT_OVERLAY;
		rc = pf->apply_dt_overlay(pf->ctx, src, it->path, it->data, it->len,
					  b ? b->data : NULL, b ? b->size : 0);
	} else if (st == STEP_BLOB && pf->deliver_blob) {
		rc = pf->deliver_blob(pf->ctx, src, it->path, it->data, it->len, &u.c.fwb);
	} else {
		goto out;
	}
	if (rc < 0) {
		o.v = BOOT_FAILED;
		o.why = fwk_strerror(rc);
		goto out;
	}
	o.v = BOOT_APPLIED;
	if (pf->taint)
		record(run, it, o.kind, id, planned, bit);
	if (bit >= 0) {
		run->rep->taint_mask |= 1ull << bit;
		run->rep->results[it->m].taint_bit = bit;
	}
out:
	finish(run, it, st, &o);
}

/* ---- steps 2 to 5 ------------------------------------------------------ */

/* The regular files of the uncompressed archive(s) at a cpio module's
 * start that step st takes (boot_member_kind decides), in archive order. */
static OWN_FRAME void walk_cpio(struct run *run, uint32_t i, enum step st)
{
	const struct boot_module *m = &run->mods[i];
	struct initrd_scanner s;
	struct initrd_segment seg;
	unsigned taken = 0;  /* microcode: the kernel takes a vendor's first file */
	uint32_t tables = 0;

	initrd_scan_init(&s, m->data, m->size);
	while (initrd_next_segment(&s, &seg) == 1 && seg.format == INITRD_CPIO) {
		struct cpio_reader r;
		struct cpio_entry e;

		cpio_reader_init(&r, m->data, m->size, seg.offset);
		while (cpio_next_entry(&r, &e) == 1) {
			struct item it = { i, e.name, e.namelen, e.data, e.st.size };
			enum boot_kind want = boot_member_kind(e.name, e.namelen);
			const char *refusal = NULL;
			unsigned bit = 1u << (want == BOOT_KIND_UCODE_AMD);

			if ((e.st.mode & CPIO_S_IFMT) != CPIO_S_IFREG || step_of(want) != st)
				continue;
			if (st == STEP_UCODE) {
				if (taken & bit)
					continue;
				taken |= bit;
			} else if (st == STEP_ACPI && ++tables > ACPI_INITRD_MAX_FILES) {
				/* The kernel looks at the first 64 files only. */
				refusal = acpi_reason_text(ACPI_WHY_TOO_MANY);
			}
			handle(run, &it, st, want, refusal);
		}
	}
}

struct overlay_walk {
	struct run *run;
	uint32_t m;
};

static int on_overlay(void *ctx, const char *name, size_t namelen,
		      const uint8_t *data, size_t len)
{
	struct overlay_walk *w = ctx;
	struct item it = { w->m, name, namelen, data, len };

	handle(w->run, &it, STEP_DT, BOOT_KIND_DT_OVERLAY, NULL);
	return 0;
}

static void step(struct run *run, enum step st)
{
	for (uint32_t i = 0; i < run->n; i++) {
		const struct boot_module *m = &run->mods[i];
		const struct boot_result *r = &run->rep->results[i];
		struct item it = { i, NULL, 0, m->data, m->size };

		if (m->problem)
			continue;
		if (step_of(r->kind) == st)
			handle(run, &it, st, r->kind, NULL);
		else if (r->kind == BOOT_KIND_CPIO && r->valid && st != STEP_DT)
			walk_cpio(run, i, st);
	}
	/* Overlays: the modules first, then each archive's in name order. */
	for (uint32_t i = 0; st == STEP_DT && i < run->n; i++) {
		const struct boot_module *m = &run->mods[i];
		const struct boot_result *r = &run->rep->results[i];
		struct overlay_walk w = { run, i };
		struct fwk_fault f = { 0 };

		if (m->problem || r->kind != BOOT_KIND_CPIO || !r->valid ||
		    dt_cpio_overlays(m->data, (size_t)m->size, on_overlay, &w, &f) >= 0)
			continue;
		/* More overlays than fwkit hands out: one rejection for them. */
		struct item it = { i, DT_OVERLAY_DIR, sizeof(DT_OVERLAY_DIR) - 1, NULL, 0 };
		handle(run, &it, STEP_DT, BOOT_KIND_DT_OVERLAY, f.detail ? f.detail : "?");
	}
}

/* ---- step 6, step 1, the whole ----------------------------------------- */

/* Kernels, compressed initrds, trees, archives, unknown, unread. */
static OWN_FRAME void the_rest(struct run *run)
{
	for (uint32_t i = 0; i < run->n; i++) {
		const struct boot_module *m = &run->mods[i];
		const struct boot_result *r = &run->rep->results[i];
		struct item it = { i, NULL, 0, m->data, m->size };
		enum boot_verdict v = BOOT_PASSED;
		char buf[LINE_CAP];
		struct boot_text l;

		if (r->verdict)
			continue;
		if (m->problem || (r->kind != BOOT_KIND_UNKNOWN && !r->valid))
			v = BOOT_REJECTED;
		else if (r->kind == BOOT_KIND_UNKNOWN)
			v = r->items ? BOOT_REJECTED : BOOT_IGNORED;
		if (r->kind != BOOT_KIND_CPIO)
			run->rep->results[i].items = 0;
		line_start(&l, buf, boot_verdict_name(v), run, &it);
		boot_text_str(&l, m->problem ? "not read" : boot_kind_name(r->kind));
		if (v != BOOT_PASSED) {
			boot_text_str(&l, ": ");
			boot_text_escaped(&l, (const uint8_t *)r->reason, boot_strlen(r->reason));
		} else {
			boot_text_fmt(&l, "%s, left for the next stage",
				      run->base == (int64_t)i ? ", the base for overlays" : "");
		}
		settle(run, &it, &l, v);
	}
}

/* Step 1: "module I NAME: KIND, LEN bytes, sha256 HEX16: REASON". */
static OWN_FRAME void classify_all(struct run *run)
{
	struct boot_class c;
	char buf[LINE_CAP];
	struct boot_text l, t;

	boot_text_init(&l, buf, sizeof(buf));
	boot_text_fmt(&l, "fwkit boot report: %u module%s", run->n, plural(run->n));
	emit(run, &l);
	for (uint32_t i = 0; i < run->n; i++) {
		const struct boot_module *m = &run->mods[i];
		struct boot_result *r = &run->rep->results[i];
		uint32_t s = 0, e;

		memset(r, 0, sizeof(*r));
		r->module = i;
		r->taint_bit = -1;
		/* The report name: the command line's first word, escaped. */
		while (s < m->cmdline_len && m->cmdline[s] == ' ')
			s++;
		for (e = s; e < m->cmdline_len && m->cmdline[e] != ' '; e++)
			;
		boot_text_init(&t, r->name, sizeof(r->name));
		if (e > s)
			boot_text_escaped(&t, (const uint8_t *)m->cmdline + s, e - s);
		else
			boot_text_fmt(&t, "module%u", i);

		boot_text_init(&l, buf, sizeof(buf));
		boot_text_fmt(&l, "module %u %s: ", i, r->name);
		boot_text_init(&t, r->reason, sizeof(r->reason));
		if (m->problem) {
			boot_text_escaped(&t, (const uint8_t *)m->problem, boot_strlen(m->problem));
			boot_text_fmt(&l, "not read, %llu bytes", (unsigned long long)m->size);
		} else {
			if (boot_classify(m->data, m->size, m->cmdline, m->cmdline_len, m->role,
					  run->scratch, run->words, &c) < 0) {
				memset(&c, 0, sizeof(c));
				boot_text_str(&t, "cannot be classified");
			} else {
				memcpy(r->reason, c.reason, sizeof(r->reason));
				r->reason[sizeof(r->reason) - 1] = '\0';
			}
			r->kind = c.kind;
			r->valid = c.valid;
			/* A hint the bytes contradict leaves the kind unknown and
			 * a fault other than "no known format": noted in items
			 * (0 for a module that is no archive) until step 6. */
			r->items = c.kind == BOOT_KIND_UNKNOWN && c.fault.error &&
				   c.fault.error != FWK_ERR_BADMAGIC;
			sha256(m->data, (size_t)m->size, r->sha256);
			if (c.kind == BOOT_KIND_DTB && c.valid && run->base < 0)
				run->base = i;
			boot_text_fmt(&l, "%s, %llu bytes, sha256 ", boot_kind_name(c.kind),
				      (unsigned long long)m->size);
			for (unsigned k = 0; k < 8; k++)
				boot_text_fmt(&l, "%02x", r->sha256[k]);
		}
		boot_text_str(&l, ": ");
		boot_text_escaped(&l, (const uint8_t *)r->reason, boot_strlen(r->reason));
		emit(run, &l);
	}
}

/* The last line: the totals and the taint. */
static OWN_FRAME void summary(struct run *run)
{
	const struct boot_report *rep = run->rep;
	char buf[LINE_CAP];
	struct boot_text l;

	boot_text_init(&l, buf, sizeof(buf));
	for (unsigned v = BOOT_APPLIED; v <= BOOT_IGNORED; v++)
		boot_text_fmt(&l, "%s%u %s", v == BOOT_APPLIED ? "summary: " : ", ",
			      *total(run->rep, (enum boot_verdict)v),
			      boot_verdict_name((enum boot_verdict)v));
	boot_text_fmt(&l, "; taint 0x%llx", (unsigned long long)rep->taint_mask);
	/* The one bit the pipeline sets: TAINT_OVERRIDDEN_ACPI_TABLE. */
	if (rep->taint_mask)
		boot_text_str(&l, " (A)");
	emit(run, &l);
}

int boot_pipeline_run(const struct boot_module *mods, uint32_t n,
		      const struct boot_platform *pf, uint32_t *scratch,
		      size_t scratch_words, struct boot_report *rep)
{
	static const struct boot_platform none; /* every callback NULL */
	struct run run = { mods, n, pf ? pf : &none, scratch, scratch_words, rep,
			   { 0 }, -1 };
	uint64_t largest = 0;

	if (!rep)
		return FWK_ERR_INVAL;
	/* nresults, the totals and the mask: everything after results. */
	memset(&rep->nresults, 0, sizeof(*rep) - offsetof(struct boot_report, nresults));
	rep->text_len = 0;
	rep->text_truncated = false;
	if (rep->text_cap && !rep->text)
		return FWK_ERR_INVAL;
	boot_text_init(&run.out, rep->text, rep->text_cap);
	if ((n && !mods) || n > BOOT_MODULES_MAX || (!scratch && scratch_words))
		return FWK_ERR_INVAL;
	for (uint32_t i = 0; i < n; i++) {
		const struct boot_module *m = &mods[i];

		if ((m->cmdline_len && !m->cmdline) || (!m->problem && m->size && !m->data))
			return FWK_ERR_INVAL;
		if (!m->problem && m->size > largest)
			largest = m->size;
	}
	if (rep->results_cap < n || scratch_words < BOOT_SCRATCH_WORDS(largest))
		return FWK_ERR_NOSPACE;
	if (n && !rep->results)
		return FWK_ERR_INVAL;

	rep->nresults = n;
	classify_all(&run);
	for (unsigned st = 0; st < STEPS; st++)
		step(&run, (enum step)st);
	the_rest(&run);
	summary(&run);

	boot_text_cut(&run.out, "...\n");
	rep->text_len = run.out.len;
	rep->text_truncated = run.out.overflow;
	return rep->rejected || rep->failed || rep->no_handler ? 1 : 0;
}
