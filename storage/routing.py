"""Which departments answer an item: the one place that reads the city file's routing.

A complaint goes to every department a rule names for its category and district, at city
and district level at once; a proposal goes to the proposals department when it reaches
review. A private item (e.g. conduct of officials) goes only to `routing.private`, and an
item that no rule matches goes to `routing.fallback`: never nowhere.
"""

from __future__ import annotations

from storage.city import CityConfig, Department
from storage.lifecycle import Kind


def departments_for(city: CityConfig, kind: str, category: str, district: str) -> list[Department]:
    routing = city.routing
    found = city.category(category)
    if found is not None and found.private:
        codes = [routing.private]
    elif kind == Kind.PROPOSAL:
        codes = [routing.proposals]
    else:
        codes = [code for rule in routing.rules if rule.matches(category, district) for code in rule.departments]
        codes = codes or [routing.fallback]
    unique = dict.fromkeys(codes)  # in the order the rules name them, each once
    return [department for code in unique if (department := city.department(code)) is not None]
