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
