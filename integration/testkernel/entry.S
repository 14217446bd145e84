/* SPDX-License-Identifier: MIT */
/*
 * entry.S - the test kernel's boot headers and its way from a multiboot
 * loader's 32-bit protected mode into 64-bit C.
 *
 * Both headers use their "address" form (multiboot v1 flag 16, multiboot2
 * tags 2 and 3), so a loader copies the image by the linker's addresses
 * and never reads the ELF headers: QEMU's multiboot loader refuses a
 * 64-bit ELF, and GRUB takes the same path for both.
 *
 * Built with -DTK_PVH (build/testkernel-pvh.elf) the image has neither
 * header, since QEMU's -kernel would take multiboot first, and carries a
 * XEN_ELFNOTE_PHYS32_ENTRY note instead (Xen's PVH direct boot ABI): the
 * loader copies the PT_LOAD segments by their addresses and enters
 * tk_pvh_entry32 in the same 32-bit state with EBX the physical address
 * of struct hvm_start_info; EAX is undefined there, so that entry puts
 * TK_PVH_MARKER (the start info's own magic) in it for C to dispatch on.
 *
 * Machine state at tk_entry32 (both specifications): 32-bit protected mode,
 * flat 4 GiB CS and data segments, paging off, interrupts off, EAX the
 * loader's magic, EBX the physical address of its information, no stack,
 * GDTR and IDTR undefined.  The loader has zeroed .bss up to bss_end_addr.
 */

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00010002    /* bit 1: memory info; bit 16: address fields */
#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0

#define PTE_P 0x001
#define PTE_RW 0x002
#define PTE_PS 0x080            /* a 2 MiB page in a page directory entry */

#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define MSR_FS_BASE 0xc0000100

#define CR0_PE 0x00000001
#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PAE 0x020
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400

#define SEL_CODE64 0x08
#define SEL_DATA 0x10

#define XEN_ELFNOTE_PHYS32_ENTRY 18

#include "tk.h"   /* TK_STACK_SIZE, TK_STACK_PAINT, TK_FS_AREA_SIZE, TK_STACK_CANARY,
                     TK_PVH_MARKER */

#ifndef TK_PVH
/* ---- the headers: multiboot v1 in the first 8 KiB (4-aligned), multiboot2
 * in the first 32 KiB (8-aligned); kernel.ld puts this section first. ---- */
	.section .boot.headers, "a"
	.balign 8
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long (-(MB1_MAGIC + MB1_FLAGS)) & 0xffffffff
	.long mb1_header                /* header_addr */
	.long __image_start             /* load_addr */
	.long __load_end                /* load_end_addr */
	.long __bss_end                 /* bss_end_addr */
	.long tk_entry32                /* entry_addr */

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long (-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))) & 0xffffffff
	.balign 8
	.short 2, 0                     /* address tag */
	.long 24
	.long mb2_header                /* header_addr */
	.long __image_start             /* load_addr */
	.long __load_end                /* load_end_addr */
	.long __bss_end                 /* bss_end_addr */
	.balign 8
	.short 3, 0                     /* entry address tag */
	.long 12
	.long tk_entry32
	.balign 8
	.short 0, 0                     /* end tag */
	.long 8
mb2_header_end:
#else
/* ---- the PVH note: name "Xen", type XEN_ELFNOTE_PHYS32_ENTRY, the 32-bit
 * entry as an 8-byte desc (QEMU reads a 64-bit ELF's desc as 8 bytes and
 * finds it after the name padded to the PT_NOTE's alignment, 4). ------- */
	.section .tk.pvh.note, "a", @note
	.balign 4
	.long 4                         /* namesz */
	.long 8                         /* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad tk_pvh_entry32
#endif

/* ---- 32-bit entry ---------------------------------------------------- */
	.section .text.entry, "ax"
	.code32
#ifdef TK_PVH
	.globl tk_pvh_entry32
tk_pvh_entry32:
	mov $TK_PVH_MARKER, %eax
	/* falls through */
#endif
	.globl tk_entry32
tk_entry32:
	cli
	cld
	mov %eax, %ebp                  /* magic: kept until the call to C */
	mov %ebx, %esi                  /* info address */
	mov $tk_boot_stack_top, %esp

	/* Zero the PML4 and the PDPT (the loader zeroed .bss, but they are
	 * what paging trusts). */
	xor %eax, %eax
	mov $tk_pml4, %edi
	mov $(2 * 4096 / 4), %ecx
	rep stosl

	/* Page directories: 2048 entries of 2 MiB pages identity-mapping
	 * [0, 4 GiB), the four directories contiguous. */
	mov $tk_pd, %edi
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_RW | PTE_PS), %eax
	mov %eax, (%edi, %ecx, 8)
	movl $0, 4(%edi, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 1b

	/* The first 2 MiB through 4 KiB pages, page 0 not present: a NULL
	 * dereference faults (and, with no IDT, ends the run).  QEMU's PVH
	 * loader puts the memory map in page 0, so there it is read-only
	 * (CR0.WP makes that bind ring 0): a NULL store still faults. */
	mov $tk_pt0, %edi
#ifdef TK_PVH
	movl $PTE_P, (%edi)
#else
	movl $0, (%edi)
#endif
	movl $0, 4(%edi)
	mov $1, %ecx
1:	mov %ecx, %eax
	shl $12, %eax
	or $(PTE_P | PTE_RW), %eax
	mov %eax, (%edi, %ecx, 8)
	movl $0, 4(%edi, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jb 1b
	mov $tk_pd, %edi
	mov $(tk_pt0 + PTE_P + PTE_RW), %eax
	mov %eax, (%edi)

	/* PDPT entries 0..3 -> the four directories; PML4 entry 0 -> PDPT. */
	mov $tk_pdpt, %edi
	mov $(tk_pd + PTE_P + PTE_RW), %eax
	xor %ecx, %ecx
1:	mov %eax, (%edi, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jb 1b
	mov $(tk_pdpt + PTE_P + PTE_RW), %eax
	mov %eax, tk_pml4

	/* Long mode: PAE, CR3, EFER.LME, then paging. */
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $tk_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_WP | CR0_PE), %eax
	mov %eax, %cr0

	lgdt tk_gdt_desc
	ljmp $SEL_CODE64, $tk_entry64

/* ---- 64-bit ------------------------------------------------------------ */
	.code64
tk_entry64:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs

	/* x87 and SSE on: the compiler may use SSE for copies. */
	mov %cr0, %rax
	and $~CR0_EM, %rax
	or $CR0_MP, %rax
	mov %rax, %cr0
	mov %cr4, %rax
	or $(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
	mov %rax, %cr4
	fninit
	ldmxcsr tk_mxcsr                /* the reset value: all exceptions masked */

	/* %fs points at a zeroed area holding the stack canary at +0x28
	 * (after loading %fs's selector, which resets its base). */
	mov $tk_fs_area, %edi
	xor %eax, %eax
	mov $(TK_FS_AREA_SIZE / 8), %ecx
	rep stosq
	movabs $TK_STACK_CANARY, %rax
	mov %rax, tk_fs_area + 0x28
	mov $MSR_FS_BASE, %ecx
	mov $tk_fs_area, %eax
	xor %edx, %edx
	wrmsr

	/* Paint the stack so main can tell how deep it went. */
	mov $tk_boot_stack, %edi
	movabs $TK_STACK_PAINT, %rax
	mov $(TK_STACK_SIZE / 8), %ecx
	rep stosq

	mov $tk_boot_stack_top, %esp    /* 16-aligned at the call, as the ABI wants */
	mov %ebp, %edi                  /* zero-extends: magic */
	mov %esi, %esi                  /* info address */
	xor %ebp, %ebp
	call tk_main
2:	cli
	hlt
	jmp 2b

/* ---- data ------------------------------------------------------------ */
	.section .rodata
	.balign 8
tk_gdt:
	.quad 0                         /* null */
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff        /* 0x10: data, flat 4 GiB */
tk_gdt_end:
	.balign 8
tk_gdt_desc:                            /* 32-bit lgdt reads limit + 4 bytes */
	.short tk_gdt_end - tk_gdt - 1
	.quad tk_gdt
	.balign 4
tk_mxcsr:
	.long 0x1f80

	.section .bss
	.balign 4096
tk_pml4: .skip 4096
tk_pdpt: .skip 4096
tk_pd:   .skip 4 * 4096
tk_pt0:  .skip 4096
	.balign 64
tk_fs_area: .skip TK_FS_AREA_SIZE
	.balign 16
	.globl tk_boot_stack, tk_boot_stack_top
tk_boot_stack: .skip TK_STACK_SIZE
tk_boot_stack_top:

	.section .note.GNU-stack, "", @progbits
