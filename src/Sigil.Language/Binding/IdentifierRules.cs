using System;
using System.Collections.Generic;
using System.Linq;

namespace Sigil.Language.Binding;

/// <summary>
/// The rule every name that reaches a spec obeys, so that every emitter can splice it into C,
/// C++, C#, Coq and YAML: <c>[A-Za-z_][A-Za-z0-9_]*</c>, at most 64 characters, not a keyword of
/// any of those languages, not a YAML special scalar, not starting with <c>__</c> or <c>sigil_</c>
/// (reserved for generated names).
/// </summary>
internal static class IdentifierRules
{
    public const int MaxLength = 64;

    private static readonly string[] s_c =
    {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
        "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
        "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
        "_Static_assert", "_Thread_local", "alignas", "alignof", "bool", "constexpr", "false", "nullptr",
        "static_assert", "thread_local", "true", "typeof", "typeof_unqual", "NULL", "asm",
    };

    private static readonly string[] s_cpp =
    {
        "and", "and_eq", "bitand", "bitor", "catch", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
        "consteval", "constinit", "const_cast", "co_await", "co_return", "co_yield", "decltype", "delete",
        "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
        "operator", "or", "or_eq", "private", "protected", "public", "reinterpret_cast", "requires", "static_cast",
        "template", "this", "throw", "try", "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq",
        "final", "override", "import", "module",
    };

    private static readonly string[] s_csharp =
    {
        "abstract", "as", "base", "byte", "checked", "decimal", "delegate", "event", "finally", "fixed", "foreach",
        "implicit", "in", "interface", "internal", "is", "lock", "null", "object", "out", "params", "readonly",
        "ref", "sbyte", "sealed", "stackalloc", "string", "typeof", "uint", "ulong", "unchecked", "unsafe",
        "ushort", "var", "dynamic", "await", "async", "yield", "nameof", "record", "global", "partial", "value",
        "when", "where", "select", "get", "set", "init", "add", "remove", "managed", "unmanaged", "notnull",
        "scoped", "file", "required", "field", "nint", "nuint", "args",
    };

    private static readonly string[] s_coq =
    {
        "_", "Axiom", "CoFixpoint", "Definition", "Fixpoint", "Hypothesis", "Parameter", "Theorem", "as", "at",
        "cofix", "else", "end", "exists", "exists2", "fix", "for", "forall", "fun", "if", "IF", "in", "let", "match",
        "mod", "return", "then", "using", "where", "with", "Lemma", "Qed", "Proof", "Admitted", "Defined",
        "Require", "Import", "Export", "Module", "Section", "End", "Variable", "Variables", "Hypotheses",
        "Inductive", "CoInductive", "Record", "Structure", "Class", "Instance", "Let", "Example", "Corollary",
        "Proposition", "Remark", "Fact", "Notation", "Infix", "Open", "Scope", "Local", "Global", "Set", "Unset",
        "Check", "Print", "Eval", "Compute", "Search", "Abort", "Ltac", "Context", "Type", "Prop", "SProp",
        "Goal", "Opaque", "Transparent", "Arguments", "Implicit", "Program", "Obligation", "Next", "Existing",
        "struct", "Polymorphic", "Monomorphic", "Universe", "Constraint", "Include", "From", "Canonical",
        "Coercion", "Hint", "Create", "Declare", "Scheme", "Combined", "Functional", "Equations", "Show",
    };

    private static readonly string[] s_yaml = { "true", "false", "null", "yes", "no", "on", "off", "y", "n" };

    private static readonly (string Language, HashSet<string> Words)[] s_languages =
    {
        ("C", new HashSet<string>(s_c, StringComparer.Ordinal)),
        ("C++", new HashSet<string>(s_c.Concat(s_cpp), StringComparer.Ordinal)),
        ("C#", new HashSet<string>(s_csharp.Concat(new[]
        {
            "bool", "break", "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else",
            "enum", "explicit", "extern", "false", "float", "for", "goto", "if", "int", "long", "namespace", "new",
            "operator", "private", "protected", "public", "return", "short", "sizeof", "static", "struct", "switch",
            "this", "throw", "true", "try", "using", "virtual", "void", "volatile", "while", "override", "const",
        }), StringComparer.Ordinal)),
        ("Coq", new HashSet<string>(s_coq, StringComparer.Ordinal)),
    };

    private static readonly HashSet<string> s_yamlWords = new(s_yaml, StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="name"/> is a valid name; otherwise why not, naming the target that forbids it.</summary>
    public static string? Check(string name)
    {
        if (name.Length == 0)
        {
            return "a name is not empty";
        }

        if (!IsIdentifierStart(name[0]) || !name.All(IsIdentifierPart))
        {
            return "a name is letters, digits and '_', not starting with a digit";
        }

        if (name.Length > MaxLength)
        {
            return "a name has at most " + MaxLength + " characters";
        }

        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            return "names starting with '__' are reserved in C, C++ and Prometheus";
        }

        if (name.StartsWith("sigil_", StringComparison.OrdinalIgnoreCase))
        {
            return "names starting with 'sigil_' are reserved for generated code";
        }

        var forbidding = s_languages.Where(l => l.Words.Contains(name)).Select(static l => l.Language).ToList();
        if (s_yamlWords.Contains(name))
        {
            forbidding.Add("YAML");
        }

        if (forbidding.Count > 0)
        {
            var what = forbidding.Count == 1 && forbidding[0] == "YAML" ? "a special scalar in YAML" : "a keyword in " + Join(forbidding);
            return "it is " + what;
        }

        return null;
    }

    private static string Join(List<string> words) =>
        words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " and " + words[words.Count - 1];

    private static bool IsIdentifierStart(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is >= '0' and <= '9';
}
