"""Compressed responses: gzip when accepted, Vary always, conditional requests still 304."""

from __future__ import annotations

import gzip

import pytest
from flask.testing import FlaskClient

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.mark.usefixtures("harbour")
@pytest.mark.parametrize(
    "url",
    ["/", "/articles/harbour-plan-approved", "/api/articles", "/static/reader.css"],
)
def test_every_page_type_is_gzipped_when_accepted(client: FlaskClient, url: str) -> None:
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get(url, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data())
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    plain.close()  # a static file's response holds the file open until closed
    packed.close()


@pytest.mark.usefixtures("harbour")
def test_a_compressed_page_answers_its_conditional_request(client: FlaskClient) -> None:
    url = "/articles/harbour-plan-approved"
    first = client.get(url, headers=GZIP)
    assert first.headers["ETag"].startswith('W/"')  # the encoded form: a weak validator
    again = client.get(url, headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(url, headers=GZIP).get_data() == first.get_data()  # same bytes


@pytest.mark.usefixtures("harbour")
def test_small_bodies_and_refusals_stay_plain(client: FlaskClient) -> None:
    assert "Content-Encoding" not in client.get("/healthz", headers=GZIP).headers  # tiny
    refused = client.get("/", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
