using System;
using System.Collections.Generic;
using System.Linq;

namespace Sigil.Runtime.Bpf;

/// <summary>A member of a BTF struct: its name and offset.</summary>
/// <param name="Name">The C field name.</param>
/// <param name="OffsetBits">Offset from the struct's start, in bits.</param>
/// <param name="BitfieldSize">Bit-field width, 0 for an ordinary field.</param>
public sealed record BtfMember(string Name, uint OffsetBits, uint BitfieldSize)
{
    /// <summary>Byte offset (for a non-bit-field member).</summary>
    public int Offset => (int)(OffsetBits / 8);
}

/// <summary>A struct as clang described it in the object's BTF.</summary>
/// <param name="Name">The struct tag.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Members">Members in order.</param>
public sealed record BtfStruct(string Name, int Size, IReadOnlyList<BtfMember> Members);

/// <summary>
/// The BTF (BPF type format) of an object: the types clang compiled, as the kernel sees them.
/// The runtime checks the C# layouts against it, and finds tunables' offsets in <c>.rodata</c>.
/// </summary>
public sealed unsafe class BpfBtf
{
    private readonly BpfObject _owner;
    private readonly nint _btf;

    internal BpfBtf(BpfObject owner, nint btf)
    {
        _owner = owner;
        _btf = btf;
    }

    /// <summary>The struct named <paramref name="name"/>, or null when the object has none.</summary>
    public BtfStruct? FindStruct(string name)
    {
        _owner.ThrowIfDisposed();
        var id = Libbpf.btf__find_by_name_kind(_btf, name, Libbpf.BtfKindStruct);
        if (id <= 0)
        {
            return null;
        }

        var type = Libbpf.btf__type_by_id(_btf, (uint)id);
        var members = (Libbpf.BtfMember*)(type + 1);
        var list = new List<BtfMember>(type->VLen);
        for (var i = 0; i < type->VLen; i++)
        {
            var member = members[i];

            // With the kind flag, the offset holds the bit-field size in its top 8 bits.
            var offset = type->KindFlag ? member.Offset & 0xffffff : member.Offset;
            var bits = type->KindFlag ? member.Offset >> 24 : 0;
            list.Add(new BtfMember(Libbpf.Text(Libbpf.btf__name_by_offset(_btf, member.NameOffset)), offset, bits));
        }

        return new BtfStruct(name, (int)type->SizeOrType, list);
    }

    /// <summary>The offset and size of the global <paramref name="variable"/> in the data section <paramref name="section"/> (e.g. <c>.rodata</c>).</summary>
    public (int Offset, int Size)? FindVariable(string section, string variable)
    {
        _owner.ThrowIfDisposed();
        var id = Libbpf.btf__find_by_name_kind(_btf, section, Libbpf.BtfKindDatasec);
        if (id <= 0)
        {
            return null;
        }

        var type = Libbpf.btf__type_by_id(_btf, (uint)id);
        var vars = (Libbpf.BtfVarSecinfo*)(type + 1);
        for (var i = 0; i < type->VLen; i++)
        {
            var var = Libbpf.btf__type_by_id(_btf, vars[i].Type);
            if (var is not null && Libbpf.Text(Libbpf.btf__name_by_offset(_btf, var->NameOffset)) == variable)
            {
                return ((int)vars[i].Offset, (int)vars[i].Size);
            }
        }

        return null;
    }

    /// <summary>
    /// Checks that <typeparamref name="T"/> has the size of the C struct <paramref name="cName"/>
    /// and a field at every member's offset; returns the differences, empty when they agree.
    /// Field names map by the generated rule (snake_case to PascalCase).
    /// </summary>
    public IReadOnlyList<string> CompareLayout<T>(string cName)
        where T : unmanaged
    {
        var problems = new List<string>();
        var btf = FindStruct(cName);
        if (btf is null)
        {
            problems.Add($"the object has no struct {cName}");
            return problems;
        }

        if (btf.Size != sizeof(T))
        {
            problems.Add($"struct {cName} is {btf.Size} bytes; {typeof(T).Name} is {sizeof(T)}");
        }

        foreach (var member in btf.Members)
        {
            var field = typeof(T).GetField(PascalCase(member.Name));
            if (field is null)
            {
                if (!member.Name.StartsWith("_pad", StringComparison.Ordinal))
                {
                    problems.Add($"{typeof(T).Name} has no field {PascalCase(member.Name)} for {cName}.{member.Name}");
                }

                continue;
            }

            var offset = (int)System.Runtime.InteropServices.Marshal.OffsetOf(typeof(T), field.Name);
            if (offset != member.Offset || member.BitfieldSize != 0)
            {
                problems.Add($"{cName}.{member.Name} is at byte {member.Offset}; {typeof(T).Name}.{field.Name} is at {offset}");
            }
        }

        // And the other way: every C# field is a member of the C struct.
        foreach (var field in typeof(T).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (!btf.Members.Any(m => PascalCase(m.Name) == field.Name))
            {
                problems.Add($"{typeof(T).Name}.{field.Name} has no member in struct {cName}");
            }
        }

        return problems;
    }

    /// <summary>The C# name of a C name: <c>hold_max_fd</c> is <c>HoldMaxFd</c> (the generator's rule).</summary>
    public static string PascalCase(string cName)
    {
        var text = new System.Text.StringBuilder(cName.Length);
        foreach (var word in cName.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
        }

        return text.ToString();
    }
}
