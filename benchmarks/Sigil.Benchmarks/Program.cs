namespace Sigil.Benchmarks;

internal static class Program
{
    private static int Main(string[] args) => args is ["proofs", ..] ? Proofs.ProofsBenchmark.Run(args[1..]) : 0;
}
