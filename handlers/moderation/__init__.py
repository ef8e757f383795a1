"""Reports by residents, and the moderators' queue and decisions."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command

from handlers.callbacks import DiscussAction, DiscussCb, ItemAction, ItemCb, ReportCb
from handlers.moderation import actions, reports
from handlers.moderation.callbacks import ModCb


def build_router() -> Router:
    router = Router(name="moderation")
    router.callback_query.register(reports.report_item, ItemCb.filter(F.action == ItemAction.REPORT))
    router.callback_query.register(reports.pick_comment, DiscussCb.filter(F.action == DiscussAction.REPORT))
    router.callback_query.register(reports.ask_reason, ReportCb.filter(F.reason == ""))
    router.callback_query.register(reports.file_report, ReportCb.filter())
    router.message.register(actions.moderate_command, Command("moderate"))
    router.callback_query.register(actions.decide, ModCb.filter())
    return router
