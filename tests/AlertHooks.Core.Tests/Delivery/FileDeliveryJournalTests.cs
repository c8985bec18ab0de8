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
        // Everything a person reads in the file: every line of it but the replay section.
        var builder = new StringBuilder();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Name != "replay"))
            {
                builder.Append(property.Name).Append('=').Append(property.Value.GetRawText()).Append('\n');
            }
        }

        return builder.ToString();
    }

    // A log as a process that is no longer running would have left it: its own name, this journal's lines.
    private string LeaveLogOfAGoneProcess(FileDeliveryJournal journal)
    {
        var gone = Enumerable.Range(4_000_000, 1000).First(id => !LogOwner.IsRunning(id, null));
        var orphan = Path.Combine(_folder, $"{LogOwner.SafeMachineName(Environment.MachineName)}_{gone}_{DateTime.UtcNow.AddMinutes(-5).Ticks}_1.log");
        File.Move(journal.CurrentLogPath!, orphan);
        return orphan;
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
        Assert.Equal(journal.CurrentLogPath, pending.Path);
        Assert.StartsWith(_folder, pending.Path);

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
    public void TheEndOfADeliveryIsALineOfWhatChangedAndReadsAsTheWholeRecord()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var journal = new FileDeliveryJournal(_folder, timeProvider: time);
        var request = Request();
        journal.Begin(request);
        time.Advance(TimeSpan.FromSeconds(5));
        journal.Complete(request, Result(request, succeeded: false, status: 503, attempts: 3, error: "503 Service Unavailable"));

        var lines = File.ReadAllLines(journal.CurrentLogPath!);
        Assert.Equal(2, lines.Length);
        using (var outcome = System.Text.Json.JsonDocument.Parse(lines[1]))
        {
            var names = outcome.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal("Failed", outcome.RootElement.GetProperty("outcome").GetString());
            Assert.DoesNotContain("body", names);
            Assert.DoesNotContain("event", names);
            Assert.DoesNotContain("replay", names);
        }

        Assert.True(lines[1].Length * 3 < lines[0].Length, $"The outcome line ({lines[1].Length} chars) should be a fraction of the record ({lines[0].Length}).");
        var failed = Assert.Single(journal.Read().Records);
        Assert.Equal((DeliveryStatus.Failed, 3, 503, "503 Service Unavailable"), (failed.Status, failed.Attempts, failed.LastStatusCode, failed.Reason));
        Assert.Equal((time.GetUtcNow() - TimeSpan.FromSeconds(5), time.GetUtcNow()), (failed.Created, failed.Updated));
        Assert.Equal("""{"text":"Job daily_etl failed"}""", failed.Body);
        Assert.Equal("daily_etl", failed.Event!.GetText("job_name"));
        Assert.Equal("***", failed.Headers["Authorization"]);
        Assert.Equal(journal.CurrentLogPath, failed.Path);
        Assert.Equal(Environment.ProcessId, failed.ProcessId);

        // What replay needs comes from the Pending line.
        var replay = FileDeliveryJournal.ToRequest(failed);
        Assert.Equal((request.Url, request.DeliveryId), (replay.Url, replay.DeliveryId));
        Assert.Contains(replay.Headers, h => h.Value == "Bearer " + HeaderSecret);
    }

    [Fact]
    public void AnOutcomeWithoutItsRecordIsReportedAndLeftOut()
    {
        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        journal.Begin(request);
        journal.Complete(request, Result(request, succeeded: true, status: 200));
        var log = journal.CurrentLogPath!;
        File.WriteAllText(log, File.ReadAllLines(log)[1] + "\n");

        var snapshot = journal.Read();

        Assert.Empty(snapshot.Records);
        var problem = Assert.Single(snapshot.Problems);
        Assert.Equal(log, problem.Path);
        Assert.Contains(request.DeliveryId, problem.Message);
        Assert.Null(journal.Find(request.DeliveryId));
    }

    [Fact]
    public void CompactionKeepsTheRecordOfAnOutcomeInALogStillWrittenAndWritesCompletedRecordsWhole()
    {
        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        journal.Begin(request);
        var gone = LeaveLogOfAGoneProcess(journal);
        journal.Complete(request, Result(request, succeeded: true, status: 200));
        // The outcome stands in a log another machine still writes; the Pending line it completes, in a log compacted now.
        var foreign = Path.Combine(_folder, "other-host_4242_638000000000000000_1.log");
        File.Move(journal.CurrentLogPath!, foreign);

        journal.Prune();

        Assert.False(File.Exists(gone));
        Assert.True(File.Exists(foreign));
        var delivered = Assert.Single(journal.Read().Records);
        Assert.Equal((DeliveryStatus.Delivered, """{"text":"Job daily_etl failed"}"""), (delivered.Status, delivered.Body));
        Assert.Empty(journal.Read().Problems);

        // Once nobody writes that log either, the record is compacted as one whole line.
        var alsoGone = Path.Combine(_folder, Path.GetFileName(gone).Replace("_1.log", "_2.log"));
        File.Move(foreign, alsoGone);
        journal.Prune();
        var line = Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(_folder, "*.log"))));
        Assert.Contains("\"status\":\"Delivered\"", line);
        Assert.Contains("\"replay\"", line);
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(journal.Read().Records).Status);
    }

    [Fact]
    public void NoSecretIsWrittenInClearIntoTheFieldsAPersonReads()
    {
        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        journal.Begin(request);
        journal.Complete(request, Result(request, succeeded: false, status: 401, error: $"HTTP 401: token {QuerySecret} rejected for Bearer {HeaderSecret}"));

        var file = journal.CurrentLogPath!;
        Assert.Equal(2, File.ReadAllLines(file).Length);
        var shown = PublicPart(file);
        Assert.DoesNotContain("sentinel-", shown);
        var record = journal.Find(request.DeliveryId)!;
        Assert.Equal(DeliveryStatus.Failed, record.Status);
        Assert.Equal("HTTP 401: token *** rejected for ***", record.Reason);
        Assert.DoesNotContain("sentinel-", record.Endpoint + record.Body + string.Join(",", record.Headers.Values) + record.Reason);

        // Replay needs them: they are in the owner-only part of the same lines.
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
    public void AHalfWrittenLineIsNeverReadAndACorruptOneIsReportedNotFatal()
    {
        var journal = new FileDeliveryJournal(_folder);
        var good = Request();
        journal.Begin(good);
        var goodLine = File.ReadAllText(journal.CurrentLogPath!).TrimEnd('\n');
        // A writer killed mid-write leaves a line without its newline; a disk error can leave a broken line before good ones.
        var later = Request();
        File.WriteAllText(Path.Combine(_folder, "host_1_2_1.log"), goodLine.Replace(good.DeliveryId, later.DeliveryId) + "\n" + goodLine[..(goodLine.Length / 2)]);
        File.WriteAllText(Path.Combine(_folder, "host_3_4_1.log"), "{\"id\":\"msg_broken\"\n" + goodLine.Replace(good.DeliveryId, "msg_after_the_break") + "\n");
        // An earlier version's one-file record, torn by a writer that did not write atomically; its temporary files are not records.
        File.WriteAllText(Path.Combine(_folder, ".msg_killed.0123.tmp"), goodLine[..(goodLine.Length / 2)]);
        File.WriteAllText(Path.Combine(_folder, "msg_torn.json"), goodLine[..(goodLine.Length / 3)]);

        var snapshot = journal.Read();

        Assert.Equal(new[] { good.DeliveryId, later.DeliveryId, "msg_after_the_break" }.Order(), snapshot.Records.Select(r => r.Id).Order());
        Assert.Equal(new[] { Path.Combine(_folder, "host_3_4_1.log") + ":1", Path.Combine(_folder, "msg_torn.json") }.Order(), snapshot.Problems.Select(p => p.Path).Order());
        Assert.Null(journal.Find("msg_torn"));
        Assert.Null(journal.Find("msg_broken"));
    }

    [Fact]
    public void ATokenThatLooksLikeAnotherLineOrAnotherRecordStaysInsideItsOwnLine()
    {
        var hostile = "line one\nline two \" \\ \u2028 \u2029 \U0001F600 {\"id\":\"msg_forged\",\"status\":\"Delivered\"}\r\n\0";
        var policy = new AlertPolicy("ops", new[] { AlertEventType.JobFailure }, "http://127.0.0.1:9/", """{"text":"{{failure_message}}"}""");
        var request = DeliveryPreparer.Prepare(policy, new AlertEvent(AlertEventType.JobFailure, new Dictionary<string, object?> { ["job_name"] = "x", ["failure_message"] = hostile }), new RenderSettings());
        var journal = new FileDeliveryJournal(_folder);

        journal.Begin(request);
        journal.Complete(request, Result(request, succeeded: false, status: 500));

        Assert.Equal(2, File.ReadAllLines(journal.CurrentLogPath!).Length);
        var record = Assert.Single(journal.Read().Records);
        Assert.Equal(hostile, record.Event!.GetText("failure_message"));
        Assert.Equal(request.Body, FileDeliveryJournal.ToRequest(record).Body);
        Assert.Null(journal.Find("msg_forged"));
    }

    [Fact]
    public void ARecordFileAnEarlierVersionWroteIsReadReplayedAndRemoved()
    {
        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        // Completed without a Pending line of this process's: written whole, as earlier versions wrote each record file.
        journal.Complete(request, Result(request, succeeded: false, status: 500));
        var line = Assert.Single(File.ReadAllLines(journal.CurrentLogPath!));
        File.Delete(journal.CurrentLogPath!);
        var legacy = Path.Combine(_folder, request.DeliveryId + ".json");
        File.WriteAllText(legacy, line);

        var failed = Assert.Single(journal.Read().Records);
        Assert.Equal((DeliveryStatus.Failed, legacy), (failed.Status, failed.Path));

        var replay = FileDeliveryJournal.ToRequest(failed);
        journal.Begin(replay);
        journal.Complete(replay, Result(replay, succeeded: true, status: 200));
        var delivered = Assert.Single(journal.Read().Records);
        Assert.Equal((DeliveryStatus.Delivered, 2), (delivered.Status, delivered.Attempts));

        Assert.True(journal.Remove(request.DeliveryId));
        Assert.Empty(journal.Read().Records);
        Assert.False(File.Exists(legacy));
        Assert.False(journal.Remove(request.DeliveryId));
    }

    [Fact]
    public async Task ABurstOfDeliveriesIsWrittenInAFewAppendsAndEveryRecordIsKept()
    {
        var journal = new FileDeliveryJournal(_folder);
        var requests = Enumerable.Range(0, 1000).Select(_ => Request()).ToArray();

        await Task.WhenAll(requests.Select(r => Task.Run(() => journal.BeginAsync(r))));
        await Task.WhenAll(requests.Select(r => Task.Run(() => journal.CompleteAsync(r, Result(r, succeeded: true, status: 200)))));

        var lines = File.ReadAllLines(journal.CurrentLogPath!);
        Assert.Equal(2000, lines.Length);
        var snapshot = journal.Read();
        Assert.Empty(snapshot.Problems);
        Assert.Equal(requests.Select(r => r.DeliveryId).Order(), snapshot.Records.Select(r => r.Id).Order());
        Assert.All(snapshot.Records, r => Assert.Equal(DeliveryStatus.Delivered, r.Status));
    }

    [Fact]
    public void TheLogIsNotHeldOpenBetweenBurstsAndADeletedOneIsStartedAgain()
    {
        var journal = new FileDeliveryJournal(_folder);
        var first = Request();
        journal.Begin(first);
        journal.Complete(first, Result(first, succeeded: true, status: 200));
        var log = journal.CurrentLogPath!;

        // On Windows an open file keeps its folder from being deleted (a Pester TestDrive, a folder cleared by hand).
        if (OperatingSystem.IsLinux())
        {
            var open = Directory.GetFiles("/proc/self/fd").Select(fd => new FileInfo(fd).LinkTarget).Where(t => t == log);
            Assert.Empty(open);
        }

        Directory.Delete(_folder, recursive: true);
        var second = Request();
        journal.Begin(second);

        Assert.Equal(log, journal.CurrentLogPath);
        Assert.Equal(second.DeliveryId, Assert.Single(journal.Read().Records).Id);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
        }
    }

    [Fact]
    public void TheLogStaysOpenWhileDeliveriesAreUnderWayAndOneDeletedMeanwhileIsStartedAgain()
    {
        var journal = new FileDeliveryJournal(_folder);
        var first = Request();
        journal.Begin(first);
        var log = journal.CurrentLogPath!;
        bool IsOpen() => Directory.GetFiles("/proc/self/fd").Any(fd => new FileInfo(fd).LinkTarget == log);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(IsOpen());
        }

        File.Delete(log);
        var second = Request();
        journal.Begin(second);
        Assert.True(File.Exists(log));
        Assert.Equal(second.DeliveryId, Assert.Single(journal.Read().Records).Id);

        journal.Complete(second, Result(second, succeeded: true, status: 200));
        journal.Complete(first, Result(first, succeeded: true, status: 200));
        if (OperatingSystem.IsLinux())
        {
            Assert.False(IsOpen());
        }

        // The first delivery's Pending line went with the deleted file: its outcome is reported, not taken for a record.
        var snapshot = journal.Read();
        Assert.Equal((second.DeliveryId, DeliveryStatus.Delivered), (Assert.Single(snapshot.Records).Id, snapshot.Records[0].Status));
        Assert.Contains(first.DeliveryId, Assert.Single(snapshot.Problems).Message);
    }

    [Fact]
    public void PruningCompactsTheLogsNobodyWritesAndKeepsEveryLiveRecord()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var journal = new FileDeliveryJournal(_folder, TimeSpan.FromDays(7), time);
        var old = Request();
        var failed = Request();
        var pending = Request();
        journal.Begin(old);
        journal.Complete(old, Result(old, succeeded: true, status: 200));
        journal.Begin(failed);
        journal.Complete(failed, Result(failed, succeeded: false, status: 503));
        journal.Begin(pending);
        var orphan = LeaveLogOfAGoneProcess(journal);
        time.Advance(TimeSpan.FromDays(8));
        var recent = Request();
        journal.Begin(recent);
        journal.Complete(recent, Result(recent, succeeded: true, status: 200));

        Assert.Equal(1, journal.Prune());

        Assert.False(File.Exists(orphan));
        var compacted = Assert.Single(Directory.GetFiles(_folder, "compacted_*.log"));
        // Only the latest line of each record, of the ones that are kept: this process's own log was compacted too.
        Assert.Equal(3, File.ReadAllLines(compacted).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(compacted));
        var left = journal.Read().Records.ToDictionary(r => r.Id, r => r.Status);
        Assert.Equal(new Dictionary<string, DeliveryStatus> { [failed.DeliveryId] = DeliveryStatus.Failed, [pending.DeliveryId] = DeliveryStatus.Pending, [recent.DeliveryId] = DeliveryStatus.Delivered }, left);

        // The next record starts a new segment; compacting again merges the compacted log, nothing is lost.
        journal.Complete(pending, Result(pending, succeeded: true, status: 200));
        Assert.Equal(0, journal.Prune());
        Assert.Equal(DeliveryStatus.Delivered, journal.Find(pending.DeliveryId)!.Status);
        Assert.Equal(3, journal.Read().Records.Count);
        Assert.Single(Directory.GetFiles(_folder, "*.log"));
    }

    [Fact]
    public void ARemovalOutranksTheRecordInALogAnotherProcessStillWrites()
    {
        var journal = new FileDeliveryJournal(_folder);
        var request = Request();
        journal.Begin(request);
        journal.Complete(request, Result(request, succeeded: false, status: 500));
        // Another machine's log is never taken as abandoned.
        var foreign = Path.Combine(_folder, "other-host_4242_638000000000000000_1.log");
        File.Move(journal.CurrentLogPath!, foreign);

        Assert.True(journal.Remove(request.DeliveryId));
        Assert.Null(journal.Find(request.DeliveryId));

        journal.Prune();
        Assert.True(File.Exists(foreign));
        Assert.Null(journal.Find(request.DeliveryId));
        Assert.Empty(journal.Read().Records);
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

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(journal.CurrentLogPath!));
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
