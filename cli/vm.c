/* SPDX-License-Identifier: MIT */
/* vm.c - `fwkit vm dtb|acpi|check|map`: one VM description from a JSON file
 * and flags, handed to hyp-hooks/guest/ (fwkit/vm.h); files and output only. */
#include "cli.h"

#include <fwkit/dt.h>
#include <fwkit/vm.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DESC_HELP                                                                          \
	"DESC: the standard machine (QEMU virt on arm64, q35 on x86_64), changed by\n"      \
	"a JSON description, then by each flag in the order given:\n"                         \
	"  --spec FILE.json      a description (docs/vm-description.md); may also be\n"      \
	"                        given as the one argument\n"                                 \
	"  --arch arm64|x86_64   the machine whose defaults apply (arm64; with --spec\n"     \
	"                        it must agree with the file's \"arch\")\n"                  \
	"  --cpus N              CPUs (a topology the new count breaks is dropped)\n"        \
	"  --memory SIZE         RAM in bytes, or with a K, M, G or T suffix (binary)\n"     \
	"  --numa N              N NUMA nodes (2..8; 0 or 1: none): memory split in\n"     \
	"                        2 MiB-aligned parts and CPUs evenly, the remainder to\n"   \
	"                        the last node\n"                                            \
	"  --gic v2|v3           the GIC version (arm64)\n"                                  \
	"  --its, --no-its       the GICv3 ITS or GICv2m MSI frame (arm64)\n"                \
	"  --virtio-mmio N       virtio-mmio transports (0..32)\n"                           \
	"  --pcie, --no-pcie     the PCIe (ECAM) host bridge\n"                              \
	"  --psci-conduit hvc|smc   how the guest calls PSCI (arm64)\n"                      \
	"  --bootargs STR        the kernel command line in /chosen\n"                       \
	"  --initrd-start ADDR, --initrd-end ADDR   the initrd's range in /chosen\n"         \
	"  --rng-seed HEX        /chosen rng-seed, 1 to 64 bytes ('' for none)\n"            \
	"  --oem-id ID, --oem-table-id ID, --oem-revision N   every ACPI table's\n"          \
	"                        OEM fields (up to 6 and 8 characters)\n"                    \
	"With NUMA nodes, --memory splits the memory again and --cpus the CPUs.\n"           \
	"Numbers are decimal or 0x hexadecimal.\n"

static const char vm_help[] =
	"usage: fwkit vm dtb   [DESC] -o OUT.dtb\n"
	"       fwkit vm acpi  [DESC] [--base ADDR] -o DIR | -o FILE\n"
	"       fwkit vm check [DESC] [--dtb FILE] [--acpi DIR]\n"
	"       fwkit vm map   [DESC] [--json]\n"
	"\n"
	"Describe a virtual machine once and get the device tree and the ACPI tables\n"
	"its guest boots with, both describing the same machine.\n"
	"\n"
	"  dtb    the packed device tree\n"
	"  acpi   the ACPI tables: one file per table, or laid out in one file\n"
	"  check  read both outputs back and compare every device (parity)\n"
	"  map    the memory map: device, base, end, size, interrupts\n"
	"\n" DESC_HELP "\n"
	"Run 'fwkit vm dtb --help' (acpi, check, map) for a command's options.\n"
	"Exit status: 0 success; 1 a finding (check: the outputs differ); 2 bad usage\n"
	"or a bad description (one line naming the file and the field).\n";

static const char dtb_help[] =
	"usage: fwkit vm dtb [DESC] -o OUT.dtb\n"
	"\n"
	"Write the machine's device tree, packed (its totalsize is the file's size),\n"
	"as QEMU's -dtb and a kernel take it: CPUs and PSCI, memory, the interrupt\n"
	"controller, the architected timer, the UART, the RTC, virtio-mmio\n"
	"transports, the PCIe host bridge and /chosen, with fixed phandles\n"
	"(docs/vm.md).  One line on stdout: \"OUT: N bytes\".\n"
	"\n"
	"  -o OUT   written to a temporary file, renamed when complete; on an error\n"
	"           an existing OUT stays as it was\n"
	"\n" DESC_HELP "\n"
	"Exit status: 0 success; 2 bad usage or a bad description.\n";

static const char acpi_help[] =
	"usage: fwkit vm acpi [DESC] [--base ADDR] -o DIR\n"
	"       fwkit vm acpi [DESC] --base ADDR -o FILE\n"
	"\n"
	"Write the machine's ACPI tables, built without iasl: on arm64 RSDP, XSDT,\n"
	"FADT (hardware-reduced, PSCI), DSDT, MADT, GTDT, SPCR, DBG2, MCFG, PPTT,\n"
	"IORT (ITS and PCIe); on x86_64 RSDP, XSDT, FADT, FACS, DSDT, MADT, MCFG;\n"
	"SRAT and SLIT with NUMA nodes.  They are laid out as if at guest-physical\n"
	"address ADDR (--base, a multiple of 16, default 0): RSDP first, every\n"
	"pointer and checksum final.\n"
	"\n"
	"  -o DIR       one file per table, named as acpixtract names them: the\n"
	"               signature in lower case and .dat (rsdp.dat, xsdt.dat,\n"
	"               facp.dat, dsdt.dat, apic.dat, ...).  This is the form\n"
	"               without --base, or when DIR exists or ends in '/'.  DIR is\n"
	"               created when absent; a *.dat file in it that this machine\n"
	"               does not have is refused ('vm check --acpi' reads them all).\n"
	"               Without --base, RSDP, XSDT and FADT pointers refer to base 0.\n"
	"  --base ADDR  with -o FILE: all tables in one file, byte for byte what\n"
	"               goes into guest memory at ADDR\n"
	"One line per file on stdout.  Each file is written to a temporary file and\n"
	"renamed when complete; a bad description or a refused DIR writes nothing.\n"
	"\n" DESC_HELP "\n"
	"Exit status: 0 success; 2 bad usage or a bad description.\n";

static const char check_help[] =
	"usage: fwkit vm check [DESC] [--dtb FILE] [--acpi DIR]\n"
	"\n"
	"Read the device tree and the ACPI tables back, each on its own, and compare\n"
	"what they describe: CPUs, memory, the interrupt controller, the timer, the\n"
	"UART, virtio-mmio transports, the PCIe host bridge and its windows, with\n"
	"their addresses and interrupts (docs/vm.md says what only one output\n"
	"carries).  What --dtb and --acpi do not give is generated from DESC.\n"
	"\n"
	"  --dtb FILE   the device tree to check\n"
	"  --acpi DIR   the ACPI tables to check: every *.dat file in DIR, as\n"
	"               'fwkit vm acpi -o DIR' or acpixtract writes them\n"
	"\n"
	"In parity: one line on stdout, \"N devices in parity (device tree N,\n"
	"ACPI N)\".  Otherwise one line on stderr per difference, interrupts as GIC\n"
	"INTIDs (arm64) or GSIs (x86_64):\n"
	"  fwkit: vm check: virtio 3 at 0xa000600: irq differs: dt 51 acpi 52\n"
	"  fwkit: vm check: cpu 3 (id 0x3): only in the device tree\n"
	"\n" DESC_HELP "\n"
	"Exit status: 0 in parity; 1 differences; 2 bad usage, a bad description or\n"
	"an unreadable input (one line naming the file and the field).\n";

static const char map_help[] =
	"usage: fwkit vm map [DESC] [--json]\n"
	"\n"
	"The machine's memory map as its outputs say it (the device tree read back\n"
	"on arm64, the ACPI tables on x86_64), one row per region sorted by base:\n"
	"device, base, end (inclusive), size, and interrupts as the guest sees them\n"
	"(arm64: SPI or PPI number and GIC INTID; x86_64: GSI).  I/O port regions\n"
	"(x86_64) follow the memory regions, then the timer.\n"
	"\n"
	"  --json   the same as one JSON object: {\"arch\", \"regions\": [{\"device\",\n"
	"           \"index\", \"space\", \"base\", \"end\", \"size\", \"irq\",\n"
	"           \"interrupt\"}]} (irq: INTIDs or GSIs)\n"
	"\n" DESC_HELP "\n"
	"Exit status: 0 success; 2 bad usage or a bad description.\n";

/* ---- arguments ----------------------------------------------------------- */

enum {
	OPT_HELP = 'h',
	OPT_OUT = 'o',
	OPT_SPEC = 256,
	OPT_ARCH,
	/* DESC flags: applied in order, after --spec and --arch. */
	OPT_CPUS,
	OPT_MEMORY,
	OPT_NUMA,
	OPT_GIC,
	OPT_ITS,
	OPT_NO_ITS,
	OPT_VIRTIO,
	OPT_PCIE,
	OPT_NO_PCIE,
	OPT_CONDUIT,
	OPT_BOOTARGS,
	OPT_INITRD_START,
	OPT_INITRD_END,
	OPT_RNG_SEED,
	OPT_OEM_ID,
	OPT_OEM_TABLE_ID,
	OPT_OEM_REVISION,
	/* per command */
	OPT_BASE,
	OPT_DTB,
	OPT_ACPI,
	OPT_JSON,
};

static const struct option vm_options[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "output", required_argument, NULL, OPT_OUT },
	{ "spec", required_argument, NULL, OPT_SPEC },
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "numa", required_argument, NULL, OPT_NUMA },
	{ "gic", required_argument, NULL, OPT_GIC },
	{ "its", no_argument, NULL, OPT_ITS },
	{ "no-its", no_argument, NULL, OPT_NO_ITS },
	{ "virtio-mmio", required_argument, NULL, OPT_VIRTIO },
	{ "pcie", no_argument, NULL, OPT_PCIE },
	{ "no-pcie", no_argument, NULL, OPT_NO_PCIE },
	{ "psci-conduit", required_argument, NULL, OPT_CONDUIT },
	{ "bootargs", required_argument, NULL, OPT_BOOTARGS },
	{ "initrd-start", required_argument, NULL, OPT_INITRD_START },
	{ "initrd-end", required_argument, NULL, OPT_INITRD_END },
	{ "rng-seed", required_argument, NULL, OPT_RNG_SEED },
	{ "oem-id", required_argument, NULL, OPT_OEM_ID },
	{ "oem-table-id", required_argument, NULL, OPT_OEM_TABLE_ID },
	{ "oem-revision", required_argument, NULL, OPT_OEM_REVISION },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "acpi", required_argument, NULL, OPT_ACPI },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

/* The options each command takes beyond DESC. */
enum { TAKES_OUT = 1, TAKES_BASE = 2, TAKES_DTB = 4, TAKES_ACPI = 8, TAKES_JSON = 16 };

struct desc_flag {
	int opt;
	const char *arg;
};

struct vm_args {
	const char *cmd;  /* "vm dtb", for messages */
	const char *spec; /* --spec or the one argument */
	const char *arch;
	struct desc_flag *flag; /* DESC flags in command-line order */
	size_t nflags;
	const char *out, *dtb, *acpi;
	bool have_base, json;
	uint64_t base;
};

static const char *opt_name(int opt)
{
	for (const struct option *o = vm_options; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

/* Parse argv into a; returns -1 to go on, or the exit status. */
static int vm_getopt(struct vm_args *a, const char *cmd, const char *help, unsigned takes,
		     int argc, char **argv)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->flag = calloc((size_t)argc + 1, sizeof(*a->flag));
	if (!a->flag)
		return bad("out of memory");
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", vm_options, NULL)) != -1) {
		unsigned need = c == OPT_OUT	? TAKES_OUT
				: c == OPT_BASE ? TAKES_BASE
				: c == OPT_DTB	? TAKES_DTB
				: c == OPT_ACPI ? TAKES_ACPI
				: c == OPT_JSON ? TAKES_JSON
						: 0;
		if (need && !(takes & need))
			return c == OPT_OUT ? usage_error(cmd, "-o: this command writes no file")
					    : usage_error(cmd, "--%s: not an option of this command",
							  opt_name(c));
		switch (c) {
		case OPT_HELP:
			fputs(help, stdout);
			return EXIT_OK;
		case OPT_OUT:
			if (!*optarg)
				return usage_error(cmd, "-o: the output name is empty");
			a->out = optarg;
			break;
		case OPT_SPEC:
			if (a->spec)
				return usage_error(cmd, "--spec: only one description file");
			a->spec = optarg;
			break;
		case OPT_ARCH:
			a->arch = optarg;
			break;
		case OPT_BASE:
			if (!parse_u64(optarg, UINT64_MAX, &a->base))
				return usage_error(cmd, "--base '%s': not an address", optarg);
			a->have_base = true;
			break;
		case OPT_DTB:
			a->dtb = optarg;
			break;
		case OPT_ACPI:
			a->acpi = optarg;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		default:
			if (c >= OPT_CPUS && c <= OPT_OEM_REVISION) {
				a->flag[a->nflags++] = (struct desc_flag){ c, optarg };
				break;
			}
			return bad_option(cmd, argv);
		}
	}
	if (optind < argc && !a->spec)
		a->spec = argv[optind++];
	else if (optind < argc && a->spec && argc - optind == 1)
		return usage_error(cmd, "'%s': the description is already --spec %s", argv[optind],
				   a->spec);
	if (optind < argc)
		return usage_error(cmd, "'%s': unexpected argument", argv[optind]);
	if ((takes & TAKES_OUT) && !a->out)
		return usage_error(cmd, "-o %s is required", takes & TAKES_BASE ? "DIR or FILE" : "OUT");
	return -1;
}

static void vm_args_free(struct vm_args *a)
{
	free(a->flag);
}

/* ---- the description ------------------------------------------------------ */

static const char *fault_field(const struct fwk_fault *f)
{
	return f->field ? f->field : "description";
}

static const char *fault_detail(const struct fwk_fault *f, int rc)
{
	return f->detail ? f->detail : fwk_strerror(rc);
}

/* A size: decimal or 0x hex, optionally K, M, G or T (KiB, K or KB: all
 * binary). */
static bool parse_size(const char *s, uint64_t *out)
{
	int base = 10;
	uint64_t v = 0;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	const char *digits = p;
	for (;; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : base == 16 ? fwk_hex_digit(*p) : -1;
		if (d < 0)
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (p == digits)
		return false;
	unsigned shift = 0;
	switch (*p) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	default: break;
	}
	if (shift) {
		p++;
		if (p[0] == 'i' && p[1] == 'B')
			p += 2;
		else if (p[0] == 'B')
			p++;
	}
	if (*p || (shift && v > UINT64_MAX >> shift))
		return false;
	*out = v << shift;
	return true;
}

/* 1 to dstsize - 1 printable ASCII characters into a NUL-padded field. */
static bool set_id(char *dst, size_t dstsize, const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= dstsize)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	memset(dst, 0, dstsize);
	memcpy(dst, s, n);
	return true;
}

static bool set_seed(struct vm_desc *d, const char *s)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	size_t n = strlen(s);
	if (n % 2 || n / 2 > VM_RNG_SEED_MAX)
		return false;
	uint8_t seed[VM_RNG_SEED_MAX];
	for (size_t i = 0; i < n / 2; i++) {
		int hi = fwk_hex_digit(s[2 * i]), lo = fwk_hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		seed[i] = (uint8_t)(hi << 4 | lo);
	}
	memset(d->chosen.rng_seed, 0, sizeof(d->chosen.rng_seed));
	memcpy(d->chosen.rng_seed, seed, n / 2);
	d->chosen.rng_seed_len = (uint32_t)(n / 2);
	return true;
}

/* Split memory (2 MiB-aligned parts) and/or CPUs evenly over the nodes,
 * the remainder to the last. */
static void numa_split(struct vm_desc *d, bool memory, bool cpus)
{
	uint32_t n = d->nodes;

	if (n == 0 || n > VM_NODES_MAX)
		return;
	uint64_t part = d->mem_size / n & ~(uint64_t)0x1fffff;
	uint32_t per = d->cpus / n;
	for (uint32_t i = 0; i < VM_NODES_MAX; i++) {
		bool last = i == n - 1, in = i < n;
		if (memory)
			d->node[i].mem_size = !in ? 0 : last ? d->mem_size - part * (n - 1) : part;
		if (cpus)
			d->node[i].cpus = !in ? 0 : last ? d->cpus - per * (n - 1) : per;
	}
}

/* The standard machine with a GICv2 or GICv3, as the library lays it out
 * (QEMU virt puts the v2m frame elsewhere than the ITS). */
static void gic_standard(struct vm_desc *d, enum vm_irqchip gic)
{
	static const char v2[] = "{\"gic\": {\"version\": 2}}";

	vm_default(d, VM_ARM64);
	if (gic == VM_GICV2 && vm_parse_json(d, v2, sizeof(v2) - 1, NULL) < 0)
		vm_default(d, VM_ARM64);
}

/* --gic: the version, and every GIC address still at the other version's
 * standard place moved to this one's.  -1, or the exit status. */
static int gic_switch(struct vm_desc *d, enum vm_irqchip gic)
{
	struct vm_desc *from = malloc(sizeof(*from)), *to = malloc(sizeof(*to));

	if (!from || !to) {
		free(from);
		free(to);
		return bad("out of memory");
	}
	if (d->irqchip != gic) {
		gic_standard(from, d->irqchip);
		gic_standard(to, gic);
		uint64_t *field[] = { &d->gicd_base, &d->gicc_base, &d->gicr_base, &d->gicr_size,
				      &d->its_base };
		const uint64_t *was[] = { &from->gicd_base, &from->gicc_base, &from->gicr_base,
					  &from->gicr_size, &from->its_base };
		const uint64_t *now[] = { &to->gicd_base, &to->gicc_base, &to->gicr_base,
					  &to->gicr_size, &to->its_base };
		for (size_t i = 0; i < sizeof(field) / sizeof(field[0]); i++)
			if (*field[i] == *was[i])
				*field[i] = *now[i];
		d->irqchip = gic;
	}
	free(from);
	free(to);
	return -1;
}

/* Apply one DESC flag; -1 when done, else the exit status. */
static int apply_flag(const struct vm_args *a, struct vm_desc *d, const struct desc_flag *fl,
		      bool *split_mem, bool *split_cpus)
{
	const char *cmd = a->cmd, *v = fl->arg, *name = opt_name(fl->opt);
	bool arm = d->arch == VM_ARM64;
	uint64_t n;

	switch (fl->opt) {
	case OPT_GIC: case OPT_ITS: case OPT_NO_ITS: case OPT_CONDUIT:
		if (!arm)
			return usage_error(cmd, "--%s: only for an arm64 machine", name);
		break;
	default:
		break;
	}
	switch (fl->opt) {
	case OPT_CPUS:
		if (!parse_u64(v, UINT32_MAX, &n))
			return usage_error(cmd, "--cpus '%s': not a number", v);
		d->cpus = (uint32_t)n;
		/* A topology that no longer multiplies out is dropped. */
		if ((uint64_t)d->sockets * d->clusters * d->cores * d->threads != n)
			d->sockets = d->clusters = d->cores = d->threads = 0;
		*split_cpus = true;
		break;
	case OPT_MEMORY:
		if (!parse_size(v, &n))
			return usage_error(cmd, "--memory '%s': not a size (e.g. 2G, 512M, 0x40000000)",
					   v);
		d->mem_size = n;
		*split_mem = true;
		break;
	case OPT_NUMA:
		if (!parse_u64(v, VM_NODES_MAX, &n))
			return usage_error(cmd, "--numa '%s': not a node count up to %u", v,
					   VM_NODES_MAX);
		/* One node is no NUMA at all (vm_validate says so). */
		d->nodes = n < 2 ? 0 : (uint32_t)n;
		memset(d->node, 0, sizeof(d->node));
		*split_mem = *split_cpus = true;
		break;
	case OPT_GIC:
		if (!strcmp(v, "v2") || !strcmp(v, "2"))
			return gic_switch(d, VM_GICV2);
		if (!strcmp(v, "v3") || !strcmp(v, "3"))
			return gic_switch(d, VM_GICV3);
		return usage_error(cmd, "--gic '%s': not v2 or v3", v);
	case OPT_ITS:
		d->its = true;
		break;
	case OPT_NO_ITS:
		d->its = false;
		break;
	case OPT_VIRTIO:
		if (!parse_u64(v, UINT32_MAX, &n))
			return usage_error(cmd, "--virtio-mmio '%s': not a number", v);
		d->virtio.count = (uint32_t)n;
		break;
	case OPT_PCIE:
		d->pcie.present = true;
		break;
	case OPT_NO_PCIE:
		d->pcie.present = false;
		break;
	case OPT_CONDUIT:
		if (!strcmp(v, "hvc"))
			d->psci.conduit = VM_PSCI_HVC;
		else if (!strcmp(v, "smc"))
			d->psci.conduit = VM_PSCI_SMC;
		else
			return usage_error(cmd, "--psci-conduit '%s': not hvc or smc", v);
		break;
	case OPT_BOOTARGS:
		if (strlen(v) >= VM_BOOTARGS_MAX)
			return usage_error(cmd, "--bootargs: longer than %u bytes",
					   VM_BOOTARGS_MAX - 1);
		memset(d->chosen.bootargs, 0, sizeof(d->chosen.bootargs));
		memcpy(d->chosen.bootargs, v, strlen(v));
		break;
	case OPT_INITRD_START:
	case OPT_INITRD_END:
		if (!parse_u64(v, UINT64_MAX, &n))
			return usage_error(cmd, "--%s '%s': not an address", name, v);
		*(fl->opt == OPT_INITRD_START ? &d->chosen.initrd_start : &d->chosen.initrd_end) = n;
		break;
	case OPT_RNG_SEED:
		if (!*v) {
			d->chosen.rng_seed_len = 0;
			break;
		}
		if (!set_seed(d, v))
			return usage_error(cmd, "--rng-seed: not 1 to %u bytes in hex", VM_RNG_SEED_MAX);
		break;
	case OPT_OEM_ID:
		if (!set_id(d->acpi.oem_id, sizeof(d->acpi.oem_id), v))
			return usage_error(cmd, "--oem-id '%s': not 1 to 6 printable characters", v);
		break;
	case OPT_OEM_TABLE_ID:
		if (!set_id(d->acpi.oem_table_id, sizeof(d->acpi.oem_table_id), v))
			return usage_error(cmd, "--oem-table-id '%s': not 1 to 8 printable characters",
					   v);
		break;
	case OPT_OEM_REVISION:
		if (!parse_u64(v, UINT32_MAX, &n))
			return usage_error(cmd, "--oem-revision '%s': not a number up to 0xffffffff", v);
		d->acpi.oem_revision = (uint32_t)n;
		break;
	default:
		break;
	}
	return -1;
}

static int parse_arch(const struct vm_args *a, enum vm_arch *arch)
{
	if (!strcmp(a->arch, "arm64") || !strcmp(a->arch, "aarch64"))
		*arch = VM_ARM64;
	else if (!strcmp(a->arch, "x86_64") || !strcmp(a->arch, "x86-64") ||
		 !strcmp(a->arch, "amd64"))
		*arch = VM_X86_64;
	else
		return usage_error(a->cmd, "--arch '%s': not arm64 or x86_64", a->arch);
	return -1;
}

static const char *arch_name(enum vm_arch arch)
{
	return arch == VM_X86_64 ? "x86_64" : "arm64";
}

/* Is the fault f in the file alone (and not made by a flag)? */
static bool spec_faulty(const char *spec, const struct fwk_fault *f)
{
	struct vm_desc *d = malloc(sizeof(*d));
	struct fwk_fault g = { 0 };
	struct input in;
	bool same = false;

	if (d && input_open(&in, spec) == 0) {
		same = vm_parse_json(d, (const char *)in.data, (size_t)in.len, &g) >= 0 &&
		       vm_validate(d, &g) < 0 && g.field && f->field && !strcmp(g.field, f->field);
		input_release(&in);
	}
	free(d);
	return same;
}

/* The description: defaults or --spec, then the flags in order, then
 * vm_validate.  -1 when d is ready, else the exit status. */
static int desc_build(const struct vm_args *a, struct vm_desc *d)
{
	enum vm_arch arch = VM_ARM64;
	struct fwk_fault f = { 0 };
	int rc;

	if (a->arch && (rc = parse_arch(a, &arch)) >= 0)
		return rc;
	if (a->spec) {
		struct input in;
		if (input_open(&in, a->spec) != 0)
			return EXIT_BAD;
		rc = vm_parse_json(d, (const char *)in.data, (size_t)in.len, &f);
		input_release(&in);
		if (rc < 0)
			return bad("%s: %s: %s (byte %llu)", a->spec, fault_field(&f),
				   fault_detail(&f, rc), (unsigned long long)f.offset);
		if (a->arch && d->arch != arch)
			return usage_error(a->cmd, "--arch %s: %s describes an %s machine", a->arch,
					   a->spec, arch_name(d->arch));
	} else {
		vm_default(d, arch);
	}
	bool split_mem = false, split_cpus = false;
	for (size_t i = 0; i < a->nflags; i++)
		if ((rc = apply_flag(a, d, &a->flag[i], &split_mem, &split_cpus)) >= 0)
			return rc;
	if (split_mem || split_cpus)
		numa_split(d, split_mem, split_cpus);
	rc = vm_validate(d, &f);
	if (rc >= 0)
		return -1;
	if (a->spec && spec_faulty(a->spec, &f))
		return bad("%s: %s: %s", a->spec, fault_field(&f), fault_detail(&f, rc));
	return bad("%s: %s", fault_field(&f), fault_detail(&f, rc));
}

/* ---- generation ------------------------------------------------------------ */

/* The device tree in a new buffer; NULL after one message. */
static uint8_t *make_dtb(const struct vm_desc *d, size_t *len)
{
	struct fwk_fault f = { 0 };
	size_t cap = vm_dtb_size(d);
	uint8_t *buf = malloc(cap ? cap : 1);

	if (!buf) {
		msg("device tree: out of memory");
		return NULL;
	}
	int rc = vm_dtb(d, buf, cap, len, &f);
	if (rc < 0) {
		msg("device tree: %s: %s", fault_field(&f), fault_detail(&f, rc));
		free(buf);
		return NULL;
	}
	return buf;
}

/* The ACPI tables laid out at base in a new buffer; NULL after one message. */
static uint8_t *make_acpi(const struct vm_desc *d, uint64_t base, struct vm_acpi_layout *lay)
{
	struct fwk_fault f = { 0 };
	size_t cap = vm_acpi_size(d);
	uint8_t *buf = calloc(cap ? cap : 1, 1);

	if (!buf) {
		msg("ACPI: out of memory");
		return NULL;
	}
	memset(lay, 0, sizeof(*lay));
	int rc = vm_acpi(d, base, buf, cap, lay, &f);
	if (rc < 0) {
		msg("ACPI: %s: %s", fault_field(&f), fault_detail(&f, rc));
		free(buf);
		return NULL;
	}
	if (lay->count > VM_TABLES_MAX || lay->total > cap) {
		msg("ACPI: layout: %u tables, %u bytes: more than the library allows", lay->count,
		    lay->total);
		free(buf);
		return NULL;
	}
	for (uint32_t i = 0; i < lay->count; i++)
		if ((uint64_t)lay->table[i].offset + lay->table[i].length > lay->total) {
			msg("ACPI: layout: table %u (%.4s) runs past the end", i, lay->table[i].sig);
			free(buf);
			return NULL;
		}
	return buf;
}

/* ---- dtb -------------------------------------------------------------------- */

static int do_dtb(int argc, char **argv)
{
	struct vm_args a;
	struct vm_desc *d = malloc(sizeof(*d));
	int rc = vm_getopt(&a, "vm dtb", dtb_help, TAKES_OUT, argc, argv);

	if (rc < 0 && !d)
		rc = bad("out of memory");
	if (rc < 0)
		rc = desc_build(&a, d);
	if (rc < 0) {
		size_t len = 0;
		uint8_t *buf = make_dtb(d, &len);
		rc = !buf ? EXIT_BAD : output_write(a.out, buf, len);
		if (rc == 0)
			printf("%s: %zu bytes\n", a.out, len);
		free(buf);
	}
	vm_args_free(&a);
	free(d);
	return rc;
}

/* ---- acpi ------------------------------------------------------------------- */

/* File names for the tables as acpixtract gives them: "facp.dat", and
 * "ssdt1.dat", "ssdt2.dat" for a signature that occurs more than once. */
static int table_names(const struct vm_acpi_layout *lay, char names[][16])
{
	for (uint32_t i = 0; i < lay->count; i++) {
		const char *sig = lay->table[i].sig;
		char low[5] = "";
		size_t n = 0;
		while (n < 4 && sig[n] && sig[n] != ' ') {
			char c = sig[n];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
				return bad("ACPI: table %u: signature \"%.4s\" is not a file name", i,
					   sig);
			low[n++] = c;
		}
		low[n] = '\0';
		if (n == 0)
			return bad("ACPI: table %u: empty signature", i);
		unsigned same = 0, nth = 0;
		for (uint32_t j = 0; j < lay->count; j++)
			if (!strncmp(lay->table[j].sig, sig, 4)) {
				same++;
				if (j <= i)
					nth++;
			}
		if (same > 1)
			snprintf(names[i], 16, "%s%u.dat", low, nth);
		else
			snprintf(names[i], 16, "%s.dat", low);
	}
	return 0;
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	bool slash = n && dir[n - 1] == '/';
	char *p = malloc(n + strlen(name) + 2);

	if (p)
		sprintf(p, "%s%s%s", dir, slash ? "" : "/", name);
	return p;
}

/* Call fn for each *.dat file of DIR (a directory) until it returns
 * non-zero, which is returned. */
static int each_dat(const char *dir, int (*fn)(void *ctx, const char *dir, const char *name),
		    void *ctx)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!dp)
		return bad("%s: %s", dir, strerror(errno));
	while (rc == 0 && (e = readdir(dp))) {
		size_t n = strlen(e->d_name);
		if (n >= 5 && strcmp(e->d_name + n - 4, ".dat") == 0)
			rc = fn(ctx, dir, e->d_name);
	}
	closedir(dp);
	return rc;
}

struct known_tables {
	char (*names)[16];
	uint32_t count;
};

static int refuse_unknown(void *ctx, const char *dir, const char *name)
{
	const struct known_tables *k = ctx;

	for (uint32_t i = 0; i < k->count; i++)
		if (!strcmp(name, k->names[i]))
			return 0;
	return bad("%s%s%s: a table this machine does not have; remove it or write to "
		   "an empty directory",
		   dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
}

/* Create DIR when absent; refuse *.dat files there this layout does not
 * write, as `vm check --acpi DIR` would read them. */
static int prepare_dir(const char *dir, char names[][16], uint32_t count)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		if (errno != ENOENT)
			return bad("%s: %s", dir, strerror(errno));
		if (mkdir(dir, 0755) != 0)
			return bad("%s: cannot create the directory: %s", dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return bad("%s: not a directory (with --base, -o FILE writes one file)", dir);
	struct known_tables k = { names, count };
	return each_dat(dir, refuse_unknown, &k);
}

static int acpi_write_dir(const char *dir, const uint8_t *buf, const struct vm_acpi_layout *lay)
{
	char names[VM_TABLES_MAX][16];
	int rc = table_names(lay, names);

	if (rc == 0)
		rc = prepare_dir(dir, names, lay->count);
	for (uint32_t i = 0; rc == 0 && i < lay->count; i++) {
		char *p = path_join(dir, names[i]);
		if (!p)
			return bad("%s: out of memory", dir);
		rc = output_write(p, buf + lay->table[i].offset, lay->table[i].length);
		if (rc == 0)
			printf("%s: %.4s, %u bytes at 0x%llx\n", p, lay->table[i].sig,
			       lay->table[i].length,
			       (unsigned long long)(lay->base + lay->table[i].offset));
		free(p);
	}
	return rc;
}

static int do_acpi(int argc, char **argv)
{
	struct vm_args a;
	struct vm_desc *d = malloc(sizeof(*d));
	int rc = vm_getopt(&a, "vm acpi", acpi_help, TAKES_OUT | TAKES_BASE, argc, argv);

	if (rc < 0 && !d)
		rc = bad("out of memory");
	if (rc < 0)
		rc = desc_build(&a, d);
	if (rc < 0) {
		struct vm_acpi_layout lay;
		uint8_t *buf = make_acpi(d, a.base, &lay);
		struct stat st;
		size_t n = strlen(a.out);
		bool dir = !a.have_base || a.out[n - 1] == '/' ||
			   (stat(a.out, &st) == 0 && S_ISDIR(st.st_mode));
		if (!buf)
			rc = EXIT_BAD;
		else if (dir)
			rc = acpi_write_dir(a.out, buf, &lay);
		else if ((rc = output_write(a.out, buf, lay.total)) == 0)
			printf("%s: %u tables, %u bytes at 0x%llx\n", a.out, lay.count, lay.total,
			       (unsigned long long)lay.base);
		free(buf);
	}
	vm_args_free(&a);
	free(d);
	return rc;
}

/* ---- devices, read back ----------------------------------------------------- */

#define VM_DEVS_MAX (VM_CPUS_MAX * 2u + 512u)

struct devlist {
	struct vm_dev *dev;
	size_t n;
};

static int read_dt_devices(const char *name, const void *dtb, size_t len, struct devlist *l)
{
	struct fwk_fault f = { 0 };
	char path[256];

	l->dev = calloc(VM_DEVS_MAX, sizeof(*l->dev));
	if (!l->dev)
		return bad("%s: out of memory", name);
	int rc = vm_dt_devices(dtb, len, l->dev, VM_DEVS_MAX, &l->n, &f);
	if (rc >= 0)
		return 0;
	/* As `fwkit dt check` says it: the node the fault is in, when known. */
	if (dt_node_path_at(dtb, len, f.offset, path, sizeof(path)) >= 0)
		return bad("%s: offset %llu (%s): %s: %s", name, (unsigned long long)f.offset, path,
			   fault_field(&f), fault_detail(&f, rc));
	return bad("%s: offset %llu: %s: %s", name, (unsigned long long)f.offset, fault_field(&f),
		   fault_detail(&f, rc));
}

/* names[i] names table t[i] in messages (a file, or a signature). */
static int read_acpi_devices(const char *const *names, const struct vm_blob *t, size_t nt,
			     struct devlist *l)
{
	struct fwk_fault f = { 0 };

	l->dev = calloc(VM_DEVS_MAX, sizeof(*l->dev));
	if (!l->dev)
		return bad("ACPI tables: out of memory");
	int rc = vm_acpi_devices(t, nt, l->dev, VM_DEVS_MAX, &l->n, &f);
	if (rc >= 0)
		return 0;
	/* The fault's offset counts across the tables laid end to end. */
	uint64_t at = f.offset;
	for (size_t i = 0; i < nt; i++) {
		if (at < t[i].len)
			return bad("%s: offset %llu: %s: %s", names[i], (unsigned long long)at,
				   fault_field(&f), fault_detail(&f, rc));
		at -= t[i].len;
	}
	return bad("ACPI tables: %s: %s", fault_field(&f), fault_detail(&f, rc));
}

/* The blobs of every table in a layout, and names for messages. */
struct layout_tables {
	struct vm_blob blob[VM_TABLES_MAX];
	char name[VM_TABLES_MAX][40];
	const char *names[VM_TABLES_MAX];
	size_t n;
};

static void layout_tables(const uint8_t *buf, const struct vm_acpi_layout *lay,
			  struct layout_tables *t)
{
	for (uint32_t i = 0; i < lay->count; i++) {
		t->blob[i] = (struct vm_blob){ buf + lay->table[i].offset, lay->table[i].length };
		snprintf(t->name[i], sizeof(t->name[i]), "generated %.4s", lay->table[i].sig);
		t->names[i] = t->name[i];
	}
	t->n = lay->count;
}

/* The ACPI tables generated for d at base 0, read back into l; *buf holds
 * the tables for the caller to free. */
static int generated_acpi_devices(const struct vm_desc *d, uint8_t **buf, struct devlist *l)
{
	struct vm_acpi_layout lay;
	struct layout_tables t;

	*buf = make_acpi(d, 0, &lay);
	if (!*buf)
		return EXIT_BAD;
	layout_tables(*buf, &lay, &t);
	return read_acpi_devices(t.names, t.blob, t.n, l);
}

/* ---- check ------------------------------------------------------------------ */

#define ACPI_FILES_MAX 64u

/* Every *.dat in dir, in name order. */
struct tabledir {
	struct input in[ACPI_FILES_MAX];
	struct vm_blob blob[ACPI_FILES_MAX];
	char *path[ACPI_FILES_MAX];
	size_t n;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int tabledir_add(void *ctx, const char *dir, const char *name)
{
	struct tabledir *t = ctx;

	if (t->n == ACPI_FILES_MAX)
		return bad("%s: more than %u *.dat tables", dir, ACPI_FILES_MAX);
	if (!(t->path[t->n++] = path_join(dir, name)))
		return bad("%s: out of memory", dir);
	return 0;
}

static int tabledir_read(struct tabledir *t, const char *dir)
{
	struct stat st;

	memset(t, 0, sizeof(*t));
	if (stat(dir, &st) != 0)
		return bad("%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return bad("%s: not a directory (--acpi takes what 'fwkit vm acpi -o DIR' writes)",
			   dir);
	int rc = each_dat(dir, tabledir_add, t);
	if (rc == 0 && t->n == 0)
		rc = bad("%s: no *.dat table files", dir);
	if (rc != 0)
		return rc;
	qsort(t->path, t->n, sizeof(t->path[0]), name_cmp);
	for (size_t i = 0; i < t->n; i++) {
		if (input_open(&t->in[i], t->path[i]) != 0)
			return EXIT_BAD;
		t->blob[i] = (struct vm_blob){ t->in[i].data, (size_t)t->in[i].len };
	}
	return 0;
}

static void tabledir_free(struct tabledir *t)
{
	for (size_t i = 0; i < t->n; i++) {
		input_release(&t->in[i]);
		free(t->path[i]);
	}
}

static void irq_text(const struct vm_dev *v, char *out, size_t cap)
{
	size_t used = 0;

	out[0] = '\0';
	if (v->nirq == 0)
		snprintf(out, cap, "none");
	for (unsigned i = 0; i < v->nirq && i < 4; i++)
		used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, "%s%u",
					 i ? "," : "", v->irq[i]);
}

/* The value named by a parity difference ("base", "size", "irq", ...). */
static void dev_value(const struct vm_dev *v, const char *what, char *out, size_t cap)
{
	char irqs[64];

	irq_text(v, irqs, sizeof(irqs));
	if (!strcmp(what, "base"))
		snprintf(out, cap, "0x%llx", (unsigned long long)v->base);
	else if (!strcmp(what, "size"))
		snprintf(out, cap, "0x%llx", (unsigned long long)v->size);
	else if (!strncmp(what, "irq", 3) || !strcmp(what, "nirq"))
		snprintf(out, cap, "%s", irqs);
	else if (!strcmp(what, "index"))
		snprintf(out, cap, "%u", v->index);
	else
		snprintf(out, cap, "base 0x%llx size 0x%llx irq %s", (unsigned long long)v->base,
			 (unsigned long long)v->size, irqs);
}

static void dev_label(const struct vm_dev *v, char *out, size_t cap)
{
	if (v->kind == VM_DEV_CPU)
		snprintf(out, cap, "%s %u (id 0x%llx)", vm_dev_name(v->kind), v->index,
			 (unsigned long long)v->base);
	else
		snprintf(out, cap, "%s %u at 0x%llx", vm_dev_name(v->kind), v->index,
			 (unsigned long long)v->base);
}

static void on_mismatch(void *ctx, const struct vm_dev *dt, const struct vm_dev *acpi,
			const char *what)
{
	char label[96], a[96], b[96];

	(*(size_t *)ctx)++;
	dev_label(dt ? dt : acpi, label, sizeof(label));
	if (!dt || !acpi) {
		msg("vm check: %s: only in the %s", label, dt ? "device tree" : "ACPI tables");
		return;
	}
	if (!what)
		what = "description";
	dev_value(dt, what, a, sizeof(a));
	dev_value(acpi, what, b, sizeof(b));
	msg("vm check: %s: %s differs: dt %s acpi %s", label, what, a, b);
}

static int do_check(int argc, char **argv)
{
	struct vm_args a;
	struct vm_desc *d = malloc(sizeof(*d));
	struct devlist dt = { 0 }, ac = { 0 };
	struct tabledir *td = calloc(1, sizeof(*td));
	struct input dtbin = { 0 };
	uint8_t *gen_dtb = NULL, *gen_acpi = NULL;
	int rc = vm_getopt(&a, "vm check", check_help, TAKES_DTB | TAKES_ACPI, argc, argv);

	if (rc < 0 && (!d || !td))
		rc = bad("out of memory");
	if (rc < 0 && a.dtb && a.acpi && (a.spec || a.arch || a.nflags))
		rc = usage_error(a.cmd, "with both --dtb and --acpi, a description has no effect");
	if (rc < 0 && !(a.dtb && a.acpi))
		rc = desc_build(&a, d);
	if (rc >= 0)
		goto done;
	/* An x86_64 guest is described by ACPI alone: read it back, no more. */
	bool acpi_only = !a.dtb && d->arch == VM_X86_64;
	/* The device tree: the file, or generated. */
	if (acpi_only) {
		rc = 0;
	} else if (a.dtb) {
		if (input_open(&dtbin, a.dtb) != 0) {
			rc = EXIT_BAD;
			goto done;
		}
		rc = read_dt_devices(a.dtb, dtbin.data, (size_t)dtbin.len, &dt);
	} else {
		size_t len = 0;
		gen_dtb = make_dtb(d, &len);
		rc = gen_dtb ? read_dt_devices("generated device tree", gen_dtb, len, &dt)
			     : EXIT_BAD;
	}
	if (rc != 0)
		goto done;
	/* The ACPI tables: a directory of them, or generated. */
	if (a.acpi) {
		rc = tabledir_read(td, a.acpi);
		if (rc == 0)
			rc = read_acpi_devices((const char *const *)td->path, td->blob, td->n, &ac);
	} else {
		rc = generated_acpi_devices(d, &gen_acpi, &ac);
	}
	if (rc != 0)
		goto done;
	if (acpi_only) {
		printf("x86_64: the ACPI tables describe %zu devices (no device tree to compare: an "
		       "x86_64 guest has ACPI only)\n",
		       ac.n);
		rc = EXIT_OK;
		goto done;
	}
	size_t diffs = 0;
	vm_parity(dt.dev, dt.n, ac.dev, ac.n, on_mismatch, &diffs);
	if (diffs) {
		rc = EXIT_FINDING;
		goto done;
	}
	/* Devices compared: those of the device tree whose kind ACPI carries
	 * too (not an arm64 RTC, not memory without SRAT). */
	size_t same = 0;
	for (size_t i = 0; i < dt.n; i++)
		for (size_t j = 0; j < ac.n; j++)
			if (dt.dev[i].kind == ac.dev[j].kind) {
				same++;
				break;
			}
	printf("%zu devices in parity (device tree %zu, ACPI %zu)\n", same, dt.n, ac.n);
	rc = EXIT_OK;
done:
	if (td)
		tabledir_free(td);
	free(td);
	input_release(&dtbin);
	free(gen_dtb);
	free(gen_acpi);
	free(dt.dev);
	free(ac.dev);
	vm_args_free(&a);
	free(d);
	return rc;
}

/* ---- map -------------------------------------------------------------------- */

/* One row of the map. */
struct row {
	const struct vm_dev *dev;
	bool io;       /* x86_64 I/O port space */
	bool numbered; /* the kind occurs more than once, or is virtio */
	char name[40];
	char irq[128];
};

/* "4 KiB", "1 GiB", "767.9 MiB": the largest unit, one decimal when not
 * exact. */
static void human_size(uint64_t v, char *out, size_t cap)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;

	while (u < 6 && v >> (10 * (u + 1)))
		u++;
	uint64_t whole = v >> (10 * u), rest = v - (whole << (10 * u));
	if (rest == 0 || u == 0)
		snprintf(out, cap, "%llu %s", (unsigned long long)whole, unit[u]);
	else
		snprintf(out, cap, "%llu.%llu %s", (unsigned long long)whole,
			 (unsigned long long)((rest * 10) >> (10 * u)), unit[u]);
}

/* Numbers as runs: "3-6", "13,14,11,10". */
static size_t list_text(const uint32_t *v, unsigned n, uint32_t sub, char *out, size_t cap)
{
	size_t used = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < n;) {
		unsigned j = i;
		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (j < i + 2)
			j = i; /* a run of three or more only */
		if (j > i)
			used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, "%s%u-%u",
						 i ? "," : "", v[i] - sub, v[j] - sub);
		else
			used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, "%s%u",
						 i ? "," : "", v[i] - sub);
		i = j + 1;
	}
	return used;
}

/* "SPI 1 (INTID 33)", "PPI 13,14,11,10 (INTID 29,30,27,26)", "GSI 4", "-". */
static void irq_row_text(const struct vm_dev *v, bool arm, char *out, size_t cap)
{
	unsigned n = v->nirq < 4 ? v->nirq : 4;
	char a[48], b[48];

	if (n == 0) {
		snprintf(out, cap, "-");
		return;
	}
	if (!arm) {
		list_text(v->irq, n, 0, a, sizeof(a));
		/* an IOAPIC's number is the first GSI it serves */
		snprintf(out, cap, "GSI %s%s", v->kind == VM_DEV_IOAPIC ? "base " : "", a);
		return;
	}
	bool spi = v->irq[0] >= 32, ppi = v->irq[0] >= 16 && v->irq[0] < 32;
	for (unsigned i = 1; i < n; i++)
		if ((v->irq[i] >= 32) != spi || (v->irq[i] >= 16 && v->irq[i] < 32) != ppi)
			spi = ppi = false;
	list_text(v->irq, n, 0, b, sizeof(b));
	if (!spi && !ppi) {
		snprintf(out, cap, "INTID %s", b);
		return;
	}
	list_text(v->irq, n, spi ? 32 : 16, a, sizeof(a));
	snprintf(out, cap, "%s %s (INTID %s)", spi ? "SPI" : "PPI", a, b);
}

/* A region with an address (the timer has none; MADT gives an IOAPIC's
 * address without a size). */
static bool dev_addressed(const struct vm_dev *v)
{
	return v->base || v->size;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	bool ta = !dev_addressed(a->dev), tb = !dev_addressed(b->dev);

	if (a->io != b->io)
		return a->io ? 1 : -1;
	if (ta != tb)
		return ta ? 1 : -1;
	if (a->dev->base != b->dev->base)
		return a->dev->base < b->dev->base ? -1 : 1;
	if (a->dev->kind != b->dev->kind)
		return a->dev->kind < b->dev->kind ? -1 : 1;
	return a->dev->index < b->dev->index ? -1 : a->dev->index > b->dev->index;
}

/* On x86_64 the UART, the RTC and the PCIe I/O window are I/O ports. */
static bool dev_is_io(const struct vm_dev *v, bool arm)
{
	return !arm && (v->kind == VM_DEV_UART || v->kind == VM_DEV_RTC ||
			v->kind == VM_DEV_PCIE_PIO);
}

static void map_print(const struct row *r, size_t n)
{
	int w[3] = { 6, 4, 4 }; /* device, hex digits of base and end, size */
	char base[24], end[24], size[24];

	for (size_t i = 0; i < n; i++) {
		const struct vm_dev *v = r[i].dev;
		int l = (int)strlen(r[i].name);
		w[0] = l > w[0] ? l : w[0];
		l = snprintf(end, sizeof(end), "%llx",
			     (unsigned long long)(v->base + (v->size ? v->size - 1 : 0)));
		w[1] = dev_addressed(v) && l > w[1] ? l : w[1];
		human_size(v->size, size, sizeof(size));
		l = (int)strlen(size);
		w[2] = v->size && l > w[2] ? l : w[2];
	}
	printf("%-*s  %-*s  %-*s  %-*s  %s\n", w[0], "device", w[1] + 2, "base", w[1] + 2, "end",
	       w[2], "size", "interrupt");
	for (size_t i = 0; i < n; i++) {
		const struct vm_dev *v = r[i].dev;
		snprintf(base, sizeof(base), "-");
		snprintf(end, sizeof(end), "-");
		snprintf(size, sizeof(size), "-");
		/* Zero-padded to one width, so addresses line up digit by digit. */
		if (dev_addressed(v))
			snprintf(base, sizeof(base), "0x%0*llx", w[1], (unsigned long long)v->base);
		if (v->size) {
			snprintf(end, sizeof(end), "0x%0*llx", w[1],
				 (unsigned long long)(v->base + v->size - 1));
			human_size(v->size, size, sizeof(size));
		}
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", w[0], r[i].name, w[1] + 2, base, w[1] + 2, end,
		       w[2], size, r[i].irq);
	}
}

static void map_json(const struct row *r, size_t n, bool arm)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kstr(&j, "arch", arm ? "arm64" : "x86_64");
	json_key(&j, "regions");
	json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct vm_dev *v = r[i].dev;
		json_obj_begin(&j);
		json_kstr(&j, "device", vm_dev_name(v->kind));
		json_ku64(&j, "index", v->index);
		json_kstr(&j, "space", r[i].io ? "io" : dev_addressed(v) ? "memory" : "none");
		json_key(&j, "base");
		dev_addressed(v) ? json_u64(&j, v->base) : json_null(&j);
		json_key(&j, "end");
		v->size ? json_u64(&j, v->base + v->size - 1) : json_null(&j);
		json_ku64(&j, "size", v->size);
		json_key(&j, "irq");
		json_arr_begin(&j);
		for (unsigned k = 0; k < v->nirq && k < 4; k++)
			json_u64(&j, v->irq[k]);
		json_arr_end(&j);
		json_kstr(&j, "interrupt", r[i].irq);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
}

static int do_map(int argc, char **argv)
{
	struct vm_args a;
	struct vm_desc *d = malloc(sizeof(*d));
	struct devlist l = { 0 };
	struct row *r = NULL;
	uint8_t *out = NULL;
	struct vm_dev ram[VM_NODES_MAX];
	int rc = vm_getopt(&a, "vm map", map_help, TAKES_JSON, argc, argv);

	if (rc < 0 && !d)
		rc = bad("out of memory");
	if (rc < 0)
		rc = desc_build(&a, d);
	if (rc >= 0)
		goto done;
	bool arm = d->arch == VM_ARM64;
	/* What the outputs say: the device tree on arm64, ACPI on x86_64. */
	if (arm) {
		size_t len = 0;
		out = make_dtb(d, &len);
		rc = out ? read_dt_devices("generated device tree", out, len, &l) : EXIT_BAD;
	} else {
		rc = generated_acpi_devices(d, &out, &l);
	}
	if (rc != 0)
		goto done;
	r = calloc(l.n + VM_NODES_MAX, sizeof(*r));
	if (!r) {
		rc = bad("out of memory");
		goto done;
	}
	size_t n = 0;
	bool have_ram = false;
	for (size_t i = 0; i < l.n; i++)
		have_ram |= l.dev[i].kind == VM_DEV_MEMORY;
	for (size_t i = 0; i < l.n; i++) {
		const struct vm_dev *v = &l.dev[i];
		bool dup = false;
		if (v->kind == VM_DEV_CPU || (!dev_addressed(v) && v->nirq == 0))
			continue;
		/* One row per region, however many entries describe it. */
		for (size_t k = 0; k < n && !dup; k++)
			dup = r[k].dev->kind == v->kind && r[k].dev->base == v->base &&
			      r[k].dev->size == v->size;
		if (!dup)
			r[n++].dev = v;
	}
	/* ACPI without SRAT does not say where RAM is: the description does. */
	if (!have_ram) {
		uint64_t base = d->mem_base;
		uint32_t nodes = d->nodes ? d->nodes : 1;
		for (uint32_t i = 0; i < nodes && i < VM_NODES_MAX; i++) {
			uint64_t size = d->nodes ? d->node[i].mem_size : d->mem_size;
			ram[i] = (struct vm_dev){ .kind = VM_DEV_MEMORY, .index = i, .base = base,
						  .size = size };
			base += size;
			r[n++].dev = &ram[i];
		}
	}
	for (size_t i = 0; i < n; i++) {
		r[i].io = dev_is_io(r[i].dev, arm);
		irq_row_text(r[i].dev, arm, r[i].irq, sizeof(r[i].irq));
	}
	qsort(r, n, sizeof(*r), row_cmp);
	for (size_t i = 0; i < n; i++) {
		unsigned same = 0;
		for (size_t k = 0; k < n; k++)
			same += r[k].dev->kind == r[i].dev->kind;
		const char *name = vm_dev_name(r[i].dev->kind);
		if (same > 1 || r[i].dev->kind == VM_DEV_VIRTIO)
			snprintf(r[i].name, sizeof(r[i].name), "%s %u%s", name, r[i].dev->index,
				 r[i].io ? " (I/O)" : "");
		else
			snprintf(r[i].name, sizeof(r[i].name), "%s%s", name, r[i].io ? " (I/O)" : "");
	}
	if (a.json)
		map_json(r, n, arm);
	else
		map_print(r, n);
	rc = EXIT_OK;
done:
	free(r);
	free(out);
	free(l.dev);
	vm_args_free(&a);
	free(d);
	return rc;
}

/* ---- dispatch ----------------------------------------------------------------- */

int cmd_vm(int argc, char **argv)
{
	if (argc < 2) {
		fputs(vm_help, stderr);
		return EXIT_BAD;
	}
	const char *sub = argv[1];
	int rc;
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
		fputs(vm_help, stdout);
		return EXIT_OK;
	}
	if (!strcmp(sub, "dtb"))
		rc = do_dtb(argc - 1, argv + 1);
	else if (!strcmp(sub, "acpi"))
		rc = do_acpi(argc - 1, argv + 1);
	else if (!strcmp(sub, "check"))
		rc = do_check(argc - 1, argv + 1);
	else if (!strcmp(sub, "map"))
		rc = do_map(argc - 1, argv + 1);
	else
		return usage_error("vm", "unknown command '%s'", sub);
	if (fflush(stdout) != 0 || ferror(stdout))
		return bad("standard output: %s", strerror(errno));
	return rc;
}
