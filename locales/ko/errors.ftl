## 오류와 기본 응답
error-stale-button = 더 이상 쓸 수 없는 버튼입니다.
error-item-unavailable = 볼 수 없는 건입니다.
error-unavailable = 서비스가 잠시 멈췄습니다. 잠시 후 다시 시도해 주세요.
error-generic = 처리 중 문제가 생겼습니다. 다시 시도해 주세요.
fallback-unknown-command = { $command } 명령은 모릅니다. 메뉴에서 고르거나 /help 를 보세요.
fallback-not-understood = 무슨 말씀인지 모르겠어요. 아래 메뉴에서 골라 주세요.
fallback-edited = 보낸 메시지를 고친 내용은 읽지 못해요. 새 메시지로 다시 보내 주세요.
