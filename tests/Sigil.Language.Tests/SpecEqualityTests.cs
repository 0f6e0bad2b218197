using System.Text.RegularExpressions;
using Sigil.Language.Model;

namespace Sigil.Language.Tests;

/// <summary>
/// The spec quotes statements as text with comments dropped and white space collapsed, so edits
/// that touch only comments and layout leave it equal (the generator then skips re-emitting).
/// </summary>
public sealed class SpecEqualityTests
{
    [Theory]
    [InlineData("dwell")]
    [InlineData("atp")]
    [InlineData("cache")]
    public void CommentOnlyEdits_LeaveTheSpecEqual(string name)
    {
        var original = Fibres.Text(name);
        var spec = Compile(original);

        var edits = new[]
        {
            Regex.Replace(original, "//[^\n]*", "// reworded"),
            "// a new first line\n/* and a block\n   comment */\n" + original,
            original.Replace(";\n", "; // trailing note\n"),
            original.Replace("\n", "\n\n"),
            original.Replace("    ", "\t"),
            original.Replace(" ", "  "),
            original.Replace("\n", "\r\n"),
        };

        foreach (var edit in edits)
        {
            Assert.NotEqual(original, edit);
            var edited = Compile(edit);
            Assert.Equal(spec, edited);
            Assert.Equal(spec.GetHashCode(), edited.GetHashCode());
        }
    }

    [Fact]
    public void RealEdit_ChangesTheSpec()
    {
        var original = Fibres.Text("dwell");
        Assert.NotEqual(Compile(original), Compile(original.Replace("param budget : s = 5.0;", "param budget : s = 6.0;")));
        Assert.NotEqual(Compile(original), Compile(original.Replace("max 10240", "max 4096")));
    }

    [Fact]
    public void SourceFileName_IsTheFileNameOnly()
    {
        var text = Fibres.Text("dwell");
        var a = SigilCompiler.Compile(new SourceFile("/home/a/project/fibres/dwell.sigil", text)).Spec;
        var b = SigilCompiler.Compile(new SourceFile("C:\\work\\dwell.sigil", text)).Spec;
        Assert.Equal("dwell.sigil", a!.SourceFileName);
        Assert.Equal(a, b);
    }

    private static FibreSpec Compile(string text)
    {
        var result = Fibres.CompileText(text, "fibre.sigil");
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }
}
