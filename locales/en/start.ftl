## Start and help
start-welcome =
    Hello! This is the official channel of { $city } for residents' voices.
    File a complaint or propose a policy, and follow what the city does with it.
start-welcome-back = Welcome back to { $city }'s resident channel. Choose from the menu below.
help-text =
    <b>How to use this bot</b>
    📝 <b>File a complaint</b>: report a problem to the city.
    💡 <b>Propose a policy</b>: suggest an idea; residents' endorsements bring it to discussion.
    🔎 <b>Browse</b>: read and endorse what others filed.
    📂 <b>My submissions</b>: the status of what you filed.
    🗳 <b>Asking Citizens</b>: answer the city's questions (/polls).
    /cancel stops what you are doing, /language changes the language, /menu shows the menu.
