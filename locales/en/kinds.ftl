## Kinds
kind-complaint = Complaint
kind-proposal = Policy proposal
