"""Tables of the shared database: the contract with the city's main platform.

docs/schema.md documents every column and which ones the platform may write.
Changing a model needs a migration in storage/migrations/versions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
    text,
    true,
)
from sqlmodel import Field, SQLModel

from storage import vocabulary
from storage.lifecycle import ALL_KINDS, ALL_STATUSES
from storage.listing import public_window_clause
from storage.statistics_clauses import department_answer_clause, discussion_event_clause
from storage.types import UTCDateTime, utcnow
from storage.visibility import public_clause
from storage.vocabulary import (
    AnswerAuthor,
    AssignmentState,
    BroadcastKind,
    BroadcastScope,
    BroadcastState,
    Channel,
    FollowReason,
    ModerationDecision,
    NoticeKind,
    NotifyScope,
    OutboxPriority,
    OutboxState,
    ReportReason,
    ReportTarget,
    Role,
    sql_values,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING


def _created() -> Column:
    return Column(UTCDateTime(), nullable=False, default=utcnow)


def _updated() -> Column:
    return Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class Resident(SQLModel, table=True):
    __tablename__ = "residents"
    __table_args__ = (
        CheckConstraint(f"notify IN ({sql_values(NotifyScope)})", name="notify"),
        CheckConstraint(f"broadcasts IN ({sql_values(BroadcastScope)})", name="broadcasts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False, unique=True))
    language: str = Field(max_length=8)
    full_name: str = Field(default="", max_length=256)
    username: str | None = Field(default=None, max_length=64)
    district: str | None = Field(default=None, max_length=24)
    blocked: bool = Field(default=False)
    # Which status updates reach them (Settings): everything they follow, their own items, none.
    notify: str = Field(default=NotifyScope.ALL.value, sa_column=Column(
        String(8), nullable=False, default=NotifyScope.ALL.value, server_default=NotifyScope.ALL.value))
    # Which city broadcasts reach them (Settings): city-wide and their district's and their
    # topics', only their topics' (table resident_topics), none.
    broadcasts: str = Field(default=BroadcastScope.ALL.value, sa_column=Column(
        String(8), nullable=False, default=BroadcastScope.ALL.value, server_default=BroadcastScope.ALL.value))
    # Until when the resident is banned (moderation); null: not banned. A ban for good is
    # stored as 9999-12-31 (storage/services/bans.py).
    banned_until: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # When a banned resident last got the polite "you are banned" answer (once a day at most).
    ban_notice_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_updated())


# Who filed an item: a resident in the bot, or (with no resident) an Open311 client.
FILER_CHECK = (f"(channel = '{Channel.TELEGRAM.value}' AND resident_id IS NOT NULL AND api_client IS NULL) OR "
               f"(channel = '{Channel.OPEN311.value}' AND resident_id IS NULL AND api_client IS NOT NULL)")


class Item(SQLModel, table=True):
    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_values(ALL_KINDS)})", name="kind"),
        CheckConstraint(f"status IN ({sql_values(ALL_STATUSES)})", name="status"),
        CheckConstraint(f"channel IN ({sql_values(Channel)})", name="channel"),
        CheckConstraint(FILER_CHECK, name="filer"),
        Index("ix_items_category_district_status", "category", "district", "status"),
        Index("ix_items_status_created_at", "status", "created_at"),
        Index("ix_items_status_stage_deadline", "status", "stage_deadline"),
        # My submissions: a resident's items, newest first.
        Index("ix_items_resident_id_created_at", "resident_id", "created_at"),
        # An Open311 client's items of the last day (its daily limit).
        Index("ix_items_api_client_created_at", "api_client", "created_at",
              postgresql_where=text("api_client IS NOT NULL"), sqlite_where=text("api_client IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    public_number: str = Field(max_length=24, unique=True)
    public_token: str = Field(max_length=16, unique=True)
    kind: str = Field(max_length=16)
    category: str = Field(max_length=24)
    district: str = Field(max_length=24)
    title: str = Field(max_length=100)
    body: str = Field(sa_column=Column(Text, nullable=False))
    latitude: float | None = None
    longitude: float | None = None
    is_anonymous: bool = False
    is_private: bool = False
    status: str = Field(max_length=16)
    # The filer in the bot; None for an item filed through Open311 (see `api_client`).
    resident_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("residents.id"), nullable=True))
    channel: str = Field(default=Channel.TELEGRAM.value, sa_column=Column(
        String(16), nullable=False, default=Channel.TELEGRAM.value, server_default=Channel.TELEGRAM.value))
    # The Open311 client (its name in the city file) that filed it; None in the bot.
    api_client: str | None = Field(default=None, max_length=40)
    # Where, as a person wrote it (Open311's address_string); the bot has only points.
    address: str | None = Field(default=None, max_length=250)
    endorsement_count: int = 0
    participant_count: int = 0
    endorsement_goal: int | None = None
    participant_goal: int | None = None
    discussion_days: int | None = None
    stage_deadline: dt.datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    submission_key: str = Field(max_length=36, unique=True)
    # When the filer of a resolved complaint is asked "Is it fixed?" (cleared once asked).
    followup_due_at: dt.datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_updated())


class Attachment(SQLModel, table=True):
    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("item_id", "file_unique_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str = Field(default="photo", max_length=16)
    file_id: str = Field(max_length=256)
    file_unique_id: str = Field(max_length=64)
    position: int = 0
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())


class StatusEvent(SQLModel, table=True):
    __tablename__ = "status_events"
    __table_args__ = (
        # The events whose residents have not been told yet: what the worker fans out.
        Index("ix_status_events_unnotified", "id", postgresql_where=text("notified_at IS NULL"),
              sqlite_where=text("notified_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    actor: str = Field(max_length=64)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    # Set by the worker when it has queued the notifications; rows inserted without it
    # (the platform's included) are found and fanned out, whatever order they commit in.
    notified_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class NumberCounter(SQLModel, table=True):
    """Last public number handed out per prefix and year; bumped atomically on filing."""

    __tablename__ = "number_counters"

    prefix: str = Field(sa_column=Column(String(8), primary_key=True))
    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    last_value: int = 0


class Endorsement(SQLModel, table=True):
    """One resident's endorsement (공감) of a proposal; withdrawing deletes the row."""

    __tablename__ = "endorsements"
    __table_args__ = (
        UniqueConstraint("item_id", "resident_id"),
        # My endorsements: a resident's endorsements, newest first.
        Index("ix_endorsements_resident_id_created_at", "resident_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False)
    )
    resident_id: int = Field(
        sa_column=Column(Integer, ForeignKey("residents.id"), nullable=False)
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())


class Follow(SQLModel, table=True):
    """Who wants to hear about an item: the filer, endorsers, participants, anyone who asks."""

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint(f"reason IN ({sql_values(FollowReason)})", name="reason"),
    )

    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    )
    resident_id: int = Field(
        sa_column=Column(Integer, ForeignKey("residents.id"), primary_key=True, index=True)
    )
    reason: str = Field(max_length=16)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())


class Stance(SQLModel, table=True):
    """A resident's position in a proposal's discussion, with an optional comment."""

    __tablename__ = "stances"
    __table_args__ = (
        UniqueConstraint("item_id", "resident_id"),
        CheckConstraint(f"stance IN ({sql_values(vocabulary.Stance)})", name="stance"),
        # A discussion's comments, most recently changed first.
        Index("ix_stances_item_id_updated_at", "item_id", "updated_at"),
        # The comments-per-hour limit: a resident's latest comments.
        Index("ix_stances_resident_id_updated_at", "resident_id", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False)
    )
    resident_id: int = Field(sa_column=Column(Integer, ForeignKey("residents.id"), nullable=False))
    stance: str = Field(max_length=8)
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Hidden by reports or a moderator: the comment is shown to nobody (the stance still counts).
    hidden: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False,
                                                         server_default=false()))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_updated())


class OfficialRole(SQLModel, table=True):
    """A resident who acts for the city: an official of one department, a moderator, an admin.
    One person may hold several rows (several departments, or official and admin)."""

    __tablename__ = "roles"
    __table_args__ = (
        CheckConstraint(f"role IN ({sql_values(Role)})", name="role"),
        CheckConstraint("(role = 'official') = (department IS NOT NULL)", name="department"),
        UniqueConstraint("resident_id", "role", "department"),
        # Moderator and admin rows have no department, and NULLs never collide in a UNIQUE.
        Index("ux_roles_resident_id_role_no_department", "resident_id", "role", unique=True,
              postgresql_where=text("department IS NULL"), sqlite_where=text("department IS NULL")),
        Index("ix_roles_department", "department"),
    )

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(sa_column=Column(Integer, ForeignKey("residents.id"), nullable=False))
    role: str = Field(max_length=16)
    department: str | None = Field(default=None, max_length=24)
    granted_by: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())


class Invite(SQLModel, table=True):
    """A one-time link that makes whoever opens it first (while valid) an official."""

    __tablename__ = "invites"
    __table_args__ = (CheckConstraint(f"role IN ({sql_values(Role)})", name="role"),)

    token: str = Field(sa_column=Column(String(32), primary_key=True))
    department: str | None = Field(default=None, max_length=24)
    role: str = Field(default=Role.OFFICIAL.value, max_length=16)
    expires_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_by: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("residents.id"), nullable=True))
    used_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())


class Assignment(SQLModel, table=True):
    """One item routed to one department, with that department's own state and due date."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint(f"state IN ({sql_values(AssignmentState)})", name="state"),
        UniqueConstraint("item_id", "department"),
        # /inbox and the overdue reminders: a department's open assignments by due date.
        Index("ix_assignments_department_state_due_at", "department", "state", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False)
    )
    department: str = Field(max_length=24)
    state: str = Field(default=AssignmentState.NEW.value, max_length=16)
    received_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    due_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    acknowledged_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    answered_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    closed_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The transfer note or the "not ours" reason.
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Set when this assignment came from another department's transfer.
    transferred_from: str | None = Field(default=None, max_length=24)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_updated())


class Answer(SQLModel, table=True):
    """An item's thread: a department's answers and the filer's replies to them."""

    __tablename__ = "answers"
    __table_args__ = (
        CheckConstraint(f"author IN ({sql_values(AnswerAuthor)})", name="author"),
        Index("ix_answers_item_id_created_at", "item_id", "created_at"),
        Index("ix_answers_unnotified", "id", postgresql_where=text("notified_at IS NULL"),
              sqlite_where=text("notified_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False)
    )
    # The department that answers, or that the filer replies to.
    department: str = Field(max_length=24)
    author: str = Field(max_length=16)
    # Who wrote it: the official or the filer; NULL when the city's platform wrote it.
    resident_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("residents.id"), nullable=True))
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    # As for status events: set once the worker has queued who must hear of it.
    notified_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class OutboxMessage(SQLModel, table=True):
    """A message the bot sends on its own initiative, written in the same transaction as what
    causes it and sent by `sotong worker` within Telegram's rate limits (bot/outbox.py)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(f"state IN ({sql_values(OutboxState)})", name="state"),
        CheckConstraint(f"kind IN ({sql_values(NoticeKind)})", name="kind"),
        # What the sender reads: pending messages, notices before broadcasts, in the order queued.
        Index("ix_outbox_pending", "priority", "id", postgresql_where=text("state = 'pending'"),
              sqlite_where=text("state = 'pending'")),
        Index("ix_outbox_chat_id_state", "chat_id", "state"),
        # A broadcast's progress, pause, resume and cancel.
        Index("ix_outbox_broadcast_id_state", "broadcast_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    resident_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("residents.id"), nullable=True))
    kind: str = Field(max_length=24)
    language: str = Field(max_length=8)
    # What the renderer of `kind` needs, captured when queued (bot/notices.py).
    args: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The same notice is queued once: e.g. "status:<event id>:<resident id>".
    dedupe_key: str | None = Field(default=None, sa_column=Column(String(96), nullable=True, unique=True))
    state: str = Field(default=OutboxState.PENDING.value, max_length=12)
    attempts: int = 0
    not_before: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    sent_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The broadcast (announcement, poll, poll results) this message is one of.
    broadcast_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("broadcasts.id", ondelete="CASCADE"), nullable=True))
    # OutboxPriority: 0 notices, 1 broadcasts (sent after every pending notice).
    priority: int = Field(default=OutboxPriority.NOTICE, sa_column=Column(
        SmallInteger, nullable=False, default=OutboxPriority.NOTICE, server_default=text("0")))
    # The worker sending it and until when its claim (a lease it renews) holds (bot/outbox.py).
    claimed_by: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    claimed_until: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Report(SQLModel, table=True):
    """A resident's report of an item or a comment; one per resident and target."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(f"target IN ({sql_values(ReportTarget)})", name="target"),
        CheckConstraint(f"reason IN ({sql_values(ReportReason)})", name="reason"),
        UniqueConstraint("target", "target_id", "resident_id"),
        # Counting a target's open reports; a resident's reports of the day (the limit).
        Index("ix_reports_target_target_id_cleared_at", "target", "target_id", "cleared_at"),
        Index("ix_reports_resident_id_created_at", "resident_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    target: str = Field(max_length=8)
    # items.id for an item, stances.id for a comment.
    target_id: int = Field(sa_column=Column(Integer, nullable=False))
    # The item reported, or the item the comment is on.
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False))
    resident_id: int = Field(sa_column=Column(Integer, ForeignKey("residents.id"), nullable=False))
    reason: str = Field(max_length=16)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    # Set when a moderator restored the target: the report no longer counts.
    cleared_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ModerationRecord(SQLModel, table=True):
    """A moderator's decision on a hidden target: who, when, which."""

    __tablename__ = "moderation_decisions"
    __table_args__ = (
        CheckConstraint(f"target IN ({sql_values(ReportTarget)})", name="target"),
        CheckConstraint(f"decision IN ({sql_values(ModerationDecision)})", name="decision"),
        Index("ix_moderation_decisions_target_target_id", "target", "target_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    target: str = Field(max_length=8)
    target_id: int = Field(sa_column=Column(Integer, nullable=False))
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False))
    # The moderator; null when the city's platform decided.
    moderator_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("residents.id"), nullable=True))
    decision: str = Field(max_length=16)
    # For a ban: until when (9999-12-31 for good).
    banned_until: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())


class ResidentTopic(SQLModel, table=True):
    """A topic of the city file's `[[topics]]` a resident opted in to for broadcasts."""

    __tablename__ = "resident_topics"

    resident_id: int = Field(sa_column=Column(Integer, ForeignKey("residents.id", ondelete="CASCADE"),
                                              primary_key=True))
    topic: str = Field(sa_column=Column(String(24), primary_key=True, index=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())


class CommandMenu(SQLModel, table=True):
    """The command menu last queued for a role holder's chat (storage/services/command_menus.py);
    no row: Telegram's default menu. Its own table, not a column of residents, so that the bot
    saving a resident it had cached never writes back an older menu."""

    __tablename__ = "command_menus"

    resident_id: int = Field(sa_column=Column(Integer, ForeignKey("residents.id", ondelete="CASCADE"),
                                              primary_key=True))
    # "<language>:<the commands of their roles>", e.g. "ko:inbox,stats".
    menu: str = Field(sa_column=Column(String(96), nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_updated())


class Broadcast(SQLModel, table=True):
    """A message the city sends to many residents at once: an announcement, a poll, a poll's
    results. Its messages are outbox rows with this `broadcast_id`."""

    __tablename__ = "broadcasts"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_values(BroadcastKind)})", name="kind"),
        CheckConstraint(f"state IN ({sql_values(BroadcastState)})", name="state"),
        Index("ix_broadcasts_state", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    # Who composed it; null from the command line.
    author_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("residents.id"), nullable=True))
    text_ko: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    text_en: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    poll_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("polls.id"), nullable=True))
    # Who it is for (storage/services/audience.py): {"everyone": true} or lists of
    # "districts", "categories", "topics"; poll results: {"poll_answers": id, "admins": true}.
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Sent as paid broadcasts (allow_paid_broadcast): only when the city file allows them.
    paid: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False, server_default=false()))
    state: str = Field(default=BroadcastState.SENDING.value, max_length=12)
    # Residents it was queued for (outbox rows written).
    audience_size: int = 0
    # The sender's progress message, edited as it goes.
    progress_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    progress_message_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    finished_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class BroadcastPhoto(SQLModel, table=True):
    """A broadcast's photo in one language: the file's bytes until Telegram has it, then its
    file_id, so 100,000 messages upload it once."""

    __tablename__ = "broadcast_photos"
    __table_args__ = (CheckConstraint("data IS NOT NULL OR file_id IS NOT NULL", name="source"),)

    broadcast_id: int = Field(sa_column=Column(Integer, ForeignKey("broadcasts.id", ondelete="CASCADE"),
                                               primary_key=True))
    language: str = Field(sa_column=Column(String(8), primary_key=True))
    data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    file_id: str | None = Field(default=None, sa_column=Column(String(256), nullable=True))


class Poll(SQLModel, table=True):
    """"Asking Citizens": a question the city asks, open until `closes_at`."""

    __tablename__ = "polls"
    __table_args__ = (Index("ix_polls_closed_at_closes_at", "closed_at", "closes_at"),)

    id: int | None = Field(default=None, primary_key=True)
    question_ko: str = Field(sa_column=Column(Text, nullable=False))
    question_en: str = Field(sa_column=Column(Text, nullable=False))
    # Several options may be chosen at once.
    multiple: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False,
                                                           server_default=false()))
    # Residents see the counts once they have answered.
    show_results: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, default=True,
                                                              server_default=true()))
    # As broadcasts.audience: who is asked.
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    author_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("residents.id"), nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    closes_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Set when the worker closed it and queued its results.
    closed_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class PollOption(SQLModel, table=True):
    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(sa_column=Column(Integer, ForeignKey("polls.id", ondelete="CASCADE"), nullable=False))
    # 1, 2, …: the order shown, and the number in its button's callback data.
    position: int = Field(sa_column=Column(SmallInteger, nullable=False))
    text_ko: str = Field(max_length=100)
    text_en: str = Field(max_length=100)


class PollAnswer(SQLModel, table=True):
    """One resident's answer to one poll (its options are in poll_choices)."""

    __tablename__ = "poll_answers"
    __table_args__ = (UniqueConstraint("poll_id", "resident_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(sa_column=Column(Integer, ForeignKey("polls.id", ondelete="CASCADE"), nullable=False))
    resident_id: int = Field(sa_column=Column(Integer, ForeignKey("residents.id"), nullable=False))
    # The resident's district when they (last) answered; null if they had chosen none.
    district: str | None = Field(default=None, max_length=24)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_created())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_updated())


class PollChoice(SQLModel, table=True):
    __tablename__ = "poll_choices"

    answer_id: int = Field(sa_column=Column(Integer, ForeignKey("poll_answers.id", ondelete="CASCADE"),
                                            primary_key=True))
    option_id: int = Field(sa_column=Column(Integer, ForeignKey("poll_options.id", ondelete="CASCADE"),
                                            primary_key=True, index=True))


def table_of(model: type[SQLModel]) -> Table:
    """The model's table, for SQLAlchemy Core statements (SQLModel does not type `__table__`)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def stored_id(row: Resident | Item | Assignment | Answer | OutboxMessage | OfficialRole | Broadcast | Poll
              | PollOption | PollAnswer) -> int:
    """The id of a row that has been written: the database gives it on the first flush."""
    if row.id is None:
        raise ValueError(f"this {type(row).__name__} has not been written yet")
    return row.id


def built_on(obj: object, dialect: str) -> bool:
    """Whether the models build this index on that engine. Alembic's comparison does not read
    `ddl_if`, so objects for one engine only say so in `info["dialects"]` too."""
    return dialect in getattr(obj, "info", {}).get("dialects", (dialect,))


def _browse_indexes() -> None:
    """Partial indexes for each browse order, with and without a district. Their predicates
    are built by the same functions as the queries' WHERE, so PostgreSQL can match them."""
    items = table_of(Item)
    public, window = public_clause(items), public_window_clause(items)
    orders = {
        "created": ((items.c.created_at.desc(), items.c.id.desc()), public),
        "endorsed": ((items.c.endorsement_count.desc(), items.c.id.desc()), public),
        "ending": ((items.c.stage_deadline, items.c.id), window),
    }
    for name, (columns, where) in orders.items():
        for district in (False, True):
            prefix = (items.c.district,) if district else ()
            Index(f"ix_items_public_{'district_' if district else ''}{name}", *prefix, *columns,
                  postgresql_where=where, sqlite_where=where)
    # The Open311 API's list of one service (category), newest first.
    Index("ix_items_public_category_created", items.c.category, *orders["created"][0],
          postgresql_where=public, sqlite_where=public)
    # Search (ILIKE '%word%') on PostgreSQL: trigram indexes (extension pg_trgm). SQLite scans.
    event.listen(items, "before_create", DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))
    for column in (items.c.title, items.c.body):
        Index(f"ix_items_public_{column.name}_trgm", column, postgresql_using="gin",
              postgresql_ops={column.name: "gin_trgm_ops"}, postgresql_where=public,
              info={"dialects": ("postgresql",)}).ddl_if(dialect="postgresql")



def _statistics_indexes() -> None:
    """What the statistics read of each item, in item order, from indexes alone: the item's own
    columns, its first department answer, its earliest due date, whether it reached discussion."""
    items, answers, events = table_of(Item), table_of(Answer), table_of(StatusEvent)
    # Every column the statistics read of an item, in id order: the index is read, not the
    # wide rows (titles, texts).
    Index("ix_items_statistics", items.c.id, items.c.created_at, items.c.status, items.c.kind, items.c.district,
          items.c.category)
    where = department_answer_clause(answers)
    Index("ix_answers_department_item_id_created_at", answers.c.item_id, answers.c.created_at,
          postgresql_where=where, sqlite_where=where)
    assignments = table_of(Assignment)
    Index("ix_assignments_item_id_due_at", assignments.c.item_id, assignments.c.due_at)
    where = discussion_event_clause(events)
    Index("ix_status_events_discussion_item_id", events.c.item_id, postgresql_where=where, sqlite_where=where)


_browse_indexes()
_statistics_indexes()
