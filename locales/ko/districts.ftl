# A district suggested from the city's boundaries (city.boundaries in the city file).
filing-district-inside = 그곳은 <b>{ $district }</b>에 있습니다. 맞나요?
filing-district-outside = 그곳은 시 경계 밖입니다. 아래에서 구를 직접 고를 수 있습니다.
