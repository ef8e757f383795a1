"""How the sender renders a poll's messages (bot/notices.py): the question with its option
buttons, and a closed poll's results chart with its caption, in the resident's language."""

from __future__ import annotations

from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import BufferedInputFile

from bot.notices import Outgoing, renders
from handlers.polls.views import poll_markup, poll_text, results_caption
from storage.repositories.broadcasts import BroadcastContent, PollContent
from storage.services.polls import Counts, PollChoiceText, PollHead, PollView
from storage.vocabulary import NoticeKind


def _content(out: Outgoing) -> tuple[BroadcastContent, PollContent]:
    content = out.broadcast
    if content is None or content.poll is None:
        raise LookupError("a poll message without its poll")
    return content, content.poll


def head_of(poll: PollContent) -> PollHead:
    return PollHead(id=poll.id, question=poll.question,
                    options=tuple(PollChoiceText(position, texts) for position, texts in poll.options),
                    multiple=poll.multiple, show_results=False, closes_at=poll.closes_at, closed=poll.closed)


@renders(NoticeKind.POLL)
def poll_question(out: Outgoing) -> SendMessage:
    """The question and one button per option, nothing chosen yet (a poll closed before its
    message went out shows that it is closed)."""
    content, poll = _content(out)
    language = out.texts.language
    view = PollView(head_of(poll), frozenset(), None)
    return SendMessage(chat_id=out.chat_id, text=poll_text(out.texts, out.city, language, view),
                       reply_markup=poll_markup(out.texts, language, view), allow_paid_broadcast=content.paid or None)


@renders(NoticeKind.POLL_RESULTS)
def poll_results(out: Outgoing) -> SendPhoto:
    """The chart in the resident's language (uploaded once, then by file_id), under it the
    question and each option's count and share."""
    content, poll = _content(out)
    language = out.texts.language
    photo = content.photo(language)
    if photo is None:
        raise LookupError(f"poll results {content.id} without a chart")
    source = photo.file_id or BufferedInputFile(photo.data or b"", filename=f"{poll.id}-{language}.png")
    caption = results_caption(out.texts, language, head_of(poll), Counts(poll.counts, poll.answered))
    return SendPhoto(chat_id=out.chat_id, photo=source, caption=caption, allow_paid_broadcast=content.paid or None)
