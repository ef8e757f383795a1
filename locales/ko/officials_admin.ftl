## 공무원을 지정하는 초대 링크(sotong officials invite)와 관리자에게 보내는 알림
invite-welcome-official =
    환영합니다! 이제 <b>{ $department }</b> 담당 공무원입니다.
    이 부서로 배정된 건이 여기로 전달됩니다. /inbox 에서 처리할 건을 볼 수 있습니다.
invite-welcome-role =
    환영합니다! 이제 { $city } 시민 채널의 { $role ->
        [admin] 관리자
       *[moderator] 운영자
    }입니다.
invite-already-yours = 이미 수락한 초대입니다. 더 하실 일은 없습니다. /inbox 에서 부서의 처리할 건을 볼 수 있습니다.
invite-used = 이미 사용된 초대 링크입니다. 링크는 한 번만 쓸 수 있습니다. 보낸 분께 새 링크를 요청해 주세요.
invite-expired = 기한이 지난 초대 링크입니다. 보낸 분께 새 링크를 요청해 주세요.
invite-invalid = 유효하지 않은 초대 링크입니다. 보낸 분께 새 링크를 요청해 주세요.
admin-invite-used = { $name }(텔레그램 ID { $telegram_id })님이 초대 링크를 열어 { $department } 담당 공무원이 되었습니다.
admin-invite-used-role = { $name }(텔레그램 ID { $telegram_id })님이 초대 링크를 열어 { $role ->
        [admin] 관리자
       *[moderator] 운영자
    }가 되었습니다.
