"""Filing end to end: the real polling loop, the fake Bot API over HTTP, rows read with SQL."""

from __future__ import annotations

import re

import pytest

NUMBER = re.compile(r"GJ-\d{4}-\d{6}")


async def test_resident_files_complaint_with_photos_and_location(harness):
    resident = harness.fake.user(1001, first_name="Minji", language_code="ko")
    await resident.send_text("/start")
    welcome = await resident.expect("광주광역시")
    assert "민원 신청" in " ".join(welcome.button_texts())

    await resident.send_text("📝 민원 신청")
    await resident.expect("어떤 분야")
    await resident.press("도로·교통")
    await resident.expect("어느 구")
    await resident.send_location(35.1745, 126.9118)  # near the Buk-gu centre
    suggestion = await resident.expect("북구")
    await resident.press("네, 북구", message=suggestion)
    await resident.expect("제목")
    await resident.send_text("Pothole on Mudeung-ro")
    await resident.expect("내용을 적어")
    await resident.send_text("A deep pothole in front of the library; two scooters fell this week.")
    await resident.expect("사진")
    await resident.send_album(2)
    await resident.expect("사진 1/5")
    added = await resident.expect("사진 2/5")
    await resident.press("완료", message=added)
    location_prompt = await resident.expect("위치가 첨부")
    await resident.press("그대로 두기", message=location_prompt)
    await resident.expect("이름을 보여")
    await resident.press("이름 보이기")
    preview = await resident.expect("민원 내용을 확인")
    assert "Pothole on Mudeung-ro" in preview.text and "사진: 2장" in preview.text
    await resident.press("제출", message=preview)
    thanks = await resident.expect("접수되었습니다")
    number = NUMBER.search(thanks.text).group()

    rows = await harness.sql(
        "SELECT i.id, i.kind, i.category, i.district, i.title, i.status, i.is_anonymous, "
        "i.latitude, i.longitude, i.public_number, r.telegram_id, r.language "
        "FROM items i JOIN residents r ON r.id = i.resident_id"
    )
    assert len(rows) == 1
    item = rows[0]
    assert item["public_number"] == number
    assert (item["kind"], item["category"], item["district"], item["status"]) == (
        "complaint", "roads", "buk", "received")
    assert item["is_anonymous"] in (False, 0)
    assert item["latitude"] == pytest.approx(35.1745) and item["longitude"] == pytest.approx(126.9118)
    assert (item["telegram_id"], item["language"]) == (1001, "ko")
    photos = await harness.sql("SELECT file_id, file_unique_id, kind, position FROM attachments "
                               "WHERE item_id = :item ORDER BY position", item=item["id"])
    assert [p["kind"] for p in photos] == ["photo", "photo"]
    assert len({p["file_unique_id"] for p in photos}) == 2
    events = await harness.sql("SELECT from_status, to_status, actor FROM status_events WHERE item_id = :item",
                               item=item["id"])
    assert events == [{"from_status": None, "to_status": "received", "actor": f"resident:{1}"}]

    await resident.send_text("📂 나의 신청")
    listing = await resident.expect("나의 신청")
    await resident.press(number, message=listing)
    detail = await resident.expect("진행 기록")
    assert "접수" in detail.text and number in detail.text


async def test_anonymous_proposal_in_english(harness):
    resident = harness.fake.user(2002, first_name="Alex", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Gwangju Metropolitan City")
    await resident.send_text("💡 Propose a policy")
    categories = await resident.expect("which topic")
    assert "Conduct of public officials" not in categories.button_texts()
    await resident.press("Parks and culture")
    await resident.expect("Which district")
    await resident.press("Seo-gu")
    await resident.expect("short title")
    await resident.send_text("More shade trees in Sangmu park")
    await resident.expect("describe it")
    await resident.send_text("Plant shade trees along the walking paths of Sangmu park for summer.")
    photos = await resident.expect("Add photos")
    await resident.press("Skip", message=photos)
    await resident.expect("see your name")
    await resident.press("Stay anonymous")
    preview = await resident.expect("check your proposal")
    assert "anonymous" in preview.text
    await resident.press("Submit", message=preview)
    thanks = await resident.expect("filed as")
    assert "2 endorsements within 30 days" in thanks.text

    rows = await harness.sql("SELECT kind, district, category, is_anonymous, status, latitude, "
                             "endorsement_goal, stage_deadline, created_at FROM items")
    assert len(rows) == 1
    row = rows[0]
    assert (row["kind"], row["district"], row["category"], row["status"]) == (
        "proposal", "seo", "culture", "collecting")
    assert row["is_anonymous"] in (True, 1) and row["latitude"] is None
    assert row["endorsement_goal"] == 2
    language = await harness.sql("SELECT language FROM residents WHERE telegram_id = 2002")
    assert language == [{"language": "en"}]
