"""Revue's link lines are removed whole, in work that grows with the line, not with its square."""

from __future__ import annotations

import bs4.element
from bs4 import BeautifulSoup

from revue2md.clean import chrome


def _page(links: int) -> BeautifulSoup:
    line = " · ".join(f'<a href="https://rev.vu/x{n}">Share {n}</a>' for n in range(links))
    html = f"<div><p>Hello there.</p><p><span>{line}</span></p><p>End words.</p></div>"
    return BeautifulSoup(html, "lxml")


def test_a_line_of_revue_links_is_removed_with_its_containers():
    soup = _page(50)
    chrome.drop_chrome(soup.body)
    assert soup.body.decode_contents() == "<div><p>Hello there.</p><p>End words.</p></div>"


def test_removing_thousands_of_links_from_one_line_never_scans_their_siblings(monkeypatch):
    """BeautifulSoup finds a child's position by scanning its siblings; removing each link that way
    made a line of 8,000 links take 13 s. Counting those scans bounds the work, not the time."""
    scans = []
    original = bs4.element.Tag.index

    def counting_index(self, element):
        scans.append(element)
        return original(self, element)

    monkeypatch.setattr(bs4.element.Tag, "index", counting_index)
    soup = _page(3000)
    chrome.drop_chrome(soup.body)
    assert "rev.vu" not in str(soup)
    assert len(scans) < 10, f"{len(scans)} sibling scans for one line of links"
