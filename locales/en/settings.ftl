## Language and settings
language-prompt = Choose your language:
language-set = Language set to English.
settings-overview =
    <b>Settings</b>
    Language: { $language }
    My district: { $district }
settings-no-district = Not set
settings-language = 🌐 Language
settings-district = 📍 My district
settings-district-prompt = Which district do you live in?
settings-saved = Saved.
