"""storage/routing.py: which departments answer an item, read from the test city file."""

from __future__ import annotations

import pytest

from storage.city import CityConfig, RoutingRule
from storage.lifecycle import Kind
from storage.routing import departments_for


def codes(city: CityConfig, kind: str, category: str, district: str) -> list[str]:
    return [department.code for department in departments_for(city, kind, category, district)]


def test_city_and_district_departments_at_once(city):
    assert codes(city, Kind.COMPLAINT, "water", "buk") == ["water", "buk_office"]
    assert codes(city, Kind.COMPLAINT, "roads", "nam") == ["transport", "nam_office"]


def test_a_rule_limited_to_districts_applies_only_there(city):
    assert codes(city, Kind.COMPLAINT, "water", "dong") == ["water"]
    assert codes(city, Kind.COMPLAINT, "culture", "nam") == ["nam_office"]


def test_no_rule_means_the_fallback(city):
    assert codes(city, Kind.COMPLAINT, "culture", "dong") == ["civil"]
    assert codes(city, Kind.COMPLAINT, "no_such_category", "buk") == ["civil"]


@pytest.mark.parametrize("district", ["dong", "buk", "nam"])
@pytest.mark.parametrize("kind", [Kind.COMPLAINT, Kind.PROPOSAL])
def test_a_private_category_goes_only_to_routing_private(city, kind, district):
    assert codes(city, kind, "officials", district) == ["audit"]


def test_a_private_category_named_by_a_rule_still_goes_only_to_routing_private(city):
    # check-config refuses such a rule; routing holds even if one slipped through.
    loose = city.model_copy(update={"routing": city.routing.model_copy(update={"rules": [
        *city.routing.rules, RoutingRule(categories=["officials"], departments=["civil"])]})})
    assert codes(loose, Kind.COMPLAINT, "officials", "buk") == ["audit"]


@pytest.mark.parametrize(("category", "district"), [("water", "buk"), ("culture", "dong"), ("roads", "nam")])
def test_proposals_go_to_routing_proposals(city, category, district):
    assert codes(city, Kind.PROPOSAL, category, district) == ["policy"]


def test_a_department_named_by_two_rules_is_routed_once(city):
    twice = city.model_copy(update={"routing": city.routing.model_copy(update={"rules": [
        *city.routing.rules, RoutingRule(categories=["water"], departments=["water", "buk_office"])]})})
    assert codes(twice, Kind.COMPLAINT, "water", "buk") == ["water", "buk_office"]
