"""Stances scored from the stance cues of ontology/vocab/stance-cues.ttl, transparently."""
from __future__ import annotations

from attribution_support import claim_by, extract, extractor

from common import iris
from ingest.extract.lexicon import Lexicon, StanceCue
from ingest.extract.stance import StanceScorer, document_minimum

REGROUP = "TRUCE_AS_REGROUPING"
NEEDS_PEACE = "RUSSIA_NEEDS_PEACE"


def test_claim_stance_and_the_cues_that_fired_are_recorded():
    ex = extract("Hanne Vik, a fellow at the Fjord Institute, said that a ceasefire would let the army regroup and rearm.")
    claim = claim_by(ex, "regroup")
    assert claim.stance == REGROUP
    assert claim.stance_cues and all(c.startswith(iris.CUE) for c in claim.stance_cues)


def test_needs_peace_cues_give_the_other_stance():
    ex = extract("Economist Lars Brun argued that the army faces a manpower shortage and that the war is unsustainable.")
    assert claim_by(ex, "manpower shortage").stance == NEEDS_PEACE


def test_claim_without_cues_has_no_stance():
    ex = extract("Ida Moen, a spokeswoman for the Coastal Guard Agency, said that the ferry would sail on Monday.")
    claim = claim_by(ex, "ferry would sail")
    assert claim.stance is None and claim.stance_cues == []


def test_document_stance_from_title_and_body_with_cue_iris():
    title = "Why a truce would only let the Kremlin regroup"
    body = (title + "\n\nEvery pause in the fighting has been used to rearm. A ceasefire would allow Moscow to "
            "replenish its stocks and prepare for a new offensive. The army needs breathing room, and a frozen "
            "conflict would give it exactly that.")
    ex = extract(body, title=title)
    assert ex.stance == REGROUP
    assert ex.stance_scores[REGROUP] > ex.stance_scores.get(NEEDS_PEACE, 0)
    assert ex.stance_cues[REGROUP] and all(c.startswith(iris.CUE) for c in ex.stance_cues[REGROUP])


def test_balanced_or_weak_documents_take_no_stance():
    balanced = extract("Some see desperation in the recruitment crisis; others warn that the army will regroup "
                       "and rearm during any pause.")
    assert balanced.stance is None
    weak = extract("The ferry sailed on Monday. The harbour was calm and the weather was mild.")
    assert weak.stance is None and weak.stance_scores == {}


def test_reported_words_count_less_than_the_articles_own_voice():
    scorer = extractor().stance
    text = "Officials said the army will regroup. The war is unsustainable and the recruitment crisis deepens."
    own_only = scorer.document(None, text, [])
    reported = scorer.document(None, text, [(0, text.index(".") + 1)])
    assert reported.scores[REGROUP] < own_only.scores[REGROUP]
    assert reported.scores[NEEDS_PEACE] == own_only.scores[NEEDS_PEACE]


def test_every_stance_cue_points_at_a_stance_concept():
    lex = extractor().lex
    assert lex.stance_cues
    assert {c.stance for c in lex.stance_cues} == {REGROUP, NEEDS_PEACE}
    assert all(c.weight > 0 for c in lex.stance_cues)


def test_a_negated_cue_does_not_fire():
    ex = extract("Nils Aas, a fellow at the Fjord Institute, said: “The army is not running out of shells. It is buying them.”")
    assert claim_by(ex, "not running out of shells").stance is None


def test_a_cue_that_carries_its_own_negation_still_fires():
    ex = extract("Economist Lars Brun said that the army cannot sustain the war and does not have sufficient forces.")
    assert claim_by(ex, "cannot sustain").stance == NEEDS_PEACE


def test_a_negation_in_an_earlier_clause_does_not_reach_the_cue():
    ex = extract("Hanne Vik said that nobody doubts the danger, but a pause would let the army regroup.")
    assert claim_by(ex, "regroup").stance == REGROUP


def test_cues_match_token_norms_so_curly_and_straight_negations_agree():
    scorer = extractor().stance
    for text in ("The army isn’t running out of shells.", "The army isn't running out of shells."):
        s = scorer.score(text)
        assert s.net().get(NEEDS_PEACE, 0) == 0 and s.against[NEEDS_PEACE] > 0


def test_a_negated_cue_is_evidence_against_its_stance():
    scorer = extractor().stance
    plain = scorer.document("The garrison is running out of fuel", "The garrison is running out of fuel.", [])
    denied = scorer.document("No, the garrison is not running out of fuel",
                             "No, the garrison is not running out of fuel. Reports say it is running out of fuel.", [])
    assert plain.decide(1.0) == NEEDS_PEACE
    assert denied.net()[NEEDS_PEACE] < plain.net()[NEEDS_PEACE]
    assert denied.decide(1.0) is None


def test_cue_phrases_with_a_gap_match_a_few_words_in_between_but_not_across_a_clause():
    lex = Lexicon(stance_cues=[StanceCue("urn:cue:gap", REGROUP, 2.0, ("exploit ... lull",))],
                  clause_breaks={"but"})
    scorer = StanceScorer(lex)
    assert scorer.score("They will exploit the coming winter lull.").scores[REGROUP] == 2.0
    assert scorer.score("They will exploit it, the lull is short.").scores.get(REGROUP, 0) == 0
    assert scorer.score("They exploit nothing but the lull.").scores.get(REGROUP, 0) == 0


def test_a_cue_that_fires_only_when_negated():
    lex = Lexicon(stance_cues=[StanceCue("urn:cue:enough", NEEDS_PEACE, 1.5, ("able to hire enough",),
                                         when_negated=True)],
                  stance_negations={"not", "unable"})
    scorer = StanceScorer(lex)
    assert scorer.score("The fleet will not be able to hire enough sailors.").scores[NEEDS_PEACE] == 1.5
    assert scorer.score("The fleet will be able to hire enough sailors.").scores.get(NEEDS_PEACE, 0) == 0


def test_economy_strain_spread_over_moderate_cues_adds_up_to_a_stance():
    body = ("The Kremlin's budget deficit widened again this spring. Inflation is eating wages, the labour "
            "shortage is chronic and the reserve fund is depleting. Analysts call it a house of cards.")
    ex = extract(body)
    assert ex.stance == NEEDS_PEACE
    assert len(ex.stance_cues[NEEDS_PEACE]) >= 2


def test_a_pause_that_gives_time_to_replenish_is_regrouping():
    body = ("A pause would give the generals time to recruit replacements and replenish their depots. "
            "They will use any truce to prepare for the next war.")
    assert extract(body).stance == REGROUP


def test_a_recruitment_shortfall_said_as_a_denial():
    ex = extract("Analyst Kari Lund said that the army will not be able to recruit enough soldiers this year.")
    assert claim_by(ex, "recruit enough").stance == NEEDS_PEACE
    ex = extract("Analyst Kari Lund said that the army will be able to recruit enough soldiers this year.")
    assert claim_by(ex, "recruit enough").stance is None


def test_news_that_reports_talks_stays_neither():
    body = ("Delegations met in a lakeside hotel on Tuesday to discuss a ceasefire. A spokesman said the talks "
            "were constructive and would resume next week. No date has been set for a signing.")
    ex = extract(body, title="Ceasefire talks to resume next week")
    assert ex.stance is None


def test_a_cue_about_another_polity_is_set_aside_and_recorded():
    scorer = extractor().stance
    other = scorer.document(None, "The talks broke down. Kyiv will use the pause to regroup and rearm its brigades.", [])
    assert other.net().get(REGROUP, 0) == 0 and other.elsewhere[REGROUP]
    russia = scorer.document(None, "The talks broke down. Moscow will use the pause to regroup and rearm its brigades.", [])
    assert russia.net()[REGROUP] > 0 and not russia.elsewhere.get(REGROUP)


def test_a_shortage_of_the_other_side_is_no_evidence_that_russia_needs_peace():
    scorer = extractor().stance
    s = scorer.score("Ukrainian brigades face a manpower shortage and are running out of shells.")
    assert s.net().get(NEEDS_PEACE, 0) == 0
    assert scorer.score("Russian brigades face a manpower shortage.").net()[NEEDS_PEACE] > 0


def test_a_clause_that_names_no_polity_counts_for_the_position():
    assert extractor().stance.score("They will use the pause to regroup.").net()[REGROUP] > 0


def test_the_nearest_polity_decides_and_a_setting_is_not_a_subject():
    scorer = extractor().stance
    # "in Ukraine" is where the war is, not who regroups; lower-case names count too
    assert scorer.score("After the fighting in Ukraine stops, the generals will regroup.").net().get(REGROUP, 0) > 0
    assert scorer.score("The deal would help russia regroup, say officials in Ukraine.").net()[REGROUP] > 0
    assert scorer.score("Analysts in Russia expect that Ukraine will regroup.").net().get(REGROUP, 0) == 0


def test_overlapping_cue_phrases_count_once():
    lex = Lexicon(stance_cues=[StanceCue("urn:cue:long", REGROUP, 2.0, ("time to rearm",)),
                               StanceCue("urn:cue:short", REGROUP, 2.0, ("rearm",))])
    s = StanceScorer(lex).score("The lull gives them time to rearm.")
    assert s.scores[REGROUP] == 2.0 and s.cues[REGROUP] == ["urn:cue:long"]


def test_quoted_words_count_fully_when_the_articles_own_voice_leans_the_same_way():
    scorer = extractor().stance
    quote = "“The pause will let them regroup and rearm,” said an analyst."
    reported = [(0, quote.index("”") + 1)]
    alone = scorer.document(None, quote, reported)
    agreeing = scorer.document(None, "They will regroup. " + quote, [(19 + a, 19 + b) for a, b in reported])
    disagreeing = scorer.document(None, "The war is unsustainable. " + quote, [(26 + a, 26 + b) for a, b in reported])
    assert agreeing.scores[REGROUP] - 2.0 > alone.scores[REGROUP]      # 2.0: the own-voice "regroup"
    assert disagreeing.scores[REGROUP] == alone.scores[REGROUP]


def test_a_long_text_needs_more_evidence_than_a_short_one():
    from ingest.extract.stance import MIN_DOCUMENT_SCORE, document_minimum
    assert document_minimum("A short note.") == MIN_DOCUMENT_SCORE
    assert document_minimum("word " * 2000) > MIN_DOCUMENT_SCORE


def test_a_long_first_line_is_a_lede_not_a_headline():
    from ingest.extract.pipeline import _first_line
    assert _first_line("Harbour talks resume in the spring\n\nThe delegations met.") == "Harbour talks resume in the spring"
    assert _first_line(" ".join(["word"] * 40) + "\nMore text.") == ""


def test_cue_phrases_match_every_spelling_of_their_words():
    scorer = extractor().stance
    for text in ("A ceasefire would let the army regroup.", "A cease-fire would let the army regroup."):
        assert scorer.score(text).scores[REGROUP] > 2.0, text


def test_an_economy_and_industry_at_their_limits_is_the_needs_peace_stance():
    ex = extract("The arms plants are unable to produce enough shells for the front, and the country is short "
                 "of money. Economists see a budgetary catastrophe ahead.")
    assert ex.stance == NEEDS_PEACE
    assert ex.stance_scores[NEEDS_PEACE] >= 2 * 1.5


def test_one_passing_cue_in_a_short_text_takes_no_side():
    ex = extract("Grain exports rose in March\n\nAnalysts said stocks of seed are dwindling in the south, "
                 "but the ports are busy and prices are stable.")
    assert 0 < ex.stance_scores.get(NEEDS_PEACE, 0) and ex.stance is None


def test_what_a_truce_would_free_up_is_the_regrouping_stance():
    ex = extract("Officials in the Baltic states are blunt about it.\n\nA ceasefire would free up significant "
                 "military resources for Moscow, which would continue its military buildup on NATO's borders.")
    assert ex.stance == REGROUP


def test_a_bare_economic_indicator_argues_nothing_on_its_own():
    scorer = extractor().stance
    news = "Inflation in Russia rose to nine percent in May. The budget deficit widened and inflation stayed high."
    alone = scorer.document(None, news, [])
    assert alone.net().get(NEEDS_PEACE, 0.0) == 0.0 and alone.support[NEEDS_PEACE] > 0
    argued = news + " The war economy is unsustainable."
    with_judgement = scorer.document(None, argued, [])
    assert with_judgement.net()[NEEDS_PEACE] > scorer.document(None, "The war economy is unsustainable.", []).net()[NEEDS_PEACE]


def test_a_cue_inside_a_question_is_not_evidence():
    scorer = extractor().stance
    asked = scorer.score("Could the Kremlin simply run out of money next year?")
    assert asked.net().get(NEEDS_PEACE, 0.0) == 0.0 and asked.asked[NEEDS_PEACE]
    stated = scorer.score("The Kremlin could simply run out of money next year.")
    assert stated.net()[NEEDS_PEACE] > 0


def test_a_question_mark_in_a_later_sentence_does_not_reach_back():
    scorer = extractor().stance
    s = scorer.score("The army is running out of shells. Will the talks resume?")
    assert s.net()[NEEDS_PEACE] > 0


def test_a_polity_inside_a_gapped_cue_is_whom_the_cue_is_about():
    scorer = extractor().stance
    s = scorer.score("Moscow argued that a pause would only give Ukraine time to regroup.")
    assert s.net().get(REGROUP, 0.0) == 0.0 and s.elsewhere[REGROUP]
    own = scorer.score("Kyiv argued that a pause would only give Russia time to regroup.")
    assert own.net()[REGROUP] > 0


def test_a_polity_the_cue_itself_names_is_its_object_not_its_subject():
    s = extractor().stance.score("Analysts fear the army could attack NATO within years.")
    assert s.net()[REGROUP] > 0


def test_a_frame_cue_finds_its_two_words_across_a_short_gap():
    scorer = extractor().stance
    drained = scorer.score("The state wealth fund has steadily shrunk since the spring.")
    assert drained.net()[NEEDS_PEACE] > 0
    plugged = scorer.score("The ministry sold gold to plug the growing deficit.")
    assert plugged.net()[NEEDS_PEACE] > 0 and not plugged.support.get(NEEDS_PEACE)
    far = scorer.score("The reserves were audited by the committee and the weather was mild, and nothing shrank.")
    assert far.net().get(NEEDS_PEACE, 0.0) == 0.0


def test_a_frame_cue_is_negated_like_any_other():
    s = extractor().stance.score("The army's stockpiles have not run down at all this year.")
    assert s.net().get(NEEDS_PEACE, 0.0) == 0.0 and s.against[NEEDS_PEACE] > 0


def test_a_conceded_cue_is_not_evidence():
    scorer = extractor().stance
    conceded = scorer.score("Despite heavy losses, the army kept advancing along the river.")
    assert conceded.net().get(NEEDS_PEACE, 0.0) == 0.0 and conceded.conceded[NEEDS_PEACE]
    assert scorer.score("The army suffered heavy losses along the river.").net()[NEEDS_PEACE] > 0


def test_strain_that_pushes_toward_talks_argues_needs_peace_and_its_denial_argues_against():
    scorer = extractor().stance
    pushed = scorer.score("Falling revenues could push the Kremlin toward peace talks this winter.")
    assert pushed.net()[NEEDS_PEACE] >= 2.0
    denied = scorer.score("The slump won't bring the Kremlin to the negotiating table.")
    assert denied.net().get(NEEDS_PEACE, 0.0) == 0.0 and denied.against[NEEDS_PEACE] > 0


def test_a_war_that_is_hard_to_pay_for_and_a_strained_budget_argue_needs_peace():
    scorer = extractor().stance
    assert scorer.score("It is getting harder for the state to fund the campaign.").net()[NEEDS_PEACE] > 0
    assert scorer.score("The budget has become badly strained this year.").net()[NEEDS_PEACE] > 0


def test_an_unopposed_quoted_finding_about_russia_carries_a_silent_article():
    scorer = extractor().stance
    text = ("The ministry published its monthly figures on Tuesday. " * 40
            + "Russia is running out of trained crews, the analyst said.")
    quote = (text.index("Russia is"), len(text))
    score = scorer.document(None, text, [quote])
    assert score.carried == NEEDS_PEACE
    assert score.net()[NEEDS_PEACE] < document_minimum(text)   # too little for an argued article ...
    assert score.decide(document_minimum(text)) == NEEDS_PEACE  # ... enough for one its quotes carry


def test_a_quoted_finding_that_names_no_polity_or_is_opposed_carries_nothing():
    scorer = extractor().stance
    filler = "The ministry published its monthly figures on Tuesday. " * 40
    vague = filler + "They are running out of trained crews, the analyst said."
    assert scorer.document(None, vague, [(vague.index("They are"), len(vague))]).carried is None
    opposed = filler + "Russia is running out of trained crews, one analyst said. Russia will rearm in any pause, said another."
    assert scorer.document(None, opposed, [(opposed.index("Russia is"), len(opposed))]).carried is None


def test_the_regrouping_argument_quoted_alone_does_not_carry_the_article():
    scorer = extractor().stance
    text = ("The ministry published its monthly figures on Tuesday. " * 40
            + "Russia would use a ceasefire to rearm, the minister said.")
    score = scorer.document(None, text, [(text.index("Russia would"), len(text))])
    assert score.carried is None and score.decide(document_minimum(text)) is None


def test_the_articles_own_voice_keeps_the_quotes_from_carrying_it():
    scorer = extractor().stance
    text = ("The ministry published its monthly figures on Tuesday. " * 40
            + "Russia is running out of trained crews, the analyst said. The economy is overheating.")
    score = scorer.document(None, text, [(text.index("Russia is"), text.index("The economy"))])
    assert score.carried is None


def test_a_polity_beyond_a_dash_is_not_the_clauses_subject():
    s = extractor().stance.score("Russian army losing men faster than it can replace them – Ukraine's defence ministry")
    assert s.net()[NEEDS_PEACE] > 0 and not s.elsewhere.get(NEEDS_PEACE)


def test_a_demonym_before_a_role_noun_names_the_speaker_not_the_subject():
    s = extractor().stance.score("The treasury is running out of money, a Swedish economist estimates.")
    assert s.net()[NEEDS_PEACE] > 0 and not s.elsewhere.get(NEEDS_PEACE)
    other = extractor().stance.score("Swedish reserves are running out of money.")
    assert other.net().get(NEEDS_PEACE, 0.0) == 0.0


def test_readiness_for_peace_argues_regrouping_only_when_denied():
    scorer = extractor().stance
    assert scorer.score("We cannot pretend the Kremlin is ready for peace.").net()[REGROUP] > 0
    assert scorer.score("The Kremlin is ready for peace, the envoy said.").net().get(REGROUP, 0.0) == 0.0


def test_not_only_grants_what_follows_instead_of_denying_it():
    scorer = extractor().stance
    s = scorer.score("The spending not only creates strain on the budget but also drains savings.")
    assert s.net()[NEEDS_PEACE] > 0 and not s.against.get(NEEDS_PEACE)
    assert scorer.score("The spending does not create strain on the budget.").against[NEEDS_PEACE] > 0


def test_a_truce_that_gives_the_kremlin_time_argues_regrouping_for_whomever_the_gap_names():
    scorer = extractor().stance
    assert scorer.score("A freeze would hand the Kremlin time to reorganise.").net()[REGROUP] > 0
    kyiv = scorer.score("A freeze would hand Ukraine time to reorganise.")
    assert kyiv.net().get(REGROUP, 0.0) == 0.0 and kyiv.elsewhere[REGROUP]


def test_falling_revenue_only_corroborates():
    scorer = extractor().stance
    assert scorer.score("Oil revenues fell sharply in March.").net().get(NEEDS_PEACE, 0.0) == 0.0
    both = scorer.score("Oil revenues fell sharply in March, and the army is short of men.")
    assert both.net()[NEEDS_PEACE] > scorer.score("The army is short of men.").net()[NEEDS_PEACE]


def test_the_cues_of_reported_words_are_kept_with_the_documents_scores():
    scorer = extractor().stance
    text = "The minister said the army is running out of shells. The war is unsustainable."
    score = scorer.document(None, text, [(0, text.index("."))])
    assert len(score.cues[NEEDS_PEACE]) == 2
