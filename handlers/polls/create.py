"""/newpoll: an admin creates an "Asking Citizens" poll in the bot: the question in Korean and
in English, the options (one a line, `한국어 / English`, 2 to 10), single or multiple choice,
the audience (handlers/audience.py), when it closes (1, 3, 7 or 14 days, or a typed date),
whether residents see the results after answering, then a preview with the audience's size
and Confirm, which calls PollService.create (storage/services/polls.py: the one check of a
draft, and who may).

Like the broadcast composer, the draft lives while PendingInput.poll does, who may is read in
the database at every step, and a refused or mistaken input keeps the draft.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from html import escape
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers import audience as picker
from handlers.audience import AudienceFlow
from handlers.broadcasts.callbacks import Version
from handlers.composer import Composer, ComposerDraft, ComposerTexts
from handlers.filters import When
from handlers.keyboards import typed_text
from handlers.pending_input import PendingInput
from handlers.replies import Pressed, edit_in_place, pressed
from storage import rules
from storage.audience import Audience
from storage.city import CityConfig
from storage.drafts import clean_line
from storage.models import Resident, stored_id
from storage.services.polls import PollDraft, PollRefused
from storage.vocabulary import LANGUAGES

REFUSALS = {"not-allowed": "poll-refused-not-allowed", "question": "poll-refused-question",
            "options-count": "poll-refused-options-count", "option": "poll-refused-option",
            "closes": "poll-refused-closes", "audience": "poll-refused-audience"}
DAYS = (1, 3, 7, 14)  # the closing buttons
DATE = re.compile(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})\s*$")


class Step(StrEnum):
    QUESTION_KO = "qko"
    QUESTION_EN = "qen"
    OPTIONS = "options"
    CHOICE = "choice"
    AUDIENCE = "audience"
    CLOSES = "closes"
    RESULTS = "results"
    PREVIEW = "preview"


TYPED = (Step.QUESTION_KO, Step.QUESTION_EN, Step.OPTIONS, Step.CLOSES)
ORDER = (Step.QUESTION_KO, Step.QUESTION_EN, Step.OPTIONS, Step.CHOICE, Step.AUDIENCE, Step.CLOSES, Step.RESULTS,
         Step.PREVIEW)


class PollAction(StrEnum):
    START = "new"  # the admins' tools button: same as /newpoll
    CHOICE = "ch"  # value: s (single) or m (multiple)
    DAYS = "dy"  # value: days until it closes
    RESULTS = "rs"  # value: y or n
    SAMPLE = "sa"  # an option on the preview: only a sample
    CONFIRM = "ok"
    EDIT = "ed"
    EDIT_STEP = "es"  # value: the Step to change
    PREVIEW = "pv"
    CANCEL = "no"


class PollCreateCb(CallbackData, prefix="pc"):
    action: PollAction
    value: str = ""
    version: Version = 0


class PollComposition(ComposerDraft):
    key: ClassVar[str] = "poll_create"
    step: Step | None = None
    question: dict[str, str] = {}
    options: list[dict[str, str]] = []
    multiple: bool = False
    audience: dict[str, Any] = {}  # Audience.to_json()
    closes_at: dt.datetime | None = None
    show_results: bool = True

    def draft(self) -> PollDraft:
        return PollDraft(question=dict(self.question), options=[dict(o) for o in self.options],
                         audience=Audience.from_json(self.audience),
                         closes_at=self.closes_at or dt.datetime.min.replace(tzinfo=dt.UTC),
                         multiple=self.multiple, show_results=self.show_results)


# -- who may -------------------------------------------------------------------------------------
async def allowed(services: Services, resident_id: int) -> bool:
    return await services.poll_reads.may_create(resident_id)


COMPOSER = Composer(PollComposition, PendingInput.poll, allowed, Step.PREVIEW, ComposerTexts(
    refused="poll-refused-not-allowed", gone="poll-create-draft-gone", outdated="poll-create-preview-outdated",
    dropped="poll-create-dropped"))


# -- asking --------------------------------------------------------------------------------------
def _buttons(pairs: list[tuple[str, PollCreateCb]], width: int = 2) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for text, data in pairs:
        builder.button(text=text, callback_data=data)
    builder.adjust(width)
    return builder.as_markup()


def _last_day(city: CityConfig, now: dt.datetime) -> dt.date:
    """The last date a typed closing date may name (it closes at the end of that day)."""
    latest = now + dt.timedelta(days=rules.POLL_DAYS_MAX)
    local = city.local(latest)
    end_of_day = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), local.tzinfo)
    return local.date() if end_of_day <= latest else local.date() - dt.timedelta(days=1)


async def _ask(target: Pressed, draft: PollComposition, state: FSMContext, services: Services,
               i18n: I18nContext) -> None:
    await state.set_state(PendingInput.poll)
    await draft.save(state)
    step = draft.step
    if step is Step.QUESTION_KO:
        await target.answer(i18n.get("poll-create-ask-question-ko", max=rules.POLL_QUESTION_MAX))
    elif step is Step.QUESTION_EN:
        await target.answer(i18n.get("poll-create-ask-question-en", max=rules.POLL_QUESTION_MAX))
    elif step is Step.OPTIONS:
        await target.answer(i18n.get("poll-create-ask-options", min=rules.POLL_OPTIONS_MIN,
                                     max=rules.POLL_OPTIONS_MAX, length=rules.POLL_OPTION_MAX))
    elif step is Step.CHOICE:
        await target.answer(i18n.get("poll-create-ask-choice"), reply_markup=_buttons([
            (i18n.get("poll-create-btn-single"), PollCreateCb(action=PollAction.CHOICE, value="s")),
            (i18n.get("poll-create-btn-multiple"), PollCreateCb(action=PollAction.CHOICE, value="m"))], 1))
    elif step is Step.AUDIENCE:
        await picker.start(target, state, services, i18n, AudienceFlow.POLL, Audience.from_json(draft.audience))
    elif step is Step.CLOSES:
        last = _last_day(services.city, services.clock())
        await target.answer(i18n.get("poll-create-ask-closes", last=last.isoformat()), reply_markup=_buttons([
            (i18n.get("poll-create-btn-days", days=days), PollCreateCb(action=PollAction.DAYS, value=str(days)))
            for days in DAYS], 4))
    elif step is Step.RESULTS:
        await target.answer(i18n.get("poll-create-ask-results"), reply_markup=_buttons([
            (i18n.get("poll-create-btn-results-yes"), PollCreateCb(action=PollAction.RESULTS, value="y")),
            (i18n.get("poll-create-btn-results-no"), PollCreateCb(action=PollAction.RESULTS, value="n"))], 1))


async def _next(target: Pressed, draft: PollComposition, state: FSMContext, services: Services,
                i18n: I18nContext) -> None:
    """After a step: the preview when changing a composed draft, else the step that follows."""
    if draft.editing or draft.step is Step.RESULTS:
        await _preview(target, draft, state, services, i18n)
        return
    draft.step = ORDER[ORDER.index(draft.step or Step.QUESTION_KO) + 1]
    await _ask(target, draft, state, services, i18n)


async def begin(target: Pressed, state: FSMContext, services: Services, i18n: I18nContext,
                resident: Resident) -> None:
    if (draft := await COMPOSER.fresh(target, state, services, i18n, resident)) is None:
        return
    draft.step = Step.QUESTION_KO
    await _ask(target, draft, state, services, i18n)


async def newpoll_command(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                          resident: Resident) -> None:
    await begin(message, state, services, i18n, resident)


async def start_button(callback: CallbackQuery, state: FSMContext, services: Services, i18n: I18nContext,
                       resident: Resident) -> None:
    if await COMPOSER.refused(callback, services, i18n, resident):
        return
    await callback.answer()
    await begin(pressed(callback), state, services, i18n, resident)


# -- typed input ---------------------------------------------------------------------------------
def parse_options(i18n: I18nContext, text: str) -> list[dict[str, str]] | str:
    """The options, one a line as `한국어 / English`, or what is wrong with them."""
    lines = [line for line in (clean_line(raw) for raw in text.splitlines()) if line]
    if not rules.POLL_OPTIONS_MIN <= len(lines) <= rules.POLL_OPTIONS_MAX:
        return i18n.get("poll-create-options-count", min=rules.POLL_OPTIONS_MIN, max=rules.POLL_OPTIONS_MAX,
                        count=len(lines))
    options: list[dict[str, str]] = []
    for number, line in enumerate(lines, start=1):
        parts = line.split(" / ") if line.count(" / ") == 1 else line.split("/") if line.count("/") == 1 else [line]
        if len(parts) != 2:
            return i18n.get("poll-create-option-format", line=number)
        option = dict(zip(LANGUAGES, (part.strip() for part in parts), strict=True))
        if any(not 1 <= len(value) <= rules.POLL_OPTION_MAX for value in option.values()):
            return i18n.get("poll-create-option-length", line=number, max=rules.POLL_OPTION_MAX)
        options.append(option)
    return options


def parse_date(i18n: I18nContext, city: CityConfig, now: dt.datetime, text: str) -> dt.datetime | str:
    """The end of the typed day in the city's time, or what is wrong with it."""
    match = DATE.match(text)
    try:
        day = dt.date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        return i18n.get("poll-create-date-format")
    if not city.local(now).date() <= day <= _last_day(city, now):  # first: 9999-12-31 has no next day
        return i18n.get("poll-create-date-range", last=_last_day(city, now).isoformat())
    closes = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), ZoneInfo(city.city.timezone))
    return closes.astimezone(dt.UTC)


async def text_typed(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                     resident: Resident) -> None:
    draft = await PollComposition.load(state)
    if draft.step is None:  # state from an older release
        await state.set_state(None)
        await message.answer(i18n.get("poll-create-draft-gone"))
        return
    if draft.step not in TYPED:
        await message.answer(i18n.get("poll-create-use-buttons"))
        return
    if not await allowed(services, stored_id(resident)):
        await message.answer(i18n.get("poll-refused-not-allowed"))
        return
    text = message.text or ""
    if draft.step in (Step.QUESTION_KO, Step.QUESTION_EN):
        question = clean_line(text)
        if not 1 <= len(question) <= rules.POLL_QUESTION_MAX:
            await message.answer(i18n.get("poll-create-question-length", max=rules.POLL_QUESTION_MAX,
                                          length=len(question)))
            return
        draft.question[LANGUAGES[0] if draft.step is Step.QUESTION_KO else LANGUAGES[1]] = question
    elif draft.step is Step.OPTIONS:
        options = parse_options(i18n, text)
        if isinstance(options, str):
            await message.answer(options)
            return
        draft.options = options
    else:
        closes = parse_date(i18n, services.city, services.clock(), text)
        if isinstance(closes, str):
            await message.answer(closes)
            return
        draft.closes_at = closes
    await _next(message, draft, state, services, i18n)


async def not_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    draft = await PollComposition.load(state)
    if draft.step is None:
        await message.answer(i18n.get("poll-create-draft-gone"))
        return
    await message.answer(i18n.get("poll-create-expect-text" if draft.step in TYPED else "poll-create-use-buttons"))


# -- buttons of the steps ------------------------------------------------------------------------
async def chosen(callback: CallbackQuery, callback_data: PollCreateCb, state: FSMContext, services: Services,
                 i18n: I18nContext, resident: Resident) -> None:
    """Single or multiple, the closing days, showing the results: the step's button."""
    if (draft := await COMPOSER.allowed_draft(callback, state, services, i18n, resident)) is None:
        return
    step = {PollAction.CHOICE: Step.CHOICE, PollAction.DAYS: Step.CLOSES, PollAction.RESULTS: Step.RESULTS}
    valid = {PollAction.CHOICE: ("s", "m"), PollAction.DAYS: tuple(str(days) for days in DAYS),
             PollAction.RESULTS: ("y", "n")}
    action, value = callback_data.action, callback_data.value
    if draft.step is not step[action] or value not in valid[action]:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    if action is PollAction.CHOICE:
        draft.multiple = value == "m"
    elif action is PollAction.DAYS:
        draft.closes_at = services.clock() + dt.timedelta(days=int(value))
    else:
        draft.show_results = value == "y"
    await edit_in_place(callback, i18n.get("poll-create-noted"))
    await _next(pressed(callback), draft, state, services, i18n)


async def audience_chosen(callback: CallbackQuery, state: FSMContext, services: Services, i18n: I18nContext,
                          resident: Resident, audience: Audience) -> None:
    draft = await COMPOSER.draft(callback, state, i18n)
    if draft is None:
        return
    draft.audience = audience.to_json()
    await edit_in_place(callback, i18n.get("audience-chosen") + "\n" + picker.summary(i18n, services.city, audience))
    await _next(pressed(callback), draft, state, services, i18n)


# -- the preview ---------------------------------------------------------------------------------
def _local(city: CityConfig, moment: dt.datetime | None) -> str:
    return f"{city.local(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _sample(i18n: I18nContext, draft: PollComposition, city: CityConfig) -> tuple[str, InlineKeyboardMarkup]:
    """The poll in Korean, with its options as buttons that only say they are a sample."""
    language = LANGUAGES[0]
    text = (i18n.get("poll-create-sample-head") + "\n\n<b>" + escape(draft.question.get(language, ""), quote=False)
            + "</b>\n\n" + i18n.get("poll-create-sample-how", multiple="yes" if draft.multiple else "no",
                                    closes=_local(city, draft.closes_at)))
    pairs = [(option[language], PollCreateCb(action=PollAction.SAMPLE)) for option in draft.options]
    return text, _buttons(pairs, 1)


def _settings(i18n: I18nContext, draft: PollComposition, city: CityConfig) -> str:
    english = [f"{number}. {escape(option.get(LANGUAGES[1], ''), quote=False)}"
               for number, option in enumerate(draft.options, start=1)]
    return "\n".join((i18n.get("poll-create-preview-english"),
                      "<b>" + escape(draft.question.get(LANGUAGES[1], ""), quote=False) + "</b>", *english, "",
                      i18n.get("poll-create-preview-settings", multiple="yes" if draft.multiple else "no",
                               closes=_local(city, draft.closes_at),
                               results="yes" if draft.show_results else "no")))


async def _preview(target: Pressed, draft: PollComposition, state: FSMContext, services: Services,
                   i18n: I18nContext) -> None:
    draft.step, draft.editing, draft.version = Step.PREVIEW, True, draft.version + 1
    await draft.save(state)
    city, audience = services.city, Audience.from_json(draft.audience)
    text, markup = _sample(i18n, draft, city)
    await target.answer(text, reply_markup=markup)
    body = "\n\n".join((_settings(i18n, draft, city),
                        i18n.get("poll-create-preview-audience") + "\n" + picker.summary(i18n, city, audience)
                        + "\n" + await picker.size_line(i18n, services, audience),
                        i18n.get("poll-create-preview-foot")))
    builder = InlineKeyboardBuilder()
    for action, key in ((PollAction.CONFIRM, "poll-create-btn-confirm"), (PollAction.EDIT, "poll-create-btn-edit"),
                        (PollAction.CANCEL, "poll-create-btn-cancel")):
        builder.button(text=i18n.get(key), callback_data=PollCreateCb(action=action, version=draft.version))
    builder.adjust(1, 2)
    await target.answer(body, reply_markup=builder.as_markup())


async def sample(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.answer(i18n.get("poll-create-sample-pressed"), show_alert=True)


async def _current_preview(callback: CallbackQuery, callback_data: PollCreateCb, state: FSMContext,
                           services: Services, i18n: I18nContext, resident: Resident) -> PollComposition | None:
    return await COMPOSER.current_preview(callback, callback_data.version, state, services, i18n, resident)


async def confirm(callback: CallbackQuery, callback_data: PollCreateCb, state: FSMContext, services: Services,
                  i18n: I18nContext, resident: Resident) -> None:
    draft = await _current_preview(callback, callback_data, state, services, i18n, resident)
    if draft is None:
        return
    await PollComposition.drop(state)  # first: a second press of Confirm finds no draft
    await state.set_state(None)
    try:
        poll = await services.polls.create(stored_id(resident), draft.draft())
    except PollRefused as refused:
        await draft.save(state)  # nothing was stored; the draft is kept
        await state.set_state(PendingInput.poll)
        key = REFUSALS.get(refused.reason, "poll-refused-not-allowed")
        await callback.answer(i18n.get(key, question=rules.POLL_QUESTION_MAX, min=rules.POLL_OPTIONS_MIN,
                                       max=rules.POLL_OPTIONS_MAX, option=rules.POLL_OPTION_MAX,
                                       days=rules.POLL_DAYS_MAX), show_alert=True)
        return
    await edit_in_place(callback, i18n.get("poll-create-done", id=str(stored_id(poll)), closes=_local(services.city,
                                                                                              poll.closes_at)))


async def edit_menu(callback: CallbackQuery, callback_data: PollCreateCb, state: FSMContext, services: Services,
                    i18n: I18nContext, resident: Resident) -> None:
    draft = await _current_preview(callback, callback_data, state, services, i18n, resident)
    if draft is None:
        return
    pairs = [(i18n.get(key), PollCreateCb(action=PollAction.EDIT_STEP, value=step, version=draft.version))
             for step, key in EDITS.items()]
    pairs.append((i18n.get("poll-create-btn-back"), PollCreateCb(action=PollAction.PREVIEW, version=draft.version)))
    await edit_in_place(callback, i18n.get("poll-create-edit-what"), _buttons(pairs))


EDITS = {Step.QUESTION_KO: "poll-create-btn-edit-question-ko", Step.QUESTION_EN: "poll-create-btn-edit-question-en",
         Step.OPTIONS: "poll-create-btn-edit-options", Step.CHOICE: "poll-create-btn-edit-choice",
         Step.AUDIENCE: "poll-create-btn-edit-audience", Step.CLOSES: "poll-create-btn-edit-closes",
         Step.RESULTS: "poll-create-btn-edit-results"}


async def edit_step(callback: CallbackQuery, callback_data: PollCreateCb, state: FSMContext, services: Services,
                    i18n: I18nContext, resident: Resident) -> None:
    draft = await _current_preview(callback, callback_data, state, services, i18n, resident)
    if draft is None:
        return
    step = next((s for s in EDITS if s.value == callback_data.value), None)
    if step is None:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    draft.step = step
    await edit_in_place(callback, i18n.get("poll-create-editing"))
    await _ask(pressed(callback), draft, state, services, i18n)


async def back_to_preview(callback: CallbackQuery, callback_data: PollCreateCb, state: FSMContext,
                          services: Services, i18n: I18nContext, resident: Resident) -> None:
    draft = await _current_preview(callback, callback_data, state, services, i18n, resident)
    if draft is None:
        return
    await edit_in_place(callback, i18n.get("poll-create-editing"))
    await _preview(pressed(callback), draft, state, services, i18n)


async def cancel(callback: CallbackQuery, callback_data: PollCreateCb, state: FSMContext, services: Services,
                 i18n: I18nContext, resident: Resident) -> None:
    await COMPOSER.cancel(callback, callback_data.version, state, services, i18n, resident)


picker.register(AudienceFlow.POLL, allowed, audience_chosen, "poll-refused-not-allowed")


def build_router() -> Router:
    router = Router(name="poll_create")
    router.message.register(newpoll_command, Command("newpoll"))
    router.message.register(text_typed, StateFilter(PendingInput.poll), typed_text)
    router.message.register(not_text, StateFilter(PendingInput.poll), When(~F.text))
    router.callback_query.register(start_button, PollCreateCb.filter(F.action == PollAction.START))
    router.callback_query.register(chosen, PollCreateCb.filter(F.action.in_(
        {PollAction.CHOICE, PollAction.DAYS, PollAction.RESULTS})))
    router.callback_query.register(sample, PollCreateCb.filter(F.action == PollAction.SAMPLE))
    router.callback_query.register(confirm, PollCreateCb.filter(F.action == PollAction.CONFIRM))
    router.callback_query.register(edit_menu, PollCreateCb.filter(F.action == PollAction.EDIT))
    router.callback_query.register(edit_step, PollCreateCb.filter(F.action == PollAction.EDIT_STEP))
    router.callback_query.register(back_to_preview, PollCreateCb.filter(F.action == PollAction.PREVIEW))
    router.callback_query.register(cancel, PollCreateCb.filter(F.action == PollAction.CANCEL))
    return router
