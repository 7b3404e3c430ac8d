"""The quantity extractor's tables, read once from ontology/vocab (quantity.ttl, kinds.ttl, places.ttl).

Everything the quantity rules know about words — qualifier, period and modality cues,
number words, month names, kinds of things counted — is data; this module only turns
the RDF into plain dictionaries keyed by lower-cased phrases so the rules stay simple.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, SKOS, URIRef

from common.iris import CG, KIND
from ingest.extract.vocabulary import Vocabulary

def _cg(local: str) -> URIRef:
    return URIRef(CG + local)


@dataclass(frozen=True)
class Cue:
    """One phrase of a cue individual: what it signals and where it stands."""

    phrase: str
    signal: str          # a qualifier/modality local name, a duration, or a category
    position: str = "before"


@dataclass
class QuantityVocab:
    """Plain lookup tables for the quantity rules."""

    qualifiers: list[Cue] = field(default_factory=list)
    periods: list[Cue] = field(default_factory=list)
    modalities: list[Cue] = field(default_factory=list)
    time_units: dict[str, str] = field(default_factory=dict)      # "months" -> "P1M"
    cardinals: dict[str, float] = field(default_factory=dict)     # "seven" -> 7
    scales: dict[str, float] = field(default_factory=dict)        # "million" -> 1e6
    signs: dict[str, float] = field(default_factory=dict)         # "minus" -> -1
    not_quantity: list[Cue] = field(default_factory=list)         # signal: the cue's local name
    placeholders: set[str] = field(default_factory=set)           # "units", "pieces"
    multipliers: set[str] = field(default_factory=set)            # "times more"
    kinds: dict[str, str] = field(default_factory=dict)           # normalised label -> kind IRI
    kind_depth: dict[str, int] = field(default_factory=dict)      # kind IRI -> skos:broader depth
    kind_labels: dict[str, str] = field(default_factory=dict)     # kind IRI -> prefLabel
    demonyms: dict[str, str] = field(default_factory=dict)        # "russian" -> place IRI
    currency_symbols: dict[str, str] = field(default_factory=dict)  # "$" -> money kind IRI
    currency_codes: dict[str, str] = field(default_factory=dict)    # money kind IRI -> "USD" (skos:notation)
    generic_labels: dict[str, str] = field(default_factory=dict)    # kind IRI -> nearest common-noun prefLabel
    roles: list[Cue] = field(default_factory=list)                  # "killed" -> Death kind IRI (signal)
    role_pairs: list[tuple[list[str], list[str], str]] = field(default_factory=list)  # (verbs, objects, kind IRI)
    irregular_plurals: dict[str, str] = field(default_factory=dict)  # "people" -> "person"
    change_words: set[str] = field(default_factory=set)               # "rose": 'from X to Y' is two values
    noun_keeping_roles: set[str] = field(default_factory=set)        # role kinds that qualify the noun (deaths)
    money_cues: list[Cue] = field(default_factory=list)              # "offering" 3.6 million: a sum of money
    measures: set[str] = field(default_factory=set)                  # kinds below Measure: unit = prefLabel
    abbreviations: dict[str, str] = field(default_factory=dict)      # "b/d" -> barrel IRI: unit = its prefLabel
    kind_words: set[str] = field(default_factory=set)                # "men": counted alone, unit = kind label

    def kind_iri(self, local: str) -> str | None:
        """The kind concept named `local` ('Money', 'Personnel'), when the vocabulary has it."""
        return next((iri for iri in self.kind_labels if iri.endswith("/" + local)), None)

    def people_kinds(self) -> set[str]:
        """Kinds that count people: Personnel, Civilian, Person and everything below them."""
        tops = {KIND + "Personnel", KIND + "Civilian", KIND + "Person"}
        return {iri for iri in self.kind_labels if iri in tops or self.broader.get(iri, set()) & tops}

    broader: dict[str, set[str]] = field(default_factory=dict)       # kind IRI -> every ancestor IRI

    @property
    def months(self) -> set[str]:
        return {c.phrase for c in self.not_quantity if c.signal == "not-quantity-month"}


def singular(word: str) -> str:
    """A crude English singular, enough to fold regular plurals of equipment names."""
    lower = word.lower()
    for suffix, repl in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"), ("xes", "x"), ("s", "")):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2 and not lower.endswith("ss"):
            return lower[: len(lower) - len(suffix)] + repl
    return lower


def normalise_label(text: str) -> str:
    """Label key: lower case, each word singular, single spaces."""
    return " ".join(singular(w) for w in text.split())


def plural_forms(label: str) -> set[str]:
    """The label and the regular plurals of its last word, for phrase matching in text."""
    words = label.split()
    last = words[-1]
    forms = {last}
    if last[-1:].isalpha():
        if last.lower().endswith(("s", "x", "ch", "sh")):
            forms.add(last + "es")
        elif last.lower().endswith("y") and last[-2:-1].lower() not in "aeiou":
            forms.add(last[:-1] + "ies")
        else:
            forms.add(last + "s")
    elif last[-1:].isdigit():
        forms.add(last + "s")  # "F-16s"
    return {" ".join([*words[:-1], f]) for f in forms}


def _local(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _lexical(vocab: Vocabulary, subject: URIRef, prop: str) -> str | None:
    """A literal as written (xsd:duration stays "P1M", not a Python timedelta)."""
    obj = vocab.graph.value(subject, _cg(prop))
    return None if obj is None else str(obj)


AFTER_BY_DEFAULT = {"PeriodCue": "after", "RoleCue": "after"}   # where a cue stands when it says nothing


def _cues(vocab: Vocabulary, cls: str, signal) -> list[Cue]:
    out = []
    for cue in vocab.individuals(_cg(cls)):
        positions = [str(p) for p in vocab.values(cue, _cg("position"))] or [AFTER_BY_DEFAULT.get(cls, "before")]
        sig = signal(cue)
        if sig is None:
            continue
        for phrase in vocab.phrases(cue):
            for position in positions:
                out.append(Cue(phrase, str(sig), position))
    return out


def _kind_tables(vocab: Vocabulary, qv: QuantityVocab) -> None:
    scheme = _cg("KindScheme")
    concepts = [c for c in vocab.graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)]
    concepts += [c for c in vocab.graph.subjects(RDF.type, SKOS.Concept)
                 if isinstance(c, URIRef) and str(c).startswith(KIND) and c not in concepts]

    def depth(c: URIRef, seen: frozenset = frozenset()) -> int:
        parents = [p for p in vocab.graph.objects(c, SKOS.broader) if p not in seen]
        return 0 if not parents else 1 + max(depth(p, seen | {c}) for p in parents)

    money = URIRef(KIND + "Money")
    for concept in sorted(set(concepts)):
        iri = str(concept)
        if money in vocab.graph.transitive_objects(concept, SKOS.broader):
            for label in vocab.labels(concept):
                if label and not any(ch.isalpha() for ch in label.replace("US", "")):
                    qv.currency_symbols[label.lower()] = iri
        qv.kind_depth[iri] = depth(concept)
        qv.broader[iri] = {str(a) for a in vocab.graph.transitive_objects(concept, SKOS.broader) if a != concept}
        code = vocab.graph.value(concept, SKOS.notation)
        if code is not None:
            qv.currency_codes[iri] = str(code)
        generic = _generic_label(vocab, concept)
        if generic:
            qv.generic_labels[iri] = generic
        labels = vocab.labels(concept)
        if labels:
            qv.kind_labels[iri] = labels[0]
        hidden = [str(o) for o in vocab.graph.objects(concept, SKOS.hiddenLabel)]
        qv.abbreviations.update({normalise_label(label): iri for label in hidden})
        for label in labels + hidden:
            key = normalise_label(label)
            # The most specific concept wins when two share a label.
            if key not in qv.kinds or qv.kind_depth[qv.kinds[key]] < qv.kind_depth[iri]:
                qv.kinds[key] = iri


def is_common_noun(label: str) -> bool:
    """'cruise missile' is a common noun; 'Kalibr', 'T-62', 'ATACMS' name a model."""
    return bool(label) and label == label.lower() and not any(ch.isdigit() for ch in label)


def _generic_label(vocab: Vocabulary, concept: URIRef) -> str | None:
    """The prefLabel of the concept or its nearest skos:broader ancestor that is a common noun."""
    frontier, seen = [concept], set()
    while frontier:
        nxt = []
        for c in frontier:
            if c in seen:
                continue
            seen.add(c)
            label = vocab.graph.value(c, SKOS.prefLabel)
            if label is not None and is_common_noun(str(label)):
                return str(label)
            nxt += [p for p in vocab.graph.objects(c, SKOS.broader) if isinstance(p, URIRef)]
        frontier = nxt
    return None


def build_quantity_vocab(vocab: Vocabulary) -> QuantityVocab:
    """Read every quantity-related table out of the vocabulary graph."""
    qv = QuantityVocab()
    qv.qualifiers = _cues(vocab, "QualifierCue", lambda c: _local(vocab.value(c, _cg("indicates"))) if vocab.value(c, _cg("indicates")) else None)
    qv.modalities = _cues(vocab, "ModalityCue", lambda c: _local(vocab.value(c, _cg("indicates"))) if vocab.value(c, _cg("indicates")) else None)
    qv.periods = _cues(vocab, "PeriodCue", lambda c: _lexical(vocab, c, "period"))
    qv.not_quantity = _cues(vocab, "NonQuantityCue", lambda c: _local(c))
    for unit in vocab.individuals(_cg("TimeUnit")):
        period = _lexical(vocab, unit, "period")
        for phrase in vocab.phrases(unit):
            qv.time_units[phrase] = str(period)
    for word in vocab.individuals(_cg("NumberWord")):
        value, scale = vocab.value(word, _cg("numberValue")), vocab.value(word, _cg("multiplier"))
        for phrase in vocab.phrases(word):
            if scale is not None:
                qv.scales[phrase] = float(scale)
            elif value is not None:
                qv.cardinals[phrase] = float(value)
    for word in vocab.individuals(_cg("SignWord")):
        value = vocab.value(word, _cg("numberValue"))
        for phrase in vocab.phrases(word):
            qv.signs[phrase] = float(value)
    for cue in vocab.individuals(_cg("PlaceholderUnit")):
        qv.placeholders.update(vocab.phrases(cue))
    for cue in vocab.individuals(_cg("ChangeCue")):
        qv.change_words.update(vocab.phrases(cue))
    for cue in vocab.individuals(_cg("MultiplierCue")):
        qv.multipliers.update(vocab.phrases(cue))
    _kind_tables(vocab, qv)
    qv.measures = {iri for iri, ancestors in qv.broader.items() if KIND + "Measure" in ancestors}
    qv.money_cues = _cues(vocab, "MoneyCue", lambda c: "money")
    for cue in vocab.individuals(_cg("KindWord")):
        qv.kind_words.update(p.lower() for p in vocab.phrases(cue))
    qv.roles = _cues(vocab, "RoleCue", lambda c: vocab.value(c, _cg("indicates")))
    for cue in vocab.individuals(_cg("RoleCue")):
        if vocab.value(cue, _cg("keepsNoun")):
            qv.noun_keeping_roles.add(str(vocab.value(cue, _cg("indicates"))))
        verbs = [str(v).lower() for v in vocab.values(cue, _cg("rolePredicate"))]
        objects = [str(o).lower() for o in vocab.values(cue, _cg("roleObject"))]
        if verbs and objects:
            qv.role_pairs.append((verbs, objects, str(vocab.value(cue, _cg("indicates")))))
    for word in vocab.individuals(_cg("IrregularPlural")):
        singular_form = vocab.value(word, _cg("singularForm"))
        for phrase in vocab.phrases(word):
            qv.irregular_plurals[phrase] = str(singular_form)
    for place, _, demonym in vocab.graph.triples((None, _cg("demonym"), None)):
        qv.demonyms.setdefault(str(demonym).lower(), str(place))
    return qv
