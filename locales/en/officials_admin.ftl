## Invite links that make an official (sotong officials invite), and what the admins are told
invite-welcome-official =
    Welcome! You are now an official of <b>{ $department }</b>.
    Items routed to it will reach you here as messages; /inbox lists its open ones.
invite-welcome-role =
    Welcome! You are now { $role ->
        [admin] an admin
       *[moderator] a moderator
    } of { $city }'s resident channel.
invite-already-yours = You already accepted this invitation; nothing more to do. /inbox lists your department's open items.
invite-used = This invitation link has already been used: each link works once. Please ask whoever sent it for a new one.
invite-expired = This invitation link has expired. Please ask whoever sent it for a new one.
invite-invalid = This invitation link is not valid. Please ask whoever sent it for a new one.
admin-invite-used = { $name } (Telegram id { $telegram_id }) opened an invitation link and is now an official of { $department }.
admin-invite-used-role = { $name } (Telegram id { $telegram_id }) opened an invitation link and is now { $role ->
        [admin] an admin
       *[moderator] a moderator
    }.
