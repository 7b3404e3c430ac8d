"""Quantity rules on invented news-like sentences: numbers, ranges, bounds, rates, units, modality."""
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
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "GPE", "pattern": "Freedonia", "id": "https://example.org/place/freedonia"},
        {"label": "GPE", "pattern": "Sylvania"},
        {"label": "ORG", "pattern": "Northern Alliance Council"},
    ])
    pipeline.add_pipe("claimgraph_quantities")
    return pipeline


def read(nlp, text: str) -> list[Quantity]:
    doc = nlp(text)
    quantities = doc._.quantities
    for q in quantities:
        assert text[q.span.start:q.span.end] == q.text
    return quantities


def only(nlp, text: str) -> Quantity:
    quantities = read(nlp, text)
    assert len(quantities) == 1, [q.text for q in quantities]
    return quantities[0]


# ------------------------------------------------------------------ numbers as written

@pytest.mark.parametrize("text, value", [
    ("The army mobilised 215,000 reservists last autumn.", 215_000),
    ("Factories turned out 1.2 million drones.", 1_200_000),
    ("Officials counted one million shells in the depots.", 1_000_000),
    ("The reserve holds two hundred and fifty thousand troops.", 250_000),
    ("Half a million soldiers were called up.", 500_000),
    ("The budget adds $4.5bn for air defence.", 4_500_000_000),
    ("Freedonia sent twenty-five tanks to the border.", 25),
    ("The brigade has 1,250.5 tonnes of fuel.", 1250.5),
])
def test_reads_digits_decimals_and_number_words(nlp, text, value):
    assert only(nlp, text).value == pytest.approx(value)


@pytest.mark.parametrize("text, low, high", [
    ("Sylvania keeps between 4,000 and 4,500 tanks in reserve.", 4000, 4500),
    ("The plant could deliver 6-9 million rounds.", 6_000_000, 9_000_000),
    ("They fired 700 to 900 drones at the port.", 700, 900),
    ("Losses of 300-400 tanks were reported.", 300, 400),
    ("Losses of 300–400 tanks were reported.", 300, 400),
    ("From 20 to 30 ships were damaged.", 20, 30),
])
def test_reads_ranges(nlp, text, low, high):
    q = only(nlp, text)
    assert (q.low, q.high, q.value, q.qualifier) == (low, high, None, "range")


def test_range_text_covers_both_bounds_and_the_noun(nlp):
    q = only(nlp, "Sylvania keeps between 4,000 and 4,500 tanks in reserve.")
    assert q.text == "between 4,000 and 4,500 tanks in reserve"
    assert q.kind == KIND + "Tank"


@pytest.mark.parametrize("cue, qualifier", [
    ("up to", "at_most"), ("over", "at_least"), ("more than", "at_least"), ("exceed", "at_least"),
    ("at least", "at_least"), ("approximately", "approximately"), ("about", "approximately"),
    ("almost", "approximately"), ("nearly", "approximately"), ("some", "approximately"),
    ("fewer than", "at_most"), ("as many as", "at_most"),
])
def test_bounds(nlp, cue, qualifier):
    q = only(nlp, f"The garrison will {cue} 8,000 soldiers.")
    assert q.value == 8000 and q.qualifier == qualifier
    assert q.text.lower().startswith(cue)


def test_comparative_bound(nlp):
    assert only(nlp, "The loss rate was higher than 70 vehicles a week.").qualifier == "at_least"


def test_bound_after_the_figure(nlp):
    assert only(nlp, "Sylvania lost 40 helicopters or more.").qualifier == "at_least"


# ------------------------------------------------------------------ rates

@pytest.mark.parametrize("rate, period", [
    ("per month", "P1M"), ("a month", "P1M"), ("monthly", "P1M"), ("each month", "P1M"),
    ("annually", "P1Y"), ("a year", "P1Y"), ("per day", "P1D"), ("every day", "P1D"),
    ("per week", "P7D"), ("every 3 months", "P3M"), ("every two weeks", "P14D"),
])
def test_rates(nlp, rate, period):
    q = only(nlp, f"The factory repairs 120 tanks {rate}.")
    assert q.period == period
    assert q.text == f"120 tanks {rate}"


@pytest.mark.parametrize("sentence", [
    "The garrison had 4,000 soldiers a year ago.",
    "Rebels fired 35 rockets at the port overnight.",
])
def test_time_points_are_not_rates(nlp, sentence):
    assert only(nlp, sentence).period is None


def test_rate_after_a_short_place_phrase(nlp):
    q = only(nlp, "Sylvania pulled 90 tanks from storage every month.")
    assert q.period == "P1M" and q.text == "90 tanks from storage every month"


def test_rate_after_a_participle(nlp):
    assert only(nlp, "Sylvania sees up to 900 soldiers killed a week.").period == "P7D"


def test_rate_adjective_before_the_figure(nlp):
    q = only(nlp, "Sylvania puts its annual shell output at 900,000 units.")
    assert q.period == "P1Y"


@pytest.mark.parametrize("text, period", [
    ("Officials said up to 4,000 reservists were signing up every month.", "P1M"),
    ("The navy must replace the 9,000 sailors it loses every year.", "P1Y"),
    ("Sylvania moved 5,000 troops towards the northern border in the past month.", None),   # one move, dated
    ("Sylvania could field 2 million troops within a year.", None),                         # a deadline
])
def test_rate_phrase_closing_the_clause(nlp, text, period):
    assert only(nlp, text).period == period


@pytest.mark.parametrize("text, period", [
    ("In 2021, the plant built 1,200 drones.", "P1Y"),
    ("In 2021, more than 1,200 drones were built at the plant.", "P1Y"),
    ("Freedonia said 30,000 volunteers had signed up over the whole of 2023.", "P1Y"),
    ("The plant built 1,200 drones in 2021.", "P1Y"),
    ("In 2021, Sylvania crossed the border with 90,000 troops.", None),   # a force, not a yearly total
    ("In 2021, exports fell by 12%.", None),                             # a share is no yearly count
    ("The plant built 1,200 drones in 2021-22.", None),
])
def test_a_count_for_a_named_year_is_a_yearly_total(nlp, text, period):
    assert only(nlp, text).period == period


def test_a_rate_introducing_a_list_applies_to_every_item(nlp):
    qs = read(nlp, "Sylvania's losses a day: 1,150 soldiers, 9 tanks and 20 guns.")
    assert [q.period for q in qs] == ["P1D", "P1D", "P1D"]


def test_a_figure_restated_in_brackets_keeps_the_qualifier(nlp):
    qs = read(nlp, "The fund received about 1.4 trillion roubles ($16 billion) in May.")
    assert [(q.unit, q.qualifier) for q in qs] == [("RUB", "approximately"), ("USD", "approximately")]


def test_rate_closing_a_list_applies_to_every_item(nlp):
    qs = read(nlp, "The defenders destroyed 14 tanks, 20 drones and 6 guns in the past 24 hours.")
    assert [q.period for q in qs] == ["P1D", "P1D", "P1D"]


# ------------------------------------------------------------------ percentages, ratios, compounds

@pytest.mark.parametrize("text, value", [
    ("The economy will shrink by -0.5% this year.", -0.5),
    ("Output fell to −1.2% in May.", -1.2),
    ("Growth was minus 2 percent in the third quarter.", -2),
])
def test_negative_percentages(nlp, text, value):
    q = only(nlp, text)
    assert (q.value, q.unit) == (pytest.approx(value), "percent")


def test_a_dash_opening_a_line_is_a_bullet_not_a_minus(nlp):
    assert only(nlp, "Losses:\n-5 tanks").value == 5


def test_within_is_an_upper_bound(nlp):
    q = only(nlp, "The shells landed within 300 metres of the bridge.")
    assert (q.value, q.qualifier) == (300, "at_most")


@pytest.mark.parametrize("text", ["Turnout fell to 62% in the north.", "Turnout fell to 62 percent in the north.",
                                  "Turnout fell to 62 per cent in the north."])
def test_percentages(nlp, text):
    q = only(nlp, text)
    assert (q.value, q.unit) == (62, "percent")


def test_share_keeps_its_base_in_the_text(nlp):
    q = only(nlp, "Roughly 70% of the brigades were understrength.")
    assert q.text == "Roughly 70% of the brigades" and q.qualifier == "approximately"


def test_multiplier(nlp):
    q = only(nlp, "Sylvania fires four times more shells than its neighbour.")
    assert (q.value, q.unit, q.text) == (4, "times", "four times more")


def test_strong_army_counts_troops(nlp):
    q = only(nlp, "Freedonia raised a 20,000-strong force.")
    assert q.value == 20_000 and q.kind == KIND + "Personnel"


def test_n_year_compound(nlp):
    q = only(nlp, "The two capitals signed a 10-year defence pact.")
    assert (q.value, q.unit) == (10, "year")


# ------------------------------------------------------------------ what is counted

@pytest.mark.parametrize("text, unit, kind", [
    ("Sylvania fired 40 Storm Shadow missiles.", "Storm Shadow missiles", "StormShadowMissile"),
    ("The bombers carried 12 Kinzhals.", "hypersonic missile", "KinzhalMissile"),   # a model: its kind
    ("The regiment still fields 300 T-72s.", "tank", "Tank"),
    ("A salvo of 20 Kalibr hit the port.", "cruise missile", "KalibrMissile"),
    ("Freedonia ordered 90 armoured personnel carriers.", "armoured personnel carriers", "ArmouredPersonnelCarrier"),
    ("Freedonia ordered 90 armored personnel carriers.", "armored personnel carriers", "ArmouredPersonnelCarrier"),
    ("The fleet lost 3 landing ships.", "landing ships", "Ship"),
    ("The depot holds 50,000 artillery shells.", "artillery shells", "ArtilleryRound"),
    ("Engineers delivered 35 Tsirkon missiles.", "Tsirkon missiles", "ZirconMissile"),
    ("Sylvania builds 60 cruise and ballistic missiles a month.", "cruise and ballistic missiles", "BallisticMissile"),
    ("Seaborne exports rose to 3.4 million b/d in May.", "barrel", "Barrel"),   # an abbreviation: the prefLabel
    ("Sylvania exports 2.1 million bpd of crude.", "barrel", "Barrel"),
    ("The reserve holds 140 tons of gold.", "tonne", "Tonne"),
])
def test_unit_and_kind(nlp, text, unit, kind):
    q = only(nlp, text)
    assert q.unit == unit and q.kind == KIND + kind


@pytest.mark.parametrize("text, unit, kind", [
    ("The fund paid out $4.5 billion.", "USD", "USDollar"),
    ("The budget sets aside 900 billion roubles.", "RUB", "Ruble"),
    ("The budget sets aside 900 billion rubles.", "RUB", "Ruble"),
    ("Donors pledged €2 billion.", "EUR", "Euro"),
    ("The grant was £300 million.", "GBP", "PoundSterling"),
    ("The city paid 40 million hryvnias.", "UAH", "Hryvnia"),
    ("Exports reached 80 billion yuan.", "CNY", "Yuan"),
])
def test_money_is_counted_in_its_iso_4217_code(nlp, text, unit, kind):
    q = read(nlp, text)[0]
    assert (q.unit, q.kind) == (unit, KIND + kind)


def test_calibre_is_part_of_the_counted_noun_not_a_figure(nlp):
    q = only(nlp, "Freedonia shipped 40,000 152-mm shells and a batch of 120 mm mortars.")
    assert (q.value, q.unit, q.kind) == (40_000, "152-mm shells", KIND + "ArtilleryRound")


def test_unit_from_the_same_sentence(nlp):
    q = only(nlp, "Drone output is rising fast, and by summer the total could reach 9,000.")
    assert q.unit.lower() == "drone" and q.kind == KIND + "Drone"


def test_unit_from_a_nearby_figure(nlp):
    qs = read(nlp, "The corps moved 400 conscripts to the front and another 900 to the rear.")
    assert [q.value for q in qs] == [400, 900]
    assert qs[1].unit == "conscripts"


def test_unit_from_the_previous_sentence(nlp):
    qs = read(nlp, "The navy has lost several frigates. Another 3 were damaged.")
    assert qs[0].value == 3 and qs[0].unit == "frigates"


def test_unit_from_a_number_of_phrase(nlp):
    q = only(nlp, "Observers put the number of conscripts sent north at 12,000.")
    assert q.unit == "conscripts" and q.kind == KIND + "Recruit"


def test_placeholder_unit_takes_the_noun_from_context(nlp):
    q = only(nlp, "Freedonia estimates its ammunition output at 800,000 units.")
    assert q.unit == "ammunition" and q.kind == KIND + "Munition"


def test_number_inside_an_equipment_name(nlp):
    q = only(nlp, "Freedonia received 14 Leopard 2 tanks.")
    assert (q.value, q.unit, q.kind) == (14, "Leopard 2 tanks", KIND + "Tank")


def test_adjective_is_the_unit_when_nothing_else_is_counted(nlp):
    q = only(nlp, "The agency put the figure at 8,000 jobless.")
    assert q.unit == "jobless" and q.kind == KIND + "UnemployedPerson"
    q = only(nlp, "Observers put the toll at 150,000 dead.")
    assert q.unit == "death" and q.kind == KIND + "Death"   # the adjective names a role: see quantity_roles


def test_counter_word_with_of_phrase_names_the_counted_thing(nlp):
    q = only(nlp, "Sylvania moved 1,000 pieces of equipment to the coast.")
    assert (q.unit, q.kind, q.text) == ("equipment", KIND + "Equipment", "1,000 pieces of equipment")


def test_part_of_a_whole(nlp):
    first, second = read(nlp, "Air defence shot down 41 of 52 drones overnight.")
    assert first.unit == "drones" and second.value == 52


# ------------------------------------------------------------------ modality

@pytest.mark.parametrize("text, modality", [
    ("Last week the brigade lost 14 tanks near the river.", "report"),
    ("Sylvania could deploy 5,000 troops by spring.", "projection"),
    ("The ministry will receive 60 drones next month.", "projection"),
    ("Analysts estimate that 3,000 tanks remain in storage.", "estimate"),
    ("Sylvania has about 700 aircraft.", "estimate"),
    ("If the draft continues, 50,000 conscripts may be called up.", "projection"),
    ("With 200 tanks and 80 guns, the corps could break through.", "projection"),
    ("Sylvania can produce 40 missiles a month.", "estimate"),
    ("The ministry wants to recruit 80,000 volunteers.", "projection"),
    ("The strike force lost 30 vehicles, although it could rebuild quickly.", "report"),
    ("About 900 marines landed in June, and Sylvania may send more.", "report"),   # "about" is no estimate
    ("Freedonia lost 40 tanks in the battle, which could take years to replace.", "report"),
    ("Although about 700 jets remain in storage, most of them will never fly.", "report"),
    ("Sylvania is to receive 24 frigates next year.", "projection"),
    ("Freedonia lost 300 tanks last winter, commanders said.", "estimate"),
    ("The minister said the brigade lost 14 tanks near the river.", "report"),
    ("Officials say Sylvania recruits 9,000 sailors a month.", "report"),
    ("The depots held 900 guns that could be repaired quickly, and the rate was 30 a month.", "report"),
])
def test_modality(nlp, text, modality):
    assert read(nlp, text)[0].modality == modality


@pytest.mark.parametrize("text, modality", [
    ("According to the ministry, Sylvania lost 70 tanks in May.", "report"),
    ("Sylvania lost 70 tanks in May, according to the ministry.", "report"),
    ("Sylvania lost 70 tanks in May, according to estimates by the ministry.", "estimate"),
    ("Sylvania reportedly lost 70 tanks in May.", "report"),
    ("The ministry claimed that Sylvania lost 70 tanks in May.", "report"),
    ("Citing satellite images, the institute said Sylvania lost 70 tanks.", "report"),
    ("The general believes Sylvania lost 70 tanks in May.", "estimate"),
])
def test_attribution_alone_is_no_estimate(nlp, text, modality):
    """Only a word of estimating makes a figure an estimate; naming the source does not."""
    assert only(nlp, text).modality == modality


def test_an_estimated_governs_only_its_own_figure(nlp):
    qs = read(nlp, "The depot kept an estimated 900 tanks in May, a drop of 300 tanks since March.")
    assert [(q.value, q.modality, q.qualifier) for q in qs] == [(900, "estimate", "exact"), (300, "report", "exact")]


def test_loss_table_lines_count_the_named_kind(nlp):
    text = "Losses so far:\ntanks — 812\nartillery systems — 1,340\nComments 12\n"
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "sentencizer":
            for tok in doc[1:]:
                tok.is_sent_start = "\n" in doc[tok.i - 1].text
    assert [(q.value, q.kind) for q in doc._.quantities] == [(812, KIND + "Tank"), (1340, KIND + "ArtillerySystem")]


def test_follow_up_figure_keeps_the_previous_modality(nlp):
    qs = read(nlp, "Observers estimate that 9,000 marines were lost. Furthermore, another 4,000 marines were injured.")
    assert [q.modality for q in qs] == ["estimate", "estimate"]


def test_a_sentence_pointing_back_at_figures_keeps_their_modality(nlp):
    qs = read(nlp, "Observers estimate that 9,000 marines were lost. These grim numbers equal 40% of the corps.")
    assert [q.modality for q in qs] == ["estimate", "estimate"]


def test_list_items_inherit_the_modality_of_their_introduction(nlp):
    text = "By next year the arsenal could grow to include:\n• 100 to 150 Kalibr missiles\n• 30 Kinzhals\n"
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "sentencizer":
            for tok in doc[1:]:
                tok.is_sent_start = "\n" in doc[tok.i - 1].text  # line breaks end sentences, as in the Extractor
    assert [q.modality for q in doc._.quantities] == ["projection", "projection"]


# ------------------------------------------------------------------ subject

def test_subject_is_the_nearest_place_with_its_iri(nlp):
    assert only(nlp, "Freedonia lost 120 tanks in the winter.").subject == "https://example.org/place/freedonia"


def test_subject_without_iri_is_the_entity_text(nlp):
    assert only(nlp, "Sylvania recruited 9,000 volunteers.").subject == "Sylvania"


# ------------------------------------------------------------------ not quantities

@pytest.mark.parametrize("text", [
    "The talks opened on 3 March 2024 in a neutral capital.",
    "The talks opened on March 3, 2024.",
    "The offensive began in 2023.",
    "The briefing started at 14:35 and ended at 10 a.m. sharp.",
    "The 25th Brigade and the 3rd Army held the line.",
    "Leaders warned of World War III.",
    "Article 5 of the treaty was invoked.",
    "One of the officers spoke; both sides refused. One notable exception remained.",
    "The villages were freed on August 4 and 9, respectively.",
    "The 2022-23 winter was harsh.",
    "Reforms date back to the 17th century.",
    "The briefing ran for 3 hours.",
    "Shells of 155mm calibre are scarce.",
    "Visit example.org/news/2024/11 for more.",
    "Only one thing matters to the two nations.",
    "The treaty was signed on Feb. 24 and ratified on 3 Sept.",
])
def test_not_quantities(nlp, text):
    assert read(nlp, text) == []


@pytest.mark.parametrize("text", [
    "Tel: +44 20 7946 0958.",
    "Share 0 Comments 12",
    "Photo gallery: 14 photos",
    "Recruits get a one-time payment; two-thirds of them stay.",
    "The reform lowered the draft age from 27 to 25.",
])
def test_page_noise_and_bare_numbers_with_nothing_counted(nlp, text):
    assert read(nlp, text) == []


def test_dates_next_to_real_figures(nlp):
    qs = read(nlp, "On 12 May 2024, Sylvania launched 64 missiles.")
    assert [(q.value, q.unit) for q in qs] == [(64, "missiles")]


def test_attribution_fields_are_left_to_the_attribution_component(nlp):
    q = only(nlp, "Sylvania lost 120 tanks.")
    assert q.attributed_to is None and q.claim is None


@pytest.mark.parametrize("text, modality", [
    ("Up to 9,000 reservists could be called up in spring.", "projection"),
    ("Losses of 300 soldiers a day could not be replaced.", "report"),
])
def test_modal_after_the_figure(nlp, text, modality):
    assert only(nlp, text).modality == modality


def test_percent_written_after_both_ends_of_a_range(nlp):
    q = only(nlp, "Sanctions cut exports by 20% to 25% last year.")
    assert (q.low, q.high, q.qualifier) == (20, 25, "range")


def test_rate_after_an_of_phrase(nlp):
    q = only(nlp, "Sylvania ships 900 barrels of crude per day.")
    assert q.period == "P1D"


@pytest.mark.parametrize("sentence, unit", [
    ("The army now fields 12 newly formed brigades.", "newly formed brigades"),
    ("The plant delivered 300 new and modernised tanks.", "new and modernised tanks"),
])
def test_modifiers_before_the_counted_noun(nlp, sentence, unit):
    assert only(nlp, sentence).unit == unit


def test_a_rate_phrase_opening_the_clause_applies_to_its_figures(nlp):
    qs = read(nlp, "The ministry said that over the past day the enemy lost 640 soldiers, 7 tanks and 12 guns.")
    assert [q.period for q in qs] == ["P1D", "P1D", "P1D"]


def test_a_rate_phrase_in_an_earlier_clause_does_not_reach_the_figure(nlp):
    q = only(nlp, "Every month the plant gets new orders, but last year it delivered 300 tanks.")
    assert q.period is None


def test_a_demonym_inside_the_counted_phrase(nlp):
    q = only(nlp, "Observers counted 400 destroyed Russian tanks near the river.")
    assert q.unit.endswith("tanks")


def test_part_of_a_named_whole(nlp):
    q = only(nlp, "Air defence shot down 61 of the drones.")
    assert q.unit == "drones" and q.value == 61
