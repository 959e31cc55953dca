# The PyTorch reference of `forumprefs bench train`'s fine-tuning rows: the same BERT checkpoint folder (config.json,
# model.safetensors), the same reward head, batch, loss and AdamW step as the TorchSharp run (model: bert_reference.py).
# Usage: finetune_bert.py FOLDER STEPS THREADS BATCH LENGTH [LENGTHS_FILE [TOP]]; prints seconds and torch version.
# TOP > 0 trains only the top TOP layers, pooler and head (the embeddings and lower layers frozen), as --train-top-layers.
# With LENGTHS_FILE (one step a line: the 2 × BATCH sequence lengths, chosen then rejected), each step is padded to its
# longest sequence and the padding masked, as the TorchSharp run does.
import sys, time
import torch, torch.nn.functional as F
from bert_reference import load

FOLDER, STEPS, THREADS, BATCH, LENGTH = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
LENGTHS = [[int(n) for n in line.split()] for line in open(sys.argv[6])] if len(sys.argv) > 6 else None
TOP = int(sys.argv[7]) if len(sys.argv) > 7 else 0
model, config, trained = load(FOLDER, THREADS, TOP)
optimizer = torch.optim.AdamW(trained, 3e-5, weight_decay=0.01)


def batch(lengths):
    longest = max(lengths)
    return torch.randint(1000, config["vocab_size"], (len(lengths), longest)), torch.arange(longest)[None, :] < torch.tensor(lengths)[:, None]


fixed = batch([LENGTH] * (2 * BATCH))


def step(inputs):
    ids, keep = inputs
    model.train(); r = model(ids, keep)
    loss = -F.logsigmoid(r[:BATCH] - r[BATCH:]).mean()
    optimizer.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(trained, 1.0); optimizer.step()


if LENGTHS is None:
    for _ in range(2): step(fixed)
    start = time.perf_counter()
    for _ in range(STEPS): step(fixed)
else:
    step(batch(LENGTHS[0]))
    start = time.perf_counter()
    for lengths in LENGTHS: step(batch(lengths))
print(time.perf_counter() - start, torch.__version__)
