"""What each step accepts, and the one-line refusal for anything else."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.handler import CallbackType
from aiogram.filters import StateFilter
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from handlers.callbacks import FilingAction, FilingCb, SimilarCb
from handlers.filing.conversation import Conversation
from handlers.filing.steps import Filing, Step
from handlers.filing.submit import open_similar, submit
from handlers.filters import When
from storage import rules
from storage.drafts import Photo, check_body, check_title, clean_line, clean_lines
from storage.lifecycle import Kind


async def choose_kind(callback: CallbackQuery, callback_data: FilingCb, conv: Conversation) -> None:
    if callback_data.value not in (Kind.COMPLAINT, Kind.PROPOSAL):
        await callback.answer(conv.i18n.get("error-stale-button"), show_alert=True)
        return
    draft = await conv.draft()
    draft.kind = Kind(callback_data.value)
    if draft.kind == Kind.PROPOSAL:
        draft.latitude = draft.longitude = None
        category = conv.city.category(draft.category)
        if category is None or category.private:
            draft.category = None  # private categories are for complaints only
    if draft.category is None:  # still editing: the category must be chosen again first
        await conv.save(draft)
        await conv.show(Step.CATEGORY, draft)
        return
    await conv.advance(Step.KIND, draft)


async def choose_category(callback: CallbackQuery, callback_data: FilingCb, conv: Conversation) -> None:
    draft = await conv.draft()
    allowed = {c.code for c in conv.view.categories_for(draft)}
    if callback_data.value not in allowed:
        await callback.answer(conv.i18n.get("error-stale-button"), show_alert=True)
        return
    draft.category = callback_data.value
    await conv.advance(Step.CATEGORY, draft)


async def choose_district(callback: CallbackQuery, callback_data: FilingCb, conv: Conversation) -> None:
    if conv.city.district(callback_data.value) is None:
        await callback.answer(conv.i18n.get("error-stale-button"), show_alert=True)
        return
    draft = await conv.draft()
    draft.district = callback_data.value
    await conv.advance(Step.DISTRICT, draft)


async def district_by_name(message: Message, conv: Conversation) -> None:
    typed = (message.text or "").strip().lower()
    match = next(
        (d for d in conv.city.districts if typed in (d.name_ko.lower(), d.name_en.lower(), d.code)),
        None,
    )
    if match is None:
        await conv.refuse("filing-expect-district")
        return
    draft = await conv.draft()
    draft.district = match.code
    await conv.advance(Step.DISTRICT, draft)


async def district_by_location(message: Message, conv: Conversation) -> None:
    """Suggests the district the point lies in; the resident confirms it or picks another."""
    if message.location is None:  # registered for locations only
        return
    lat, lon = message.location.latitude, message.location.longitude
    district = conv.city.locate(lat, lon)
    if district is None:
        await conv.refuse("filing-district-outside")
        return
    draft = await conv.draft()
    draft.latitude, draft.longitude = lat, lon
    await conv.save(draft)
    key = "filing-district-inside" if conv.city.has_boundaries else "filing-district-suggest"
    km = f"{conv.city.distance_km(district, lat, lon):.1f}"
    await message.answer(
        conv.i18n.get(key, district=district.name(conv.i18n.locale), km=km),
        reply_markup=conv.view.district_suggestion(district),
    )


async def district_other(callback: CallbackQuery, conv: Conversation) -> None:
    await conv.show(Step.DISTRICT, await conv.draft())


async def type_title(message: Message, conv: Conversation) -> None:
    typed = message.text or ""
    title = check_title(typed)
    if title is None:
        length = len(clean_line(typed))
        await conv.refuse("filing-error-title-length", length=length, min=rules.TITLE_MIN, max=rules.TITLE_MAX)
        return
    draft = await conv.draft()
    draft.title = title
    await conv.advance(Step.TITLE, draft)


async def type_body(message: Message, conv: Conversation) -> None:
    typed = message.text or ""
    body = check_body(typed)
    if body is None:
        length = len(clean_lines(typed))
        await conv.refuse("filing-error-body-length", length=length, min=rules.BODY_MIN, max=rules.BODY_MAX)
        return
    draft = await conv.draft()
    draft.body = body
    await conv.advance(Step.BODY, draft)


async def add_photo(message: Message, conv: Conversation) -> None:
    if not message.photo:  # registered for photos only
        return
    draft = await conv.draft()
    largest = message.photo[-1]
    if not draft.add_photo(Photo(file_id=largest.file_id, file_unique_id=largest.file_unique_id)):
        full = len(draft.photos) >= rules.MAX_PHOTOS
        await conv.refuse("filing-photos-full" if full else "filing-photo-duplicate", max=rules.MAX_PHOTOS)
        return
    await conv.save(draft)
    text, markup = conv.view.prompt(Step.PHOTOS, draft)
    added = conv.i18n.get("filing-photo-added", count=len(draft.photos), max=rules.MAX_PHOTOS)
    await conv.render(f"{added}\n{text}", markup, fresh=True)


async def photos_done(callback: CallbackQuery, conv: Conversation) -> None:
    await conv.advance(Step.PHOTOS, await conv.draft())


async def photos_clear(callback: CallbackQuery, conv: Conversation) -> None:
    draft = await conv.draft()
    draft.photos = []
    await conv.save(draft)
    await conv.show(Step.PHOTOS, draft)


async def share_location(message: Message, conv: Conversation) -> None:
    if message.location is None:  # registered for locations only
        return
    draft = await conv.draft()
    draft.latitude, draft.longitude = message.location.latitude, message.location.longitude
    await conv.advance(Step.LOCATION, draft)


async def location_done(callback: CallbackQuery, conv: Conversation) -> None:
    await conv.advance(Step.LOCATION, await conv.draft())


async def location_clear(callback: CallbackQuery, conv: Conversation) -> None:
    draft = await conv.draft()
    draft.latitude = draft.longitude = None
    await conv.save(draft)
    await conv.show(Step.LOCATION, draft)


async def choose_visibility(callback: CallbackQuery, callback_data: FilingCb, conv: Conversation) -> None:
    if callback_data.value not in ("0", "1"):
        await callback.answer(conv.i18n.get("error-stale-button"), show_alert=True)
        return
    draft = await conv.draft()
    draft.anonymous = callback_data.value == "1"
    await conv.advance(Step.ANONYMITY, draft)


def _on(router: Router, state: State, action: FilingAction, handler: CallbackType) -> None:
    router.callback_query.register(handler, StateFilter(state), FilingCb.filter(F.action == action))


def register(router: Router) -> None:
    _on(router, Filing.kind, FilingAction.KIND, choose_kind)
    _on(router, Filing.category, FilingAction.CATEGORY, choose_category)
    _on(router, Filing.district, FilingAction.DISTRICT, choose_district)
    _on(router, Filing.district, FilingAction.DISTRICT_OTHER, district_other)
    _on(router, Filing.photos, FilingAction.PHOTOS_DONE, photos_done)
    _on(router, Filing.photos, FilingAction.PHOTOS_CLEAR, photos_clear)
    _on(router, Filing.location, FilingAction.LOCATION_DONE, location_done)
    _on(router, Filing.location, FilingAction.LOCATION_CLEAR, location_clear)
    _on(router, Filing.anonymity, FilingAction.ANONYMOUS, choose_visibility)
    _on(router, Filing.preview, FilingAction.SUBMIT, submit)
    router.callback_query.register(open_similar, StateFilter(Filing.preview), SimilarCb.filter())
    text = When(F.text & ~F.text.startswith("/"))
    router.message.register(district_by_location, StateFilter(Filing.district), When(F.location))
    router.message.register(district_by_name, StateFilter(Filing.district), text)
    router.message.register(type_title, StateFilter(Filing.title), text)
    router.message.register(type_body, StateFilter(Filing.body), text)
    router.message.register(add_photo, StateFilter(Filing.photos), When(F.photo))
    router.message.register(share_location, StateFilter(Filing.location), When(F.location))


REFUSALS = {
    Filing.kind: "filing-expect-choice",
    Filing.category: "filing-expect-choice",
    Filing.district: "filing-expect-district",
    Filing.title: "filing-expect-title",
    Filing.body: "filing-expect-body",
    Filing.photos: "filing-expect-photo",
    Filing.location: "filing-expect-location",
    Filing.anonymity: "filing-expect-choice",
    Filing.preview: "filing-expect-choice",
}


def register_refusals(router: Router) -> None:
    """Anything else a step receives (a sticker, a voice note, a photo for a title...)."""
    for state, key in REFUSALS.items():
        async def refuse(message: Message, conv: Conversation, _key: str = key) -> None:
            await conv.refuse(_key, min_title=rules.TITLE_MIN, max_title=rules.TITLE_MAX,
                              min_body=rules.BODY_MIN, max_body=rules.BODY_MAX, max=rules.MAX_PHOTOS)
        router.message.register(refuse, StateFilter(state))
