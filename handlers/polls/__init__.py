""""Asking Citizens": answering polls, the list of open ones, the admins' live counts
(answer.py, views.py), how the sender renders a poll and its results (notices.py), and the
admins' /newpoll (create.py)."""
