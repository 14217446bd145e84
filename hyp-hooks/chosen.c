/* SPDX-License-Identifier: MIT */
/* chosen.c - boot modules from a device tree's /chosen as Xen's
 * docs/misc/arm/device-tree/booting.txt describes them (boot_parse_chosen). */
#include <libfdt.h>

#include <fwkit/dt.h>

#include "bootinfo_int.h"

/*
 * The compatible strings that matter here, longest 21 characters plus NUL,
 * and what each says: the first two make a node a module of no particular
 * role, "xen,domain" a dom0less domain, the rest a module with a role.
 * Xen guesses roles for modules without one (the first is the kernel, the
 * second an XSM policy by its magic, else the ramdisk); here the role stays
 * BOOT_ROLE_NONE and boot_classify decides by the bytes.
 */
#define NAME_CAP 22u
static const char compat_names[][NAME_CAP] = {
	"multiboot,module", "xen,multiboot-module", "xen,domain",
	"multiboot,kernel", "xen,linux-zimage", "multiboot,ramdisk",
	"xen,linux-initrd", "multiboot,device-tree", "multiboot,microcode",
	"xen,xsm-policy",
};
static const uint8_t compat_roles[] = {
	BOOT_ROLE_NONE, BOOT_ROLE_NONE, BOOT_ROLE_NONE,
	BOOT_ROLE_KERNEL, BOOT_ROLE_KERNEL, BOOT_ROLE_RAMDISK,
	BOOT_ROLE_RAMDISK, BOOT_ROLE_DEVICE_TREE, BOOT_ROLE_MICROCODE,
	BOOT_ROLE_XSM,
};
#define COMPAT_DOMAIN 2u

/* What node_kind finds: a module (its role in the bits above), a domain. */
#define KIND_MODULE 0x100
#define KIND_DOMAIN 0x200

struct walk {
	const void *dtb;
	const struct boot_window *win;
	struct boot_info *bi;
	uint32_t *at;        /* per module, the DTB offset its problem names */
	size_t at_cap;
	struct fwk_fault *f;
};

/* DTB offset of a pointer libfdt returned into the tree. */
static uint64_t dtb_off(const struct walk *w, const void *p)
{
	return (uint64_t)((const uint8_t *)p - (const uint8_t *)w->dtb);
}

/* DTB offset of a node's FDT_BEGIN_NODE. */
static uint64_t node_off(const struct walk *w, int node)
{
	return (uint64_t)fdt_off_dt_struct(w->dtb) + (uint32_t)node;
}

/*
 * *child: the next child of parent after prev (prev < 0: the first), or
 * negative after the last.  dt_check has passed, so libfdt failing on
 * anything but the end is a disagreement between the two: refused rather
 * than taken as the end, which would drop modules silently.
 */
static int next_child(const struct walk *w, int parent, int prev, int *child)
{
	int n = prev < 0 ? fdt_first_subnode(w->dtb, parent)
			 : fdt_next_subnode(w->dtb, prev);

	*child = n;
	if (n >= 0 || n == -FDT_ERR_NOTFOUND)
		return 0;
	return fwk_fail(w->f, FWK_ERR_BADFIELD, node_off(w, prev < 0 ? parent : prev),
			"node", "libfdt cannot walk the tree");
}

/*
 * What a node's compatible list makes of it: 0 (nothing of ours),
 * KIND_DOMAIN, or KIND_MODULE | role, the role of the first string in the
 * list that names one (the list goes from most to least specific).  A
 * compatible that is not a string list is refused: whether the node is a
 * module cannot be told, and dropping one unseen is worse.
 */
static int node_kind(const struct walk *w, int node)
{
	int len;
	const char *v = fdt_getprop(w->dtb, node, "compatible", &len);
	int kind = 0, role = -1;

	if (!v)
		return 0;
	if (len <= 0 || v[len - 1])
		return fwk_fail(w->f, FWK_ERR_BADFIELD, dtb_off(w, v), "compatible",
				"not a list of NUL-terminated strings");
	for (int i = 0; i < len;) {
		int n = 0;

		while (v[i + n])
			n++;
		for (unsigned k = 0; (unsigned)n < NAME_CAP &&
				     k < sizeof(compat_roles); k++) {
			if (memcmp(v + i, compat_names[k], (size_t)n + 1))
				continue;
			if (k == COMPAT_DOMAIN)
				kind |= KIND_DOMAIN;
			else
				kind |= KIND_MODULE;
			if (role < 0 && compat_roles[k])
				role = compat_roles[k];
		}
		i += n + 1;
	}
	/* A domain is never itself a module. */
	if (kind & KIND_DOMAIN)
		return KIND_DOMAIN;
	return kind ? KIND_MODULE | (role < 0 ? 0 : role) : 0;
}

/* parent's #address-cells or #size-cells: absent, dflt; else one cell of 1
 * or 2 (a module's address and size are at most 64 bits). */
static int cells(const struct walk *w, int parent, const char *name,
		 uint32_t dflt, uint32_t *out)
{
	int len;
	const uint8_t *v = fdt_getprop(w->dtb, parent, name, &len);

	*out = dflt;
	if (!v)
		return 0;
	if (len == 4)
		*out = fwk_be32(v);
	if (len != 4 || *out < 1 || *out > 2)
		return fwk_fail(w->f, FWK_ERR_BADFIELD, dtb_off(w, v), name,
				"not one cell holding 1 or 2");
	return 0;
}

static uint64_t read_cells(const uint8_t *p, uint32_t n)
{
	return n == 2 ? (uint64_t)fwk_be32(p) << 32 | fwk_be32(p + 4) : fwk_be32(p);
}

/* Append the module node (a child of parent) with the role in kind. */
static int add_module(struct walk *w, int parent, int node, int kind)
{
	uint32_t ac, sc;
	int rc = cells(w, parent, "#address-cells", 2, &ac);

	if (rc < 0 || (rc = cells(w, parent, "#size-cells", 1, &sc)) < 0)
		return rc;

	int len;
	const uint8_t *reg = fdt_getprop(w->dtb, node, "reg", &len);
	uint64_t at = reg ? dtb_off(w, reg) : node_off(w, node);
	bool reg_ok = reg && (uint32_t)len == (ac + sc) * 4u;
	/* A bad reg has no range: nothing to look up in the window.  (A node
	 * with xen,uefi-binary and no reg is one Xen's UEFI stub has yet to
	 * fill in: no range either.) */
	struct boot_module *m =
		boot_module_add(w->bi, reg_ok ? w->win : NULL,
				reg_ok ? read_cells(reg, ac) : 0,
				reg_ok ? read_cells(reg + ac * 4u, sc) : 0,
				node_off(w, node), "compatible", w->f);

	if (!m)
		return w->f->error;
	if (!reg_ok)
		boot_module_problem(m, "reg is not one (address, size) entry", at);
	m->role = (enum boot_module_role)(kind & 0xff);

	const uint8_t *args = fdt_getprop(w->dtb, node, "bootargs", &len);
	if (args) {
		const char *s = "";
		uint32_t n = 0;

		rc = boot_cstr(args, (uint32_t)len, 0, "bootargs", &s, &n, NULL);
		if (rc < 0 && !m->problem)
			at = dtb_off(w, args);
		boot_module_cmdline(m, rc, s, n, at);
	}
	if (w->bi->nmodules > w->at_cap) /* cannot happen: see the caller */
		return fwk_fail(w->f, FWK_ERR_NOSPACE, at, "scratch",
				"fewer than DT_SCRATCH_WORDS(len) words");
	w->at[w->bi->nmodules - 1] = (uint32_t)at;
	return 0;
}

/* /chosen: the root's child named exactly "chosen" (not "chosen@0"), or
 * negative when there is none. */
static int find_chosen(const struct walk *w, int *chosen)
{
	int n = -1, rc;

	while ((rc = next_child(w, 0, n, &n)) == 0 && n >= 0) {
		int len;
		const char *name = fdt_get_name(w->dtb, n, &len);

		if (name && len == 6 && !memcmp(name, "chosen", 6))
			break;
	}
	*chosen = n;
	return rc;
}

/* The boot command line: /chosen's xen,xen-bootargs, else bootargs. */
static int boot_cmdline(const struct walk *w, int chosen)
{
	const char *name = "xen,xen-bootargs";
	int len;
	const uint8_t *v = fdt_getprop(w->dtb, chosen, name, &len);

	if (!v) {
		name = "bootargs";
		v = fdt_getprop(w->dtb, chosen, name, &len);
	}
	if (!v)
		return 0;
	return boot_cstr(v, (uint32_t)len, dtb_off(w, v), name, &w->bi->cmdline,
			 &w->bi->cmdline_len, w->f);
}

/* A dom0less domain (booting.txt, "Creating Multiple Domains directly from
 * Xen"): its module children, their reg in the domain's own cells; nodes
 * deeper down are not looked at. */
static int add_domain(struct walk *w, int domain)
{
	int n = -1, rc;

	while ((rc = next_child(w, domain, n, &n)) == 0 && n >= 0) {
		int kind = node_kind(w, n);

		if (kind < 0)
			return kind;
		if ((kind & KIND_MODULE) && (rc = add_module(w, domain, n, kind)) < 0)
			return rc;
	}
	return rc;
}

/* Modules are /chosen's children in node order, a domain's modules where
 * the domain stands. */
int boot_parse_chosen(const void *dtb, size_t len, const struct boot_window *win,
		      uint32_t *scratch, size_t scratch_words,
		      struct boot_info *bi, struct fwk_fault *f)
{
	struct walk w = { dtb, win, bi, scratch, scratch_words, f };
	int chosen, n = -1, rc;

	if (!dtb || !bi)
		return fwk_fail(f, FWK_ERR_INVAL, 0, "dtb", "no tree or no boot_info");
	boot_info_reset(bi, BOOT_PROTO_DT_CHOSEN);
	/* All of it up front: after dt_check it holds a word per module (a
	 * module node takes at least 40 bytes, a word stands for 8). */
	if (scratch_words < DT_SCRATCH_WORDS(len))
		return fwk_fail(f, FWK_ERR_NOSPACE, 0, "scratch",
				"fewer than DT_SCRATCH_WORDS(len) words");
	rc = dt_check(dtb, len, scratch, scratch_words, NULL, NULL, NULL, f);
	if (rc < 0 || (rc = find_chosen(&w, &chosen)) < 0)
		return rc;
	if (chosen < 0)
		return 0;
	if ((rc = boot_cmdline(&w, chosen)) < 0)
		return rc;
	while ((rc = next_child(&w, chosen, n, &n)) == 0 && n >= 0) {
		int kind = node_kind(&w, n);

		if (kind == KIND_DOMAIN)
			rc = add_domain(&w, n);
		else if (kind > 0)
			rc = add_module(&w, chosen, n, kind);
		else
			rc = kind;
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	boot_modules_check(bi, false, 0, 0);
	/* The shared checks name physical addresses; here a problem names the
	 * DTB bytes at fault (reg, or bootargs for a bad command line). */
	for (uint32_t i = 0; i < bi->nmodules; i++)
		if (bi->modules[i].problem)
			bi->modules[i].problem_offset = scratch[i];
	return (int)bi->nmodules;
}
