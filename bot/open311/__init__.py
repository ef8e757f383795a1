"""Open311 GeoReport v2: the API the city's platforms and civic tools speak (docs/open311.md)."""
