"""Property: whatever a resident sends at any step of any conversation (arbitrary text with RTL
marks, zero-width and combining characters and emoji, up to 4,096 characters, or a sticker, voice
note, video, video note, document, photo, contact, location, venue, poll, dice, a forwarded or an
edited message), the bot never fails, always answers, and stores nothing that breaks the input
rules (storage/rules.py) or holds control characters.

Every conversation step is a STEP below, reached through the bot's own buttons and commands;
`test_every_state_is_fuzzed` fails when a new state (a StatesGroup in handlers/) or a new typed
sub-step of a composer has no entry. Derandomized: the same cases each run.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiogram.fsm.state import StatesGroup
from aiogram.types import (
    Animation,
    Audio,
    Contact,
    Dice,
    Document,
    Location,
    Message,
    MessageOriginUser,
    PhotoSize,
    Poll,
    PollOption,
    Sticker,
    User,
    Venue,
    Video,
    VideoNote,
    Voice,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import handlers
from handlers.audience import AudienceAction, AudienceCb, AudienceFlow
from handlers.broadcasts import compose as broadcast_compose
from handlers.callbacks import BrowseAction, BrowseCb, DiscussAction, DiscussCb, ItemAction, ItemCb, ReplyCb
from handlers.filing.steps import Filing
from handlers.officials.callbacks import OfficialAction, OfficialCb
from handlers.pending_input import PendingInput
from handlers.polls import create as poll_create
from handlers.polls.create import PollCreateCb
from storage import rules
from storage.lifecycle import Kind
from storage.vocabulary import Role
from tests.abuse import CONTROL, Errors, World

RTL = "\u200f\u200e\u202b\u202e\u2066\u2067\u2069\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
COMBINING = "\u0301\u0308\u0336\u20dd\u0489"
EMOJI = ["😀", "👍🏽", "👨‍👩‍👧", "🇰🇷", "❤️", "🏳️‍🌈"]
HOSTILE = "&<>\"' \n\t\x00\x07\x1b\x85/%_\\a가"
pieces = st.one_of(st.characters(blacklist_categories=("Cs",)),
                   st.sampled_from([*RTL, *ZERO_WIDTH, *COMBINING, *HOSTILE, *EMOJI]))  # emoji: several code points


def joined(min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    return st.lists(pieces, min_size=min_size, max_size=max_size).map("".join)



# What a step may take for something it knows: commands, menu buttons, dates, poll options, codes.
TRICKY = ["/start", "/cancel", "/start i_x", "/search %", "/broadcast", "/newpoll", "📝 File a complaint",
          "⚙️ Settings", "dong", "Dong-gu", "동구", "9999-12-31", "0001-01-01", "0000-00-00", "2026-02-30",
          "2026-13-01", "2026-1-1", "3000-01-01", "예 / Yes\n아니오 / No", "a/b\nc/d\ne/f", "/ \n /",
          "x / y\n" * 11, "a" * 101 + " / b\nc / d", "\u202eevil\u202c title", "\u200b" * 5, "\u0301" * 12,
          "<b>bold</b> &amp; <a href='x'>", "' OR 1=1 --", "50% a_b \\", "A NUL\x00 and a bell\x07 in a text",
          "\u202eevil override left open in a long enough text", "\u200b\u200c\u2060\ufeff\u0301\u0308\u20dd" * 3]
# Short texts, texts a step knows, and texts up to Telegram's 4,096 characters made of a repeated piece.
texts = st.one_of(
    joined(),
    st.sampled_from(TRICKY),
    st.tuples(joined(1, 8), st.integers(1, 4096)).map(lambda t: (t[0] * 4096)[:t[1]]),
)
KINDS = ("text", "forwarded", "edited", "sticker", "voice", "video", "video_note", "document", "photo", "contact",
         "location", "venue", "poll", "dice", "audio", "animation")
MEDIA = dict(file_id="fuzzed-file", file_unique_id="fuzzed-u")


def content(kind: str, text: str, latitude: float, longitude: float) -> dict:
    """A message's fields of this kind, with `text` wherever Telegram lets a resident type."""
    caption = text[:1024] or None
    if kind in ("text", "edited"):
        return {"text": text or "."}
    if kind == "forwarded":
        origin = MessageOriginUser(date=dt.datetime.now(dt.UTC), sender_user=User(id=5, is_bot=False, first_name="X"))
        return {"text": text or ".", "forward_origin": origin}
    location = Location(latitude=latitude, longitude=longitude)
    return {
        "sticker": lambda: {"sticker": Sticker(**MEDIA, type="regular", width=512, height=512, is_animated=False,
                                               is_video=False)},
        "voice": lambda: {"voice": Voice(**MEDIA, duration=3), "caption": caption},
        "video": lambda: {"video": Video(**MEDIA, width=640, height=480, duration=3), "caption": caption},
        "video_note": lambda: {"video_note": VideoNote(**MEDIA, length=240, duration=3)},
        "document": lambda: {"document": Document(**MEDIA, file_name="a.pdf"), "caption": caption},
        "photo": lambda: {"photo": [PhotoSize(**MEDIA, width=90, height=90)], "caption": caption},
        "contact": lambda: {"contact": Contact(phone_number="+821012345678", first_name=text[:64] or "A")},
        "location": lambda: {"location": location},
        "venue": lambda: {"venue": Venue(location=location, title=text[:100] or "V", address="1 Road"),
                          "location": location},  # Telegram sends a venue's location with it
        "poll": lambda: {"poll": Poll(id="p", question=text[:300] or "Q?", options=[
            PollOption(persistent_id=str(n), text=str(n), voter_count=0) for n in range(2)],
            total_voter_count=0, is_closed=False, is_anonymous=True, type="regular",
            allows_multiple_answers=False, allows_revoting=True, members_only=False)},
        "dice": lambda: {"dice": Dice(emoji="🎲", value=3)},
        "audio": lambda: {"audio": Audio(**MEDIA, duration=3), "caption": caption},
        "animation": lambda: {"animation": Animation(**MEDIA, width=1, height=1, duration=1), "caption": caption},
    }[kind]()


messages = st.tuples(st.sampled_from(KINDS), texts,
                     st.one_of(st.just((35.1740, 126.9120)),  # Buk-gu
                               st.tuples(st.floats(-90, 90), st.floats(-180, 180))))


# -- the steps -------------------------------------------------------------------------------------
Setup = Callable[["Steps"], Awaitable[User]]


@dataclass(frozen=True)
class Step:
    state: str  # the FSM state the setup leaves the resident in
    sub: str | None  # the composer's step in the draft (broadcast, poll), or the official's action
    setup: Setup


class Steps:
    """Reaches each step with a fresh resident (officials and admins are reused)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.official: User | None = None
        self.admin: User | None = None
        self.debate: int | None = None

    async def filing(self, presses: int, back: bool = False) -> User:
        world, user = self.world, self.world.user()
        path = [("say", "/start"), ("say", "📝 File a complaint"), ("press", "f:category:roads"),
                ("press", "f:district:dong"), ("say", "A fine title"), ("say", "A long enough description."),
                ("press", "f:photos_done:"), ("press", "f:location_done:"), ("press", "f:anonymous:1")]
        for how, what in path[:presses]:
            await (world.say(user, what) if how == "say" else world.press(user, what))
        if back:
            await world.press(user, "f:back:")
        return user

    async def search(self) -> User:
        user = self.world.user()
        await self.world.press(user, BrowseCb(action=BrowseAction.SEARCH).pack())
        return user

    async def comment(self) -> User:
        world = self.world
        if self.debate is None:
            self.debate = await world.complaint(world.user(), "Shade sails for bus stops", "roads", "dong",
                                                Kind.PROPOSAL)
            for _ in range(2):  # the test city's goal: two endorsements move it to discussion
                await world.press(world.user(), ItemCb(action=ItemAction.ENDORSE, item=self.debate).pack())
        user = world.user()
        await world.press(user, DiscussCb(action=DiscussAction.STANCE, item=self.debate, value="support").pack())
        return user

    async def _official(self) -> User:
        if self.official is None:
            self.official = self.world.user(name="Wendy")
            await self.world.resident(self.official, Role.OFFICIAL, "water")
        await self.world.dp.fsm.get_context(self.world.bot, self.official.id, self.official.id).clear()
        return self.official

    async def _assignment(self) -> int:
        item = await self.world.complaint(self.world.user())
        (row,) = await self.world.rows("SELECT id FROM assignments WHERE item_id = :item AND department = 'water'",
                                       item=item)
        return row["id"]

    def official_action(self, action: OfficialAction, value: str = "") -> Setup:
        async def setup(steps: Steps) -> User:
            official = await self._official()
            assignment = await self._assignment()
            await self.world.press(official, OfficialCb(action=action, assignment=assignment, value=value).pack())
            return official
        return setup

    async def reply(self) -> User:
        world, filer = self.world, self.world.user()
        official = await self._official()
        item = await world.complaint(filer)
        (row,) = await world.rows("SELECT id FROM assignments WHERE item_id = :item AND department = 'water'",
                                  item=item)
        await world.press(official, OfficialCb(action=OfficialAction.ANSWER, assignment=row["id"]).pack())
        await world.say(official, "We are fixing the pipe today.")
        (answer,) = await world.rows("SELECT id FROM answers WHERE item_id = :item", item=item)
        await world.press(filer, ReplyCb(answer=answer["id"]).pack())
        return filer

    async def _admin(self) -> User:
        if self.admin is None:
            self.admin = self.world.user(name="Ada")
            await self.world.resident(self.admin, Role.ADMIN)
        await self.world.dp.fsm.get_context(self.world.bot, self.admin.id, self.admin.id).clear()  # a fresh start
        return self.admin

    def broadcast(self, typed: int) -> Setup:
        async def setup(steps: Steps) -> User:
            admin = await self._admin()
            await self.world.say(admin, "/broadcast")
            for text in ("주민 여러분 안녕하세요", "Hello, residents")[:typed]:
                await self.world.say(admin, text)
            return admin
        return setup

    def poll(self, typed: int, closes: bool = False) -> Setup:
        async def setup(steps: Steps) -> User:
            world, admin = self.world, await self._admin()
            await world.say(admin, "/newpoll")
            for text in ("질문입니까?", "A question?", "예 / Yes\n아니오 / No")[:typed]:
                await world.say(admin, text)
            if closes:
                await world.press(admin, PollCreateCb(action=poll_create.PollAction.CHOICE, value="s").pack())
                for action in (AudienceAction.EVERYONE, AudienceAction.DONE):
                    await world.press(admin, AudienceCb(flow=AudienceFlow.POLL, action=action).pack())
            return admin
        return setup


def _filing(presses: int, back: bool = False) -> Setup:
    return lambda steps: steps.filing(presses, back)


STEPS: dict[str, Step] = {
    "filing kind": Step(Filing.kind.state, None, _filing(2, back=True)),
    "filing category": Step(Filing.category.state, None, _filing(2)),
    "filing district": Step(Filing.district.state, None, _filing(3)),
    "filing title": Step(Filing.title.state, None, _filing(4)),
    "filing description": Step(Filing.body.state, None, _filing(5)),
    "filing photos": Step(Filing.photos.state, None, _filing(6)),
    "filing location": Step(Filing.location.state, None, _filing(7)),
    "filing anonymity": Step(Filing.anonymity.state, None, _filing(8)),
    "filing preview": Step(Filing.preview.state, None, _filing(9)),
    "search": Step(PendingInput.search.state, None, Steps.search),
    "stance comment": Step(PendingInput.comment.state, None, Steps.comment),
    "official answer": Step(PendingInput.official.state, OfficialAction.ANSWER.value,
                            lambda s: s.official_action(OfficialAction.ANSWER)(s)),
    "official not ours": Step(PendingInput.official.state, OfficialAction.DECLINE.value,
                              lambda s: s.official_action(OfficialAction.DECLINE)(s)),
    "official transfer note": Step(PendingInput.official.state, OfficialAction.TRANSFER_TO.value,
                                   lambda s: s.official_action(OfficialAction.TRANSFER_TO, "civil")(s)),
    "official status note": Step(PendingInput.official.state, OfficialAction.STATUS_TO.value,
                                 lambda s: s.official_action(OfficialAction.STATUS_TO, "in_progress")(s)),
    "filer's reply": Step(PendingInput.reply.state, None, Steps.reply),
    "broadcast korean": Step(PendingInput.broadcast.state, "ko", lambda s: s.broadcast(0)(s)),
    "broadcast english": Step(PendingInput.broadcast.state, "en", lambda s: s.broadcast(1)(s)),
    "broadcast photo": Step(PendingInput.broadcast.state, "photo", lambda s: s.broadcast(2)(s)),
    "poll question ko": Step(PendingInput.poll.state, "qko", lambda s: s.poll(0)(s)),
    "poll question en": Step(PendingInput.poll.state, "qen", lambda s: s.poll(1)(s)),
    "poll options": Step(PendingInput.poll.state, "options", lambda s: s.poll(2)(s)),
    "poll closing date": Step(PendingInput.poll.state, "closes", lambda s: s.poll(3, closes=True)(s)),
}
# Where each composer keeps its sub-step in the conversation state.
SUB_STEP = {PendingInput.official.state: ("official", "action"), PendingInput.broadcast.state: ("broadcast", "step"),
            PendingInput.poll.state: ("poll_create", "step")}


def _states_groups() -> list[type[StatesGroup]]:
    found: dict[str, type[StatesGroup]] = {}
    for module in pkgutil.walk_packages(handlers.__path__, "handlers."):
        for _, value in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(value, StatesGroup) and value is not StatesGroup:
                found[value.__full_group_name__] = value
    return list(found.values())


def test_every_state_is_fuzzed() -> None:
    states = {state.state for group in _states_groups() for state in group.__all_states__}
    assert states, "no conversation states found"
    assert states - {step.state for step in STEPS.values()} == set(), "a conversation state nobody fuzzes"
    typed_subs = {("broadcast", str(s)) for s in (broadcast_compose.Step.KO, broadcast_compose.Step.EN,
                                                   broadcast_compose.Step.PHOTO)}
    typed_subs |= {("poll_create", str(s)) for s in poll_create.TYPED}
    covered = {(SUB_STEP[step.state][0], step.sub) for step in STEPS.values() if step.state in SUB_STEP}
    assert typed_subs - covered == set(), "a composer's typed step nobody fuzzes"


# -- what must hold --------------------------------------------------------------------------------
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides, isolates


def readable(text: str) -> bool:
    """No control characters, no bidirectional control left to turn the bot's own text around,
    and something that shows (not only zero-width, format or combining characters)."""
    return (not CONTROL.search(text) and not BIDI_CONTROLS.search(text)
            and any(unicodedata.category(c) not in ("Zs", "Cc", "Cf", "Mn", "Me") for c in text))


async def assert_stored_rows_valid(world: World) -> None:
    """Every resident-typed text the database holds meets the input rules."""
    codes = {"district": {d.code for d in world.city.districts}, "category": {c.code for c in world.city.categories}}
    for item in await world.rows("SELECT title, body, district, category FROM items"):
        title, body = item["title"], item["body"]
        assert rules.TITLE_MIN <= len(title) <= rules.TITLE_MAX and title == " ".join(title.split()), repr(title)
        assert rules.BODY_MIN <= len(body) <= rules.BODY_MAX and body == body.strip(), len(body)
        assert item["district"] in codes["district"] and item["category"] in codes["category"]
    limits = {"SELECT comment AS t FROM stances WHERE comment IS NOT NULL": rules.COMMENT_MAX,
              "SELECT body AS t FROM answers WHERE author = 'department'": rules.ANSWER_MAX,
              "SELECT body AS t FROM answers WHERE author <> 'department'": rules.REPLY_MAX,
              "SELECT note AS t FROM assignments WHERE note IS NOT NULL": rules.NOTE_MAX,
              "SELECT note AS t FROM status_events WHERE note IS NOT NULL AND actor LIKE 'official:%'": rules.NOTE_MAX}
    for query, limit in limits.items():
        for row in await world.rows(query):
            assert 1 <= len(row["t"]) <= limit and row["t"] == row["t"].strip(), (query, len(row["t"]))
    texts = ["SELECT title AS t FROM items", "SELECT body AS t FROM items", *limits]
    for query in texts:
        for row in await world.rows(query):
            assert readable(row["t"]), (query, row["t"][:80])


def assert_draft_valid(step: Step, data: dict) -> None:
    """What a step accepted into a draft meets the rules the service will apply."""
    draft = (data.get("filing") or {}).get("draft") or {}
    if title := draft.get("title"):
        assert rules.TITLE_MIN <= len(title) <= rules.TITLE_MAX and readable(title), repr(title)
    if body := draft.get("body"):
        assert rules.BODY_MIN <= len(body) <= rules.BODY_MAX and readable(body), repr(body[:80])
    for text in (data.get("broadcast") or {}).get("texts", {}).values():
        assert 1 <= rules.units(text) <= rules.BROADCAST_TEXT_MAX and readable(text), repr(text[:80])
    poll = data.get("poll_create") or {}
    for text in poll.get("question", {}).values():
        assert 1 <= len(text) <= rules.POLL_QUESTION_MAX and readable(text), repr(text)
    for option in poll.get("options", []):
        assert all(1 <= len(t) <= rules.POLL_OPTION_MAX and readable(t) for t in option.values()), option


@pytest.mark.parametrize("name", list(STEPS))
def test_anything_sent_at_any_step(name: str, loop_and_database) -> None:  # type: ignore[no-untyped-def]
    loop, url = loop_and_database
    step = STEPS[name]
    world = World(url)
    loop.run_until_complete(world.start())
    steps = Steps(world)

    async def where(user: User) -> tuple[str | None, str | None]:
        state, data = await world.state(user)
        if state not in SUB_STEP:
            return state, None
        section, field = SUB_STEP[state]
        return state, str((data.get(section) or {}).get(field))

    async def reach() -> User:
        user = await step.setup(steps)
        assert await where(user) == (step.state, step.sub), f"the setup of {name!r} did not reach it"
        return user

    async def check(user: User, message: Message, edited: bool = False) -> None:
        calls = await world.send(user, message, edited=edited)
        assert world.session.to_chat(user.id, len(world.session.calls) - len(calls)), "no answer"
        assert_draft_valid(step, (await world.state(user))[1])
        await assert_stored_rows_valid(world)

    async def one(kind: str, text: str, point: tuple[float, float]) -> None:
        user = await reach()
        message = world.message(user, **content(kind, text, *point))
        if kind == "edited":
            message = message.model_copy(update={"edit_date": int(dt.datetime.now(dt.UTC).timestamp())})
        await check(user, message, edited=kind == "edited")

    async def every_tricky_text() -> None:
        """Each text a step knows, at the step (reached again only when the step moved on)."""
        user = await reach()
        for text in TRICKY:
            if await where(user) != (step.state, step.sub):
                user = await reach()
            await check(user, world.message(user, text=text))

    @settings(max_examples=25, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(sent=messages)
    def anything(sent: tuple[str, str, tuple[float, float]]) -> None:
        with Errors() as errors:
            loop.run_until_complete(one(*sent))
        assert errors.records == [], errors.describe()

    try:
        with Errors() as errors:
            loop.run_until_complete(every_tricky_text())
        assert errors.records == [], errors.describe()
        anything()
    finally:
        loop.run_until_complete(world.close())
    assert not any("went wrong" in text for text in world.session.texts())
