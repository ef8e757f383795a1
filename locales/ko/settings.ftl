## 언어와 설정
language-prompt = 언어를 골라 주세요:
language-set = 한국어로 설정했습니다.
settings-overview =
    <b>설정</b>
    언어: { $language }
    나의 구: { $district }
    알림: { $notify }
    시정 안내: { $broadcasts }
settings-no-district = 정하지 않음
settings-language = 🌐 언어
settings-district = 📍 나의 구
settings-district-prompt = 어느 구에 사시나요?
settings-saved = 저장했습니다.
settings-notify = 🔔 알림
settings-notify-prompt = 어떤 소식을 받으시겠어요?
    (시의 안내와 설문은 📢 시정 안내에서 따로 정합니다.)
settings-notify-all = 소식 받는 모든 항목
settings-notify-own = 내가 신청한 항목만
settings-notify-none = 받지 않음
