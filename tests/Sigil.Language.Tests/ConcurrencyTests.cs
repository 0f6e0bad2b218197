using System.Linq;
using System.Threading.Tasks;
using Sigil.Testing;

namespace Sigil.Language.Tests;

/// <summary>The generator compiles fibres on several threads at once; results must not depend on that.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public void Compile_OnManyThreadsAtOnce_GivesTheSequentialResults()
    {
        var mutator = new FibreMutator(5);
        var inputs = new[] { Fibres.Text("dwell"), Fibres.Text("atp"), Fibres.Text("cache") }
            .Concat(mutator.Generate(new[] { Fibres.Text("dwell"), Fibres.Text("atp"), Fibres.Text("cache") }, 300))
            .ToArray();
        var sequential = inputs.Select(static t => Fibres.CompileText(t)).ToArray();
        var parallel = new CompilationResult[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Fibres.CompileText(inputs[i]));
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }
}
