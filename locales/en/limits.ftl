## Per-resident limits and the flood guard
limits-items-per-day = You have filed { $limit } items in the last 24 hours, the most a resident may file in a day. You can file this one from { $until }: your draft is kept, press Submit then.
limits-comments-per-hour = You have written { $limit } comments in the last hour, the most a resident may write in an hour. You can comment again from { $until }. Your comment was not saved.
limits-slow-down = ⏳ You are sending messages too fast. Please wait a few seconds: what you send meanwhile is ignored.
