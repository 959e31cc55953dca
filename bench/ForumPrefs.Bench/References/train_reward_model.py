# The PyTorch reference of `forumprefs bench train`: the same model, batch and optimiser step as the TorchSharp run.
# Usage: train_reward_model.py STEPS THREADS; prints seconds and torch version.
import sys, time, torch, torch.nn as nn, torch.nn.functional as F
STEPS, THREADS = int(sys.argv[1]), int(sys.argv[2])
torch.manual_seed(0); torch.set_num_threads(THREADS)
V, D, H, L, S, B = 50257, 128, 4, 2, 64, 32
class RewardModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(V, D); self.positions = nn.Embedding(S, D)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, H, D * 4, 0.1), L)
        self.norm = nn.LayerNorm(D); self.head = nn.Linear(D, 1)
    def forward(self, ids, padding):
        x = self.tokens(ids) + self.positions(torch.arange(ids.shape[1])).unsqueeze(0)
        x = self.encoder(x.transpose(0, 1), src_key_padding_mask=padding).transpose(0, 1)
        keep = (~padding).unsqueeze(-1).float()
        return self.head((self.norm(x) * keep).sum(1) / keep.sum(1).clamp_min(1)).squeeze(-1)
model = RewardModel(); optimizer = torch.optim.AdamW(model.parameters(), 3e-4, weight_decay=0.01)
ids = torch.randint(0, V, (2 * B, S)); padding = torch.zeros(2 * B, S, dtype=torch.bool)
def step():
    model.train(); r = model(ids, padding)
    loss = -F.logsigmoid(r[:B] - r[B:]).mean()
    optimizer.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); optimizer.step()
for _ in range(3): step()
start = time.perf_counter()
for _ in range(STEPS): step()
print(time.perf_counter() - start, torch.__version__)
