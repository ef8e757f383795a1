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
