## 시 알림(방송)
broadcast-heading = 📢 <b>{ $city }</b>

## 방송 작성 (/broadcast)
broadcast-btn-new = 📢 새 방송
broadcast-tools-only = 담당 부서의 처리함이 없습니다. 시민에게 알리려면:
broadcast-refused-not-allowed = 방송은 시 관리자와 시가 허용한 부서의 공무원만 보낼 수 있습니다.
broadcast-refused-empty = 방송 내용이 없습니다. 한국어나 영어로 적어 주세요.
broadcast-refused-too-long = 방송에 담을 수 있는 것보다 긴 글이 있습니다. 수정으로 줄여 주세요.
broadcast-refused-photo-too-big = 사진이 텔레그램이 받는 크기(10MB)보다 큽니다.
broadcast-ask-ko = 📢 <b>새 방송</b>
    알릴 내용을 한국어로 적어 주세요 (최대 { $max }자, 사진과 함께라면 { $caption }자). 그만두려면 /cancel.
broadcast-ask-en = 이제 같은 내용을 영어로 적어 주세요 (최대 { $max }자). 건너뛰면 영어 사용자도 한국어 글을 받습니다.
broadcast-ask-photo = 함께 보낼 사진 한 장을 보내 주세요 (그러면 글은 최대 { $caption }자). 사진 없이 계속할 수도 있습니다.
broadcast-btn-skip-en = 영어 없이
broadcast-btn-skip-photo = 사진 없이
broadcast-text-too-long = { $length }자입니다(이모지는 2자로 셉니다). 여기에는 최대 { $max }자까지 쓸 수 있습니다. 더 짧게 보내 주세요. 방송의 다른 내용은 그대로 있습니다.
broadcast-text-empty = 빈 글입니다. 알릴 내용을 메시지로 적어 주세요.
broadcast-photo-text-too-long = 사진과 함께라면 글은 각각 최대 { $max }자입니다 (사진 설명은 메시지보다 짧습니다). 지금 글은 { $length }자입니다. 사진 없이 계속하거나, 먼저 미리보기의 수정으로 글을 줄인 뒤 사진을 넣어 주세요.
broadcast-expect-text = 글을 메시지로 적어 주세요 (스티커, 사진, 파일은 글로 보낼 수 없습니다). 그만두려면 /cancel.
broadcast-expect-photo = 사진 한 장을 보내거나 “사진 없이”를 눌러 주세요.
broadcast-use-buttons = 위의 버튼으로 계속하거나 /cancel 해 주세요.
broadcast-draft-gone = 이 방송 작성은 끝났습니다 (/cancel 또는 다른 메뉴). /broadcast 로 새로 시작하세요.
broadcast-preview-head = 👆 한국어 사용자에게는 이렇게 보입니다.
    { $english ->
        [yes] 영어 사용자는 영어 글을 받습니다.
       *[no] 영어 글이 없어 모든 시민이 한국어 글을 받습니다.
    }
broadcast-preview-audience = 👥 <b>받는 사람</b>
broadcast-preview-foot = 확인하면 보냅니다. 수정으로 일부를 바꾸고, 취소로 버립니다.
broadcast-preview-outdated = 지난 미리보기입니다. 가장 최근 것을 사용해 주세요.
broadcast-btn-confirm = ✅ 확인하고 보내기
broadcast-btn-edit = ✏️ 수정
broadcast-btn-cancel-draft = 🗑 취소
broadcast-edit-what = 무엇을 바꿀까요?
broadcast-btn-edit-ko = 한국어 글
broadcast-btn-edit-en = 영어 글
broadcast-btn-edit-photo = 사진
broadcast-btn-edit-audience = 받는 사람
broadcast-btn-back = « 미리보기로
broadcast-editing = ✏️ 방송 수정 중…
broadcast-dropped = 🗑 방송 작성을 버렸습니다. 아무것도 보내지 않았습니다.
broadcast-queued = ✅ 방송 #{ $id }을(를) 시민 { $count }명에게 보내도록 등록했습니다. 진행 상황은 아래에 있습니다.

## 방송 진행 메시지
broadcast-progress-head = 📢 <b>방송 #{ $id }</b> · 시민 { $total }명: { $state }
broadcast-progress-counts = ✅ 보냄 { $sent } · ⚠️ 실패 { $failed } · 🚫 차단 { $blocked } · ⏳ 남음 { $remaining }
broadcast-progress-cancelled = ✖️ 보내지 않음 (취소): { $cancelled }
broadcast-progress-eta = ⏱ 최근 30초의 속도로 약 { $minutes }분 남았습니다.
broadcast-progress-eta-minute = ⏱ 1분 안에 끝납니다.
broadcast-progress-eta-unknown = ⏱ 남은 시간: 첫 메시지가 나가면 계산합니다.
broadcast-state-sending = 보내는 중
broadcast-state-paused = ⏸ 일시 정지
broadcast-state-done = ✅ 완료
broadcast-state-cancelled = ⏹ 취소됨
broadcast-btn-pause = ⏸ 일시 정지
broadcast-btn-resume = ▶️ 다시 보내기
broadcast-btn-cancel = ⏹ 취소
broadcast-btn-cancel-yes = ⏹ 네, 나머지를 취소합니다
broadcast-btn-cancel-no = 아니요, 계속 보냅니다
broadcast-cancel-confirm = 방송 #{ $id }을(를) 취소할까요? 아직 보내지 않은 메시지는 보내지 않습니다. 이미 보낸 것은 그대로입니다.
broadcast-cancel-kept = 방송 #{ $id }은(는) 계속 보냅니다.
broadcast-cancelled = ⏹ 방송 #{ $id }을(를) 취소했습니다: { $sent }건 보냄, { $cancelled }건은 보내지 않습니다.
broadcast-paused = 일시 정지했습니다. 다시 보내기 전까지 더 보내지 않습니다.
broadcast-resumed = 다시 보냅니다.
broadcast-control-not-allowed = 방송을 만든 사람이나 관리자만 할 수 있습니다.
broadcast-control-already = 방송이 이미 그 상태가 아닙니다.
