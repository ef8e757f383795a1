## Errors and fallbacks
error-stale-button = This button is no longer active.
error-item-unavailable = This item is not available.
error-unavailable = The service is briefly unavailable. Please try again in a minute.
error-generic = Something went wrong on our side. Please try again.
fallback-unknown-command = I don't know { $command }. Choose from the menu, or see /help.
fallback-not-understood = I didn't understand that. Please choose from the menu below.
fallback-edited = I read new messages only, not changes to sent ones. Please send it again as a new message.
