## A banned resident's one answer a day
ban-notice-until = 🚫 Your use of this channel is suspended until { $until } because of reports about what you posted. Until then, nothing you send is stored or shown.
ban-notice-forever = 🚫 Your use of this channel is suspended for good because of reports about what you posted. Nothing you send is stored or shown.
ban-appeal = If you think this is a mistake, you can appeal: { $appeal }
ban-appeal-default = write to the city's citizen-participation office, giving your Telegram name.
ban-pressed = This channel is suspended for you.
