"""The named-query REST API on the seed graph: every analyst query answers what the articles say.

Each test runs a query through `GET /api/queries/NAME` of a real `claimgraph serve` over the
five seed articles (fixture `seed_server`) and checks facts a reader finds in those articles:
who argues which stance, the missile figures of the Espreso article, monthly recruitment of
20,000 in one article against about 30,000 in another, Rutte's estimate of Russian casualties.
The API mechanics (typed parameters, 400/404, formats, OpenAPI) are tested on the same server.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import httpx
import pytest

from common import queries
from common.iris import ID, KIND, STANCE

REGROUP, PEACE = STANCE + "TRUCE_AS_REGROUPING", STANCE + "RUSSIA_NEEDS_PEACE"
ESPRESO, NYCTM, PEACE_DEAL, MOBILISATION = ("000_f25e33771724bfdc", "001_1910fad2aa13764a",
                                            "002_2babf0c057984032", "004_e5535fbe168a5709")
RUTTE, KOVALENKO, HEISBOURG, WATLING = (ID + "actor/mark-rutte", ID + "actor/oleksandr-kovalenko",
                                        ID + "actor/francois-heisbourg", ID + "actor/jack-watling")


def get(server, name: str, **params) -> httpx.Response:
    return httpx.get(f"{server.base}/api/queries/{name}", params=params, timeout=60)


def rows(server, name: str, **params) -> list[dict[str, str]]:
    """The query's SPARQL JSON results as plain {variable: value} rows."""
    response = get(server, name, **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def figure(row: dict, key: str = "value") -> Decimal:
    return Decimal(row[key])


# ---- the analyst queries, on the seed graph ----------------------------------------------------

def test_stance_proponents_both_sides_with_quotes_and_sources(seed_server):
    answer = rows(seed_server, "stance_proponents")
    by_stance = {(r["stance"], r["speaker"]) for r in answer}
    assert ("TRUCE_AS_REGROUPING", KOVALENKO) in by_stance
    assert ("TRUCE_AS_REGROUPING", HEISBOURG) in by_stance
    assert ("RUSSIA_NEEDS_PEACE", WATLING) in by_stance
    heisbourg = [r for r in answer if r["speaker"] == HEISBOURG]
    assert any("regroup" in r["quote"] for r in heisbourg)
    assert {r["doc"] for r in heisbourg} == {NYCTM}
    assert all(r["source"] and r["document"].endswith(r["doc"]) for r in answer)


def test_stance_proponents_one_side_only(seed_server):
    answer = rows(seed_server, "stance_proponents", stance="cgst:RUSSIA_NEEDS_PEACE")
    assert answer and {r["stance"] for r in answer} == {"RUSSIA_NEEDS_PEACE"}
    assert WATLING in {r["speaker"] for r in answer}
    assert KOVALENKO not in {r["speaker"] for r in answer}


def test_claims_by_stance_shows_the_cues_that_fired(seed_server):
    regroup = rows(seed_server, "claims_by_stance")          # default: truce-as-regrouping
    ceasefire = [r for r in regroup if "ceasefire would allow Russia to regroup" in r["quote"]]
    assert ceasefire and ceasefire[0]["name"] == "Oleksandr Kovalenko"
    assert ceasefire[0]["doc"] == ESPRESO and ceasefire[0]["firedCues"]
    peace = rows(seed_server, "claims_by_stance", stance=PEACE)
    assert any(r["name"] == "Jack Watling" and "not able to conduct warfare indefinitely" in r["quote"]
               for r in peace)
    assert not {r["claim"] for r in peace} & {r["claim"] for r in regroup}


def test_quantities_by_kind_missile_finds_every_missile_type(seed_server):
    answer = rows(seed_server, "quantities_by_kind", kind="cgk:Missile")
    ranges = {(r["unit"], figure(r, "low"), figure(r, "high")) for r in answer if "low" in r}
    assert ("Kalibr missiles", 300, 400) in ranges
    assert ("Iskander missiles", 250, 350) in ranges
    assert any(unit.startswith("Kh-101") and (low, high) == (800, 1000) for unit, low, high in ranges)
    assert all(r["qualifier"] == "range" and r["modality"] == "projection" for r in answer if "low" in r)
    assert not any("tank" in r["text"].lower() for r in answer)
    assert {r["_kind_iri"] for r in answer} == {KIND + "Missile"}


def test_quantities_by_kind_tanks_with_qualifier(seed_server):
    answer = rows(seed_server, "quantities_by_kind", kind=KIND + "Tank")
    over = [r for r in answer if r["text"] == "over 2,400 tanks"]
    assert over and figure(over[0]) == 2400 and over[0]["qualifier"] == "at_least"
    storage = [r for r in answer if "low" in r and figure(r, "low") == 3000]
    assert storage and figure(storage[0], "high") == 3500
    assert not any("Kalibr" in r["text"] for r in answer)


def test_disagreeing_figures_monthly_recruitment_20000_vs_30000(seed_server):
    answer = rows(seed_server, "disagreeing_figures")
    recruitment = [r for r in answer if r["period"] == "P1M"
                   and {r["figureA"], r["figureB"]} == {"20000", "30000"}]
    assert recruitment, answer
    row = recruitment[0]
    assert {row["docA"], row["docB"]} == {PEACE_DEAL, MOBILISATION}
    by_doc = {row["docA"]: row["qualifierA"], row["docB"]: row["qualifierB"]}
    assert by_doc[MOBILISATION] == "approximately"
    assert all(r["docA"] != r["docB"] and r["figureA"] != r["figureB"] for r in answer)
    assert (row["documentsA"], row["documentsB"]) == ("1", "1")     # each figure given by one article


def test_disagreeing_figures_share_leaves_out_figures_few_sources_give(seed_server):
    # monthly recruitment: 20,000 in one of the two articles giving a monthly personnel figure,
    # about 30,000 in the other; with share=1 a figure must be given by both
    assert rows(seed_server, "disagreeing_figures", share="0.5")
    assert rows(seed_server, "disagreeing_figures", share="1") == []


def test_rates_by_period_per_month_and_every_three_months(seed_server):
    monthly = rows(seed_server, "rates_by_period")            # default P1M
    texts = {r["text"]: r for r in monthly}
    assert "20,000 new soldiers each month" in texts
    assert "about 30,000 new soldiers monthly" in texts
    assert texts["about 30,000 new soldiers monthly"]["qualifier"] == "approximately"
    assert all(r["_period_xsd_duration"] == "P1M" for r in monthly)
    quarterly = rows(seed_server, "rates_by_period", period="P3M")
    assert [figure(r) for r in quarterly] == [12000]


def test_actors_sharing_stance_across_documents(seed_server):
    pairs = {(r["stance"], frozenset((r["actorA"], r["actorB"]))) for r in rows(seed_server, "actors_sharing_stance")}
    assert ("TRUCE_AS_REGROUPING", frozenset((HEISBOURG, KOVALENKO))) in pairs     # two different articles
    assert ("RUSSIA_NEEDS_PEACE", frozenset((RUTTE, WATLING))) in pairs
    answer = rows(seed_server, "actors_sharing_stance")
    heisbourg = [r for r in answer if {r["actorA"], r["actorB"]} == {HEISBOURG, KOVALENKO}][0]
    by_actor = {heisbourg["actorA"]: heisbourg, heisbourg["actorB"]: heisbourg}
    side = {heisbourg["actorA"]: "A", heisbourg["actorB"]: "B"}
    assert by_actor[HEISBOURG][f"documents{side[HEISBOURG]}"] == "1"            # quoted in NYCTM only
    assert int(by_actor[KOVALENKO][f"claims{side[KOVALENKO]}"]) >= 2             # Espreso: several claims
    totals = [int(r["claimsA"]) + int(r["claimsB"]) for r in answer if r["stance"] == "TRUCE_AS_REGROUPING"]
    assert totals == sorted(totals, reverse=True)


def test_actors_sharing_stance_share_keeps_the_regular_voices(seed_server):
    # with share=1 an actor must be quoted for the stance in every article that argues it: Heisbourg
    # and Kovalenko each argue truce-as-regrouping in one of two articles, while Russia-needs-peace
    # is argued in one article only, where Rutte and Watling both argue it
    every = {frozenset((r["actorA"], r["actorB"])) for r in rows(seed_server, "actors_sharing_stance", share="0")}
    regular = {frozenset((r["actorA"], r["actorB"])) for r in rows(seed_server, "actors_sharing_stance", share="1")}
    assert frozenset((HEISBOURG, KOVALENKO)) in every and frozenset((HEISBOURG, KOVALENKO)) not in regular
    assert frozenset((RUTTE, WATLING)) in regular and regular < every


def test_actor_timeline_of_rutte(seed_server):
    answer = rows(seed_server, "actor_timeline", actor="cgr:actor/mark-rutte")
    assert answer and {r["doc"] for r in answer} == {MOBILISATION}
    assert all(r["published"] == "2024-10-30" for r in answer)
    assert any(r["what"] == "claim" and "600,000 Russian soldiers have been killed or wounded" in r["text"]
               for r in answer)
    starts = [int(r["start"]) for r in answer]
    assert starts == sorted(starts)


def test_actor_timeline_is_in_date_order(seed_server):
    answer = rows(seed_server, "actor_timeline", actor=ID + "actor/vladimir-putin")
    dates = [r.get("published", "9999") for r in answer]
    assert dates == sorted(dates)


def test_claims_per_source(seed_server):
    answer = {r["doc"]: r for r in rows(seed_server, "claims_per_source")}
    assert set(answer) == {ESPRESO, NYCTM, PEACE_DEAL, "003_eb64de3272e64e03", MOBILISATION}
    assert int(answer[ESPRESO]["quantities"]) >= 20                  # the missile and tank figures
    assert int(answer[ESPRESO]["truceAsRegrouping"]) >= 2
    assert int(answer[ESPRESO]["russiaNeedsPeace"]) == 0
    assert int(answer[MOBILISATION]["russiaNeedsPeace"]) >= 1
    assert int(answer[MOBILISATION]["speakers"]) >= 3
    assert answer[ESPRESO]["publisher"] == "Espreso Global"


def test_projections_vs_reports(seed_server):
    answer = {r["kind"]: r for r in rows(seed_server, "projections_vs_reports")}
    tank = answer[KIND + "Tank"]
    assert int(tank["reports"]) >= 1 and int(tank["projections"]) >= 1
    assert "over 2,400 tanks" in tank["reportFigures"]
    kalibr = answer[KIND + "KalibrMissile"]
    assert int(kalibr["projections"]) == 1 and int(kalibr["reports"]) == 0
    assert "(000_f25e33771724bfdc)" in kalibr["projectionFigures"]          # one document: no "N more"


def test_projections_vs_reports_share_lists_only_figures_many_documents_give(seed_server):
    # personnel is counted in three articles, and no personnel figure is given by all three: with
    # share=1 nothing is listed, while the counts still cover every figure
    every = {r["kind"]: r for r in rows(seed_server, "projections_vs_reports")}[KIND + "Personnel"]
    recurring = {r["kind"]: r for r in rows(seed_server, "projections_vs_reports", share="1")}[KIND + "Personnel"]
    assert "20,000 new soldiers each month" in every["reportFigures"]
    assert not {"reportFigures", "estimateFigures", "projectionFigures"} & set(recurring)
    assert [recurring[k] for k in ("reports", "estimates", "projections")] == \
        [every[k] for k in ("reports", "estimates", "projections")]


def test_actors_roles_affiliations(seed_server):
    answer = {r["actor"]: r for r in rows(seed_server, "actors_roles_affiliations")}
    assert "NATO Secretary General" in answer[RUTTE]["roles"]
    assert "NATO" in answer[RUTTE]["affiliations"]
    assert answer[KOVALENKO]["affiliations"] == "Information Resistance"
    assert answer[KOVALENKO]["kind"] == "Person"
    assert int(answer[ID + "actor/vladimir-putin"]["documents"]) >= 3       # one IRI across articles


def test_document_claims_in_reading_order(seed_server):
    answer = rows(seed_server, "document_claims", doc=MOBILISATION)
    names = {r["name"] for r in answer}
    assert {"Mark Rutte", "Jack Watling"} <= names
    starts = [int(r["start"]) for r in answer]
    assert starts == sorted(starts)
    assert rows(seed_server, "document_claims", doc="no-such-document") == []


def test_quantity_kinds_counts_narrower_kinds(seed_server):
    answer = {r["kind"]: r for r in rows(seed_server, "quantity_kinds")}
    missile = answer[KIND + "Missile"]
    assert int(missile["quantities"]) >= 5                          # Kh-101, Kalibr, Iskander, Kinzhal, Zircon
    assert int(missile["quantities"]) > int(answer[KIND + "KalibrMissile"]["quantities"])
    assert answer[KIND + "KalibrMissile"]["broaderLabel"]


def test_stance_cues_explain_each_document(seed_server):
    answer = rows(seed_server, "stance_cues")
    chosen = {(r["doc"], r["stance"]) for r in answer if r["chosen"] == "true"}
    assert (ESPRESO, "TRUCE_AS_REGROUPING") in chosen
    assert (PEACE_DEAL, "RUSSIA_NEEDS_PEACE") in chosen
    assert all(r["cue"] and r["phrases"] for r in answer if r["chosen"] == "true")


def test_actor_stance_summary(seed_server):
    answer = {r["speaker"]: r for r in rows(seed_server, "actor_stance_summary")}
    assert int(answer[KOVALENKO]["truceAsRegrouping"]) >= 2
    assert int(answer[KOVALENKO]["russiaNeedsPeace"]) == 0
    assert int(answer[WATLING]["russiaNeedsPeace"]) >= 1


def test_explore_search_and_neighbours(seed_server):
    found = rows(seed_server, "explore_search", text="rutte")
    assert [r["node"] for r in found] == [RUTTE] and found[0]["kind"] == "Person"
    documents = rows(seed_server, "explore_search", text="Regrouping")
    assert ID + "doc/" + NYCTM in {r["node"] for r in documents}
    neighbours = rows(seed_server, "explore_neighbours", node=RUTTE)
    said = [r for r in neighbours if r["link"].endswith("#speaker") and r["direction"] == "in"]
    assert said and all(r["kind"] == "Claim" for r in said)
    assert "RUSSIA_NEEDS_PEACE" in {r.get("edgeStance") for r in said}
    assert all(r.get("edgeStance") == r.get("stance") for r in said)          # a said-edge takes its claim's stance
    document = ID + "doc/" + ESPRESO
    links = rows(seed_server, "explore_neighbours", node=document)
    quantities = [r for r in links if r["kind"] == "Quantity"]
    assert quantities and not any("edgeStance" in r for r in quantities)     # only claims carry a stance
    assert all(r.get("edgeStance") == "TRUCE_AS_REGROUPING" for r in links
               if r["kind"] == "Claim" and r.get("stance") == "TRUCE_AS_REGROUPING")



def test_explore_neighbours_lists_the_kinds_a_quantity_counts(seed_server):
    """Each quantity neighbour lists the kinds it counts, broader kinds included, as IRIs separated
    by single spaces (the explorer filters on them); a neighbour that counts nothing lists none."""
    kinds = "https://w3id.org/claimgraph/kind/"
    links = rows(seed_server, "explore_neighbours", node=kinds + "Death")
    counted = [r for r in links if r["link"].endswith("#countedKind") and r["direction"] == "in"]
    assert counted
    for row in counted:
        listed = row["countedKinds"].split(" ")
        assert "" not in listed and len(listed) == len(set(listed))
        assert {kinds + "Death", kinds + "Personnel"} <= set(listed)
    people = rows(seed_server, "explore_neighbours", node=RUTTE)
    assert all("countedKinds" not in r for r in people if r["kind"] == "Claim")

def test_evidence_context_offsets_point_at_the_quote(seed_server):
    claim = next(r for r in rows(seed_server, "claims_by_stance", stance=PEACE) if r["name"] == "Mark Rutte")
    [context] = rows(seed_server, "evidence_context", item=claim["claim"])
    start, end = int(context["start"]), int(context["end"])
    assert context["text"][start:end] == context["exact"]           # offsets count code points
    assert context["speakerName"] == "Mark Rutte" and context["doc"] == MOBILISATION


# Every .rq file answers through the API (the four contract queries too), with its defaults or
# with a value for each required parameter.
REQUIRED_VALUES = {"actor": RUTTE, "doc": MOBILISATION, "node": RUTTE, "text": "Rutte", "resource": RUTTE,
                   "document": ID + "doc/" + MOBILISATION}


@pytest.mark.parametrize("name", queries.names())
def test_every_named_query_answers(seed_server, name):
    meta = next(q for q in httpx.get(f"{seed_server.base}/api/queries").json() if q["name"] == name)
    values = {**REQUIRED_VALUES, "item": rows(seed_server, "stance_proponents")[0]["claim"]}
    params = {p["name"]: values[p["name"]] for p in meta["params"] if p["required"] and p["default"] is None}
    response = get(seed_server, name, **params)
    assert response.status_code == 200, response.text
    if meta["form"] == "SELECT":
        assert response.json()["results"]["bindings"], f"{name} answered no rows"


# ---- the API itself -----------------------------------------------------------------------------

def test_listing_describes_every_query(seed_server):
    listing = httpx.get(f"{seed_server.base}/api/queries").json()
    assert {q["name"] for q in listing} == set(queries.names())
    by_name = {q["name"]: q for q in listing}
    kind = by_name["quantities_by_kind"]["params"][0]
    assert (kind["name"], kind["type"], kind["default"]) == ("kind", "iri", KIND + "Missile")
    assert by_name["rates_by_period"]["params"][0]["type"] == "xsd:duration"
    assert all(q["summary"] and q["description"] for q in listing)


def test_openapi_lists_each_query_with_its_parameters(seed_server):
    spec = httpx.get(f"{seed_server.base}/openapi.json").json()
    for name in queries.names():
        assert f"/api/queries/{name}" in spec["paths"], name
    operation = spec["paths"]["/api/queries/quantities_by_kind"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["kind"]["schema"]["default"] == KIND + "Missile"
    assert "format" in parameters
    assert "/api/queries/{name}" not in spec["paths"]


def test_unknown_query_is_404(seed_server):
    response = get(seed_server, "no_such_query")
    assert response.status_code == 404 and "no_such_query" in response.text


@pytest.mark.parametrize("params, named", [
    ({"kind": "not an iri"}, "kind"),
    ({"kind": "cgk:Missile", "colour": "red"}, "colour"),
    ({"kind": "<http://x> } ; DROP ALL ; #"}, "kind"),
    ({"kind": "cgk:Missile>"}, "kind"),
])
def test_bad_parameters_are_400_naming_them(seed_server, params, named):
    response = get(seed_server, "quantities_by_kind", **params)
    assert response.status_code == 400 and repr(named) in response.text


def test_missing_required_and_mistyped_values_are_400(seed_server):
    missing = get(seed_server, "actor_timeline")
    assert missing.status_code == 400 and "'actor'" in missing.text and "required" in missing.text
    mistyped = get(seed_server, "rates_by_period", period="monthly")
    assert mistyped.status_code == 400 and "xsd:duration" in mistyped.text
    enum = get(seed_server, "stance_proponents", stance=STANCE + "SOMETHING_ELSE")
    assert enum.status_code == 400 and "'stance'" in enum.text
    twice = httpx.get(f"{seed_server.base}/api/queries/actor_timeline?actor={RUTTE}&actor={RUTTE}")
    assert twice.status_code == 400


def test_literal_values_are_bound_not_pasted(seed_server):
    # a value that would end the string and the pattern if it were pasted into the query
    hostile = 'Rutte")) } } UNION { ?node ?p ?o } #'
    assert rows(seed_server, "explore_search", text=hostile) == []
    assert rows(seed_server, "document_claims", doc='x" . ?a ?b ?c } #') == []


def test_results_as_csv_tsv_and_xml(seed_server):
    by_accept = httpx.get(f"{seed_server.base}/api/queries/rates_by_period", headers={"Accept": "text/csv"})
    assert by_accept.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(by_accept.text)))
    assert "about 30,000 new soldiers monthly" in {r["text"] for r in table}
    by_format = get(seed_server, "rates_by_period", format="csv")
    assert by_format.text == by_accept.text
    tsv = get(seed_server, "rates_by_period", format="tsv")
    assert tsv.headers["content-type"].startswith("text/tab-separated-values") and "\t" in tsv.text
    xml = httpx.get(f"{seed_server.base}/api/queries/rates_by_period",
                    headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml") and "<sparql" in xml.text


def test_a_browser_following_a_link_gets_json(seed_server):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = httpx.get(f"{seed_server.base}/api/queries/documents", headers={"Accept": browser_accept})
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert len(response.json()["results"]["bindings"]) == 5


def test_construct_query_in_rdf_formats(seed_server):
    turtle = httpx.get(f"{seed_server.base}/api/queries/resource_describe", params={"resource": RUTTE},
                       headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert "Mark Rutte" in turtle.text
    jsonld = get(seed_server, "resource_describe", resource=RUTTE, format="jsonld")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert any(node.get("@id") == RUTTE for node in jsonld.json())
