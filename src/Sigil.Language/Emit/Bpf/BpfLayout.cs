using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>The scalar C types eBPF map keys, values and events are made of.</summary>
public enum BpfScalarType
{
    /// <summary><c>char</c> (arrays only, e.g. a task's <c>comm</c>); C# <c>byte</c>.</summary>
    Char,

    /// <summary><c>__u32</c>; C# <c>uint</c>.</summary>
    U32,

    /// <summary><c>__s32</c>; C# <c>int</c>.</summary>
    S32,

    /// <summary><c>__u64</c>; C# <c>ulong</c>.</summary>
    U64,

    /// <summary><c>__s64</c>; C# <c>long</c>.</summary>
    S64,
}

/// <summary>
/// One field of a <see cref="BpfStructLayout"/>: its C name, type, element count and byte offset.
/// The C# mirror uses <see cref="CSharpName"/> at the same offset. Value-equatable.
/// </summary>
/// <param name="CName">The C field name, kernel snake_case.</param>
/// <param name="CSharpName">The C# field name, PascalCase (<see cref="BpfNames.ToPascalCase"/>).</param>
/// <param name="Type">The element type.</param>
/// <param name="Count">1 for a scalar, the length for a fixed array.</param>
/// <param name="Offset">Byte offset from the start of the struct.</param>
/// <param name="Comment">What the field holds, one line.</param>
public sealed record BpfFieldLayout(
    string CName,
    string CSharpName,
    BpfScalarType Type,
    int Count,
    int Offset,
    string Comment)
{
    /// <summary>Size of the field in bytes.</summary>
    public int Size => BpfLayoutBuilder.SizeOf(Type) * Count;

    /// <summary>True for the explicit padding fields the layout builder inserts.</summary>
    public bool IsPadding => CName.StartsWith("_pad", System.StringComparison.Ordinal);
}

/// <summary>
/// A struct shared by the eBPF program (C, in <c>&lt;fibre&gt;.h</c>) and the daemon (C#): a map
/// key or value, or a ring buffer event. Fields are laid out with natural alignment and every
/// hole is an explicit padding field, so the C and C# layouts hold the same bytes. Value-equatable.
/// </summary>
/// <param name="CName">The C struct tag, kernel snake_case.</param>
/// <param name="CSharpName">The C# type name, PascalCase.</param>
/// <param name="Size">Size in bytes, a multiple of the largest alignment.</param>
/// <param name="Fields">Fields in order, padding included.</param>
/// <param name="Comment">What the struct is, one line.</param>
public sealed record BpfStructLayout(
    string CName,
    string CSharpName,
    int Size,
    EquatableArray<BpfFieldLayout> Fields,
    string Comment);

/// <summary>A named integer constant shared by C (<c>#define</c> / enum) and C#.</summary>
/// <param name="CName">The C name, upper snake case.</param>
/// <param name="CSharpName">The C# member name, PascalCase.</param>
/// <param name="Value">The value.</param>
/// <param name="Comment">What it means, one line.</param>
public sealed record BpfConstant(string CName, string CSharpName, long Value, string Comment);

/// <summary>An enumeration shared by C and C# (event kinds, control flags).</summary>
/// <param name="CName">The C enum tag.</param>
/// <param name="CSharpName">The C# enum name.</param>
/// <param name="IsFlags">True for a bit set ([Flags] in C#).</param>
/// <param name="Members">The members.</param>
/// <param name="Comment">What it is, one line.</param>
public sealed record BpfEnumLayout(
    string CName,
    string CSharpName,
    bool IsFlags,
    EquatableArray<BpfConstant> Members,
    string Comment);
