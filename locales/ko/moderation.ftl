## 관리: 주민 신고, 관리자 대기열과 결정
report-button = ⚠️ 신고
report-comment-button = ⚠️ 댓글 신고
report-ask = { $target ->
    [comment] 이 댓글을 신고하는 이유는 무엇인가요?
   *[item] 이 신청을 신고하는 이유는 무엇인가요?
    }
report-reason-spam = 스팸·광고
report-reason-offensive = 모욕·욕설
report-reason-personal_data = 타인의 개인정보
report-reason-not_city = 시정과 무관
report-reason-other = 기타
report-pick-comment = 어떤 댓글을 신고할까요? 번호를 누르세요.
report-done = ✅ 감사합니다. 신고가 관리자에게 전달되었습니다.
report-already = 이미 신고하셨습니다. 달라진 것은 없습니다.
report-own = 자신의 신청이나 댓글은 신고할 수 없습니다.
report-limit = 최근 24시간 동안 신고 한도({ $limit }건)에 도달했습니다. { $time } 이후에 다시 신고할 수 있습니다.
report-unavailable = 더 이상 신고할 수 없는 항목입니다.

moderation-case-head = 🚩 <b>신고로 숨겨짐</b>: { $target ->
    [comment] 신청 { $number }의 댓글
   *[item] 신청 { $number }
    }
    <b>{ $title }</b>
moderation-reason-line = • { $reason }: { $count }
moderation-past = 이전 결정: { $moderator } — { $decision }
moderation-btn-restore = ↩️ 복원
moderation-btn-keep = 🙈 숨김 유지
moderation-btn-day = ⛔ 작성자 1일 정지
moderation-btn-week = ⛔ 1주
moderation-btn-ever = ⛔ 영구
moderation-decision-restore = 복원
moderation-decision-keep_hidden = 숨김 유지
moderation-decision-ban = 숨김 유지 및 작성자 정지
moderation-forever = 영구히
moderation-until = { $time }까지
moderation-decided = 🛡 { $moderator } 님이 { $target ->
    [comment] 신청 { $number }의 댓글
   *[item] 신청 { $number }
    } ({ $title })에 대해 결정했습니다: { $decision } { $until }
moderation-only = /moderate 는 시 관리자 전용입니다.
moderation-forbidden = 관리자만 할 수 있습니다. 아무것도 바뀌지 않았습니다.
moderation-nothing-to-decide = 이 항목에 대해 결정할 것이 없습니다.
moderation-already-decided = { $moderator } 님이 이미 결정했습니다: { $decision }. 아무것도 바뀌지 않았습니다.
moderation-done = ✅ 결정이 저장되었습니다: { $decision } { $until }
moderation-queue-empty = 관리 대기 중인 항목이 없습니다.
moderation-queue-head = 관리 대기: { $total }건 (가장 오래된 { $shown }건)

moderated-review = 회원님의 { $target ->
    [comment] 신청 { $number }의 댓글
   *[item] 신청 { $number }
    } ({ $title })이(가) 여러 주민의 신고로 관리자 검토 중이며 그동안 숨겨집니다. 양해 부탁드립니다.
moderated-restored = 회원님의 { $target ->
    [comment] 신청 { $number }의 댓글
   *[item] 신청 { $number }
    } ({ $title })이(가) 검토 후 다시 공개되었습니다.
moderated-kept = 회원님의 { $target ->
    [comment] 신청 { $number }의 댓글
   *[item] 신청 { $number }
    } ({ $title })이(가) 검토 후 계속 숨겨집니다.
moderated-reason = 사유: { $reason }
moderated-banned = { $until } 글을 쓸 수 없습니다. 이의가 있으면 시 시민참여 담당 부서에 문의해 주세요.
