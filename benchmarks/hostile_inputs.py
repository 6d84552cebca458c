"""Time and peak memory of revue2md on hostile inputs (each case in its own process).

    .venv/bin/python benchmarks/hostile_inputs.py

Prints one line per case: wall seconds, peak RSS in MB, exit code, input size. The targets:
no input of 1 MB or less over 2 s, no case over 300 MB. Numbers are printed, not asserted.
The last case (a 1.5 MB ZIP of 400 item tables of 1 MiB each, 4.7 million items of one issue)
is read one table at a time, and its issue keeps its first 1,000 items: its time is the time
`json` takes to parse 400 MiB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path


def _issue(html: str) -> list[dict]:
    return [{"id": 1, "title": "Hostile", "html": html, "sent_at": "2021-01-01T00:00:00Z"}]


def cases(folder: Path) -> dict[str, tuple[list[str], Path]]:
    out = folder / "out"
    made = {}
    captions = folder / "captions.json"
    captions.write_text(json.dumps(_issue("<p>" + "[caption " * 40_000 + "</p>")))
    made["40,000 unclosed [caption (API JSON)"] = (["export", str(captions), "--out", str(out / "a")], captions)
    meta = folder / "meta.html"
    meta.write_text("<html><body>/web/" + "<meta " * 40_000 + "</body></html>")
    made["40,000 <meta after /web/ (saved page)"] = (["export", str(meta), "--out", str(out / "b")], meta)
    mail = folder / "anchors.eml"
    mail.write_text("From: News <news@getrevue.co>\nSubject: x\nContent-Type: text/html; charset=utf-8\n\n"
                    "<html><body>" + "<a " * 40_000 + "</body></html>\n")
    made["40,000 unclosed <a> (e-mail)"] = (["export", str(mail), "--out", str(out / "c")], mail)
    code = folder / "code.md"
    code.write_text("---\ntitle: \"Code\"\n---\n" + "```\n" + "x = [a_b*c](d) `e` <f> {{g}}\n" * 13_000 + "```\n")
    made["clean --check, 400 KB page of code"] = (["clean", str(code), "--check"], code)
    bomb = folder / "bomb.md"
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    layers += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
    bomb.write_text("---\ntitle: \"t\"\n" + "\n".join(layers) + "\n---\nText\n")
    made["clean, YAML alias bomb"] = (["clean", str(bomb), "--check"], bomb)
    empty = folder / "empty.json"
    empty.write_text(json.dumps(_issue("<p>x</p>" + "<p><span></span></p>" * 20_000)))
    made["20,000 empty paragraphs (API JSON)"] = (["export", str(empty), "--out", str(out / "e")], empty)
    archive = folder / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as writer:
        writer.writestr("issues_1.csv",
                        "id,description,sent_at,subject,preheader\n1,<p>x</p>,2021-01-01 00:00:00 UTC,T,\n")
        item = json.dumps({"issue_id": 1, "order": 0, "item_type": "text", "title": "", "description": "<p>x</p>"})
        body = ("[" + ",".join([item] * (1024 * 1024 // (len(item) + 1))) + "]").encode()[: 1024 * 1024]
        body = body[: body.rfind(b"}") + 1] + b"]"
        for n in range(400):
            writer.writestr(f"items_{n}.json", body)
    made["ZIP, 400 entries of 1 MiB"] = (["export", str(archive), "--out", str(out / "z")], archive)
    return made


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        for name, (args, source) in cases(Path(temporary)).items():
            started = time.monotonic()
            process = subprocess.Popen([sys.executable, "-m", "revue2md", *args], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.monotonic() - started
            print(f"{name:42} {seconds:6.2f} s {usage.ru_maxrss / 1024:7.0f} MB  exit {status >> 8}  "
                  f"input {source.stat().st_size / 1024:8.0f} KB")


if __name__ == "__main__":
    main()
