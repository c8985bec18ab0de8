using AlertHooks.Delivery;
using BenchmarkDotNet.Attributes;

namespace AlertHooks.Benchmarks;

/// <summary>
/// What the delivery journal costs a bulk send: 1,000 alerts to 10 loopback receivers through the delivery engine,
/// with no journal and with the file journal (a Pending line before each first attempt, a Delivered line after).
/// The receivers run in this process, so the figures compare the two rows, not the sender with anything else.
/// </summary>
[MemoryDiagnoser]
public class JournalledDelivery
{
    private const int Endpoints = 10;
    private const int AlertsPerEndpoint = 100;

    private readonly List<AlertReceiver> _receivers = new();
    private readonly List<AlertPolicy> _policies = new();
    private readonly RenderSettings _settings = new();
    private string _journalFolder = string.Empty;
    private DeliveryEngine _engine = null!;

    [Params("none", "file")]
    public string Journal { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Endpoints; i++)
        {
            var receiver = new AlertReceiver();
            _receivers.Add(receiver);
            _policies.Add(new AlertPolicy($"bulk-{i}", new[] { AlertEventType.JobFailure }, receiver.Url + "hooks/" + i, """{"text":"{{alert_summary}}"}"""));
        }

        _journalFolder = Path.Combine(Path.GetTempPath(), "alerthooks-bench-journal-" + Guid.NewGuid().ToString("N"));
        IDeliveryJournal journal = Journal == "file" ? new FileDeliveryJournal(_journalFolder) : NullDeliveryJournal.Instance;
        _engine = new DeliveryEngine(new DeliveryOptions(), journal, new EndpointPipelines());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _receivers.ForEach(r => r.Dispose());
        if (Directory.Exists(_journalFolder))
        {
            Directory.Delete(_journalFolder, recursive: true);
        }
    }

    [Benchmark(Description = "1,000 alerts to 10 endpoints")]
    public async Task<int> Deliver()
    {
        var deliveries = new List<Task<DeliveryResult>>(Endpoints * AlertsPerEndpoint);
        for (var n = 0; n < AlertsPerEndpoint; n++)
        {
            var alertEvent = new AlertEvent(AlertEventType.JobFailure, new Dictionary<string, object?> { ["job_name"] = "job" + n });
            foreach (var policy in _policies)
            {
                deliveries.Add(_engine.DeliverAsync(DeliveryPreparer.Prepare(policy, alertEvent, _settings), CancellationToken.None));
            }
        }

        var results = await Task.WhenAll(deliveries);
        _receivers.ForEach(r => r.Clear());
        var delivered = results.Count(r => r.Succeeded);
        return delivered == results.Length ? delivered : throw new InvalidOperationException($"{results.Length - delivered} alerts were not delivered.");
    }
}
