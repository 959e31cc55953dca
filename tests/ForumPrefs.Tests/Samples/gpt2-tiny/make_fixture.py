"""Writes a tiny random GPT-2 reward checkpoint and the outputs an independent implementation gives for it.

Run once (Debian: apt-get install python3-torch python3-regex), from this folder:

    /usr/bin/python3 make_fixture.py

It writes, next to itself:
  config.json, vocab.json, merges.txt   a Hugging Face GPT-2 folder (byte-level BPE learnt on the texts below)
  pytorch_model.bin                     random weights under Hugging Face's GPT2ForSequenceClassification names,
                                        saved by torch.save (the PyTorch format, not safetensors)
  expected.json                         for each text pair: the token ids of "question\n\nanswer", the last hidden
                                        state (after ln_f) and the reward at the last token

Both the tokenizer (GPT-2's encoder.py algorithm) and the forward pass (GPT-2 as transformers implements it) are
written here in plain Python and torch, independently of ForumPrefs' C# code, which the test compares against them.
"""

import json
import math
import os

import regex
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
N_EMBD, N_LAYER, N_HEAD, N_POSITIONS, MERGES = 32, 2, 4, 64, 120

CORPUS = [
    "Why does bread go stale faster in the fridge?",
    "Starch crystallises fastest just above freezing, so the fridge speeds up staling.",
    "It just does, I think.",
    "How do noise-cancelling headphones work?",
    "A microphone hears the noise and the speaker plays the inverted wave, so the two cancel out.",
    "Magic, basically!",
    "What's the difference between weather and climate? Weather is today's rain; climate is 30 years of it.",
]
PAIRS = [
    (CORPUS[0], CORPUS[1]),
    (CORPUS[0], CORPUS[2]),
    (CORPUS[3], CORPUS[4]),
    (CORPUS[3], CORPUS[5]),
]
PATTERN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE = bytes_to_unicode()


def words(text):
    return ["".join(BYTE[b] for b in piece.encode("utf-8")) for piece in PATTERN.findall(text)]


def learn_merges(texts, count):
    vocab = {}
    for text in texts:
        for word in words(text):
            key = tuple(word)
            vocab[key] = vocab.get(key, 0) + 1
    merges = []
    for _ in range(count):
        pairs = {}
        for word, freq in vocab.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + freq
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda p: pairs[p])
        merges.append(best)
        merged = {}
        for word, freq in vocab.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + freq
        vocab = merged
    return merges


def bpe(word, ranks):
    parts = list(word)
    while len(parts) > 1:
        candidates = [(ranks.get((a, b), math.inf), i) for i, (a, b) in enumerate(zip(parts, parts[1:]))]
        rank, i = min(candidates)
        if rank == math.inf:
            break
        parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:]
    return parts


def encode(text, ranks, vocab):
    return [vocab[token] for word in words(text) for token in bpe(word, ranks)]


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def layer_norm(x, w, b):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), w, b, 1e-5)


def forward(sd, ids):
    """GPT-2 on one unpadded sequence: the last hidden state [length, hidden]."""
    length = len(ids)
    x = sd["transformer.wte.weight"][ids] + sd["transformer.wpe.weight"][:length]
    causal = torch.tril(torch.ones(length, length, dtype=torch.bool))
    head = N_EMBD // N_HEAD
    for i in range(N_LAYER):
        p = f"transformer.h.{i}."
        h = layer_norm(x, sd[p + "ln_1.weight"], sd[p + "ln_1.bias"])
        qkv = h @ sd[p + "attn.c_attn.weight"] + sd[p + "attn.c_attn.bias"]  # Conv1D: weight is [in, out]
        q, k, v = (t.view(length, N_HEAD, head).transpose(0, 1) for t in qkv.split(N_EMBD, dim=-1))
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(head)
        scores = scores.masked_fill(~causal, torch.finfo(scores.dtype).min)
        attended = (torch.softmax(scores, dim=-1) @ v).transpose(0, 1).reshape(length, N_EMBD)
        x = x + attended @ sd[p + "attn.c_proj.weight"] + sd[p + "attn.c_proj.bias"]
        h = layer_norm(x, sd[p + "ln_2.weight"], sd[p + "ln_2.bias"])
        h = gelu_new(h @ sd[p + "mlp.c_fc.weight"] + sd[p + "mlp.c_fc.bias"])
        x = x + h @ sd[p + "mlp.c_proj.weight"] + sd[p + "mlp.c_proj.bias"]
    return layer_norm(x, sd["transformer.ln_f.weight"], sd["transformer.ln_f.bias"])


def main():
    torch.manual_seed(20261127)
    merges = learn_merges(CORPUS, MERGES)
    base = [BYTE[b] for b in sorted(BYTE)]
    tokens = base + [a + b for a, b in merges if a + b not in base]
    vocab = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    vocab["<|endoftext|>"] = len(vocab)
    ranks = {pair: i for i, pair in enumerate(merges)}

    with open(os.path.join(HERE, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(HERE, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    config = {
        "architectures": ["GPT2ForSequenceClassification"], "model_type": "gpt2", "vocab_size": len(vocab),
        "n_embd": N_EMBD, "n_layer": N_LAYER, "n_head": N_HEAD, "n_positions": N_POSITIONS, "n_inner": None,
        "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "resid_pdrop": 0.1, "embd_pdrop": 0.1,
        "attn_pdrop": 0.1, "bos_token_id": len(vocab) - 1, "eos_token_id": len(vocab) - 1, "pad_token_id": len(vocab) - 1,
        "id2label": {"0": "LABEL_0"}, "label2id": {"LABEL_0": 0},
    }
    with open(os.path.join(HERE, "config.json"), "w") as f:
        json.dump(config, f, indent=2)

    def randn(*shape):
        return torch.randn(*shape) * 0.2

    sd = {"transformer.wte.weight": randn(len(vocab), N_EMBD), "transformer.wpe.weight": randn(N_POSITIONS, N_EMBD)}
    for i in range(N_LAYER):
        p = f"transformer.h.{i}."
        sd[p + "ln_1.weight"] = 1 + randn(N_EMBD)
        sd[p + "ln_1.bias"] = randn(N_EMBD)
        sd[p + "attn.c_attn.weight"] = randn(N_EMBD, 3 * N_EMBD)
        sd[p + "attn.c_attn.bias"] = randn(3 * N_EMBD)
        sd[p + "attn.c_proj.weight"] = randn(N_EMBD, N_EMBD)
        sd[p + "attn.c_proj.bias"] = randn(N_EMBD)
        sd[p + "ln_2.weight"] = 1 + randn(N_EMBD)
        sd[p + "ln_2.bias"] = randn(N_EMBD)
        sd[p + "mlp.c_fc.weight"] = randn(N_EMBD, 4 * N_EMBD)
        sd[p + "mlp.c_fc.bias"] = randn(4 * N_EMBD)
        sd[p + "mlp.c_proj.weight"] = randn(4 * N_EMBD, N_EMBD)
        sd[p + "mlp.c_proj.bias"] = randn(N_EMBD)
    sd["transformer.ln_f.weight"] = 1 + randn(N_EMBD)
    sd["transformer.ln_f.bias"] = randn(N_EMBD)
    sd["score.weight"] = randn(1, N_EMBD)
    torch.save(sd, os.path.join(HERE, "pytorch_model.bin"))

    expected = []
    separator = encode("\n\n", ranks, vocab)
    with torch.no_grad():
        for question, answer in PAIRS:
            ids = encode(question, ranks, vocab) + separator + encode(answer, ranks, vocab)
            hidden = forward(sd, torch.tensor(ids))
            reward = float(hidden[-1] @ sd["score.weight"][0])
            expected.append({"question": question, "answer": answer, "ids": ids, "reward": reward,
                             "last_hidden_state": [[round(v, 7) for v in row] for row in hidden.tolist()]})
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"separator": separator, "pairs": expected}, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
