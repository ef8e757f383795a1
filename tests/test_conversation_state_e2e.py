"""Each conversation keeps its own part of the conversation state: starting or cancelling a
filing does not wipe the browse filters or a share link waiting for a language choice."""

from __future__ import annotations

from tests.flows import finish_filing, start_filing, submit


async def test_filing_started_from_browse_keeps_the_filters(harness):
    resident = harness.fake.user(61, first_name="Ha", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Gwangju")
    await resident.send_text("🔎 Browse")
    listing = await resident.expect("Browse")
    await resident.press("District", message=listing)
    await resident.press("Seo-gu", message=await resident.expect("which district"))
    assert "District: Seo-gu" in (await resident.expect("District: Seo-gu")).text

    await resident.send_text("📝 File a complaint")
    await resident.expect("which topic")
    await resident.send_text("/cancel")
    await resident.press("Yes, drop it", message=await resident.expect("Drop this draft"))
    await resident.expect("The draft was dropped")

    await resident.send_text("🔎 Browse")
    again = await resident.expect("Browse")
    assert "District: Seo-gu" in again.text


async def test_share_link_waits_through_a_filing_started_before_the_language_choice(harness):
    filer = harness.fake.user(62, first_name="Filer", language_code="ko")
    await start_filing(filer, "proposal", "공원·문화", "동구", "버스 정류장 온열 의자 설치")
    await submit(filer, await finish_filing(filer, "정류장마다 겨울철 온열 의자를 설치해 주세요."))
    token = (await harness.sql("SELECT public_token FROM items"))[0]["public_token"]
    newcomer = harness.fake.user(63, first_name="New", language_code="en")
    await newcomer.send_text(f"/start i_{token}")
    choose = await newcomer.expect("choose your language")
    await newcomer.send_text("📝 File a complaint")
    await newcomer.expect("which topic")
    await newcomer.press("English", message=choose)
    card = await newcomer.expect("버스 정류장 온열 의자 설치")
    assert "Endorse" in " ".join(card.button_texts())
