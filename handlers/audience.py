"""The audience picker that the broadcast composer and the poll creator share: Everyone,
districts, the followers of categories, the residents who opted in to topics (any mix: a
resident in several counts once), then Done.

The choice lives in the conversation state as `Audience.to_json()` (section "audience"), with
the conversation that asked for it. Each composer registers a `Flow`: who may use it (read in
the database at every press, so a forged press changes nothing) and what Done leads to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.quote import fit
from handlers.replies import Pressed, edit_in_place
from handlers.state import Section
from storage.audience import Audience, AudienceError
from storage.city import CityConfig, Named
from storage.models import Resident, stored_id


class AudienceFlow(StrEnum):
    """The conversation a picker belongs to."""

    BROADCAST = "b"
    POLL = "p"


class AudienceAction(StrEnum):
    MENU = "m"  # the picker's first screen
    EVERYONE = "e"  # toggles Everyone
    DISTRICTS = "d"  # the districts' toggles
    CATEGORIES = "c"
    TOPICS = "t"
    DISTRICT = "td"  # toggles one (value: its code)
    CATEGORY = "tc"
    TOPIC = "tt"
    DONE = "ok"


class AudienceCb(CallbackData, prefix="au"):
    flow: AudienceFlow
    action: AudienceAction
    value: str = ""  # a code of the city file (at most 24 characters)


# Each toggle: the Audience field it changes and the screen it is on.
TOGGLES = {AudienceAction.DISTRICT: ("districts", AudienceAction.DISTRICTS),
           AudienceAction.CATEGORY: ("categories", AudienceAction.CATEGORIES),
           AudienceAction.TOPIC: ("topics", AudienceAction.TOPICS)}
SCREENS = {screen: (field, toggle) for toggle, (field, screen) in TOGGLES.items()}
# Room for one group's names on a screen (40 districts of 40 characters would not fit three times).
NAMES_ROOM = 600
SUMMARY_KEYS = {"districts": "audience-summary-districts", "categories": "audience-summary-categories",
                "topics": "audience-summary-topics"}
SCREEN_KEYS = {AudienceAction.DISTRICTS: "audience-choose-districts",
               AudienceAction.CATEGORIES: "audience-choose-categories",
               AudienceAction.TOPICS: "audience-choose-topics"}


class Choice(Section):
    key: ClassVar[str] = "audience"
    flow: AudienceFlow | None = None
    chosen: dict[str, Any] = {}  # Audience.to_json()

    @property
    def audience(self) -> Audience:
        return Audience.from_json(self.chosen)


Allowed = Callable[[Services, int], Awaitable[bool]]
Chosen = Callable[[CallbackQuery, FSMContext, Services, I18nContext, Resident, Audience], Awaitable[None]]


@dataclass(frozen=True)
class Flow:
    allowed: Allowed  # who may use this picker, asked at every press
    chosen: Chosen  # Done: what comes next (the audience names someone and only the city's codes)
    refusal: str  # the text for anyone else


FLOWS: dict[AudienceFlow, Flow] = {}


def register(flow: AudienceFlow, allowed: Allowed, chosen: Chosen, refusal: str) -> None:
    FLOWS[flow] = Flow(allowed, chosen, refusal)


def choices(city: CityConfig, field: str) -> list[Named]:
    """The city file's districts, categories or topics."""
    if field == "districts":
        return list(city.districts)
    return list(city.categories) if field == "categories" else list(city.topics)


def _names(city: CityConfig, field: str, codes: tuple[str, ...], language: str) -> str:
    by_code = {entry.code: entry.name(language) for entry in choices(city, field)}
    return fit(", ".join(by_code.get(code, code) for code in codes), NAMES_ROOM, "…")


def summary(i18n: I18nContext, city: CityConfig, audience: Audience) -> str:
    """The audience in words, one line per group (also on the composers' previews)."""
    if audience.is_empty():
        return i18n.get("audience-nobody")
    lines = [i18n.get("audience-everyone")] if audience.everyone else []
    for field, key in SUMMARY_KEYS.items():
        if codes := getattr(audience, field):
            lines.append(i18n.get(key, names=_names(city, field, codes, i18n.locale)))
    return "\n".join(lines)


async def size_line(i18n: I18nContext, services: Services, audience: Audience) -> str:
    """How many residents the audience names now (the picker and the previews)."""
    try:
        return i18n.get("audience-size", count=await services.broadcast_reads.audience_size(audience))
    except AudienceError:  # a code the city file no longer has
        return i18n.get("audience-unknown")


async def _view(i18n: I18nContext, services: Services, flow: AudienceFlow, audience: Audience,
                screen: AudienceAction) -> tuple[str, InlineKeyboardMarkup]:
    city = services.city
    text = i18n.get("audience-head") + "\n\n" + summary(i18n, city, audience)
    if not audience.is_empty():
        text += "\n\n" + await size_line(i18n, services, audience)
    builder = InlineKeyboardBuilder()
    if screen in SCREENS:
        field, toggle = SCREENS[screen]
        chosen = getattr(audience, field)
        entries = choices(city, field)
        for entry in entries:
            mark = "☑️" if entry.code in chosen else "⬜"
            builder.button(text=f"{mark} {entry.name(i18n.locale)}",
                           callback_data=AudienceCb(flow=flow, action=toggle, value=entry.code))
        builder.button(text=i18n.get("audience-btn-back"), callback_data=AudienceCb(flow=flow, action=AudienceAction.MENU))
        builder.adjust(*([2] * (len(entries) // 2)), *([1] if len(entries) % 2 else []), 1)
        return text + "\n\n" + i18n.get(SCREEN_KEYS[screen]), builder.as_markup()
    mark = "☑️ " if audience.everyone else ""
    builder.button(text=mark + i18n.get("audience-btn-everyone"),
                   callback_data=AudienceCb(flow=flow, action=AudienceAction.EVERYONE))
    groups = [(AudienceAction.DISTRICTS, "audience-btn-districts", audience.districts),
              (AudienceAction.CATEGORIES, "audience-btn-categories", audience.categories)]
    if city.topics:
        groups.append((AudienceAction.TOPICS, "audience-btn-topics", audience.topics))
    for action, key, codes in groups:
        builder.button(text=i18n.get(key, count=len(codes)), callback_data=AudienceCb(flow=flow, action=action))
    builder.button(text=i18n.get("audience-btn-done"), callback_data=AudienceCb(flow=flow, action=AudienceAction.DONE))
    builder.adjust(1, len(groups), 1)
    return text, builder.as_markup()


async def start(message: Pressed, state: FSMContext, services: Services, i18n: I18nContext, flow: AudienceFlow,
                audience: Audience | None = None) -> None:
    """Sends the picker, with `audience` already chosen (when changing a draft's)."""
    chosen = audience or Audience()
    await Choice(flow=flow, chosen=chosen.to_json()).save(state)
    text, markup = await _view(i18n, services, flow, chosen, AudienceAction.MENU)
    await message.answer(text, reply_markup=markup)


def _toggled(audience: Audience, field: str, code: str) -> Audience:
    codes: tuple[str, ...] = getattr(audience, field)
    changed = tuple(c for c in codes if c != code) if code in codes else (*codes, code)
    return Audience.from_json({**audience.to_json(), field: list(changed)})


async def pressed(callback: CallbackQuery, callback_data: AudienceCb, state: FSMContext, services: Services,
                  i18n: I18nContext, resident: Resident) -> None:
    flow = FLOWS.get(callback_data.flow)
    if flow is None:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    if not await flow.allowed(services, stored_id(resident)):
        await callback.answer(i18n.get(flow.refusal), show_alert=True)
        return
    choice = await Choice.load(state)
    action = callback_data.action
    if choice.flow is not callback_data.flow:  # an old picker, or not this resident's
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    audience, screen = choice.audience, action
    if action is AudienceAction.EVERYONE:
        audience, screen = Audience.from_json({**audience.to_json(), "everyone": not audience.everyone}), \
            AudienceAction.MENU
    elif action in TOGGLES:
        field, screen = TOGGLES[action]
        if callback_data.value not in {entry.code for entry in choices(services.city, field)}:
            await callback.answer(i18n.get("error-stale-button"), show_alert=True)
            return
        audience = _toggled(audience, field, callback_data.value)
    elif action is AudienceAction.DONE:
        if audience.is_empty():
            await callback.answer(i18n.get("audience-choose-someone"), show_alert=True)
            return
        await Choice.drop(state)  # this picker's buttons are done with
        await flow.chosen(callback, state, services, i18n, resident, audience)
        return
    await Choice(flow=choice.flow, chosen=audience.to_json()).save(state)
    await edit_in_place(callback, *await _view(i18n, services, callback_data.flow, audience, screen))


def build_router() -> Router:
    router = Router(name="audience")
    router.callback_query.register(pressed, AudienceCb.filter())
    return router
