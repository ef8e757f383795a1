"""Validation of message content: formatted text and reply markup, with Telegram's limits."""

from __future__ import annotations

from typing import Any

from .htmltext import EntityParseError, parse_html
from .params import Params, bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
BUTTON_ERROR = "can't parse inline keyboard button"
INLINE_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)


def message_text(p: Params) -> dict[str, Any]:
    """Validated text of sendMessage / editMessageText: Telegram's HTML, then its limits.
    `html` keeps what the bot sent, for tests that check its markup."""
    text, entities, html = _formatted(p.get_str("text") or "", p.get_str("parse_mode"), p.get("entities"))
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return {"text": text, "entities": entities or None, "html": html}


def caption_text(raw: str | None, parse_mode: str | None, entities: Any = None) -> dict[str, Any]:
    """A photo's caption (sendPhoto, an album's item): Telegram's HTML, then its 1,024 limit."""
    text, parsed, _html = _formatted(raw or "", parse_mode, entities)
    if len(text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return {"caption": text or None, "caption_entities": parsed or None}


def _formatted(raw: str, parse_mode: str | None, entities: Any) -> tuple[str, Any, str | None]:
    if (parse_mode or "").lower() != "html":
        return raw, entities, None
    try:
        text, parsed = parse_html(raw)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    return text, parsed, raw


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(f"{BUTTON_ERROR}: Field \"text\" must be of type String")
    if not any(action in button for action in INLINE_ACTIONS):
        raise bad_request(f"{BUTTON_ERROR}: Text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None and not (0 < len(str(data).encode("utf-8")) <= CALLBACK_DATA_LIMIT):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and (not url or any(c.isspace() for c in url)):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _check_rows(rows: Any, what: str) -> list:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(f"can't parse {what}: field must be an Array of Arrays")
    return [b for row in rows for b in row]


def validate_markup(markup: Any) -> dict | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for button in _check_rows(markup["inline_keyboard"], "inline keyboard"):
            _check_inline_button(button)
    elif "keyboard" in markup:
        for button in _check_rows(markup["keyboard"], "keyboard"):
            if not isinstance(button, str) and not (isinstance(button, dict) and "text" in button):
                raise bad_request("can't parse keyboard button: Field \"text\" must be of type String")
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def inline_markup_only(markup: Any) -> dict | None:
    markup = validate_markup(markup)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup
