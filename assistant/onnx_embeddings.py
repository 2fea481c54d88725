"""The embedding model without sentence-transformers at run time: all-MiniLM-L6-v2 exported once to ONNX at install
time (`python -m assistant.onnx_embeddings export`, run by `make install`) and run with onnxruntime and `tokenizers`
(both installed with chromadb), the way fastembed does. Importing sentence-transformers costs ~5 s per process here;
this path costs ~0.3 s, so `assistant ask` starts in seconds.

`OnnxEmbeddings` is a LangChain `Embeddings` giving the same vectors as sentence-transformers (mean pooling over the
attention mask, L2-normalised, 256 wordpieces at most; cosine >= 0.9999 on the test texts). `onnx_model_file()` is
where the export lives (inside the virtualenv); `export()` writes it (needs torch and the `onnx` package).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

MAX_WORDPIECES = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def onnx_model_file() -> Path:
    """Where the exported default model lives (one per virtualenv)."""
    return Path(sys.prefix) / "share" / "news-assistant" / "all-minilm-l6-v2.onnx"


def export(model_path: str, target: Path) -> Path:
    """Export the transformer of the sentence-transformers folder `model_path` to ONNX at `target` (dynamic batch and
    sequence axes, opset 17); returns `target`. Install-time only: imports torch, transformers and onnx."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(model_path).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = AutoTokenizer.from_pretrained(model_path)(["a sentence", "another, longer sentence"], padding=True,
                                                        return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    axes = {name: {0: "batch", 1: "sequence"} for name in (*_INPUTS, "last_hidden_state")}
    torch.onnx.export(LastHiddenState(model), tuple(sample[name] for name in _INPUTS), str(partial),
                      input_names=list(_INPUTS), output_names=["last_hidden_state"], dynamic_axes=axes,
                      opset_version=17, dynamo=False)
    partial.replace(target)  # a crash never leaves a half-written model where the loader looks
    return target


class OnnxEmbeddings(Embeddings):
    """Sentence embeddings from the exported model (`model_file`) and the model folder's tokenizer.json."""

    def __init__(self, model_path: str, model_file: Path, batch_size: int = 32, threads: int = 2):
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_WORDPIECES)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.batch_size = batch_size

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._run(self.tokenizer.encode_batch(texts))

    def _run(self, encoded: list) -> np.ndarray:
        """Mean-pooled, normalised vectors of tokenised texts padded to a common length."""
        width = max(len(e.ids) for e in encoded)
        for e in encoded:
            e.pad(width)
        inputs = {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                  "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                  "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64)}
        hidden = self.session.run(None, inputs)[0]
        mask = inputs["attention_mask"][:, :, None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Vectors of `texts`, in order. Texts are batched by length (as sentence-transformers does), so a batch pads
        to about its own length rather than to the longest text of the call."""
        if not texts:
            return []
        self.tokenizer.no_padding()
        try:
            encoded = self.tokenizer.encode_batch(list(texts))
        finally:
            self.tokenizer.enable_padding()
        order = sorted(range(len(texts)), key=lambda i: -len(encoded[i].ids))
        vectors = np.empty((len(texts), 0), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            chosen = order[start:start + self.batch_size]
            batch = self._run([encoded[i] for i in chosen])
            if vectors.shape[1] == 0:
                vectors = np.empty((len(texts), batch.shape[1]), dtype=np.float32)
            vectors[chosen] = batch
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()


if __name__ == "__main__":
    from . import offline

    if sys.argv[1:] != ["export"]:
        sys.exit("usage: python -m assistant.onnx_embeddings export")
    print(f"exported {export(offline.default_embedding_model_path(), onnx_model_file())}")
