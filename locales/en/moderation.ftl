## Moderation: residents' reports, the moderators' queue and decisions
report-button = ⚠️ Report
report-comment-button = ⚠️ Report a comment
report-ask = { $target ->
    [comment] Why are you reporting this comment?
   *[item] Why are you reporting this item?
    }
report-reason-spam = Spam or advertising
report-reason-offensive = Offensive or abusive
report-reason-personal_data = Someone's personal data
report-reason-not_city = Not a city matter
report-reason-other = Something else
report-pick-comment = Which comment do you want to report? Tap its number.
report-done = ✅ Thank you. Your report was sent to the moderators.
report-already = You have already reported this. Nothing changed.
report-own = You cannot report your own item or comment.
report-limit = You have sent { $limit } reports in the last 24 hours, the most allowed. You can report again after { $time }.
report-unavailable = This is no longer available to report.

moderation-case-head = 🚩 <b>Hidden after reports</b>: { $target ->
    [comment] a comment on
   *[item] item
    } { $number }
    <b>{ $title }</b>
moderation-reason-line = • { $reason }: { $count }
moderation-past = Earlier: { $moderator } — { $decision }
moderation-btn-restore = ↩️ Restore
moderation-btn-keep = 🙈 Keep hidden
moderation-btn-day = ⛔ Ban author 1 day
moderation-btn-week = ⛔ 1 week
moderation-btn-ever = ⛔ For good
moderation-decision-restore = restored
moderation-decision-keep_hidden = kept hidden
moderation-decision-ban = kept hidden and banned the author
moderation-forever = for good
moderation-until = until { $time }
moderation-decided = 🛡 { $moderator } decided on { $target ->
    [comment] a comment on
   *[item] item
    } { $number } ({ $title }): { $decision } { $until }
moderation-only = /moderate is for the city's moderators.
moderation-forbidden = Only moderators can do this. Nothing was changed.
moderation-nothing-to-decide = There is nothing to decide on this any more.
moderation-already-decided = Already decided by { $moderator }: { $decision }. Nothing was changed.
moderation-done = ✅ Decision stored: { $decision } { $until }
moderation-queue-empty = Nothing is waiting for moderation.
moderation-queue-head = Waiting for moderation: { $total } (the oldest { $shown } below).

moderated-review = Your { $target ->
    [comment] comment on
   *[item] item
    } { $number } ({ $title }) was reported by several residents and is hidden while it is under review by a moderator. Thank you for your patience.
moderated-restored = Your { $target ->
    [comment] comment on
   *[item] item
    } { $number } ({ $title }) was reviewed and is shown again.
moderated-kept = Your { $target ->
    [comment] comment on
   *[item] item
    } { $number } ({ $title }) was reviewed and stays hidden.
moderated-reason = Reason: { $reason }
moderated-banned = You cannot post { $until }. To appeal, contact the city's participation office.
