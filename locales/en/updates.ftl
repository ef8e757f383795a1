## Updates on items a resident follows, answers, replies and "Is it fixed?"
update-status =
    🔔 <b>{ $number }</b> · { $title }
    Now: <b>{ $status }</b>
update-note = Note: { $note }
update-answer =
    💬 <b>{ $number }</b> · { $title }
    <b>{ $department }</b> answered:
update-open = 📄 Open the item
update-reply = ↩️ Reply
reply-prompt = Type your reply to <b>{ $department }</b> about { $number } (up to { $max } characters).
reply-expect = Please type your reply as text (up to { $max } characters).
reply-length = A reply has 1 to { $max } characters; yours has { $length }. Please type it again.
reply-sent = ✅ Your reply was sent to { $department }.
reply-not-yours = Only the person who filed this item can reply to its answers.
followup-ask =
    Your complaint <b>{ $number }</b> · { $title } was marked resolved.
    Is it fixed?
followup-yes = ✅ Yes, it is fixed
followup-no = ❌ No, it is not
followup-thanks = Thank you for telling us! Glad it is fixed.
followup-reopened = Your complaint is open again and went back to the departments handling it.
followup-already = This complaint is no longer waiting for that answer.
followup-not-yours = Only the person who filed this complaint can answer.
