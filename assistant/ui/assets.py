"""The page assets `launch_options` passes to `launch()`: `CITE_JS` (put in the page's <head>; shows the card of a
clicked [n] marker, closes it, copies an answer as plain text, and starts the sidebar closed on a phone) and `CSS`
(answers, abstentions, errors, citation links and cards, the narrow-screen citation drawer, dark-mode colours; the
articles tab's notes, article view and article lists)."""

CITE_JS = """
<script>
(() => {
  if (window.__citeClicks) return;
  window.__citeClicks = true;
  function showCard(link) {
    const id = (link.getAttribute('href') || '').slice(1);
    const card = /^cite-[0-9]+-[0-9]+$/.test(id) ? document.getElementById(id) : null;
    if (!card) return false;
    document.querySelectorAll('.cite-card.active, a.cite.active').forEach((el) => el.classList.remove('active'));
    card.classList.add('active');
    link.classList.add('active');
    const mark = card.querySelector('mark');
    const box = card.querySelector('.cite-passage');
    if (mark && box) box.scrollTop = Math.max(0, mark.offsetTop - 24);
    // on a narrow screen the panel is an overlay (CSS), so the page must not jump down to it
    if (!window.matchMedia('(max-width: 700px)').matches) card.scrollIntoView({block: 'nearest'});
    return true;
  }
  function copyAnswer(link) {
    const source = link.closest('.answer') && link.closest('.answer').querySelector('.copy-text');
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent).then(() => {
      link.textContent = 'Copied';
      setTimeout(() => { link.textContent = 'Copy'; }, 1500);
    });
  }
  function closeCards() {
    document.querySelectorAll('.cite-card.active, a.cite.active').forEach((el) => el.classList.remove('active'));
  }
  if (window.matchMedia('(max-width: 700px)').matches) {  // a phone: the conversations sidebar starts closed
    const started = Date.now();
    const timer = setInterval(() => {
      const toggle = document.querySelector('#conversations.sidebar.open .toggle-button');
      if (toggle) toggle.click();
      if (toggle || Date.now() - started > 15000) clearInterval(timer);
    }, 200);
  }
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const link = target ? target.closest('a.cite') : null;
    if (link && showCard(link)) {
      event.preventDefault();
      event.stopPropagation();
    } else if (target && target.closest('a.cite-close')) {
      closeCards();
      event.preventDefault();
      event.stopPropagation();
    } else if (target && target.closest('a.copy-answer')) {
      copyAnswer(target.closest('a.copy-answer'));
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
})();
</script>
"""

CSS = """
.answer p { margin: 0; }
.interpreted { font-size: 0.85em; opacity: 0.75; font-style: italic; margin-bottom: 4px; }
.short-answer { font-size: 1.25em; font-weight: 700; margin-bottom: 4px; }
.short-answer .answer-type { font-size: 0.6em; font-weight: 600; text-transform: uppercase; opacity: 0.65;
  letter-spacing: 0.05em; margin-right: 6px; vertical-align: middle; }
.answer-meta { font-size: 0.8em; opacity: 0.75; margin-top: 6px; }
.answer-meta .backend { font-weight: 600; font-family: var(--font-mono); }
.answer.streaming p { opacity: 0.7; }
.answer.abstained, .answer.error { border-left: 4px solid #d97706; padding: 4px 10px; border-radius: 4px;
  background: rgba(217, 119, 6, 0.10); }
.answer.error { border-left-color: #dc2626; background: rgba(220, 38, 38, 0.10); }
.abstain-label, .error-label { font-weight: 700; font-size: 0.9em; margin-bottom: 2px; }
.abstain-label { color: #b45309; }
.cite-stale { color: #b45309; font-weight: 600; font-size: 0.85em; margin-bottom: 4px; }
.error-label { color: #b91c1c; }
a.cite { text-decoration: none !important; font-weight: 600; padding: 0 3px; border-radius: 4px; cursor: pointer;
  background: rgba(37, 99, 235, 0.12); color: #1d4ed8 !important; }
a.cite:hover, a.cite.active { background: #1d4ed8; color: #fff !important; }
.cite-panel .cite-hint { opacity: 0.7; font-size: 0.9em; }
.cite-panel:has(.cite-card.active) .cite-hint, .cite-panel:has(.cite-card:target) .cite-hint { display: none; }
.cite-card { display: none; border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; }
.cite-card.active, .cite-card:target, .cite-card.st-card { display: block; }
.st-card { margin-bottom: 8px; }
.cite-title { font-weight: 700; margin-bottom: 2px; }
.cite-num { color: #1d4ed8; }
.cite-meta, .cite-foot { font-size: 0.85em; opacity: 0.8; }
.cite-foot { margin-top: 8px; overflow-wrap: anywhere; }
.cite-passage { position: relative; white-space: pre-wrap; margin-top: 8px; padding: 8px 10px; font-size: 0.92em;
  border-left: 3px solid var(--border-color-primary); line-height: 1.5; max-height: 480px; overflow-y: auto; }
.cite-passage mark, .cite-quote mark { background: #fde68a; color: #111; padding: 0 1px; }
.cite-quote { display: block; margin-top: 8px; }
.cite-close { display: none; float: right; font-size: 0.9em; text-decoration: none !important; }
.dark a.cite { background: rgba(147, 197, 253, 0.18); color: #bfdbfe !important; }
.dark a.cite:hover, .dark a.cite.active { background: #3b82f6; color: #fff !important; }
.dark .cite-num { color: #93c5fd; }
.dark .abstain-label, .dark .cite-stale { color: #fbbf24; }
.dark .error-label { color: #f87171; }
@media (max-width: 700px) {  /* a citation opens as a drawer over the page instead of far below the chat */
  .cite-panel:has(.cite-card.active) { position: fixed; left: 0; right: 0; bottom: 0; max-height: 65vh; z-index: 1000;
    overflow-y: auto; padding: 10px 12px; background: var(--background-fill-primary);
    border-top: 2px solid #1d4ed8; box-shadow: 0 -6px 24px rgba(0, 0, 0, 0.35); }
  .cite-panel:has(.cite-card.active) .cite-close { display: inline-block; }
  .cite-passage { max-height: 40vh; }
}
.index-summary { font-size: 0.9em; opacity: 0.85; }
.copy-text { display: none; }
a.copy-answer { font-weight: 600; cursor: pointer; }
p.note, p.field-error { margin: 2px 0; }
p.field-error { color: #b91c1c; font-size: 0.85em; text-align: left; }
#paste-date-error { margin-left: 0; margin-right: 0; width: 100%; }
.removal-question { font-weight: 700; color: #b91c1c; margin: 4px 0; }
.article-list { margin: 4px 0; padding-left: 20px; max-height: 180px; overflow-y: auto; }
.article-list code, .article-meta code { font-size: 0.85em; overflow-wrap: anywhere; }
.article-view .article-title { margin: 0 0 6px; }
.article-meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; font-size: 0.9em; }
.article-meta dt { font-weight: 600; opacity: 0.75; }
.article-meta dd { margin: 0; overflow-wrap: anywhere; }
.article-body { white-space: pre-wrap; max-height: 480px; overflow-y: auto; padding: 8px 10px; line-height: 1.5;
  border-left: 3px solid var(--border-color-primary); }
"""
