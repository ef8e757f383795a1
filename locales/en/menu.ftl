## Main menu
menu-complaint = 📝 File a complaint
menu-proposal = 💡 Propose a policy
menu-browse = 🔎 Browse
menu-mine = 📂 My submissions
menu-settings = ⚙️ Settings
menu-help = ❓ Help
menu-placeholder = Choose from the menu
menu-shown = Main menu — choose below.
