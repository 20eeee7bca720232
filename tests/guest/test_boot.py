"""
Boot tests (issue: foundation): both boot paths reach kmain with the same
banner and their own memory figures; faults are reported with a symbolic
backtrace; the timer never wakes early; bad command-line keys are reported.
"""
import os
import re
import time

from harness import Guest, TestFailure, exit_code

# Anchored on the "(" after the path, so a half-arrived line cannot match.
BANNER = r"unisock \d+\.\d+\.\d+ \(x86-64\): booting via (\w+) \("
MEMLINE = r"mem: (\d+) KiB usable, (\d+) KiB free, kernel image (\d+) KiB\n"


def check_boot(g, path):
    m = g.wait_for(BANNER, 60)
    if m.group(1) != path:
        g.fail("booted via %s, expected %s" % (m.group(1), path))
    m = g.wait_for(MEMLINE, 60)
    usable, free, image = (int(x) for x in m.groups())
    # -m 128M: the map must show most of it usable, and the kernel small.
    if not (100 * 1024 <= usable <= 128 * 1024):
        g.fail("usable memory %d KiB is not plausible for -m 128M" % usable)
    if not (0 < free < usable):
        g.fail("free memory %d KiB not below usable %d KiB" % (free, usable))
    if not (0 < image < 4096):
        g.fail("kernel image %d KiB" % image)
    g.wait_for(r"unisock> ", 60)
    g.command("mem", r"RAM usable \d+ KiB, free \d+ KiB")
    g.send("poweroff")
    code = exit_code(g.wait_exit(30))
    if code != 0:
        g.fail("poweroff gave exit code %r, expected 0" % code)
    return g.line_time(BANNER)


def test_multiboot_boots_to_monitor():
    with Guest("boot-multiboot", append="quiet") as g:
        t = check_boot(g, "Multiboot")
        print("    figure: QEMU start -> banner (Multiboot, TCG): %.0f ms" % (t * 1000))


def test_monitor_edits_lines_and_hints_unknown_commands():
    with Guest("monitor", append="quiet") as g:
        g.wait_for(r"unisock> ", 60)
        g.command("help", r"poweroff\s+power the VM off")
        g.command("frobnicate", r"frobnicate: unknown command; type 'help'")
        # "memX" then backspace makes "mem": line editing works.
        pos = g.mark()
        g.send("memX\x7f")
        g.wait_for(r"RAM usable", 30, since=pos)
        g.send("poweroff")
        g.wait_exit(30)


def test_fault_dump_names_function():
    with Guest("fault", append="test=fault") as g:
        status = g.wait_exit(60)
        text = g.text()
        for want in (r"Oops: page fault \(#PF\), vector 14",
                     r"CR2 \(faulting address\): 0x0+\b",
                     r"NULL pointer dereference",
                     r"RIP: 0008:[0-9a-f]+ <selftest_fault_trigger",
                     r"Backtrace:\n\s+<selftest_fault_trigger",
                     r"<run_selftest\+0x[0-9a-f]+>",
                     r"<kmain\+0x[0-9a-f]+>"):
            if not re.search(want, text):
                g.fail("fault dump lacks /%s/" % want)
        if exit_code(status) != 3:
            g.fail("a kernel fault must power off with the panic code 3, got %r" % exit_code(status))


def test_timer_sleeps_200ms_never_early():
    with Guest("timer", append="test=timer") as g:
        m = g.wait_for(r"slept (\d+)\.(\d+) ms by ktime", 60)
        start = g.line_time(r"selftest timer: sleep")
        end = g.line_time(r"slept \d+")
        status = g.wait_exit(60)
        slept = int(m.group(1)) + int(m.group(2)) / 1000
        if slept < 200:
            g.fail("woke early: %.3f ms" % slept)
        if exit_code(status) != 0:
            g.fail("selftest did not pass (exit %r)" % exit_code(status))
        # Seen from the host: not early either, and done within a generous
        # bound. The host stamps a line when it reads it, which may be late
        # but never early, so only QEMU's start is a safe lower reference.
        if end < 0.2:
            g.fail("host saw the 200 ms sleep end %.3f s after QEMU started" % end)
        if end - start > 20:
            g.fail("200 ms sleep took %.1f s on the host" % (end - start))


def test_bad_command_line_key_is_reported():
    with Guest("badkey", append="quiet bogus=1 ip=300.1.1.1/24 test=spin") as g:
        g.wait_for(r"unknown command-line key 'bogus' ignored", 60)
        g.wait_for(r"ip=300\.1\.1\.1/24: expected dhcp or A\.B\.C\.D/N", 60)
        if exit_code(g.wait_exit(60)) != 0:
            g.fail("boot with a bad key must still run its test")


def test_panic_powers_off_with_failure():
    with Guest("panic", append="test=panic") as g:
        g.wait_for(r"Kernel panic: selftest panic: deliberate", 60)
        g.wait_for(r"<test_panic\+0x", 60)
        if exit_code(g.wait_exit(60)) != 3:
            g.fail("panic must power off with code 3")


def test_unknown_selftest_lists_the_known_ones():
    with Guest("notest", append="test=nosuch") as g:
        g.wait_for(r"no test named 'nosuch'; there are:.* timer", 60)
        if exit_code(g.wait_exit(60)) != 1:
            g.fail("an unknown test= must fail")
