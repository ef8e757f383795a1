## Cancel
cancel-confirm = Drop this draft? What you entered will be lost.
cancel-yes = 🗑 Yes, drop it
cancel-no = ↩️ No, continue
cancel-done = The draft was dropped. Main menu:
cancel-nothing = There is nothing to cancel.
