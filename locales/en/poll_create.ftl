## Creating a poll in the bot (/newpoll)
poll-create-btn-new = 📊 New poll
poll-refused-not-allowed = Polls are created by the city's admins.
poll-refused-question = The question needs both languages, each 1 to { $question } characters.
poll-refused-options-count = A poll needs { $min } to { $max } options.
poll-refused-option = Each option needs both languages, each 1 to { $option } characters.
poll-refused-closes = The closing time must be in the future and at most { $days } days away: change it with Edit.
poll-refused-audience = The audience names nobody, or a district, category or topic the city file no longer has: change it with Edit.
poll-create-ask-question-ko = 📊 <b>New poll</b>
    Write the question in Korean (up to { $max } characters). /cancel stops.
poll-create-ask-question-en = Now the question in English (up to { $max } characters).
poll-create-ask-options = Send the options, one a line, Korean and English separated by a slash:
    <code>찬성 / For</code>
    <code>반대 / Against</code>
    { $min } to { $max } options, each side up to { $length } characters.
poll-create-ask-choice = May residents choose one option, or several?
poll-create-btn-single = One option
poll-create-btn-multiple = Several options
poll-create-ask-closes = When does it close? Choose, or type a date (YYYY-MM-DD, at the latest { $last }): it closes at the end of that day, the city's time.
poll-create-btn-days = { $days ->
        [one] 1 day
       *[other] { $days } days
    }
poll-create-ask-results = Show residents the results after they answer?
poll-create-btn-results-yes = Yes, show the results
poll-create-btn-results-no = No
poll-create-question-length = The question must have 1 to { $max } characters (yours has { $length }). Please send it again; nothing else is lost.
poll-create-options-count = A poll needs { $min } to { $max } options, one a line; that was { $count }. Please send them again.
poll-create-option-format = Line { $line } is not “한국어 / English”: put a slash between the Korean and the English text. Please send the options again.
poll-create-option-length = On line { $line }, each side must have 1 to { $max } characters. Please send the options again.
poll-create-date-format = Please type the date as YYYY-MM-DD (for example 2026-12-31), or choose a button.
poll-create-date-range = The date must be from today to { $last }.
poll-create-expect-text = Please type it as a message. /cancel stops.
poll-create-use-buttons = Please use the buttons above to go on, or /cancel.
poll-create-draft-gone = This poll draft is no longer open (/cancel or another menu ended it). /newpoll starts a new one.
poll-create-noted = Noted.
poll-create-sample-head = 👇 <i>The poll as residents whose language is Korean will get it (a sample: its buttons count nothing):</i>
poll-create-sample-how = { $multiple ->
        [yes] Several options may be chosen.
       *[no] One option may be chosen.
    } Closes { $closes }.
poll-create-sample-pressed = This is only the preview: answers count once the poll is sent.
poll-create-preview-english = 🇬🇧 <b>In English</b>
poll-create-preview-settings = { $multiple ->
        [yes] Several options
       *[no] One option
    } · closes { $closes } · { $results ->
        [yes] results shown after answering
       *[no] results not shown to residents
    }
poll-create-preview-audience = 👥 <b>Audience</b>
poll-create-preview-foot = Confirm creates the poll and sends it; Edit changes a part; Cancel drops it.
poll-create-preview-outdated = This preview is out of date: use the latest one.
poll-create-btn-confirm = ✅ Confirm and send
poll-create-btn-edit = ✏️ Edit
poll-create-btn-cancel = 🗑 Cancel
poll-create-edit-what = What would you like to change?
poll-create-btn-edit-question-ko = Question (Korean)
poll-create-btn-edit-question-en = Question (English)
poll-create-btn-edit-options = Options
poll-create-btn-edit-choice = One or several
poll-create-btn-edit-audience = Audience
poll-create-btn-edit-closes = Closing
poll-create-btn-edit-results = Results
poll-create-btn-back = « Back to the preview
poll-create-editing = ✏️ Editing the poll…
poll-create-dropped = 🗑 The poll draft was dropped; nothing was sent.
poll-create-done = ✅ Poll #{ $id } is created and on its way to its audience. It closes { $closes }.
