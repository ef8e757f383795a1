## 취소
cancel-confirm = 이 초안을 버릴까요? 입력한 내용이 사라집니다.
cancel-yes = 🗑 네, 버립니다
cancel-no = ↩️ 아니요, 계속합니다
cancel-done = 초안을 버렸습니다. 메인 메뉴입니다:
cancel-nothing = 취소할 것이 없습니다.
