"""What counted people are, from the words after the count (invented sentences)."""
from __future__ import annotations

import pytest

KIND = "https://w3id.org/claimgraph/kind/"


@pytest.fixture(scope="module")
def nlp(quantities_nlp):
    return quantities_nlp


def first(nlp, text: str):
    quantities = nlp(text)._.quantities
    assert quantities, text
    return quantities[0]


@pytest.mark.parametrize("sentence, unit, kind", [
    ("More than 4,000 Sylvanian soldiers have been killed since spring.", "Sylvanian soldier death", "Death"),
    ("Some 9,000 troops were killed or wounded in the offensive.", "troop casualty", "Casualty"),
    ("About 7,000 people were killed or wounded in the offensive.", "casualty", "Casualty"),
    ("Officials put the toll at 2,000 dead.", "death", "Death"),
    ("About 300 men had deserted by the autumn.", "deserter", "Deserter"),
    ("Over 12,000 individuals have joined the Freedonian armed forces under contract this year.",
     "contract soldier", "ContractSoldier"),
    ("Around 2,500 people have reportedly joined volunteer formations.", "volunteer", "Volunteer"),
    ("Officials said 7,000 people enter into service contracts every week.", "contract soldier", "ContractSoldier"),
    ("Of the new intake, about 1,100 are in the reserve.", "reservist", "Reservist"),
    ("The brigade lost 600 people in a week.", "casualty", "Casualty"),
    ("The brigade lost 600 soldiers in a week.", "soldier casualty", "Casualty"),
])
def test_the_words_after_a_count_of_people_say_what_it_counts(nlp, sentence, unit, kind):
    q = first(nlp, sentence)
    assert (q.unit, q.kind) == (unit, KIND + kind)


def test_a_bare_casualty_figure_qualifies_the_people_the_context_names(nlp):
    lost, wounded = nlp("The corps lost 400 conscripts and another 900 wounded.")._.quantities
    assert (lost.unit, wounded.unit, wounded.kind) == ("conscript casualty", "conscript wounded", KIND + "Wounded")


@pytest.mark.parametrize("sentence, unit", [
    ("The city is home to 40,000 people who work in the port.", "person"),
    ("500 soldiers were sent to help the wounded.", "soldiers"),
    ("Some 8,000 soldiers were not killed but captured.", "soldiers"),
    ("Over 2,000 people joined the protest.", "person"),
])
def test_no_role_unless_the_words_say_so(nlp, sentence, unit):
    assert first(nlp, sentence).unit == unit


def test_an_irregular_plural_ends_the_counted_noun_and_is_given_in_the_singular(nlp):
    q = first(nlp, "Around 1,200 women arrive at the border.")
    assert (q.unit, q.text) == ("woman", "Around 1,200 women")
    assert first(nlp, "The school has 300 children.").unit == "child"


def test_a_change_of_a_share_in_points(nlp):
    q = first(nlp, "The bank raised its rate by 3 percentage points to 19 percent.")
    assert (q.value, q.unit, q.kind) == (3, "percentage points", KIND + "PercentagePoint")
