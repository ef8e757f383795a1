# A count that stopped counting at its cap: there are at least this many.
count-at-least = { $count }+
