using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using AlertHooks.Storage;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// The outbox on disk: one JSON file per delivery in the journal folder. Every write goes to a temporary file in
    /// the same folder that is then renamed over the record, so processes sharing the folder never corrupt a record
    /// and a reader never sees half of one. Files are created owner-only (0600 in a 0700 folder on Unix), because the
    /// replay part of a record holds the resolved URL and header values.
    /// </summary>
    public sealed class FileDeliveryJournal : IDeliveryJournal
    {
        private const string RecordExtension = ".json";
        private const string TempExtension = ".tmp";
        private const int SchemaVersion = 1;

        // A temporary file this old belongs to a writer that was killed between write and rename.
        private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);
        private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

        // When the folder was last pruned, by any process: pruning reads every record, so a week of a busy runbook's
        // records must not be read again by each of its processes.
        private const string PrunedMarker = ".pruned";

        // Environment.MachineName asks the kernel (uname) on every call.
        private static readonly Lazy<string> ThisMachine = new Lazy<string>(() => Environment.MachineName);

        private static readonly Lazy<(int Id, DateTimeOffset Started)> CurrentProcess = new Lazy<(int, DateTimeOffset)>(() =>
        {
            using (var process = Process.GetCurrentProcess())
            {
                return (process.Id, new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero));
            }
        });

        private readonly ConcurrentDictionary<string, AlertDelivery> _inFlight = new ConcurrentDictionary<string, AlertDelivery>(StringComparer.Ordinal);
        private readonly TimeProvider _time;

        public FileDeliveryJournal(string directory, TimeSpan? deliveredRetention = null, TimeProvider? timeProvider = null)
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                throw new ArgumentException("The journal needs a folder.", nameof(directory));
            }

            Directory = Path.GetFullPath(directory);
            DeliveredRetention = deliveredRetention ?? TimeSpan.FromDays(7);
            _time = timeProvider ?? TimeProvider.System;
        }

        /// <summary>The journal folder.</summary>
        public string Directory { get; }

        /// <summary>Delivered records older than this are pruned; failed and pending ones are kept until removed.</summary>
        public TimeSpan DeliveredRetention { get; }

        public void Begin(DeliveryRequest request)
        {
            var now = _time.GetUtcNow();
            var existing = Find(request.DeliveryId);
            var record = FromRequest(request);
            record.Status = DeliveryStatus.Pending;
            record.Created = existing?.Created ?? now;
            record.Updated = now;
            record.Attempts = existing?.Attempts ?? 0;
            record.LastStatusCode = existing?.LastStatusCode;
            record.Event ??= existing?.Event;
            Write(record);
            _inFlight[record.Id] = record;
        }

        public void Complete(DeliveryRequest request, DeliveryResult result)
        {
            var now = _time.GetUtcNow();
            if (!_inFlight.TryRemove(request.DeliveryId, out var record))
            {
                record = Find(request.DeliveryId) ?? FromRequest(request);
                if (record.Created == default)
                {
                    record.Created = now;
                }
            }

            record.MachineName = ThisMachine.Value;
            record.ProcessId = CurrentProcess.Value.Id;
            record.ProcessStarted = CurrentProcess.Value.Started;
            record.Status = result.Succeeded ? DeliveryStatus.Delivered : DeliveryStatus.Failed;
            record.Attempts += result.Attempts;
            record.LastStatusCode = result.StatusCode;
            record.Reason = result.Succeeded ? null : request.Scrub(result.Error);
            record.Updated = now;
            Write(record);
        }

        /// <summary>Every readable record, oldest first, and the files that could not be read.</summary>
        public JournalSnapshot Read()
        {
            var records = new List<AlertDelivery>();
            var problems = new List<JournalProblem>();
            foreach (var path in RecordFiles())
            {
                try
                {
                    records.Add(ReadFile(path));
                }
                catch (FileNotFoundException)
                {
                    // Removed by another process between listing and reading.
                }
                catch (Exception exception) when (IsUnreadable(exception))
                {
                    problems.Add(new JournalProblem(path, exception.Message));
                }
            }

            return new JournalSnapshot(records.OrderBy(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal).ToArray(), problems);
        }

        /// <summary>The record with this id, or null when there is none (or it cannot be read).</summary>
        public AlertDelivery? Find(string id)
        {
            if (!IsValidId(id))
            {
                return null;
            }

            // A new delivery has no record yet: that common case costs a stat here, not a thrown FileNotFoundException.
            var path = PathOf(id);
            if (!File.Exists(path))
            {
                return null;
            }

            try
            {
                return ReadFile(path);
            }
            catch (Exception exception) when (exception is FileNotFoundException || exception is DirectoryNotFoundException || IsUnreadable(exception))
            {
                return null;
            }
        }

        /// <summary>Removes a record; false when there was none.</summary>
        public bool Remove(string id)
        {
            if (!IsValidId(id))
            {
                return false;
            }

            var path = PathOf(id);
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }

        /// <summary>Prunes when no process pruned this folder in the last hour, so that opening the journal stays cheap.</summary>
        public int PruneIfDue()
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                return 0;
            }

            var now = _time.GetUtcNow();
            var marker = Path.Combine(Directory, PrunedMarker);
            var last = LastPruned(marker);
            if (last.HasValue && now >= last.Value && now - last.Value < PruneInterval)
            {
                return 0;
            }

            try
            {
                StateFile.WriteAtomic(marker, now.ToString("o", CultureInfo.InvariantCulture), flushToDisk: false);
                return Prune();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                return 0;
            }
        }

        private static DateTimeOffset? LastPruned(string marker)
        {
            try
            {
                return DateTimeOffset.Parse(File.ReadAllText(marker), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is FormatException)
            {
                return null;
            }
        }

        /// <summary>Deletes delivered records older than the retention and temporary files left by killed writers.</summary>
        public int Prune()
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                return 0;
            }

            var cutoff = _time.GetUtcNow() - DeliveredRetention;
            var pruned = 0;
            foreach (var record in Read().Records.Where(r => r.Status == DeliveryStatus.Delivered && r.Updated < cutoff))
            {
                pruned += Remove(record.Id) ? 1 : 0;
            }

            foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, "*" + TempExtension))
            {
                try
                {
                    if (DateTime.UtcNow - File.GetLastWriteTimeUtc(temp) > StaleTempAge)
                    {
                        File.Delete(temp);
                    }
                }
                catch (IOException)
                {
                }
            }

            return pruned;
        }

        /// <summary>Ids are file names: letters, digits, '_', '-' and '.', not leading with a dot.</summary>
        public static bool IsValidId(string? id) =>
            !string.IsNullOrEmpty(id) && id!.Length <= 128 && id[0] != '.'
            && id.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.');

        /// <summary>
        /// Whether a Pending record belongs to another process on this machine that is still running, so that its send
        /// may still be in flight. The process start time guards against a recycled process id.
        /// </summary>
        public static bool IsInFlightElsewhere(AlertDelivery delivery)
        {
            if (delivery.Status != DeliveryStatus.Pending || delivery.ProcessId == null
                || !string.Equals(delivery.MachineName, ThisMachine.Value, StringComparison.OrdinalIgnoreCase)
                || delivery.ProcessId == CurrentProcess.Value.Id)
            {
                return false;
            }

            try
            {
                using (var process = Process.GetProcessById(delivery.ProcessId.Value))
                {
                    return !process.HasExited && (delivery.ProcessStarted == null
                        || Math.Abs((process.StartTime.ToUniversalTime() - delivery.ProcessStarted.Value.UtcDateTime).TotalSeconds) < 1);
                }
            }
            catch (Exception exception) when (exception is ArgumentException || exception is InvalidOperationException || exception is System.ComponentModel.Win32Exception || exception is NotSupportedException)
            {
                return false;
            }
        }

        /// <summary>Rebuilds the request a record was made from, with the same delivery id, for replay.</summary>
        internal static DeliveryRequest ToRequest(AlertDelivery delivery)
        {
            var replay = delivery.Replay;
            var request = DeliveryPreparer.Create(replay.Url, replay.Headers, replay.Body ?? delivery.Body, delivery.Target, replay.Secrets);
            request.DeliveryId = delivery.Id;
            request.PolicyName = delivery.PolicyName;
            request.PolicyId = delivery.PolicyId;
            request.EventType = delivery.EventType;
            request.SigningSecret = replay.SigningSecret;
            request.Event = delivery.Event;
            return request;
        }

        private static AlertDelivery FromRequest(DeliveryRequest request)
        {
            var shownBody = request.Scrub(request.Body);
            return new AlertDelivery
            {
                Id = request.DeliveryId,
                PolicyName = request.PolicyName,
                PolicyId = request.PolicyId,
                EventType = request.EventType,
                Target = request.Target,
                Endpoint = request.Endpoint,
                Event = request.Event,
                Body = shownBody,
                Headers = request.Headers.ToDictionary(h => h.Key, h => Redactor.Mask, StringComparer.OrdinalIgnoreCase),
                IsSigned = !string.IsNullOrEmpty(request.SigningSecret),
                MachineName = ThisMachine.Value,
                ProcessId = CurrentProcess.Value.Id,
                ProcessStarted = CurrentProcess.Value.Started,
                Replay = new ReplaySecrets
                {
                    Url = request.Url.OriginalString,
                    Headers = request.Headers.ToList(),
                    Body = shownBody == request.Body ? null : request.Body,
                    SigningSecret = request.SigningSecret,
                    Secrets = request.Secrets.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).ToList(),
                },
            };
        }

        private string PathOf(string id) => Path.Combine(Directory, id + RecordExtension);

        private IEnumerable<string> RecordFiles()
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                return Array.Empty<string>();
            }

            return System.IO.Directory.EnumerateFiles(Directory, "*" + RecordExtension)
                .Where(p => !Path.GetFileName(p).StartsWith(".", StringComparison.Ordinal))
                .ToArray();
        }

        private void Write(AlertDelivery record)
        {
            if (!IsValidId(record.Id))
            {
                throw new ArgumentException($"'{record.Id}' cannot be a journal record id.", nameof(record));
            }

            // Only a failed record is flushed to disk before it counts: it is what a runbook's error points to and what
            // replay needs after anything, a power cut included. Flushing every Pending and Delivered record too cost
            // two fsyncs per alert, on the pipeline thread, and made bulk sends 3x slower (docs/benchmarks.md); without
            // them both still survive the sending process being killed at any moment.
            StateFile.WriteAtomic(PathOf(record.Id), Serialize(record), flushToDisk: record.Status == DeliveryStatus.Failed);
            record.Path = PathOf(record.Id);
        }

        private static bool IsUnreadable(Exception exception) =>
            exception is JsonException || exception is FormatException || exception is InvalidDataException
            || exception is KeyNotFoundException || exception is InvalidOperationException || exception is ArgumentException
            || (exception is IOException && !(exception is FileNotFoundException)) || exception is UnauthorizedAccessException;

        private static byte[] Serialize(AlertDelivery record)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                {
                    json.WriteStartObject();
                    json.WriteNumber("schema", SchemaVersion);
                    json.WriteString("id", record.Id);
                    json.WriteString("status", record.Status.ToString());
                    json.WriteString("policyName", record.PolicyName);
                    WriteNullable(json, "policyId", record.PolicyId);
                    WriteNullable(json, "eventType", record.EventType?.ToString());
                    json.WriteString("target", record.Target.ToString());
                    json.WriteString("endpoint", record.Endpoint);
                    json.WriteNumber("attempts", record.Attempts);
                    if (record.LastStatusCode.HasValue)
                    {
                        json.WriteNumber("lastStatusCode", record.LastStatusCode.Value);
                    }
                    else
                    {
                        json.WriteNull("lastStatusCode");
                    }

                    WriteNullable(json, "reason", record.Reason);
                    json.WriteString("created", record.Created.ToString("o", CultureInfo.InvariantCulture));
                    json.WriteString("updated", record.Updated.ToString("o", CultureInfo.InvariantCulture));
                    json.WriteBoolean("signed", record.IsSigned);
                    WriteNullable(json, "machine", record.MachineName);
                    if (record.ProcessId.HasValue)
                    {
                        json.WriteNumber("processId", record.ProcessId.Value);
                    }

                    WriteNullable(json, "processStarted", record.ProcessStarted?.ToString("o", CultureInfo.InvariantCulture));
                    json.WriteStartObject("headers");
                    foreach (var header in record.Headers)
                    {
                        json.WriteString(header.Key, header.Value);
                    }

                    json.WriteEndObject();
                    json.WriteString("body", record.Body);
                    WriteEvent(json, record.Event);

                    json.WriteStartObject("replay");
                    json.WriteString("url", record.Replay.Url);
                    json.WriteStartArray("headers");
                    foreach (var header in record.Replay.Headers)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", header.Key);
                        json.WriteString("value", header.Value);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    WriteNullable(json, "body", record.Replay.Body);
                    WriteNullable(json, "signingSecret", record.Replay.SigningSecret);
                    json.WriteStartArray("secrets");
                    foreach (var secret in record.Replay.Secrets)
                    {
                        json.WriteStringValue(secret);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                return buffer.ToArray();
            }
        }

        private static void WriteEvent(Utf8JsonWriter json, AlertEvent? alertEvent)
        {
            if (alertEvent == null)
            {
                json.WriteNull("event");
                return;
            }

            json.WriteStartObject("event");
            json.WriteString("eventType", alertEvent.EventType.ToString());
            json.WriteBoolean("isSample", alertEvent.IsSample);
            json.WriteString("occurredAt", alertEvent.OccurredAt.ToString("o", CultureInfo.InvariantCulture));
            json.WriteStartObject("tokens");
            foreach (var token in alertEvent.Tokens)
            {
                json.WriteString(token.Key, token.Value is DateTimeOffset time ? time.ToString("o", CultureInfo.InvariantCulture) : (string)token.Value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
        {
            if (value == null)
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteString(name, value);
            }
        }

        private static AlertDelivery ReadFile(string path)
        {
            byte[] bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            using (var document = JsonDocument.Parse(bytes))
            {
                var root = document.RootElement;
                var record = new AlertDelivery
                {
                    Id = root.GetProperty("id").GetString() ?? throw new InvalidDataException("The record has no id."),
                    Status = ParseEnum<DeliveryStatus>(root.GetProperty("status").GetString()),
                    PolicyName = root.GetProperty("policyName").GetString() ?? string.Empty,
                    PolicyId = OptionalString(root, "policyId"),
                    EventType = OptionalString(root, "eventType") is string type ? ParseEnum<AlertEventType>(type) : (AlertEventType?)null,
                    Target = ParseEnum<TargetKind>(root.GetProperty("target").GetString()),
                    Endpoint = root.GetProperty("endpoint").GetString() ?? string.Empty,
                    Attempts = root.GetProperty("attempts").GetInt32(),
                    LastStatusCode = root.TryGetProperty("lastStatusCode", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : (int?)null,
                    Reason = OptionalString(root, "reason"),
                    Created = ParseTime(root.GetProperty("created").GetString()),
                    Updated = ParseTime(root.GetProperty("updated").GetString()),
                    IsSigned = root.TryGetProperty("signed", out var signed) && signed.ValueKind == JsonValueKind.True,
                    Body = root.GetProperty("body").GetString() ?? string.Empty,
                    MachineName = OptionalString(root, "machine"),
                    ProcessId = root.TryGetProperty("processId", out var pid) && pid.ValueKind == JsonValueKind.Number ? pid.GetInt32() : (int?)null,
                    ProcessStarted = OptionalString(root, "processStarted") is string started ? ParseTime(started) : (DateTimeOffset?)null,
                    Path = path,
                };

                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var header in root.GetProperty("headers").EnumerateObject())
                {
                    headers[header.Name] = header.Value.GetString() ?? string.Empty;
                }

                record.Headers = headers;
                record.Event = ReadEvent(root);

                var replay = root.GetProperty("replay");
                record.Replay = new ReplaySecrets
                {
                    Url = replay.GetProperty("url").GetString() ?? string.Empty,
                    Headers = replay.GetProperty("headers").EnumerateArray()
                        .Select(h => new KeyValuePair<string, string>(h.GetProperty("name").GetString() ?? string.Empty, h.GetProperty("value").GetString() ?? string.Empty))
                        .ToList(),
                    Body = OptionalString(replay, "body"),
                    SigningSecret = OptionalString(replay, "signingSecret"),
                    Secrets = replay.GetProperty("secrets").EnumerateArray().Select(s => s.GetString() ?? string.Empty).ToList(),
                };
                return record;
            }
        }

        private static AlertEvent? ReadEvent(JsonElement root)
        {
            if (!root.TryGetProperty("event", out var element) || element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var tokens = element.GetProperty("tokens").EnumerateObject()
                .Select(t => new KeyValuePair<string, object?>(t.Name, t.Value.GetString()))
                .ToList();
            try
            {
                return new AlertEvent(
                    ParseEnum<AlertEventType>(element.GetProperty("eventType").GetString()),
                    tokens,
                    element.TryGetProperty("isSample", out var sample) && sample.ValueKind == JsonValueKind.True,
                    ParseTime(element.GetProperty("occurredAt").GetString()));
            }
            catch (Exception exception) when (exception is UnknownTokenException || exception is TokenNotAvailableException || exception is ArgumentException)
            {
                // The catalog changed since the record was written: the rendered body still replays.
                return null;
            }
        }

        private static string? OptionalString(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static T ParseEnum<T>(string? text)
            where T : struct =>
            Enum.TryParse<T>(text, ignoreCase: false, out var value) ? value : throw new InvalidDataException($"'{text}' is not a {typeof(T).Name}.");

        private static DateTimeOffset ParseTime(string? text) =>
            DateTimeOffset.ParseExact(text ?? string.Empty, "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    /// <summary>What a read of the journal found: the records, and the files that are not records.</summary>
    public sealed class JournalSnapshot
    {
        public JournalSnapshot(IReadOnlyList<AlertDelivery> records, IReadOnlyList<JournalProblem> problems)
        {
            Records = records;
            Problems = problems;
        }

        public IReadOnlyList<AlertDelivery> Records { get; }
        public IReadOnlyList<JournalProblem> Problems { get; }
    }

    /// <summary>A journal file that could not be read as a record (corrupt, truncated, or not ours).</summary>
    public sealed class JournalProblem
    {
        public JournalProblem(string path, string message)
        {
            Path = path;
            Message = message;
        }

        public string Path { get; }
        public string Message { get; }

        public override string ToString() => $"{Path}: {Message}";
    }

    /// <summary>Opens the journal a configuration points at, pruning it when due.</summary>
    public static class DeliveryJournals
    {
        public static FileDeliveryJournal Open(Configuration configuration, TimeProvider? timeProvider = null)
        {
            var journal = new FileDeliveryJournal(configuration.EffectiveJournalPath, TimeSpan.FromDays(configuration.DeliveredRetentionDays), timeProvider);
            journal.PruneIfDue();
            return journal;
        }
    }
}
