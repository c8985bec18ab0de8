using System.Net;
using System.Text;
using AlertHooks.Delivery;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AlertHooks.Tests.Delivery;

/// <summary>One request the fake endpoint took, stamped with fake time.</summary>
internal sealed record FakeCall(DateTimeOffset At, Uri Url, IReadOnlyDictionary<string, string> Headers, string Body, int Status);

/// <summary>
/// An in-memory endpoint on the fake clock: answers from a script (then 200), can hang or refuse connections,
/// and can enforce a rate the way the receiver's -RateLimit does. Nothing leaves the process.
/// </summary>
internal sealed class FakeWebhook : HttpMessageHandler
{
    private readonly FakeTimeProvider _time;
    private readonly Queue<Func<HttpResponseMessage?>> _script = new();
    private readonly List<FakeCall> _calls = new();

    public FakeWebhook(FakeTimeProvider time) => _time = time;

    public ReceiverRateLimit? RateLimit { get; set; }

    public bool HangForever { get; set; }

    /// <summary>When set, answers every request with the status it gives for the URL (before the script).</summary>
    public Func<Uri, int?>? StatusFor { get; set; }

    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return _calls.ToArray();
            }
        }
    }

    public FakeWebhook Respond(int status, string? body = null, params (string Name, string Value)[] headers)
    {
        _script.Enqueue(() =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body ?? string.Empty, Encoding.UTF8) };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        });
        return this;
    }

    public FakeWebhook Refuse()
    {
        _script.Enqueue(() => throw new HttpRequestException("Connection refused (127.0.0.1:9)"));
        return this;
    }

    public FakeWebhook Hang()
    {
        _script.Enqueue(() => null);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        Func<HttpResponseMessage?> next;
        lock (_script)
        {
            next = RateLimit != null && !RateLimit.TryTake()
                ? () => new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent("rate_limited"), Headers = { { "Retry-After", "1" } } }
                : StatusFor?.Invoke(request.RequestUri!) is int fixedStatus ? () => new HttpResponseMessage((HttpStatusCode)fixedStatus) { Content = new StringContent(fixedStatus >= 500 ? "rollup_error" : "ok") }
                : _script.Count > 0 ? _script.Dequeue() : HangForever ? () => null : () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") };
        }

        HttpResponseMessage? response;
        try
        {
            response = next();
        }
        catch (HttpRequestException)
        {
            Record(request, headers, body, 0);
            throw;
        }

        Record(request, headers, body, response == null ? 0 : (int)response.StatusCode);
        if (response == null)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return response!;
    }

    private void Record(HttpRequestMessage request, IReadOnlyDictionary<string, string> headers, string body, int status)
    {
        lock (_calls)
        {
            _calls.Add(new FakeCall(_time.GetUtcNow(), request.RequestUri!, headers, body, status));
        }
    }
}

/// <summary>Builds engines on a fake clock and runs them, advancing time until the work is done.</summary>
internal sealed class FakeClockRig
{
    public FakeClockRig(DateTimeOffset? start = null, double jitter = 1.0)
    {
        Time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 1, 8, 10, 0, 0, TimeSpan.Zero));
        Endpoints = new EndpointPipelines(Time, () => jitter);
        Webhook = new FakeWebhook(Time);
        Http = new HttpClient(Webhook) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public FakeTimeProvider Time { get; }
    public EndpointPipelines Endpoints { get; }
    public FakeWebhook Webhook { get; }
    public HttpClient Http { get; }
    public List<string> Notes { get; } = new();

    public DeliveryEngine Engine(DeliveryOptions? options = null, IDeliveryJournal? journal = null)
    {
        var engine = new DeliveryEngine(options, journal, Endpoints, Http);
        engine.Verbose = (_, text) =>
        {
            lock (Notes)
            {
                Notes.Add(text);
            }
        };
        return engine;
    }

    public static DeliveryRequest Request(string url = "http://127.0.0.1:9/hook", TargetKind? target = null, string? body = null,
        IDictionary<string, string>? headers = null, string? signingSecret = null)
    {
        var policy = new AlertPolicy("ops", new[] { AlertEventType.JobFailure }, url, body ?? SmallestValidBody(target), headers);
        if (target.HasValue)
        {
            policy.Target = target.Value;
        }

        policy.SigningSecret = signingSecret;
        return DeliveryPreparer.Prepare(policy, SampleEvents.Create(AlertEventType.JobFailure), new RenderSettings());
    }

    /// <summary>A body the target's validator accepts: these tests are about delivery, not payloads.</summary>
    private static string SmallestValidBody(TargetKind? target) => target switch
    {
        TargetKind.Discord => """{"content":"{{alert_summary}}","allowed_mentions":{"parse":[]}}""",
        TargetKind.Teams => """{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"{{alert_summary}}"}]}}]}""",
        TargetKind.PagerDuty => """{"routing_key":"0123456789abcdef0123456789abcdef","event_action":"trigger","dedup_key":"{{run_id}}","payload":{"summary":"{{alert_summary}}","source":"dagster","severity":"error"}}""",
        _ => """{"text":"{{alert_summary}}"}""",
    };

    /// <summary>Advances the fake clock in small steps until every task is done (real time: milliseconds).</summary>
    public async Task<T> Run<T>(Task<T> work, int stepMs = 50)
    {
        for (var i = 0; i < 200_000 && !work.IsCompleted; i++)
        {
            await Task.Delay(1);

            // Let queued continuations run first, so that the clock rarely moves while the engine is between waits.
            for (var spin = 0; spin < 20 && ThreadPool.PendingWorkItemCount > 0; spin++)
            {
                await Task.Delay(1);
            }

            if (!work.IsCompleted)
            {
                Time.Advance(TimeSpan.FromMilliseconds(stepMs));
            }
        }

        Assert.True(work.IsCompleted, "the delivery never finished on the fake clock");
        return await work;
    }

    public Task<DeliveryResult> Deliver(DeliveryEngine engine, DeliveryRequest request, CancellationToken cancellationToken = default) =>
        Run(engine.DeliverAsync(request, cancellationToken));
}
