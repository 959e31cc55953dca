namespace ForumPrefs.Pairing.NearDuplicates;

/// <summary>Disjoint sets over 0..n-1 with path halving and union by size.</summary>
public sealed class UnionFind
{
    private int[] _parent = [];
    private int[] _size = [];

    public int Count { get; private set; }

    public int Add()
    {
        if (Count == _parent.Length)
        {
            Array.Resize(ref _parent, Math.Max(16, Count * 2));
            Array.Resize(ref _size, _parent.Length);
        }
        _parent[Count] = Count;
        _size[Count] = 1;
        return Count++;
    }

    public int Find(int x)
    {
        while (_parent[x] != x)
            x = _parent[x] = _parent[_parent[x]];
        return x;
    }

    public int SizeOf(int x) => _size[Find(x)];

    public bool Union(int x, int y)
    {
        (x, y) = (Find(x), Find(y));
        if (x == y)
            return false;
        if (_size[x] < _size[y])
            (x, y) = (y, x);
        _parent[y] = x;
        _size[x] += _size[y];
        return true;
    }
}
