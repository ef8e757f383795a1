## 소식: 진행 상황, 답변, 답글, "해결되었나요?"
update-status =
    🔔 <b>{ $number }</b> · { $title }
    현재: <b>{ $status }</b>
update-note = 메모: { $note }
update-answer =
    💬 <b>{ $number }</b> · { $title }
    <b>{ $department }</b>의 답변:
update-open = 📄 카드 열기
update-reply = ↩️ 답글 쓰기
reply-prompt = { $number }에 대해 <b>{ $department }</b>에 보낼 답글을 적어 주세요 (최대 { $max }자).
reply-expect = 답글을 글자로 입력해 주세요 (최대 { $max }자).
reply-length = 답글은 1~{ $max }자입니다. 지금 { $length }자입니다. 다시 적어 주세요.
reply-sent = ✅ 답글을 { $department }에 보냈습니다.
reply-not-yours = 이 신청을 한 사람만 답변에 답글을 쓸 수 있습니다.
followup-ask =
    민원 <b>{ $number }</b> · { $title }이(가) 해결 처리되었습니다.
    실제로 해결되었나요?
followup-yes = ✅ 네, 해결되었어요
followup-no = ❌ 아니요, 아직이에요
followup-thanks = 알려 주셔서 고맙습니다! 해결되어 다행입니다.
followup-reopened = 민원을 다시 열어 담당 부서에 다시 보냈습니다.
followup-already = 이 민원은 더 이상 이 답을 기다리지 않습니다.
followup-not-yours = 이 민원을 신청한 사람만 답할 수 있습니다.
