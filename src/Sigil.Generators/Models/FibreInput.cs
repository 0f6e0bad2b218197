using Sigil.Language.Model;

namespace Sigil.Generators.Models;

/// <summary>
/// One fibre file as the pipeline sees it: its path and text, the tables it can read, and the
/// namespace to generate into. Value-equatable (strings and equatable arrays only), so an
/// unrelated edit leaves it equal and the compile step cached.
/// </summary>
/// <param name="Path">The file's path.</param>
/// <param name="Text">The file's text.</param>
/// <param name="Tables">Every table file of the compilation.</param>
/// <param name="Namespace">The namespace of the generated types.</param>
internal sealed record FibreInput(string Path, string Text, EquatableArray<TableFile> Tables, string Namespace);

/// <summary>A table file: full path and text.</summary>
/// <param name="Path">The file's path.</param>
/// <param name="Text">The file's text.</param>
internal sealed record TableFile(string Path, string Text);
