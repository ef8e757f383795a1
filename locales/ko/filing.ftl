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
