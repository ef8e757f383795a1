## 봇에서 설문 만들기 (/newpoll)
poll-create-btn-new = 📊 새 설문
poll-refused-not-allowed = 설문은 시 관리자만 만들 수 있습니다.
poll-refused-question = 질문은 두 언어 모두 각각 1~{ $question }자여야 합니다.
poll-refused-options-count = 설문에는 선택지가 { $min }~{ $max }개 있어야 합니다.
poll-refused-option = 선택지마다 두 언어 모두 각각 1~{ $option }자여야 합니다.
poll-refused-closes = 마감 시각은 앞으로 { $days }일 안이어야 합니다. 수정으로 바꿔 주세요.
poll-refused-audience = 받는 사람이 비어 있거나 시 설정 파일에 없는 구, 분야, 주제가 있습니다. 수정으로 바꿔 주세요.
poll-create-ask-question-ko = 📊 <b>새 설문</b>
    질문을 한국어로 적어 주세요 (최대 { $max }자). 그만두려면 /cancel.
poll-create-ask-question-en = 이제 질문을 영어로 적어 주세요 (최대 { $max }자).
poll-create-ask-options = 선택지를 한 줄에 하나씩, 한국어와 영어를 빗금(/)으로 나눠 보내 주세요:
    <code>찬성 / For</code>
    <code>반대 / Against</code>
    선택지는 { $min }~{ $max }개, 각 언어 최대 { $length }자입니다.
poll-create-ask-choice = 시민이 하나만 고를 수 있나요, 여러 개를 고를 수 있나요?
poll-create-btn-single = 하나만
poll-create-btn-multiple = 여러 개
poll-create-ask-closes = 언제 마감할까요? 고르거나 날짜를 적어 주세요 (YYYY-MM-DD, 늦어도 { $last }). 그날이 끝날 때(시 기준 시간) 마감합니다.
poll-create-btn-days = { $days }일
poll-create-ask-results = 응답한 시민에게 결과를 보여 줄까요?
poll-create-btn-results-yes = 네, 결과를 보여 줍니다
poll-create-btn-results-no = 아니요
poll-create-question-length = 질문은 1~{ $max }자여야 합니다 (지금 { $length }자). 다시 보내 주세요. 다른 내용은 그대로 있습니다.
poll-create-options-count = 선택지는 한 줄에 하나씩 { $min }~{ $max }개여야 합니다. 지금은 { $count }개입니다. 다시 보내 주세요.
poll-create-option-format = { $line }번째 줄이 “한국어 / English” 형식이 아닙니다. 한국어와 영어 사이에 빗금(/)을 넣어 다시 보내 주세요.
poll-create-option-length = { $line }번째 줄의 각 언어는 1~{ $max }자여야 합니다. 선택지를 다시 보내 주세요.
poll-create-date-format = 날짜를 YYYY-MM-DD 형식(예: 2026-12-31)으로 적거나 버튼을 골라 주세요.
poll-create-date-range = 날짜는 오늘부터 { $last }까지여야 합니다.
poll-create-expect-text = 메시지로 적어 주세요. 그만두려면 /cancel.
poll-create-use-buttons = 위의 버튼으로 계속하거나 /cancel 해 주세요.
poll-create-draft-gone = 이 설문 작성은 끝났습니다 (/cancel 또는 다른 메뉴). /newpoll 로 새로 시작하세요.
poll-create-noted = 반영했습니다.
poll-create-sample-head = 👇 <i>한국어 사용자가 받게 될 설문입니다 (미리보기: 버튼을 눌러도 집계되지 않습니다):</i>
poll-create-sample-how = { $multiple ->
        [yes] 여러 개를 고를 수 있습니다.
       *[no] 하나를 고를 수 있습니다.
    } 마감: { $closes }.
poll-create-sample-pressed = 미리보기입니다. 설문을 보낸 뒤의 응답만 집계됩니다.
poll-create-preview-english = 🇬🇧 <b>영어</b>
poll-create-preview-settings = { $multiple ->
        [yes] 여러 개 선택
       *[no] 하나 선택
    } · 마감 { $closes } · { $results ->
        [yes] 응답 후 결과 공개
       *[no] 시민에게 결과 비공개
    }
poll-create-preview-audience = 👥 <b>받는 사람</b>
poll-create-preview-foot = 확인하면 설문을 만들어 보냅니다. 수정으로 일부를 바꾸고, 취소로 버립니다.
poll-create-preview-outdated = 지난 미리보기입니다. 가장 최근 것을 사용해 주세요.
poll-create-btn-confirm = ✅ 확인하고 보내기
poll-create-btn-edit = ✏️ 수정
poll-create-btn-cancel = 🗑 취소
poll-create-edit-what = 무엇을 바꿀까요?
poll-create-btn-edit-question-ko = 질문 (한국어)
poll-create-btn-edit-question-en = 질문 (영어)
poll-create-btn-edit-options = 선택지
poll-create-btn-edit-choice = 하나/여러 개
poll-create-btn-edit-audience = 받는 사람
poll-create-btn-edit-closes = 마감
poll-create-btn-edit-results = 결과 공개
poll-create-btn-back = « 미리보기로
poll-create-editing = ✏️ 설문 수정 중…
poll-create-dropped = 🗑 설문 작성을 버렸습니다. 아무것도 보내지 않았습니다.
poll-create-done = ✅ 설문 #{ $id }을(를) 만들어 받는 사람에게 보내고 있습니다. 마감: { $closes }.
