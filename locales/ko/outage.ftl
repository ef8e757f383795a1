# The outage answer when drafts are kept in a Redis that keeps data on disk (bot.runner decides).
error-unavailable-draft-kept = 서비스가 잠시 멈췄습니다. 입력한 내용은 그대로 있으니 잠시 후 다시 시도해 주세요.
