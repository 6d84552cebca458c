"""Properties of the pure functions, over generated input (hypothesis)."""

from __future__ import annotations

import string
from pathlib import PurePosixPath, PureWindowsPath

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revue2md.clean.mojibake import fix_mojibake, fix_mojibake_html
from revue2md.clean.tracking import TrackingFilter, strip_tracking
from revue2md.hugo.frontmatter import yaml_string
from revue2md.hugo.naming import FilenameTemplate, Namer, safe_component
from revue2md.models import Page

TRACKING = TrackingFilter()
KEY_CHARS = string.ascii_letters + string.digits + "-._~%"
VALUE_CHARS = KEY_CHARS + "+=/:@!$'()*,;"

keys = st.text(KEY_CHARS, min_size=1, max_size=12).filter(lambda k: not TRACKING.is_tracking(k))
values = st.text(VALUE_CHARS, max_size=20)
params = st.lists(st.tuples(keys, values).map(lambda kv: f"{kv[0]}={kv[1]}"), max_size=6)
tracking_params = st.lists(
    st.sampled_from(["utm_source=x", "utm_medium=email", "utm_campaign=A%20B", "fbclid=IwAR", "gclid=1",
                     "mc_cid=42", "mc_eid=7", "UTM_Content=c"]), min_size=1, max_size=4)
paths = st.text(string.ascii_lowercase + "/-_.%", max_size=20)
fragments = st.one_of(st.just(""), st.text(VALUE_CHARS + "?&#", max_size=12).map(lambda f: "#" + f))


@given(paths, params, fragments)
def test_a_url_without_tracking_is_never_changed(path, query, fragment):
    url = f"https://example.com/{path}" + (f"?{'&'.join(query)}" if query else "") + fragment
    assert strip_tracking(url) == url


@given(paths, params, tracking_params, st.randoms(use_true_random=False), fragments)
def test_tracking_goes_and_the_rest_keeps_its_order_and_bytes(path, query, tracked, random, fragment):
    mixed = query + tracked
    random.shuffle(mixed)
    url = f"https://example.com/{path}?{'&'.join(mixed)}{fragment}"
    kept = [part for part in mixed if part in query]
    expected = f"https://example.com/{path}" + (f"?{'&'.join(kept)}" if kept else "") + fragment
    assert strip_tracking(url) == expected
    assert strip_tracking(expected) == expected


CLEAN_SAMPLES = [
    "Portuguese: NÃO, ação, coração.", "Deutsch: „Anführungszeichen“ und »Guillemets«.",
    "Français : « guillemets », déjà vu, crème brûlée.", "Español: ¿Qué tal? ¡Olé!",
    "Polski: zażółć gęślą jaźń.", "Čeština: Příliš žluťoučký kůň.", "Türkçe: İstanbul, ığdır.",
    "Русский: съешь же ещё этих мягких французских булок.", "Ελληνικά: Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "日本語: いろはにほへと ちりぬるを。", "中文: 我能吞下玻璃而不伤身体。", "한국어: 다람쥐 헌 쳇바퀴에 타고파.",
    "עברית: דג סקרן שט בים", "العربية: نص حكيم له سر قاطع", "Math: √2 ≈ 1.414, ∑∫∂ ≤ ∞ ± π × ÷ °",
    "Emoji: 🎉🚀👋🏽 ❤️ ✔", "Typography: it’s “quoted” — dash… ellipsis • bullet ™ © ®",
]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CLEAN_SAMPLES), min_size=1, max_size=5), st.sampled_from(["\n", " ", "\n\n"]))
def test_mojibake_repair_leaves_real_languages_alone(lines, joiner):
    text = joiner.join(lines)
    assert fix_mojibake(text) == (text, None)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CLEAN_SAMPLES), min_size=1, max_size=5), st.sampled_from(["p", "li", "h2"]))
def test_mojibake_repair_of_html_leaves_real_languages_alone(lines, tag):
    markup = "".join(f"<{tag}>{line}</{tag}>" for line in lines)
    assert fix_mojibake_html(markup) == (markup, None)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CLEAN_SAMPLES), min_size=1, max_size=4), st.integers(0, 3),
       st.sampled_from(["cp1252", "mac_roman"]))
def test_mojibake_repair_of_html_fixes_one_damaged_paragraph_among_clean_ones(lines, where, encoding):
    damaged = "It’s a good day 🎉 and we’re happy to see you".encode().decode(encoding)
    paragraphs = [f"<p>{line}</p>" for line in lines]
    position = min(where, len(paragraphs))
    expected = "".join([*paragraphs[:position], "<p>It’s a good day 🎉 and we’re happy to see you</p>",
                        *paragraphs[position:]])
    markup = "".join([*paragraphs[:position], f"<p>{damaged}</p>", *paragraphs[position:]])
    fixed, how = fix_mojibake_html(markup)
    assert fixed == expected and how is not None
    assert fix_mojibake_html(fixed) == (fixed, None)


@settings(max_examples=60)
@given(st.lists(st.sampled_from(CLEAN_SAMPLES), min_size=1, max_size=3),
       st.sampled_from(["cp1252", "mac_roman", "latin-1"]))
def test_mojibake_repair_is_idempotent(lines, encoding):
    text = "\n".join(lines)
    damaged = text.encode("utf-8").decode(encoding, errors="replace")
    once, _ = fix_mojibake(damaged)
    assert fix_mojibake(once) == (once, None)


@given(st.text())
def test_front_matter_strings_round_trip_through_pyyaml(value):
    assert yaml.safe_load(f"title: {yaml_string(value)}\n")["title"] == value


RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@given(st.text())
def test_a_file_name_component_is_valid_everywhere(name):
    component = safe_component(name)
    assert len(component.encode("utf-8")) <= 120
    assert not any(char in component for char in '<>:"/\\|?*') and all(ord(c) >= 32 for c in component)
    assert component not in (".", "..") and not component.endswith((".", " "))
    assert component.split(".")[0].lower() not in RESERVED


@settings(max_examples=150)
@given(st.text(), st.integers(min_value=0, max_value=10**9) | st.none(),
       st.sampled_from(["{slug}", "{id}/{slug}", "{date}-{slug}", "{year}/{slug}", "{number:03d}"]))
def test_page_paths_stay_inside_the_output_folder(slug, issue_id, template):
    namer = Namer(FilenameTemplate(template))
    name, _ = namer.assign(Page(source="s", title="t", body="", slug=slug, id=issue_id))
    for path in (PurePosixPath(name), PureWindowsPath(name)):
        assert not path.is_absolute() and ".." not in path.parts
    assert name.endswith(".md") and name != ".md"


@given(st.sampled_from(["http://", "https://", "HTTP://", "http:", "", " https://"]),
       st.text(alphabet=string.ascii_letters + string.digits + "[]:/?#@%. \t\n\u00e9\uff0f", max_size=30))
def test_is_web_url_agrees_with_urlsplit_on_generated_urls(prefix, rest):
    from urllib.parse import urlsplit

    from revue2md.hugo.images import is_web_url

    url = prefix + rest
    try:
        expected = urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:
        expected = False
    assert is_web_url(url) is expected
