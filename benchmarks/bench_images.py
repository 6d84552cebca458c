"""Image downloads: the bounded pool against one at a time, from a local server that adds latency.

    python benchmarks/bench_images.py            # 64 images, 50 ms each, pool of 8
    python benchmarks/bench_images.py --images 128 --latency 0.1 --jobs 16 --per-issue 1

Every request goes to 127.0.0.1 and the run stops by itself. The export is the real one
(`pipeline.export` with `--images download`), into a fresh folder each time.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from revue2md.commands.export import export
from revue2md.commands.options import ExportOptions
from revue2md.hugo.images import image_options
from revue2md.net.http import RetryPolicy


def _png(seed: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00" + seed.to_bytes(3, "big") * 1)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def _server(latency: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(latency)
            body = _png(abs(hash(self.path)) % (1 << 24))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _archive(folder: Path, base: str, images: int, per_issue: int) -> Path:
    issues = []
    for first in range(0, images, per_issue):
        tags = "".join(f'<img alt="" src="{base}/img/{n}.png">' for n in range(first, min(images, first + per_issue)))
        number = len(issues) + 1
        issues.append({"id": 500000 + number, "title": f"Bench {number}", "sent_at": "2021-01-01T00:00:00Z",
                       "html": f"<p><p>{tags}</p></p>"})
    path = folder / "issues.json"
    path.write_text(json.dumps(issues), encoding="utf-8")
    return path


def _timed(source: Path, out: Path, jobs: int) -> tuple[float, int]:
    options = ExportOptions(images=image_options("download", jobs=jobs, policy=RetryPolicy(attempts=2, timeout=10),
                                                 allow_private_hosts=True))  # the server is on 127.0.0.1
    start = time.perf_counter()
    report = export([source], out, options)
    elapsed = time.perf_counter() - start
    return elapsed, report.image_counts().get("downloaded", 0)


def run(images: int = 64, latency: float = 0.05, jobs: int = 8, per_issue: int = 8) -> dict:
    """Images per second with the pool and one at a time; `speedup` is their ratio."""
    server = _server(latency)
    try:
        with tempfile.TemporaryDirectory(prefix="revue2md-bench-") as temporary:
            folder = Path(temporary)
            source = _archive(folder, f"http://127.0.0.1:{server.server_port}", images, per_issue)
            serial_time, serial_count = _timed(source, folder / "serial", 1)
            pool_time, pool_count = _timed(source, folder / "pool", jobs)
    finally:
        server.shutdown()
        server.server_close()
    if serial_count != images or pool_count != images:
        raise RuntimeError(f"expected {images} downloads, got {serial_count} and {pool_count}")
    return {
        "images": images,
        "latency_ms": round(latency * 1000),
        "jobs": jobs,
        "serial_images_per_s": round(images / serial_time, 1),
        "pool_images_per_s": round(images / pool_time, 1),
        "speedup": round(serial_time / pool_time, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the server waits per image")
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--per-issue", type=int, default=8, help="images in each issue")
    args = parser.parse_args()
    result = run(args.images, args.latency, args.jobs, args.per_issue)
    print(f"{result['images']} images, {result['latency_ms']} ms latency: "
          f"one at a time {result['serial_images_per_s']} images/s, "
          f"pool of {result['jobs']} {result['pool_images_per_s']} images/s, "
          f"speed-up {result['speedup']}x")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
