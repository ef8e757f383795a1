"""A resident's usual paths through the bot, for end-to-end tests whose subject lies beyond them.

The filing tests themselves walk every step by hand, with their own checks.
"""

from __future__ import annotations

# What the resident taps and what the bot is expected to say, in each language.
WORDS = {
    "ko": dict(welcome="광주", complaint="📝 민원 신청", proposal="💡 정책 제안", category="어떤 분야",
               district="어느 구", title="제목", body="내용을 적어", photos="사진이 있으면",
               location="정확한 위치", visibility="이름을 보여", skip="건너뛰기", show="이름 보이기",
               hide="익명으로", preview="내용을 확인", submit="제출", filed="접수되었습니다"),
    "en": dict(welcome="Gwangju", complaint="📝 File a complaint", proposal="💡 Propose a policy",
               category="which topic", district="Which district", title="short title", body="describe it",
               photos="Add photos", location="Where exactly", visibility="see your name", skip="Skip",
               show="Show my name", hide="Stay anonymous", preview="check your", submit="Submit",
               filed="filed as"),
}


async def reach_district_step(resident, kind: str, category: str, language: str = "ko"):
    """/start, then a new filing up to the district step; returns the district prompt."""
    words = WORDS[language]
    await resident.send_text("/start")
    await resident.expect(words["welcome"])
    await resident.send_text(words[kind])
    await resident.press(category, message=await resident.expect(words["category"]))
    return await resident.expect(words["district"])


async def start_filing(resident, kind: str, category: str, district: str, title: str, language: str = "ko"):
    """/start, then a new filing up to the description step; returns the description prompt."""
    words = WORDS[language]
    await resident.press(district, message=await reach_district_step(resident, kind, category, language))
    await resident.expect(words["title"])
    await resident.send_text(title)
    return await resident.expect(words["body"])


async def finish_filing(resident, body: str, anonymous: bool = False, language: str = "ko"):
    """From the description step to the preview, without photos or location; returns the preview."""
    words = WORDS[language]
    await resident.send_text(body)
    await resident.press(words["skip"], message=await resident.expect(words["photos"]))
    visibility = await resident.expect(lambda m: words["visibility"] in m.body or words["location"] in m.body)
    if words["location"] in visibility.body:  # complaints are offered a location step
        await resident.press(words["skip"], message=visibility)
        visibility = await resident.expect(words["visibility"])
    await resident.press(words["hide"] if anonymous else words["show"], message=visibility)
    return await resident.expect(words["preview"])


async def submit(resident, preview, language: str = "ko"):
    words = WORDS[language]
    await resident.press(words["submit"], message=preview)
    return await resident.expect(words["filed"])
