"""Another client's /healthz every EVERY seconds, in a process of its own, until stdin closes.

One kept-alive HTTP client, so each sample is the server's answer time: a new client per request (as
`httpx.get` makes) spent ~30 ms of its own building a TLS context, and a thread beside the benchmark's
page downloads waited for the GIL; both showed up as the server's /healthz time (a 32-37 ms p95 with
nothing else running, 4 ms measured this way). Prints one line per answer: milliseconds.

Run: `python -m bench.health_probe http://127.0.0.1:8080` (bench/pages.py starts it).
"""

import sys
import threading
import time

import httpx

EVERY = 0.02


def main(base_url: str) -> None:
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    with httpx.Client(base_url=base_url, timeout=600) as client:
        while not stop.is_set():
            began = time.perf_counter()
            client.get('/healthz').raise_for_status()
            print(f'{(time.perf_counter() - began) * 1000:.2f}', flush=True)
            stop.wait(EVERY)


if __name__ == '__main__':
    main(sys.argv[1])
