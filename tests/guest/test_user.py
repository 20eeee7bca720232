"""
User-program tests (issue 3): the syscalls program prints the same answers
natively on the host and in the guest, line for line; faults end the
program with a shell-style status and the kernel lives on; a Multiboot
module runs instead of the embedded program with its own argv (static and
static-PIE); a file that is not a static x86-64 ELF is refused.
"""
import os
import re
import subprocess
import tempfile

from harness import Guest, ROOT, exit_code

USER = os.path.join(ROOT, "build", "user")


def compared_lines(text):
    return [l for l in text.splitlines() if l.startswith("sc| ")]


def test_syscalls_answer_as_on_linux():
    native = subprocess.run([os.path.join(USER, "syscalls")], cwd=ROOT, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    want = compared_lines(native.stdout)
    if native.returncode != 0 or len(want) < 50:
        raise AssertionError("native run failed (status %d):\n%s" % (native.returncode, native.stdout[-2000:]))
    with Guest("syscalls", append="test=app app=syscalls") as g:
        status = g.wait_exit(120)
        got = compared_lines(g.text())
        for i, (w, h) in enumerate(zip(want, got)):
            if w != h:
                g.fail("line %d differs:\n  host:  %s\n  guest: %s" % (i + 1, w, h))
        if len(want) != len(got):
            g.fail("host printed %d lines, guest %d" % (len(want), len(got)))
        text = g.text()
        if not re.search(r"^sc# ioctl\(1, TIOCGWINSZ\) = 0", text, re.M):
            g.fail("the console is not a tty to the program")
        for nr in (999, 400):
            n = len(re.findall(r"called unimplemented syscall %d: -ENOSYS" % nr, text))
            if n != 1:
                g.fail("ENOSYS for %d logged %d times, want once" % (nr, n))
        if exit_code(status) != 0:
            g.fail("syscalls exited %r" % exit_code(status))
        print("    figure: %d syscall answers identical on host and guest" % len(got))


def test_null_dereference_ends_the_program_not_the_kernel():
    with Guest("fault-null", append="app=fault -- null") as g:
        g.wait_for(r"app: fault \(pid \d+\) killed by SIGSEGV: page fault \(#PF\) at 0x0, "
                   r"rip 0x[0-9a-f]+; exit status 139; the kernel keeps running", 60)
        g.wait_for(r"app: fault \(pid \d+\) exited with status 139", 30)
        g.wait_for(r"unisock> ", 30)
        g.command("uptime", r"up \d+\.\d+ s")
        g.command("ps", r"monitor")
        g.send("poweroff")
        if exit_code(g.wait_exit(30)) != 0:
            g.fail("poweroff after the fault did not exit cleanly")
    native = subprocess.run([os.path.join(USER, "fault"), "null"], capture_output=True, timeout=30)
    if native.returncode != -11:
        raise AssertionError("natively, fault null ended with %d, not SIGSEGV" % native.returncode)


def test_other_faults_report_their_signal():
    cases = (("ud", "SIGILL", r"invalid opcode \(#UD\)", 132),
             ("div", "SIGFPE", r"divide error \(#DE\)", 136),
             ("write", "SIGSEGV", r"page fault \(#PF\)", 139))
    for arg, sig, what, status in cases:
        with Guest("fault-" + arg, append="test=app app=fault -- " + arg) as g:
            code = exit_code(g.wait_exit(60))
            if not re.search(r"killed by %s: %s at 0x[0-9a-f]+, rip 0x[0-9a-f]+; exit status %d"
                             % (sig, what, status), g.text()):
                g.fail("fault %s: no %s report" % (arg, sig))
            # isa-debug-exit keeps 7 bits: 128 + signal arrives as the signal
            if code != status - 128:
                g.fail("fault %s: power-off code %r, want %d" % (arg, code, status - 128))


def test_exit_status_is_printed_and_the_monitor_stays():
    for args, argc in (("3", 2), ("3 raw", 3)):	# exit_group, then plain exit
        with Guest("exit-status", append="app=hello -- " + args) as g:
            g.wait_for(r"hello from user space: argc=%d argv\[0\]=hello argv\[1\]=3" % argc, 60)
            g.wait_for(r"app: hello \(pid \d+\) exited with status 3", 30)
            g.wait_for(r"unisock> ", 30)
            g.command("mem", r"RAM usable")
            g.send("poweroff")
            g.wait_exit(30)


def test_module_runs_instead_with_its_argv():
    for prog, pie in (("hello", False), ("hello-pie", True)):
        with Guest("module-" + prog, append="test=app app=syscalls",
                   app="build/user/%s 5 six" % prog) as g:
            code = exit_code(g.wait_exit(60))
            text = g.text()
            if not re.search(r"hello from user space: argc=3 argv\[0\]=build/user/%s "
                             r"argv\[1\]=5 argv\[2\]=six" % prog, text):
                g.fail("%s did not run with the module's argv" % prog)
            if pie and "(static-PIE)" not in text:
                g.fail("hello-pie was not loaded as a static-PIE")
            if not re.search(r"hello: envc=2 sum=22\.50", text):
                g.fail("%s: SSE arithmetic or environment wrong" % prog)
            if code != 5:
                g.fail("%s: power-off code %r, want its exit status 5" % (prog, code))


def refused(path, reason, name):
    with Guest(name, append="quiet", app=path) as g:
        g.wait_for(r"app: \S+: refused: not a static x86-64 ELF program: .*%s" % reason, 60)
        g.wait_for(r"unisock> ", 30)
        g.command("uptime", r"up \d+\.\d+ s")
        g.send("poweroff")
        if exit_code(g.wait_exit(30)) != 0:
            g.fail("the kernel did not keep running after refusing %s" % path)


def test_files_that_are_not_static_elf_programs_are_refused():
    refused(os.path.join(ROOT, "tests", "guest", "test_user.py"), "bad magic", "refuse-text")
    refused("/bin/true", "dynamically linked", "refuse-dynamic")
    with tempfile.NamedTemporaryFile(prefix="trunc-", dir=os.path.join(ROOT, "build")) as f:
        with open(os.path.join(USER, "hello"), "rb") as src:
            f.write(src.read()[:3000])
        f.flush()
        refused(f.name, "beyond the end of the file", "refuse-truncated")


def test_console_app_gives_the_program_its_input():
    with Guest("console-app", append="quiet console=app test=app app=readline") as g:
        g.wait_for(r"readline: non-blocking read: -1 EAGAIN", 60)
        g.wait_for(r"readline: type a line", 30)
        g.send("hello therx\x7fe")	# backspace edits the line, as on a tty
        status = g.wait_exit(60)
        if not re.search(r"readline: read 12 bytes: hello there\n", g.text()):
            g.fail("the program did not read the typed line")
        if exit_code(status) != 0:
            g.fail("readline exited %r" % exit_code(status))


def test_syscall_cost_figure():
    native = subprocess.run([os.path.join(USER, "sysbench")], capture_output=True, text=True,
                            timeout=60).stdout
    with Guest("sysbench", append="quiet test=app app=sysbench") as g:
        if exit_code(g.wait_exit(120)) != 0:
            g.fail("sysbench failed")
        guest = g.text()
    for what in ("getpid", "nanosleep\\(0\\)"):
        h = re.search(r"sysbench: %s (\d+) ns per call" % what, native)
        v = re.search(r"sysbench: %s (\d+) ns per call" % what, guest)
        if not (h and v):
            raise AssertionError("sysbench printed no %s figure" % what)
        print("    figure: %s round trip: guest (TCG) %s ns, host (native Linux) %s ns"
              % (what.replace("\\", ""), v.group(1), h.group(1)))


def test_user_pointer_checks():
    with Guest("uaccess", append="test=uaccess") as g:
        code = exit_code(g.wait_exit(60))
        if code != 0 or "selftest uaccess: 0 failed checks" not in g.text():
            g.fail("uaccess selftest failed (exit %r)" % code)
