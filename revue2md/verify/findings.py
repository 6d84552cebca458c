"""What `check` found on one page, as a list a reader can follow: the vocabulary of the review report.

Each finding names its kind, the text or URL concerned, and the side it is to be found on:
`source` (something of the source the page lacks: highlight it in the source), `page`
(something of the page that differs), or `file` (about the file as a whole). Other checks
turn their own results into findings with a function like `findings_from_loss`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from revue2md.verify.fidelity import Loss
from revue2md.verify.losses import StructureLoss

SIDES = ("source", "page", "file")


@dataclass(frozen=True)
class Finding:
    kind: str  # "link", "image", "embed", "text", or a problem kind of check ("drift", "alias", ...)
    text: str  # the URL, the words, or the problem's sentence
    where: str = "source"  # one of SIDES
    quote: str = ""  # words to find in the source, when `text` is a sentence about them


def findings_from_loss(loss: Loss) -> list[Finding]:
    findings = [Finding("link", url) for url in loss.links]
    for mark in loss.marks:
        kind, _, what = mark.partition(" ")
        findings.append(Finding("embed" if kind == "embed" else "link", what or mark))
    findings += [Finding("image", url) for url in loss.images]
    findings += [Finding("text", text) for text in loss.texts]
    return findings


def findings_from_structure(losses: Iterable[StructureLoss]) -> list[Finding]:
    """Blocks and items the structural comparison found lost or changed; chrome left is on the page."""
    findings = []
    for loss in losses:
        if loss.kind == "chrome":
            findings.append(Finding("chrome", loss.line(), "page"))
        else:
            findings.append(Finding(loss.kind, loss.line(), "source" if loss.source_text else "page",
                                    loss.source_text))
    return findings
