## Resident text quoted in a message, when it had to be cut to fit
text-shortened = … (shortened)
search-too-long = A search may have up to { $max } characters; yours has { $length }. Please shorten it.
