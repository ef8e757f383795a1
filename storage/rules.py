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
# A shared location farther than this from every district centre is outside the city.
MAX_DISTRICT_DISTANCE_KM = 30.0
