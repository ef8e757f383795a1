## Officials: the push, the official view, /inbox, reminders and admin notices
officials-push-head = 📋 <b>{ $number }</b> · { $kind }
officials-push-title = <b>{ $title }</b>
officials-push-where = District: { $district } · Category: { $category }
officials-push-department = For: { $department }
officials-push-filer = Filed by: { $filer }
officials-anonymous = anonymous
officials-push-due = First answer due: { $due }
officials-push-reopened = 🔁 Reopened: the filer says it is not fixed.
officials-push-transferred = ↪️ Transferred from { $department }: { $note }
officials-album-caption = 📷 { $number }
officials-view-state = Your department: { $state } · Item: { $status }
officials-state-new = new
officials-state-acknowledged = acknowledged
officials-state-answered = answered
officials-state-transferred = transferred
officials-state-declined = not ours
officials-thread-head = { $count ->
        [one] Thread (one message):
       *[other] Thread ({ $count } messages, the latest below):
    }
officials-thread-department = 🏛 { $department } · { $date }: { $body }
officials-thread-filer = 👤 Filer · { $date }: { $body }
officials-btn-acknowledge = ✅ Acknowledge
officials-btn-answer = ✍️ Answer
officials-btn-transfer = ↪️ Transfer
officials-btn-decline = 🚫 Not ours
officials-btn-status = 🔄 Set status
officials-btn-inbox = 📥 Inbox
officials-btn-skip-note = Skip the note
officials-btn-answer-again = ✍️ Answer again
officials-btn-open = Open the item
officials-answer-prompt = Write your department's answer to { $number } (up to { $max } characters). The filer and the followers will receive it.
officials-decline-prompt = Why is { $number } not your department's? Write the reason (up to { $max } characters).
officials-transfer-choose = Transfer { $number } to which department? (page { $page }/{ $pages })
officials-transfer-note-prompt = Write a note for { $department } (up to { $max } characters).
officials-status-choose = { $number } is now: { $status }. Move it to:
officials-status-none = From "{ $status }" there is no stage you can set.
officials-status-note-prompt = Moving to "{ $status }". Write a note residents will read on the item's timeline (up to { $max } characters), or skip it.
officials-text-length = Please write between 1 and { $max } characters (yours has { $length }).
officials-expect-text = Please type your text as a message, or /cancel.
officials-acknowledged = Acknowledged.
officials-answered = ✅ Your answer is stored; the filer and the followers will receive it.
officials-transferred = ↪️ Transferred to { $department }; they received it.
officials-declined = 🚫 Marked as not ours.
officials-status-set = 🔄 Status set: { $status }.
officials-forbidden = This is only for the officials of the department the item is assigned to.
officials-closed = Your department no longer holds this item (it was transferred or marked not ours).
officials-already = That is already done.
officials-not-allowed = That stage cannot be set from where the item is now.
officials-private = Items of this category stay with the department the city names for them.
officials-only = /inbox is for the city's officials. To file or follow items, use the menu below.
officials-inbox-head = 📥 Open items: { $total } (page { $page }/{ $pages }). ⏰ overdue · 🆕 not yet acknowledged
officials-inbox-empty = 📥 No open items. Well done.
officials-reply = 💬 The filer replied about <b>{ $number }</b> { $title } (to { $department }):
officials-reminder = ⏰ { $department }: { $count ->
        [one] one item is overdue
       *[other] { $count } items are overdue
    }.
officials-reminder-item = · { $number } { $title }
officials-admin-no-department = ⚠️ No department is left on { $number } { $title }: { $department } marked it not ours ({ $reason }). Please assign it.
