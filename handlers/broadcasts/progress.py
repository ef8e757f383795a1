"""A broadcast's progress message: its counts and the time left, with Pause, Resume and Cancel.

The composer sends it on Confirm; from then on the worker's "broadcast progress" job queues an
edit (a BROADCAST_PROGRESS notice, rendered here) whenever the counts change, and a press of
its buttons redraws it at once. The buttons ask BroadcastService.control, which checks in its
transaction that the presser wrote the broadcast or is an admin.
"""

from __future__ import annotations

from typing import Any

from aiogram.methods import EditMessageText
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.notices import Outgoing, Texts, renders, when_gone
from bot.services import Services
from handlers.broadcasts.callbacks import BroadcastControl, ControlAction
from handlers.officials.replies import texts
from handlers.replies import edit_in_place, pressed
from storage.models import Resident, stored_id
from storage.services.broadcast_progress import ProgressReport, ProgressService
from storage.services.broadcasts import BroadcastRefused
from storage.vocabulary import BroadcastState, NoticeKind

STATES = {BroadcastState.SENDING.value: "broadcast-state-sending", BroadcastState.PAUSED.value: "broadcast-state-paused",
          BroadcastState.DONE.value: "broadcast-state-done", BroadcastState.CANCELLED.value: "broadcast-state-cancelled"}
CONTROL_REFUSALS = {"not-allowed": "broadcast-control-not-allowed", "already": "broadcast-control-already"}
# What each button asks for, and the toast once done.
MOVES = {ControlAction.PAUSE: (BroadcastState.PAUSED, "broadcast-paused"),
         ControlAction.RESUME: (BroadcastState.SENDING, "broadcast-resumed")}


def _time_left(t: Texts, report: ProgressReport) -> str | None:
    if report.finished or report.state == BroadcastState.PAUSED.value:
        return None
    if report.seconds_left is None:
        return t("broadcast-progress-eta-unknown")
    if report.seconds_left < 60:
        return t("broadcast-progress-eta-minute")
    return t("broadcast-progress-eta", minutes=-(-report.seconds_left // 60))


def progress_text(t: Texts, report: ProgressReport) -> str:
    p = report.progress
    lines = [t("broadcast-progress-head", id=str(report.broadcast_id), state=t(STATES[report.state]), total=p.total),
             t("broadcast-progress-counts", sent=p.sent, failed=p.failed, blocked=p.blocked, remaining=p.pending)]
    if p.cancelled:
        lines.append(t("broadcast-progress-cancelled", cancelled=p.cancelled))
    if (left := _time_left(t, report)) is not None:
        lines.append(left)
    return "\n".join(lines)


def progress_markup(t: Texts, report: ProgressReport) -> InlineKeyboardMarkup | None:
    """Pause or Resume, and Cancel, while it is not over."""
    if report.finished:
        return None
    builder = InlineKeyboardBuilder()
    paused = report.state == BroadcastState.PAUSED.value
    action, key = (ControlAction.RESUME, "broadcast-btn-resume") if paused else (ControlAction.PAUSE,
                                                                                 "broadcast-btn-pause")
    builder.button(text=t(key), callback_data=BroadcastControl(action=action, broadcast=report.broadcast_id))
    builder.button(text=t("broadcast-btn-cancel"),
                   callback_data=BroadcastControl(action=ControlAction.CANCEL, broadcast=report.broadcast_id))
    builder.adjust(2)
    return builder.as_markup()


@renders(NoticeKind.BROADCAST_PROGRESS)
def progress_edit(out: Outgoing) -> EditMessageText:
    """The progress message redrawn with the counts the worker found."""
    report = ProgressReport.of_args(out.args)
    return EditMessageText(chat_id=out.chat_id, message_id=int(out.args["message"]),
                           text=progress_text(out.texts, report), reply_markup=progress_markup(out.texts, report))


@when_gone(NoticeKind.BROADCAST_PROGRESS)
async def progress_gone(session: AsyncSession, args: dict[str, Any]) -> None:
    await ProgressService(session).forget_message(int(args["broadcast"]), int(args["message"]))


async def _refuse(callback: CallbackQuery, i18n: I18nContext, reason: str) -> None:
    await callback.answer(i18n.get(CONTROL_REFUSALS.get(reason, "broadcast-control-not-allowed")), show_alert=True)


async def move(callback: CallbackQuery, callback_data: BroadcastControl, services: Services, i18n: I18nContext,
               resident: Resident) -> None:
    """Pause or Resume: the broadcast moves, and its progress message shows it at once."""
    to_state, done = MOVES[callback_data.action]
    try:
        await services.broadcasts.control(callback_data.broadcast, stored_id(resident), to_state)
    except BroadcastRefused as refused:
        await _refuse(callback, i18n, refused.reason)
        return
    report = await services.broadcast_progress.report(callback_data.broadcast)
    if report is None:
        return
    t = texts(i18n)
    await edit_in_place(callback, progress_text(t, report), progress_markup(t, report), notice=i18n.get(done))


async def ask_cancel(callback: CallbackQuery, callback_data: BroadcastControl, services: Services,
                     i18n: I18nContext, resident: Resident) -> None:
    if not await services.broadcast_reads.may_control(callback_data.broadcast, stored_id(resident)):
        await _refuse(callback, i18n, "not-allowed")
        return
    builder = InlineKeyboardBuilder()
    for action, key in ((ControlAction.CANCEL_YES, "broadcast-btn-cancel-yes"),
                        (ControlAction.CANCEL_NO, "broadcast-btn-cancel-no")):
        builder.button(text=i18n.get(key), callback_data=BroadcastControl(action=action,
                                                                           broadcast=callback_data.broadcast))
    builder.adjust(1)
    await callback.answer()
    await pressed(callback).answer(i18n.get("broadcast-cancel-confirm", id=str(callback_data.broadcast)),
                                   reply_markup=builder.as_markup())


async def cancel(callback: CallbackQuery, callback_data: BroadcastControl, services: Services, i18n: I18nContext,
                 resident: Resident) -> None:
    """Cancel confirmed: what was not sent never will be; the worker redraws the progress message."""
    try:
        progress = await services.broadcasts.control(callback_data.broadcast, stored_id(resident),
                                                     BroadcastState.CANCELLED)
    except BroadcastRefused as refused:
        await _refuse(callback, i18n, refused.reason)
        return
    await edit_in_place(callback, i18n.get("broadcast-cancelled", id=str(callback_data.broadcast),
                                           sent=progress.sent, cancelled=progress.cancelled))


async def keep(callback: CallbackQuery, callback_data: BroadcastControl, services: Services, i18n: I18nContext,
               resident: Resident) -> None:
    if not await services.broadcast_reads.may_control(callback_data.broadcast, stored_id(resident)):
        await _refuse(callback, i18n, "not-allowed")
        return
    await edit_in_place(callback, i18n.get("broadcast-cancel-kept", id=str(callback_data.broadcast)))
