# The BERT reward model of `forumprefs bench train`'s PyTorch references, in plain torch (Debian's python3-torch 1.13
# has no transformers and no fused attention: attention is softmax(QKᵀ)V): embeddings, layers, pooled [CLS], one-label
# head, loaded from the same checkpoint folder (config.json, model.safetensors) as the TorchSharp run.
import json, math, os, struct
import torch, torch.nn as nn, torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    return {k: torch.frombuffer(bytearray(data[v["data_offsets"][0]:v["data_offsets"][1]]), dtype=torch.float32).reshape(v["shape"])
            for k, v in header.items() if k != "__metadata__"}


class Layer(nn.Module):
    def __init__(self, D, H, I, EPS):
        super().__init__()
        self.D, self.H = D, H
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))
        self.n1, self.n2 = nn.LayerNorm(D, eps=EPS), nn.LayerNorm(D, eps=EPS)
        self.up, self.down = nn.Linear(D, I), nn.Linear(I, D)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, keep, first_only=False):
        """With first_only, the first position's output alone ([CLS], all the pooler reads), attending to every key."""
        b, D, H = x.shape[0], self.D, self.H
        queries = x[:, :1] if first_only else x
        heads = lambda t: t.view(b, t.shape[1], H, D // H).transpose(1, 2)
        scores = heads(self.q(queries)) @ heads(self.k(x)).transpose(-1, -2) / math.sqrt(D // H)
        scores = scores.masked_fill(~keep, torch.finfo(scores.dtype).min)
        attended = (self.drop(torch.softmax(scores, -1)) @ heads(self.v(x))).transpose(1, 2).reshape(b, queries.shape[1], D)
        x = self.n1(queries + self.drop(self.o(attended)))
        return self.n2(x + self.drop(self.down(F.gelu(self.up(x)))))


class BertReward(nn.Module):
    def __init__(self, config):
        super().__init__()
        D, V = config["hidden_size"], config["vocab_size"]
        EPS = config.get("layer_norm_eps", 1e-12)
        self.words, self.positions, self.types = nn.Embedding(V, D), nn.Embedding(config["max_position_embeddings"], D), nn.Embedding(2, D)
        self.norm, self.drop = nn.LayerNorm(D, eps=EPS), nn.Dropout(0.1)
        self.layers = nn.ModuleList(Layer(D, config["num_attention_heads"], config["intermediate_size"], EPS) for _ in range(config["num_hidden_layers"]))
        self.pooler, self.classifier = nn.Linear(D, D), nn.Linear(D, 1)

    def lower(self, ids, keep, layers):
        """The embeddings and the first `layers` layers: [batch, length, hidden]."""
        x = self.drop(self.norm(self.words(ids) + self.positions(torch.arange(ids.shape[1])) + self.types(torch.zeros_like(ids))))
        for layer in self.layers[:layers]:
            x = layer(x, keep[:, None, None, :])
        return x

    def upper(self, x, keep, start):
        """The layers from `start` on, the pooler and the head: [batch] rewards."""
        for i in range(start, len(self.layers)):
            x = self.layers[i](x, keep[:, None, None, :], first_only=i == len(self.layers) - 1)  # as the TorchSharp BERT
        return self.classifier(self.drop(torch.tanh(self.pooler(x[:, 0])))).squeeze(-1)

    def forward(self, ids, keep):
        return self.upper(self.lower(ids, keep, 0), keep, 0)


def load(folder, threads, top):
    """The model with the folder's weights; with top > 0 only the top `top` layers, pooler and head train. Returns
    (model, config, trained parameters)."""
    torch.manual_seed(0); torch.set_num_threads(threads)
    config = json.load(open(os.path.join(folder, "config.json")))
    model = BertReward(config)
    weights = read_safetensors(os.path.join(folder, "model.safetensors"))
    names = {"words": "embeddings.word_embeddings", "positions": "embeddings.position_embeddings", "types": "embeddings.token_type_embeddings",
             "norm": "embeddings.LayerNorm", "pooler": "pooler.dense"}
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        names.update({f"layers.{i}.q": p + "attention.self.query", f"layers.{i}.k": p + "attention.self.key", f"layers.{i}.v": p + "attention.self.value",
                      f"layers.{i}.o": p + "attention.output.dense", f"layers.{i}.n1": p + "attention.output.LayerNorm",
                      f"layers.{i}.up": p + "intermediate.dense", f"layers.{i}.down": p + "output.dense", f"layers.{i}.n2": p + "output.LayerNorm"})
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            module, kind = name.rsplit(".", 1)
            if module in names:
                parameter.copy_(weights[names[module] + "." + kind])
    if top > 0:
        for module in [model.words, model.positions, model.types, model.norm, *model.layers[:len(model.layers) - top]]:
            for parameter in module.parameters():
                parameter.requires_grad = False
    return model, config, [p for p in model.parameters() if p.requires_grad]
