using System;
using System.Collections.Generic;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// Lays out a struct field by field with natural alignment (the layout clang gives it for the
/// BPF target and the x86-64 / arm64 hosts alike), inserting an explicit <c>_padN</c> field for
/// every hole, tail padding included.
/// </summary>
internal sealed class BpfLayoutBuilder
{
    private readonly string _cName;
    private readonly string _comment;
    private readonly List<BpfFieldLayout> _fields = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _offset;
    private int _align = 1;
    private int _padding;

    public BpfLayoutBuilder(string cName, string comment)
    {
        BpfNames.RequireIdentifier(cName, "struct name");
        _cName = cName;
        _comment = comment;
    }

    public static int SizeOf(BpfScalarType type) => type switch
    {
        BpfScalarType.Char => 1,
        BpfScalarType.U32 or BpfScalarType.S32 => 4,
        BpfScalarType.U64 or BpfScalarType.S64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public BpfLayoutBuilder Add(string cName, BpfScalarType type, string comment, int count = 1)
    {
        BpfNames.RequireIdentifier(cName, "field name");
        if (!_names.Add(cName))
        {
            throw new InvalidOperationException($"struct {_cName} already has a field named '{cName}'");
        }

        var align = SizeOf(type);
        Pad(align);
        _fields.Add(new BpfFieldLayout(cName, BpfNames.ToPascalCase(cName), type, count, _offset, comment));
        _offset += align * count;
        _align = Math.Max(_align, align);
        return this;
    }

    public BpfStructLayout Build()
    {
        Pad(_align);
        return new BpfStructLayout(_cName, BpfNames.ToPascalCase(_cName), _offset, _fields.ToEquatableArray(), _comment);
    }

    private void Pad(int align)
    {
        var hole = (align - (_offset % align)) % align;
        if (hole == 0)
        {
            return;
        }

        // A 4-byte hole at a 4-byte boundary is a __u32; any other hole is a char array.
        var name = "_pad" + _padding;
        var csharpName = "Pad" + _padding;
        _padding++;
        if (hole == 4 && _offset % 4 == 0)
        {
            _fields.Add(new BpfFieldLayout(name, csharpName, BpfScalarType.U32, 1, _offset, "padding"));
        }
        else
        {
            _fields.Add(new BpfFieldLayout(name, csharpName, BpfScalarType.Char, hole, _offset, "padding"));
        }

        _offset += hole;
    }
}
