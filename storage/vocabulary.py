"""Fixed sets of values the bot, the database and the city's platform share.

Each set lives here once; models derive their CHECK constraints from it, handlers their
buttons, services their validation.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    KOREAN = "ko"
    ENGLISH = "en"


# In the order residents are offered them.
LANGUAGES: tuple[str, ...] = tuple(language.value for language in Language)


class Stance(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    NEUTRAL = "neutral"


class FollowReason(StrEnum):
    FILED = "filed"
    ENDORSED = "endorsed"
    DISCUSSED = "discussed"
    ASKED = "asked"


def sql_values(values: type[StrEnum] | tuple[str, ...]) -> str:
    """`'a', 'b'` for a CHECK constraint's IN list."""
    return ", ".join(f"'{value}'" for value in (v.value if isinstance(v, StrEnum) else v for v in values))


class Channel(StrEnum):
    """How an item reached Sotong: a resident in the bot, or an Open311 client of the city file."""

    TELEGRAM = "telegram"
    OPEN311 = "open311"


class Role(StrEnum):
    """What a resident may do for the city: answer for a department, moderate, administer."""

    OFFICIAL = "official"  # always of one department
    MODERATOR = "moderator"
    ADMIN = "admin"


class AssignmentState(StrEnum):
    """Where one department stands with one item routed to it."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    TRANSFERRED = "transferred"  # handed to another department, which got its own assignment
    DECLINED = "declined"        # "not ours", with a reason


# Assignments a department still has to act on: its /inbox and its overdue reminders.
OPEN_ASSIGNMENT_STATES: tuple[str, ...] = (AssignmentState.NEW.value, AssignmentState.ACKNOWLEDGED.value)
# Assignments that still count as the item being with that department (shown on the card).
ACTIVE_ASSIGNMENT_STATES: tuple[str, ...] = (*OPEN_ASSIGNMENT_STATES, AssignmentState.ANSWERED.value)


class AnswerAuthor(StrEnum):
    """Who wrote a message of an item's thread: the department, or the filer replying to it."""

    DEPARTMENT = "department"
    FILER = "filer"


class NotifyScope(StrEnum):
    """Which status updates reach a resident (Settings)."""

    ALL = "all"   # everything they follow: their own items, endorsed, discussed, followed
    OWN = "own"   # only the items they filed
    NONE = "none"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"    # gave up after retries; last_error says why
    DROPPED = "dropped"  # the resident blocked the bot: not sent, and never will be
    PAUSED = "paused"    # a broadcast's message held while its sender paused it (back to pending on resume)
    CANCELLED = "cancelled"  # a broadcast's message not sent because the broadcast was cancelled


class OutboxPriority:
    """Which outbox messages go first: a resident's and an official's own notices are never
    stuck behind a city-wide broadcast (lower goes first; one chat's messages of one priority
    keep their order)."""

    NOTICE = 0
    BULK = 1  # broadcasts, polls and poll results


class NoticeKind(StrEnum):
    """What an outbox message is; bot/notices.py renders each kind in the resident's language."""

    ASSIGNMENT = "assignment"                    # push to an official: the item and its buttons
    ASSIGNMENT_ALBUM = "assignment_album"        # the item's photos, before the push
    ASSIGNMENT_LOCATION = "assignment_location"  # the item's map pin, before the push
    STATUS = "status"                            # an item a resident follows changed stage
    ANSWER = "answer"                            # a department answered an item a resident follows
    REPLY = "reply"                              # the filer replied to a department's answer
    REMINDER = "reminder"                        # a department's overdue assignments, once a day
    FOLLOWUP = "followup"                        # "Is it fixed?" some days after resolved
    ADMIN = "admin"                              # something the admins must know
    MODERATION = "moderation"                    # push to moderators: a target reached the report threshold
    MODERATED = "moderated"                      # to an author: their item or comment is under review, kept hidden, restored
    BROADCAST = "broadcast"                      # a city announcement (table broadcasts)
    POLL = "poll"                                # "Asking Citizens": a poll with its option buttons
    POLL_RESULTS = "poll_results"                # a closed poll's chart, to the admins and who answered
    BROADCAST_PROGRESS = "broadcast_progress"    # edits the sender's progress message of a broadcast
    COMMAND_MENU = "command_menu"                # sets a role holder's command menu (their chat's), or resets it


class BroadcastScope(StrEnum):
    """Which city broadcasts reach a resident (Settings › Broadcasts). Status updates about
    items they follow are not broadcasts (see NotifyScope)."""

    ALL = "all"        # city-wide announcements, their district's, and the topics they picked
    TOPICS = "topics"      # only the topics they picked
    NONE = "none"


class BroadcastKind(StrEnum):
    ANNOUNCEMENT = "announcement"  # text (ko/en) and an optional photo
    POLL = "poll"                  # a poll's question and option buttons (polls)
    POLL_RESULTS = "poll_results"  # a closed poll's chart


class BroadcastState(StrEnum):
    SENDING = "sending"      # its outbox rows are queued and being sent
    PAUSED = "paused"        # its pending rows are held (outbox state paused)
    CANCELLED = "cancelled"  # what was not sent never will be
    DONE = "done"            # nothing of it is left pending


# Where a broadcast's audience may come from (several: anyone in any of them, once).
class AudienceGroup(StrEnum):
    EVERYONE = "everyone"
    DISTRICTS = "districts"
    CATEGORIES = "categories"  # residents who follow an item of these categories
    TOPICS = "topics"          # residents who opted in to these topics


class ReportTarget(StrEnum):
    ITEM = "item"
    COMMENT = "comment"  # a stance's comment (table stances)


class ReportReason(StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"  # personal data of someone
    NOT_CITY = "not_city"            # not a city matter
    OTHER = "other"


class ModerationDecision(StrEnum):
    RESTORE = "restore"          # shown again, reports cleared
    KEEP_HIDDEN = "keep_hidden"  # the author is told why
    BAN = "ban"                  # keep hidden and ban the author (a day, a week, for good)
