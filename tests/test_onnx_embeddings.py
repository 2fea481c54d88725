"""The ONNX export of the embedding model gives sentence-transformers' vectors, and answering uses it by default."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from conftest import ROOT
from assistant import offline
from assistant.chunking import sentence_spans
from assistant.onnx_embeddings import OnnxEmbeddings, onnx_model_file
from assistant.store import load_query_embeddings


def test_same_vectors_as_sentence_transformers():
    from sentence_transformers import SentenceTransformer

    bodies = [json.loads(line)["body"] for name in ("seed", "hostile", "followups")
              for line in (ROOT / "eval" / name / "articles.jsonl").read_text().splitlines()]
    texts = bodies + [body[start:end] for body in bodies for start, end in sentence_spans(body)]  # long ones cut at 256
    texts += ["", "Who denied that Musk and Putin had been in contact?", "ünïcödé — “quotes” 😀"]
    assert onnx_model_file().exists(), "make install exports the model (python -m assistant.onnx_embeddings export)"
    onnx = np.array(OnnxEmbeddings(offline.default_embedding_model_path(), onnx_model_file()).embed_documents(texts))
    reference = SentenceTransformer(offline.default_embedding_model_path(), device="cpu").encode(
        texts, batch_size=32, normalize_embeddings=True)
    cosines = (onnx * reference).sum(axis=1)
    assert len(texts) > 150 and cosines.min() >= 0.9999, cosines.min()


def test_the_default_model_runs_without_importing_sentence_transformers():
    script = ("import sys\nfrom assistant.store import load_query_embeddings\n"
              "vector = load_query_embeddings('', 32).embed_query('hello')\n"
              "print(len(vector), 'sentence_transformers' in sys.modules, 'torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["384", "False", "False"], done.stdout + done.stderr
    assert isinstance(load_query_embeddings("", 32), OnnxEmbeddings)
