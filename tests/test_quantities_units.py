"""What a figure counts (its unit), on invented sentences: words written with hyphens, money
carried to bare figures, words that are never units, measures, stand-in nouns."""
from __future__ import annotations

import pytest
import spacy

import ingest.extract.quantities  # noqa: F401  (registers the factory)
from ingest.model import Quantity

KIND = "https://w3id.org/claimgraph/kind/"


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("claimgraph_quantities")
    return pipeline


def read(nlp, text: str) -> list[Quantity]:
    quantities = nlp(text)._.quantities
    for q in quantities:
        assert text[q.span.start:q.span.end] == q.text
    return quantities


def by_value(nlp, text: str) -> dict[float, Quantity]:
    return {q.value if q.value is not None else (q.low, q.high): q for q in read(nlp, text)}


# ------------------------------------------------------------------ words written with hyphens

@pytest.mark.parametrize("sentence, unit", [
    ("Port records list 140 laden non-EU-flagged barges off the coast.", "laden non-EU-flagged barges"),
    ("The yard delivered 35 brand-new patrol barges.", "brand-new patrol barges"),
    ("Officials saw 300 well-armed guards near the gate.", "well-armed guards"),
    ("The plant built 60 newly-made modern tanks.", "newly-made modern tanks"),
])
def test_a_modifier_written_with_hyphens_stays_in_the_counted_noun(nlp, sentence, unit):
    (q,) = read(nlp, sentence)
    assert q.unit == unit


def test_a_bare_figure_after_a_hyphenated_noun_counts_the_whole_noun(nlp):
    found = by_value(nlp, "Port records list 140 laden non-EU-flagged barges, with 12 moored in the bay.")
    assert found[12].unit == "laden non-EU-flagged barges"


# ------------------------------------------------------------------ sums that name no currency

def test_a_sum_without_currency_takes_the_currency_of_the_money_before_it(nlp):
    found = by_value(nlp, "The union paid 12 billion euros last year. Since then it gave 40 billion in "
                          "military and civil aid, against 31 billion from Canada.")
    assert found[40e9].unit == "EUR" and found[31e9].unit == "EUR"


def test_a_scaled_figure_in_a_sentence_that_counts_money_is_money(nlp):
    found = by_value(nlp, "The province used to give 2.4 million to each recruit and cut it to 1.1 million hryvnias.")
    assert found[2.4e6].unit == "UAH"


def test_a_word_of_paying_makes_a_bare_figure_money(nlp):
    found = by_value(nlp, "Bonuses were cut to 1.5 million rubles. The mayor offered 2.6 million to every "
                          "volunteer, and ordered that 0.8 million be paid to widows.")
    assert found[2.6e6].unit == "RUB"
    assert found[0.8e6].unit == "RUB"


def test_a_bracketed_conversion_is_not_carried(nlp):
    found = by_value(nlp, "Each family gets 4 million rubles (39,000 euros). The city adds another 1 to 2 million.")
    assert found[(1e6, 2e6)].unit == "RUB"


def test_us_dollars_written_out_are_dollars(nlp):
    found = by_value(nlp, "The city offers 1.7 million rubles (19,000 US dollars) on signing.")
    assert found[19000].unit == "USD"


# ------------------------------------------------------------------ words that are never units

def test_the_bound_of_the_next_figure_is_not_a_counted_noun(nlp):
    found = by_value(nlp, "Monthly output of mortar shells climbed from 9,000 past 17,000 by spring.")
    assert found[9000].unit == "mortar shells"
    assert found[17000].unit == "mortar shells" and found[17000].qualifier == "at_least"


# ------------------------------------------------------------------ measures

@pytest.mark.parametrize("sentence, value", [
    ("In Freedonia the fertility rate is 1.3, far below replacement.", 1.3),
    ("The total fertility rate of the island fell to 1.6 last decade.", 1.6),
])
def test_a_ratio_says_what_it_measures(nlp, sentence, value):
    q = by_value(nlp, sentence)[value]
    assert q.unit == "birth per woman" and q.kind == KIND + "BirthsPerWoman"


def test_a_measure_for_a_named_year_is_a_level_not_a_yearly_total(nlp):
    found = by_value(nlp, "The fertility rate is 1.3, down from 1.8 in 2011.")
    assert found[1.8].unit == "birth per woman" and found[1.8].period is None


# ------------------------------------------------------------------ nouns that name only a kind

@pytest.mark.parametrize("sentence, value, unit", [
    ("The corps now fields more than 80,000 men.", 80000, "personnel"),
    ("Police detained 14 individuals at the border.", 14, "person"),
    ("The draft brought in 90,000 young men.", 90000, "young man"),      # words of its own: as written
])
def test_a_noun_that_names_only_the_kind_counts_the_kind(nlp, sentence, value, unit):
    assert by_value(nlp, sentence)[value].unit == unit


def test_a_kind_noun_keeps_its_role(nlp):
    assert by_value(nlp, "Some 70,000 men have been killed or wounded.")[70000].unit == "personnel casualty"


@pytest.mark.parametrize("sentence, value", [
    ("The plant rebuilt some 35 T-90Ms last year.", 35),
    ("Crews received 120 T-72B3 tanks.", 120),
])
def test_tank_models_count_tanks(nlp, sentence, value):
    q = by_value(nlp, sentence)[value]
    assert q.kind == KIND + "Tank" and "tank" in q.unit


@pytest.mark.parametrize("sentence, value, unit", [
    ("Officials put the army's losses at over 60,000.", 60000, "casualty"),
    ("The census found about 2.4 million citizens in the province.", 2.4e6, "person"),
    ("The factories turned out 3 million projectiles last year.", 3e6, "artillery round"),
])
def test_a_kind_word_in_the_context_gives_the_kind_label_to_a_bare_figure(nlp, sentence, value, unit):
    assert by_value(nlp, sentence)[value].unit == unit


# ------------------------------------------------------------------ people counted by place, strengths

def test_a_plural_demonym_counts_people_and_takes_their_role(nlp):
    q = by_value(nlp, "Analysts said about 90,000 Russians had signed army contracts since May.")[90000]
    assert q.unit == "contract soldier"
    assert by_value(nlp, "The town had 8,000 Ukrainians before the war.")[8000].kind == KIND + "Person"


def test_a_strength_of_a_word_naming_no_kind_counts_troops(nlp):
    found = by_value(nlp, "The 12,000-strong contingent moved north, joined by a 3,000-strong army.")
    assert found[12000].unit == "troops" and found[3000].unit == "army"


def test_a_name_after_more_is_the_counted_noun(nlp):
    q = by_value(nlp, "The aid funds 14 more High-Mobility Artillery Rocket Systems for the army.")[14]
    assert q.unit == "multiple rocket launcher" and q.kind == KIND + "RocketLauncher"


def test_a_counter_word_takes_the_noun_from_its_of_phrase_or_the_context(nlp):
    assert by_value(nlp, "Monitors logged 41 instances of looting in the district.")[41].unit == "looting"
    found = by_value(nlp, "The army launched drones at the port. Officials said more than 15 devices were jammed.")
    assert found[15].kind == KIND + "Drone"


def test_a_figure_changed_to_another_counts_what_the_other_counts(nlp):
    found = by_value(nlp, "Bonuses for recruits were reduced from 1.6 million to 1 million rubles.")
    assert found[1.6e6].unit == "RUB"


def test_a_scaled_figure_keeps_the_noun_named_before_it_in_a_sentence_with_money(nlp):
    found = by_value(nlp, "The army has lost 40,000 soldiers, and 1.2 million more could follow at a cost of $90 billion.")
    assert found[1.2e6].kind == KIND + "Personnel"


def test_an_adjective_that_names_a_kind_wins_over_the_context(nlp):
    found = by_value(nlp, "The region listed 4,100 job vacancies and 2,350 unemployed in March.")
    assert found[2350].kind == KIND + "UnemployedPerson" and found[2350].unit == "unemployed"


def test_a_sum_marked_by_a_word_of_paying_finds_its_currency_paragraphs_back(nlp):
    text = ("The region cut its bonus to 1.2 million rubles.\n\nOther regions followed in spring. Samara kept "
            "its offer. Tver did too.\n\nThe amount of 2.5 million is kept only for officers.")
    assert by_value(nlp, text)[2.5e6].unit == "RUB"
