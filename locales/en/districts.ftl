# A district suggested from the city's boundaries (city.boundaries in the city file).
filing-district-inside = That place is in <b>{ $district }</b>. Is that right?
filing-district-outside = That place is outside the city. You can still choose its district below.
