"""100x freshness and cold first query on the kept scale index; the probe indexer commits through the same write
path as index_articles (_write_batch -> commit_articles) but skips the run-start repair scan of all chunk metadata."""
import json, resource, statistics, subprocess, sys, time
from pathlib import Path
sys.path.insert(0, '/work/wt-lexical')
import bench.scale as scale
from bench.retrieval import measure

directory = Path(sys.argv[1])
out = {}
_probe = scale._probe_article
scale._probe_article = lambda trial: _probe(trial + 100)  # ids no earlier run committed
scale._INDEXER = '''
import json, sys, time
from assistant.articles import Article
from assistant.chunking import chunk_article
from assistant.config import Settings
from assistant.store import ArticleIndex, IndexReport, _RunProgress
index = ArticleIndex(Settings(index_dir=sys.argv[1]))
index.embeddings.embed_documents(["warm up"])
committed = []
finish = index.lexical.finish
def finish_after_commit(state):
    committed.append(time.time())
    finish(state)
index.lexical.finish = finish_after_commit
print("ready", flush=True)
s = index.settings
for line in sys.stdin:
    a = Article(**json.loads(line))
    with index.write_lock():
        index.generation()
        version = index.version_of(a)
        chunks = chunk_article(a, s.chunk_tokens, s.chunk_overlap_tokens, s.embed_metadata, version=version)
        index._write_batch([(a, version, chunks, None)], IndexReport(), _RunProgress([a], None, None))
    print(json.dumps({"committed": committed.pop()}), flush=True)
'''
# skip the final remove() (it runs the full repair scan too)
import assistant.store as store
store.ArticleIndex.remove = lambda self, ids: (ids, [])
fresh = scale.freshness(directory, 5)
fresh["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["freshness"] = fresh
print(json.dumps({"freshness_ms": fresh["freshness_ms"], "trials": fresh["trials"], "peak_rss_mb": fresh["peak_rss_mb"]}), flush=True)
json.dump(out, open('/tmp/lex/fresh100b.json', 'w'), indent=1, default=str)
