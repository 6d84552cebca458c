"""Repairing markdown migrated earlier: each damage on its own, combined, and what must not change."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revue2md.clean.tracking import TrackingFilter
from revue2md.repair.markdown import RepairOptions, code_spans, mask_code, repair_markdown, split_front_matter

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TRACKING = "utm_campaign=Weekly%20News&utm_medium=email&utm_source=Revue%20newsletter"


def damage(text: str, charset: str) -> str:
    """What a program that read UTF-8 bytes as `charset` made of the text."""
    import ftfy.bad_codecs  # noqa: F401 (registers sloppy-windows-1252, as browsers decode it)

    return text.encode("utf-8").decode(charset)


def repaired(text: str, **options) -> str:
    return repair_markdown(text, RepairOptions(**options)).text


CLEAN_PAGE = """---
title: "Café, naïve “quotes” — it’s fine"
date: 2021-03-07
---

Hey everyone, welcome to the 12th (🎉) edition!

It’s “quoted”, naïve, façade — and 5 € later, ½ of it.
Emoji only:

🎉🔌✨ 👩🏾‍💻

**Bold** and _emphasis_ stay.
"""


# --- the real case ----------------------------------------------------------------------------

@pytest.mark.corpus
def test_the_damaged_corpus_page_comes_out_as_the_expected_fixture(corpus):
    damaged = (corpus / "repair" / "dynamically-typed-050-damaged.md").read_text(encoding="utf-8")
    expected = (FIXTURES / "repair" / "dynamically-typed-050-expected.md").read_text(encoding="utf-8")

    result = repair_markdown(damaged)

    assert result.text == expected
    assert result.report.mojibake is not None and "macroman" in result.report.mojibake.how
    assert result.report.tracking_removed == 126  # 42 links, three utm_ parameters each
    assert result.report.title_decoded


@pytest.mark.corpus
def test_the_undamaged_original_only_loses_tracking_and_entities(corpus):
    original = (corpus / "repair" / "dynamically-typed-050-original.md").read_text(encoding="utf-8")
    expected = (FIXTURES / "repair" / "dynamically-typed-050-expected.md").read_text(encoding="utf-8")

    result = repair_markdown(original)

    assert result.text == expected
    assert result.report.mojibake is None


def test_the_expected_fixture_is_clean_already():
    expected = (FIXTURES / "repair" / "dynamically-typed-050-expected.md").read_text(encoding="utf-8")

    result = repair_markdown(expected)

    assert not result.changed
    assert result.report.tracking_removed == 0 and not result.report.title_decoded


# --- mojibake -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("charset", "named"), [
    ("mac_roman", "macroman"),
    ("sloppy-windows-1252", "windows-1252"),
    ("latin-1", "latin-1"),
])
def test_a_page_read_with_the_wrong_charset_is_repaired_whole(charset, named):
    result = repair_markdown(damage(CLEAN_PAGE, charset))

    assert result.text == CLEAN_PAGE
    assert result.report.mojibake is not None and named in result.report.mojibake.how
    assert not result.report.title_decoded and result.report.tracking_removed == 0


def test_double_mojibake_is_undone():
    twice = damage(damage(CLEAN_PAGE, "sloppy-windows-1252"), "sloppy-windows-1252")

    assert repaired(twice) == CLEAN_PAGE


def test_a_page_mixing_clean_and_damaged_lines_repairs_only_the_damaged_ones():
    clean_line = "It’s “quoted” — fine. Café.\n"
    damaged_line = damage("Here’s a café — naïve “x”.\n", "sloppy-windows-1252")

    text = clean_line + damaged_line + clean_line

    assert repaired(text) == clean_line + "Here’s a café — naïve “x”.\n" + clean_line


def test_lines_made_only_of_damaged_emoji_are_repaired():
    page = "plain\n" + damage("🎉🔌\n", "sloppy-windows-1252") + "Straße “ok”\n"
    whole = damage("# Title\n\n🎉🔌✨\n\n👍\n", "mac_roman")

    assert repaired(page) == "plain\n🎉🔌\nStraße “ok”\n"
    assert repaired(whole) == "# Title\n\n🎉🔌✨\n\n👍\n"


LEGITIMATE = """---
title: "NÃO é „so“ – »Anführungszeichen« ∑ x ≤ π"
---

NÃO SEI. Ela disse NÃO!
„Anführungszeichen“ und »so« und ‚halbe‘.
∑ x ≤ π, √π ≈ 1.77, ∞ ± ∂, x ≥ y ¬ z, Δ ∈ ℝ.
中文字符，日本語のテキスト，한국어 문장.
🎉🔌✨ 👩🏾‍💻 ⚡️ 🇳🇱
Ça coûte 5 €, «Über» façade naïve, Straße, Ærø, Øresund.
"""


@pytest.mark.parametrize("mode", ["auto", "always"])
def test_legitimate_text_is_left_alone(mode):
    result = repair_markdown(LEGITIMATE, RepairOptions(mojibake=mode))

    assert result.text == LEGITIMATE
    assert result.report.mojibake is None


def test_mojibake_repair_can_be_turned_off():
    damaged = damage(CLEAN_PAGE, "mac_roman")

    assert repaired(damaged, mojibake="never") == damaged


def test_line_endings_stay_as_they_are_through_a_repair():
    page = "---\r\ntitle: \"A &amp; B\"\r\n---\r\n\r\nIt’s “here” https://e.com/?utm_source=x\r\n"

    result = repaired(damage(page, "mac_roman"))

    assert result == "---\r\ntitle: \"A & B\"\r\n---\r\n\r\nIt’s “here” https://e.com/\r\n"


def test_a_byte_order_mark_stays():
    assert repaired("\ufeff---\ntitle: 'A &amp; B'\n---\nx\n") == "\ufeff---\ntitle: \"A & B\"\n---\nx\n"


# --- tracking parameters ---------------------------------------------------------------------

@pytest.mark.parametrize(("before", "after", "removed"), [
    # inline links and images, with a title, a fragment and other parameters kept in order
    (f"[a](https://e.com/p?b=2&{TRACKING}&a=%20x#frag \"Title\")",
     "[a](https://e.com/p?b=2&a=%20x#frag \"Title\")", 3),
    (f"![alt](/img.png?{TRACKING})", "![alt](/img.png)", 3),
    ("[a](<https://e.com/a b?utm_source=x&b=2>)", "[a](<https://e.com/a b?b=2>)", 1),
    ("[a](https://e.com/wiki/A_(b)?utm_source=x)", "[a](https://e.com/wiki/A_(b))", 1),
    # autolinks
    ("see <https://e.com/?utm_source=x&q=%20z> now", "see <https://e.com/?q=%20z> now", 1),
    # reference definitions, also with the URL on the next line
    ("[x]: https://e.com/?utm_source=x \"T\"", "[x]: https://e.com/ \"T\"", 1),
    ("[y]:\n  <https://e.com/y?b=1&fbclid=abc>", "[y]:\n  <https://e.com/y?b=1>", 1),
    # bare URLs: punctuation and emphasis after them are not part of them
    ("Go to https://e.com/?utm_source=x.", "Go to https://e.com/.", 1),
    ("**https://e.com/b?c=1&utm_source=x**", "**https://e.com/b?c=1**", 1),
    ("(https://e.com/c?utm_source=x)", "(https://e.com/c)", 1),
    ("_www.e.com/?utm_source=x_", "_www.e.com/_", 1),
    ("[https://e.com/?utm_source=x](https://e.com/?utm_source=x)", "[https://e.com/](https://e.com/)", 2),
    # raw HTML: &amp; separates parameters too
    ('<a href="https://e.com/?a=1&amp;utm_source=x">x</a>', '<a href="https://e.com/?a=1">x</a>', 1),
    ("<img src='https://e.com/i?utm_source=x&amp;b=2'>", "<img src='https://e.com/i?b=2'>", 1),
    ('<a href="https://e.com/?a=1&amp;b=2&utm_source=x&amp;c=3">',
     '<a href="https://e.com/?a=1&amp;b=2&amp;c=3">', 1),
    ("<a href=https://e.com/?utm_source=x>u</a>", "<a href=https://e.com/>u</a>", 1),
    ('<div class="x">\n<a href="https://e.com/?mc_cid=1">x</a>\n</div>',
     '<div class="x">\n<a href="https://e.com/">x</a>\n</div>', 1),
    # Hugo shortcodes
    ('{{< figure src="https://e.com/i.png?utm_source=x" >}}', '{{< figure src="https://e.com/i.png" >}}', 1),
])
def test_tracking_parameters_are_removed_in_every_kind_of_url(before, after, removed):
    result = repair_markdown(before + "\n")

    assert result.text == after + "\n"
    assert result.report.tracking_removed == removed


def test_urls_without_tracking_parameters_are_not_touched():
    text = ("[a](https://e.com/?q=a+b&page=2) https://e.com/x?id=1. <https://e.com/?s=12>\n"
            '<a href="https://e.com/?a=1&amp;b=2">x</a> What? Nothing! ?utm_source at random.\n')

    assert not repair_markdown(text).changed


def test_user_keys_are_removed_too():
    options = RepairOptions(tracking=TrackingFilter(["ref", "src_*"]))

    result = repair_markdown("[a](https://e.com/?ref=nl&src_a=1&keep=1)\n", options)

    assert result.text == "[a](https://e.com/?keep=1)\n"
    assert result.report.tracking_removed == 2


CODE_PAGE = """Text https://e.com/?utm_source=x and `https://e.com/?utm_source=x`,
``a ` https://e.com/?utm_source=x`` and \\`not code https://e.com/?utm_source=x\\`.

```
https://e.com/?utm_source=x
```

~~~ markdown
[a](https://e.com/?utm_source=x)
~~~

    https://e.com/?utm_source=x indented code

> ```
> https://e.com/?utm_source=x
> ```

<pre>
https://e.com/?utm_source=x
</pre>

Inline <code>https://e.com/?utm_source=x</code> stays.

{{< highlight go >}}
url := "https://e.com/?utm_source=x"
{{< /highlight >}}
"""


def test_urls_in_code_blocks_and_code_spans_are_left_alone():
    result = repair_markdown(CODE_PAGE)

    expected = CODE_PAGE.replace(
        "Text https://e.com/?utm_source=x and", "Text https://e.com/ and", 1
    ).replace("not code https://e.com/?utm_source=x\\`", "not code https://e.com/\\`", 1)
    assert result.text == expected
    assert result.report.tracking_removed == 2


def test_an_unclosed_fence_keeps_everything_after_it_as_code():
    text = "https://e.com/?utm_source=x\n\n```\nhttps://e.com/?utm_source=y\n"

    assert repaired(text) == "https://e.com/\n\n```\nhttps://e.com/?utm_source=y\n"


@pytest.mark.parametrize(("text", "spans"), [
    ("a `b` c", [(2, 5)]),
    ("``a ` b``", [(0, 9)]),
    ("a ` b", []),
    ("\\`a` b`", [(3, 7)]),
    ("`a\\`b", [(0, 4)]),
    ("``a`` `b` ```", [(0, 5), (6, 9)]),
])
def test_code_spans_follow_commonmark_backtick_runs(text, spans):
    assert code_spans(text) == spans


def test_masking_keeps_length_and_lines():
    masked = mask_code(CODE_PAGE)

    assert len(masked) == len(CODE_PAGE)
    assert masked.count("\n") == CODE_PAGE.count("\n")
    assert masked.count("utm_source") == 2


# --- front matter ---------------------------------------------------------------------------------

YAML_PAGE = """---
# a comment
title: 'It&#39;s &amp;amp; "done"'   # after the title
date: 2020-10-11T10:00:00+02:00
tags: [a,   b]
description: >
  folded text with https://e.com/?utm_source=x
  second line
images:
  - https://e.com/i.png?utm_source=x
  - "https://e.com/j.png"
params:
  title: "nested &amp; kept"
  link: https://e.com/?a=1&utm_source=x
aliases:
  - /issues/50-a-b-1
draft: false
---

Body *text*  with  spacing.
"""

YAML_EXPECTED = """---
# a comment
title: "It's & \\"done\\""   # after the title
date: 2020-10-11T10:00:00+02:00
tags: [a,   b]
description: "folded text with https://e.com/ second line\\n"
images:
  - "https://e.com/i.png"
  - "https://e.com/j.png"
params:
  title: "nested &amp; kept"
  link: "https://e.com/?a=1"
aliases:
  - /issues/50-a-b-1
draft: false
---

Body *text*  with  spacing.
"""


def test_yaml_front_matter_rewrites_only_the_values_that_change():
    result = repair_markdown(YAML_PAGE)

    assert result.text == YAML_EXPECTED
    assert result.report.title_decoded
    assert result.report.tracking_removed == 3


@pytest.mark.parametrize(("title", "written"), [
    ("Plain &amp; simple", '"Plain & simple"'),
    ("'Single &#x27;quoted&#x27;'", '"Single \'quoted\'"'),
    ('"Double &quot;x&quot; #1: y"', '"Double \\"x\\" #1: y"'),
    ("Long &amp;\n  continued title", '"Long & continued title"'),
    ("|\n  Block &amp; title", '"Block & title"'),
    ('"Twice &amp;#x27; encoded"', '"Twice \' encoded"'),
    ('"y &amp; n"', '"y & n"'),
    ('"Spaces &amp;  \\t inside "', '"Spaces &  \\t inside "'),
])
def test_titles_with_entities_are_decoded_and_double_quoted(title, written):
    text = f"---\ntitle: {title}\nslug: x\n---\n"

    result = repair_markdown(text)

    assert result.text == f"---\ntitle: {written}\nslug: x\n---\n"
    assert result.report.title_decoded


@pytest.mark.parametrize("title", [
    "Plain title", "'single: quoted'", '"It’s \\u00e9"', "Q&A session", "  spaced  ",
])
def test_titles_without_entities_are_not_rewritten(title):
    text = f"---\ntitle: {title}\n---\n"

    assert not repair_markdown(text).changed


@pytest.mark.parametrize("text", [
    "---\nTitle: A &amp; B\n---\n",
    "+++\nTITLE = 'A &amp; B'\n+++\n",
    '{"Title": "A &amp; B"}\n',
])
def test_the_title_key_is_found_whatever_its_case_as_hugo_reads_it(text):
    result = repair_markdown(text)

    assert "A & B" in result.text
    assert result.report.title_decoded


def test_unreadable_toml_is_left_as_it_was_with_a_note():
    text = '+++\ntitle = "A &amp; B"\ntitle = "twice"\n+++\n'

    result = repair_markdown(text)

    assert not result.changed
    assert result.report.notes[0].startswith("front matter left as it was: it cannot be read as TOML (")


def test_a_title_behind_an_anchor_is_kept_as_written():
    text = '---\ntitle: &t "a &amp; b"\nother: *t\n---\n'

    assert not repair_markdown(text).changed


def test_unreadable_yaml_is_left_as_it_was_with_a_note_and_the_body_is_still_cleaned():
    text = '---\ntitle: "a &amp; b\nfoo: [\n---\nx https://e.com/?utm_source=x\n'

    result = repair_markdown(text)

    assert result.text == '---\ntitle: "a &amp; b\nfoo: [\n---\nx https://e.com/\n'
    assert result.report.notes == (
        "front matter left as it was: it cannot be read as YAML (found unexpected end of stream at line 3)",
    )


def test_front_matter_that_cannot_be_edited_exactly_is_left_as_it_was_with_a_note():
    # The anchored mapping is shared by two keys: rewriting its URL in place is not done, so the
    # edit would not match what the page means; nothing in the front matter is changed then.
    text = ('---\ntitle: "a &amp; b"\nbase: &b {link: "https://e.com/?utm_source=x"}\nother: *b\n---\n'
            "https://e.com/?utm_source=y\n")

    result = repair_markdown(text)

    assert result.text == text.replace("?utm_source=y", "")
    assert result.report.notes == (
        "front matter left as it was: its values could not be rewritten without touching others",
    )
    assert not result.report.title_decoded


TOML_PAGE = """+++
# "title" = in a comment
title = "It&#39;s \\"quoted\\" &amp; fine" # trailing
date = 2020-10-11
url = 'https://e.com/?utm_source=x'
tags = ["a", "https://e.com/t?b=2&utm_medium=email"]
weight =   3

[params]
title = "table &amp; title"
+++

Body https://e.com/?utm_source=x
"""

TOML_EXPECTED = """+++
# "title" = in a comment
title = "It's \\"quoted\\" & fine" # trailing
date = 2020-10-11
url = "https://e.com/"
tags = ["a", "https://e.com/t?b=2"]
weight =   3

[params]
title = "table &amp; title"
+++

Body https://e.com/
"""


def test_toml_front_matter_gets_toml_strings_and_keeps_the_rest():
    result = repair_markdown(TOML_PAGE)

    assert result.text == TOML_EXPECTED
    assert result.report.title_decoded
    assert result.report.tracking_removed == 3


def test_a_toml_title_with_a_newline_is_written_as_a_valid_basic_string():
    import tomllib

    text = "+++\ntitle = '''Two &amp;\nlines'''\n+++\n"

    result = repair_markdown(text)

    front = split_front_matter(result.text)
    assert tomllib.loads(result.text[front.start:front.end]) == {"title": "Two & lines"}


JSON_PAGE = """{
  "title": "It&#39;s &amp; fine",
  "date": "2020-10-11",
  "params": {"title": "x &amp; y", "u": "https://e.com/?utm_source=x"},
  "list": ["title", "z"]
}

Body
"""


def test_json_front_matter_gets_json_strings_and_keeps_the_rest():
    result = repair_markdown(JSON_PAGE)

    assert result.text == JSON_PAGE.replace('"It&#39;s &amp; fine"', '"It\'s & fine"').replace(
        '"https://e.com/?utm_source=x"', '"https://e.com/"')
    assert result.report.title_decoded and result.report.tracking_removed == 1


def test_a_page_without_front_matter_is_cleaned_as_a_body():
    text = "# Just markdown &amp; text\n\nText https://e.com/?utm_source=x\n\n---\n\nafter a rule\n"

    result = repair_markdown(text)

    assert result.text == "# Just markdown &amp; text\n\nText https://e.com/\n\n---\n\nafter a rule\n"
    assert not result.report.title_decoded


def test_every_damage_at_once():
    page = ('---\ntitle: "Week 12: it&#x27;s here"\ndate: 2021-03-07\n---\n\n'
            "It’s [here](https://e.com/a?utm_source=x&id=7) — and `https://e.com/?utm_source=code`.\n")

    result = repair_markdown(damage(page, "sloppy-windows-1252"))

    assert result.text == ('---\ntitle: "Week 12: it\'s here"\ndate: 2021-03-07\n---\n\n'
                           "It’s [here](https://e.com/a?id=7) — and `https://e.com/?utm_source=code`.\n")
    assert result.report.mojibake is not None
    assert result.report.tracking_removed == 1
    assert result.report.title_decoded


# --- idempotence ----------------------------------------------------------------------------------

EVERY_INPUT = [
    CLEAN_PAGE, LEGITIMATE, CODE_PAGE, YAML_PAGE, TOML_PAGE, JSON_PAGE,
    damage(CLEAN_PAGE, "mac_roman"), damage(CLEAN_PAGE, "sloppy-windows-1252"), damage(CLEAN_PAGE, "latin-1"),
    damage(damage(CLEAN_PAGE, "sloppy-windows-1252"), "sloppy-windows-1252"),
    "\\`x https://e.com/?utm_source=x\\`\n", "a ` lone https://e.com/?utm_source=x\n\nb `x`\n",
]


@pytest.mark.parametrize("text", EVERY_INPUT)
def test_cleaning_twice_changes_nothing_the_second_time(text):
    once = repair_markdown(text).text
    twice = repair_markdown(once)

    assert twice.text == once
    assert not twice.changed


@pytest.mark.corpus
def test_the_corpus_page_is_stable_after_one_cleaning(corpus):
    once = repaired((corpus / "repair" / "dynamically-typed-050-damaged.md").read_text(encoding="utf-8"))

    assert not repair_markdown(once).changed


_PIECES = st.sampled_from([
    "text ", "It’s “x” ", "NÃO ", "🎉", "\n", "\n\n", "\r\n", "`", "``", "\\", "*", "_", "(", ")", "[", "]",
    "<", ">", '"', "'", "#", "> ", "- ", "    ", "```\n", "https://e.com/p?utm_source=x", "&amp;",
    "?a=1&utm_medium=y", "[l](https://e.com/?b=2&fbclid=z)", "<https://e.com/?gclid=1>",
    '<a href="https://e.com/?x=1&amp;utm_source=s">', "www.e.com/?mc_cid=3.", "[r]: https://e.com/?utm_x=1",
    damage("café — ", "sloppy-windows-1252"), damage("🎉 ", "mac_roman"),
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.booleans())
def test_cleaning_is_idempotent_on_any_mix(body, with_front_matter):
    text = ("---\ntitle: 'A &amp; B'\n---\n" if with_front_matter else "") + body

    once = repair_markdown(text).text
    assert repair_markdown(once).text == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="?", blacklist_categories=("Cs",))))
def test_text_without_a_query_or_entities_or_mojibake_comes_back_unchanged(text):
    from revue2md.clean.mojibake import looks_damaged

    if looks_damaged(text) or "&" in text:
        return
    assert repaired(text) == text
