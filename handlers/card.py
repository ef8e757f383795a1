"""The item card and its one-tap actions: endorse, withdraw, follow, share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.callbacks import CardOrigin, ItemAction, ItemCb
from handlers.card_view import card_markup, card_text, num
from handlers.replies import Pressed, edit_in_place, pressed
from storage.city import CityConfig
from storage.models import Resident, stored_id
from storage.services.participation import Outcome, ParticipationService, Result

SHARE_PREFIX = "i_"


async def render(services: Services, i18n: I18nContext, city: CityConfig, resident: Resident, item_id: int,
                 back: CardOrigin = CardOrigin.NONE, page: int = 0) -> tuple[str, InlineKeyboardMarkup] | None:
    """The card's text and buttons, or None when the resident may not see the item."""
    card = await services.items.card(item_id, resident)
    if card is None:
        return None
    return card_text(i18n, city, card, services.clock()), card_markup(i18n, card, resident, back, page)


async def send_card(message: Pressed, services: Services, i18n: I18nContext, city: CityConfig,
                    resident: Resident, item_id: int) -> bool:
    shown = await render(services, i18n, city, resident, item_id)
    if shown is None:
        await message.answer(i18n.get("error-item-unavailable"))
        return False
    await message.answer(shown[0], reply_markup=shown[1])
    return True


async def _refresh(callback: CallbackQuery, data: ItemCb, services: Services, i18n: I18nContext,
                   city: CityConfig, resident: Resident, notice: str | None = None, alert: bool = False) -> None:
    """Answers the press (with `notice`, if any) and draws the card as it now stands in the
    pressed message; an item the resident may not see is refused with an alert."""
    shown = await render(services, i18n, city, resident, data.item, data.back, data.page)
    if shown is None:
        await callback.answer(notice or i18n.get("error-item-unavailable"), show_alert=True)
        return
    text, markup = shown
    await edit_in_place(callback, text, markup, notice=notice, alert=alert)


async def open_card(callback: CallbackQuery, callback_data: ItemCb, services: Services,
                    i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
    await _refresh(callback, callback_data, services, i18n, city, resident)


async def ask_retract(callback: CallbackQuery, callback_data: ItemCb, i18n: I18nContext) -> None:
    data = callback_data.model_copy(update={"action": ItemAction.RETRACT_YES})
    markup = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=i18n.get("card-retract-yes"), callback_data=data.pack()),
        InlineKeyboardButton(text=i18n.get("card-retract-no"),
                             callback_data=callback_data.model_copy(update={"action": ItemAction.CARD}).pack()),
    ]])
    await edit_in_place(callback, i18n.get("card-retract-confirm"), markup)


async def retract(callback: CallbackQuery, callback_data: ItemCb, services: Services,
                  i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
    result = await services.participation.retract(callback_data.item, stored_id(resident))
    if result.outcome is Outcome.UNAVAILABLE:
        await callback.answer(i18n.get("error-item-unavailable"), show_alert=True)
        return
    key = "card-retracted" if result.outcome is Outcome.DONE else "card-endorse-closed"
    await _refresh(callback, callback_data, services, i18n, city, resident, i18n.get(key), True)


# What each one-tap action calls on the participation service.
ACTIONS: dict[ItemAction, Callable[[ParticipationService, int, int], Awaitable[Result]]] = {
    ItemAction.ENDORSE: ParticipationService.endorse,
    ItemAction.WITHDRAW: ParticipationService.withdraw,
    ItemAction.FOLLOW: ParticipationService.follow,
    ItemAction.UNFOLLOW: ParticipationService.unfollow,
}

REPLIES = {
    (ItemAction.ENDORSE, Outcome.DONE): ("card-endorsed", False),
    (ItemAction.ENDORSE, Outcome.ALREADY): ("card-already-endorsed", True),
    (ItemAction.ENDORSE, Outcome.OWN_ITEM): ("card-own-item", True),
    (ItemAction.ENDORSE, Outcome.CLOSED): ("card-endorse-closed", True),
    (ItemAction.WITHDRAW, Outcome.DONE): ("card-withdrawn", False),
    (ItemAction.WITHDRAW, Outcome.ALREADY): ("card-not-endorsed", True),
    (ItemAction.WITHDRAW, Outcome.CLOSED): ("card-endorse-closed", True),
    (ItemAction.FOLLOW, Outcome.DONE): ("card-followed", False),
    (ItemAction.FOLLOW, Outcome.ALREADY): ("card-followed", False),
    (ItemAction.UNFOLLOW, Outcome.DONE): ("card-unfollowed", False),
    (ItemAction.UNFOLLOW, Outcome.ALREADY): ("card-unfollowed", False),
}


async def act(callback: CallbackQuery, callback_data: ItemCb, services: Services,
              i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
    action = callback_data.action
    result = await ACTIONS[action](services.participation, callback_data.item, stored_id(resident))
    if result.outcome is Outcome.UNAVAILABLE:
        await callback.answer(i18n.get("error-item-unavailable"), show_alert=True)
        return
    key, alert = REPLIES[(action, result.outcome)]
    if result.moved_to:
        key, alert = "card-reached-discussion", True
    notice = i18n.get(key, count=num(result.count or 0))
    if result.card is None:
        await _refresh(callback, callback_data, services, i18n, city, resident, notice, alert)
        return
    # The endorse path hands back the card it just changed: no need to read it again.
    await edit_in_place(callback, card_text(i18n, city, result.card, services.clock()),
                        card_markup(i18n, result.card, resident, callback_data.back, callback_data.page),
                        notice=notice, alert=alert)


async def share(callback: CallbackQuery, callback_data: ItemCb, services: Services, bot: Bot,
                i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
    card = await services.items.card(callback_data.item, resident)
    if card is None or card.item.is_private:
        await callback.answer(i18n.get("error-item-unavailable"), show_alert=True)
        return
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={SHARE_PREFIX}{card.item.public_token}"
    share_url = f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(card.item.title, safe='')}"
    markup = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=i18n.get("card-share-button"), url=share_url)]])
    await callback.answer()
    await pressed(callback).answer(
        i18n.get("card-share-text", number=card.item.public_number, link=link), reply_markup=markup)


def build_router() -> Router:
    router = Router(name="card")
    router.callback_query.register(open_card, ItemCb.filter(F.action == ItemAction.CARD))
    router.callback_query.register(act, ItemCb.filter(F.action.in_(ACTIONS)))
    router.callback_query.register(share, ItemCb.filter(F.action == ItemAction.SHARE))
    router.callback_query.register(ask_retract, ItemCb.filter(F.action == ItemAction.RETRACT))
    router.callback_query.register(retract, ItemCb.filter(F.action == ItemAction.RETRACT_YES))
    return router
