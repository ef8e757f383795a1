"""Turning a finished draft into an item of the shared database."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import rules
from storage.city import CityConfig, Open311Client
from storage.clock import Clock, system_clock
from storage.drafts import CompleteDraft, Draft
from storage.lifecycle import INITIAL_STATUS, OPEN_STATUSES, Kind
from storage.models import Attachment, Follow, Item, Resident, stored_id
from storage.repositories.items import ItemRepository
from storage.services import limits, status
from storage.services.assignments import AssignmentService
from storage.similarity import title_similarity
from storage.vocabulary import Channel, FollowReason

SIMILAR_CANDIDATES = 200


@dataclass(frozen=True)
class Filer:
    """Who files an item: a resident in the bot, or an Open311 client of the city file, which
    has no resident (the item's `resident_id` stays null and `api_client` names it)."""

    resident_id: int | None = None
    client: Open311Client | None = None

    @property
    def channel(self) -> Channel:
        return Channel.TELEGRAM if self.client is None else Channel.OPEN311

    @property
    def actor(self) -> str:
        """The first status event's actor."""
        return f"resident:{self.resident_id}" if self.client is None else f"open311:{self.client.name}"


class IncompleteDraft(Exception):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


class FilingService:
    def __init__(self, session: AsyncSession, city: CityConfig, clock: Clock = system_clock) -> None:
        self.session = session
        self.city = city
        self.clock = clock
        self.items = ItemRepository(session)

    async def submit(self, draft: Draft, resident: Resident) -> tuple[Item, bool]:
        """Files the draft; returns the item and whether it was new.

        Submitting the same draft twice returns the first item instead of a copy. Past the
        city's items-per-day limit it raises limits.LimitReached and stores nothing (the
        caller keeps the draft).
        """
        return await self.file(draft, Filer(resident_id=stored_id(resident)))

    async def file(self, draft: Draft, filer: Filer, address: str | None = None) -> tuple[Item, bool]:
        """`submit` for any filer: a resident, or an Open311 client (with the address it gave).
        The same checks, numbering, routing and pushes either way; the limit is the resident's
        items a day, or the client's."""
        complete, missing = draft.complete(), draft.missing() + self._unknown_codes(draft)
        if complete is None or missing:
            raise IncompleteDraft(missing)
        existing = await self.items.by_submission_key(draft.submission_key)
        if existing is not None:
            return existing, False
        try:
            await self._check_limit(filer)
            item = await self._insert(complete, filer, address)
            await self.session.commit()
        except limits.LimitReached:
            await self.session.rollback()
            raise
        except IntegrityError:
            await self.session.rollback()
            existing = await self.items.by_submission_key(draft.submission_key)
            if existing is None:
                raise
            return existing, False
        return item, True

    async def _check_limit(self, filer: Filer) -> None:
        if filer.client is not None:
            await limits.check_client(self.session, filer.client, self.clock())
        elif filer.resident_id is not None:
            await limits.check(self.session, limits.Limit.ITEMS, filer.resident_id, self.clock(),
                               self.city.moderation)

    def _unknown_codes(self, draft: Draft) -> list[str]:
        """A draft kept in Redis may outlive a change of the city file."""
        unknown = []
        if draft.category and self.city.category(draft.category) is None:
            unknown.append("category")
        if draft.district and self.city.district(draft.district) is None:
            unknown.append("district")
        return unknown

    async def _insert(self, draft: CompleteDraft, filer: Filer, address: str | None) -> Item:
        now = self.clock()
        local_year = self.city.local(now).year
        prefix = self.city.city.number_prefix
        number = await self.items.next_number(prefix, local_year)
        category = self.city.category(draft.category)
        item = Item(
            public_number=f"{prefix}-{local_year}-{number:06d}",
            public_token=secrets.token_urlsafe(9),
            kind=draft.kind,
            category=draft.category,
            district=draft.district,
            title=draft.title,
            body=draft.body,
            latitude=draft.latitude,
            longitude=draft.longitude,
            is_anonymous=bool(draft.anonymous),
            is_private=bool(category and category.private),
            status=INITIAL_STATUS[draft.kind],
            resident_id=filer.resident_id,
            channel=filer.channel.value,
            api_client=filer.client.name if filer.client else None,
            address=address,
            submission_key=draft.submission_key,
            created_at=now,
            updated_at=now,
        )
        self._apply_rule(item, now)
        self.session.add(item)
        await self.session.flush()
        item_id = stored_id(item)
        for position, photo in enumerate(draft.photos):
            self.session.add(
                Attachment(item_id=item_id, kind="photo", file_id=photo.file_id,
                           file_unique_id=photo.file_unique_id, position=position)
            )
        status.record_initial(self.session, item, actor=filer.actor)
        if filer.resident_id is not None:  # a client has no one to tell of changes
            self.session.add(Follow(item_id=item_id, resident_id=filer.resident_id, reason=FollowReason.FILED,
                                    created_at=now))
        if item.kind == Kind.COMPLAINT:  # proposals are routed when they reach review
            await AssignmentService(self.session, self.city).route(item, now)
        return item

    def _apply_rule(self, item: Item, now: dt.datetime) -> None:
        """Proposals keep the thresholds in force on the day they were filed."""
        if item.kind != Kind.PROPOSAL:
            return
        rule = self.city.rule_for(self.city.local(now).date())
        item.endorsement_goal = rule.endorsements_to_discussion
        item.participant_goal = rule.participants_to_review
        item.discussion_days = rule.discussion_days
        item.stage_deadline = now + dt.timedelta(days=rule.endorsement_window_days)

    async def similar_open_items(self, draft: Draft) -> list[Item]:
        """Up to three open public items of the same kind, category and district with a like title."""
        if not (draft.kind and draft.category and draft.district and draft.title):
            return []
        candidates = await self.items.open_in(
            draft.kind, draft.category, draft.district, OPEN_STATUSES, SIMILAR_CANDIDATES
        )
        scored = [(title_similarity(draft.title, c.title), c) for c in candidates]
        scored = [pair for pair in scored if pair[0] >= rules.SIMILARITY_THRESHOLD]
        scored.sort(key=lambda pair: (-pair[0], -stored_id(pair[1])))
        return [item for _, item in scored[: rules.SIMILAR_ITEMS_SHOWN]]
