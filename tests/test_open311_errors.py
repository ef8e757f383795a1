"""Bad requests get the standard's error document (a list of {code, description}; in XML
<errors><error><code/><description/></error></errors>) with its HTTP status, never a traceback."""

from __future__ import annotations

import json

import pytest

from storage import rules
from storage.services.open311 import Open311Service
from tests.open311 import KEY, api_city, api_client, xml_errors

V2 = "/open311/v2"


@pytest.fixture
async def api(engine, city, clock):
    async with api_client(engine, api_city(city), clock) as client:
        yield client


async def refused(response, status: int, fmt: str = "json", words: str = "") -> str:  # type: ignore[no-untyped-def]
    """The error document's one description, after checking status, content type and code."""
    body = await response.read()
    assert response.status == status, body
    if fmt == "json":
        assert response.content_type == "application/json"
        (error,) = json.loads(body)
        assert list(error) == ["code", "description"] and error["code"] == status
        description = error["description"]
    else:
        assert response.content_type == "text/xml" and body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        ((code, description),) = xml_errors(body)
        assert code == str(status)
    assert words in description, description
    assert "Traceback" not in description and "File \"" not in description
    return description


async def test_unknown_formats_and_addresses_are_404(api):
    await refused(await api.get(V2 + "/requests.html"), 404, "xml", '"html"')
    await refused(await api.get(V2 + "/services.csv"), 404, "xml", ".xml")
    await refused(await api.get(V2 + "/services"), 404, "xml")
    await refused(await api.get(V2 + "/requests/GJ-2026-000001.yaml"), 404, "xml")
    await refused(await api.get(V2 + "/tokens/12.json"), 404, "json", "/open311/v2/")
    outside = await api.get("/")  # not the API's: the server's own plain 404
    assert outside.status == 404
    await refused(await api.get(V2 + "/requests/GJ-2026-999999.json"), 404, "json", "GJ-2026-999999")
    await refused(await api.get(V2 + "/services/nothing.xml"), 404, "xml", "nothing")
    response = await api.delete(V2 + "/requests.json")
    await refused(response, 405, "json")
    assert response.headers["Allow"]


async def test_malformed_dates_are_400(api):
    for value in ("yesterday", "2026-13-01", "2026-11-01T00:00:00", "2026-11-01 25:00", "0001-01-01T00:00:00+01:00",
                  "9999-12-31T23:59:59+00:00"):
        await refused(await api.get(V2 + "/requests.json", params={"start_date": value}), 400, words="start_date")
    await refused(await api.get(V2 + "/requests.xml", params={"end_date": "2026-02-30"}), 400, "xml", "end_date")
    await refused(await api.get(V2 + "/requests.json", params={"start_date": "2026-06-02", "end_date": "2026-06-01"}),
                  400, words="start_date")
    await refused(await api.get(V2 + "/requests.json", params={"start_date": "2026-01-01", "end_date": "2026-06-01"}),
                  400, words="90")


async def test_other_bad_filters_are_refused(api):
    await refused(await api.get(V2 + "/requests.json", params={"status": "pending"}), 400, words="pending")
    await refused(await api.get(V2 + "/requests.json", params={"service_code": "roads,officials"}), 404,
                  words="officials")
    await refused(await api.get(V2 + "/requests.json", params={"jurisdiction_id": "seoul.go.kr"}), 404,
                  words="seoul.go.kr")
    await refused(await api.get(V2 + "/services.xml", params={"jurisdiction_id": "seoul.go.kr"}), 404, "xml")


async def test_an_id_list_of_10000_is_refused_past_the_cap(api):
    ids = ",".join(f"GJ-2026-{n:06d}" for n in range(10_000))
    await refused(await api.get(V2 + "/requests.json", params={"service_request_id": ids}), 400,
                  words=str(rules.OPEN311_MAX_IDS))
    await refused(await api.get(V2 + "/requests.xml", params={"service_request_id": ids}), 400, "xml")
    at_cap = ",".join(f"GJ-2026-{n:06d}" for n in range(rules.OPEN311_MAX_IDS))
    assert (await api.get(V2 + "/requests.json", params={"service_request_id": at_cap})).status == 200


async def test_a_body_of_10_mb_is_413(api):
    body = "api_key=" + KEY + "&description=" + "x" * (10 * 1024 * 1024)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    await refused(await api.post(V2 + "/requests.json", data=body, headers=headers), 413, words="262,144")
    await refused(await api.post(V2 + "/requests.xml", data=body, headers=headers), 413, "xml")


async def test_a_failure_inside_is_a_500_in_the_standard_format_without_details(api, monkeypatch, caplog):
    async def broken(self, params):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals: postgresql://user:password@db")

    monkeypatch.setattr(Open311Service, "requests", broken)
    description = await refused(await api.get(V2 + "/requests.json"), 500)
    assert "secret" not in description and "password" not in description
    await refused(await api.get(V2 + "/requests.xml"), 500, "xml")
    assert "secret internals" in caplog.text  # the operator sees it in the log


async def test_errors_speak_the_callers_language(api):
    korean = await refused(await api.get(V2 + "/requests.json", params={"status": "x"}), 400)
    english = await refused(await api.get(V2 + "/requests.json", params={"status": "x", "locale": "en"}), 400)
    assert "알 수 없는" in korean and "unknown" in english
