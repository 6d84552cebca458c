"""Reading front matter back: every form Hugo and Eleventy write, and nothing a hostile page can abuse."""

from __future__ import annotations

from datetime import date

import pytest

from revue2md.front_matter import MAX_FRONT_MATTER, FrontMatterError, has_front_matter, load_yaml, split_page


@pytest.mark.parametrize(("text", "kind"), [
    ('---\ntitle: "A: b"\ndate: 2021-09-23\n---\nBody\n', "yaml"),
    ('---\r\ntitle: "A: b"\r\ndate: 2021-09-23\r\n---\r\nBody\n', "yaml"),
    ('+++\ntitle = "A: b"\ndate = 2021-09-23\n+++\nBody\n', "toml"),
    ('{\n  "title": "A: b",\n  "date": "2021-09-23"\n}\nBody\n', "json"),
    ('{"title": "A: b", "date": "2021-09-23", "params": {"x": {"y": 1}}}\nBody\n', "json"),
    ('---json\n{\n  "title": "A: b",\n  "date": "2021-09-23"\n}\n---\nBody\n', "json"),
    ('\ufeff---\ntitle: "A: b"\ndate: 2021-09-23\n---\nBody\n', "yaml"),
])
def test_every_form_reads_the_same(text: str, kind: str):
    parts = split_page(text)
    assert parts.kind == kind
    assert parts.metadata["title"] == "A: b"
    assert parts.metadata["date"] in (date(2021, 9, 23), "2021-09-23")
    assert parts.body.strip() == "Body"
    assert has_front_matter(text)


@pytest.mark.parametrize("text", ["Just text\n---\nmore\n", "{{< youtube x >}}\n", "<p>html</p>", ""])
def test_no_front_matter_is_all_body(text: str):
    parts = split_page(text)
    assert (parts.kind, parts.metadata, parts.body) == (None, {}, text)
    assert not has_front_matter(text)


@pytest.mark.parametrize(("text", "message"), [
    ('---\ntitle: "open\n---\n', "its YAML front matter cannot be read"),
    ("---\n- a\n- b\n---\n", "not a set of keys and values"),
    ("+++\ntitle = \n+++\n", "its TOML front matter cannot be read"),
    ('---json\n{"title": }\n---\n', "its JSON front matter cannot be read"),
    ('---json\n{"title": "x"}\n', "not closed"),
    ("---\ntitle: x\n", "not closed"),
    ("---\ntitle: !!python/object:os.system x\n---\n", "cannot be read"),
    ("---\na: &a [*a]\n---\n", "aliases expand"),
])
def test_unreadable_front_matter_is_one_clear_error(text: str, message: str):
    with pytest.raises(FrontMatterError, match=message):
        split_page(text)


def test_aliases_that_expand_beyond_the_cap_are_refused():
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous, name = chr(96 + index), chr(97 + index)
        levels.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    with pytest.raises(FrontMatterError, match="aliases expand"):
        load_yaml("\n".join(levels))


def test_a_few_aliases_are_fine():
    assert load_yaml("base: &b {x: 1}\none: *b\ntwo: *b\n") == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


def test_front_matter_larger_than_the_cap_is_refused():
    text = "---\ntitle: \"" + "x" * (MAX_FRONT_MATTER + 10) + "\"\n---\nbody"
    with pytest.raises(FrontMatterError, match="larger than"):
        split_page(text)


@pytest.mark.parametrize("text", [
    '---\ntitle: "T"\n---\n\nSome *words*.\n',
    '+++\ntitle = "T"\n+++\nSome *words*.\n',
    '{\n  "title": "T"\n}\nSome *words*.\n',
    '---json\n{"title": "T"}\n---\nSome *words*.\n',
])
def test_check_reads_the_body_under_any_front_matter(text: str):
    from revue2md.verify.fidelity import front_matter_and_body

    front, body = front_matter_and_body(text)
    assert front == {"title": "T"}
    assert body.strip() == "Some *words*."


def test_check_reads_a_page_with_broken_front_matter_whole():
    from revue2md.verify.fidelity import front_matter_and_body

    text = '---\ntitle: "open\n---\nWords.\n'
    assert front_matter_and_body(text) == (None, text)


def test_clean_edits_eleventy_json_front_matter_in_place():
    from revue2md.repair.markdown import repair_markdown

    page = '---json\n{\n  "title": "A &amp; B",\n  "link": "https://e.com/?utm_source=x&k=1"\n}\n---\nText\n'
    result = repair_markdown(page)
    assert result.text == '---json\n{\n  "title": "A & B",\n  "link": "https://e.com/?k=1"\n}\n---\nText\n'


def test_clean_leaves_an_alias_bomb_as_it_is_and_says_why():
    from revue2md.repair.markdown import repair_markdown

    levels = ['a: &a ["https://e.com/?utm_source=x","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous, name = chr(96 + index), chr(97 + index)
        levels.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    page = '---\ntitle: "A &amp; B"\n' + "\n".join(levels) + "\n---\nText\n"
    result = repair_markdown(page)
    assert result.text == page  # the title is not decoded: the front matter is not rewritten
    assert any("aliases expand" in note for note in result.report.notes)
