# The PyTorch reference of `forumprefs bench train`'s fine-tuning rows: the same BERT checkpoint folder (config.json,
# model.safetensors), the same reward head, batch, loss and AdamW step as the TorchSharp run.
# Usage: finetune_bert.py FOLDER STEPS THREADS BATCH LENGTH [LENGTHS_FILE [TOP]]; prints seconds and torch version.
# TOP > 0 trains only the top TOP layers, pooler and head (the embeddings and lower layers frozen), as --train-top-layers.
# With LENGTHS_FILE (one step a line: the 2 × BATCH sequence lengths, chosen then rejected), each step is padded to its
# longest sequence and the padding masked, as the TorchSharp run does.
# Plain torch only (Debian's python3-torch 1.13 has no transformers and no fused attention: attention is softmax(QKᵀ)V).
import json, math, os, struct, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

FOLDER, STEPS, THREADS, BATCH, LENGTH = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
LENGTHS = [[int(n) for n in line.split()] for line in open(sys.argv[6])] if len(sys.argv) > 6 else None
TOP = int(sys.argv[7]) if len(sys.argv) > 7 else 0
torch.manual_seed(0); torch.set_num_threads(THREADS)
config = json.load(open(os.path.join(FOLDER, "config.json")))
D, H, L, I = config["hidden_size"], config["num_attention_heads"], config["num_hidden_layers"], config["intermediate_size"]
EPS, V = config.get("layer_norm_eps", 1e-12), config["vocab_size"]


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    return {k: torch.frombuffer(bytearray(data[v["data_offsets"][0]:v["data_offsets"][1]]), dtype=torch.float32).reshape(v["shape"])
            for k, v in header.items() if k != "__metadata__"}


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))
        self.n1, self.n2 = nn.LayerNorm(D, eps=EPS), nn.LayerNorm(D, eps=EPS)
        self.up, self.down = nn.Linear(D, I), nn.Linear(I, D)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, keep):
        b, n, _ = x.shape
        heads = lambda t: t.view(b, n, H, D // H).transpose(1, 2)
        scores = heads(self.q(x)) @ heads(self.k(x)).transpose(-1, -2) / math.sqrt(D // H)
        scores = scores.masked_fill(~keep, torch.finfo(scores.dtype).min)
        attended = (self.drop(torch.softmax(scores, -1)) @ heads(self.v(x))).transpose(1, 2).reshape(b, n, D)
        x = self.n1(x + self.drop(self.o(attended)))
        return self.n2(x + self.drop(self.down(F.gelu(self.up(x)))))


class BertReward(nn.Module):
    def __init__(self):
        super().__init__()
        self.words, self.positions, self.types = nn.Embedding(V, D), nn.Embedding(config["max_position_embeddings"], D), nn.Embedding(2, D)
        self.norm, self.drop = nn.LayerNorm(D, eps=EPS), nn.Dropout(0.1)
        self.layers = nn.ModuleList(Layer() for _ in range(L))
        self.pooler, self.classifier = nn.Linear(D, D), nn.Linear(D, 1)

    def forward(self, ids, keep):
        x = self.drop(self.norm(self.words(ids) + self.positions(torch.arange(ids.shape[1])) + self.types(torch.zeros_like(ids))))
        mask = keep[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask)
        return self.classifier(self.drop(torch.tanh(self.pooler(x[:, 0])))).squeeze(-1)


model = BertReward()
weights = read_safetensors(os.path.join(FOLDER, "model.safetensors"))
names = {"words": "embeddings.word_embeddings", "positions": "embeddings.position_embeddings", "types": "embeddings.token_type_embeddings",
         "norm": "embeddings.LayerNorm", "pooler": "pooler.dense"}
for i in range(L):
    p = f"encoder.layer.{i}."
    names.update({f"layers.{i}.q": p + "attention.self.query", f"layers.{i}.k": p + "attention.self.key", f"layers.{i}.v": p + "attention.self.value",
                  f"layers.{i}.o": p + "attention.output.dense", f"layers.{i}.n1": p + "attention.output.LayerNorm",
                  f"layers.{i}.up": p + "intermediate.dense", f"layers.{i}.down": p + "output.dense", f"layers.{i}.n2": p + "output.LayerNorm"})
with torch.no_grad():
    for name, parameter in model.named_parameters():
        module, kind = name.rsplit(".", 1)
        if module in names:
            parameter.copy_(weights[names[module] + "." + kind])

if TOP > 0:
    for module in [model.words, model.positions, model.types, model.norm, *model.layers[:L - TOP]]:
        for parameter in module.parameters():
            parameter.requires_grad = False
trained = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.AdamW(trained, 3e-5, weight_decay=0.01)
def batch(lengths):
    longest = max(lengths)
    return torch.randint(1000, V, (len(lengths), longest)), torch.arange(longest)[None, :] < torch.tensor(lengths)[:, None]


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
