"""POST /requests: an API client of the city file files a complaint through the bot's own
filing service (checks, numbering, routing, pushes); every mistake is the standard's error."""

from __future__ import annotations

import json
import re

import pytest

from storage import rules
from tests.open311 import KEY, OTHER_KEY, api_city, api_client, xml_errors

V2 = "/open311/v2"
BUK = {"lat": "35.1740", "long": "126.9120"}  # inside Buk-gu's polygon
FORM = {"api_key": KEY, "service_code": "water", "description": "No water since this morning.\nThe whole alley.",
        **BUK}


@pytest.fixture
def open311_city(city):
    return api_city(city)


@pytest.fixture
async def api(engine, open311_city, clock):
    async with api_client(engine, open311_city, clock) as client:
        yield client


async def rows(engine, query: str, **params) -> list[dict]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    async with engine.connect() as connection:
        return [dict(row._mapping) for row in await connection.execute(text(query), params)]


async def file(api, fmt: str = "json", language: str = "ko", **changes):  # type: ignore[no-untyped-def]
    form = {key: value for key, value in {**FORM, **changes}.items() if value is not None}
    return await api.post(f"{V2}/requests.{fmt}", data=form, headers={"Accept-Language": language})


async def refused(response, status: int, words: str = "") -> str:  # type: ignore[no-untyped-def]
    body = await response.read()
    assert response.status == status, body
    (error,) = json.loads(body)
    assert error["code"] == status and words in error["description"], error
    return error["description"]


async def test_a_client_files_a_complaint_that_is_routed_like_the_bots(api, engine, clock):
    response = await file(api, language="en")
    assert response.status == 200
    (filed,) = json.loads(await response.read())
    assert list(filed) == ["service_request_id", "service_notice", "account_id"]
    number = filed["service_request_id"]
    assert re.fullmatch(r"GJ-\d{4}-\d{6}", number) and filed["account_id"] is None
    assert "Water Supply Headquarters, Buk-gu Office" in filed["service_notice"]
    (item,) = await rows(engine, "SELECT * FROM items")
    assert (item["public_number"], item["resident_id"], item["channel"], item["api_client"]) == (number, None, "open311", "web")
    assert (item["kind"], item["status"], item["category"], item["district"]) == ("complaint", "received", "water", "buk")
    assert item["title"] == "No water since this morning." and item["body"] == FORM["description"]
    assert item["is_anonymous"] and not item["is_private"] and (item["latitude"], item["longitude"]) == (35.174, 126.912)
    assignments = await rows(engine, "SELECT department, state FROM assignments ORDER BY id")
    assert assignments == [{"department": "water", "state": "new"}, {"department": "buk_office", "state": "new"}]
    (event,) = await rows(engine, "SELECT from_status, to_status, actor FROM status_events")
    assert event == {"from_status": None, "to_status": "received", "actor": "open311:web"}
    assert await rows(engine, "SELECT * FROM follows") == []  # a program follows nothing
    (served,) = json.loads(await (await api.get(f"{V2}/requests/{number}.json")).read())
    assert (served["status"], served["service_code"], served["address"]) == ("open", "water", "북구, 광주광역시")
    assert served["description"] == FORM["description"]  # the title is its first line: not repeated


async def test_the_xml_answer_and_a_key_in_the_query_string(api):
    form = {key: value for key, value in FORM.items() if key != "api_key"}
    response = await api.post(f"{V2}/requests.xml", params={"api_key": OTHER_KEY}, data=form)
    body = (await response.read()).decode()
    assert response.status == 200 and response.content_type == "text/xml"
    assert re.search(r"<service_requests><request><service_request_id>GJ-\d{4}-\d{6}</service_request_id>"
                     r"<service_notice>[^<]+</service_notice><account_id/></request></service_requests>", body), body


async def test_an_address_with_a_district_instead_of_a_point(api, engine):
    response = await file(api, lat=None, long=None, address_string="  Jungheung-ro 12,\nBuk-gu  ",
                          **{"attribute[district]": "buk", "attribute[title]": "Water main broken"})
    (filed,) = json.loads(await response.read())
    (item,) = await rows(engine, "SELECT title, district, latitude, address FROM items")
    assert item == {"title": "Water main broken", "district": "buk", "latitude": None, "address": "Jungheung-ro 12, Buk-gu"}
    (served,) = json.loads(await (await api.get(f"{V2}/requests/{filed['service_request_id']}.json")).read())
    assert served["address"] == "Jungheung-ro 12, Buk-gu" and served["lat"] is None
    assert served["description"] == "Water main broken\n\n" + FORM["description"]
    long_address = "가" * (rules.OPEN311_ADDRESS_MAX + 1)
    await refused(await file(api, address_string=long_address), 400, str(rules.OPEN311_ADDRESS_MAX))


async def test_location_mistakes(api, engine):
    await refused(await file(api, lat="37.5665", long="126.9780"), 400, "37.5665")  # Seoul
    await refused(await file(api, long=None), 400, "lat")
    await refused(await file(api, lat="north", long="126.9"), 400, "lat")
    await refused(await file(api, lat="nan", long="126.9"), 400, "lat")
    await refused(await file(api, lat="95", long="126.9"), 400, "lat")
    await refused(await file(api, **{"attribute[district]": "nam"}), 400, '"nam"')  # the point is in Buk-gu
    await refused(await file(api, **{"attribute[district]": "mars"}), 400, "dong, seo, nam, buk, gwangsan")
    await refused(await file(api, lat=None, long=None), 400, "address_string")
    await refused(await file(api, lat=None, long=None, address_string="Jungheung-ro 12"), 400, "attribute[district]")
    await refused(await file(api, lat=None, long=None, address_id="12345"), 400, "address_id")
    assert await rows(engine, "SELECT id FROM items") == []


async def test_keys_services_and_texts(api, engine):
    await refused(await file(api, api_key=None), 403, "api_key")
    await refused(await file(api, api_key="not-the-key"), 403, "api_key")
    await refused(await file(api, api_key=KEY.upper()), 403)
    await refused(await file(api, service_code=None), 400, "service_code")
    await refused(await file(api, service_code="potholes"), 404, "potholes")
    await refused(await file(api, service_code="officials"), 404, "officials")  # private: not a service
    await refused(await file(api, description=None), 400, "description")
    await refused(await file(api, description="short"), 400, "10")
    await refused(await file(api, description="x" * (rules.BODY_MAX + 1)), 400, "4,000")
    await refused(await file(api, **{"attribute[title]": "ab"}), 400, "attribute[title]")
    await refused(await file(api, jurisdiction_id="seoul.go.kr"), 404, "seoul.go.kr")
    json_body = await api.post(f"{V2}/requests.json", json=FORM)
    await refused(json_body, 400, "x-www-form-urlencoded")
    xml = await file(api, "xml", api_key="wrong")
    assert xml.status == 403 and xml_errors(await xml.read())[0][0] == "403"
    assert await rows(engine, "SELECT id FROM items") == []


async def test_a_long_first_line_makes_a_shortened_title(api, engine):
    description = "가" * 150 + "\nmore"
    assert (await file(api, description=description)).status == 200
    (item,) = await rows(engine, "SELECT title, body FROM items")
    assert len(item["title"]) == rules.TITLE_MAX and item["title"].endswith("…") and item["body"] == description


async def test_a_client_past_its_daily_limit_is_told_when_it_may_go_on(api, engine, clock):
    for _ in range(3):  # the test client may file 3 a day
        assert (await file(api)).status == 200
    response = await file(api)
    description = await refused(response, 429, "3")
    assert int(response.headers["Retry-After"]) == 24 * 3600
    assert "+09:00" in description
    assert (await file(api, api_key=OTHER_KEY)).status == 200  # another client has its own count
    clock.advance(days=1, seconds=1)
    assert (await file(api)).status == 200
    assert len(await rows(engine, "SELECT id FROM items")) == 5
