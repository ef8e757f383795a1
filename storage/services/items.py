"""What a resident may read about items: their own list and an item's timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.lifecycle import Status
from storage.models import Attachment, Item, Resident, StatusEvent
from storage.repositories.items import ItemRepository


@dataclass
class ItemDetail:
    item: Item
    attachments: Sequence[Attachment]
    timeline: Sequence[StatusEvent]


@dataclass
class Page:
    items: Sequence[Item]
    page: int
    pages: int
    total: int


class ItemQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.items = ItemRepository(session)

    async def my_submissions(self, resident: Resident, page: int, size: int) -> Page:
        total = await self.items.count_by_resident(resident.id)
        pages = max(1, -(-total // size))
        page = min(max(page, 0), pages - 1)
        rows = await self.items.by_resident(resident.id, page * size, size)
        return Page(items=rows, page=page, pages=pages, total=total)

    async def own_item(self, resident: Resident, item_id: int) -> ItemDetail | None:
        """The item with its timeline, if this resident filed it."""
        item = await self.items.by_id(item_id)
        if item is None or item.resident_id != resident.id:
            return None
        return ItemDetail(
            item=item,
            attachments=await self.items.attachments(item_id),
            timeline=await self.items.timeline(item_id),
        )

    async def by_public_number(self, number: str) -> Item | None:
        return await self.items.by_public_number(number)

    async def public_item(self, item_id: int) -> Item | None:
        """An item any resident may see: not private and not hidden by moderation."""
        item = await self.items.by_id(item_id)
        if item is None or item.is_private or item.status == Status.HIDDEN:
            return None
        return item
