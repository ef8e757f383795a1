## Outside a private chat (a group, supergroup or channel)
membership-private-only = 소통 봇은 1:1 대화에서만 답합니다. 개인 대화를 열어 주세요: { $link }
