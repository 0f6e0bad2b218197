// Solves the cache fibre (cache.sigil) for a few threads and prints each resource's price.
// The build generated SigilFibre.CacheFibre from cache.sigil: CreateProblem, Solve, Members, Parameters...
using SigilFibre;

const int threads = 4;
var problem = CacheFibre.CreateProblem(threads);
var result = CacheFibre.Solve(problem);
Console.WriteLine($"fibre {CacheFibre.Name}: {threads} threads over {CacheFibre.Members.Domain.Count} cache domains, "
    + $"status {result.Status} after {result.Iterations} iterations");

// Rows come in the order of the couple statements: @llc[d] for each domain, then @cpu[d], then placed[t].
var domains = CacheFibre.Members.Domain;
for (var d = 0; d < domains.Count; d++)
{
    Print($"@llc[{domains[d]}]", d, "MiB");
}

for (var d = 0; d < domains.Count; d++)
{
    Print($"@cpu[{domains[d]}]", domains.Count + d, "cpu");
}

void Print(string resource, int row, string unit) =>
    Console.WriteLine($"price {resource} = {result.Prices[row]:G6} (load {result.Loads[row]:G6} of {problem.Capacity[row]:G6} {unit})");
