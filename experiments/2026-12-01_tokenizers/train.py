"""sp4096 and sp8192 SentencePiece BPE models trained by golf_nb's own tool on the shared training text (CPU).

    python experiments/2026-12-01_tokenizers/train.py OUT_DIR [VOCAB ...]   # default vocabularies: 4096 8192

Text: every document of ../shared/data/train_text/*.jsonl.xz (145 MB; never the validation prefix), in file order,
through golf_nb.tokenizer_tools.train_tokenizer (the challenge's settings, SP_TRAIN_SETTINGS) with a sample of
2,000,000 lines (SentencePiece's input_sentence_size, shuffled with its fixed seed) and 16 trainer threads (the
result depends on the thread count, so it is fixed). Writes OUT_DIR/golf_sp{V}.model and OUT_DIR/golf_sp{V}.json
(seconds taken, sha256 of the model, the settings, and bytes per token on the validation prefix's 902 documents,
which are only measured, never trained on).
"""
import hashlib, json, lzma, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from golf_nb.tokenizer_tools import SP_TRAIN_SETTINGS, train_tokenizer  # noqa: E402

TEXT = ROOT.parent / "shared/data/train_text"
VAL_DOCS = ROOT.parent / "shared/data/fineweb_val_prefix/docs.jsonl.xz"

def bytes_per_token(model: Path) -> float:
    "UTF-8 bytes of the validation prefix's documents over their tokens under `model`."
    import sentencepiece as spm
    texts = [json.loads(l)["text"] for l in lzma.open(VAL_DOCS, "rt", encoding="utf-8")]
    sp = spm.SentencePieceProcessor(model_file=str(model))
    return sum(len(t.encode("utf-8")) for t in texts) / sum(len(ids) for ids in sp.encode(texts))

def docs():
    for f in sorted(TEXT.glob("*.jsonl.xz")):
        with lzma.open(f, "rt", encoding="utf-8") as fh:
            for line in fh: yield json.loads(line)["text"]

if __name__ == "__main__":
    out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
    for v in [int(x) for x in sys.argv[2:]] or [4096, 8192]:
        t0 = time.time()
        extra = dict(input_sentence_size=2_000_000, shuffle_input_sentence=True)
        model = train_tokenizer(docs(), v, out / f"golf_sp{v}", num_threads=16, **extra)
        info = dict(vocab_size=v, seconds=round(time.time() - t0, 1), sha256=hashlib.sha256(model.read_bytes()).hexdigest(),
                    val_bytes_per_token=round(bytes_per_token(model), 4), files=sorted(p.name for p in TEXT.glob("*.jsonl.xz")), settings={**SP_TRAIN_SETTINGS, **extra, "num_threads": 16})
        (out / f"golf_sp{v}.json").write_text(json.dumps(info, indent=1))
        print(json.dumps(info), flush=True)
    ref = {m.name: round(bytes_per_token(m), 4) for m in sorted((ROOT.parent / "shared/data/tokenizers").glob("*.model"))}
    (out / "reference.json").write_text(json.dumps(ref, indent=1))   # the shared models, measured the same way
    print(json.dumps(ref))
