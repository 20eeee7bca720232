"""
Boot tests for the UEFI path (boot/efi.c under OVMF, TCG): the same banner
and monitor as Multiboot with the memory figures of the UEFI map, and the
kernel command line arriving both ways the loader takes it: from the file
\\unisock\\cmdline (firmware starting \\EFI\\BOOT\\BOOTX64.EFI) and from load
options (the UEFI shell starting the loader). Each boot costs seconds of
firmware under TCG, so there are two.
"""
import os
import re

from harness import ROOT, Guest, exit_code
from test_boot import check_boot

LOADER = r"unisock: UEFI loader: loading the kernel \(\d+ KiB\)"
BANNER_UEFI = r"booting via UEFI \(UEFI [^)]+\)"


def test_uefi_boots_to_monitor():
    with Guest("boot-uefi", boot="uefi", append="quiet bogus=1") as g:
        g.wait_for(LOADER, 60)
        g.wait_for(r"unisock: ACPI RSDP at 0x[0-9a-f]+", 60)
        g.wait_for(r"unisock: command line: quiet bogus=1\n", 60)
        g.wait_for(BANNER_UEFI, 60)
        t = check_boot(g, "UEFI")
        if not re.search(r"unknown command-line key 'bogus' ignored", g.text()):
            g.fail("the bad key from \\unisock\\cmdline was not reported")
        print("    figure: QEMU start -> banner (UEFI, TCG): %.0f ms "
              "(of which OVMF until the loader runs: %.0f ms)"
              % (t * 1000, g.line_time(LOADER) * 1000))


def make_module(path, size):
    with open(path, "wb") as f:
        f.write(bytes(i & 0xff for i in range(size)))


def test_uefi_load_options_and_module():
    module = os.path.join("build", "test-logs", "uefi-module.bin")
    os.makedirs(os.path.join(ROOT, "build", "test-logs"), exist_ok=True)
    make_module(os.path.join(ROOT, module), 12345)
    with Guest("boot-uefi-shell", boot="uefi", append="test=timer",
               app=module + " arg1 arg2", extra_env={"EFI_SHELL": "1"}) as g:
        # Any key ends the shell's 5 s countdown before startup.nsh.
        g.wait_for(r"startup\.nsh", 60)
        g.send("")
        m = g.wait_for(r"unisock: module \\unisock\\app, (\d+) bytes at 0x([0-9a-f]+): (.*?)\n", 60)
        size, addr, cmdline = int(m.group(1)), int(m.group(2), 16), m.group(3)
        if size != 12345 or cmdline != module + " arg1 arg2":
            g.fail("module read as %d bytes, command line %r" % (size, cmdline))
        if not (0x100000 < addr < 0x40000000 and addr % 4096 == 0):
            g.fail("module at %#x: not page-aligned above 1 MiB and below 1 GiB" % addr)
        g.wait_for(r"unisock: command line: test=timer\n", 60)
        g.wait_for(BANNER_UEFI, 60)
        m = g.wait_for(r"slept (\d+)\.(\d+) ms by ktime", 60)
        if int(m.group(1)) < 200:
            g.fail("woke early: %s.%s ms" % m.groups())
        if exit_code(g.wait_exit(60)) != 0:
            g.fail("test=timer from the load options did not pass")


def test_uefi_runs_the_program_from_the_boot_volume():
    """`make run BOOT=uefi APP='prog args'`: the loader reads \\unisock\\app
    from the boot volume and the kernel runs it instead of the embedded one,
    with the file's command line as its argv (as -initrd does on Multiboot)."""
    app = os.path.join(ROOT, "build", "user", "hello") + " 7 from-the-volume"
    with Guest("uefi-app", boot="uefi", append="quiet", app=app) as g:
        g.wait_for(r"argv\[1\]=7 argv\[2\]=from-the-volume", 90)
        g.wait_for(r"app: \S+ \(pid \d+\) exited with status 7", 30)
