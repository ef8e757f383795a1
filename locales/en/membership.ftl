## Outside a private chat (a group, supergroup or channel)
membership-private-only = I only talk with residents one to one. Open our private chat: { $link }
