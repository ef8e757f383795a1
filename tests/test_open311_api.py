"""The Open311 GeoReport v2 reads (discovery, services, service definitions, requests) in XML
and JSON, against the standard's field lists, with each filter, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest

from storage.lifecycle import OPEN311_STATUS, Status
from storage.repositories.open311 import REQUEST_COLUMNS, RequestRow
from tests.open311 import (
    JURISDICTION,
    REQUEST_FIELDS,
    SECRET_NAME,
    SECRET_REPLY,
    SECRET_TELEGRAM_ID,
    SECRET_USERNAME,
    SERVICE_FIELDS,
    answer_assignment,
    api_city,
    api_client,
    seed,
    xml_fields,
    xml_requests,
)

V2 = "/open311/v2"
PUBLIC_NEWEST_FIRST = ["escaped", "proposal", "resolved", "anonymous"]


@pytest.fixture
def open311_city(city):
    return api_city(city)


@pytest.fixture
async def data(engine, open311_city, clock):
    return await seed(engine, open311_city, clock())


@pytest.fixture
async def api(engine, open311_city, clock, data):
    async with api_client(engine, open311_city, clock) as client:
        yield client


async def get_json(api, path: str, expect: int = 200, **params):  # type: ignore[no-untyped-def]
    response = await api.get(V2 + path, params=params)
    assert response.status == expect, await response.text()
    assert response.content_type == "application/json" and response.charset == "utf-8"
    return json.loads(await response.read())


async def get_xml(api, path: str, expect: int = 200, **params) -> bytes:  # type: ignore[no-untyped-def]
    response = await api.get(V2 + path, params=params)
    assert response.status == expect, await response.text()
    assert response.content_type == "text/xml" and response.charset == "utf-8"
    body = await response.read()
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return body


def local(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone(dt.timedelta(hours=9))).isoformat(timespec="seconds")


async def test_discovery_names_the_endpoint_and_both_formats(api):
    document = await get_json(api, "/discovery.json")
    assert list(document) == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"http://{api.host}:{api.port}{V2}"
    assert endpoint["formats"] == ["text/xml", "application/json"] and endpoint["type"] == "production"
    assert document["changeset"] == "2026-11-01T09:00:00+09:00"
    root = ET.fromstring(await get_xml(api, "/discovery.xml"))
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


async def test_services_are_the_public_categories_with_the_standard_fields(api, open311_city):
    public = [c.code for c in open311_city.categories if not c.private]
    services = await get_json(api, "/services.json")
    assert [s["service_code"] for s in services] == public and "officials" not in public
    assert all(list(s) == SERVICE_FIELDS for s in services)
    assert services[0]["service_name"] == "도로·교통" and services[0]["metadata"] is True
    assert services[0]["type"] == "realtime"
    english = await get_json(api, "/services.json", locale="en")
    assert english[0]["service_name"] == "Roads and transport"
    response = await api.get(V2 + "/services.json", headers={"Accept-Language": "en-GB,en;q=0.9,ko;q=0.5"})
    assert json.loads(await response.read())[0]["service_name"] == "Roads and transport"
    root = ET.fromstring(await get_xml(api, "/services.xml"))
    assert root.tag == "services" and [s.findtext("service_code") for s in root] == public
    assert all([child.tag for child in s] == SERVICE_FIELDS for s in root)
    assert root.find("service/metadata").text == "true"


async def test_a_service_definition_lists_its_attributes(api, open311_city):
    definition = await get_json(api, "/services/water.json", locale="en")
    assert definition["service_code"] == "water"
    title, district = definition["attributes"]
    assert (title["code"], title["datatype"], title["required"], title["order"]) == ("title", "string", False, 1)
    assert (district["code"], district["datatype"]) == ("district", "singlevaluelist")
    assert district["values"][0] == {"key": "dong", "name": "Dong-gu"}
    assert [v["key"] for v in district["values"]] == [d.code for d in open311_city.districts]
    root = ET.fromstring(await get_xml(api, "/services/water.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "water"
    assert [a.findtext("code") for a in root.find("attributes")] == ["title", "district"]
    assert [v.findtext("key") for v in root.find("attributes/attribute[2]/values")][:2] == ["dong", "seo"]
    for code in ("officials", "nothing"):  # a private category is no service
        (error,) = await get_json(api, f"/services/{code}.json", expect=404)
        assert error["code"] == 404 and code in error["description"]


async def test_requests_default_to_the_last_90_days_newest_first_with_every_field(api, data, open311_city):
    found = await get_json(api, "/requests.json")
    assert [r["service_request_id"] for r in found] == [data.numbers[role] for role in PUBLIC_NEWEST_FIRST]
    assert all(list(r) == REQUEST_FIELDS for r in found)
    body = await get_xml(api, "/requests.xml")
    assert all(fields == REQUEST_FIELDS for fields in xml_fields(body))
    assert [r["service_request_id"] for r in xml_requests(body)] == [r["service_request_id"] for r in found]

    by_role = dict(zip(PUBLIC_NEWEST_FIRST, found, strict=True))
    anonymous = by_role["anonymous"]
    created = data.created["anonymous"]
    assert anonymous == {
        "service_request_id": data.numbers["anonymous"], "status": "open",
        "status_notes": "The main is fixed; water is back.",  # the latest department answer, not the reply
        "service_name": "상하수도·에너지", "service_code": "water",
        "description": "No water on Jungheung-ro\n\nSince 7 am there is no tap water in our alley.",
        "agency_responsible": "상수도사업본부, 북구청", "service_notice": None,
        "requested_datetime": local(created), "updated_datetime": local(created),
        "expected_datetime": local(created + dt.timedelta(days=5)),  # water's SLA; Buk-gu's is 7
        "address": "북구, 광주광역시", "address_id": None, "zipcode": None,
        "lat": 35.174, "long": 126.912, "media_url": None}  # no bot token: no photos
    assert anonymous["requested_datetime"].endswith("+09:00")
    resolved = by_role["resolved"]
    assert (resolved["status"], resolved["expected_datetime"]) == ("closed", None)
    assert resolved["status_notes"] == "The lamp was replaced." and resolved["agency_responsible"] == "교통정책과, 남구청"
    assert resolved["updated_datetime"] == local(data.created["resolved"] + dt.timedelta(days=1.5))
    proposal = by_role["proposal"]
    assert (proposal["status"], proposal["agency_responsible"], proposal["expected_datetime"]) == ("open", None, None)
    assert proposal["lat"] is None and proposal["address"] == "동구, 광주광역시"

    xml_anonymous = xml_requests(body)[PUBLIC_NEWEST_FIRST.index("anonymous")]
    assert xml_anonymous["status_notes"] == anonymous["status_notes"]
    assert xml_anonymous["lat"] == "35.174" and xml_anonymous["media_url"] is None
    assert xml_anonymous["agency_responsible"] == "상수도사업본부, 북구청"

    english = {r["service_request_id"]: r for r in await get_json(api, "/requests.json", locale="en")}
    assert english[data.numbers["anonymous"]]["agency_responsible"] == "Water Supply Headquarters, Buk-gu Office"
    assert english[data.numbers["anonymous"]]["address"] == "Buk-gu, Gwangju Metropolitan City"


async def test_text_is_escaped_in_xml_and_json(api, data):
    number = data.numbers["escaped"]
    (request,) = await get_json(api, f"/requests/{number}.json")
    assert request["description"].startswith('Signs <b>&</b> "quotes"\n\nText with <tags> & ampersands ]]>')
    assert "\x07" in request["description"]  # JSON carries it, escaped
    body = await get_xml(api, f"/requests/{number}.xml")
    assert b"<tags>" not in body and b"&lt;tags&gt; &amp; ampersands ]]&gt;" in body
    (parsed,) = xml_requests(body)  # well-formed: the bell XML cannot carry is left out
    assert parsed["description"] == request["description"].replace("\x07", "")


async def test_expected_datetime_is_the_earliest_due_of_the_departments_still_to_answer(api, engine, data):
    await answer_assignment(engine, data.numbers["anonymous"], "water")
    (request,) = await get_json(api, f"/requests/{data.numbers['anonymous']}.json")
    assert request["expected_datetime"] == local(data.created["anonymous"] + dt.timedelta(days=7))
    assert request["agency_responsible"] == "상수도사업본부, 북구청"  # answered: still with the item


async def test_each_filter(api, data, clock):
    async def numbers(**params) -> list[str]:  # type: ignore[no-untyped-def]
        found = [r["service_request_id"] for r in await get_json(api, "/requests.json", **params)]
        in_xml = [r["service_request_id"] for r in xml_requests(await get_xml(api, "/requests.xml", **params))]
        assert in_xml == found
        return found

    n = data.numbers
    # Ids override every other filter (the old item is outside the window); private, hidden and
    # unknown ids are simply not found.
    listed = f"{n['old']}, {n['private']},{n['hidden']},GJ-1999-000001,{n['resolved']},"
    assert await numbers(service_request_id=listed, status="open", service_code="water") == [n["resolved"], n["old"]]
    assert await numbers(service_code="roads") == [n["escaped"], n["resolved"]]
    assert await numbers(service_code="roads,water") == [n["escaped"], n["resolved"], n["anonymous"]]
    response = await api.get(V2 + "/requests.json", params=[("service_code", "culture"), ("service_code", "water")])
    assert [r["service_request_id"] for r in json.loads(await response.read())] == [n["proposal"], n["anonymous"]]
    assert await numbers(status="open") == [n["escaped"], n["proposal"], n["anonymous"]]
    assert await numbers(status="closed") == [n["resolved"]]
    assert await numbers(status="open,closed") == [n[role] for role in PUBLIC_NEWEST_FIRST]
    now = clock()
    w3 = lambda days: (now - dt.timedelta(days=days)).isoformat(timespec="seconds")  # noqa: E731
    assert await numbers(start_date=w3(101), end_date=w3(99)) == [n["old"]]
    assert await numbers(start_date=w3(9.5), end_date=w3(5.5)) == [n["proposal"], n["resolved"]]
    assert await numbers(start_date=w3(101)) == [n["old"]]  # start_date alone: 90 days from it
    assert await numbers(end_date=w3(8)) == [n["resolved"], n["anonymous"]]  # end_date alone: the 90 days before it
    assert await numbers(end_date=w3(15)) == [n["old"]]
    utc = (now - dt.timedelta(days=9.5)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert await numbers(start_date=utc, end_date=w3(5.5)) == [n["proposal"], n["resolved"]]
    # A bare date is the city's midnight; empty arguments are no arguments.
    today = (now + dt.timedelta(hours=9)).date()
    assert await numbers(start_date=(today + dt.timedelta(days=1)).isoformat(), status="", service_code="") == []
    assert await numbers(service_code="", status="") == [n[role] for role in PUBLIC_NEWEST_FIRST]
    assert await numbers(jurisdiction_id=JURISDICTION) == [n[role] for role in PUBLIC_NEWEST_FIRST]


async def test_one_request_in_both_formats_and_never_a_private_or_hidden_one(api, data):
    number = data.numbers["resolved"]
    (request,) = await get_json(api, f"/requests/{number}.json")
    assert list(request) == REQUEST_FIELDS and request["service_request_id"] == number
    body = await get_xml(api, f"/requests/{number}.xml")
    assert xml_fields(body) == [REQUEST_FIELDS]
    for role in ("private", "hidden"):
        (error,) = await get_json(api, f"/requests/{data.numbers[role]}.json", expect=404)
        assert error == {"code": 404, "description": f'공개된 민원 "{data.numbers[role]}"은(는) 없습니다.'}
        body = await get_xml(api, f"/requests/{data.numbers[role]}.xml", expect=404)
        assert ET.fromstring(body).findtext("error/code") == "404"
    served = json.dumps(await get_json(api, "/requests.json", start_date="2000-01-01", end_date="2000-03-01"))
    assert served == "[]"


async def test_an_anonymous_filer_leaves_no_trace_in_anything_served(api, data):
    number = data.numbers["anonymous"]
    paths = ["/requests.json", "/requests.xml", f"/requests/{number}.json", f"/requests/{number}.xml",
             f"/requests.json?service_request_id={number}", "/requests.xml?status=open&locale=en"]
    traces = [SECRET_NAME, "Jiwoo", SECRET_USERNAME, str(SECRET_TELEGRAM_ID), SECRET_REPLY, "010-9999"]
    for path in paths:
        response = await api.get(V2 + path)
        body = (await response.read()).decode()
        assert response.status == 200 and number in body, path
        assert [trace for trace in traces if trace in body] == [], path
        assert "filer" not in body and "resident" not in body and "anonymous" not in body, path


def test_the_rows_fields_follow_the_columns_read():
    assert RequestRow._fields == tuple(column.key for column in REQUEST_COLUMNS)


def test_every_status_but_hidden_is_open_or_closed():
    assert set(OPEN311_STATUS) == set(Status) - {Status.HIDDEN}
    assert set(OPEN311_STATUS.values()) == {"open", "closed"}
