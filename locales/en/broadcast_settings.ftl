## Settings › Broadcasts: which city broadcasts reach a resident
settings-broadcasts = 📢 Broadcasts
broadcast-settings-heading = <b>📢 City broadcasts</b>
    Announcements and polls the city sends to many residents at once. Which should reach you?
broadcast-settings-explain-all = • <b>City and my district</b>: city-wide ones, your district's, those about the categories of items you follow, and those of the topics you pick.
broadcast-settings-explain-topics = • <b>Only the topics I pick</b>: nothing but the topics ticked below.
broadcast-settings-explain-none = • <b>None</b>: no broadcasts at all.
broadcast-settings-no-district = You have not set your district (📍 My district), so district broadcasts cannot reach you.
broadcast-settings-topics-heading = Topics: tap one to pick it or drop it.
broadcast-settings-no-topic-picked = You have picked no topic yet, so no broadcast reaches you.
broadcast-settings-not-notifications = Updates on items you filed or follow are not broadcasts: they have their own setting, 🔔 Notifications.
broadcast-settings-all = City and my district
broadcast-settings-topics = Only the topics I pick
broadcast-settings-none = None
broadcast-settings-back = ◀ Settings
