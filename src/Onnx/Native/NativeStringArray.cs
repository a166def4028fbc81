using System.Runtime.InteropServices;

namespace RecOperator.Onnx.Native;

/// <summary>An unmanaged <c>const char* const*</c> array of UTF-8 strings, freed on dispose.</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private readonly nint* _items;

    public NativeStringArray(IReadOnlyList<string> values)
    {
        Count = values.Count;
        _items = (nint*)NativeMemory.AllocZeroed((nuint)Math.Max(Count, 1), (nuint)sizeof(nint));
        for (var i = 0; i < Count; i++)
        {
            _items[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }
    }

    public int Count { get; }

    public nint* Pointer => _items;

    public void Dispose()
    {
        for (var i = 0; i < Count; i++)
        {
            Marshal.FreeCoTaskMem(_items[i]);
            _items[i] = 0;
        }
        NativeMemory.Free(_items);
    }
}
