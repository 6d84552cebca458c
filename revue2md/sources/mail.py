"""Issues received by e-mail: an mbox file, or `.eml` files of one message each.

A message is a Revue issue when its sender is at getrevue.co (or is one the user names with
`--from`), or when it carries Revue's footer ("Powered by Revue", the footer link, Revue's
paragraph classes): that is how a forwarded copy is still recognised. It must also look
like an issue (a link to the issue online, or Revue's content markup); Revue's other
e-mails (subscription confirmations) are not.

The HTML part is read like a saved e-mail page (`web.parse_page`); a message without one
uses its text part. Title, date and address come from the message itself: the Subject,
the Date header (with its offset), and the "View online" link (its id and path give the
aliases). Parts are decoded from their bytes here, because senders do declare the wrong
charset: see `decode_part`. Whatever still reads as mojibake is repaired by the cleaner.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote

from revue2md.errors import SourceError
from revue2md.files import read_head, read_regular
from revue2md.models import Issue, Skipped
from revue2md.revue_urls import parse_issue_url
from revue2md.sources.web import parse_page
from revue2md.text import one_line

REVUE_SENDER_DOMAIN = "getrevue.co"
_FORWARD_PREFIX = re.compile(r"^\s*(?:(?:fwd?|fw)\s*:\s*)+", re.IGNORECASE)
_REVUE_MARKS = re.compile(
    r"Powered by\s*(?:<[^>]*>\s*)*Revue|getrevue\.co/\?[^\"'\s>]*footerlink"
    r"""|class\s*=\s*["'][^"']*\brevue-(?:p|blockquote)\b""",
    re.IGNORECASE,
)
_ISSUE_MARKUP = re.compile(
    r"""class\s*=\s*["'][^"']*\b(?:revue-p|item-header|item-text|item-link-title|link-title)\b""",
    re.IGNORECASE,
)
# Neither the tag nor the link text may run into the next `<a`: thousands of unclosed anchors
# then cost linear time, not a scan to the end of the message from each of them.
_ANCHOR = re.compile(r"<a\b([^<>]*)>((?:[^<]|<(?!a\b))*?)</a\s*>", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_VIEW_ONLINE_TEXT = re.compile(
    r"view\s+(?:it\s+|this\s+)?(?:online|in\s+(?:your\s+|a\s+)?browser)|read\s+(?:it\s+)?online|web\s+version",
    re.IGNORECASE,
)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_TAG = re.compile(r"<[^>]+>")
_RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


@dataclass(frozen=True)
class NotAnIssue:
    """A message that is not a Revue issue, and why."""

    reason: str


class MboxSource:
    """An mbox file (one file holding many messages), as mail programs export them."""

    kind = "mbox"

    def __init__(self, path: Path, senders: Iterable[str] = ()):
        self.path = path
        self.senders = _addresses(senders)

    def issues(self) -> Iterator[Issue | Skipped]:
        import mailbox as stdlib_mailbox

        source = str(self.path)
        try:
            head = read_head(self.path, 64).lstrip(b"\xef\xbb\xbf\r\n\t ")
        except OSError as error:
            yield Skipped(source, f"cannot read: {error.strerror or error}")
            return
        if not head.startswith(b"From "):
            yield Skipped(source, "not an mbox file (an mbox starts with a 'From ' line)")
            return
        box = stdlib_mailbox.mbox(str(self.path), create=False)
        not_issues = 0
        total = 0
        try:
            for index, key in enumerate(box.iterkeys()):
                total += 1
                result = _read_isolated(box.get_bytes(key), f"{source}#{index}", self.senders)
                if isinstance(result, NotAnIssue):
                    not_issues += 1
                else:
                    yield result
        except OSError as error:
            yield Skipped(source, f"cannot read: {error.strerror or error}")
            return
        finally:
            box.close()
        if total and not_issues == total:
            yield Skipped(source, f"none of its {total} message{'s' if total != 1 else ''} is a Revue "
                          "issue (sent from getrevue.co, or with Revue's footer); --from ADDRESS accepts "
                          "another sender")
        elif not_issues:
            yield Skipped.on_purpose(source, f"{not_issues} message{'s' if not_issues != 1 else ''} that "
                          f"{'are' if not_issues != 1 else 'is'} not a Revue issue")
        elif not total:
            yield Skipped(source, "no messages in this mailbox")


class EmlSource:
    """One message saved as a `.eml` file."""

    kind = "eml"

    def __init__(self, path: Path, senders: Iterable[str] = ()):
        self.path = path
        self.senders = _addresses(senders)

    def issues(self) -> Iterator[Issue | Skipped]:
        source = str(self.path)
        try:
            data = read_regular(self.path)
        except OSError as error:
            yield Skipped(source, f"cannot read: {error.strerror or error}")
            return
        if not data.strip():
            yield Skipped(source, "empty file")
            return
        result = read_message(data, source, self.senders)
        yield Skipped.on_purpose(source, result.reason) if isinstance(result, NotAnIssue) else result


def _read_isolated(data: bytes, source: str, senders: frozenset[str]) -> Issue | Skipped | NotAnIssue:
    """One message of a mailbox: whatever goes wrong in it costs only that message."""
    try:
        return read_message(data, source, senders)
    except RecursionError:
        return Skipped(source, "could not read: nested too deeply")
    except Exception as error:
        return Skipped(source, f"could not read: {type(error).__name__}: {error}")


def read_message(data: bytes, source: str,
                 senders: frozenset[str] = frozenset()) -> Issue | Skipped | NotAnIssue:
    """The issue in one raw message, or why there is none."""
    from email import policy
    from email.parser import BytesParser

    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as error:  # the parser is lenient; anything it still refuses is not a message
        return Skipped(source, f"not an e-mail message ({type(error).__name__})")
    if not _header(message, "From") and not _header(message, "Subject") and not message.is_multipart():
        return Skipped(source, "not an e-mail message (no From or Subject header)")
    first_reason = None
    for candidate in _message_and_attached(message):
        body = _body(candidate)
        if body is None:
            continue
        content, is_html, notes = body
        reason = _not_an_issue(candidate, content, is_html, senders)
        if reason is None:
            if not _sent_by_newsletter(candidate, senders):
                content = _without_forward_note(content, is_html, notes)
            try:
                issue = _issue(candidate, content, is_html, source, notes)
            except SourceError as error:
                return Skipped(source, str(error))
            recipients = sorted(set(_recipients(message)) | set(_recipients(candidate)))
            return _without_recipient(issue, tuple(recipients))
        first_reason = first_reason or reason
    return NotAnIssue(first_reason or "not a Revue issue: the message has no text")


# --- which messages -------------------------------------------------------------------------


def _sender(message: EmailMessage) -> str:
    return parseaddr(_header(message, "From"))[1].lower()


def _sent_by_newsletter(message: EmailMessage, senders: frozenset[str]) -> bool:
    sender = _sender(message)
    domain = sender.rpartition("@")[2]
    return sender in senders or domain == REVUE_SENDER_DOMAIN or domain.endswith("." + REVUE_SENDER_DOMAIN)


def _not_an_issue(message: EmailMessage, content: str, is_html: bool, senders: frozenset[str]) -> str | None:
    sender = _sender(message)
    if sender and sender in senders:
        return None
    from_revue = _sent_by_newsletter(message, frozenset())
    marked = _REVUE_MARKS.search(content) is not None
    looks_like_issue = (_ISSUE_MARKUP.search(content) is not None
                        or _view_online_url(content, is_html) is not None)
    # Revue's own notices (subscription confirmations) have neither an issue nor the footer.
    if (from_revue or marked) and (looks_like_issue or (from_revue and marked)):
        return None
    if from_revue:
        return "a Revue e-mail that is not an issue (no link to an issue, no issue content)"
    return f"not a Revue issue (from {sender or 'an unknown sender'}; --from accepts another sender)"


def _message_and_attached(message: EmailMessage) -> Iterator[EmailMessage]:
    """The message, then messages forwarded as attachments (message/rfc822)."""
    yield message
    for part in message.walk():
        if part is not message and part.get_content_type() == "message/rfc822":
            try:
                inner = part.get_content()
            except Exception:
                continue
            if isinstance(inner, EmailMessage):
                yield inner


# --- decoding -------------------------------------------------------------------------------


def _body(message: EmailMessage) -> tuple[str, bool, list[str]] | None:
    """(text, is HTML, notes) of the HTML part, or of the text part when there is no HTML."""
    try:
        part = message.get_body(preferencelist=("html", "plain"))
    except Exception:
        part = None
    if part is None:
        return None
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes) or not payload.strip():
        return None
    notes: list[str] = []
    text = decode_part(payload, part.get_content_charset(), notes)
    return text.lstrip("\ufeff"), part.get_content_subtype() == "html", notes


def decode_part(payload: bytes, declared: str | None, notes: list[str]) -> str:
    """Text of a part's bytes, when its declared charset may be wrong.

    The declared charset is tried first, then UTF-8. Bytes that are valid UTF-8 under a
    one-byte-per-character label (latin-1, windows-1252, koi8-r, ...) are UTF-8: the label
    is wrong (text in those charsets is almost never valid UTF-8 by chance). Anything else
    that still reads as mojibake is left to the cleaner's repair.
    """
    codec = _codec(declared)
    if declared and codec is None:
        notes.append(f"unknown charset {declared!r} declared; read as UTF-8")
    if payload.isascii():
        return payload.decode(codec or "ascii", errors="replace")
    if codec is not None and codec != "utf-8":
        if _single_byte(codec) and _is_utf8(payload):
            notes.append(f"declared charset {declared} is wrong: the text is UTF-8")
            return payload.decode("utf-8")
        try:
            return payload.decode(codec)
        except UnicodeDecodeError:
            pass
    if _is_utf8(payload):
        if codec not in (None, "utf-8"):
            notes.append(f"declared charset {declared} is wrong: the text is UTF-8")
        return payload.decode("utf-8")
    fallback = codec if codec not in (None, "utf-8") else "cp1252"
    notes.append(f"text is not valid {declared or 'UTF-8'}; read as {fallback}")
    return payload.decode(fallback, errors="replace")


def _codec(declared: str | None) -> str | None:
    if not declared:
        return None
    try:
        info = codecs.lookup(declared.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None  # rot-13, base64, zlib: codecs that do not turn bytes into text
    name = info.name
    return "utf-8" if name in ("utf-8", "utf-8-sig") else name


def _single_byte(codec: str) -> bool:
    return codec == "ascii" or codec.startswith(("iso8859", "cp12", "cp8", "koi8", "mac-", "latin"))


def _is_utf8(payload: bytes) -> bool:
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- forwarded copies -----------------------------------------------------------------------

_FORWARD_MARKER = re.compile(
    r"-{2,}\s*(?:Forwarded message|Original Message)\s*-{2,}|Begin forwarded message:", re.IGNORECASE
)
_FORWARD_HEADER_LINE = re.compile(r"^\s*(?:From|Date|Sent|Subject|To|Cc|Reply-To)\s*:", re.IGNORECASE)
_NOTE_BLOCKS = ("div", "p", "blockquote", "td", "span")


def _without_forward_note(content: str, is_html: bool, notes: list[str]) -> str:
    """A copy someone forwarded, without what they wrote above it and the forwarded headers."""
    if not _FORWARD_MARKER.search(content):
        return content
    if not is_html:
        lines = content.splitlines(keepends=True)
        # The marker may be split across lines (`----- Forwarded\nmessage -----`): then no line holds it.
        found = next((i for i, line in enumerate(lines) if _FORWARD_MARKER.search(line)), None)
        if found is None:
            return content
        start = found + 1
        while start < len(lines) and (_FORWARD_HEADER_LINE.match(lines[start]) or not lines[start].strip()):
            start += 1
        notes.append("forwarded copy: the forwarding note was left out")
        return "".join(lines[start:])
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(content)
    except (lxml.etree.ParserError, ValueError):
        return content
    block = _forward_note_block(root)
    if block is None or len(block.text_content()) > 2000:
        return content
    node = block
    while node is not None and node.tag != "body":
        for sibling in list(node.itersiblings(preceding=True)):
            sibling.getparent().remove(sibling)
        parent = node.getparent()
        if parent is not None:
            parent.text = None
        node = parent
    block.drop_tree()
    notes.append("forwarded copy: the forwarding note was left out")
    return lxml.html.tostring(root, encoding="unicode")


def _forward_note_block(root):
    """The block that holds the "Forwarded message" line (and the forwarded headers under it)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if _FORWARD_MARKER.search(element.text or ""):
            start = element
        elif _FORWARD_MARKER.search(element.tail or ""):
            start = element.getparent()
        else:
            continue
        while start is not None and start.tag not in _NOTE_BLOCKS:
            start = start.getparent()
        return start
    return None


# --- the issue ------------------------------------------------------------------------------


def _issue(message: EmailMessage, content: str, is_html: bool, source: str, notes: list[str]) -> Issue:
    subject = one_line(_header(message, "Subject"))
    title = _FORWARD_PREFIX.sub("", subject).strip()
    forwarded = title != subject
    if is_html:
        try:
            issue = parse_page(content, source=source)
        except SourceError:
            issue = Issue(source=source, html=_html_body(content), template="email")
    else:
        issue = Issue(source=source, html=text_to_html(content), template="email")
    view_online = _view_online_url(content, is_html)
    parsed = parse_issue_url(view_online)
    url = view_online if parsed else issue.url
    issue_id = parsed.id if parsed else issue.id
    sent_at, date_note = _date(message)
    kept = [note for note in issue.notes if not (sent_at and note == "no date in the source")]
    notes = kept + notes + ([date_note] if date_note else [])
    if forwarded:
        notes.append("forwarded copy: the date is the one it was forwarded on")
    if view_online is None and issue.url is None:
        notes.append("no View online link: no id and no aliases")
    return replace(
        issue,
        title=title or issue.title,
        sent_at=sent_at or issue.sent_at,
        url=url,
        id=issue_id,
        notes=tuple(notes),
        duplicate_keys=_duplicate_keys(message, title, sent_at),
    )


def _view_online_url(content: str, is_html: bool) -> str | None:
    """The issue's address from the "View online" link (query and fragment dropped).

    Revue tags that link `utm_content=view_in_browser`; otherwise its text says so. A text
    part writes the address out after the words, or at least somewhere.
    """
    if is_html:
        for attributes, inner in _ANCHOR.findall(content):
            href_match = _HREF.search(attributes)
            if href_match is None:
                continue
            href = html.unescape(next(group for group in href_match.groups() if group is not None)).strip()
            if parse_issue_url(href) is None:
                continue
            if "utm_content=view_in_browser" in href or _VIEW_ONLINE_TEXT.search(_TAG.sub(" ", inner)):
                return _address(href)
        return None
    for match in _VIEW_ONLINE_TEXT.finditer(content):
        url = _URL_IN_TEXT.search(content, match.end(), match.end() + 300)
        if url and parse_issue_url(url.group(0)):
            return _address(url.group(0))
    return next((_address(m.group(0)) for m in _URL_IN_TEXT.finditer(content) if parse_issue_url(m.group(0))),
                None)


def _address(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0]


def _date(message: EmailMessage) -> tuple[datetime | None, str | None]:
    raw = _header(message, "Date")
    if not raw:
        return None, "no Date header"
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None, f"date not understood: {raw[:40]!r}"
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc), "the Date header has no time zone; taken as UTC"
    return when, None


def _duplicate_keys(message: EmailMessage, title: str, sent_at: datetime | None) -> tuple[str, ...]:
    keys = []
    message_id = _header(message, "Message-ID").strip().strip("<>").lower()
    if message_id:
        keys.append(f"message-id:{message_id}")
    if title and sent_at:
        moment = sent_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        keys.append(f"subject-date:{title.casefold()}|{moment}")
    return tuple(keys)


def text_to_html(text: str) -> str:
    """A text part as paragraphs; addresses in it become links."""
    paragraphs = re.split(r"\n[ \t]*\n+", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    out = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph.strip(), quote=False)
        linked = _URL_IN_TEXT.sub(lambda m: f'<a href="{html.escape(m.group(0))}">{m.group(0)}</a>', escaped)
        if linked:
            out.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return "\n".join(out)


def _html_body(content: str) -> str:
    """The inside of <body> of a message that has none of Revue's markup (a sender named by --from)."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(content)
    except (lxml.etree.ParserError, ValueError):
        raise SourceError("the HTML part is empty or not HTML") from None
    body = root.find("body")
    region = body if body is not None else root
    lxml.etree.strip_elements(region, "script", "style", "head", "title", "meta", "link", with_tail=False)
    lxml.etree.strip_elements(region, lxml.etree.Comment, with_tail=False)
    return (region.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in region)


# --- what belongs to the subscriber --------------------------------------------------------


def _recipients(message: EmailMessage) -> tuple[str, ...]:
    values = [_header(message, name) for name in _RECIPIENT_HEADERS]
    found = {address.lower() for _, address in getaddresses([v for v in values if v]) if "@" in address}
    return tuple(sorted(found))


def _without_recipient(issue: Issue, recipients: tuple[str, ...]) -> Issue:
    """Remove the subscriber's own address: links that carry it, and the lines that show it."""
    lowered = issue.html.lower()
    present = [address for address in recipients
               if address in lowered or address.replace("@", "%40") in lowered
               or address in unquote(lowered)]
    if not present:
        return issue
    import lxml.etree
    import lxml.html

    container = lxml.html.fragment_fromstring(issue.html, create_parent="div")
    removed = 0

    def mentions(value: str | None) -> bool:
        text = unquote(value or "").lower()
        return any(address in text for address in present)

    for anchor in list(container.iter("a")):
        if mentions(anchor.get("href")):
            anchor.drop_tree()
            removed += 1
    lines = []
    for element in container.iter():
        if isinstance(element.tag, str) and (
            mentions(element.text) or any(mentions(child.tail) for child in element)
        ):
            line = _short_block(element)
            if line not in lines:
                lines.append(line)
    for line in lines:
        removed += 1
        if line is container:
            _blank_addresses(line, present)
        elif not any(ancestor in lines for ancestor in line.iterancestors()):
            line.drop_tree()
    html_text = (container.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in container)
    note = f"removed {removed} place{'s' if removed != 1 else ''} showing the subscriber's address"
    return replace(issue, html=html_text, notes=(*issue.notes, note))


def _short_block(element):
    """The nearest block around `element` whose text is a line, not the whole issue."""
    node = element
    while node is not None:
        if node.tag in ("p", "div", "li", "td", "span", "tr") and len(node.text_content()) <= 300:
            return node
        if node.getparent() is None:
            return node
        node = node.getparent()
    return element


def _blank_addresses(element, addresses: list[str]) -> None:
    pattern = re.compile("|".join(re.escape(a) for a in addresses), re.IGNORECASE)
    for node in element.iter():
        if isinstance(node.tag, str):
            node.text = pattern.sub("", node.text) if node.text else node.text
            node.tail = pattern.sub("", node.tail) if node.tail else node.tail


# --- headers --------------------------------------------------------------------------------


def _header(message: EmailMessage, name: str) -> str:
    """A header's decoded text; "" when absent or too broken to read."""
    try:
        value = message.get(name)
    except Exception:
        return ""
    return str(value) if value is not None else ""


def _addresses(values: Iterable[str]) -> frozenset[str]:
    found = set()
    for value in values:
        address = parseaddr(value)[1] or value
        if address.strip():
            found.add(address.strip().lower())
    return frozenset(found)
