#!/usr/bin/env python3
"""
make test: the host unit tests (Criterion, under ASan/UBSan), then every
guest test in tests/guest/test_*.py, then one closing line:
"N passed, M failed". Exits non-zero if anything failed.

  tests/run.py [-k PATTERN] [--no-unit] [--list]
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "guest"))


def run_unit():
    exe = os.path.join(ROOT, "build", "host", "unit_tests")
    print("== host unit tests (Criterion, ASan+UBSan)", flush=True)
    p = subprocess.run([exe, "--jobs", "2"], cwd=ROOT, capture_output=True, text=True)
    out = p.stdout + p.stderr
    sys.stdout.write("\n".join(l for l in out.splitlines()
                               if "FAIL" in l or "Synthesis" in l or "Assert" in l or "teardown check" in l
                               or l.startswith("[----]")) + "\n")
    m = re.search(r"Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)", out)
    if not m:
        print(out[-3000:])
        return 0, 1
    tested, passing = int(m.group(1)), int(m.group(2))
    # Criterion counts a test whose teardown ended its process as passing
    # and only warns; a failed teardown check (tests/host/teardown.h) is a
    # failed test.
    broken = set(re.findall(r"The test `([^`]+)` (?:crashed|exited) during its "
                            r"setup or teardown", out))
    passing -= len(broken)
    failed = tested - passing
    if p.returncode != 0 and failed == 0:
        failed = 1
    return passing, failed


def run_fuzz_smoke(seconds=5):
    """Each libFuzzer target for a few seconds from its seed corpus."""
    d = os.path.join(ROOT, "build", "fuzz")
    passed = failed = 0
    if not os.path.isdir(d):
        return 0, 0
    print("== fuzz smoke (libFuzzer, ASan+UBSan, %d s each)" % seconds, flush=True)
    for exe in sorted(os.listdir(d)):
        if not exe.startswith("fuzz_"):
            continue
        name = exe[len("fuzz_"):]
        work = os.path.join(d, "corpus", name)
        os.makedirs(work, exist_ok=True)
        p = subprocess.run([os.path.join(d, exe), "-max_total_time=%d" % seconds,
                            work, os.path.join(ROOT, "tests", "fuzz", "corpus", name)],
                           cwd=ROOT, capture_output=True, text=True)
        done = re.findall(r"^#(\d+)\s+DONE.*", p.stderr, re.M)
        if p.returncode == 0:
            passed += 1
            print("PASS fuzz_%s (%s runs)" % (name, done[-1] if done else "?"), flush=True)
        else:
            failed += 1
            print("FAIL fuzz_%s\n    %s" % (name, p.stderr[-3000:].replace("\n", "\n    ")),
                  flush=True)
    return passed, failed


def guest_tests(pattern):
    d = os.path.join(ROOT, "tests", "guest")
    for fn in sorted(os.listdir(d)):
        if not (fn.startswith("test_") and fn.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(fn[:-3], os.path.join(d, fn))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for name in sorted(vars(mod)):
            if name.startswith("test_") and callable(getattr(mod, name)):
                full = "%s.%s" % (fn[:-3], name)
                if pattern and not re.search(pattern, full):
                    continue
                yield full, getattr(mod, name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", dest="pattern")
    ap.add_argument("--no-unit", action="store_true")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    tests = list(guest_tests(args.pattern))
    if args.list:
        for name, _ in tests:
            print(name)
        return 0
    t_start = time.monotonic()
    passed = failed = skipped = 0
    if not args.no_unit and not args.pattern:
        passed, failed = run_unit()
        p, f = run_fuzz_smoke()
        passed, failed = passed + p, failed + f
    accel = subprocess.run(["bash", "scripts/accel.sh"], cwd=ROOT, capture_output=True, text=True)
    print("== guest tests (QEMU; %s)" % accel.stderr.strip(), flush=True)
    for name, fn in tests:
        t0 = time.monotonic()
        try:
            fn()
        except Exception as e:  # TestFailure or a harness error: both fail
            if e.__class__.__name__ == "TestSkip":
                skipped += 1
                print("SKIP %s: %s" % (name, e), flush=True)
                continue
            failed += 1
            print("FAIL %s (%.1f s)" % (name, time.monotonic() - t0))
            detail = str(e) if e.__class__.__name__ == "TestFailure" else traceback.format_exc()
            print("    " + detail.replace("\n", "\n    "), flush=True)
            continue
        passed += 1
        print("PASS %s (%.1f s)" % (name, time.monotonic() - t0), flush=True)
    print("make test: %.0f s" % (time.monotonic() - t_start))
    if skipped:
        print("%d skipped (see SKIP lines)" % skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
