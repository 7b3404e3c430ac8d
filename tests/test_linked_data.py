"""Linked Data, the ontology page and the static files, over real `claimgraph serve` processes.

Every IRI the ingest mints dereferences at /id/...: HTML for a browser (labels, types, links
both ways, the quote in its source text), Turtle or JSON-LD for an RDF client. The pages and
libraries come from this server only, and no path trick reaches a file outside the served sets.
"""
from __future__ import annotations

import http.client
import json
import re

import httpx
import pytest
import rdflib

from common import iris
from common.iris import CG, ID, KIND
from conftest import ROOT, Server, run_cli

RUTTE = ID + "actor/mark-rutte"
MOBILISATION = ID + "doc/004_e5535fbe168a5709"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
SAMPLE = ROOT / "tests" / "data" / "web_sample.trig"


def local(iri: str) -> str:
    return iri.removeprefix("https://w3id.org/claimgraph")


def rutte_claim(server) -> str:
    answer = httpx.get(f"{server.base}/api/queries/claims_by_stance",
                       params={"stance": "cgst:RUSSIA_NEEDS_PEACE"}).json()["results"]["bindings"]
    return next(b["claim"]["value"] for b in answer if b["name"]["value"] == "Mark Rutte")


def test_claim_page_for_a_browser_shows_the_quote_in_its_source(seed_server):
    claim = rutte_claim(seed_server)
    page = httpx.get(seed_server.base + local(claim), headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers["vary"]
    html = page.text
    assert re.search(r'<mark class="evidence">[^<]*growing desperation[^<]*</mark>', html)
    assert 'href="/id/actor/mark-rutte"' in html and "Mark Rutte" in html
    assert f'href="{local(MOBILISATION)}"' in html                  # the document, on this server
    assert "Kremlin faces internal pressure" in html
    assert 'href="/ontology#speaker"' in html                         # properties link to the ontology docs


def test_claim_as_turtle_and_json_ld(seed_server):
    claim = rutte_claim(seed_server)
    turtle = httpx.get(seed_server.base + local(claim), headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(claim), rdflib.URIRef(CG + "speaker"), rdflib.URIRef(RUTTE)) in graph
    jsonld = httpx.get(seed_server.base + local(claim), headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert claim in {node["@id"] for node in jsonld.json()}
    plain = httpx.get(seed_server.base + local(claim), headers={"Accept": "*/*"})
    assert plain.headers["content-type"].startswith("text/turtle")       # RDF unless HTML is asked for
    by_param = httpx.get(seed_server.base + local(claim) + "?format=ntriples")
    assert by_param.headers["content-type"].startswith("application/n-triples")


def test_actor_page_lists_links_both_ways(seed_server):
    page = httpx.get(seed_server.base + "/id/actor/mark-rutte", headers={"Accept": "text/html"}).text
    assert "<h1>Mark Rutte</h1>" in page
    outgoing, incoming = page.split("Referenced by", 1)
    assert "NATO Secretary General" in outgoing
    assert "/claim/" in incoming and f'href="{local(MOBILISATION)}"' in incoming   # said claims, mentions


def test_document_and_concept_pages(seed_server):
    document = httpx.get(seed_server.base + local(MOBILISATION), headers={"Accept": "text/html"})
    assert document.status_code == 200 and "Kremlin faces internal pressure" in document.text
    marks = re.findall(r'<a class="mark ([^"]*)" href="([^"]+)"[^>]*>([^<]*)</a>', document.text)
    claims = {text: href for classes, href, text in marks if "claim" in classes.split()}
    assert claims["an act of growing desperation"].startswith(local(MOBILISATION) + "/claim/")
    assert any("quantity" in classes.split() and "30,000" in text for classes, _, text in marks)
    assert any("RUSSIA_NEEDS_PEACE" in classes.split() for classes, _, _ in marks)
    kind = httpx.get(seed_server.base + "/kind/Missile", headers={"Accept": "text/html"})
    assert kind.status_code == 200 and "missile" in kind.text.lower()
    kind_rdf = rdflib.Graph().parse(data=httpx.get(seed_server.base + "/kind/KalibrMissile").text, format="turtle")
    assert (rdflib.URIRef(KIND + "KalibrMissile"), rdflib.namespace.SKOS.broader, None) in kind_rdf


def test_unknown_resources_are_404(seed_server):
    assert httpx.get(seed_server.base + "/id/actor/nobody-at-all").status_code == 404
    assert httpx.get(seed_server.base + "/id/actor/nobody-at-all", headers={"Accept": "text/html"}).status_code == 404
    bad = httpx.get(seed_server.base + "/id/actor/a%3Cb%3E")
    assert bad.status_code in {400, 404}


def test_ontology_page_and_turtle(seed_server):
    page = httpx.get(seed_server.base + "/ontology", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="Claim"' in page.text and "cg:speaker" in page.text and 'id="speaker"' in page.text
    assert 'href="/kind/KalibrMissile"' in page.text and 'href="/stance/TRUCE_AS_REGROUPING"' in page.text
    turtle = httpx.get(seed_server.base + "/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(CG + "Claim"), rdflib.RDF.type, rdflib.OWL.Class) in graph
    jsonld = httpx.get(seed_server.base + "/ontology?format=jsonld")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert json.loads(jsonld.text)


# ---- HTML escaping, on an invented graph whose title holds markup -------------------------------

@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("web-sample") / "store")
    run_cli("--store", store, "load", str(SAMPLE))
    server = Server(store)
    yield server
    server.stop()


def test_markup_in_data_is_escaped(sample_server):
    page = httpx.get(sample_server.base + "/id/doc/beta", headers={"Accept": "text/html"}).text
    assert "The war machine tires &lt;fast&gt;" in page
    assert "<fast>" not in page
    assert '<a class="mark claim RUSSIA_NEEDS_PEACE" href="/id/doc/beta/claim/17-40" ' \
           'data-item="https://w3id.org/claimgraph/id/doc/beta/claim/17-40" data-what="claim" ' \
           'title="claim — Bo Yarrow">the invader needs peace</a>' in page
    claim = httpx.get(sample_server.base + "/id/doc/beta/claim/17-40", headers={"Accept": "text/html"}).text
    assert '<mark class="evidence">the invader needs peace</mark>' in claim


def test_percent_encoded_iris_dereference(sample_server):
    iri = iris.document("café notes")                       # .../doc/caf%C3%A9%20notes
    page = httpx.get(sample_server.base + local(iri), headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Notes from a café" in page.text
    turtle = rdflib.Graph().parse(data=httpx.get(sample_server.base + local(iri)).text, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.namespace.DCTERMS.title, None) in turtle


# ---- pages and static files --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/query", "/explore", "/api", "/api/docs"])
def test_pages_load_only_local_scripts(seed_server, path):
    page = httpx.get(seed_server.base + path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    for source in sources:
        assert httpx.get(seed_server.base + source).status_code == 200, source


def test_query_page_offers_the_named_queries_and_prefixes(seed_server):
    page = httpx.get(seed_server.base + "/query").text
    config = json.loads(re.search(r'<script id="claimgraph-config" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["cg"] == CG
    names = {q["name"] for q in config["examples"]}
    assert {"stance_proponents", "quantities_by_kind", "disagreeing_figures"} <= names
    assert "resource_links" not in names                               # page plumbing is not offered
    assert httpx.get(seed_server.base + "/api/prefixes").json()["cgk"] == KIND


def test_vendor_libraries_are_served_with_their_types(seed_server):
    yasgui = httpx.get(seed_server.base + "/vendor/yasgui.min.js")
    assert yasgui.status_code == 200 and "javascript" in yasgui.headers["content-type"]
    css = httpx.get(seed_server.base + "/vendor/yasgui.min.css")
    assert css.headers["content-type"].startswith("text/css")
    assert httpx.get(seed_server.base + "/vendor/cytoscape.min.js").status_code == 200


@pytest.mark.parametrize("path", [
    "/static/../pages.py",
    "/static/..%2fpages.py",
    "/static/%2e%2e/%2e%2e/common/config.py",
    "/static/..%5c..%5cpages.py",
    "/static//etc/passwd",
    "/static/%2Fetc%2Fpasswd",
    "/vendor/../package.json",
    "/vendor/..%2F..%2Fpackage.json",
    "/vendor/@zazuko/yasgui/package.json",
    "/vendor/cytoscape/package.json",
    "/vendor/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
])
def test_path_tricks_find_nothing(seed_server, path):
    # http.client sends the path exactly as written (httpx would resolve the dot segments itself)
    connection = http.client.HTTPConnection("127.0.0.1", seed_server.port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    assert response.status == 404, (path, response.status)
    assert "import" not in body and "root:" not in body


def test_api_reference_needs_no_cdn(seed_server):
    """FastAPI's default /docs loads Swagger from a CDN; ours redirects to the local copy."""
    import httpx
    page = httpx.get(f"{seed_server.base}/docs", follow_redirects=True, timeout=30)
    assert page.status_code == 200 and str(page.url).endswith("/api/docs")
    assert "cdn." not in page.text and "/vendor/swagger-ui-bundle.js" in page.text
    assert httpx.get(f"{seed_server.base}/redoc", timeout=30).status_code == 404
