#!/usr/bin/env python3
"""
Open N TCP connections to an echo server at once, send each a distinct
line, read it back, close. Prints "ok=K failed=F" and exits 0 only if all
N succeeded. Bounded: every connection has a deadline.

  concurrent_echo.py HOST PORT N [TIMEOUT_S]
"""
import asyncio
import sys


async def one(host, port, i, timeout):
    msg = b"connection %d says hello\n" % i
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        w.write(msg)
        await w.drain()
        got = await asyncio.wait_for(r.readexactly(len(msg)), timeout)
        w.close()
        await w.wait_closed()
        return got == msg
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
        return False


async def main(host, port, n, timeout):
    results = await asyncio.gather(*(one(host, port, i, timeout) for i in range(n)))
    ok = sum(results)
    print("ok=%d failed=%d" % (ok, n - ok))
    return 0 if ok == n else 1


if __name__ == "__main__":
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
    sys.exit(asyncio.run(main(host, port, n, timeout)))
