## 카드
card-head =
    <b>{ $number }</b> · { $kind }
    <b>{ $title }</b>
    { $category } · { $district } · <b>{ $status }</b>
card-progress-endorse = { $bar } 공감 { $count }/{ $goal } · { $days }일 남음
card-progress-discuss = { $bar } 참여 { $count }/{ $goal }명 · { $days }일 남음
card-endorsements = 👍 공감 { $count }
card-you-endorsed = ✅ 이 제안에 공감하셨습니다.
card-endorse = 👍 공감 ({ $count })
card-withdraw = ↩️ 공감 취소 ({ $count })
card-discuss = 💬 토론
card-follow = 🔔 소식 받기
card-unfollow = 🔕 소식 그만 받기
card-share = 📤 공유
card-back = ⬅️ 이전
card-endorsed = 👍 공감했습니다! 지금 { $count }개.
card-already-endorsed = 이미 공감한 제안입니다.
card-own-item = 자신의 제안에는 공감할 수 없습니다. 대신 공유해 보세요.
card-endorse-closed = 이 제안은 더 이상 공감을 받지 않습니다.
card-withdrawn = 공감을 취소했습니다. 지금 { $count }개.
card-not-endorsed = 이 제안에 공감한 적이 없습니다.
card-followed = 🔔 바뀌는 소식을 알려 드립니다.
card-unfollowed = 🔕 더 이상 소식을 보내지 않습니다.
card-reached-discussion = 🎉 공감 { $count }개가 모여 이 제안이 공개 토론으로 넘어갑니다!
card-share-button = 📤 텔레그램으로 공유
card-share-text =
    이 링크로 { $number }번을 공유하세요. 누르면 이 봇에서 제안이 열립니다:
    { $link }
start-link-invalid = 이 링크의 건을 찾을 수 없습니다. 메인 메뉴입니다.
start-choose-language = 환영합니다! 먼저 언어를 골라 주세요 / Choose your language:
card-departments = 🏛 담당: { $departments }
card-thread-head = <b>답변</b>
card-answer = 💬 <b>{ $department }</b> · { $date }
card-reply = ↩️ <b>신청인의 답글</b> → { $department } · { $date }
card-thread-omitted = … 이전 메시지 { $count }개는 표시하지 않았습니다.
