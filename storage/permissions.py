"""What a resident's roles (table roles) let them do in the bot: the one place the handlers'
checks and their command menu (storage/services/command_menus.py) read it from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.city import CityConfig
from storage.vocabulary import Role

# Who sees the district statistics (/stats).
STATISTICS_ROLES = frozenset({Role.OFFICIAL, Role.ADMIN})
# The commands roles grant, in the order a role holder's command menu lists them (the inbox first).
ROLE_COMMANDS = ("inbox", "moderate", "stats", "broadcast", "newpoll")


@dataclass(frozen=True)
class Grants:
    roles: frozenset[Role]
    departments: frozenset[str]  # those they answer for as an official

    @classmethod
    def of(cls, roles: Iterable[tuple[str, str | None]]) -> Grants:
        """From (role, department) pairs, as the roles table holds them."""
        pairs = [(Role(role), department) for role, department in roles]
        return cls(frozenset(role for role, _ in pairs),
                   frozenset(d for role, d in pairs if role is Role.OFFICIAL and d is not None))

    @property
    def answers_for_a_department(self) -> bool:  # /inbox and the officials' actions
        return bool(self.departments)

    @property
    def moderates(self) -> bool:  # /moderate
        return Role.MODERATOR in self.roles

    @property
    def sees_statistics(self) -> bool:  # /stats
        return bool(self.roles & STATISTICS_ROLES)

    def broadcasts(self, city: CityConfig) -> bool:  # /broadcast
        """Admins, and officials of the departments the city file names in [broadcasts]."""
        return Role.ADMIN in self.roles or bool(self.departments & set(city.broadcasts.departments))

    @property
    def creates_polls(self) -> bool:  # /newpoll
        return Role.ADMIN in self.roles

    def commands(self, city: CityConfig) -> tuple[str, ...]:
        """The commands of their roles (ROLE_COMMANDS), in that order."""
        granted = {"inbox": self.answers_for_a_department, "moderate": self.moderates,
                   "stats": self.sees_statistics, "broadcast": self.broadcasts(city),
                   "newpoll": self.creates_polls}
        return tuple(name for name in ROLE_COMMANDS if granted[name])
