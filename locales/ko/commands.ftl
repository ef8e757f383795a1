## 텔레그램 명령 메뉴
command-start = 시작하고 메인 메뉴 보기
command-menu = 메인 메뉴 보기
command-cancel = 하던 일 취소하기
command-language = 언어 바꾸기
command-help = 사용 방법
