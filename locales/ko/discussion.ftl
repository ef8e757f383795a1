## 토론
discuss-head =
    💬 <b>{ $number } 토론</b>
    <b>{ $title }</b> · { $status }
    참여: { $participants }명
discuss-your-stance = 나의 입장: { $stance }
stance-support = 찬성
stance-oppose = 반대
stance-neutral = 중립
stance-button-support = 👍 찬성
stance-button-oppose = 👎 반대
stance-button-neutral = 🤔 중립
discuss-read-comments = 📜 의견 읽기
discuss-back-to-card = ⬅️ 카드
discuss-back = ⬅️ 토론
discuss-skip-comment = ⏭ 의견 없이
discuss-comment-prompt = { $stance } 입장입니다. 이유를 적어 주세요 (선택, 최대 { $max }자). 없으면 의견 없이를 누르세요.
discuss-comment-length = 의견은 최대 { $max }자입니다. 지금 { $length }자입니다. 줄여 주세요.
discuss-comment-expect = 의견을 글자로 입력하거나 (최대 { $max }자) 의견 없이를 누르세요.
discuss-saved = ✅ 입장을 기록했습니다.
discuss-closed = 이 제안의 토론은 끝났습니다.
discuss-comments-head = <b>{ $number } 의견</b> — { $pages }쪽 중 { $page }쪽
discuss-no-comments = 아직 의견이 없습니다.
