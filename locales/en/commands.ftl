## Commands shown in Telegram's menu
command-start = Start and show the main menu
command-menu = Show the main menu
command-cancel = Cancel what you are doing
command-language = Change the language
command-help = How to use this bot
command-inbox = Your department's open items, overdue first
command-moderate = Reports waiting for moderation
command-stats = District statistics
command-broadcast = Send an announcement to residents
command-newpoll = Ask residents a question (a poll)
