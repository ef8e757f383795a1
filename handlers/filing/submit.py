"""The end of a filing: Submit, or going to a similar item instead."""

from __future__ import annotations

from aiogram.types import CallbackQuery

from handlers.callbacks import SimilarCb
from handlers.card import send_card
from handlers.filing.conversation import Conversation
from handlers.limits import local_moment
from handlers.replies import retire_buttons
from storage.lifecycle import Kind
from storage.models import Item
from storage.services.filing import IncompleteDraft
from storage.services.limits import LimitReached


async def submit(callback: CallbackQuery, conv: Conversation) -> None:
    draft = await conv.draft()
    # The draft stays in the conversation state until the item is stored, so a database
    # that is down loses nothing: the resident can press Submit again later.
    try:
        item, created = await conv.services.filing.submit(draft, conv.resident)
    except IncompleteDraft:
        await conv.refuse("filing-incomplete")
        return
    except LimitReached as reached:  # the draft stays: Submit works again once the time comes
        await conv.refuse("limits-items-per-day", limit=conv.city.moderation.items_per_day,
                          until=local_moment(reached.until, conv.city))
        return
    await callback.answer()
    await retire_buttons(conv.message)
    await conv.finish(_thanks(conv, item) if created else conv.i18n.get(
        "filing-already-submitted", number=item.public_number))


def _thanks(conv: Conversation, item: Item) -> str:
    if item.kind == Kind.PROPOSAL:
        return conv.i18n.get(
            "filing-submitted-proposal",
            number=item.public_number,
            goal=item.endorsement_goal or 0,
            days=(item.stage_deadline - item.created_at).days if item.stage_deadline else 0,
        )
    key = "filing-submitted-private" if item.is_private else "filing-submitted-complaint"
    return conv.i18n.get(key, number=item.public_number)


async def open_similar(callback: CallbackQuery, callback_data: SimilarCb, conv: Conversation) -> None:
    """The resident would rather support an item that is already filed: its card opens below,
    and the draft is kept in case they still want to file it."""
    await callback.answer(conv.i18n.get("filing-similar-open"))
    await send_card(conv.message, conv.services, conv.i18n, conv.city, conv.resident,
                    callback_data.item)
