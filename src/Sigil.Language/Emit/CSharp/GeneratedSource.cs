namespace Sigil.Language.Emit.CSharp;

/// <summary>One generated C# file.</summary>
/// <param name="HintName">The file's hint name, <c>&lt;Fibre&gt;.&lt;Part&gt;.g.cs</c>.</param>
/// <param name="Text">The C# text.</param>
public sealed record GeneratedSource(string HintName, string Text);
