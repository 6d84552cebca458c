"""Random mutations of real-looking Revue HTML through the whole pipeline: nothing escapes.

Every mutated input is either written as a page with no raw HTML in it, or reported as
skipped with a one-line reason. Seeds are fixed so a failure can be replayed.
"""

from __future__ import annotations

import json
import random

import pytest
from conftest import FIXTURES
from helpers import raw_html_tokens

from revue2md.commands.export import pages
from revue2md.commands.options import ExportOptions
from revue2md.models import Page, Skipped

SNIPPETS = ["<p>", "</p>", "<div>", "</div>", "<table><tr><td>", "</td></tr></table>", "<h3>", "<ul><li>",
            "</li></ul>", "<a href='https://e.example/?utm_source=x'>", "</a>", "<img src=x>", "<br>", "[caption]",
            "[tweet https://twitter.com/a/status/1]", "[embed https://youtu.be/abc]", "&amp;", "&#x27;", "\x00",
            "itâ€™s", "{{< x >}}", "<script>alert(1)</script>", "<!--", "-->", "<![CDATA[", "\ufeff", "<html>",
            "<body>", "</body></html>", "<span class='revue-p'>", "<div class='item-link-title'>"]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        where = rng.randrange(len(text) + 1)
        action = rng.random()
        if action < 0.3:
            text = text[:where] + rng.choice(SNIPPETS) + text[where:]
        elif action < 0.55:
            text = text[:where] + text[where + rng.randint(1, 400):]
        elif action < 0.75:
            start = rng.randrange(len(text) + 1)
            text = text[:where] + text[start:start + rng.randint(1, 300)] + text[where:]
        elif action < 0.9:
            text = text[:where] + "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 20))) + text[where:]
        else:
            text = text[:where]
    return text


TEMPLATES = {
    "classic.html": (FIXTURES / "web" / "classic-2019.html").read_text(encoding="utf-8"),
    "mjml.html": (FIXTURES / "web" / "mjml-2021-nested.html").read_text(encoding="utf-8"),
    "archive.html": (FIXTURES / "email" / "archive-2017.html").read_text(encoding="utf-8"),
}
API_HTML = json.loads((FIXTURES / "api" / "every-structure.json").read_text(encoding="utf-8"))[0]["html"]


@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("FUZZ_SEEDS", "40"))))
def test_mutated_inputs_are_written_or_reported(seed, tmp_path):
    rng = random.Random(seed)
    inputs = []
    for name, template in TEMPLATES.items():
        path = tmp_path / f"{seed}-{name}"
        path.write_bytes(mutate(template, rng).encode("utf-8", errors="surrogatepass"))
        inputs.append(path)
    issues = [{"id": seed * 10 + n, "title": mutate("A title: #1", rng), "html": mutate(API_HTML, rng),
               "sent_at": "2021-01-01T00:00:00Z"} for n in range(3)]
    api = tmp_path / f"{seed}-api.json"
    api.write_text(json.dumps(issues), encoding="utf-8")
    inputs.append(api)

    results = list(pages(inputs, ExportOptions()))
    sources = {r.source if isinstance(r, Skipped) else r[0].source for r in results}
    assert {str(p) for p in inputs[:3]} <= sources
    assert {f"{api}#{n}" for n in range(3)} <= sources
    for result in results:
        if isinstance(result, Skipped):
            assert result.reason and "\n" not in result.reason
        else:
            page, name = result
            assert isinstance(page, Page) and name.endswith(".md")
            assert raw_html_tokens(page.body) == [], page.source
