## Statuses
status-received = Received
status-in_progress = In progress
status-answered = Answered
status-resolved = Resolved
status-closed = Closed
status-reopened = Reopened
status-collecting = Collecting endorsements
status-discussion = In discussion
status-review = Under review
status-committee = In committee
status-planned = Execution planned
status-policy = Adopted as policy
status-expired = Expired
status-rejected = Not adopted
status-withdrawn = Withdrawn
status-hidden = Hidden
