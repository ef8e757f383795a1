## 메인 메뉴
menu-complaint = 📝 민원 신청
menu-proposal = 💡 정책 제안
menu-browse = 🔎 둘러보기
menu-mine = 📂 나의 신청
menu-settings = ⚙️ 설정
menu-help = ❓ 도움말
menu-placeholder = 메뉴에서 골라 주세요
menu-shown = 메인 메뉴입니다. 아래에서 골라 주세요.
