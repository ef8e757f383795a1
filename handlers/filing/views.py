"""What each filing step shows: its text and its buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from handlers.callbacks import FilingAction, FilingCb, SimilarCb
from handlers.filing.steps import EDITABLE, Step, applies
from handlers.quote import BODY_IN_PREVIEW, TITLE, TITLE_IN_LIST, quote
from storage import rules
from storage.city import Category, CityConfig, District
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.models import Item, Resident, stored_id


def rows(count: int, per_row: int) -> list[int]:
    """Row sizes that lay out `count` buttons `per_row` to a row, the last row shorter."""
    full, rest = divmod(count, per_row)
    return [per_row] * full + ([rest] if rest else [])


class View:
    def __init__(self, i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
        self.i18n = i18n
        self.city = city
        self.resident = resident

    def prompt(self, step: Step, draft: Draft, similar: Sequence[Item] = ()) -> tuple[str, InlineKeyboardMarkup]:
        builder = InlineKeyboardBuilder()
        steps = {Step.KIND: self._kind, Step.CATEGORY: self._category, Step.DISTRICT: self._district,
                 Step.TITLE: self._title, Step.BODY: self._body, Step.PHOTOS: self._photos,
                 Step.LOCATION: self._location, Step.ANONYMITY: self._anonymity, Step.PREVIEW: self._preview}
        text, sizes = steps[step](draft, builder, similar)
        self._navigation(step, builder, sizes)
        return text, builder.as_markup()

    def _button(self, builder: InlineKeyboardBuilder, key: str, action: FilingAction, value: str = "", **kw: Any) -> None:
        builder.button(text=self.i18n.get(key, **kw), callback_data=FilingCb(action=action, value=value))

    def _navigation(self, step: Step, builder: InlineKeyboardBuilder, sizes: list[int]) -> None:
        """Back (except on the first step and the preview) and Cancel close every step."""
        with_back = step not in (Step.KIND, Step.PREVIEW)
        if with_back:
            self._button(builder, "btn-back", FilingAction.BACK)
        self._button(builder, "btn-cancel", FilingAction.CANCEL)
        builder.adjust(*sizes, 2 if with_back else 1)

    def _kind(self, draft: Draft, builder: InlineKeyboardBuilder, _similar: Sequence[Item]) -> tuple[str, list[int]]:
        self._button(builder, "filing-kind-complaint", FilingAction.KIND, Kind.COMPLAINT)
        self._button(builder, "filing-kind-proposal", FilingAction.KIND, Kind.PROPOSAL)
        return self.i18n.get("filing-kind-prompt"), [1, 1]

    def _category(self, draft: Draft, builder: InlineKeyboardBuilder, _similar: Sequence[Item]) -> tuple[str, list[int]]:
        shown = self.categories_for(draft)
        for category in shown:
            builder.button(text=category.name(self.i18n.locale),
                           callback_data=FilingCb(action=FilingAction.CATEGORY, value=category.code))
        return self.i18n.get("filing-category-prompt", kind=self.kind_name(draft)), rows(len(shown), 2)

    def categories_for(self, draft: Draft) -> list[Category]:
        # Private categories (conduct of officials) are for complaints, which stay unpublished.
        return [c for c in self.city.categories if draft.kind == Kind.COMPLAINT or not c.private]

    def _district(self, draft: Draft, builder: InlineKeyboardBuilder, _similar: Sequence[Item]) -> tuple[str, list[int]]:
        for district in self.city.districts:
            builder.button(text=district.name(self.i18n.locale),
                           callback_data=FilingCb(action=FilingAction.DISTRICT, value=district.code))
        return self.i18n.get("filing-district-prompt"), rows(len(self.city.districts), 3)

    def district_suggestion(self, district: District) -> InlineKeyboardMarkup:
        builder = InlineKeyboardBuilder()
        self._button(builder, "filing-district-accept", FilingAction.DISTRICT, district.code,
                     district=district.name(self.i18n.locale))
        self._button(builder, "filing-district-other", FilingAction.DISTRICT_OTHER)
        builder.adjust(1, 1)
        return builder.as_markup()

    def _title(self, draft: Draft, builder: InlineKeyboardBuilder, _similar: Sequence[Item]) -> tuple[str, list[int]]:
        return self.i18n.get("filing-title-prompt", min=rules.TITLE_MIN, max=rules.TITLE_MAX), []

    def _body(self, draft: Draft, builder: InlineKeyboardBuilder, _similar: Sequence[Item]) -> tuple[str, list[int]]:
        return self.i18n.get("filing-body-prompt", min=rules.BODY_MIN, max=rules.BODY_MAX), []

    def _photos(self, draft: Draft, builder: InlineKeyboardBuilder, _similar: Sequence[Item]) -> tuple[str, list[int]]:
        count = len(draft.photos)
        text = self.i18n.get("filing-photos-prompt", max=rules.MAX_PHOTOS, count=count)
        if count:
            self._button(builder, "btn-done", FilingAction.PHOTOS_DONE)
            self._button(builder, "filing-photos-clear", FilingAction.PHOTOS_CLEAR)
            return text, [2]
        self._button(builder, "btn-skip", FilingAction.PHOTOS_DONE)
        return text, [1]

    def _location(self, draft: Draft, builder: InlineKeyboardBuilder, _similar: Sequence[Item]) -> tuple[str, list[int]]:
        if draft.has_point:
            self._button(builder, "btn-keep", FilingAction.LOCATION_DONE)
            self._button(builder, "filing-location-remove", FilingAction.LOCATION_CLEAR)
            return self.i18n.get("filing-location-prompt-has"), [2]
        self._button(builder, "btn-skip", FilingAction.LOCATION_DONE)
        return self.i18n.get("filing-location-prompt"), [1]

    def _anonymity(self, draft: Draft, builder: InlineKeyboardBuilder, _similar: Sequence[Item]) -> tuple[str, list[int]]:
        self._button(builder, "filing-anon-show", FilingAction.ANONYMOUS, "0", name=self.resident.full_name)  # buttons are plain text
        self._button(builder, "filing-anon-hide", FilingAction.ANONYMOUS, "1")
        return self.i18n.get("filing-anonymity-prompt"), [1, 1]

    def _preview(self, draft: Draft, builder: InlineKeyboardBuilder, similar: Sequence[Item]) -> tuple[str, list[int]]:
        for item in similar:
            builder.button(text=self.i18n.get("filing-similar-button", number=item.public_number),
                           callback_data=SimilarCb(item=stored_id(item)))
        editable = [s for s in EDITABLE if applies(s, draft)]
        for step in editable:
            self._button(builder, f"filing-edit-{step.value}", FilingAction.EDIT, step.value)
        self._button(builder, "btn-submit", FilingAction.SUBMIT)
        sizes = [*([1] * len(similar)), *rows(len(editable), 2), 1]
        text = self.summary(draft)
        if similar:
            lines = [self.i18n.get("filing-similar-header")]
            lines += [f"• {item.public_number} — {quote(self.i18n, item.title, TITLE_IN_LIST)}" for item in similar]
            text += "\n\n" + "\n".join(lines)
        return text, sizes

    def kind_name(self, draft: Draft) -> str:
        return self.i18n.get(f"kind-{draft.kind}") if draft.kind else "—"

    def summary(self, draft: Draft) -> str:
        category = self.city.category(draft.category)
        district = self.city.district(draft.district)
        locale = self.i18n.locale
        values = {
            "kind": self.kind_name(draft),
            "category": category.name(locale) if category else "—",
            "district": district.name(locale) if district else "—",
            "title": quote(self.i18n, draft.title or "—", TITLE),
            "body": quote(self.i18n, draft.body or "—", BODY_IN_PREVIEW),
            "photos": len(draft.photos),
            "location": self.i18n.get("filing-location-yes" if draft.has_point else "filing-location-no"),
            "visibility": self.i18n.get("filing-anon-hidden" if draft.anonymous else "filing-anon-shown"),
        }
        key = "filing-preview-complaint" if draft.kind == Kind.COMPLAINT else "filing-preview-proposal"
        return self.i18n.get(key, **values)
