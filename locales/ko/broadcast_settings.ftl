## 설정 › 시정 안내: 어떤 시정 안내를 받을지
settings-broadcasts = 📢 시정 안내
broadcast-settings-heading = <b>📢 시정 안내</b>
    시가 여러 시민에게 한꺼번에 보내는 안내와 설문입니다. 어떤 것을 받으시겠어요?
broadcast-settings-explain-all = • <b>시 전체와 우리 구</b>: 시 전체 안내, 우리 구 안내, 소식 받는 항목의 분야 안내, 고른 주제의 안내.
broadcast-settings-explain-topics = • <b>고른 주제만</b>: 아래에서 고른 주제의 안내만.
broadcast-settings-explain-none = • <b>받지 않음</b>: 시정 안내를 전혀 받지 않습니다.
broadcast-settings-no-district = 나의 구를 정하지 않으셔서(📍 나의 구) 구별 안내는 받을 수 없습니다.
broadcast-settings-topics-heading = 주제: 눌러서 고르거나 뺄 수 있습니다.
broadcast-settings-no-topic-picked = 아직 고른 주제가 없어서 받을 시정 안내가 없습니다.
broadcast-settings-not-notifications = 신청하거나 소식 받는 항목의 진행 소식은 시정 안내가 아니라 🔔 알림에서 따로 정합니다.
broadcast-settings-all = 시 전체와 우리 구
broadcast-settings-topics = 고른 주제만
broadcast-settings-none = 받지 않음
broadcast-settings-back = ◀ 설정
