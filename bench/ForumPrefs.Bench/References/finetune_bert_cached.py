# The PyTorch reference of `forumprefs bench train`'s frozen-layer cache rows: BERT (bert_reference.py) with its top TOP
# layers trained, over real steps (token ids), as FrozenLayerCache does it: each distinct input goes through the frozen
# layers once (without dropout, no gradient), its hidden states are kept as float16, and steps run the top layers on
# them. Times one epoch without the cache, then two with it (the first fills it, the second only reads it).
# Usage: finetune_bert_cached.py FOLDER THREADS BATCH STEPS_FILE TOP, where each line of STEPS_FILE is one step: 2 × BATCH
# inputs (chosen then rejected) separated by ';', each its token ids separated by spaces. Prints the three epochs'
# seconds and the torch version.
import sys, time
import torch, torch.nn.functional as F
from bert_reference import load

FOLDER, THREADS, BATCH, TOP = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[5])
STEPS = [[tuple(int(n) for n in seq.split()) for seq in line.strip().split(";")] for line in open(sys.argv[4])]
model, config, trained = load(FOLDER, THREADS, TOP)
FROZEN = config["num_hidden_layers"] - TOP
optimizer = torch.optim.AdamW(trained, 3e-5, weight_decay=0.01)
kept = {}


def pad(inputs):
    longest = max(len(i) for i in inputs)
    ids = torch.tensor([list(i) + [0] * (longest - len(i)) for i in inputs])
    return ids, torch.arange(longest)[None, :] < torch.tensor([len(i) for i in inputs])[:, None]


def cached_rewards(inputs, ids, keep):
    missing = list(dict.fromkeys(i for i in inputs if i not in kept))
    if missing:
        model.eval()
        with torch.no_grad():
            lower = model.lower(*pad(missing), FROZEN)
        model.train()
        for row, seq in enumerate(missing):
            kept[seq] = lower[row, :len(seq)].half()
    hidden = torch.stack([F.pad(kept[i], (0, 0, 0, ids.shape[1] - len(i))) for i in inputs]).float()
    return model.upper(hidden, keep, FROZEN)


def step(inputs, cached):
    ids, keep = pad(inputs)
    model.train()
    r = cached_rewards(inputs, ids, keep) if cached else model(ids, keep)
    loss = -F.logsigmoid(r[:BATCH] - r[BATCH:]).mean()
    optimizer.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(trained, 1.0); optimizer.step()


def epoch(cached):
    start = time.perf_counter()
    for inputs in STEPS: step(inputs, cached)
    return time.perf_counter() - start


step(STEPS[0], False)  # warm-up
print(epoch(False), epoch(True), epoch(True), torch.__version__)
