"""`may` as a matrix: every role × every action × own office / child / sibling / parent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ravabet.network.models import Membership, Office, Role
from ravabet.network.permissions import ROLE_ACTIONS, Action, may, offices_where

# Who may do what in their own office. Written out by hand on purpose: this table is the spec,
# and the test fails if ROLE_ACTIONS drifts from it.
EXPECTED_OWN: dict[str, set[str]] = {
    "manager": {a.value for a in Action},
    "editor": {
        "staff.area", "news.write", "news.read_any", "news.edit_draft", "news.edit_any", "news.review", "news.publish",
        "news.stats", "comments.moderate", "comments.reply", "council.take_part", "council.report",
    },
    "author": {"staff.area", "news.write"},
    "moderator": {"staff.area", "comments.moderate", "comments.reply"},
    "responder": {
        "staff.area", "demands.view", "demands.answer", "demands.assign", "demands.refer",
    },
}  # fmt: skip

RELATIONS = ["own", "child", "sibling", "parent"]


def expected(role: str, action: Action, relation: str) -> bool:
    if action.value not in EXPECTED_OWN[role]:
        return False
    if relation == "own":
        return True
    if relation == "child":
        return role == "manager"  # only managers reach down the subtree
    return False  # never sideways, never upward


@pytest.fixture
def tree(db):
    root = Office.objects.create(slug="root", kind="directorate", name_fa="ریشه")
    own = Office.objects.create(slug="own", kind="governorate", name_fa="خودی", parent=root)
    child = Office.objects.create(slug="child", kind="county", name_fa="فرزند", parent=own)
    sibling = Office.objects.create(slug="sibling", kind="agency", name_fa="هم‌تراز", parent=root)
    return {"own": own, "child": child, "sibling": sibling, "parent": root}


@pytest.fixture
def members(tree):
    users = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(username=f"u-{role}", password="x")
        Membership.objects.create(user=user, office=tree["own"], role=role)
        users[role] = user
    return users


def test_role_table_is_the_spec():
    assert {role: {a.value for a in acts} for role, acts in ROLE_ACTIONS.items()} == EXPECTED_OWN


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", Role.values)
def test_matrix_cell(tree, members, role, action, relation):
    assert may(members[role], action, tree[relation]) is expected(role, action, relation)


def test_objects_with_an_office_are_checked_through_it(tree, members):
    class Item:
        office = tree["child"]

    assert may(members["manager"], Action.NEWS_PUBLISH, Item())
    assert not may(members["editor"], Action.NEWS_PUBLISH, Item())


def test_anonymous_inactive_and_superuser(tree, members):
    from django.contrib.auth.models import AnonymousUser

    assert not may(AnonymousUser(), Action.NEWS_WRITE, tree["own"])
    assert not may(None, Action.NEWS_WRITE, tree["own"])
    editor = members["editor"]
    editor.is_active = False
    assert not may(editor, Action.NEWS_WRITE, tree["own"])
    boss = get_user_model().objects.create_superuser(username="root", password="x")
    assert all(may(boss, action, tree["sibling"]) for action in Action)


def test_no_membership_no_rights(tree):
    stranger = get_user_model().objects.create_user(username="stranger", password="x")
    assert not any(may(stranger, a, tree[r]) for a in Action for r in RELATIONS)


def test_inactive_office_gives_no_rights(tree, members):
    tree["own"].is_active = False
    tree["own"].save()
    fresh = get_user_model().objects.get(pk=members["manager"].pk)
    assert not may(fresh, Action.NEWS_WRITE, tree["own"])


def test_offices_where_matches_may(tree, members):
    for role, user in members.items():
        for action in Action:
            listed = set(offices_where(user, action).values_list("slug", flat=True))
            allowed = {tree[r].slug for r in RELATIONS if may(user, action, tree[r])}
            assert listed == allowed, (role, action)


def test_moving_an_office_moves_its_subtree(tree):
    tree["own"].parent = tree["sibling"]
    tree["own"].save()
    child = Office.objects.get(slug="child")
    assert child.is_within(tree["sibling"])
    assert child.depth == 3


def test_only_managers_set_demand_deadlines(tree, members):
    allowed = {role for role, user in members.items() if may(user, "demands.settings", tree["own"])}
    assert allowed == {"manager"}


class _Owned:
    """A stand-in for a news item (or a search document): an office and an owner."""

    def __init__(self, office, author_id):
        self.office = office
        self.author_id = author_id


def test_owner_actions_reach_only_ones_own_objects(tree, members):
    author = members["author"]
    colleague = get_user_model().objects.create_user(username="colleague", password="x")
    Membership.objects.create(user=colleague, office=tree["own"], role="author")
    mine = _Owned(tree["own"], author.pk)
    theirs = _Owned(tree["own"], colleague.pk)
    assert may(author, Action.NEWS_READ_ANY, mine)
    assert may(author, Action.NEWS_EDIT_DRAFT, mine)
    assert not may(author, Action.NEWS_READ_ANY, theirs)
    assert not may(author, Action.NEWS_EDIT_DRAFT, theirs)
    assert not may(author, Action.NEWS_READ_ANY, _Owned(tree["sibling"], author.pk))
    assert may(members["editor"], Action.NEWS_READ_ANY, theirs)
    assert not may(members["moderator"], Action.NEWS_READ_ANY, _Owned(tree["own"], None))


def test_reach_is_the_queryset_form_of_may(tree, members):
    """`reach(...).q()` selects exactly the objects `may` allows, for every role."""
    from ravabet.network.permissions import reach

    colleague = get_user_model().objects.create_user(username="colleague", password="x")
    owners = [None, colleague.pk, *[u.pk for u in members.values()]]
    objects = [_Owned(tree[r], owner) for r in RELATIONS for owner in owners]
    for role, user in members.items():
        got = reach(user, Action.NEWS_READ_ANY)
        q = got.q()
        for obj in objects:
            # Evaluate the Q against the stand-in by hand: office id and owner id only.
            in_reach = obj.office.pk in got.offices or (
                obj.office.pk in got.own_offices and obj.author_id == got.user_id
            )
            assert in_reach is may(user, Action.NEWS_READ_ANY, obj), (
                role,
                obj.office,
                obj.author_id,
            )
        assert q is not None
