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
