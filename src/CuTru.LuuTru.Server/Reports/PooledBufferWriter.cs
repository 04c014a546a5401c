using System.Buffers;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>A growable buffer on rented arrays: a night's 3,321 reports of ~150 KB each are written without allocating
/// as many large-object-heap arrays (each of which would bring a full collection closer). Dispose returns the array.</summary>
public sealed class PooledBufferWriter(int initialCapacity = 256 * 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) { Ensure(sizeHint); return _buffer.AsMemory(_written); }

    public Span<byte> GetSpan(int sizeHint = 0) { Ensure(sizeHint); return _buffer.AsSpan(_written); }

    private void Ensure(int sizeHint)
    {
        if (_buffer.Length - _written >= Math.Max(sizeHint, 1)) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
