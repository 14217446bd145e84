# SPDX-License-Identifier: MIT
# fwkit - the one entry point: build, demo, check, bench, fuzz, install.

PREFIX   ?= /usr/local
DESTDIR  ?=
# initramfs-tools and dracut read hooks only from fixed places, not PREFIX.
INITRAMFS_TOOLS_DIR ?= /etc/initramfs-tools
DRACUT_MODULES_DIR  ?= /usr/lib/dracut/modules.d
CC       ?= cc
CLANG    ?= clang
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CPPFLAGS += -Iinclude
HOST_DEFS := -D_GNU_SOURCE
LIBS     := -lfdt -lz -llzma -lzstd -lbz2 -llz4 -llzo2 -lcrypto
VERSION  := 0.1.0
B        := build
FUZZ_SECONDS ?= 60

# The core: freestanding, no allocation, no I/O.  Every source here is also
# compiled with -ffreestanding -nostdlib and link-checked.
CORE_SRC := initrd-tools/error.c initrd-tools/cpio_read.c \
	    initrd-tools/cpio_write.c initrd-tools/segment.c \
	    override/acpi_table.c override/acpi_plan.c \
	    override/acpi_verify.c override/dt_check.c override/dt_overlay.c \
	    taint/taint.c taint/ledger.c taint/tcg.c $(wildcard blobs/*.c) \
	    $(wildcard hyp-hooks/*.c)
# Guest DT/ACPI generation for a VMM (fwkit/vm.h): freestanding like the
# core and checked the same way, but its own object (fwkit-guest.o) with its
# own size budget, so a boot path that only receives firmware leaves it out.
GUEST_SRC := $(wildcard hyp-hooks/guest/*.c)
# The hosted layer: files, decompression, extraction, image building;
# signatures (OpenSSL) and the Linux device backends for blobs.
HOST_SRC := initrd-tools/decompress.c initrd-tools/image.c \
	    initrd-tools/extract.c initrd-tools/build.c initrd-tools/compress.c \
	    $(wildcard blobs/hosted/*.c) $(wildcard override/hosted/*.c)
CLI_SRC  := $(wildcard cli/*.c)

# Every tests/<module>/test_*.c is a cmocka program.
UNIT_TEST_SRC := $(wildcard tests/*/test_*.c)
UNIT_TESTS := $(notdir $(UNIT_TEST_SRC:.c=))
vpath test_%.c $(sort $(dir $(UNIT_TEST_SRC)))

LIB_OBJ  := $(CORE_SRC:%.c=$(B)/obj/%.o) $(GUEST_SRC:%.c=$(B)/obj/%.o) \
	    $(HOST_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/obj/%.o)
FS_OBJ   := $(CORE_SRC:%.c=$(B)/freestanding/%.o)
FS_GUEST_OBJ := $(GUEST_SRC:%.c=$(B)/freestanding/%.o)
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_OBJ := $(CORE_SRC:%.c=$(B)/asan/%.o) $(GUEST_SRC:%.c=$(B)/asan/%.o) \
	    $(HOST_SRC:%.c=$(B)/asan/%.o)
PUB_HEADERS := $(wildcard include/fwkit/*.h)
HEADERS  := $(PUB_HEADERS) $(wildcard cli/*.h blobs/*.h blobs/hosted/*.h override/*.h hyp-hooks/*.h hyp-hooks/guest/*.h)

.PHONY: all deps demo check test unit cli-tests fuzz fuzz-build bench install \
	uninstall clean core-check guest-check
all: $(B)/libfwkit.a $(B)/fwkit core-check guest-check

$(B)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(HOST_DEFS) -fPIC -c $< -o $@

$(B)/asan/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(HOST_DEFS) -c $< -o $@

# Freestanding: no libc headers, no builtins that call out, no stack canary,
# no unwind tables (a boot environment has no unwinder to read them).
FS_CFLAGS := -Os -ffreestanding -nostdlib -fno-stack-protector -fno-pic \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -DFWKIT_FREESTANDING
$(B)/freestanding/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(FS_CFLAGS) $(CPPFLAGS) -c $< -o $@

$(B)/libfwkit.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/fwkit: $(CLI_OBJ) $(B)/libfwkit.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(B)/libfwkit.a $(LIBS)

# A static build for initramfs images that carry no shared libraries (the
# QEMU boot tests' busybox initramfs).
$(B)/fwkit-static: $(CLI_OBJ) $(B)/libfwkit.a
	$(CC) $(CFLAGS) -static -o $@ $(CLI_OBJ) $(B)/libfwkit.a $(LIBS)

$(B)/fwkit-asan: $(CLI_SRC:%.c=$(B)/asan/%.o) $(ASAN_OBJ)
	$(CC) $(SAN) -o $@ $^ $(LIBS)

# The core as one relocatable object whose only undefined symbols are those
# of fwkit/env.h (mk/core-undefined.txt) and libfdt's API, then linked alone
# with libfdt and stubs of exactly those functions and of libfdt's own
# environment (libfdt_env.h: mk/libfdt-undefined.txt): a new dependency
# fails the build here.  Its text (code and read-only data, as size(1)
# counts it) must stay within CORE_TEXT_MAX bytes.
CORE_TEXT_MAX := 98304
LIBFDT_A ?= $(firstword $(wildcard /usr/lib/*/libfdt.a /usr/lib/libfdt.a))
$(B)/fwkit-core.o: $(FS_OBJ)
	ld -r -o $@ $^

core-check: $(B)/fwkit-core.o
	@test -f "$(LIBFDT_A)" || { echo "core-check: libfdt.a not found (apt-get install libfdt-dev)"; exit 1; }
	@nm --defined-only -g $(LIBFDT_A) 2>/dev/null | awk 'NF == 3 {print $$3}' | sort -u > $(B)/libfdt-defined.txt
	@nm -u $< | awk '{print $$2}' | sort -u | comm -23 - $(B)/libfdt-defined.txt > $(B)/core-undefined.txt
	@if comm -23 $(B)/core-undefined.txt mk/core-undefined.txt | grep -q .; then \
		echo "core-check: the freestanding core needs symbols fwkit/env.h does not declare:"; \
		comm -23 $(B)/core-undefined.txt mk/core-undefined.txt; exit 1; fi
	@nm -u $(LIBFDT_A) 2>/dev/null | awk 'NF == 2 {print $$2}' | sort -u | \
		comm -23 - $(B)/libfdt-defined.txt > $(B)/libfdt-undefined.txt
	@if comm -23 $(B)/libfdt-undefined.txt mk/libfdt-undefined.txt | grep -q .; then \
		echo "core-check: $(LIBFDT_A) needs symbols beyond its environment:"; \
		comm -23 $(B)/libfdt-undefined.txt mk/libfdt-undefined.txt; exit 1; fi
	@$(CC) -ffreestanding -nostdlib -static -fno-pic -no-pie -o $(B)/core-linkcheck \
		$< $(LIBFDT_A) tests/freestanding/env_stub.c tests/freestanding/libfdt_env_stub.c \
		-Wl,--no-undefined
	@text=$$(size $< | awk 'NR == 2 {print $$1}'); \
	if [ "$$text" -gt $(CORE_TEXT_MAX) ]; then \
		echo "core-check: the freestanding core has $$text bytes of text, more than $(CORE_TEXT_MAX)"; exit 1; fi; \
	echo "core-check: freestanding core text $$text bytes (limit $(CORE_TEXT_MAX))"
	@echo "core-check: freestanding core links with only: $$(tr '\n' ' ' < $(B)/core-undefined.txt)+ libfdt ($$(tr '\n' ' ' < $(B)/libfdt-undefined.txt | sed 's/ $$//'))"

# The guest generator the same way: its undefined symbols may be only the
# core's own (it links with fwkit-core.o), env.h's and libfdt's; it links
# alone with the core, libfdt and the stubs; at most GUEST_TEXT_MAX bytes.
GUEST_TEXT_MAX := 65536
$(B)/fwkit-guest.o: $(FS_GUEST_OBJ)
	@test -n "$^" || { echo "guest-check: no sources in hyp-hooks/guest"; exit 1; }
	ld -r -o $@ $^

guest-check: $(B)/fwkit-guest.o $(B)/fwkit-core.o core-check
	@nm --defined-only -g $(B)/fwkit-core.o | awk 'NF == 3 {print $$3}' | \
		cat - $(B)/libfdt-defined.txt | sort -u > $(B)/guest-provided.txt
	@nm -u $< | awk '{print $$2}' | sort -u | comm -23 - $(B)/guest-provided.txt > $(B)/guest-undefined.txt
	@if comm -23 $(B)/guest-undefined.txt mk/core-undefined.txt | grep -q .; then \
		echo "guest-check: the guest generator needs symbols fwkit/env.h does not declare:"; \
		comm -23 $(B)/guest-undefined.txt mk/core-undefined.txt; exit 1; fi
	@$(CC) -ffreestanding -nostdlib -static -fno-pic -no-pie -o $(B)/guest-linkcheck \
		$< $(B)/fwkit-core.o $(LIBFDT_A) tests/freestanding/env_stub.c \
		tests/freestanding/libfdt_env_stub.c -Wl,--no-undefined
	@text=$$(size $< | awk 'NR == 2 {print $$1}'); \
	if [ "$$text" -gt $(GUEST_TEXT_MAX) ]; then \
		echo "guest-check: the guest generator has $$text bytes of text, more than $(GUEST_TEXT_MAX)"; exit 1; fi; \
	echo "guest-check: freestanding guest generator text $$text bytes (limit $(GUEST_TEXT_MAX)), links with only the core, libfdt and: $$(tr '\n' ' ' < $(B)/guest-undefined.txt)"

# The freestanding multiboot test kernel (integration/testkernel): the core,
# libfdt and the environment stubs above, nothing else; loaded at 1 MiB by
# QEMU's -kernel (multiboot) or GRUB (multiboot2).
TK_DIR := integration/testkernel
TK_SRC := $(wildcard $(TK_DIR)/*.S) $(wildcard $(TK_DIR)/*.c)
$(B)/testkernel.elf: $(TK_SRC) $(wildcard $(TK_DIR)/*.h) $(TK_DIR)/kernel.ld $(B)/fwkit-core.o \
		tests/freestanding/env_stub.c tests/freestanding/libfdt_env_stub.c
	$(CC) $(WARN) $(FS_CFLAGS) $(CPPFLAGS) -I$(TK_DIR) -mno-red-zone -static -no-pie \
		-Wl,-T,$(TK_DIR)/kernel.ld -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none \
		-Wl,--no-undefined -o $@ $(TK_SRC) $(B)/fwkit-core.o $(LIBFDT_A) \
		tests/freestanding/env_stub.c tests/freestanding/libfdt_env_stub.c

# The same kernel entered through PVH (Xen's direct boot ABI, which QEMU's
# -kernel also speaks): no multiboot headers, which QEMU would prefer, and
# a XEN_ELFNOTE_PHYS32_ENTRY note instead.
$(B)/testkernel-pvh.elf: $(TK_SRC) $(wildcard $(TK_DIR)/*.h) $(TK_DIR)/kernel.ld $(B)/fwkit-core.o \
		tests/freestanding/env_stub.c tests/freestanding/libfdt_env_stub.c
	$(CC) $(WARN) $(FS_CFLAGS) $(CPPFLAGS) -I$(TK_DIR) -DTK_PVH -mno-red-zone -static -no-pie \
		-Wl,-T,$(TK_DIR)/kernel.ld -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none \
		-Wl,--no-undefined -o $@ $(TK_SRC) $(B)/fwkit-core.o $(LIBFDT_A) \
		tests/freestanding/env_stub.c tests/freestanding/libfdt_env_stub.c

# Each entry point first installs what it needs (Debian packages), and says so.
deps:
	@sh mk/deps.sh check

demo:
	@sh mk/deps.sh demo
	@$(MAKE) --no-print-directory all $(B)/testkernel.elf
	@sh mk/demo.sh $(B)/fwkit

# Unit tests (cmocka), CLI tests, real-input tests, QEMU boot test and a short
# fuzz run, all under ASan+UBSan; one summary line at the end.
check:
	@sh mk/deps.sh check
	@$(MAKE) --no-print-directory all $(B)/fwkit-asan $(B)/fwkit-static $(B)/testkernel.elf \
		$(B)/testkernel-pvh.elf \
		$(UNIT_TESTS:%=$(B)/tests/%) fuzz-build
	@sh tests/run.sh $(B)

$(B)/tests/%: %.c tests/support/testkit.c tests/support/testkit.h $(wildcard tests/hyp/*.h) $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(HOST_DEFS) -o $@ $< tests/support/testkit.c \
		$(ASAN_OBJ) -lcmocka $(LIBS)

FUZZERS := $(notdir $(basename $(wildcard tests/fuzz/fuzz_*.c)))
fuzz-build: $(FUZZERS:%=$(B)/fuzz/%)
$(B)/fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(CORE_SRC) $(GUEST_SRC) $(HOST_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(CPPFLAGS) $(HOST_DEFS) \
		-o $@ $< $(CORE_SRC) $(GUEST_SRC) $(HOST_SRC) $(LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(B) $(FUZZ_SECONDS)

bench:
	@sh mk/deps.sh bench
	@$(MAKE) --no-print-directory all $(B)/bench/sha256-speed
	@sh tests/bench/bench.sh $(B)/fwkit

$(B)/bench/sha256-speed: tests/bench/sha256_speed.c $(B)/libfwkit.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(HOST_DEFS) -o $@ $< $(B)/libfwkit.a

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include/fwkit $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(B)/fwkit $(DESTDIR)$(PREFIX)/bin/fwkit
	install -m 0644 $(B)/libfwkit.a $(DESTDIR)$(PREFIX)/lib/libfwkit.a
	install -m 0644 $(PUB_HEADERS) $(DESTDIR)$(PREFIX)/include/fwkit/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@LIBS@|$(LIBS)|' mk/fwkit.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/fwkit.pc
	install -m 0644 docs/man/fwkit.1 $(DESTDIR)$(PREFIX)/share/man/man1/fwkit.1
	install -D -m 0755 integration/initramfs-tools/hooks/fwkit \
		$(DESTDIR)$(INITRAMFS_TOOLS_DIR)/hooks/fwkit
	install -D -m 0755 integration/initramfs-tools/scripts/init-top/fwkit \
		$(DESTDIR)$(INITRAMFS_TOOLS_DIR)/scripts/init-top/fwkit
	install -D -m 0755 integration/dracut/90fwkit/module-setup.sh \
		$(DESTDIR)$(DRACUT_MODULES_DIR)/90fwkit/module-setup.sh
	install -D -m 0755 integration/dracut/90fwkit/fwkit-verify.sh \
		$(DESTDIR)$(DRACUT_MODULES_DIR)/90fwkit/fwkit-verify.sh

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/fwkit $(DESTDIR)$(PREFIX)/lib/libfwkit.a \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig/fwkit.pc \
		$(DESTDIR)$(PREFIX)/share/man/man1/fwkit.1
	rm -rf $(DESTDIR)$(PREFIX)/include/fwkit
	rm -f $(DESTDIR)$(INITRAMFS_TOOLS_DIR)/hooks/fwkit \
		$(DESTDIR)$(INITRAMFS_TOOLS_DIR)/scripts/init-top/fwkit
	rm -rf $(DESTDIR)$(DRACUT_MODULES_DIR)/90fwkit

clean:
	rm -rf $(B)
