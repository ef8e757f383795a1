## City broadcasts
broadcast-heading = 📢 <b>{ $city }</b>

## Composing a broadcast (/broadcast)
broadcast-btn-new = 📢 New broadcast
broadcast-tools-only = You have no department's inbox. To talk to residents:
broadcast-refused-not-allowed = Broadcasts are for the city's admins and the officials of the departments the city allows.
broadcast-refused-empty = The broadcast has no text: write it in Korean or in English.
broadcast-refused-too-long = A text is longer than a broadcast may be. Shorten it with Edit.
broadcast-refused-photo-too-big = The photo is larger than Telegram takes (10 MB).
broadcast-ask-ko = 📢 <b>New broadcast</b>
    Write the announcement in Korean (up to { $max } characters; { $caption } if it goes with a photo). /cancel stops.
broadcast-ask-en = Now the same in English (up to { $max } characters), or skip it: residents whose language is English then get the Korean text.
broadcast-ask-photo = Send one photo to go with it (the texts then hold up to { $caption } characters), or go on without one.
broadcast-btn-skip-en = No English text
broadcast-btn-skip-photo = No photo
broadcast-text-too-long = That is { $length } characters (an emoji counts as two); here it may have at most { $max }. Please send a shorter text: nothing else of the broadcast is lost.
broadcast-text-empty = That text is empty. Please write the announcement as a message.
broadcast-photo-text-too-long = With a photo, each text may have at most { $max } characters (a caption holds less than a message); yours has { $length }. Go on without the photo, or shorten the text first (Edit on the preview) and add the photo then.
broadcast-expect-text = Please type the text as a message (stickers, photos and files cannot be broadcast as text). /cancel stops.
broadcast-expect-photo = Please send one photo, or press “No photo”.
broadcast-use-buttons = Please use the buttons above to go on, or /cancel.
broadcast-draft-gone = This broadcast draft is no longer open (/cancel or another menu ended it). /broadcast starts a new one.
broadcast-preview-head = 👆 That is how residents will see it in Korean.
    { $english ->
        [yes] Residents whose language is English get the English text.
       *[no] There is no English text: every resident gets the Korean one.
    }
broadcast-preview-audience = 👥 <b>Audience</b>
broadcast-preview-foot = Confirm sends it; Edit changes a part; Cancel drops it.
broadcast-preview-outdated = This preview is out of date: use the latest one.
broadcast-btn-confirm = ✅ Confirm and send
broadcast-btn-edit = ✏️ Edit
broadcast-btn-cancel-draft = 🗑 Cancel
broadcast-edit-what = What would you like to change?
broadcast-btn-edit-ko = Korean text
broadcast-btn-edit-en = English text
broadcast-btn-edit-photo = Photo
broadcast-btn-edit-audience = Audience
broadcast-btn-back = « Back to the preview
broadcast-editing = ✏️ Editing the broadcast…
broadcast-dropped = 🗑 The broadcast draft was dropped; nothing was sent.
broadcast-queued = ✅ Broadcast #{ $id } is queued for { $count } residents. Its progress is below.

## A broadcast's progress message
broadcast-progress-head = 📢 <b>Broadcast #{ $id }</b> to { $total } residents: { $state }
broadcast-progress-counts = ✅ Sent { $sent } · ⚠️ Failed { $failed } · 🚫 Blocked { $blocked } · ⏳ Remaining { $remaining }
broadcast-progress-cancelled = ✖️ Not sent (cancelled): { $cancelled }
broadcast-progress-eta = ⏱ About { $minutes } min left, at the pace of the last 30 seconds.
broadcast-progress-eta-minute = ⏱ Less than a minute left.
broadcast-progress-eta-unknown = ⏱ Time left: estimated once the first messages are out.
broadcast-state-sending = sending
broadcast-state-paused = ⏸ paused
broadcast-state-done = ✅ finished
broadcast-state-cancelled = ⏹ cancelled
broadcast-btn-pause = ⏸ Pause
broadcast-btn-resume = ▶️ Resume
broadcast-btn-cancel = ⏹ Cancel
broadcast-btn-cancel-yes = ⏹ Yes, cancel the rest
broadcast-btn-cancel-no = No, keep sending
broadcast-cancel-confirm = Cancel broadcast #{ $id }? What has not been sent yet will never be sent; what was sent stays sent.
broadcast-cancel-kept = Broadcast #{ $id } goes on.
broadcast-cancelled = ⏹ Broadcast #{ $id } is cancelled: { $sent } sent, { $cancelled } will not be sent.
broadcast-paused = Paused. Nothing more is sent until you resume.
broadcast-resumed = Resumed.
broadcast-control-not-allowed = Only the broadcast's author or an admin can do that.
broadcast-control-already = The broadcast is no longer in a state where that applies.
