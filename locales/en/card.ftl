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
card-departments = 🏛 With: { $departments }
card-thread-head = <b>Answers</b>
card-answer = 💬 <b>{ $department }</b> · { $date }
card-reply = ↩️ <b>The filer's reply</b> to { $department } · { $date }
card-thread-omitted = … { $count } earlier messages are not shown.
