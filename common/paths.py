"""Where the project's data folders are: ontology/ and queries/ sit beside the packages."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ROOT / "queries"
