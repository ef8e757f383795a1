# The outage answer when drafts are kept in a Redis that keeps data on disk (bot.runner decides).
error-unavailable-draft-kept = The service is briefly unavailable. Nothing you entered is lost — please try again in a minute.
