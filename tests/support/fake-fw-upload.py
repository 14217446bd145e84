#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# fake-fw-upload.py - a stand-in for the kernel's firmware-upload sysfs class
# (drivers/base/firmware_loader/sysfs_upload.c as documented in
# Documentation/ABI/testing/sysfs-class-firmware), for testing fwkit's
# fw-upload backend without root or a real device.
#
# usage: fake-fw-upload.py ROOT NAME [--compatible STR] [--error STATUS:ERROR]
#                          [--hang STATUS] [--steps N] [--log FILE]
#
# It makes ROOT/class/firmware/NAME/ with
#   loading, cancel                 FIFOs the fake reads commands from
#   status, error, remaining_size   FIFOs the fake answers each open of
#   data                            a plain file the uploader writes
#   device/of_node/compatible       with --compatible (NUL-terminated)
# and then touches ROOT/NAME.ready.  Answering reads itself makes the fake
# as synchronous as sysfs is: before it answers, it applies every command
# already written, so a reader that wrote "0" to loading and then opens
# status sees the upload started, as with the kernel.
#
# The state machine, one step per answered status read (no sleeping):
#   "1" to loading      the data write begins (status stays idle)
#   "0" to loading      receiving, preparing, transferring (remaining_size
#                       from the data's size down to 0 in --steps steps),
#                       programming, idle
#   "-1" to loading     the data write is abandoned
#   "1" to cancel       a running upload ends idle with <status>:user-abort
#   --error S:E         on reaching status S the upload ends idle with S:E
#   --hang S            on reaching status S it stays there
# error reads "" or "<status>:<error>"; remaining_size "%u".  Events go to
# --log, one line each ("start 262144", "remaining 0", "error ...", "idle").
import argparse
import errno
import os
import sys
import time

STATES = ["idle", "receiving", "preparing", "transferring", "programming"]


class Fake:
    def __init__(self, args):
        self.dir = os.path.join(args.root, "class", "firmware", args.name)
        self.error_at, self.error_code = None, None
        if args.error:
            self.error_at, self.error_code = args.error.split(":", 1)
        self.hang = args.hang
        self.steps = max(1, args.steps)
        self.log_path = args.log
        self.progress = "idle"
        self.remaining = 0
        self.size = 0
        self.err = ""
        self.loading = False
        self.served_in_state = 0

    def log(self, line):
        if self.log_path:
            with open(self.log_path, "a") as f:
                f.write(line + "\n")

    def path(self, name):
        return os.path.join(self.dir, name)

    def setup(self, compatible):
        os.makedirs(self.dir, exist_ok=True)
        if self.log_path:
            open(self.log_path, "a").close()
        for name in ("loading", "cancel", "status", "error", "remaining_size"):
            p = self.path(name)
            if os.path.lexists(p):
                os.unlink(p)
            os.mkfifo(p, 0o600)
        open(self.path("data"), "wb").close()
        if compatible is not None:
            node = os.path.join(self.dir, "device", "of_node")
            os.makedirs(node, exist_ok=True)
            with open(os.path.join(node, "compatible"), "wb") as f:
                f.write(compatible.encode() + b"\0")
        # Held open read-write: a read finds no data rather than end of file.
        self.cmd_fd = {
            name: os.open(self.path(name), os.O_RDWR | os.O_NONBLOCK)
            for name in ("loading", "cancel")
        }
        self.pending = {"loading": b"", "cancel": b""}

    def set_state(self, s):
        if s != self.progress:
            self.progress = s
            self.served_in_state = 0
            self.log(s)

    def fail(self, code):
        self.err = "%s:%s" % (self.progress, code)
        self.log("error " + self.err)
        self.set_state("idle")

    def command(self, name, value):
        if name == "loading":
            self.log("loading " + value)
            if value == "1":
                self.loading = True
            elif value == "-1":
                self.loading = False
                self.log("abort")
            elif value == "0" and self.loading:
                self.loading = False
                self.size = os.path.getsize(self.path("data"))
                if self.size and self.progress == "idle":
                    self.err = ""
                    self.remaining = self.size
                    self.log("start %d" % self.size)
                    self.set_state("receiving")
        elif name == "cancel" and value == "1":
            self.log("cancel")
            if self.progress != "idle":
                self.fail("user-abort")

    def drain(self):
        for name, fd in self.cmd_fd.items():
            while True:
                try:
                    chunk = os.read(fd, 4096)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                self.pending[name] += chunk
            while b"\n" in self.pending[name]:
                line, self.pending[name] = self.pending[name].split(b"\n", 1)
                self.command(name, line.decode(errors="replace").strip())

    # One step of the upload, after each answered status read.
    def advance(self):
        s = self.progress
        self.served_in_state += 1
        if s == "idle" or s == self.hang:
            return
        if s == self.error_at:
            self.fail(self.error_code)
            return
        if s == "transferring" and self.remaining > 0:
            step = -(-self.size // self.steps)
            self.remaining = max(0, self.remaining - step)
            self.log("remaining %d" % self.remaining)
            return
        nxt = STATES[STATES.index(s) + 1] if s != "programming" else "idle"
        self.set_state(nxt)

    def answer(self, name):
        if name == "status":
            return self.progress + "\n"
        if name == "remaining_size":
            return "%d\n" % self.remaining
        # The kernel answers EBUSY while an upload runs; a FIFO cannot, so
        # the fake says nothing then (fwkit reads error only when idle).
        return self.err + "\n" if self.err and self.progress == "idle" else ""

    def serve_once(self):
        served = False
        for name in ("status", "error", "remaining_size"):
            try:
                fd = os.open(self.path(name), os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:
                if e.errno in (errno.ENXIO, errno.EAGAIN):
                    continue
                raise
            self.drain()
            try:
                os.write(fd, self.answer(name).encode())
            except BrokenPipeError:
                pass
            os.close(fd)
            served = True
            if name == "status":
                self.advance()
        return served


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("name")
    ap.add_argument("--compatible")
    ap.add_argument("--error")
    ap.add_argument("--hang")
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--log")
    args = ap.parse_args()
    for s in (args.hang, args.error.split(":", 1)[0] if args.error else None):
        if s is not None and s not in STATES[1:]:
            sys.exit("fake-fw-upload: '%s' is not a status an upload passes" % s)
    fake = Fake(args)
    fake.setup(args.compatible)
    parent = os.getppid()
    with open(os.path.join(args.root, args.name + ".ready"), "w") as f:
        f.write("%d\n" % os.getpid())
    # Until killed, or until the test that started it is gone.
    while os.getppid() == parent:
        fake.drain()
        if not fake.serve_once():
            time.sleep(0.0005)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
