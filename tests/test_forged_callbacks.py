"""Property: a forged, replayed or garbage button press, built from the bot's own callback-data
classes (every CallbackData subclass in handlers/, every value of every enum field), is answered
and changes nothing: not another resident's items, answers, follow-ups or assignments, not hidden
or private items, not moderators', officials' or admins' actions, not a finished conversation.
Nothing hidden or private is shown either.

The presser is a resident without any role, then an official of another department. The database
holds only what they must not touch (every item hidden or private, a closed poll, a broadcast of
an admin), so every table but the presser's own resident row (and chosen topics) must stay as it
was. `test_every_callback_class_is_forged` fails when a new CallbackData class has no strategy.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import inspect
import pkgutil
import typing
from enum import Enum

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import SQLModel

import handlers
from handlers.audience import AudienceAction, AudienceCb, AudienceFlow
from handlers.broadcasts.callbacks import ComposeAction, ComposeCb
from handlers.callbacks import DiscussAction, DiscussCb, FilingAction, FilingCb, ItemAction, ItemCb
from handlers.officials.callbacks import OfficialAction, OfficialCb
from storage.audience import Audience
from storage.lifecycle import Kind
from storage.services.broadcasts import BroadcastService
from storage.services.polls import PollDraft, PollService
from storage.vocabulary import Role
from tests.abuse import Errors, World

SECRET = "Zyxt private conduct"  # words only the hidden and private items hold
HUGE = 2_147_483_647


def callback_classes() -> list[type[CallbackData]]:
    found: set[type[CallbackData]] = set()
    for module in pkgutil.walk_packages(handlers.__path__, "handlers."):
        for _, value in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(value, CallbackData) and value is not CallbackData:
                found.add(value)
    return sorted(found, key=lambda cls: cls.__prefix__)


def _field_strategy(annotation: object, ids: list[int], codes: list[str]) -> st.SearchStrategy:
    base = typing.get_origin(annotation) is typing.Annotated and typing.get_args(annotation)[0] or annotation
    if isinstance(base, type) and issubclass(base, Enum):
        return st.sampled_from(list(base))
    if base is bool:
        return st.booleans()
    if base is int:
        return st.sampled_from([0, 1, 2, 3, *ids, HUGE]) if ids else st.integers(0, 10)
    return st.one_of(st.sampled_from(codes), st.text(max_size=12))


def forged(cls: type[CallbackData], ids: list[int], codes: list[str]) -> st.SearchStrategy[str]:
    """Packed data of `cls` with every field drawn from the values that matter; values the class
    refuses (a number out of its range) are left out, as the bot could never have sent them."""
    fields = {name: _field_strategy(info.annotation, ids, codes) for name, info in cls.model_fields.items()}

    def pack(values: dict) -> str | None:
        try:
            data = cls(**values).pack()
        except ValueError:
            return None
        return data if len(data.encode()) <= 64 else None

    return st.fixed_dictionaries(fields).map(pack).filter(lambda data: data is not None)  # type: ignore[arg-type]


garbage = st.one_of(
    st.text(max_size=64).filter(lambda s: len(s.encode()) <= 64),
    st.binary(min_size=64, max_size=64).map(lambda b: b.hex()[:64]),
    st.sampled_from(["", ":", "i", "i:", "i:endorse", "i:endorse:-1", "i:endorse:x", "i:endorse:1:b:0:extra",
                     "zz:1", "f:nope:", "o:v:99999999999", "pl:a:1:99:0", "set:lang:xx", "mod:restore:item:0",
                     "x:maybe", "fu:1:2", "st:p:0", "a" * 64, "%s%n\x00'\";--", "😀" * 16]),
)


class Scene:
    """A victim's items the pressers must not touch, and the ids and codes forged data names."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.ids: list[int] = []

    async def build(self) -> None:
        world = self.world
        victim, official, admin = world.user(name="Vic"), world.user(name="Wendy"), world.user(name="Ada")
        await world.resident(official, Role.OFFICIAL, "water")
        admin_row = await world.resident(admin, Role.ADMIN)
        complaint = await world.complaint(victim, f"{SECRET} water")
        (assignment,) = await world.rows("SELECT id FROM assignments WHERE item_id = :i AND department = 'water'",
                                         i=complaint)
        await world.press(official, OfficialCb(action=OfficialAction.ANSWER, assignment=assignment["id"]).pack())
        await world.say(official, "We are fixing the pipe today.")
        await world.complaint(victim, f"{SECRET} conduct", "officials", "dong")
        proposal = await world.complaint(victim, f"{SECRET} shade", "roads", "dong", Kind.PROPOSAL)
        for _ in range(2):
            await world.press(world.user(), ItemCb(action=ItemAction.ENDORSE, item=proposal).pack())
        commenter = world.user()
        await world.press(commenter, DiscussCb(action=DiscussAction.STANCE, item=proposal, value="support").pack())
        await world.say(commenter, f"{SECRET} comment")
        async with world.session_factory() as session:
            await BroadcastService(session, world.city).announce(
                admin_row.id, {"ko": "공지", "en": "Notice"}, Audience(everyone=True), progress_chat_id=admin.id)
        async with world.session_factory() as session:
            await PollService(session, world.city).create(None, PollDraft(
                question={"ko": "질문?", "en": "Question?"}, options=[{"ko": "예", "en": "Yes"}, {"ko": "아니", "en": "No"}],
                audience=Audience(everyone=True), closes_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)))
        async with world.engine.begin() as connection:
            await connection.execute(text("UPDATE items SET status = 'hidden' WHERE is_private = false"))
            await connection.execute(text("UPDATE stances SET hidden = true"))
            await connection.execute(text("UPDATE polls SET closed_at = created_at"))
            await connection.execute(text("UPDATE items SET status = 'resolved', followup_due_at = created_at "
                                          "WHERE id = :i"), {"i": complaint})
            await connection.execute(text("UPDATE items SET status = 'hidden' WHERE id = :i"), {"i": complaint})
        ids: set[int] = set()
        for table in ("items", "answers", "assignments", "stances", "broadcasts", "polls", "residents"):
            ids |= {row["id"] for row in await world.rows(f"SELECT id FROM {table}")}  # noqa: S608 (a fixed list)
        self.ids = sorted(ids)

    def codes(self) -> list[str]:
        city = self.world.city
        return ["", "ko", "en", "xx", "new", "top", "1", "0", "y", "s", "support", "other", "spam", "in_progress",
                "hidden", "policy", *(d.code for d in city.districts), *(c.code for c in city.categories),
                *(d.code for d in city.departments), "sort", "district", "category", "kind", "stage"]

    async def snapshot(self, presser: User) -> dict[str, list]:
        """Every table, but the presser's own resident row and topics (settings are theirs to change)."""
        own = await self.world.rows("SELECT id FROM residents WHERE telegram_id = :t", t=presser.id)
        mine = own[0]["id"] if own else -1
        tables: dict[str, list] = {}
        for table in SQLModel.metadata.sorted_tables:
            rows = await self.world.rows(f"SELECT * FROM {table.name}")  # noqa: S608 (names from the models)
            if table.name == "residents":
                rows = [row for row in rows if row["id"] != mine]
            if table.name == "resident_topics":
                rows = [row for row in rows if row["resident_id"] != mine]
            tables[table.name] = sorted(rows, key=repr)
        return tables


def test_every_callback_class_is_forged() -> None:
    classes = callback_classes()
    assert len(classes) >= 20
    prefixes = [cls.__prefix__ for cls in classes]
    assert len(set(prefixes)) == len(prefixes), "two kinds of buttons share a prefix: one router takes both"
    for cls in classes:  # each has a strategy (raises if a field type is new to this test)
        forged(cls, [1, 2], ["x"]).example()


def _pressing(world: World, scene: Scene, presser: User, loop: asyncio.AbstractEventLoop):  # type: ignore[no-untyped-def]
    async def press(data: str) -> None:
        before = await scene.snapshot(presser)
        since = len(world.session.calls)
        calls = await world.press(presser, data)
        assert any(isinstance(call, AnswerCallbackQuery) for call in calls), f"{data!r} was not answered"
        assert not any(SECRET in text for text in world.session.texts(since)), f"{data!r} showed a hidden item"
        after = await scene.snapshot(presser)
        changed = [name for name in before if before[name] != after[name]]
        assert changed == [], f"{data!r} changed {changed}"
        # Whatever the press began (a filing, a search) is left behind, as a resident would.
        await world.dp.fsm.get_context(world.bot, presser.id, presser.id).clear()

    def run(data: str) -> None:
        with Errors() as errors:
            loop.run_until_complete(press(data))
        assert errors.records == [], f"{data!r}: {errors.describe()}"
    return run


@pytest.mark.parametrize("role", ["resident", "official of another department"])
def test_forged_presses_change_nothing(loop_and_database, role: str) -> None:  # type: ignore[no-untyped-def]
    loop, url = loop_and_database
    world = World(url)
    loop.run_until_complete(world.start())
    scene = Scene(world)
    loop.run_until_complete(scene.build())
    presser = world.user(name="Mallory")
    loop.run_until_complete(world.resident(presser, Role.OFFICIAL if role != "resident" else None,
                                           "civil" if role != "resident" else None))
    run = _pressing(world, scene, presser, loop)
    strategy = st.one_of(*(forged(cls, scene.ids, scene.codes()) for cls in callback_classes()), garbage)

    @settings(max_examples=150, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(data=strategy)
    def presses(data: str) -> None:
        run(data)

    try:
        presses()
        for cls in callback_classes():  # each class systematically: every value of its first enum field
            enum_fields = [name for name, info in cls.model_fields.items()
                           if isinstance(info.annotation, type) and issubclass(info.annotation, Enum)]
            if not enum_fields:
                continue
            for value in cls.model_fields[enum_fields[0]].annotation:  # type: ignore[union-attr]
                for target in (scene.ids[0], scene.ids[-1]):
                    data = _build(cls, {enum_fields[0]: value}, target)
                    if data is not None:
                        run(data)
    finally:
        loop.run_until_complete(world.close())


def _build(cls: type[CallbackData], fixed: dict, target: int) -> str | None:
    values = dict(fixed)
    for name, info in cls.model_fields.items():
        if name in values or not info.is_required():
            continue
        base = typing.get_args(info.annotation)[0] if typing.get_origin(info.annotation) is typing.Annotated \
            else info.annotation
        values[name] = target if base is int else (next(iter(base)) if isinstance(base, type) and issubclass(base, Enum)
                                                   else True if base is bool else "x")
    try:
        return cls(**values).pack()
    except ValueError:
        return None


def test_buttons_of_a_finished_filing_change_nothing(loop_and_database) -> None:  # type: ignore[no-untyped-def]
    """A resident files a complaint, then presses every button of the finished conversation again."""
    loop, url = loop_and_database
    world = World(url)
    loop.run_until_complete(world.start())
    scene = Scene(world)
    filer = world.user(name="Filer")

    async def file() -> None:
        for how, what in [("say", "/start"), ("say", "📝 File a complaint"), ("press", "f:category:roads"),
                          ("press", "f:district:dong"), ("say", "A fine title"), ("say", "A long enough description."),
                          ("press", "f:photos_done:"), ("press", "f:location_done:"), ("press", "f:anonymous:1"),
                          ("press", "f:submit:")]:
            await (world.say(filer, what) if how == "say" else world.press(filer, what))
        assert len(await world.rows("SELECT id FROM items")) == 1

    loop.run_until_complete(file())
    run = _pressing(world, scene, filer, loop)
    try:
        for action in FilingAction:
            for value in ("", "1", "0", "roads", "dong", "title", "complaint", "proposal"):
                run(FilingCb(action=action, value=value).pack())
    finally:
        loop.run_until_complete(world.close())


def test_buttons_of_finished_steps_change_nothing(loop_and_database) -> None:  # type: ignore[no-untyped-def]
    """Buttons of conversations that ended: a comment's Skip once the comment was saved, a
    broadcast's Confirm once it was sent, an audience picker's buttons after Done."""
    loop, url = loop_and_database
    world = World(url)
    loop.run_until_complete(world.start())
    scene = Scene(world)
    resident, admin = world.user(name="Rita"), world.user(name="Ada")

    async def finish() -> tuple[list[str], list[str]]:
        proposal = await world.complaint(world.user(), "Shade sails for bus stops", "roads", "dong", Kind.PROPOSAL)
        for _ in range(2):
            await world.press(world.user(), ItemCb(action=ItemAction.ENDORSE, item=proposal).pack())
        await world.press(resident, DiscussCb(action=DiscussAction.STANCE, item=proposal, value="oppose").pack())
        await world.say(resident, "Too costly for what it gives.")
        await world.resident(admin, Role.ADMIN)
        for how, what in [("say", "/broadcast"), ("say", "주민 여러분 안녕하세요"), ("say", "Hello, residents"),
                          ("press", ComposeCb(action=ComposeAction.SKIP_PHOTO).pack()),
                          ("press", AudienceCb(flow=AudienceFlow.BROADCAST, action=AudienceAction.EVERYONE).pack()),
                          ("press", AudienceCb(flow=AudienceFlow.BROADCAST, action=AudienceAction.DONE).pack())]:
            await (world.say(admin, what) if how == "say" else world.press(admin, what))
        _, data = await world.state(admin)
        version = data["broadcast"]["version"]
        await world.press(admin, ComposeCb(action=ComposeAction.CONFIRM, version=version).pack())
        assert len(await world.rows("SELECT id FROM broadcasts")) == 1
        assert (await world.rows("SELECT comment FROM stances"))[0]["comment"] == "Too costly for what it gives."
        return [DiscussCb(action=DiscussAction.SKIP, item=proposal, value=stance).pack()
                for stance in ("oppose", "support", "neutral")], [
            ComposeCb(action=action, version=version).pack() for action in ComposeAction] + [
            AudienceCb(flow=AudienceFlow.BROADCAST, action=action).pack() for action in AudienceAction]

    skips, composer = loop.run_until_complete(finish())
    try:
        for data in skips:
            _pressing(world, scene, resident, loop)(data)
        for data in composer:
            if data.startswith("bc:new"):
                continue  # a new draft is the admin's to start: a fresh conversation, not a stale one
            _pressing(world, scene, admin, loop)(data)
    finally:
        loop.run_until_complete(world.close())
