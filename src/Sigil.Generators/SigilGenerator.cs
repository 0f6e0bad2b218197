using Microsoft.CodeAnalysis;

namespace Sigil.Generators;

/// <summary>Compiles every <c>.sigil</c> AdditionalFile into C#.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class SigilGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
