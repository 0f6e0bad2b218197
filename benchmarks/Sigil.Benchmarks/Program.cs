namespace Sigil.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["llvm", ..])
        {
            return Llvm.LlvmSuite.Run(args[1..]);
        }

        return 0;
    }
}
