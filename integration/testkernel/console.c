/* SPDX-License-Identifier: MIT */
/* console.c - the test kernel's only output: COM1 polled, numbers and
 * quoted strings for it, and the way out through QEMU's isa-debug-exit. */
#include "tk.h"

#define COM1 0x3f8u
#define COM_THR 0u      /* transmit holding (DLAB 0) */
#define COM_DLL 0u      /* divisor low (DLAB 1) */
#define COM_IER 1u      /* interrupt enable (DLAB 0) / divisor high (DLAB 1) */
#define COM_FCR 2u
#define COM_LCR 3u
#define COM_MCR 4u
#define COM_LSR 5u
#define LSR_THRE 0x20u  /* the transmitter takes another byte */
#define DEBUG_EXIT_PORT 0xf4u

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void tk_serial_init(void)
{
	outb(COM1 + COM_IER, 0x00);     /* no interrupts: we poll */
	outb(COM1 + COM_LCR, 0x80);     /* DLAB: the divisor follows */
	outb(COM1 + COM_DLL, 0x01);     /* 115200 / 1 */
	outb(COM1 + COM_IER, 0x00);
	outb(COM1 + COM_LCR, 0x03);     /* 8 data bits, no parity, 1 stop */
	outb(COM1 + COM_FCR, 0xc7);     /* FIFOs on and cleared */
	outb(COM1 + COM_MCR, 0x03);     /* DTR, RTS */
}

static void serial_byte(uint8_t b)
{
	/* Bounded: a missing UART (all ones or zeros) cannot hang the kernel. */
	for (uint32_t spin = 0; spin < 1000000u; spin++)
		if (inb(COM1 + COM_LSR) & LSR_THRE)
			break;
	outb(COM1 + COM_THR, b);
}

void tk_putc(char c)
{
	if (c == '\n')
		serial_byte('\r');
	serial_byte((uint8_t)c);
}

void tk_puts(const char *s)
{
	while (*s)
		tk_putc(*s++);
}

static const char hexdigits[] = "0123456789abcdef";

void tk_put_quoted(const char *s, size_t n)
{
	tk_putc('"');
	for (size_t i = 0; i < n; i++) {
		uint8_t b = (uint8_t)s[i];

		if (b >= 0x20 && b <= 0x7e && b != '"' && b != '\\') {
			tk_putc((char)b);
			continue;
		}
		tk_puts("\\x");
		tk_putc(hexdigits[b >> 4]);
		tk_putc(hexdigits[b & 15]);
	}
	tk_putc('"');
}

void tk_put_hex(uint64_t v, unsigned digits)
{
	tk_puts("0x");
	while (digits--)
		tk_putc(hexdigits[(v >> (digits * 4u)) & 15u]);
}

void tk_put_dec(uint64_t v)
{
	char buf[20];
	unsigned n = 0;

	do {
		buf[n++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	while (n)
		tk_putc(buf[--n]);
}

void tk_put_bytes_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tk_putc(hexdigits[p[i] >> 4]);
		tk_putc(hexdigits[p[i] & 15u]);
	}
}

_Noreturn void tk_exit(enum tk_exit code)
{
	tk_puts("testkernel: exit ");
	tk_put_dec((uint64_t)code);
	tk_putc('\n');
	/* Let the UART drain before QEMU stops. */
	for (uint32_t spin = 0; spin < 1000000u; spin++)
		if (inb(COM1 + COM_LSR) & 0x40u)   /* transmitter empty */
			break;
	outl(DEBUG_EXIT_PORT, (uint32_t)code);
	for (;;)
		__asm__ volatile("cli; hlt");
}

_Noreturn void __stack_chk_fail(void)
{
	tk_puts("testkernel: stack protector: a canary was overwritten\n");
	tk_exit(TK_EXIT_STACK_SMASHED);
}
