## 텔레그램 명령 메뉴
command-start = 시작하고 메인 메뉴 보기
command-menu = 메인 메뉴 보기
command-cancel = 하던 일 취소하기
command-language = 언어 바꾸기
command-help = 사용 방법

## 메인 메뉴
menu-complaint = 📝 민원 신청
menu-proposal = 💡 정책 제안
menu-browse = 🔎 둘러보기
menu-mine = 📂 나의 신청
menu-settings = ⚙️ 설정
menu-help = ❓ 도움말
menu-placeholder = 메뉴에서 골라 주세요
menu-shown = 메인 메뉴입니다. 아래에서 골라 주세요.

## 시작과 도움말
start-welcome =
    안녕하세요! { $city } 시민 참여 공식 채널입니다.
    민원을 신청하거나 정책을 제안하고, 시가 어떻게 처리하는지 확인하세요.
start-welcome-back = { $city } 시민 채널에 다시 오신 것을 환영합니다. 아래 메뉴에서 골라 주세요.
help-text =
    <b>사용 방법</b>
    📝 <b>민원 신청</b>: 불편한 점을 시에 알립니다.
    💡 <b>정책 제안</b>: 아이디어를 제안합니다. 시민의 공감이 모이면 토론으로 이어집니다.
    🔎 <b>둘러보기</b>: 다른 시민의 제안을 읽고 공감합니다.
    📂 <b>나의 신청</b>: 신청한 건의 진행 상황을 봅니다.
    /cancel 하던 일 취소, /language 언어 바꾸기, /menu 메뉴 보기.

## 언어와 설정
language-prompt = 언어를 골라 주세요:
language-set = 한국어로 설정했습니다.
settings-overview =
    <b>설정</b>
    언어: { $language }
    나의 구: { $district }
settings-no-district = 정하지 않음
settings-language = 🌐 언어
settings-district = 📍 나의 구
settings-district-prompt = 어느 구에 사시나요?
settings-saved = 저장했습니다.

## 공통 버튼
btn-back = ⬅️ 이전
btn-cancel = ✖️ 취소
btn-done = ✅ 완료
btn-skip = ⏭ 건너뛰기
btn-keep = ✅ 그대로 두기
btn-submit = 📨 제출
btn-share-location = 📍 내 위치 보내기

## 종류
kind-complaint = 민원
kind-proposal = 정책 제안

## 신청
filing-kind-prompt = 무엇을 신청하시겠어요?
filing-kind-complaint = 📝 민원 (고쳐야 할 문제)
filing-kind-proposal = 💡 정책 제안 (아이디어)
filing-category-prompt = { $kind }: 어떤 분야인가요?
filing-district-prompt = 어느 구의 일인가요? 아래에서 고르거나 위치를 보내 주세요.
filing-location-hint = 아래 버튼을 누르면 위치를 보낼 수 있습니다.
filing-district-suggest = 가장 가까운 구는 <b>{ $district }</b>입니다 ({ $km } km). 맞나요?
filing-district-accept = ✅ 네, { $district }
filing-district-other = 다른 구 고르기
filing-title-prompt = 짧은 제목을 입력해 주세요 ({ $min }–{ $max }자).
filing-body-prompt = 내용을 적어 주세요: 무엇이, 어디에서, 언제부터 ({ $min }–{ $max }자).
filing-photos-prompt =
    사진이 있으면 보내 주세요: 최대 { $max }장, 한 장씩 또는 앨범으로 (지금 { $count }장).
    다 보내셨으면 완료, 없으면 건너뛰기를 눌러 주세요.
filing-photos-clear = 🗑 사진 지우기
filing-photo-added = 📷 사진 { $count }/{ $max }장을 받았습니다.
filing-photos-full = 사진은 최대 { $max }장까지입니다. 넘는 사진은 추가하지 않았습니다.
filing-photo-duplicate = 이미 첨부한 사진입니다.
filing-location-prompt = 정확한 위치가 어디인가요? 아래 버튼으로 위치를 보내 주세요 (선택). 없으면 건너뛰기.
filing-location-prompt-has = 📍 위치가 첨부되어 있습니다. 새 위치를 보내 바꾸거나, 그대로 두거나, 지울 수 있습니다.
filing-location-remove = 🗑 위치 지우기
filing-location-yes = 첨부됨
filing-location-no = 없음
filing-anonymity-prompt = 담당 공무원에게 이름을 보여 줄까요?
filing-anon-show = 👤 이름 보이기 ({ $name })
filing-anon-hide = 🕶 익명으로
filing-anon-shown = 공무원에게 이름 공개
filing-anon-hidden = 익명
filing-noted = ✓ 확인했습니다.
filing-preview-complaint =
    <b>민원 내용을 확인해 주세요</b>
    종류: { $kind }
    분야: { $category }
    구: { $district }
    제목: <b>{ $title }</b>
    { $body }
    사진: { $photos }장 · 위치: { $location } · 이름: { $visibility }
filing-preview-proposal =
    <b>제안 내용을 확인해 주세요</b>
    종류: { $kind }
    분야: { $category }
    구: { $district }
    제목: <b>{ $title }</b>
    { $body }
    사진: { $photos }장 · 이름: { $visibility }
filing-edit-kind = ✏️ 종류
filing-edit-category = ✏️ 분야
filing-edit-district = ✏️ 구
filing-edit-title = ✏️ 제목
filing-edit-body = ✏️ 내용
filing-edit-photos = ✏️ 사진
filing-edit-location = ✏️ 위치
filing-edit-anonymity = ✏️ 이름 공개
filing-similar-header = <b>비슷한 건이 이미 진행 중입니다.</b> 새로 신청하기보다 공감하는 편이 더 힘이 될 수 있습니다:
filing-similar-button = 👍 대신 { $number }에 공감하기
filing-similar-open = 작성하던 초안은 위에 그대로 있습니다.
filing-submitted-complaint =
    ✅ 감사합니다! 민원이 <b>{ $number }</b>번으로 접수되었습니다.
    담당 부서가 받아 이곳으로 답변합니다. 진행 상황은 나의 신청에서 볼 수 있습니다.
filing-submitted-private =
    ✅ 감사합니다! 신고가 <b>{ $number }</b>번으로 접수되었습니다.
    이 신고는 본인과 시만 볼 수 있습니다. 답변은 이곳으로 옵니다.
filing-submitted-proposal =
    ✅ 감사합니다! 제안이 <b>{ $number }</b>번으로 접수되었습니다.
    { $days }일 안에 공감 { $goal }개를 받으면 공개 토론으로 넘어갑니다. 공유해서 공감을 모아 보세요. 진행 상황은 나의 신청에서 볼 수 있습니다.
filing-already-submitted = 이 초안은 이미 <b>{ $number }</b>번으로 접수되었습니다.
filing-in-progress = 신청을 작성하는 중입니다. 아래에서 이어서 하거나 /cancel 로 취소하세요.
filing-unknown-command = 여기서는 { $command } 명령을 쓸 수 없습니다. 아래에서 이어서 하거나 /cancel 하세요.
filing-expect-choice = 버튼으로 골라 주세요.
filing-expect-district = 버튼으로 구를 고르거나 위치를 보내 주세요.
filing-expect-title = 제목을 글자로 입력해 주세요 ({ $min_title }–{ $max_title }자).
filing-expect-body = 내용을 글자로 입력해 주세요 ({ $min_body }–{ $max_body }자).
filing-expect-photo = 사진을 보내 주세요 (파일이나 스티커 말고). 또는 완료나 건너뛰기를 누르세요.
filing-expect-location = 버튼으로 위치를 보내거나 건너뛰기를 눌러 주세요.
filing-error-title-length = 제목은 { $min }–{ $max }자여야 합니다. 지금 { $length }자입니다.
filing-error-body-length = 내용은 { $min }–{ $max }자여야 합니다. 지금 { $length }자입니다.
filing-incomplete = 아직 빠진 항목이 있습니다. 채워 주세요.

## 취소
cancel-confirm = 이 초안을 버릴까요? 입력한 내용이 사라집니다.
cancel-yes = 🗑 네, 버립니다
cancel-no = ↩️ 아니요, 계속합니다
cancel-done = 초안을 버렸습니다. 메인 메뉴입니다:
cancel-nothing = 취소할 것이 없습니다.

## 나의 신청
mine-empty = 아직 신청한 것이 없습니다. 메뉴에서 민원이나 제안을 신청해 보세요.
mine-header = <b>나의 신청</b> ({ $total }건) — { $pages }쪽 중 { $page }쪽. 눌러서 자세히 보세요.
mine-detail =
    <b>{ $number }</b> · { $kind }
    <b>{ $title }</b>
    { $category } · { $district }
    상태: <b>{ $status }</b> · 사진: { $photos }장

    { $body }

    <b>진행 기록</b>
    { $timeline }
mine-event = { $time } · { $status }
mine-back = ⬅️ 목록으로

## 상태
status-received = 접수
status-in_progress = 처리 중
status-answered = 답변 완료
status-resolved = 해결
status-closed = 종결
status-reopened = 재접수
status-collecting = 공감 모으는 중
status-discussion = 토론 중
status-review = 검토 중
status-committee = 위원회 심의
status-planned = 실행 계획 수립
status-policy = 정책 채택
status-expired = 기간 만료
status-rejected = 채택되지 않음
status-withdrawn = 철회
status-hidden = 숨김

## 오류와 기본 응답
error-stale-button = 더 이상 쓸 수 없는 버튼입니다.
error-item-unavailable = 볼 수 없는 건입니다.
error-unavailable = 서비스가 잠시 멈췄습니다. 잠시 후 다시 시도해 주세요.
error-generic = 처리 중 문제가 생겼습니다. 다시 시도해 주세요.
fallback-unknown-command = { $command } 명령은 모릅니다. 메뉴에서 고르거나 /help 를 보세요.
fallback-not-understood = 무슨 말씀인지 모르겠어요. 아래 메뉴에서 골라 주세요.

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

## 둘러보기
browse-header =
    🔎 <b>둘러보기</b> — { $total }건, { $pages }쪽 중 { $page }쪽
    정렬: { $sort } · 구: { $district } · 분야: { $category }
    종류: { $kind } · 단계: { $stage } · 검색: { $query }
browse-empty = 맞는 건이 없습니다. 조건을 바꾸거나 지워 보세요.
browse-all = 전체
browse-sort-new = 최신순
browse-sort-top = 공감 많은 순
browse-sort-end = 마감 임박순
browse-filter-sort = ↕️ 정렬
browse-filter-district = 📍 구
browse-filter-category = 🗂 분야
browse-filter-kind = 📋 종류
browse-filter-stage = 🚦 단계
browse-search = 🔍 검색
browse-clear = ✖️ 조건 지우기
browse-choose-sort = 정렬 방법:
browse-choose-district = 어느 구의 건을 볼까요?
browse-choose-category = 어떤 분야의 건을 볼까요?
browse-choose-kind = 어떤 종류를 볼까요?
browse-choose-stage = 어느 단계의 건을 볼까요?
browse-search-prompt = 찾을 낱말을 입력해 주세요 (그만두려면 /cancel).
browse-search-expect = 찾을 낱말을 글자로 입력하거나 /cancel 하세요.

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

## 나의 신청과 공감
mine-show-submissions = 📂 나의 신청
mine-show-endorsements = 👍 나의 공감
mine-endorsed-header = <b>나의 공감</b> ({ $total }건) — { $pages }쪽 중 { $page }쪽.
mine-endorsed-empty = 아직 공감한 제안이 없습니다. 둘러보기에서 찾아 보세요.
mine-open-card = 🗂 카드 열기
cancel-input-done = 취소했습니다. 메인 메뉴입니다:
command-browse = 제안과 민원 둘러보기
command-search = 검색: /search 낱말
card-retract = 🗑 제안 철회
card-retract-confirm = 제안을 철회할까요? 더 이상 공감을 받지 않고 종료됩니다. 되돌릴 수 없습니다.
card-retract-yes = 🗑 네, 철회합니다
card-retract-no = ↩️ 아니요, 유지합니다
card-retracted = 제안을 철회했습니다.

language-name-ko = 🇰🇷 한국어
language-name-en = 🇬🇧 English
