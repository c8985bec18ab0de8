using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AlertHooks.Benchmarks.SlackPresetRendering).Assembly).Run(args);
