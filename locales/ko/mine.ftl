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
