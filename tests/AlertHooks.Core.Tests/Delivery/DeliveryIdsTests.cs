using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using AlertHooks.Delivery;
using Xunit;

namespace AlertHooks.Tests.Delivery;

public sealed class DeliveryIdsTests
{
    [Fact]
    public void IdsAreMsgAnd32HexDigitsAndNeverRepeatAcrossThreads()
    {
        var ids = new ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                ids.Add(DeliveryIds.Next());
            }
        });

        Assert.Equal(80_000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids.Take(100), id => Assert.Matches(new Regex("^msg_[0-9a-f]{32}$"), id));
        Assert.True(FileDeliveryJournal.IsValidId(ids.First()));
    }

    [Fact]
    public void EachThreadDrawsItsOwnRandomPrefix()
    {
        var prefixes = Enumerable.Range(0, 16)
            .Select(_ => Task.Factory.StartNew(() => DeliveryIds.Next()[..20], TaskCreationOptions.LongRunning))
            .Select(t => t.Result)
            .ToArray();

        Assert.Equal(prefixes.Length, prefixes.Distinct(StringComparer.Ordinal).Count());
    }
}
