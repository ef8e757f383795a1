"""Limits a resident's input must meet. Handlers and services both read them from here."""

TITLE_MIN = 3
TITLE_MAX = 100
BODY_MIN = 10
BODY_MAX = 4000
MAX_PHOTOS = 5
SIMILAR_ITEMS_SHOWN = 3
SIMILARITY_THRESHOLD = 0.45
MY_ITEMS_PAGE = 8
BROWSE_PAGE = 8
COMMENTS_PAGE = 5
COMMENT_MAX = 1000
SEARCH_MAX = 100  # characters of a search; a longer one is refused
SEARCH_MAX_WORDS = 5  # words of a search that are matched
# A shared location farther than this from every district centre is outside the city.
MAX_DISTRICT_DISTANCE_KM = 30.0
ANSWER_MAX = 3000  # a department's answer, typed in the chat
NOTE_MAX = 500  # a transfer note, a "not ours" reason, a status note
INBOX_PAGE = 8
REPLY_MAX = 4000  # characters of a filer's reply to a department's answer, as a description
# Broadcasts and polls ("Asking Citizens").
BROADCAST_TEXT_MAX = 3500  # an announcement in one language, in `units` (room for its heading)
BROADCAST_CAPTION_MAX = 900  # … when it goes with a photo (a caption holds 1,024)

BROADCAST_PHOTO_MAX_BYTES = 10 * 1024 * 1024  # Telegram's limit for an uploaded photo
POLL_QUESTION_MAX = 300
POLL_OPTION_MAX = 100  # characters of an option in one language
POLL_OPTIONS_MIN = 2
POLL_OPTIONS_MAX = 10
POLL_DAYS_MAX = 90  # a poll closes at the latest this many days after it opens
POLLS_LISTED = 10  # polls one /polls (or "Asking Citizens") shows
POLLS_RECENT_DAYS = 7  # admins' /polls also shows polls closed within this many days


def units(text: str) -> int:
    """A text's length as Telegram counts it against its limits (UTF-16 code units): characters
    outside the BMP, most emoji, count twice. The broadcast limits above count in these."""
    return len(text.encode("utf-16-le")) // 2


def broadcast_text_max(with_photo: bool) -> int:
    """Units (`units`) an announcement may have in one language: a photo's caption holds fewer."""
    return BROADCAST_CAPTION_MAX if with_photo else BROADCAST_TEXT_MAX
# The Open311 API (docs/open311.md): a list of requests holds at most this many, newest first,
OPEN311_MAX_RESULTS = 1000
# from a window of at most this many days (the last ones unless start_date/end_date say otherwise);
OPEN311_WINDOW_DAYS = 90
# a request may name at most this many service_request_id values;
OPEN311_MAX_IDS = 200
# an address_string may have this many characters; a description is served up to the standard's 4,000;
OPEN311_ADDRESS_MAX = 250
OPEN311_DESCRIPTION_MAX = 4000
# and a request body (a POST's form) may have this many bytes.
OPEN311_BODY_MAX = 256 * 1024
