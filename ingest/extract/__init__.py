"""Article -> Extraction. `Extractor` is imported lazily so that helpers such as
ingest.extract.vocabulary load without spaCy."""


def __getattr__(name: str):
    if name == "Extractor":
        from ingest.extract.pipeline import Extractor
        return Extractor
    raise AttributeError(name)
