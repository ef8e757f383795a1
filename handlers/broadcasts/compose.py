"""/broadcast: an admin, or an official of a department the city file allows, composes an
announcement: the text in Korean, in English (or none: residents get the Korean one), a photo
(or none), the audience (handlers/audience.py), then a preview exactly as residents see it in
Korean with the audience's size, and Confirm, Edit or Cancel. Confirm queues it
(BroadcastService.announce) and answers with its progress message (handlers/broadcasts/progress.py).

The draft lives in the conversation state while PendingInput.broadcast does: /cancel or going
to another menu section ends it. Who may broadcast is read in the database at every step; a
refused or mistaken input keeps the draft as it was.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.notices import Outgoing, Texts
from bot.services import Services
from handlers import audience as picker
from handlers.audience import AudienceFlow
from handlers.broadcasts.callbacks import ComposeAction, ComposeCb
from handlers.broadcasts.notices import announcement
from handlers.broadcasts.progress import progress_markup, progress_text
from handlers.composer import Composer, ComposerDraft, ComposerTexts
from handlers.officials.replies import texts
from handlers.pending_input import PendingInput
from handlers.replies import Pressed, edit_in_place, pressed, retire_buttons
from storage import rules
from storage.audience import Audience, AudienceError
from storage.drafts import clean_lines
from storage.models import Resident, stored_id
from storage.repositories.broadcasts import BroadcastContent, Photo
from storage.services.broadcasts import BroadcastRefused, PhotoSource
from storage.vocabulary import BroadcastKind, BroadcastState

REFUSALS = {"not-allowed": "broadcast-refused-not-allowed", "empty": "broadcast-refused-empty",
            "too-long": "broadcast-refused-too-long", "photo-too-big": "broadcast-refused-photo-too-big"}
PREVIEW_LANGUAGE = "ko"  # the preview shows the message as a Korean-speaking resident gets it


class Step(StrEnum):
    KO = "ko"
    EN = "en"
    PHOTO = "photo"
    AUDIENCE = "audience"
    PREVIEW = "preview"


class Composition(ComposerDraft):
    key: ClassVar[str] = "broadcast"
    step: Step | None = None
    texts: dict[str, str] = {}  # language -> text
    photo: str | None = None  # Telegram's file_id of the photo the composer sent
    album: str | None = None  # the media group that photo came in (its other photos are ignored)
    audience: dict[str, Any] = {}  # Audience.to_json()


# -- who may -------------------------------------------------------------------------------------
async def allowed(services: Services, resident_id: int) -> bool:
    return await services.broadcast_reads.may_broadcast(resident_id)


COMPOSER = Composer(Composition, PendingInput.broadcast, allowed, Step.PREVIEW, ComposerTexts(
    refused="broadcast-refused-not-allowed", gone="broadcast-draft-gone", outdated="broadcast-preview-outdated",
    dropped="broadcast-dropped"))


# -- the steps -----------------------------------------------------------------------------------
def _skip(i18n: I18nContext, key: str, action: ComposeAction) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get(key), callback_data=ComposeCb(action=action))
    return builder.as_markup()


async def _ask(target: Pressed, draft: Composition, state: FSMContext, i18n: I18nContext) -> None:
    """Asks for the draft's step (a text or the photo)."""
    await state.set_state(PendingInput.broadcast)
    await draft.save(state)
    limit = rules.broadcast_text_max(bool(draft.photo))
    if draft.step is Step.KO:
        await target.answer(i18n.get("broadcast-ask-ko", max=limit, caption=rules.BROADCAST_CAPTION_MAX))
    elif draft.step is Step.EN:
        await target.answer(i18n.get("broadcast-ask-en", max=limit),
                            reply_markup=_skip(i18n, "broadcast-btn-skip-en", ComposeAction.SKIP_EN))
    elif draft.step is Step.PHOTO:
        await target.answer(i18n.get("broadcast-ask-photo", caption=rules.BROADCAST_CAPTION_MAX),
                            reply_markup=_skip(i18n, "broadcast-btn-skip-photo", ComposeAction.SKIP_PHOTO))


async def _next(target: Pressed, draft: Composition, state: FSMContext, services: Services,
                i18n: I18nContext, bot: Bot) -> None:
    """After a step: the preview when changing a composed draft, else the step that follows."""
    if draft.editing:
        await _preview(target, draft, state, services, i18n, bot)
        return
    if draft.step is Step.KO:
        draft.step = Step.EN
    elif draft.step is Step.EN:
        draft.step = Step.PHOTO
    else:
        draft.step = Step.AUDIENCE
        await draft.save(state)
        await picker.start(target, state, services, i18n, AudienceFlow.BROADCAST, Audience.from_json(draft.audience))
        return
    await _ask(target, draft, state, i18n)


async def begin(target: Pressed, state: FSMContext, services: Services, i18n: I18nContext,
                resident: Resident) -> None:
    if (draft := await COMPOSER.fresh(target, state, services, i18n, resident)) is None:
        return
    draft.step = Step.KO
    await _ask(target, draft, state, i18n)


async def broadcast_command(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                            resident: Resident) -> None:
    await begin(message, state, services, i18n, resident)


async def start_button(callback: CallbackQuery, state: FSMContext, services: Services, i18n: I18nContext,
                       resident: Resident) -> None:
    if await COMPOSER.refused(callback, services, i18n, resident):
        return
    await callback.answer()
    await begin(pressed(callback), state, services, i18n, resident)


def _text_problem(i18n: I18nContext, services: Services, draft: Composition, text: str) -> str | None:
    """Why the typed text cannot be the step's text (the service's rule), or None."""
    photo = PhotoSource(file_id=draft.photo) if draft.photo else None
    try:
        services.broadcast_reads.check_texts({str(draft.step): text}, photo)
    except BroadcastRefused as refused:
        if refused.reason == "too-long":
            limit = rules.broadcast_text_max(photo is not None)
            return i18n.get("broadcast-text-too-long", max=limit, length=rules.units(text))
        return i18n.get("broadcast-text-empty")
    return None


async def text_typed(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                     resident: Resident, bot: Bot) -> None:
    draft = await Composition.load(state)
    if draft.step is None:  # state from an older release
        await state.set_state(None)
        await message.answer(i18n.get("broadcast-draft-gone"))
        return
    if draft.step not in (Step.KO, Step.EN):
        await message.answer(i18n.get("broadcast-expect-photo" if draft.step is Step.PHOTO else "broadcast-use-buttons"))
        return
    if not await allowed(services, stored_id(resident)):
        await message.answer(i18n.get("broadcast-refused-not-allowed"))
        return
    text = clean_lines(message.text or "")
    if (problem := _text_problem(i18n, services, draft, text)) is not None:
        await message.answer(problem)  # the draft stays as it was; the same step again
        return
    draft.texts[str(draft.step)] = text
    await _next(message, draft, state, services, i18n, bot)


async def not_text(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                   resident: Resident, bot: Bot) -> None:
    """A photo, a sticker, a voice note…: the photo at the photo step, else what is expected."""
    draft = await Composition.load(state)
    if message.photo and draft.album is not None and message.media_group_id == draft.album:
        return  # the rest of the album whose first photo was taken
    if draft.step is Step.PHOTO and message.photo:
        await _photo(message, draft, state, services, i18n, resident, bot)
        return
    keys = {Step.KO: "broadcast-expect-text", Step.EN: "broadcast-expect-text", Step.PHOTO: "broadcast-expect-photo"}
    await message.answer(i18n.get(keys.get(draft.step, "broadcast-use-buttons") if draft.step else "broadcast-draft-gone"))


async def _photo(message: Message, draft: Composition, state: FSMContext, services: Services, i18n: I18nContext,
                 resident: Resident, bot: Bot) -> None:
    if not await allowed(services, stored_id(resident)):
        await message.answer(i18n.get("broadcast-refused-not-allowed"))
        return
    file_id = (message.photo or [])[-1].file_id
    try:
        services.broadcast_reads.check_texts(draft.texts, PhotoSource(file_id=file_id))
    except BroadcastRefused:  # a caption holds less than a message: a text is too long for it
        longest = max(rules.units(text) for text in draft.texts.values()) if draft.texts else 0
        await message.answer(i18n.get("broadcast-photo-text-too-long", max=rules.BROADCAST_CAPTION_MAX,
                                      length=longest),
                             reply_markup=_skip(i18n, "broadcast-btn-skip-photo", ComposeAction.SKIP_PHOTO))
        return
    draft.photo, draft.album = file_id, message.media_group_id
    await _next(message, draft, state, services, i18n, bot)


async def skip(callback: CallbackQuery, callback_data: ComposeCb, state: FSMContext, services: Services,
               i18n: I18nContext, resident: Resident, bot: Bot) -> None:
    """No English text, or no photo."""
    if (draft := await COMPOSER.allowed_draft(callback, state, services, i18n, resident)) is None:
        return
    wanted = Step.EN if callback_data.action is ComposeAction.SKIP_EN else Step.PHOTO
    if draft.step is not wanted:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    if wanted is Step.EN:
        draft.texts.pop("en", None)
    else:
        draft.photo = draft.album = None
    if not draft.texts:  # the English text was the only one (changed from the preview)
        await callback.answer(i18n.get("broadcast-text-empty"), show_alert=True)
        return
    await callback.answer()
    await retire_buttons(pressed(callback))
    await _next(pressed(callback), draft, state, services, i18n, bot)


async def audience_chosen(callback: CallbackQuery, state: FSMContext, services: Services, i18n: I18nContext,
                          resident: Resident, audience: Audience) -> None:
    draft = await COMPOSER.draft(callback, state, i18n)
    if draft is None:
        return
    if callback.bot is None:
        raise LookupError("a callback query without its bot")
    draft.audience = audience.to_json()
    await edit_in_place(callback, i18n.get("audience-chosen") + "\n" + picker.summary(i18n, services.city, audience))
    await _preview(pressed(callback), draft, state, services, i18n, callback.bot)


# -- the preview ---------------------------------------------------------------------------------
def _as_residents_see_it(draft: Composition, texts: Texts, services: Services, chat_id: int) -> Any:
    """The BROADCAST renderer's own message for this draft, as a Korean-speaking resident gets it."""
    photos = {PREVIEW_LANGUAGE: Photo(None, draft.photo)} if draft.photo else {}
    content = BroadcastContent(0, BroadcastKind.ANNOUNCEMENT.value, BroadcastState.SENDING.value, False,
                               dict(draft.texts), photos)
    return announcement(Outgoing(chat_id, {}, texts, services.city, None, content))


def _preview_markup(i18n: I18nContext, version: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, key in ((ComposeAction.CONFIRM, "broadcast-btn-confirm"), (ComposeAction.EDIT, "broadcast-btn-edit"),
                        (ComposeAction.CANCEL, "broadcast-btn-cancel-draft")):
        builder.button(text=i18n.get(key), callback_data=ComposeCb(action=action, version=version))
    builder.adjust(1, 2)
    return builder.as_markup()


async def _preview(target: Pressed, draft: Composition, state: FSMContext, services: Services, i18n: I18nContext,
                   bot: Bot) -> None:
    draft.step, draft.editing, draft.version = Step.PREVIEW, True, draft.version + 1
    await draft.save(state)
    audience = Audience.from_json(draft.audience)
    korean = Texts(texts(i18n).core, PREVIEW_LANGUAGE)
    await bot(_as_residents_see_it(draft, korean, services, target.chat.id))
    english = "yes" if draft.texts.get("en") else "no"
    body = "\n\n".join((i18n.get("broadcast-preview-head", english=english),
                        i18n.get("broadcast-preview-audience") + "\n" + picker.summary(i18n, services.city, audience)
                        + "\n" + await picker.size_line(i18n, services, audience),
                        i18n.get("broadcast-preview-foot")))
    await target.answer(body, reply_markup=_preview_markup(i18n, draft.version))


async def _current_preview(callback: CallbackQuery, callback_data: ComposeCb, state: FSMContext, services: Services,
                           i18n: I18nContext, resident: Resident) -> Composition | None:
    return await COMPOSER.current_preview(callback, callback_data.version, state, services, i18n, resident)


async def confirm(callback: CallbackQuery, callback_data: ComposeCb, state: FSMContext, services: Services,
                  i18n: I18nContext, resident: Resident) -> None:
    draft = await _current_preview(callback, callback_data, state, services, i18n, resident)
    if draft is None:
        return
    await Composition.drop(state)  # first: a second press of Confirm finds no draft
    await state.set_state(None)
    chat = pressed(callback).chat.id
    photo = PhotoSource(file_id=draft.photo) if draft.photo else None
    try:
        broadcast = await services.broadcasts.announce(stored_id(resident), draft.texts,
                                                       Audience.from_json(draft.audience), photo, progress_chat_id=chat)
    except (BroadcastRefused, AudienceError) as refused:
        await draft.save(state)  # nothing was queued; the draft is kept
        await state.set_state(PendingInput.broadcast)
        key = REFUSALS.get(refused.reason, "broadcast-refused-not-allowed") if isinstance(refused, BroadcastRefused) \
            else "audience-unknown"
        await callback.answer(i18n.get(key), show_alert=True)
        return
    broadcast_id = stored_id(broadcast)
    await edit_in_place(callback, i18n.get("broadcast-queued", id=str(broadcast_id), count=broadcast.audience_size))
    report = await services.broadcast_progress.report(broadcast_id)
    if report is None:
        return
    t = texts(i18n)
    sent = await pressed(callback).answer(progress_text(t, report), reply_markup=progress_markup(t, report))
    await services.broadcast_progress.remember_message(broadcast_id, sent.chat.id, sent.message_id)


# -- changing it ---------------------------------------------------------------------------------
EDITS = {ComposeAction.EDIT_KO: ("broadcast-btn-edit-ko", Step.KO),
         ComposeAction.EDIT_EN: ("broadcast-btn-edit-en", Step.EN),
         ComposeAction.EDIT_PHOTO: ("broadcast-btn-edit-photo", Step.PHOTO),
         ComposeAction.EDIT_AUDIENCE: ("broadcast-btn-edit-audience", Step.AUDIENCE)}


async def edit_menu(callback: CallbackQuery, callback_data: ComposeCb, state: FSMContext, services: Services,
                    i18n: I18nContext, resident: Resident) -> None:
    draft = await _current_preview(callback, callback_data, state, services, i18n, resident)
    if draft is None:
        return
    builder = InlineKeyboardBuilder()
    for action, (key, _step) in EDITS.items():
        builder.button(text=i18n.get(key), callback_data=ComposeCb(action=action, version=draft.version))
    builder.button(text=i18n.get("broadcast-btn-back"), callback_data=ComposeCb(action=ComposeAction.PREVIEW,
                                                                                 version=draft.version))
    builder.adjust(2, 2, 1)
    await edit_in_place(callback, i18n.get("broadcast-edit-what"), builder.as_markup())


async def edit_step(callback: CallbackQuery, callback_data: ComposeCb, state: FSMContext, services: Services,
                    i18n: I18nContext, resident: Resident) -> None:
    draft = await _current_preview(callback, callback_data, state, services, i18n, resident)
    if draft is None:
        return
    draft.step = EDITS[callback_data.action][1]
    await edit_in_place(callback, i18n.get("broadcast-editing"))
    if draft.step is Step.AUDIENCE:
        await draft.save(state)
        await picker.start(pressed(callback), state, services, i18n, AudienceFlow.BROADCAST,
                           Audience.from_json(draft.audience))
        return
    await _ask(pressed(callback), draft, state, i18n)


async def back_to_preview(callback: CallbackQuery, callback_data: ComposeCb, state: FSMContext, services: Services,
                          i18n: I18nContext, resident: Resident, bot: Bot) -> None:
    draft = await _current_preview(callback, callback_data, state, services, i18n, resident)
    if draft is None:
        return
    await edit_in_place(callback, i18n.get("broadcast-editing"))
    await _preview(pressed(callback), draft, state, services, i18n, bot)


async def cancel(callback: CallbackQuery, callback_data: ComposeCb, state: FSMContext, services: Services,
                 i18n: I18nContext, resident: Resident) -> None:
    await COMPOSER.cancel(callback, callback_data.version, state, services, i18n, resident)


picker.register(AudienceFlow.BROADCAST, allowed, audience_chosen, "broadcast-refused-not-allowed")
