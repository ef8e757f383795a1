## Discussion
discuss-head =
    💬 <b>Discussion of { $number }</b>
    <b>{ $title }</b> · { $status }
    Participants: { $participants }
discuss-your-stance = Your stance: { $stance }
stance-support = support
stance-oppose = oppose
stance-neutral = neutral
stance-button-support = 👍 Support
stance-button-oppose = 👎 Oppose
stance-button-neutral = 🤔 Neutral
discuss-read-comments = 📜 Read comments
discuss-back-to-card = ⬅️ Card
discuss-back = ⬅️ Discussion
discuss-skip-comment = ⏭ No comment
discuss-comment-prompt = You { $stance }. Add a comment to explain why (optional, up to { $max } characters), or tap No comment.
discuss-comment-length = A comment may have up to { $max } characters; yours has { $length }. Please shorten it.
discuss-comment-expect = Please type your comment as text (up to { $max } characters), or tap No comment.
discuss-saved = ✅ Your stance is recorded.
discuss-closed = The discussion of this proposal is closed.
discuss-comments-head = <b>Comments on { $number }</b> — page { $page } of { $pages }
discuss-no-comments = No comments yet.
