## Commands shown in Telegram's menu
command-start = Start and show the main menu
command-menu = Show the main menu
command-cancel = Cancel what you are doing
command-language = Change the language
command-help = How to use this bot

## Main menu
menu-complaint = 📝 File a complaint
menu-proposal = 💡 Propose a policy
menu-browse = 🔎 Browse
menu-mine = 📂 My submissions
menu-settings = ⚙️ Settings
menu-help = ❓ Help
menu-placeholder = Choose from the menu
menu-shown = Main menu — choose below.

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
    /cancel stops what you are doing, /language changes the language, /menu shows the menu.

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

## Common buttons
btn-back = ⬅️ Back
btn-cancel = ✖️ Cancel
btn-done = ✅ Done
btn-skip = ⏭ Skip
btn-keep = ✅ Keep it
btn-submit = 📨 Submit
btn-share-location = 📍 Share my location

## Kinds
kind-complaint = Complaint
kind-proposal = Policy proposal

## Filing
filing-kind-prompt = What would you like to file?
filing-kind-complaint = 📝 A complaint (a problem to fix)
filing-kind-proposal = 💡 A policy proposal (an idea)
filing-category-prompt = { $kind }: which topic is it about?
filing-district-prompt = Which district is it in? Choose below, or share your location.
filing-location-hint = Or tap the button below to share your location.
filing-district-suggest = The nearest district is <b>{ $district }</b> ({ $km } km away). Is that right?
filing-district-accept = ✅ Yes, { $district }
filing-district-other = Choose another district
filing-title-prompt = Type a short title ({ $min }–{ $max } characters).
filing-body-prompt = Now describe it: what, where, since when ({ $min }–{ $max } characters).
filing-photos-prompt =
    Add photos if you have any: up to { $max }, one by one or as an album ({ $count } so far).
    Then tap Done, or Skip.
filing-photos-clear = 🗑 Remove photos
filing-photo-added = 📷 Photo { $count } of { $max } added.
filing-photos-full = You can attach at most { $max } photos; the extra ones were not added.
filing-photo-duplicate = That photo is already attached.
filing-location-prompt = Where exactly is it? Share the location with the button below (optional), or Skip.
filing-location-prompt-has = 📍 A location is attached. Send another one to replace it, keep it, or remove it.
filing-location-remove = 🗑 Remove location
filing-location-yes = attached
filing-location-no = none
filing-anonymity-prompt = Should the officials handling it see your name?
filing-anon-show = 👤 Show my name ({ $name })
filing-anon-hide = 🕶 Stay anonymous
filing-anon-shown = your name is shown to officials
filing-anon-hidden = anonymous
filing-noted = ✓ Noted.
filing-preview-complaint =
    <b>Please check your complaint</b>
    Kind: { $kind }
    Topic: { $category }
    District: { $district }
    Title: <b>{ $title }</b>
    { $body }
    Photos: { $photos } · Location: { $location } · Name: { $visibility }
filing-preview-proposal =
    <b>Please check your proposal</b>
    Kind: { $kind }
    Topic: { $category }
    District: { $district }
    Title: <b>{ $title }</b>
    { $body }
    Photos: { $photos } · Name: { $visibility }
filing-edit-kind = ✏️ Kind
filing-edit-category = ✏️ Topic
filing-edit-district = ✏️ District
filing-edit-title = ✏️ Title
filing-edit-body = ✏️ Description
filing-edit-photos = ✏️ Photos
filing-edit-location = ✏️ Location
filing-edit-anonymity = ✏️ Name
filing-similar-header = <b>Similar items are already open.</b> Supporting one may help more than a new filing:
filing-similar-button = 👍 Endorse { $number } instead
filing-similar-open = Your draft is kept: its preview is above.
filing-submitted-complaint =
    ✅ Thank you! Your complaint is filed as <b>{ $number }</b>.
    The responsible department will receive it and answer here. Follow it under My submissions.
filing-submitted-private =
    ✅ Thank you! Your report is filed as <b>{ $number }</b>.
    It is seen only by you and the city. The answer will come here.
filing-submitted-proposal =
    ✅ Thank you! Your proposal is filed as <b>{ $number }</b>.
    With { $goal } endorsements within { $days } days it goes to public discussion. Share it to gather support; follow it under My submissions.
filing-already-submitted = This draft was already filed as <b>{ $number }</b>.
filing-in-progress = You are in the middle of a filing. Continue below, or /cancel to drop it.
filing-unknown-command = { $command } is not available here. Continue below, or /cancel.
filing-expect-choice = Please choose with the buttons.
filing-expect-district = Please choose a district with the buttons, or share your location.
filing-expect-title = Please type the title as text ({ $min_title }–{ $max_title } characters).
filing-expect-body = Please type the description as text ({ $min_body }–{ $max_body } characters).
filing-expect-photo = Please send photos (not files or stickers), or tap Done or Skip.
filing-expect-location = Please share a location with the button, or tap Skip.
filing-error-title-length = The title must be { $min }–{ $max } characters; yours has { $length }.
filing-error-body-length = The description must be { $min }–{ $max } characters; yours has { $length }.
filing-incomplete = Some fields are still missing; please fill them in.

## Cancel
cancel-confirm = Drop this draft? What you entered will be lost.
cancel-yes = 🗑 Yes, drop it
cancel-no = ↩️ No, continue
cancel-done = The draft was dropped. Main menu:
cancel-nothing = There is nothing to cancel.

## My submissions
mine-empty = You have not filed anything yet. Use the menu to file a complaint or a proposal.
mine-header = <b>My submissions</b> ({ $total }) — page { $page } of { $pages }. Tap one for its details.
mine-detail =
    <b>{ $number }</b> · { $kind }
    <b>{ $title }</b>
    { $category } · { $district }
    Status: <b>{ $status }</b> · Photos: { $photos }

    { $body }

    <b>Timeline</b>
    { $timeline }
mine-event = { $time } · { $status }
mine-back = ⬅️ Back to the list

## Statuses
status-received = Received
status-in_progress = In progress
status-answered = Answered
status-resolved = Resolved
status-closed = Closed
status-reopened = Reopened
status-collecting = Collecting endorsements
status-discussion = In discussion
status-review = Under review
status-committee = In committee
status-planned = Execution planned
status-policy = Adopted as policy
status-expired = Expired
status-rejected = Not adopted
status-withdrawn = Withdrawn
status-hidden = Hidden

## Errors and fallbacks
error-stale-button = This button is no longer active.
error-item-unavailable = This item is not available.
error-unavailable = The service is briefly unavailable. Please try again in a minute.
error-generic = Something went wrong on our side. Please try again.
fallback-unknown-command = I don't know { $command }. Choose from the menu, or see /help.
fallback-not-understood = I didn't understand that. Please choose from the menu below.

## Item card
card-head =
    <b>{ $number }</b> · { $kind }
    <b>{ $title }</b>
    { $category } · { $district } · <b>{ $status }</b>
card-progress-endorse = { $bar } { $count }/{ $goal } endorsements · { $days } days left
card-progress-discuss = { $bar } { $count }/{ $goal } participants · { $days } days left
card-endorsements = 👍 { $count } endorsements
card-you-endorsed = ✅ You endorsed this proposal.
card-endorse = 👍 Endorse ({ $count })
card-withdraw = ↩️ Withdraw my endorsement ({ $count })
card-discuss = 💬 Discussion
card-follow = 🔔 Follow
card-unfollow = 🔕 Unfollow
card-share = 📤 Share
card-back = ⬅️ Back
card-endorsed = 👍 Endorsed! Now { $count }.
card-already-endorsed = You have already endorsed this proposal.
card-own-item = You cannot endorse your own proposal; share it instead.
card-endorse-closed = This proposal is no longer collecting endorsements.
card-withdrawn = Your endorsement was withdrawn. Now { $count }.
card-not-endorsed = You have not endorsed this proposal.
card-followed = 🔔 You will hear about changes to it.
card-unfollowed = 🔕 You will no longer hear about it.
card-reached-discussion = 🎉 With your endorsement this proposal reached { $count } and goes to public discussion!
card-share-button = 📤 Share in Telegram
card-share-text =
    Share { $number } with this link; it opens the proposal in this bot:
    { $link }
start-link-invalid = This link does not lead to an item anymore. Here is the main menu.
start-choose-language = Welcome! First, choose your language:

## Browse
browse-header =
    🔎 <b>Browse</b> — { $total ->
        [one] { $total } item
       *[other] { $total } items
    }, page { $page } of { $pages }
    Sort: { $sort } · District: { $district } · Topic: { $category }
    Kind: { $kind } · Stage: { $stage } · Search: { $query }
browse-empty = Nothing matches. Change the filters or clear them.
browse-all = All
browse-sort-new = Newest
browse-sort-top = Most endorsed
browse-sort-end = Ending soon
browse-filter-sort = ↕️ Sort
browse-filter-district = 📍 District
browse-filter-category = 🗂 Topic
browse-filter-kind = 📋 Kind
browse-filter-stage = 🚦 Stage
browse-search = 🔍 Search
browse-clear = ✖️ Clear filters
browse-choose-sort = Sort by:
browse-choose-district = Show items of which district?
browse-choose-category = Show items of which topic?
browse-choose-kind = Show which kind?
browse-choose-stage = Show items at which stage?
browse-search-prompt = Type the words to search for (or /cancel).
browse-search-expect = Please type the words to search for as text, or /cancel.

## Discussion
discuss-head =
    💬 <b>Discussion of { $number }</b>
    <b>{ $title }</b> · { $status }
    Participants: { $participants }
discuss-your-stance = Your stance: { $stance }
stance-support = support
stance-oppose = oppose
stance-neutral = neutral
stance-button-support = 👍 Support
stance-button-oppose = 👎 Oppose
stance-button-neutral = 🤔 Neutral
discuss-read-comments = 📜 Read comments
discuss-back-to-card = ⬅️ Card
discuss-back = ⬅️ Discussion
discuss-skip-comment = ⏭ No comment
discuss-comment-prompt = You { $stance }. Add a comment to explain why (optional, up to { $max } characters), or tap No comment.
discuss-comment-length = A comment may have up to { $max } characters; yours has { $length }. Please shorten it.
discuss-comment-expect = Please type your comment as text (up to { $max } characters), or tap No comment.
discuss-saved = ✅ Your stance is recorded.
discuss-closed = The discussion of this proposal is closed.
discuss-comments-head = <b>Comments on { $number }</b> — page { $page } of { $pages }
discuss-no-comments = No comments yet.

## My submissions and endorsements
mine-show-submissions = 📂 My submissions
mine-show-endorsements = 👍 My endorsements
mine-endorsed-header = <b>My endorsements</b> ({ $total }) — page { $page } of { $pages }.
mine-endorsed-empty = You have not endorsed anything yet. Browse proposals to find some.
mine-open-card = 🗂 Open its card
cancel-input-done = Cancelled. Main menu:
command-browse = Browse proposals and complaints
command-search = Search: /search words
card-retract = 🗑 Withdraw my proposal
card-retract-confirm = Withdraw your proposal? It stops collecting endorsements and closes. This cannot be undone.
card-retract-yes = 🗑 Yes, withdraw it
card-retract-no = ↩️ No, keep it
card-retracted = Your proposal was withdrawn.

language-name-ko = 🇰🇷 한국어
language-name-en = 🇬🇧 English
