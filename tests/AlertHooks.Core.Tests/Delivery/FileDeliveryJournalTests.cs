using System.Text;
using AlertHooks.Delivery;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AlertHooks.Tests.Delivery;

public sealed class FileDeliveryJournalTests : IDisposable
{
    private const string HeaderSecret = "sentinel-header-5b1d";
    private const string QuerySecret = "sentinel-query-77aa";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "alerthooks-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static DeliveryRequest Request(string url = "http://127.0.0.1:9/hooks/ops?token=" + QuerySecret)
    {
        var policy = new AlertPolicy("ops", new[] { AlertEventType.JobFailure }, url, """{"text":"{{alert_summary}}"}""",
            new Dictionary<string, string> { ["Authorization"] = "Bearer " + HeaderSecret });
        var alertEvent = new AlertEvent(AlertEventType.JobFailure, new Dictionary<string, object?>
        {
            ["job_name"] = "daily_etl",
            ["start_time"] = new DateTimeOffset(2026, 1, 8, 10, 0, 0, TimeSpan.FromHours(1)),
        });
        return DeliveryPreparer.Prepare(policy, alertEvent, new RenderSettings());
    }

    private static DeliveryResult Result(DeliveryRequest request, bool succeeded, int? status, int attempts = 1, string? error = null) => new()
    {
        DeliveryId = request.DeliveryId,
        PolicyName = request.PolicyName,
        Succeeded = succeeded,
        StatusCode = status,
        Attempts = attempts,
        Error = error,
    };

    private static string PublicPart(string path)
    {
        // Everything a person reads in the file: all of it but the replay section.
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
        var builder = new StringBuilder();
        foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Name != "replay"))
        {
            builder.Append(property.Name).Append('=').Append(property.Value.GetRawText()).Append('\n');
        }

        return builder.ToString();
    }

    [Fact]
    public void ARecordIsPendingFromBeforeTheFirstAttemptAndDeliveredAfterTheLast()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var journal = new FileDeliveryJournal(_folder, timeProvider: time);
        var request = Request();

        journal.Begin(request);

        var pending = journal.Find(request.DeliveryId)!;
        Assert.Equal(DeliveryStatus.Pending, pending.Status);
        Assert.Equal(request.DeliveryId, pending.Id);
        Assert.StartsWith("msg_", pending.Id);
        Assert.Equal("ops", pending.PolicyName);
        Assert.Equal(request.PolicyId, pending.PolicyId);
        Assert.Equal(AlertEventType.JobFailure, pending.EventType);
        Assert.Equal(0, pending.Attempts);
        Assert.Equal(time.GetUtcNow(), pending.Created);
        Assert.Equal("""{"text":"Job daily_etl failed"}""", pending.Body);
        Assert.Equal("http://127.0.0.1:9/hooks/ops?token=***", pending.Endpoint);
        Assert.Equal("***", pending.Headers["Authorization"]);
        Assert.Equal("daily_etl", pending.Event!.GetText("job_name"));
        Assert.Equal(new DateTimeOffset(2026, 1, 8, 10, 0, 0, TimeSpan.FromHours(1)), pending.Event.Tokens["start_time"]);
        Assert.Equal(Path.Combine(_folder, request.DeliveryId + ".json"), pending.Path);

        time.Advance(TimeSpan.FromSeconds(3));
        journal.Complete(request, Result(request, succeeded: true, status: 200, attempts: 2));

        var delivered = Assert.Single(journal.Read().Records);
        Assert.Equal(DeliveryStatus.Delivered, delivered.Status);
        Assert.Equal(2, delivered.Attempts);
        Assert.Equal(200, delivered.LastStatusCode);
        Assert.Null(delivered.Reason);
        Assert.Equal(pending.Created, delivered.Created);
        Assert.Equal(pending.Created + TimeSpan.FromSeconds(3), delivered.Updated);
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void NoSecretIsWrittenInClearIntoTheFieldsAPersonReads()
    {
        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        journal.Begin(request);
        journal.Complete(request, Result(request, succeeded: false, status: 401, error: $"HTTP 401: token {QuerySecret} rejected for Bearer {HeaderSecret}"));

        var file = Path.Combine(_folder, request.DeliveryId + ".json");
        var shown = PublicPart(file);
        Assert.DoesNotContain("sentinel-", shown);
        var record = journal.Find(request.DeliveryId)!;
        Assert.Equal(DeliveryStatus.Failed, record.Status);
        Assert.Equal("HTTP 401: token *** rejected for ***", record.Reason);
        Assert.DoesNotContain("sentinel-", record.Endpoint + record.Body + string.Join(",", record.Headers.Values) + record.Reason);

        // Replay needs them: they are in the owner-only part of the same file.
        Assert.Contains(HeaderSecret, File.ReadAllText(file));
    }

    [Fact]
    public void ABodyWithAnEnvironmentSecretIsShownMaskedAndReplayedInFull()
    {
        var policy = new AlertPolicy("env", new[] { AlertEventType.JobFailure }, "http://127.0.0.1:9/", """{"text":"{{ env.ALERTHOOKS_JOURNAL_TEST }}"}""");
        var settings = new RenderSettings { Environment = name => name == "ALERTHOOKS_JOURNAL_TEST" ? "sentinel-env-9911" : null };
        var request = DeliveryPreparer.Prepare(policy, SampleEvents.Create(AlertEventType.JobFailure), settings);
        var journal = new FileDeliveryJournal(_folder);

        journal.Begin(request);

        var record = journal.Find(request.DeliveryId)!;
        Assert.Equal("""{"text":"***"}""", record.Body);
        Assert.DoesNotContain("sentinel-", PublicPart(record.Path));
        Assert.Equal("""{"text":"sentinel-env-9911"}""", FileDeliveryJournal.ToRequest(record).Body);
    }

    [Fact]
    public async Task ReplayCarriesTheSameIdempotencyKeyAndUpdatesTheRecordInPlace()
    {
        using var receiver = new AlertReceiver(responses: new[] { new ReceiverResponse(503) });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var journal = new FileDeliveryJournal(_folder, timeProvider: time);
        var first = Request(receiver.Url + "hooks?token=" + QuerySecret);
        journal.Begin(first);
        journal.Complete(first, await new WebhookClient().SendAsync(first, CancellationToken.None));
        var failed = Assert.Single(journal.Read().Records);
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Equal(503, failed.LastStatusCode);

        time.Advance(TimeSpan.FromMinutes(5));
        var replay = FileDeliveryJournal.ToRequest(failed);
        journal.Begin(replay);
        journal.Complete(replay, await new WebhookClient().SendAsync(replay, CancellationToken.None));

        var record = Assert.Single(journal.Read().Records);
        Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal(first.DeliveryId, record.Id);
        Assert.Equal(DeliveryStatus.Delivered, record.Status);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(failed.Created, record.Created);
        Assert.Equal("daily_etl", record.Event!.GetText("job_name"));

        Assert.Equal(2, receiver.RequestCount);
        Assert.All(receiver.Requests, r => Assert.Equal(first.DeliveryId, r.Headers[WebhookClient.IdempotencyHeader]));
        Assert.All(receiver.Requests, r => Assert.Equal("Bearer " + HeaderSecret, r.Headers["Authorization"]));
        Assert.All(receiver.Requests, r => Assert.Equal("/hooks?token=" + QuerySecret, r.Path));
        Assert.Equal(receiver.Requests[0].BodyBytes, receiver.Requests[1].BodyBytes);
    }

    [Fact]
    public void AHalfWrittenFileIsNeverReadAndACorruptOneIsReportedNotFatal()
    {
        var journal = new FileDeliveryJournal(_folder);
        var good = Request();
        journal.Begin(good);
        var goodText = File.ReadAllText(Path.Combine(_folder, good.DeliveryId + ".json"));
        // A writer killed before its rename leaves a temporary file; one that does not write atomically leaves a torn record.
        File.WriteAllText(Path.Combine(_folder, ".msg_killed.0123.tmp"), goodText[..(goodText.Length / 2)]);
        File.WriteAllText(Path.Combine(_folder, "msg_torn.json"), goodText[..(goodText.Length / 3)]);

        var snapshot = journal.Read();

        Assert.Equal(good.DeliveryId, Assert.Single(snapshot.Records).Id);
        var problem = Assert.Single(snapshot.Problems);
        Assert.EndsWith("msg_torn.json", problem.Path);
        Assert.Null(journal.Find("msg_torn"));
    }

    [Fact]
    public void RecordsAreReadableByTheirOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        journal.Begin(request);
        journal.Complete(request, Result(request, succeeded: false, status: 500));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, request.DeliveryId + ".json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
    }

    [Fact]
    public void DeliveredRecordsArePrunedAfterTheRetentionAndFailedOrPendingOnesAreKept()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var journal = new FileDeliveryJournal(_folder, TimeSpan.FromDays(7), time);
        var delivered = Request();
        var failed = Request();
        var pending = Request();
        journal.Begin(delivered);
        journal.Complete(delivered, Result(delivered, succeeded: true, status: 200));
        journal.Begin(failed);
        journal.Complete(failed, Result(failed, succeeded: false, status: 500));
        journal.Begin(pending);
        time.Advance(TimeSpan.FromDays(6));
        var recent = Request();
        journal.Begin(recent);
        journal.Complete(recent, Result(recent, succeeded: true, status: 200));

        Assert.Equal(0, journal.Prune());
        time.Advance(TimeSpan.FromDays(1.5));
        Assert.Equal(1, journal.Prune());

        var left = journal.Read().Records.Select(r => r.Id).OrderBy(i => i).ToArray();
        Assert.Equal(new[] { failed.DeliveryId, pending.DeliveryId, recent.DeliveryId }.OrderBy(i => i).ToArray(), left);
    }

    [Fact]
    public void OpeningTheConfiguredJournalPrunesWithTheConfiguredRetentionAndClearsStaleTempFiles()
    {
        var configuration = new Configuration { HomePath = _folder, DeliveredRetentionDays = 2 };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var journal = DeliveryJournals.Open(configuration, time);
        Assert.Equal(Path.Combine(_folder, "journal"), journal.Directory);
        var old = Request();
        journal.Begin(old);
        journal.Complete(old, Result(old, succeeded: true, status: 200));
        var stale = Path.Combine(journal.Directory, ".msg_killed.1.tmp");
        var fresh = Path.Combine(journal.Directory, ".msg_writing.2.tmp");
        File.WriteAllText(stale, "{");
        File.WriteAllText(fresh, "{");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));

        time.Advance(TimeSpan.FromDays(3));
        var reopened = DeliveryJournals.Open(configuration, time);

        Assert.Empty(reopened.Read().Records);
        Assert.False(File.Exists(stale), "a temp file a killed writer left is cleared");
        Assert.True(File.Exists(fresh), "a temp file being written now is left alone");
    }

    [Fact]
    public void PruningOnOpenHappensAtMostHourlyWhicheverProcessDidIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        FileDeliveryJournal Reopen() => new FileDeliveryJournal(_folder, TimeSpan.FromDays(2), time);
        var journal = Reopen();
        var old = Request();
        journal.Begin(old);
        journal.Complete(old, Result(old, succeeded: true, status: 200));
        time.Advance(TimeSpan.FromDays(3));
        // Another process pruned ten minutes ago; the marker is all this process knows of it.
        File.WriteAllText(Path.Combine(_folder, ".pruned"), time.GetUtcNow().AddMinutes(-10).ToString("o"));

        Assert.Equal(0, Reopen().PruneIfDue());
        Assert.NotNull(journal.Find(old.DeliveryId));

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, Reopen().PruneIfDue());
        Assert.Null(journal.Find(old.DeliveryId));
        Assert.Empty(journal.Read().Problems);

        var again = Request();
        journal.Begin(again);
        journal.Complete(again, Result(again, succeeded: true, status: 200));
        time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, Reopen().PruneIfDue());
        Assert.Equal(0, Reopen().PruneIfDue());
    }

    [Fact]
    public async Task ConcurrentWritersLoseAndCorruptNothing()
    {
        // Four journals on one folder stand for four processes; the Pester suite does the same with real processes.
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var journal = new FileDeliveryJournal(_folder);
            var ids = new List<string>();
            for (var i = 0; i < 100; i++)
            {
                var request = Request();
                journal.Begin(request);
                journal.Complete(request, Result(request, succeeded: i % 3 != 0, status: i % 3 != 0 ? 200 : 503));
                ids.Add(request.DeliveryId);
            }

            return ids;
        })).ToArray();

        var written = (await Task.WhenAll(writers)).SelectMany(i => i).ToHashSet();

        var snapshot = new FileDeliveryJournal(_folder).Read();
        Assert.Empty(snapshot.Problems);
        Assert.Equal(400, snapshot.Records.Count);
        Assert.Equal(written, snapshot.Records.Select(r => r.Id).ToHashSet());
        Assert.All(snapshot.Records, r => Assert.NotEqual(DeliveryStatus.Pending, r.Status));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public async Task AReaderNeverSeesARecordHalfReplaced()
    {
        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        journal.Begin(request);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                journal.Complete(request, Result(request, succeeded: false, status: 500, error: new string('x', 20_000 + i)));
            }
        });

        var reads = 0;
        var reader = new FileDeliveryJournal(_folder);
        while (!writer.IsCompleted)
        {
            var snapshot = reader.Read();
            Assert.Empty(snapshot.Problems);
            Assert.Single(snapshot.Records);
            reads++;
        }

        await writer;
        Assert.True(reads > 0);
        Assert.Equal(200, journal.Find(request.DeliveryId)!.Attempts);
    }

    [Fact]
    public void APendingRecordOfAnotherLiveProcessIsInFlightUntilThatProcessIsGone()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        journal.Begin(request);
        var own = journal.Find(request.DeliveryId)!;
        Assert.Equal(Environment.ProcessId, own.ProcessId);
        Assert.False(FileDeliveryJournal.IsInFlightElsewhere(own), "this process may replay its own pending records");

        using var other = System.Diagnostics.Process.Start("sleep", "30");
        own.ProcessId = other.Id;
        own.ProcessStarted = other.StartTime.ToUniversalTime();
        Assert.True(FileDeliveryJournal.IsInFlightElsewhere(own));

        other.Kill();
        other.WaitForExit();
        Assert.False(FileDeliveryJournal.IsInFlightElsewhere(own));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    public void IdsThatAreNotPlainFileNamesAreRefused(string id)
    {
        var journal = new FileDeliveryJournal(_folder);
        Assert.False(FileDeliveryJournal.IsValidId(id));
        Assert.Null(journal.Find(id));
        Assert.False(journal.Remove(id));
    }
}
