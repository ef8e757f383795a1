"""How a poll looks: the question with its option buttons (the outbox's message and the one a
resident's taps edit), the list of open polls, an admin's live counts, and the results caption
under the chart. One builder for each, taking `t` (i18n.get in handlers, Texts in renderers).

The question and options come from admins, up to 300 and 10 × 100 characters: escaped, and cut
where a screen has less room (a caption holds 1,024), with every option keeping a fair share.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.callbacks import PollAction, PollCb
from handlers.limits import local_moment
from handlers.quote import MESSAGE, fit, units
from storage.city import CityConfig
from storage.services.polls import Counts, PollHead, PollListing, PollResults, PollView

T = Callable[..., str]  # t("key", name=value) in the resident's language
CAPTION = 1024  # Telegram's limit for a photo's caption
QUESTION = 1500  # units of the escaped question in a message: 300 characters fit whole, escaped
QUESTION_IN_CAPTION = 300  # units of the escaped question under the chart
BUTTON = 60  # characters of a question on a list button (Telegram shows about that much)
CUT = "…"


def share(value: float) -> str:
    return f"{value:.0%}"


def fitted(heads: Sequence[str], texts: Sequence[str], tails: Sequence[str], room: int) -> list[str]:
    """Lines head + text + tail, the texts escaped and cut so that all lines (one newline each)
    take at most `room` units; texts shorter than an equal share leave the rest to longer ones."""
    left = room - sum(units(head) + units(tail) + 1 for head, tail in zip(heads, tails, strict=True))
    allowed = [0] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: units(escape(texts[i], quote=False)))
    for done, i in enumerate(order):
        allowed[i] = max(len(CUT) + 1, min(units(escape(texts[i], quote=False)), left // (len(texts) - done)))
        left -= allowed[i]
    return [head + fit(text, limit, CUT) + tail
            for head, text, tail, limit in zip(heads, texts, tails, allowed, strict=True)]


def option_lines(head: PollHead, language: str, counts: Counts | None, chosen: frozenset[int], room: int) -> list[str]:
    """"✓ 1. Option — 12 (40%)": the resident's choices marked, counts when given."""
    heads = [("✓ " if option.position in chosen else "") + f"{option.position}. " for option in head.options]
    tails = [f" — {counts.of(o.position):,} ({share(counts.share(o.position))})" if counts else ""
             for o in head.options]
    return fitted(heads, [option.text[language] for option in head.options], tails, room)


def question(head: PollHead, language: str, limit: int) -> str:
    return f"<b>{fit(head.question[language], limit, CUT)}</b>"


def poll_text(t: T, city: CityConfig, language: str, view: PollView) -> str:
    """The poll as a resident sees it: heading, question, the counts once they answered (if
    the poll shows them), and how to answer or that it is closed."""
    head = view.poll
    closes = local_moment(head.closes_at, city)
    if head.closed:
        how = t("asking-closed", closes=closes)
    elif view.chosen:
        how = t("asking-how-change", closes=closes)
    else:
        how = t("asking-how-multiple" if head.multiple else "asking-how-single", closes=closes)
    parts = [t("asking-heading", city=city.city.name(language)), question(head, language, QUESTION)]
    if view.counts is not None:
        parts.append(t("asking-so-far", answered=f"{view.counts.answered:,}"))
    fixed = sum(units(part) + 2 for part in parts) + units(how) + 2
    if view.counts is not None:
        parts[-1] += "\n" + "\n".join(option_lines(head, language, view.counts, view.chosen, MESSAGE - fixed))
    return "\n\n".join([*parts, how])


def poll_markup(t: T, language: str, view: PollView, back: bool = False) -> InlineKeyboardMarkup:
    """One button per option (✓ on the resident's choices); a closed poll has one button saying
    so. `back`: opened from the list, with a button back to it."""
    head = view.poll
    if head.closed:
        rows = [[_button(t("asking-button-closed"), PollCb(action=PollAction.OPEN, poll=head.id, listed=back))]]
    else:
        rows = [[_button(("✓ " if option.position in view.chosen else "") + option.text[language],
                         PollCb(action=PollAction.ANSWER, poll=head.id, position=option.position, listed=back))]
                for option in head.options]
    if back:
        rows.append([_button(t("asking-button-list"), PollCb(action=PollAction.LIST, poll=head.id))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _button(text: str, data: PollCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def list_text(t: T, listings: Sequence[PollListing]) -> str:
    return t("asking-list-head") if listings else t("asking-list-empty")


def list_markup(language: str, listings: Sequence[PollListing]) -> InlineKeyboardMarkup | None:
    if not listings:
        return None
    rows = [[_button(("✓ " if listing.answered else "🗳 ") + short(listing.poll.question[language], BUTTON),
                     PollCb(action=PollAction.OPEN, poll=listing.poll.id, listed=True))] for listing in listings]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def short(text: str, limit: int) -> str:
    """Plain text (a button's) of at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + CUT


def district_name(t: T, city: CityConfig, language: str, code: str | None) -> str:
    if code is None:
        return t("asking-no-district")
    district = city.district(code)
    return district.name(language) if district else code


def stats_text(t: T, city: CityConfig, language: str, results: PollResults) -> str:
    """An admin's live view: the counts of each option, turnout, and turnout by district."""
    head, total = results.poll, results.total
    key = "asking-admin-closed" if head.closed else "asking-admin-open"
    parts = [t(key, poll=str(head.id), closes=local_moment(head.closes_at, city)),
             question(head, language, QUESTION)]
    if results.audience_size:
        parts.append(t("asking-admin-turnout", answered=f"{total.answered:,}", asked=f"{results.audience_size:,}",
                       share=share(total.answered / results.audience_size)))
    else:
        parts.append(t("asking-admin-answered", answered=f"{total.answered:,}"))
    districts = [f"{escape(district_name(t, city, language, code), quote=False)}: {counts.answered:,} "
                 f"({share(counts.answered / total.answered if total.answered else 0)})"
                 for code, counts in results.by_district]
    if districts:
        parts.append(t("asking-admin-districts") + "\n" + "\n".join(districts))
    room = MESSAGE - sum(units(part) + 2 for part in parts) - 2
    parts.insert(2, "\n".join(option_lines(head, language, total, frozenset(), room)))
    return "\n\n".join(parts)


def stats_markup(t: T, results: PollResults) -> InlineKeyboardMarkup:
    poll = results.poll.id
    row = [_button(t("asking-button-refresh"), PollCb(action=PollAction.STATS, poll=poll))]
    if not results.poll.closed:
        row.append(_button(t("asking-button-close"), PollCb(action=PollAction.CLOSE, poll=poll)))
    return InlineKeyboardMarkup(inline_keyboard=[row])


def close_markup(t: T, poll: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        _button(t("asking-button-close-yes"), PollCb(action=PollAction.CLOSE_YES, poll=poll)),
        _button(t("asking-button-close-no"), PollCb(action=PollAction.STATS, poll=poll)),
    ]])


def results_caption(t: T, language: str, head: PollHead, counts: Counts) -> str:
    """Under the results chart: the question and each option's count and share, in 1,024."""
    parts = [t("asking-results-head", answered=f"{counts.answered:,}"), question(head, language, QUESTION_IN_CAPTION)]
    room = CAPTION - sum(units(part) + 1 for part in parts)
    return "\n".join([*parts, *option_lines(head, language, counts, frozenset(), room)])
