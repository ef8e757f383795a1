"""Who a broadcast or a poll is for: the one rule that turns an audience into residents.

An audience is any of: everyone; residents of some districts; residents following an item of
some categories; residents who opted in to some topics; and, for a poll's results, who
answered the poll and the admins. A resident in several groups counts once. Nobody who
blocked the bot is in any audience, and a resident's Settings › Broadcasts decide the rest:
`all` takes every group, `topics` only their topics, `none` nothing (answerers of a poll and
the admins get a poll's results whatever their setting: they asked for them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true

from storage.city import CityConfig
from storage.models import Follow, Item, OfficialRole, PollAnswer, Resident, ResidentTopic, table_of
from storage.vocabulary import BroadcastScope, Role

residents = table_of(Resident)
follows = table_of(Follow)
items = table_of(Item)
topics = table_of(ResidentTopic)
answers = table_of(PollAnswer)
roles = table_of(OfficialRole)


class AudienceError(ValueError):
    """An audience naming a code the city file does not have, or naming nobody."""


@dataclass(frozen=True)
class Audience:
    everyone: bool = False
    districts: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    poll_answers: int | None = None  # residents who answered this poll
    admins: bool = False

    def is_empty(self) -> bool:
        return not (self.everyone or self.districts or self.categories or self.topics
                    or self.poll_answers is not None or self.admins)

    def to_json(self) -> dict[str, Any]:
        """As stored in broadcasts.audience and polls.audience (docs/schema.md)."""
        stored: dict[str, Any] = {}
        if self.everyone:
            stored["everyone"] = True
        for key in ("districts", "categories", "topics"):
            if codes := getattr(self, key):
                stored[key] = list(codes)
        if self.poll_answers is not None:
            stored["poll_answers"] = self.poll_answers
        if self.admins:
            stored["admins"] = True
        return stored

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> Audience:
        return cls(everyone=bool(stored.get("everyone")), districts=tuple(stored.get("districts", ())),
                   categories=tuple(stored.get("categories", ())), topics=tuple(stored.get("topics", ())),
                   poll_answers=stored.get("poll_answers"), admins=bool(stored.get("admins")))

    def check(self, city: CityConfig) -> None:
        """Raises AudienceError unless every code is the city file's and someone is named."""
        if self.is_empty():
            raise AudienceError("the audience names nobody")
        unknown = ([f"district '{c}'" for c in self.districts if city.district(c) is None]
                   + [f"category '{c}'" for c in self.categories if city.category(c) is None]
                   + [f"topic '{c}'" for c in self.topics if city.topic(c) is None])
        if unknown:
            raise AudienceError("unknown " + ", ".join(unknown))

    def condition(self, settings: bool = True) -> ColumnElement[bool]:
        """The WHERE that picks this audience's residents (without the blocked ones).
        `settings` False: the groups alone, whatever a resident's Settings › Broadcasts or a
        block say: who a poll asks (may answer it, finds it under "Asking Citizens"), as
        opposed to whom it is sent."""
        wants_all = residents.c.broadcasts == BroadcastScope.ALL.value if settings else true()
        wants_some = residents.c.broadcasts != BroadcastScope.NONE.value if settings else true()
        groups: list[ColumnElement[bool]] = []
        if self.everyone:
            groups.append(wants_all)
        if self.districts:
            groups.append(and_(wants_all, residents.c.district.in_(self.districts)))
        if self.categories:
            following = exists().where(follows.c.resident_id == residents.c.id, items.c.id == follows.c.item_id,
                                       items.c.category.in_(self.categories))
            groups.append(and_(wants_all, following))
        if self.topics:
            opted_in = exists().where(topics.c.resident_id == residents.c.id, topics.c.topic.in_(self.topics))
            groups.append(and_(wants_some, opted_in))
        if self.poll_answers is not None:
            groups.append(exists().where(answers.c.resident_id == residents.c.id,
                                         answers.c.poll_id == self.poll_answers))
        if self.admins:
            groups.append(exists().where(roles.c.resident_id == residents.c.id, roles.c.role == Role.ADMIN.value))
        chosen = or_(*groups) if groups else false()
        return and_(residents.c.blocked.is_(false()), chosen) if settings else chosen

    def residents(self) -> Select[Any]:
        """id, telegram_id, language of each resident in the audience, once."""
        return select(residents.c.id, residents.c.telegram_id, residents.c.language).where(self.condition())
