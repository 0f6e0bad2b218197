using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Emit;
using Sigil.Language.Emit.Templates;

namespace Sigil.Language.Tests;

/// <summary>
/// The one template configuration every emitter renders with (Emit/Templates/TemplateSet): a
/// template that names what the model lacks fails with the template's file and line, never
/// with empty text, and the failure reaches the user as SIG9999.
/// </summary>
public sealed class TemplateTests
{
    private sealed record Item(string Name);

    private sealed record Model(string Fibre, IReadOnlyList<Item> Items, IReadOnlyList<Item> None, string Empty, int Zero, Item? Price = null);

    private static readonly Model s_model = new("dwell", new[] { new Item("a"), new Item("b") }, new Item[0], "", 0);

    private static TemplateSet Set(params (string Name, string Text)[] templates) =>
        new("test", name => templates.FirstOrDefault(t => t.Name == name).Text);

    [Fact]
    public void ANameTheModelLacks_FailsWithTheTemplatesFileAndLine()
    {
        var set = Set(("page", "fibre {{ Fibre }}\nmap {{ Fibrr }}_stats\n"));

        var e = Assert.Throws<TemplateException>(() => set.Render("page", s_model));

        Assert.Equal("templates/test/page.scriban", e.File);
        Assert.Equal(2, e.Line);
        Assert.Equal(8, e.Column);
        Assert.Contains("Fibrr", e.Problem);
        Assert.StartsWith("templates/test/page.scriban(2,8): ", e.Message);
    }

    [Fact]
    public void AMemberAnItemLacks_FailsWithTheTemplatesFileAndLine()
    {
        var set = Set(("page", "{{~ for item in Items ~}}\n{{ item.Name }} {{ item.Size }}\n{{~ end ~}}\n"));

        var e = Assert.Throws<TemplateException>(() => set.Render("page", s_model));

        Assert.Equal(("templates/test/page.scriban", 2), (e.File, e.Line));
        Assert.Contains("Size", e.Problem);
    }

    [Fact]
    public void ANameTheModelLacksInAnIncludedTemplate_NamesTheIncludedFile()
    {
        var set = Set(("page", "head\n{{~ include 'part' ~}}\n"), ("part", "\n\n{{ Missing }}\n"));

        var e = Assert.Throws<TemplateException>(() => set.Render("page", s_model));

        Assert.Equal(("templates/test/part.scriban", 3), (e.File, e.Line));
    }

    [Fact]
    public void AMemberOfNull_FailsWithTheTemplatesFileAndLine()
    {
        var set = Set(("page", "{{ if Price }}kill{{ end }}\n{{ Price.Name }}\n"));

        var e = Assert.Throws<TemplateException>(() => set.Render("page", s_model));

        Assert.Equal(("templates/test/page.scriban", 2), (e.File, e.Line));
    }

    [Fact]
    public void AMissingInclude_FailsAtTheIncludeLine()
    {
        var set = Set(("page", "head\n{{~ include 'sensor_gone' ~}}\n"));

        var e = Assert.Throws<TemplateException>(() => set.Render("page", s_model));

        Assert.Equal(("templates/test/page.scriban", 2), (e.File, e.Line));
        Assert.Contains("templates/test/sensor_gone.scriban", e.Problem);
    }

    [Fact]
    public void AMultiLineValue_IsPlacedAsItIs_NotReindented()
    {
        var set = Set(("page", "  {{ Fibre }}\n"));

        Assert.Equal("  first\nsecond\n", set.Render("page", s_model with { Fibre = "first\nsecond" }));
    }

    [Fact]
    public void ASyntaxError_FailsWithTheTemplatesFileAndLine()
    {
        var set = Set(("page", "ok\n{{ if Fibre }}\nnever closed\n"));

        var e = Assert.Throws<TemplateException>(() => set.Render("page", s_model));

        Assert.Equal("templates/test/page.scriban", e.File);
        Assert.True(e.Line >= 2, e.Message);
    }

    [Fact]
    public void AStandaloneBlockLine_LeavesNoLineBehind_AndTruthIsTheTemplates()
    {
        // The converted templates rely on both: {{~ ... ~}} on its own line renders nothing, not
        // even its newline; an empty list, "" and 0 are false.
        var set = Set(("page", "start\n  {{~ for item in Items ~}}\n  - {{ item.Name }}\n  {{~ end ~}}\n{{ if None }}none{{ end }}{{ if Empty }}empty{{ end }}{{ if Zero }}zero{{ end }}{{ if !None }}no items{{ end }}\n"));

        Assert.Equal("start\n  - a\n  - b\nno items\n", set.Render("page", s_model));
    }

    [Fact]
    public void ADictionaryModel_RendersByKey_AndAMissingKeyFails()
    {
        var set = Set(("page", "{{ name }}\n{{ namespace }}\n"));

        Assert.Throws<TemplateException>(() => set.Render("page", new Dictionary<string, object> { ["name"] = "sigil" }));
        Assert.Equal("sigil\nsigil-system\n", set.Render("page", new Dictionary<string, object> { ["name"] = "sigil", ["namespace"] = "sigil-system" }));
    }

    [Fact]
    public void ATemplateFailure_IsSig9999AtTheFibresFile_QuotingTheTemplatesLocation()
    {
        var spec = Fibres.Spec("dwell");
        var failure = new TemplateException("templates/bpf/fibre.h.scriban", 12, 5, "The variable or function `Nope` was not found");

        var diagnostic = ArtefactEmitter.InternalError(spec, "fibres/dwell.sigil", "emitting", failure);

        Assert.Equal("SIG9999", diagnostic.Id);
        Assert.Equal("fibres/dwell.sigil", diagnostic.FilePath);
        Assert.Contains("templates/bpf/fibre.h.scriban(12,5): The variable or function `Nope` was not found", diagnostic.Message);
    }

    [Fact]
    public void EveryEmbeddedTemplate_IsScriban_AndNoHandlebarsIsLeft()
    {
        var resources = typeof(TemplateSet).Assembly.GetManifestResourceNames().Where(static r => r.StartsWith("templates/", System.StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(resources);
        Assert.All(resources, static r => Assert.EndsWith(TemplateSet.Extension, r));
        Assert.DoesNotContain(typeof(TemplateSet).Assembly.GetReferencedAssemblies(), static a => a.Name!.StartsWith("Handlebars", System.StringComparison.Ordinal));
    }
}
