## 텔레그램 명령 메뉴
command-start = 시작하고 메인 메뉴 보기
command-menu = 메인 메뉴 보기
command-cancel = 하던 일 취소하기
command-language = 언어 바꾸기
command-help = 사용 방법
command-inbox = 우리 부서의 처리할 민원·제안 (기한 지난 것 먼저)
command-moderate = 검토를 기다리는 신고
command-stats = 구별 통계
command-broadcast = 주민에게 알림 보내기
command-newpoll = 주민에게 묻기 (설문)
