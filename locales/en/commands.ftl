## Commands shown in Telegram's menu
command-start = Start and show the main menu
command-menu = Show the main menu
command-cancel = Cancel what you are doing
command-language = Change the language
command-help = How to use this bot
