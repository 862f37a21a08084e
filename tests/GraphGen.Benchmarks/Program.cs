using BenchmarkDotNet.Running;
using GraphGen.Benchmarks.Workloads;

// dotnet run -c Release --project tests/GraphGen.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
// dotnet run -c Release --project tests/GraphGen.Benchmarks -- workloads      (W1–W6 next to the peer: docs/workloads.md)
// bash tests/GraphGen.Benchmarks/compare.sh                                   (both sides alternately, a table of ratios)
switch (args)
{
    case [WorkloadRunner.Command, .. var rest]:
        return await WorkloadRunner.RunAsync(rest, Console.Out, Console.Error);
    case [WorkloadComparison.Command, .. var rest]:
        return WorkloadComparison.Run(rest, Console.Out, Console.Error);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
