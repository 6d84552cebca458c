"""The shared retry policy, against a real server on 127.0.0.1."""

from __future__ import annotations

import pytest
from werkzeug import Response as WerkzeugResponse

from revue2md.errors import FetchError
from revue2md.net.http import HttpClient, RetryPolicy, retry_after_seconds


def test_retries_a_503_then_succeeds(httpserver):
    httpserver.expect_ordered_request("/x").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    waits = []
    client = HttpClient(RetryPolicy(attempts=3, backoff=0.25), sleep=waits.append)
    response = client.get(httpserver.url_for("/x"))
    assert response.status == 200 and response.text() == "ok"
    assert waits == [0.25]


def test_honours_retry_after_capped_by_max_wait(httpserver):
    httpserver.expect_ordered_request("/x").respond_with_response(
        WerkzeugResponse("slow down", status=429, headers={"Retry-After": "120"}))
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    waits = []
    client = HttpClient(RetryPolicy(attempts=2, max_wait=7), sleep=waits.append)
    assert client.get(httpserver.url_for("/x")).status == 200
    assert waits == [7]


def test_gives_up_naming_the_url_and_status_without_the_secret(httpserver):
    httpserver.expect_request("/secret-abc/x").respond_with_data("down", status=502)
    client = HttpClient(RetryPolicy(attempts=2, backoff=0), secrets=["secret-abc"], sleep=lambda _: None)
    with pytest.raises(FetchError) as caught:
        client.get(httpserver.url_for("/secret-abc/x"))
    message = str(caught.value)
    assert "last status 502" in message and "gave up after 2 attempts" in message
    assert "secret-abc" not in message and "/***/x" in message


def test_other_statuses_are_returned_not_retried(httpserver):
    httpserver.expect_oneshot_request("/gone").respond_with_data("no", status=404)
    response = HttpClient(RetryPolicy(attempts=3), sleep=lambda _: None).get(httpserver.url_for("/gone"))
    assert response.status == 404
    assert len(httpserver.log) == 1


def test_body_over_the_limit_is_refused(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(FetchError, match="limit"):
        HttpClient().get(httpserver.url_for("/big"), max_bytes=1000)


def test_utf8_body_without_charset_is_read_as_utf8(httpserver):
    httpserver.expect_request("/t").respond_with_data("it’s 日本".encode(), content_type="text/html")
    assert HttpClient().get(httpserver.url_for("/t")).text() == "it’s 日本"


@pytest.mark.parametrize(("value", "expected"), [("3", 3.0), (None, None), ("soon", None),
                                                 ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
def test_retry_after_forms(value, expected):
    assert retry_after_seconds(value) == expected
