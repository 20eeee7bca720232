"""
The user program cannot hurt the kernel (issue 10). user/sysfuzz, given
to the guest as a Multiboot module, makes random raw system calls with
hostile arguments (bad, kernel-half and non-canonical pointers, huge
lengths, bad and live fds, random flags and numbers) under a seed it
prints, so a failure replays with the same seed:

- its known-answer probes (bad pointer -> -EFAULT, bad fd -> -EBADF,
  unknown number -> -ENOSYS) answer in the guest as they do natively on
  Linux, line for line, -ENOSYS only from calls unisock does not have;
- with all the memory it can map held (sysfuzz hog), random calls still
  get errnos, no panic, and sockets work once the memory is back;
- for each seed, the random run ends with its summary: every answer a
  value or an errno, the known ones Linux's, its own memory intact; no
  panic on the console; the monitor still answers, no socket or skb is
  left, and once TIME_WAIT has run out every slab cache and the page
  count are back to what a program that made no calls leaves.

SYSFUZZ_SEEDS="1 2 3" and SYSFUZZ_CALLS=200000 are make test's sizes;
make check-full runs more seeds and calls.
"""
import os
import re
import subprocess
import time

from harness import Guest, ROOT, exit_code

SYSFUZZ = os.path.join("build", "user", "sysfuzz")
SEEDS = [int(s) for s in os.environ.get("SYSFUZZ_SEEDS", "1 2 3").split()]
CALLS = int(os.environ.get("SYSFUZZ_CALLS", "200000"))
SECONDS = int(os.environ.get("SYSFUZZ_SECONDS", "120"))
SUMMARY = (r"sysfuzz: random: (\d+) calls in (\d+) ms, (\d+) skipped, (\d+) wrong answers, "
           r"(\d+) probes (\d+) wrong, canary (\w+)")
KERNEL_TROUBLE = r"(?i:panic|oops|general protection|double fault|kernel (page )?fault)|\bBUG\b"
TIME_WAIT_S = 75	# TCP_TIMEWAIT_LEN (60 s) and some


def probe_lines(text):
    return [l for l in text.replace("\r", "").splitlines() if l.startswith("sf| ")]


def test_sysfuzz_probes_answer_as_on_linux():
    native = subprocess.run([os.path.join(ROOT, SYSFUZZ), "probe"], cwd=ROOT,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    want = probe_lines(native.stdout)
    if native.returncode != 0 or len(want) < 500:
        raise AssertionError("native probe run failed (status %d):\n%s" %
                             (native.returncode, native.stdout[-3000:]))
    with Guest("sysfuzz-probe", append="quiet test=app", app=SYSFUZZ + " probe") as g:
        status = g.wait_exit(120)
        got = probe_lines(g.text())
        if len(got) != len(want):
            g.fail("host printed %d probe lines, guest %d" % (len(want), len(got)))
        unimplemented, implemented = set(), set()
        for h, v in zip(want, got):
            name = v[4:].split("(")[0].split(" =")[0]
            if v.endswith("= -ENOSYS") and not h.endswith("= -ENOSYS"):
                unimplemented.add(name)
                continue
            implemented.add(name)
            if h != v:
                g.fail("probe differs:\n  Linux:   %s\n  unisock: %s" % (h, v))
        both = unimplemented & implemented
        if both:
            g.fail("answered -ENOSYS only some of the time: %s" % sorted(both))
        if exit_code(status) != 0:
            g.fail("sysfuzz probe exited %r" % exit_code(status))
        print("    figure: %d probes as on Linux, %d of them -ENOSYS (%s)" %
              (len(got), sum(1 for v in got if v.endswith("-ENOSYS")), " ".join(sorted(unimplemented))))


def test_sysfuzz_with_memory_exhausted():
    """sysfuzz hog: the program maps and touches all the memory it can get,
    makes random calls while the kernel has next to none left for its own
    allocations, then gives it back: no panic, and sockets work again."""
    with Guest("sysfuzz-hog", append="quiet test=app",
               app="%s hog %d %d" % (SYSFUZZ, SEEDS[0], CALLS)) as g:
        status = g.wait_exit(SECONDS + 120)
        text = g.text()
        m = re.search(r"sysfuzz: hog: holding (\d+) KiB", text)
        if not m:
            g.fail("the hog did not report what it holds")
        if not re.search(r"sysfuzz: hog: memory given back, fixtures work again", text):
            g.fail("sockets did not work again once the memory was given back")
        if not re.search(r"sysfuzz: hog: %d calls in \d+ ms, \d+ skipped, 0 wrong answers, "
                         r"\d+ probes 0 wrong, canary intact" % CALLS, text):
            g.fail("wrong answers, or the canary changed, under memory pressure")
        trouble = re.search(KERNEL_TROUBLE, text)
        if trouble:
            g.fail("the kernel said %r" % trouble.group(0))
        if exit_code(status) != 0:
            g.fail("sysfuzz hog exited %r" % exit_code(status))
        print("    figure: %d calls with the program holding %s KiB of the guest's 128 MiB" %
              (CALLS, m.group(1)))


def monitor(g, command, until):
    pos = g.mark()
    g.send(command)
    g.wait_for(until, 30, since=pos)
    return g.text()[pos:]


def kernel_state(g):
    """The monitor's view: slab caches' active objects, pages, sockets, skbs."""
    mem = monitor(g, "mem", r"slab \d+ KiB in \d+ pages\n(?:  .*\n)*unisock> ")
    caches = {m.group(1): int(m.group(2))
              for m in re.finditer(r"^  (\S+)\s+\d+ B\s+(\d+) active", mem, re.M)}
    m = re.search(r"in use (\d+) KiB\nkernel image \d+ KiB, boot reserved \d+ KiB, "
                  r"slab \d+ KiB in (\d+) pages", mem)
    pages = int(m.group(1)) - int(m.group(2)) * 4	# KiB in use outside the caches' slabs
    socks = re.search(r"(\d+) sockets, (\d+) socks",
                      monitor(g, "sockets", r"\d+ sockets, \d+ socks"))
    skbs = re.search(r"skb live (\d+)", monitor(g, "nicstat", r"skb live \d+ bytes"))
    time_wait = monitor(g, "ss -a", r"Peer Address:Port\n(?:.*\n)*?unisock> ").count("TIME-WAIT")
    return dict(caches=caches, pages=pages, sockets=int(socks.group(1)),
                socks=int(socks.group(2)), skbs=int(skbs.group(1)), time_wait=time_wait)


def run_to_monitor(name, args):
    """Boot with sysfuzz ARGS as the module; return the guest at its monitor."""
    g = Guest(name, append="quiet", app="%s %s" % (SYSFUZZ, args)).start()
    try:
        g.wait_for(r"app: \S+ \(pid \d+\) exited with status \d+", SECONDS + 120)
        g.wait_for(r"unisock> ", 30)
    except BaseException:
        g.kill()
        raise
    return g


def check_run(g, seed):
    text = g.text()
    m = re.search(SUMMARY, text)
    if not m:
        g.fail("seed %d: no summary line" % seed)
    calls, wrong, probes_wrong, canary = int(m.group(1)), int(m.group(4)), int(m.group(6)), m.group(7)
    if wrong or probes_wrong:
        g.fail("seed %d: %d wrong answers, %d wrong probes" % (seed, wrong, probes_wrong))
    if canary != "intact":
        g.fail("seed %d: the program's memory was changed behind its back" % seed)
    if calls != CALLS and int(m.group(2)) < SECONDS * 1000:
        g.fail("seed %d: stopped after %d of %d calls" % (seed, calls, CALLS))
    if not re.search(r"app: \S+ \(pid \d+\) exited with status 0", text):
        g.fail("seed %d: sysfuzz did not exit 0" % seed)
    trouble = re.search(KERNEL_TROUBLE, text)
    if trouble:
        g.fail("seed %d: the kernel said %r" % (seed, trouble.group(0)))
    g.command("uptime", r"up \d+\.\d+ s")
    st = kernel_state(g)
    if st["sockets"] or st["socks"] or st["skbs"]:
        g.fail("seed %d: left %d sockets, %d socks, %d skbs" %
               (seed, st["sockets"], st["socks"], st["skbs"]))
    print("    figure: seed %d: %d calls in %s ms, %d TIME-WAIT left" %
          (seed, calls, m.group(2), st["time_wait"]))
    return st


def same_as_baseline(g, base, seed):
    """Wait out TIME_WAIT, then every cache and the page count as at @base."""
    deadline = time.monotonic() + TIME_WAIT_S
    while True:
        st = kernel_state(g)
        if not st["time_wait"] or time.monotonic() > deadline:
            break
        time.sleep(1)	# TIME_WAIT's timer runs in the guest: poll it
    if st["time_wait"]:
        g.fail("seed %d: %d TIME-WAIT socks after %d s" % (seed, st["time_wait"], TIME_WAIT_S))
    for cache, active in sorted(st["caches"].items()):
        if active != base["caches"].get(cache, 0):
            g.fail("seed %d: %s has %d active objects, %d after a run of no calls" %
                   (seed, cache, active, base["caches"].get(cache, 0)))
    if st["pages"] != base["pages"]:
        g.fail("seed %d: %d KiB of pages in use, %d KiB after a run of no calls" %
               (seed, st["pages"], base["pages"]))


def test_sysfuzz_random_calls_leave_the_kernel_well():
    guests = []
    try:
        for seed in SEEDS:
            g = run_to_monitor("sysfuzz-%d" % seed, "%d %d %d" % (seed, CALLS, SECONDS))
            guests.append(g)
            check_run(g, seed)
            if len(guests) > 1:	# the first stays up for the memory check
                g.send("poweroff")
                g.wait_exit(30)
        b = run_to_monitor("sysfuzz-none", "%d 0" % SEEDS[0])
        guests.append(b)
        base = kernel_state(b)
        same_as_baseline(guests[0], base, SEEDS[0])
        guests[0].send("poweroff")
        if exit_code(guests[0].wait_exit(30)) != 0:
            guests[0].fail("poweroff after the run did not exit cleanly")
    finally:
        for g in guests:
            g.kill()
