"""Settings › Broadcasts through the real polling loop: a resident chooses which city broadcasts
reach them and picks topics; forged buttons (an unknown topic, an unknown choice) are refused
and store nothing; the choice is what the one audience rule (storage/audience.py) reads."""

from __future__ import annotations

from handlers import broadcast_settings
from storage.audience import Audience
from storage.models import Resident
from tests.test_updates_e2e import resident as started


async def stored(harness, telegram_id: int) -> tuple[str, list[str]]:
    (row,) = await harness.sql("SELECT id, broadcasts FROM residents WHERE telegram_id = :t", t=telegram_id)
    topics = await harness.sql("SELECT topic FROM resident_topics WHERE resident_id = :r ORDER BY topic", r=row["id"])
    return row["broadcasts"], [t["topic"] for t in topics]


async def audience_of(harness, audience: Audience) -> set[int]:
    async with harness.app.session_factory() as session:
        rows = (await session.execute(audience.residents())).all()
    return {row.telegram_id for row in rows}


async def open_broadcasts(person):
    await person.send_text("⚙️ Settings")
    overview = await person.expect("Broadcasts: City and my district")
    await person.press("📢 Broadcasts", message=overview)
    return await person.expect("City broadcasts")


async def test_a_resident_chooses_broadcasts_and_topics(harness):
    person = await started(harness, 41)
    screen = await open_broadcasts(person)
    assert "Notifications" in screen.text  # status updates are another setting, and it says which
    assert "not set your district" in screen.text
    assert screen.button_texts() == ["• City and my district", "Only the topics I pick", "None",
                                     "⬜ Water cuts and works", "⬜ Cultural events", "◀ Settings"]
    assert all(len(b["callback_data"].encode()) <= 64 for row in screen.inline_buttons() for b in row)

    await person.press("Only the topics I pick", message=screen)
    screen = await person.expect("no topic yet", kinds=("edit",))
    assert await stored(harness, 41) == ("topics", [])
    await person.press("⬜ Water cuts and works", message=screen)
    screen = await person.expect(lambda m: "✅ Water cuts and works" in m.button_texts(), kinds=("edit",))
    assert "no topic yet" not in screen.text
    assert await stored(harness, 41) == ("topics", ["water_cuts"])
    assert 41 in await audience_of(harness, Audience(topics=("water_cuts",)))
    assert 41 not in await audience_of(harness, Audience(everyone=True))

    # A stale "pick" button pressed again keeps it picked (the button says the end state).
    await person.press_data("set:t_on:water_cuts", screen)
    await person.expect_alert()
    assert await stored(harness, 41) == ("topics", ["water_cuts"])

    await person.press("✅ Water cuts and works", message=screen)
    screen = await person.expect(lambda m: "⬜ Water cuts and works" in m.button_texts(), kinds=("edit",))
    await person.press("None", message=screen)
    screen = await person.expect(lambda m: "• None" in m.button_texts(), kinds=("edit",))
    assert await stored(harness, 41) == ("none", [])
    await person.press("◀ Settings", message=screen)
    await person.expect("Broadcasts: None", kinds=("edit",))


async def test_forged_buttons_store_nothing(harness):
    person = await started(harness, 42)
    screen = await open_broadcasts(person)
    person.drain()
    for forged in ("set:t_on:atlantis", "set:t_off:atlantis", "set:bscope:everything", "set:bscope:",
                   "set:t_on:" + "x" * 40):
        await person.press_data(forged, screen)
        assert "no longer active" in (await person.expect_alert())["text"], forged
    assert await stored(harness, 42) == ("all", [])
    assert await harness.sql("SELECT COUNT(*) AS n FROM resident_topics") == [{"n": 0}]


async def test_in_korean(harness):
    person = await started(harness, 43, language="ko")
    await person.send_text("⚙️ 설정")
    await person.press("📢 시정 안내", message=await person.expect("시정 안내: 시 전체와 우리 구"))
    screen = await person.expect("🔔 알림에서 따로", kinds=("edit",))
    await person.press("⬜ 문화 행사", message=screen)
    await person.expect(lambda m: "✅ 문화 행사" in m.button_texts(), kinds=("edit",))
    assert await stored(harness, 43) == ("all", ["culture_events"])


class Words:
    """Enough of I18nContext for the view: the key itself as the text."""

    locale = "en"

    def get(self, key: str, **_: object) -> str:
        return key


def test_a_city_without_topics_offers_no_topic_part(city):
    bare = city.model_copy(update={"topics": []})
    resident = Resident(telegram_id=1, language="en", district="nam", broadcasts="all")
    text = broadcast_settings.screen_text(Words(), bare, resident, set())
    markup = broadcast_settings.screen_markup(Words(), bare, resident, set())
    assert "broadcast-settings-topics-heading" not in text and "broadcast-settings-explain-topics" not in text
    buttons = [b.text for row in markup.inline_keyboard for b in row]
    assert buttons == ["• broadcast-settings-all", "broadcast-settings-none", "broadcast-settings-back"]
