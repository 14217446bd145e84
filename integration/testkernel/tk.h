/* SPDX-License-Identifier: MIT */
/*
 * tk.h - what the test kernel's files share: the constants entry.S uses,
 * the serial console, number and string output, and the exit codes.
 */
#ifndef TK_H
#define TK_H

#define TK_STACK_SIZE 65536                       /* the one boot stack */
#define TK_STACK_PAINT 0x5354414b5354414b         /* "KATSKATS": never used */
#define TK_FS_AREA_SIZE 64                        /* what %fs points at */
/* What Debian's libfdt.a (built with -fstack-protector) reads at %fs:0x28:
 * fixed (nothing here is random), low byte 0 as glibc's is. */
#define TK_STACK_CANARY 0x00f1c0de5eed5a00
/* What entry.S's PVH entry puts in EAX (PVH leaves it undefined): the
 * hvm_start_info magic, which no multiboot loader passes. */
#define TK_PVH_MARKER 0x336ec578

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/*
 * Exit codes, written to QEMU's isa-debug-exit port (0xf4), which makes
 * QEMU exit with status (code << 1) | 1:
 *   code  status  meaning
 *   0     1       report written, every module applied, passed or ignored
 *   1     3       report written, something rejected, failed or no handler
 *                 (`fwkit boot scan` exits 1 for the same modules)
 *   2     5       the boot information does not parse (one boot-info: line)
 *   3     7       EAX held neither multiboot magic nor TK_PVH_MARKER
 *   4     9       boot_pipeline_run returned an error (no report)
 *   5     11      a limit of this kernel: a module too big for the scratch
 *   6     13      the stack protector fired (__stack_chk_fail)
 *   7     15      the report disagrees with itself: the logged lines and
 *                 rep.text differ, the text was cut, or the taint masks
 *   8     17      the image was not loaded as linked (tk_layout)
 * Without the device QEMU goes on; the kernel then halts with interrupts
 * off, and the host's timeout ends the run.
 */
enum tk_exit {
	TK_EXIT_OK = 0,
	TK_EXIT_FINDINGS = 1,
	TK_EXIT_BOOTINFO = 2,
	TK_EXIT_MAGIC = 3,
	TK_EXIT_PIPELINE = 4,
	TK_EXIT_LIMIT = 5,
	TK_EXIT_STACK_SMASHED = 6,
	TK_EXIT_REPORT = 7,
	TK_EXIT_LAYOUT = 8
};

/* COM1, 115200 8N1, polled; "\n" goes out as "\r\n". */
void tk_serial_init(void);
void tk_putc(char c);
/* A NUL-terminated string as it is. */
void tk_puts(const char *s);
/* n bytes in double quotes, '"', '\\' and bytes outside 0x20..0x7e as \xNN:
 * a command line from the loader stays one line whatever it holds. */
void tk_put_quoted(const char *s, size_t n);
/* "0x" and exactly digits hex digits (lower case). */
void tk_put_hex(uint64_t v, unsigned digits);
void tk_put_dec(uint64_t v);
/* n bytes as 2n hex digits, no prefix. */
void tk_put_bytes_hex(const uint8_t *p, size_t n);
/* Stop QEMU through isa-debug-exit with code (see above); never returns. */
_Noreturn void tk_exit(enum tk_exit code);

/* entry.S's call into C: eax and ebx as the loader left them (eax
 * TK_PVH_MARKER after the PVH entry). */
void tk_main(uint32_t magic, uint32_t info);
/* The bottom and top of the boot stack (entry.S). */
extern uint8_t tk_boot_stack[], tk_boot_stack_top[];
/* Called by code built with -fstack-protector on a smashed canary. */
_Noreturn void __stack_chk_fail(void);

#endif /* __ASSEMBLER__ */
#endif /* TK_H */
