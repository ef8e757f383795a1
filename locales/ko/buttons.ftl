## 공통 버튼
btn-back = ⬅️ 이전
btn-cancel = ✖️ 취소
btn-done = ✅ 완료
btn-skip = ⏭ 건너뛰기
btn-keep = ✅ 그대로 두기
btn-submit = 📨 제출
btn-share-location = 📍 내 위치 보내기
