using System;
using System.Threading;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language;

public static partial class SigilCompiler
{
    // Placeholder until the front end (parser, binder, lowerer) lands: every compile reports that.
    private static partial CompilationResult CompileCore(SourceFile source, Func<string, string?> readTable, CancellationToken cancellationToken)
        => new(null, EquatableArray.Create(new DiagnosticInfo("SIG9999", DiagnosticSeverity.Error, "the sigil front end is not built yet", source.Path, default, default)));
}
