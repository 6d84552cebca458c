"""Issues recovered from a mailbox: hand-made .eml and .mbox fixtures, and the decoding rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from revue2md.commands.export import read_issues
from revue2md.commands.options import ExportOptions
from revue2md.models import Issue, Skipped
from revue2md.sources.interface import SourceContext
from revue2md.sources.mail import EmlSource, MboxSource, decode_part, read_message

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MAIL = FIXTURES / "mail"
GOLDEN = FIXTURES / "golden" / "mail"


def _export(cli, tmp_path: Path, *sources, extra=()):
    out = tmp_path / "out"
    result = cli("export", *sources, "--out", out, *extra)
    return result, out


def test_mailbox_fixtures_convert_to_the_golden_pages(cli, tmp_path):
    result, out = _export(cli, tmp_path, MAIL)
    assert result.exit_code == 0, result.output
    assert "wrote 6 pages" in result.output and "ignored 4" in result.output
    written = sorted(path.name for path in out.iterdir())
    assert written == sorted(path.name for path in GOLDEN.iterdir())
    for name in written:
        assert (out / name).read_text(encoding="utf-8") == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_the_non_revue_messages_are_ignored_and_the_duplicates_written_once(cli, tmp_path):
    result, out = _export(cli, tmp_path, MAIL / "issues.mbox")
    assert result.exit_code == 0
    assert "ignored" in result.output and "1 message that is not a Revue issue" in result.output
    assert "issues.mbox#2: same issue (311520) as" in result.output  # the forwarded copy
    assert "issues.mbox#4: same message as" in result.output  # delivered twice, no View online link
    assert sorted(path.name for path in out.iterdir()) == [
        "garden-notes-15-compost.md", "garden-notes-16-tools.md", "garden-notes-17-bees.md"]
    assert "Lunch" not in "".join(path.read_text() for path in out.iterdir())


def test_a_single_eml_that_is_not_revue_is_ignored_with_the_hint(cli, tmp_path):
    result, _out = _export(cli, tmp_path, MAIL / "99-not-revue.eml")
    assert result.exit_code == 0
    assert "not a Revue issue (from news@shop.example; --from accepts another sender)" in result.output
    assert "wrote 0 pages" in result.output


def test_from_accepts_another_sender(cli, tmp_path):
    extra = ("--from", "Shop <news@shop.example>")
    result, out = _export(cli, tmp_path, MAIL / "99-not-revue.eml", extra=extra)
    assert result.exit_code == 0, result.output
    page = (out / "20-off-seeds.md").read_text()
    assert 'title: "20% off seeds"' in page and "Seeds on sale." in page
    assert "unsubscribe" not in page.lower() and "reader" not in page


def test_a_mailbox_with_no_issue_at_all_says_so_and_fails(cli, tmp_path):
    mbox = tmp_path / "other.mbox"
    mbox.write_bytes(b"From a@b.example Mon Jan  1 00:00:00 2021\nFrom: a@b.example\nSubject: hi\n\nhello\n")
    result, _ = _export(cli, tmp_path, mbox)
    assert result.exit_code == 1
    assert "none of its 1 message is a Revue issue" in result.output and "--from ADDRESS" in result.output


def test_a_file_that_is_not_an_mbox_is_skipped(tmp_path):
    path = tmp_path / "x.mbox"
    path.write_text("Subject: not an mbox\n\nbody\n")
    assert list(MboxSource(path).issues()) == [
        Skipped(str(path), "not an mbox file (an mbox starts with a 'From ' line)")]


def test_subject_date_and_view_online_link_make_the_metadata():
    issue = _only_issue(MAIL / "01-quoted-printable.eml")
    assert issue.title == "Garden Notes #12 – Spring is here 🌱"
    assert issue.sent_at.isoformat() == "2021-04-02T07:30:12-05:00"
    assert issue.url == "https://www.getrevue.co/profile/gardennotes/issues/garden-notes-12-spring-is-here-311201"
    assert issue.id == 311201
    assert "message-id:issue-311201.reader@getrevue.co" in issue.duplicate_keys


def test_subscriber_specific_content_never_reaches_the_page(tmp_path, cli):
    result, out = _export(cli, tmp_path, MAIL / "01-quoted-printable.eml")
    page = (out / "garden-notes-12-spring-is-here.md").read_text()
    for personal in ("reader@example.net", "token", "7c1f0e9a2b", "subscriber_id", "unsubscribe", "wf/open",
                     "upn=", "Preheader"):
        assert personal not in page, personal
    previous_issue = "https://www.getrevue.co/profile/gardennotes/issues/garden-notes-11-frost-311100"
    assert f"[still online]({previous_issue})" in page
    assert "removed 1 place showing the subscriber's address" in result.output


def test_a_forward_as_attachment_is_read_from_the_attached_message(tmp_path):
    inner = (MAIL / "02-wrong-charset.eml").read_bytes()
    outer = (b"From: friend@example.com\nTo: me@example.net\nSubject: Fwd: look\n"
             b"Date: Sat, 10 Apr 2021 09:00:00 +0000\nMIME-Version: 1.0\n"
             b'Content-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Type: text/plain\n\nsee attached\n'
             b"--x\nContent-Type: message/rfc822\n\n" + inner + b"\n--x--\n")
    issue = read_message(outer, "fwd.eml")
    assert isinstance(issue, Issue)
    assert issue.title == "Garden Notes #13: Rain" and issue.id == 311305
    assert issue.sent_at.isoformat() == "2021-04-09T14:00:00+02:00"


def test_revue_notices_that_are_not_issues_are_ignored(tmp_path):
    path = tmp_path / "confirm.eml"
    path.write_bytes(b"From: Revue <noreply@getrevue.co>\nSubject: Confirm your subscription\n"
                     b"Date: Mon, 05 Apr 2021 09:00:00 +0000\nContent-Type: text/html\n\n"
                     b'<p>Please <a href="https://www.getrevue.co/profile/x/confirm?token=1">confirm</a>.</p>\n')
    [result] = list(EmlSource(path).issues())
    assert result.ignored and "a Revue e-mail that is not an issue" in result.reason


def test_a_date_without_offset_is_taken_as_utc_and_said():
    data = (b"From: n@getrevue.co\nSubject: T\nDate: Fri, 02 Apr 2021 07:30:12 -0000\n"
            b"Content-Type: text/plain; charset=utf-8\n\nPowered by Revue\nhttps://www.getrevue.co/profile/n/issues/t-5\n")
    issue = read_message(data, "x.eml")
    assert issue.sent_at.isoformat() == "2021-04-02T07:30:12+00:00"
    assert "the Date header has no time zone; taken as UTC" in issue.notes
    assert issue.id == 5


def test_duplicates_without_ids_are_dropped_across_eml_files(tmp_path):
    text = (b"From: n@getrevue.co\nSubject: Same\nDate: Fri, 02 Apr 2021 07:30:12 +0000\n"
            b"Message-ID: <%s@x>\nContent-Type: text/plain\n\nPowered by Revue\n\nHello.\n")
    (tmp_path / "a.eml").write_bytes(text % b"one")
    (tmp_path / "b.eml").write_bytes(text % b"two")  # re-sent: another Message-ID, same subject and date
    items = list(read_issues([tmp_path], ExportOptions()))
    assert [type(item) for item in items] == [Issue, Skipped] and items[1].ignored
    assert items[1].reason == f"same message as {tmp_path / 'a.eml'}: merged into its page"
    assert items[0].notes[-1] == f"merged with 1 other copy of this issue ({tmp_path / 'b.eml'})"


@pytest.mark.parametrize(("payload", "declared", "expected", "note"), [
    ("café “x”".encode(), "latin-1", "café “x”", "declared charset latin-1 is wrong: the text is UTF-8"),
    ("café".encode(), "us-ascii", "café", "declared charset us-ascii is wrong: the text is UTF-8"),
    ("café’".encode("cp1252"), "utf-8", "café’", "text is not valid utf-8; read as cp1252"),
    ("café".encode("latin-1"), "iso-8859-1", "café", None),
    ("Привет".encode("koi8-r"), "koi8-r", "Привет", None),
    ("日本".encode("iso-2022-jp"), "iso-2022-jp", "日本", None),
    ("日本".encode(), "x-unknown", "日本", "unknown charset 'x-unknown' declared; read as UTF-8"),
    ("naïve".encode(), None, "naïve", None),
])
def test_decode_part_trusts_the_bytes_over_a_wrong_label(payload, declared, expected, note):
    notes: list[str] = []
    assert decode_part(payload, declared, notes) == expected
    assert notes == ([note] if note else [])


def test_mojibake_inside_a_message_is_repaired_by_the_cleaner(tmp_path, cli):
    body = "<p class='revue-p'>It’s done.</p>".encode().decode("cp1252").encode()  # double-encoded
    path = tmp_path / "m.eml"
    path.write_bytes(b"From: n@getrevue.co\nSubject: Done\nDate: Fri, 02 Apr 2021 07:30:12 +0000\n"
                     b"Content-Type: text/html; charset=utf-8\n\n"
                     b'<a href="https://www.getrevue.co/profile/n/issues/done-9?utm_content=view_in_browser">'
                     b"View online</a><div class='revue-p'>" + body + b"</div>")
    result, out = _export(cli, tmp_path, path)
    assert result.exit_code == 0, result.output
    assert "It’s done." in (out / "done.md").read_text()
    assert "mojibake repaired" in result.output


def test_apple_mail_mailbox_folder_and_suffixless_files_are_recognised(tmp_path):
    apple = tmp_path / "Newsletters.mbox"
    apple.mkdir()
    shutil.copy(MAIL / "issues.mbox", apple / "mbox")
    bare = tmp_path / "message"
    shutil.copy(MAIL / "02-wrong-charset.eml", bare)
    options = ExportOptions(sources=SourceContext())
    titles = [item.title for item in read_issues([apple, bare], options) if isinstance(item, Issue)]
    assert titles == ["Garden Notes #15: Compost", "Garden Notes #16: Tools", "Garden Notes #17: Bees",
                      "Garden Notes #13: Rain"]


def _only_issue(path: Path) -> Issue:
    [issue] = list(EmlSource(path).issues())
    assert isinstance(issue, Issue), issue
    return issue


def test_a_forwarded_copy_alone_is_written_without_the_forwarding_note(cli, tmp_path):
    import mailbox

    box = mailbox.mbox(str(MAIL / "issues.mbox"))
    forwarded = box.get_bytes(list(box.keys())[2])
    box.close()
    (tmp_path / "fwd.eml").write_bytes(forwarded)
    result, out = _export(cli, tmp_path, tmp_path / "fwd.eml")
    assert result.exit_code == 0, result.output
    page = (out / "garden-notes-15-compost.md").read_text()
    golden = (GOLDEN / "garden-notes-15-compost.md").read_text()
    assert page.split("\n---\n", 1)[1] == golden.split("\n---\n", 1)[1]  # the same body
    assert "date: 2021-04-24T11:00:00+01:00" in page  # the day it was forwarded, as the note says
    assert "forwarded copy: the forwarding note was left out" in result.output
    assert "Thought you would like" not in page and "Forwarded message" not in page


def test_a_forwarded_text_copy_starts_after_the_forwarded_headers():
    data = (b"From: friend@example.com\nSubject: Fwd: Tools\nDate: Sat, 01 May 2021 10:00:00 +0000\n"
            b"Content-Type: text/plain; charset=utf-8\n\nHave a look.\n\n"
            b"---------- Forwarded message ---------\nFrom: Garden Notes <gardennotes@getrevue.co>\n"
            b"Date: Fri, 30 Apr 2021\nSubject: Tools\n\nThe three tools I would keep.\n\nPowered by Revue\n"
            b"View online: https://www.getrevue.co/profile/gardennotes/issues/tools-311650\n")
    issue = read_message(data, "fwd.eml")
    assert isinstance(issue, Issue) and issue.id == 311650 and issue.title == "Tools"
    assert "Have a look" not in issue.html and "Garden Notes &lt;" not in issue.html
    assert issue.html.startswith("<p>The three tools I would keep.</p>")
