"""The web chat: streamed answers with clickable citations, an articles tab, answer settings a conversations sidebar and a typed API.

`build_app(settings, assistant)` returns the Gradio Blocks; `launch_options(settings)` the arguments of its
`launch()`. `app.py` at the project root starts it.

Where things are (one module per tab; rendering, assets, listing and uploads never import a tab module; the answer
settings' filters (`assistant/filters.py`) and the plain-text, Markdown and JSON forms of answers
(`assistant/export.py`) are shared with the command line):
- `app.py`: `build_app` (assembles the tabs, wires their events, registers the API) and `launch_options`.
- `context.py`: `Context`, what the tabs share (settings, the Assistant and its index, the conversation store, the
  upload folder and limit, which generators can run here), `user_of` and `PRIVATE`, the option that keeps UI events
  out of the API.
- `chat_panel.py`: the Chat tab (conversation, question box, source panel, answer settings) and its handlers.
- `evaluation_panel.py`: the Evaluation tab (run an eval set in its own process, progress, cancel, results, compare).
- `conversations_panel.py`: the sidebar of the user's saved conversations (open, rename, delete, export, reopen on
  reload).
- `articles_panel.py`: the Articles tab (upload, paste, indexing progress and results, the searchable table of
  indexed articles, the article view, removal after a confirmation) and its handlers.
- `web_panel.py`: the Articles tab's "From the web" section (index a URL; add, refresh and remove feeds; the last
  refresh) and its handlers.
- `api.py`: the API: `/ask`, `/index_text`, `/articles`, `/remove` and the conversation endpoints.
- `render.py`: data in, escaped HTML out (answers, errors, citation cards, the side panel; the articles tab's notes,
  article view, removal selection and question).
- `listing.py`: the table of indexed articles: search, rows and the count line.
- `index_summary.py`: the Chat tab's summary of the index and its example questions.
- `uploads.py`: safe upload names, storing uploads and pasted articles (and checking their date), indexing files
  into result rows, the progress and summary texts of indexing.
- `assets.py`: the page's `CSS` and `CITE_JS`.
A new tab is one module with a class built on the `Context`: `build()` inside its `gr.Tab`, `wire(...)` once every
tab is built (see chat_panel.py); `build_app` adds it.

Safety contract: every string that comes from an article, a question or a generator is passed through
`esc()` (html.escape) before any markup of ours is put around it; the chat additionally runs Gradio's HTML
sanitizer. Uploads are copied into `<index_dir>/uploads/` under a sanitized base name only.

How a [n] marker opens its source: an answer is rendered as HTML in which marker n of conversation turn t
is `<a class="cite" href="#cite-t-n">[n]</a>`. The side panel holds one hidden card per citation with the
id `cite-t-n` (title, source, date, the passage with the quote in <mark>). `CITE_JS` (put in the page's
<head>) listens for clicks on `a.cite` and shows the card the link points to; without the script the link
still jumps to its card, which CSS `:target` shows.
"""
from .. import offline  # noqa: F401  (offline environment before gradio is imported, by any module of this package)

from .app import build_app, launch_options
from ..filters import make_filters
from .render import answer_html, card_html, highlight_passage
from .uploads import index_files, pasted_article_text, safe_upload_name, store_upload

__all__ = ["answer_html", "build_app", "card_html", "highlight_passage", "index_files", "launch_options",
           "make_filters", "pasted_article_text", "safe_upload_name", "store_upload"]
