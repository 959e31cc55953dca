# The plain-Python reference of `forumprefs-bench dedup`: MinHash LSH as datatrove and datasketch do it, vectorised
# with numpy. Same work as ForumPrefs: lower-cased word 5-shingles hashed to 64 bits, K multiply-shift hashes
# ((a*x + b) mod 2^64) >> 32, minimum per hash, B bands of R rows, texts sharing a band joined (union-find).
# Usage: dedup_minhash.py TEXTS.txt HASHES BANDS ROWS SHINGLE_WORDS  (one text per line) -> prints "texts clusters"
import re, sys
import numpy as np
path, K, B, R, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = np.random.default_rng(1)
a = (rng.integers(0, 2**63, K, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
b = rng.integers(0, 2**63, K, dtype=np.uint64)
word = re.compile(r"\w+")
parent = []
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
bands = [dict() for _ in range(B)]
mask = (1 << 64) - 1
with open(path, encoding="utf-8") as fh:
    for i, line in enumerate(fh):
        parent.append(i)
        words = word.findall(line.lower())
        if not words:
            continue
        n = min(N, len(words))
        shingles = np.fromiter((hash(tuple(words[j:j + n])) & mask for j in range(len(words) - n + 1)), dtype=np.uint64)
        with np.errstate(over="ignore"):
            signature = ((np.outer(shingles, a) + b) >> np.uint64(32)).min(axis=0).astype(np.uint32)
        for band in range(B):
            key = signature[band * R:(band + 1) * R].tobytes()
            first = bands[band].setdefault(key, i)
            if first != i:
                x, y = find(first), find(i)
                if x != y:
                    parent[y] = x
roots = sum(1 for i in range(len(parent)) if find(i) == i)
print(len(parent), roots)
