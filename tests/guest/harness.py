"""
The guest test harness (DESIGN §8): boot unisock in QEMU, read its serial
console, talk to its monitor, wait for readiness with deadlines (never a
bare sleep), power it off, and on failure show the serial log's tail.

Every guest test uses this; the network-namespace and tap helpers for
tests that talk to the guest over a network live in tests/guest/netns.py.
"""
import os
import re
import socket
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOG_DIR = os.path.join(ROOT, "build", "test-logs")


class TestFailure(Exception):
    pass


class TestSkip(Exception):
    """Raised by a test that cannot run here (no root, no /dev/net/tun)."""


def qemu_command(**env):
    """The QEMU argv from scripts/qemu-cmd.sh with the given variables."""
    e = dict(os.environ)
    e.update({k: str(v) for k, v in env.items() if v is not None})
    out = subprocess.run(["bash", os.path.join(ROOT, "scripts", "qemu-cmd.sh")],
                         env=e, check=True, capture_output=True, text=True)
    return out.stdout.splitlines()


def image_programs():
    """The user programs build/kernel.elf embeds (user/build.mk's apps.S)."""
    with open(os.path.join(ROOT, "build", "user", "apps.S")) as f:
        return re.findall(r'_name: \.asciz "([^"]+)"', f.read())


def module_list(append, app, programs):
    """The -initrd value: the explicit module @app (a path and its argv)
    first, then each of @programs, and the program app=NAME in @append
    names when the image does not embed it (kernel/proc.c finds a module by
    its file name). None when no module is needed."""
    mods = [app] if app else []
    m = re.match(r"(?:.*\s)?app=(\S+)", append.split(" -- ")[0])
    names = list(programs or [])
    if m and not app and m.group(1) not in image_programs():
        names.append(m.group(1))
    for name in names:
        path = os.path.join(ROOT, "build", "user", name)
        if os.path.exists(path):
            mods.append(path)
    return ",".join(mods) or None


def exit_code(status):
    """isa-debug-exit: QEMU exits with (code << 1) | 1; return code or None."""
    if status is None or status < 0 or status % 2 == 0:
        return None
    return status >> 1


class Guest:
    """One QEMU guest with its serial console on a pipe."""

    def __init__(self, name, append="", boot="multiboot", nic="none",
                 net="none", app=None, mem="128M", extra_env=None, prefix=None,
                 qemu_monitor=False, programs=None):
        """@app: a program file and its argv, run as a boot module instead
        of app=; @programs: names of build/user programs a self-test starts
        (test=sched's spin), passed as boot modules."""
        self.name = name
        env = dict(BOOT=boot, NIC=nic, NET=net, MEM=mem, SERIAL="stdio",
                   APPEND=append)
        modules = app if boot == "uefi" else module_list(append, app, programs)
        if modules:
            env["APP"] = modules
        env.update(extra_env or {})
        os.makedirs(LOG_DIR, exist_ok=True)
        self.monitor_path = None
        if qemu_monitor:    # QEMU's own monitor (HMP) on a socket: hmp()
            self.monitor_path = os.path.join(LOG_DIR, "%s.%d.mon" % (name, os.getpid()))
            env["QEMU_MONITOR"] = self.monitor_path
        # @prefix runs QEMU under another command, e.g. ["ip", "netns",
        # "exec", NS] so it opens its tap inside a test's namespace.
        self.argv = list(prefix or []) + qemu_command(**env)
        self.log = b""
        self.lines = []           # (seconds since start, text)
        self.lock = threading.Condition()
        self.proc = None
        self.t0 = None
        self.log_path = os.path.join(LOG_DIR, name + ".log")

    # -- life cycle ---------------------------------------------------------
    def start(self):
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _read(self):
        partial = b""
        with open(self.log_path, "wb") as f:
            while True:
                chunk = self.proc.stdout.read1(4096)
                if not chunk:
                    break
                f.write(chunk)
                f.flush()
                now = time.monotonic() - self.t0
                with self.lock:
                    self.log += chunk
                    partial += chunk
                    *done, partial = partial.split(b"\n")
                    for line in done:
                        self.lines.append((now, line.decode(errors="replace").rstrip("\r")))
                    self.lock.notify_all()
        with self.lock:
            if partial:
                self.lines.append((time.monotonic() - self.t0,
                                   partial.decode(errors="replace")))
            self.lock.notify_all()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
        return False

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.proc:
            self.reader.join(timeout=5)
        if self.monitor_path and os.path.exists(self.monitor_path):
            os.unlink(self.monitor_path)

    # -- QEMU's monitor (qemu_monitor=True) ----------------------------------
    def hmp(self, line, timeout=30.0):
        """Run one QEMU monitor command (e.g. "set_link n0 off"); its output."""
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.monitor_path):
            if time.monotonic() > deadline:
                self.fail("QEMU monitor socket never appeared")
            time.sleep(0.05)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(self.monitor_path)
            buf = b""
            while not buf.endswith(b"(qemu) "):
                buf += s.recv(4096)
            s.sendall(line.encode() + b"\n")
            buf = b""
            while not buf.endswith(b"(qemu) "):
                buf += s.recv(4096)
        return buf.decode(errors="replace")

    # -- console ------------------------------------------------------------
    def text(self):
        with self.lock:
            return self.log.decode(errors="replace").replace("\r", "")

    def tail(self, n=40):
        return "\n".join(self.text().splitlines()[-n:])

    def fail(self, why):
        raise TestFailure("%s\n--- serial log tail (%s) ---\n%s" %
                          (why, self.log_path, self.tail()))

    def wait_for(self, pattern, timeout=30.0, since=0):
        """Wait until the console output (from byte @since) matches @pattern."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                m = rx.search(self.log.decode(errors="replace").replace("\r", ""), since)
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self.reader.is_alive()):
                    break
                self.lock.wait(min(left, 0.5))
        self.fail("timed out after %.0f s waiting for /%s/" % (timeout, pattern))

    def line_time(self, pattern, timeout=10.0):
        """Seconds from QEMU start until the first line matching @pattern.

        A wait_for() can match text whose line has not ended yet, and a line
        is stamped only when its newline arrives, so wait for it (bounded);
        None if no such line comes."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for t, line in self.lines:
                    if rx.search(line):
                        return t
                left = deadline - time.monotonic()
                if left <= 0 or not self.reader.is_alive():
                    return None
                self.lock.wait(min(left, 0.5))

    def mark(self):
        """A position in the output: wait_for(..., since=mark) looks after it."""
        with self.lock:
            return len(self.log.decode(errors="replace").replace("\r", ""))

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()

    def command(self, line, expect, timeout=30.0):
        """Type a monitor command and wait for @expect in its reply."""
        pos = self.mark()
        self.send(line)
        return self.wait_for(expect, timeout, since=pos)

    def wait_exit(self, timeout=60.0):
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail("guest still running after %.0f s" % timeout)
        self.reader.join(timeout=5)
        return status
