"""One issue found in several copies becomes one page: the richest copy, completed by the others.

Copies are the same issue when they share a Revue id or, for copies without one, a duplicate
key (an e-mail's Message-ID, its subject and date). Of a group of copies, the one with the
most content is written: the most words once cleaned (Revue's chrome removed), a dated copy
before an undated one when their content is about the same, then the copy with more metadata,
then the source read first (API responses, ZIP exports, pages, e-mails). What it lacks (date,
URL, id, description, title) comes from the other copies, richest first, and its aliases are
those of every copy. The page says which copies were merged (a note); the others are reported
as ignored, naming the page they went into.

Memory stays flat: a first pass spools every item to a temporary file and keeps a few fields
per item; only the copies of a repeated issue are read back, one at a time, to be scored;
the second pass replays the spool. The result can be iterated more than once (a plan of page
names, then the conversion) without reading any source again.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from revue2md.canonical import BLOCKS
from revue2md.clean.issue import CleanOptions, clean_issue
from revue2md.commands.spool import spool_error
from revue2md.models import Issue, Skipped

NO_DATE = "no date in the source"
DRAFT = "draft (never sent); --drafts writes it"
# Copies whose word counts differ by less than this hold "about the same" content: what one
# copy has more is a line or two (a byline, a blurb left by the e-mail template), not an item.
WORDS_TOLERANCE = 0.05
WORDS_SLACK = 20


@dataclass(frozen=True)
class Richness:
    """How much of the issue a copy holds; copies compare by `key` (higher is richer)."""

    words: int
    blocks: int
    dated: bool
    fields: int


@dataclass(frozen=True)
class _Decision:
    """What to write for a group of copies: `chosen` (a spool position), completed by `changes`."""

    chosen: int
    changes: dict[str, Any]
    reason: str
    sources: dict[int, str]  # where each copy was read, by spool position


@contextmanager
def merged_issues(items: Iterable[Issue | Skipped], clean: CleanOptions | None = None,
                  drafts: bool = False) -> Iterator[MergedIssues]:
    """The items with every repeated issue merged into one; drafts are ignored unless `drafts`."""
    try:
        spool = tempfile.TemporaryFile(prefix="revue2md-issues-")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise spool_error(error, "the issues read") from None
    try:
        merged = MergedIssues(spool)
        merged.read(items, drafts)
        try:  # what the buffer still holds, so that a full disk shows here and not while replaying
            spool.flush()
        except OSError as error:
            raise spool_error(error, "the issues read") from None
        merged.decide(clean or CleanOptions())
        yield merged
    finally:
        # After a full disk the buffer cannot be written out: closing must not hide why the run stopped.
        with suppress(OSError):
            spool.close()


_NONE = -1


class MergedIssues:
    """The spooled items and, per item, only numbers: where it is in the spool and its group of copies.

    A group is one issue's copies; most have one. Per item this keeps two integers in arrays
    (12 bytes) and, while reading, for an item with an id, a dictionary entry: memory grows by
    bytes, not objects, per issue.
    """

    def __init__(self, spool: BinaryIO):
        self.spool = spool
        self.offsets = array("q")  # per item: where it starts in the spool
        self.group_of = array("i")  # per item: its group, or _NONE for skips and ignored drafts
        # Only while reading: per group, its first item, and whether a copy with an id joined it.
        self.first = array("i")
        self.has_id = bytearray()
        self.more: dict[int, list[int]] = {}  # groups of several copies: every item, in reading order
        self.decisions: dict[int, _Decision] = {}

    def read(self, items: Iterable[Issue | Skipped], drafts: bool) -> None:
        by_id: dict[int, int] = {}
        by_key: dict[str, int] = {}
        for item in items:
            if isinstance(item, Issue) and item.draft and not drafts:
                item = Skipped.on_purpose(item.source, DRAFT)
            offset = self._spool(item)
            group = self._group_of(item, by_id, by_key) if isinstance(item, Issue) else None
            position = len(self.offsets)
            if group is not None:
                if group == len(self.first):
                    self.first.append(position)
                else:
                    self.more.setdefault(group, [self.first[group]]).append(position)
            self.offsets.append(offset)
            self.group_of.append(_NONE if group is None else group)
        self.first, self.has_id = array("i"), bytearray()  # the groups are known: free what found them

    def _spool(self, item: Issue | Skipped) -> int:
        """Append the item to the spool; where it starts there."""
        try:
            offset = self.spool.tell()
            pickle.dump(item, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as error:
            raise spool_error(error, "the issues read") from None
        return offset

    def _group_of(self, issue: Issue, by_id: dict[int, int], by_key: dict[str, int]) -> int:
        """The group of an issue: by its id; without one, by the first duplicate key seen before.

        A new group's number is the number of groups so far (`read` then records its first item).
        """
        known = [by_key[key] for key in issue.duplicate_keys if key in by_key]
        if issue.id is not None:
            group = by_id.get(issue.id)
            if group is None:
                # A copy without an id read earlier (an e-mail) joins the first copy that has one.
                group = next((g for g in known if not self.has_id[g]), None)
        else:
            group = known[0] if known else None
        if group is None:
            group = len(self.first)
            self.has_id.append(0)
        if issue.id is not None and not self.has_id[group]:
            self.has_id[group] = 1
            by_id[issue.id] = group
        for key in issue.duplicate_keys:
            by_key.setdefault(key, group)
        return group

    def decide(self, clean: CleanOptions) -> None:
        for number, members in self.more.items():
            self.decisions[number] = self._merge(members, clean)

    def _merge(self, members: list[int], clean: CleanOptions) -> _Decision:
        copies: list[tuple[int, Issue, Richness]] = []
        for position in members:
            issue = self._load(position)
            copies.append((position, _metadata_only(issue), richness(issue, clean)))
        # The group's id is that of the first copy read that has one.
        issue_id = next((issue.id for _, issue, _ in copies if issue.id is not None), None)
        ranked = rank(copies)
        chosen_position, chosen, _ = ranked[0]
        others = [(position, issue) for position, issue, _ in ranked[1:]]
        changes, taken = complete(chosen, [issue for _, issue in others])
        sources = ", ".join(issue.source for _, issue in sorted(others))
        note = f"merged with {len(others)} other cop{'ies' if len(others) > 1 else 'y'} of this issue ({sources})"
        if taken:
            note += "; " + ", ".join(taken)
        changes["notes"] = (*changes.get("notes", chosen.notes), note)
        same = f"same issue ({issue_id})" if issue_id is not None else "same message"
        sources_of = {position: issue.source for position, issue, _ in copies}
        return _Decision(chosen_position, changes, f"{same} as {chosen.source}: merged into its page", sources_of)

    def __iter__(self) -> Iterator[Issue | Skipped]:
        firsts = {members[0]: number for number, members in self.more.items()}
        for position, group in enumerate(self.group_of):
            decision = self.decisions.get(group) if group != _NONE else None
            if decision is None:
                yield self._load(position)
                continue
            if position in firsts:
                # The merged page comes where the issue was first found, whichever copy it is.
                yield replace(self._load(decision.chosen), **decision.changes)
            if position != decision.chosen:
                yield Skipped.on_purpose(decision.sources[position], decision.reason)

    def _load(self, position: int) -> Any:
        self.spool.seek(self.offsets[position])
        return pickle.load(self.spool)


def _metadata_only(issue: Issue) -> Issue:
    return replace(issue, html="")


def richness(issue: Issue, clean: CleanOptions) -> Richness:
    """Words and blocks of the copy once cleaned (chrome gone), whether it is dated, how much metadata."""
    fields = sum(1 for value in (issue.id, issue.url, issue.description, issue.title) if value) + len(issue.aliases)
    try:
        root = clean_issue(issue, clean).root
    except Exception:  # the conversion reports it; as a copy, it counts as empty
        return Richness(0, 0, issue.sent_at is not None, fields)
    words = len(root.get_text(" ").split())
    blocks = sum(1 for _ in root.find_all(list(BLOCKS | {"li", "figure"})))
    return Richness(words, blocks, issue.sent_at is not None, fields)


def rank(copies: list[tuple[int, Issue, Richness]]) -> list[tuple[int, Issue, Richness]]:
    """The copies, richest first. Copies within 5% (or 20 words) of the most words count as full ones;
    of those, dated before undated, then more words and blocks, more metadata, read first."""
    most = max(score.words for _, _, score in copies)
    full = most - max(WORDS_SLACK, int(most * WORDS_TOLERANCE))

    def key(copy: tuple[int, Issue, Richness]):
        position, _, score = copy
        return (score.words < full, not score.dated, -score.words, -score.blocks, -score.fields, position)

    return sorted(copies, key=key)


def complete(chosen: Issue, others: list[Issue]) -> tuple[dict[str, Any], list[str]]:
    """The fields the chosen copy lacks, from the others (richest first), and what was taken from where."""
    changes: dict[str, Any] = {}
    taken: list[str] = []

    def take(name: str, label: str) -> None:
        if getattr(chosen, name) in (None, ""):
            donor = next((other for other in others if getattr(other, name) not in (None, "")), None)
            if donor is not None:
                changes[name] = getattr(donor, name)
                taken.append(f"{label} from {donor.source}")

    take("sent_at", "date")
    take("id", "Revue id")
    take("url", "URL")
    take("description", "description")
    take("title", "title")
    if "sent_at" in changes:
        changes["notes"] = tuple(note for note in chosen.notes if note != NO_DATE)
    aliases = tuple(dict.fromkeys(alias for issue in (chosen, *others) for alias in issue.aliases))
    if aliases != chosen.aliases:
        changes["aliases"] = aliases
        taken.append("aliases of every copy")
    return changes, taken
