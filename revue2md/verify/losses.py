"""What the structural comparison finds, as plain data for `check` to print and reports to highlight."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StructureLoss:
    """One block, item or piece of chrome that makes the page differ from its source.

    `kind` names the block ("list item", "tweet", "link item", "chrome", ...); `source_text`
    is how it reads in the source (empty for chrome), `page_text` how the page shows it
    (empty when the page does not have it); `what` says what was lost or changed.
    """

    page: str
    kind: str
    source_text: str
    page_text: str
    what: str

    def line(self) -> str:
        """One line for a reader: the block, what happened to it, how the page shows it."""
        shown = f' (the page: "{shorten(self.page_text)}")' if self.page_text else ""
        if self.kind == "chrome":
            return f"{self.what}{shown}"
        quoted = f' "{shorten(self.source_text)}"' if self.source_text else ""
        return f"{self.kind}{quoted}: {self.what}{shown}"


def shorten(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
