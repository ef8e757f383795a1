## Language and settings
language-prompt = Choose your language:
language-set = Language set to English.
settings-overview =
    <b>Settings</b>
    Language: { $language }
    My district: { $district }
    Notifications: { $notify }
    Broadcasts: { $broadcasts }
settings-no-district = Not set
settings-language = 🌐 Language
settings-district = 📍 My district
settings-district-prompt = Which district do you live in?
settings-saved = Saved.
settings-notify = 🔔 Notifications
settings-notify-prompt = Which updates on items should reach you?
    (City announcements and polls are set apart, under 📢 Broadcasts.)
settings-notify-all = Everything I follow
settings-notify-own = Only the items I filed
settings-notify-none = Nothing
