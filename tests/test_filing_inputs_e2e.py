"""Wrong input at every step gets one line on what is expected and the same step again."""

from __future__ import annotations


async def _to_title_step(resident):
    await resident.send_text("/start")
    await resident.expect("Gwangju")
    await resident.send_text("📝 File a complaint")
    await resident.expect("which topic")
    await resident.send_sticker()
    await resident.expect("choose with the buttons")
    await resident.press("Roads and transport")
    await resident.expect("Which district")


async def test_bad_input_at_every_step(harness):
    resident = harness.fake.user(3003, first_name="Jun", language_code="en")
    await _to_title_step(resident)

    await resident.send_voice()
    await resident.expect("choose a district")
    await resident.send_text("Atlantis")
    await resident.expect("choose a district")
    await resident.send_location(37.5665, 126.9780)  # Seoul: far from every district
    await resident.expect("outside the city")
    await resident.send_text("dong-gu")  # a district typed by name is understood
    await resident.expect("short title")

    await resident.send_photo()
    await resident.expect("type the title as text")
    await resident.send_sticker()
    await resident.expect("type the title as text")
    await resident.send_text("ab")
    await resident.expect("yours has 2")
    await resident.send_text("x" * 101)
    await resident.expect("yours has 101")
    await resident.send_text("/frobnicate")
    await resident.expect("/frobnicate is not available here")
    await resident.send_text("Broken streetlight")
    await resident.expect("describe it")

    await resident.send_text("too short")
    await resident.expect("yours has 9")
    await resident.send_text("y" * 4001)
    await resident.expect("yours has 4,001")
    await resident.send_document()
    await resident.expect("type the description as text")
    await resident.send_text("The streetlight at the bus stop has been dark for a week.")
    await resident.expect("Add photos")

    await resident.send_text("here is a photo")
    await resident.expect("Please send photos")
    await resident.send_album(5)
    for count in range(1, 6):
        await resident.expect(f"Photo {count} of 5 added")
    await resident.send_photo()
    full = await resident.expect("at most 5 photos")
    await resident.press("Done", message=full)

    await resident.expect("Where exactly")
    await resident.send_text("near the bus stop")
    await resident.expect("share a location with the button")
    await resident.send_location(35.146, 126.923)
    await resident.expect("see your name")

    await resident.send_text("anonymous please")
    await resident.expect("choose with the buttons")
    await resident.press("Stay anonymous")
    preview = await resident.expect("check your complaint")
    await resident.send_sticker()
    await resident.expect("choose with the buttons")
    await resident.press_data("f:district:dong", preview)  # a button of another step
    alert = await resident.expect_alert()
    assert alert["show_alert"] and "no longer active" in alert["text"]
    await resident.press_data("f:edit:nonsense", preview)
    assert "no longer active" in (await resident.expect_alert())["text"]
    await resident.press_data("garbage", preview)
    assert "no longer active" in (await resident.expect_alert())["text"]

    assert await harness.sql("SELECT id FROM items") == []  # nothing filed yet
    await resident.press("Submit")
    await resident.expect("filed as")
    rows = await harness.sql("SELECT district, title FROM items")
    assert rows == [{"district": "dong", "title": "Broken streetlight"}]
    assert len(await harness.sql("SELECT id FROM attachments")) == 5


async def test_back_edit_and_cancel(harness):
    resident = harness.fake.user(4004, first_name="Sora", language_code="ko")
    await resident.send_text("/start")
    await resident.expect("광주")
    await resident.send_text("💡 정책 제안")
    await resident.expect("어떤 분야")
    await resident.press("⬅️ 이전")
    await resident.expect("무엇을 신청")
    await resident.send_sticker()
    await resident.expect("버튼으로 골라")
    await resident.press("민원")
    categories = await resident.expect("어떤 분야")
    assert "공직자 행동" in categories.button_texts()  # private category: complaints only
    await resident.press("환경·위생")
    await resident.expect("어느 구")
    await resident.press("남구")
    await resident.expect("제목")
    await resident.send_text("쓰레기 무단 투기")
    await resident.expect("내용을 적어")
    await resident.send_text("골목에 쓰레기가 매일 쌓이고 있습니다. 단속이 필요합니다.")
    photos = await resident.expect("사진이 있으면")
    await resident.press("건너뛰기", message=photos)
    location = await resident.expect("정확한 위치")
    await resident.press("건너뛰기", message=location)
    await resident.expect("✓ 확인했습니다")
    await resident.expect("이름을 보여")
    await resident.press("익명으로")
    preview = await resident.expect("민원 내용을 확인")
    assert "쓰레기 무단 투기" in preview.text

    await resident.press("✏️ 제목", message=preview)
    await resident.expect("짧은 제목")
    await resident.send_text("골목 쓰레기 무단 투기")
    preview = await resident.expect("민원 내용을 확인")
    assert "골목 쓰레기 무단 투기" in preview.text
    await resident.press("✏️ 구", message=preview)
    await resident.expect("어느 구")
    await resident.press("광산구")
    preview = await resident.expect("민원 내용을 확인")
    assert "광산구" in preview.text

    await resident.send_text("/cancel")
    confirm = await resident.expect("초안을 버릴까요")
    await resident.press("아니요", message=confirm)
    await resident.expect("민원 내용을 확인")
    await resident.send_text("📂 나의 신청")
    interrupted = await resident.expect("신청을 작성하는 중")
    await resident.press("✖️ 취소", message=interrupted)
    confirm = await resident.expect("초안을 버릴까요")
    await resident.press("네, 버립니다", message=confirm)
    await resident.expect("초안을 버렸습니다")
    await resident.send_text("/cancel")
    await resident.expect("취소할 것이 없습니다")
    await resident.send_text("hello?")
    await resident.expect("무슨 말씀인지")
    await resident.send_text("/whatever")
    await resident.expect("/whatever 명령은 모릅니다")
    assert await harness.sql("SELECT id FROM items") == []
