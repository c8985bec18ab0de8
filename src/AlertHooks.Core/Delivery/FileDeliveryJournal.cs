using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AlertHooks.Storage;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// The outbox on disk. Each process appends its records to its own log in the journal folder (<see cref="JournalLog"/>):
    /// one JSON record a line, the newest line of a delivery id being its state. A reader merges every log of the folder
    /// (and the one-file-per-record <c>.json</c> files earlier versions wrote), so processes sharing the folder never
    /// write the same file, and a line still being written is never read as a record. Pruning compacts the logs nobody
    /// writes any more into one. Files are owner-only (0600 in a 0700 folder on Unix), because the replay part of a
    /// record holds the resolved URL and header values.
    /// </summary>
    public sealed class FileDeliveryJournal : IDeliveryJournal
    {
        private const string RecordExtension = ".json";
        private const string TempExtension = ".tmp";
        private const int SchemaVersion = 1;
        private const string CompactionLock = ".compact.lock";

        // A temporary file this old belongs to a writer that was killed between write and rename.
        private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);
        private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);
        private static readonly TimeSpan CompactionLockWait = TimeSpan.FromSeconds(30);

        // When the folder was last pruned, by any process: pruning reads every record, so a week of a busy runbook's
        // records must not be read again by each of its processes.
        private const string PrunedMarker = ".pruned";

        // Environment.MachineName asks the kernel (uname) on every call.
        private static readonly Lazy<string> ThisMachine = new Lazy<string>(() => Environment.MachineName);

        // The process that writes this process's log; its start time tells a recycled process id apart.
        private static readonly Lazy<(int Id, DateTimeOffset Started)> CurrentProcess = new Lazy<(int, DateTimeOffset)>(() =>
            (LogOwner.Current.ProcessId, new DateTimeOffset(LogOwner.Current.StartedTicks, TimeSpan.Zero)));

        private readonly ConcurrentDictionary<string, AlertDelivery> _inFlight = new ConcurrentDictionary<string, AlertDelivery>(StringComparer.Ordinal);
        private readonly TimeProvider _time;
        private JournalLog? _log;

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

        /// <summary>The log this process appends to in this folder, looked up once (every alert appends to it twice).</summary>
        private JournalLog Log => _log ??= JournalLog.For(Directory);

        /// <summary>The log this process appends to in this folder, or null before its first record here.</summary>
        public string? CurrentLogPath => JournalLog.Existing(Directory)?.CurrentPath;

        public Task BeginAsync(DeliveryRequest request)
        {
            var now = _time.GetUtcNow();
            // A replay starts from the record it came from; a new delivery has none, and is not looked for.
            var existing = request.Replayed;
            var record = FromRequest(request);
            record.Status = DeliveryStatus.Pending;
            record.Created = existing?.Created ?? now;
            record.Updated = now;
            record.Attempts = existing?.Attempts ?? 0;
            record.LastStatusCode = existing?.LastStatusCode;
            record.Event ??= existing?.Event;
            if (_inFlight.TryAdd(record.Id, record))
            {
                Log.DeliveryStarted();
            }
            else
            {
                _inFlight[record.Id] = record;
            }

            return WriteAsync(record);
        }

        public Task CompleteAsync(DeliveryRequest request, DeliveryResult result)
        {
            var now = _time.GetUtcNow();
            var started = _inFlight.TryRemove(request.DeliveryId, out var record);
            if (started)
            {
                Log.DeliveryEnded();
            }
            else
            {
                record = request.Replayed ?? Find(request.DeliveryId) ?? FromRequest(request);
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
            // The Pending line holds the rest, once it is in the log (the writer sets the path); if it never got there,
            // this line has to be the whole record.
            return WriteAsync(record, outcomeOnly: started && !string.IsNullOrEmpty(record.Path));
        }

        /// <summary>Journals a delivery before its first attempt and returns once the record is in the file.</summary>
        public void Begin(DeliveryRequest request) => BeginAsync(request).GetAwaiter().GetResult();

        /// <summary>Journals a delivery after its last attempt and returns once the record is in the file.</summary>
        public void Complete(DeliveryRequest request, DeliveryResult result) => CompleteAsync(request, result).GetAwaiter().GetResult();

        /// <summary>Every readable record, oldest first, and the lines or files that could not be read.</summary>
        public JournalSnapshot Read()
        {
            var scan = Scan();
            var records = scan.Latest.Values.Where(v => v.Record != null).Select(v => v.Record!);
            return new JournalSnapshot(records.OrderBy(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal).ToArray(), scan.Problems);
        }

        /// <summary>The record with this id, or null when there is none (or it cannot be read).</summary>
        public AlertDelivery? Find(string id)
        {
            if (!IsValidId(id))
            {
                return null;
            }

            return Scan().Latest.TryGetValue(id, out var latest) ? latest.Record : null;
        }

        /// <summary>Removes a record; false when there was none.</summary>
        public bool Remove(string id)
        {
            var record = Find(id);
            if (record == null)
            {
                return false;
            }

            Remove(record);
            return true;
        }

        /// <summary>Removes a record read from this journal: a removal line in this process's log, and its own file if it has one.</summary>
        public void Remove(AlertDelivery record)
        {
            if (!IsValidId(record.Id))
            {
                throw new ArgumentException($"'{record.Id}' cannot be a journal record id.", nameof(record));
            }

            // Older lines of the record may stand in logs other processes still write: the removal line outranks them.
            Log.AppendAsync(SerializeRemoval(record.Id, _time.GetUtcNow()), durable: false).GetAwaiter().GetResult();
            var file = PathOf(record.Id);
            if (File.Exists(file))
            {
                File.Delete(file);
            }
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

        /// <summary>
        /// Drops delivered records older than the retention and compacts every log nobody writes any more (those of
        /// processes that are gone, closed segments, earlier compactions, this process's own) into one; clears temporary
        /// files left by killed writers. Returns how many records were pruned.
        /// </summary>
        public int Prune()
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                return 0;
            }

            using (StateFile.Lock(Path.Combine(Directory, CompactionLock), CompactionLockWait))
            {
                // This process's next record starts a new segment, so that the records it has written can be compacted too.
                JournalLog.Existing(Directory)?.Rotate();
                var scan = Scan();
                var compactable = new HashSet<string>(scan.Logs.Where(log => IsCompactable(log, scan.Logs)), StringComparer.Ordinal);
                var cutoff = _time.GetUtcNow() - DeliveredRetention;
                var kept = new List<byte[]>();
                var pruned = 0;
                foreach (var latest in scan.Latest.Values)
                {
                    var record = latest.Record;
                    var expired = record != null && record.Status == DeliveryStatus.Delivered && record.Updated < cutoff;
                    var elsewhere = scan.SourcesOf[latest.Id].Any(s => !compactable.Contains(s) && s != latest.Source);
                    if (latest.Source.EndsWith(RecordExtension, StringComparison.Ordinal))
                    {
                        if (expired)
                        {
                            if (elsewhere)
                            {
                                kept.Add(SerializeRemoval(latest.Id, _time.GetUtcNow()));
                            }

                            File.Delete(latest.Source);
                            pruned++;
                        }

                        continue;
                    }

                    if (!compactable.Contains(latest.Source))
                    {
                        // An outcome in a log still being written ends a record whose line may stand in one compacted now.
                        if (latest.Whole != null && compactable.Contains(latest.Whole.Source))
                        {
                            kept.Add(latest.Whole.Line);
                        }

                        continue;
                    }

                    if (expired)
                    {
                        pruned++;
                    }

                    if (record != null && !expired)
                    {
                        // An outcome is kept as the whole record it completes: a compacted log holds only whole records.
                        kept.Add(latest.Outcome != null ? Serialize(record) : latest.Line);
                    }
                    else if (elsewhere)
                    {
                        // Older lines of it stand in a log still being written: keep a removal line that outranks them.
                        kept.Add(record == null ? latest.Line : SerializeRemoval(latest.Id, latest.Updated));
                    }
                }

                if (kept.Count > 0)
                {
                    StateFile.WriteAtomic(Path.Combine(Directory, LogOwner.CompactedFileName()), JoinLines(kept), flushToDisk: true);
                }

                foreach (var log in compactable)
                {
                    DeleteIfThere(log);
                }

                // A record file an earlier version wrote, since replayed or removed through a log: the log line is newer.
                foreach (var file in scan.RecordFiles.Where(f => scan.Latest.Values.All(v => v.Source != f)))
                {
                    DeleteIfThere(file);
                }

                DeleteStaleTempFiles();
                return pruned;
            }
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

            return LogOwner.IsRunning(delivery.ProcessId.Value, delivery.ProcessStarted?.UtcDateTime);
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
            request.Replayed = delivery;
            return request;
        }

        private static AlertDelivery FromRequest(DeliveryRequest request)
        {
            var shownBody = request.Scrub(request.Body);
            var shownHeaders = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var header in request.Headers)
            {
                shownHeaders[header.Key] = Redactor.Mask;
            }

            var secrets = new List<string>(request.Secrets.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var secret in request.Secrets)
            {
                if (!string.IsNullOrEmpty(secret) && seen.Add(secret))
                {
                    secrets.Add(secret);
                }
            }

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
                Headers = shownHeaders,
                IsSigned = !string.IsNullOrEmpty(request.SigningSecret),
                MachineName = ThisMachine.Value,
                ProcessId = CurrentProcess.Value.Id,
                ProcessStarted = CurrentProcess.Value.Started,
                Replay = new ReplaySecrets
                {
                    Url = request.Url.OriginalString,
                    Headers = new List<KeyValuePair<string, string>>(request.Headers),
                    Body = shownBody == request.Body ? null : request.Body,
                    SigningSecret = request.SigningSecret,
                    Secrets = secrets,
                },
            };
        }

        private string PathOf(string id) => Path.Combine(Directory, id + RecordExtension);

        /// <param name="record">The record as it stands now.</param>
        /// <param name="outcomeOnly">Write only what the end of a delivery changes (<see cref="SerializeOutcome"/>), for a delivery whose Pending line this process wrote.</param>
        private Task WriteAsync(AlertDelivery record, bool outcomeOnly = false)
        {
            if (!IsValidId(record.Id))
            {
                throw new ArgumentException($"'{record.Id}' cannot be a journal record id.", nameof(record));
            }

            // Serialized now, on the caller's thread: the record object goes on changing after this call.
            var line = outcomeOnly ? SerializeOutcome(record) : Serialize(record);
            // Only a failed record is flushed to disk before it counts: it is what a runbook's error points to and what
            // replay needs after anything, a power cut included. Pending and Delivered lines survive the sending process
            // being killed at any moment without it (the kernel holds them).
            return Log.AppendAsync(line, durable: record.Status == DeliveryStatus.Failed, written: record);
        }

        private bool IsCompactable(string log, IReadOnlyList<string> logs)
        {
            if (!LogOwner.TryParse(log, out var owner, out var segment))
            {
                return true;
            }

            if (string.Equals(log, CurrentLogPath, StringComparison.Ordinal))
            {
                return false;
            }

            if (owner.ProcessId == LogOwner.Current.ProcessId && owner.StartedTicks == LogOwner.Current.StartedTicks)
            {
                return true;
            }

            // A running process writes only its newest segment.
            return !owner.IsRunning() || logs.Any(other =>
                LogOwner.TryParse(other, out var otherOwner, out var later) && otherOwner.Prefix == owner.Prefix && later > segment);
        }

        private void DeleteStaleTempFiles()
        {
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
        }

        private static void DeleteIfThere(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception exception) when (exception is DirectoryNotFoundException || exception is FileNotFoundException)
            {
            }
        }

        private static byte[] JoinLines(List<byte[]> lines)
        {
            using (var buffer = new MemoryStream())
            {
                foreach (var line in lines)
                {
                    buffer.Write(line, 0, line.Length);
                    buffer.WriteByte((byte)'\n');
                }

                return buffer.ToArray();
            }
        }

        /// <summary>
        /// Reads every log and record file. Logs come first: compaction writes its log before it deletes the ones it
        /// compacted, so a record moved while this reads is found in one place or the other.
        /// </summary>
        private JournalScan Scan()
        {
            var scan = new JournalScan();
            if (!System.IO.Directory.Exists(Directory))
            {
                return scan;
            }

            foreach (var log in System.IO.Directory.EnumerateFiles(Directory, "*" + JournalLog.Extension).Where(IsVisible).OrderBy(p => p, StringComparer.Ordinal).ToArray())
            {
                byte[] bytes;
                try
                {
                    bytes = ReadAllBytesShared(log);
                }
                catch (Exception exception) when (exception is FileNotFoundException || exception is DirectoryNotFoundException)
                {
                    continue;
                }
                catch (Exception exception) when (IsUnreadable(exception))
                {
                    scan.Problems.Add(new JournalProblem(log, exception.Message));
                    continue;
                }

                scan.Logs.Add(log);
                var start = 0;
                var lineNumber = 0;
                while (start < bytes.Length)
                {
                    var end = Array.IndexOf(bytes, (byte)'\n', start);
                    if (end < 0)
                    {
                        // No newline yet: the line is being written, or its writer was killed mid-write. Not a record.
                        break;
                    }

                    lineNumber++;
                    if (end > start)
                    {
                        var line = new byte[end - start];
                        Buffer.BlockCopy(bytes, start, line, 0, line.Length);
                        try
                        {
                            scan.Add(ReadLine(line, log), log, line);
                        }
                        catch (Exception exception) when (IsUnreadable(exception))
                        {
                            scan.Problems.Add(new JournalProblem(log + ":" + lineNumber.ToString(CultureInfo.InvariantCulture), exception.Message));
                        }
                    }

                    start = end + 1;
                }
            }

            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + RecordExtension).Where(IsVisible).ToArray())
            {
                try
                {
                    var record = ReadRecord(ReadAllBytesShared(file), file);
                    scan.RecordFiles.Add(file);
                    scan.Add(new RecordVersion(record.Id, record, record.Updated), file, Array.Empty<byte>());
                }
                catch (Exception exception) when (exception is FileNotFoundException || exception is DirectoryNotFoundException)
                {
                    // Removed by another process between listing and reading.
                }
                catch (Exception exception) when (IsUnreadable(exception))
                {
                    scan.Problems.Add(new JournalProblem(file, exception.Message));
                }
            }

            scan.Resolve();
            return scan;
        }

        private static bool IsVisible(string path) => !Path.GetFileName(path).StartsWith(".", StringComparison.Ordinal);

        private static byte[] ReadAllBytesShared(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                return copy.ToArray();
            }
        }

        private static RecordVersion ReadLine(byte[] line, string path)
        {
            using (var document = JsonDocument.Parse(line))
            {
                var root = document.RootElement;
                if (root.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True)
                {
                    var id = root.GetProperty("id").GetString() ?? throw new InvalidDataException("The removal has no id.");
                    return new RecordVersion(id, null, ParseTime(root.GetProperty("updated").GetString()));
                }

                if (root.TryGetProperty("outcome", out var outcome) && outcome.ValueKind == JsonValueKind.String)
                {
                    var id = root.GetProperty("id").GetString() ?? throw new InvalidDataException("The outcome has no id.");
                    var update = ReadOutcome(root, id, outcome.GetString()!);
                    return new RecordVersion(id, null, update.Updated) { Outcome = update };
                }

                var record = ReadRecord(root, path);
                return new RecordVersion(record.Id, record, record.Updated);
            }
        }

        private static bool IsUnreadable(Exception exception) =>
            exception is JsonException || exception is FormatException || exception is InvalidDataException
            || exception is KeyNotFoundException || exception is InvalidOperationException || exception is ArgumentException
            || (exception is IOException && !(exception is FileNotFoundException)) || exception is UnauthorizedAccessException;

        private static byte[] SerializeRemoval(string id, DateTimeOffset when)
        {
            var json = StartLine(id);
            json.Boolean("removed", true);
            json.Time("updated", when);
            return EndLine(json);
        }

        /// <summary>Every journal line opens with the schema version and the delivery id it is about.</summary>
        private static JournalLineWriter StartLine(string id)
        {
            var json = JournalLineWriter.Start();
            json.StartObject();
            json.Number("schema", SchemaVersion);
            json.String("id", id);
            return json;
        }

        private static byte[] EndLine(JournalLineWriter json)
        {
            json.EndObject();
            return json.ToArray();
        }

        private static byte[] Serialize(AlertDelivery record)
        {
            var json = StartLine(record.Id);
            json.String("status", JournalNames.Of(record.Status));
            json.String("policyName", record.PolicyName);
            json.String("policyId", record.PolicyId);
            json.String("eventType", record.EventType.HasValue ? JournalNames.Of(record.EventType.Value) : null);
            json.String("target", JournalNames.Of(record.Target));
            json.String("endpoint", record.Endpoint);
            json.Time("created", record.Created);
            WriteState(json, record);
            json.Boolean("signed", record.IsSigned);
            json.StartObject("headers");
            foreach (var header in record.Headers)
            {
                json.String(header.Key, header.Value);
            }

            json.EndObject();
            json.String("body", record.Body);
            WriteEvent(json, record.Event);

            json.StartObject("replay");
            json.String("url", record.Replay.Url);
            json.StartArray("headers");
            foreach (var header in record.Replay.Headers)
            {
                json.StartObject();
                json.String("name", header.Key);
                json.String("value", header.Value);
                json.EndObject();
            }

            json.EndArray();
            json.String("body", record.Replay.Body);
            json.String("signingSecret", record.Replay.SigningSecret);
            json.StartArray("secrets");
            foreach (var secret in record.Replay.Secrets)
            {
                json.StringValue(secret);
            }

            json.EndArray();
            json.EndObject();
            return EndLine(json);
        }

        /// <summary>
        /// What a delivery's end changes, as a line of its own: the Pending line before it holds the rest, and a bulk send's
        /// second line per alert no longer repeats the body, the event and the replay data (see <see cref="JournalScan.Resolve"/>).
        /// </summary>
        private static byte[] SerializeOutcome(AlertDelivery record)
        {
            var json = StartLine(record.Id);
            json.String("outcome", JournalNames.Of(record.Status));
            WriteState(json, record);
            return EndLine(json);
        }

        /// <summary>
        /// What changes as a delivery goes on, and who wrote it (a Pending record of a live process is still in flight): the
        /// part a whole record and an outcome line share.
        /// </summary>
        private static void WriteState(JournalLineWriter json, AlertDelivery record)
        {
            json.Number("attempts", record.Attempts);
            json.NumberOrNull("lastStatusCode", record.LastStatusCode);
            json.String("reason", record.Reason);
            json.Time("updated", record.Updated);
            json.String("machine", record.MachineName);
            if (record.ProcessId.HasValue)
            {
                json.Number("processId", record.ProcessId.Value);
            }

            json.Time("processStarted", record.ProcessStarted);
        }

        /// <summary>An outcome line, read as a record that holds only its id, status and state.</summary>
        private static AlertDelivery ReadOutcome(JsonElement root, string id, string outcome)
        {
            var status = ParseEnum<DeliveryStatus>(outcome);
            if (status == DeliveryStatus.Pending)
            {
                throw new InvalidDataException($"The outcome line of '{id}' says Pending, which is no outcome.");
            }

            var update = new AlertDelivery { Id = id, Status = status };
            ReadState(root, update);
            return update;
        }

        /// <summary>Reads what <see cref="WriteState"/> wrote.</summary>
        private static void ReadState(JsonElement root, AlertDelivery record)
        {
            record.Attempts = root.GetProperty("attempts").GetInt32();
            record.LastStatusCode = OptionalInt(root, "lastStatusCode");
            record.Reason = OptionalString(root, "reason");
            record.Updated = ParseTime(root.GetProperty("updated").GetString());
            record.MachineName = OptionalString(root, "machine");
            record.ProcessId = OptionalInt(root, "processId");
            record.ProcessStarted = OptionalTime(root, "processStarted");
        }

        /// <summary>The whole record an outcome ends, with the outcome's status and state: what the journal holds after both lines.</summary>
        internal static AlertDelivery Completed(AlertDelivery whole, AlertDelivery outcome, string path)
        {
            var record = whole.Copy();
            record.Status = outcome.Status;
            record.Attempts = outcome.Attempts;
            record.LastStatusCode = outcome.LastStatusCode;
            record.Reason = outcome.Reason;
            record.Updated = outcome.Updated;
            record.MachineName = outcome.MachineName;
            record.ProcessId = outcome.ProcessId;
            record.ProcessStarted = outcome.ProcessStarted;
            record.Path = path;
            return record;
        }

        private static void WriteEvent(JournalLineWriter json, AlertEvent? alertEvent)
        {
            if (alertEvent == null)
            {
                json.Null("event");
                return;
            }

            json.StartObject("event");
            json.String("eventType", JournalNames.Of(alertEvent.EventType));
            json.Boolean("isSample", alertEvent.IsSample);
            json.Time("occurredAt", alertEvent.OccurredAt);
            json.StartObject("tokens");
            foreach (var token in alertEvent.Tokens)
            {
                if (token.Value is DateTimeOffset time)
                {
                    json.Time(token.Key, time);
                }
                else
                {
                    json.String(token.Key, (string)token.Value);
                }
            }

            json.EndObject();
            json.EndObject();
        }

        private static AlertDelivery ReadRecord(byte[] bytes, string path)
        {
            using (var document = JsonDocument.Parse(bytes))
            {
                return ReadRecord(document.RootElement, path);
            }
        }

        private static AlertDelivery ReadRecord(JsonElement root, string path)
        {
            var record = new AlertDelivery
            {
                Id = root.GetProperty("id").GetString() ?? throw new InvalidDataException("The record has no id."),
                Status = ParseEnum<DeliveryStatus>(root.GetProperty("status").GetString()),
                PolicyName = root.GetProperty("policyName").GetString() ?? string.Empty,
                PolicyId = OptionalString(root, "policyId"),
                EventType = OptionalString(root, "eventType") is string type ? ParseEnum<AlertEventType>(type) : (AlertEventType?)null,
                Target = ParseEnum<TargetKind>(root.GetProperty("target").GetString()),
                Endpoint = root.GetProperty("endpoint").GetString() ?? string.Empty,
                Created = ParseTime(root.GetProperty("created").GetString()),
                IsSigned = root.TryGetProperty("signed", out var signed) && signed.ValueKind == JsonValueKind.True,
                Body = root.GetProperty("body").GetString() ?? string.Empty,
                Path = path,
            };
            ReadState(root, record);

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

        private static int? OptionalInt(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : (int?)null;

        private static DateTimeOffset? OptionalTime(JsonElement element, string name) =>
            OptionalString(element, name) is string text ? ParseTime(text) : (DateTimeOffset?)null;

        private static string? OptionalString(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static T ParseEnum<T>(string? text)
            where T : struct =>
            Enum.TryParse<T>(text, ignoreCase: false, out var value) ? value : throw new InvalidDataException($"'{text}' is not a {typeof(T).Name}.");

        private static DateTimeOffset ParseTime(string? text) =>
            DateTimeOffset.ParseExact(text ?? string.Empty, "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    /// <summary>Every version of every record a read found, and which is the latest of each id.</summary>
    internal sealed class JournalScan
    {
        public Dictionary<string, RecordVersion> Latest { get; } = new Dictionary<string, RecordVersion>(StringComparer.Ordinal);

        /// <summary>The latest whole record of each id: what an outcome line that came after it completes.</summary>
        private readonly Dictionary<string, RecordVersion> _latestWhole = new Dictionary<string, RecordVersion>(StringComparer.Ordinal);

        /// <summary>Every file that holds a version of the id.</summary>
        public Dictionary<string, HashSet<string>> SourcesOf { get; } = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        public List<string> Logs { get; } = new List<string>();
        public List<string> RecordFiles { get; } = new List<string>();
        public List<JournalProblem> Problems { get; } = new List<JournalProblem>();

        public void Add(RecordVersion version, string source, byte[] line)
        {
            version.Source = source;
            version.Line = line;
            if (!SourcesOf.TryGetValue(version.Id, out var sources))
            {
                SourcesOf[version.Id] = sources = new HashSet<string>(StringComparer.Ordinal);
            }

            sources.Add(source);
            if (!Latest.TryGetValue(version.Id, out var current) || version.Outranks(current))
            {
                Latest[version.Id] = version;
            }

            if (version.Record != null && (!_latestWhole.TryGetValue(version.Id, out var whole) || version.Outranks(whole)))
            {
                _latestWhole[version.Id] = version;
            }
        }

        /// <summary>
        /// Completes each id whose latest line is an outcome with the whole record it ends. An outcome whose record is in
        /// no file (its Pending line torn, or a file removed by hand) is reported and left out: it could not be replayed.
        /// </summary>
        public void Resolve()
        {
            List<string>? orphans = null;
            foreach (var latest in Latest.Values)
            {
                if (latest.Outcome == null)
                {
                    continue;
                }

                if (_latestWhole.TryGetValue(latest.Id, out var whole))
                {
                    latest.Complete(whole);
                }
                else
                {
                    (orphans ??= new List<string>()).Add(latest.Id);
                    Problems.Add(new JournalProblem(latest.Source, $"The outcome of delivery '{latest.Id}' has no record in the journal to complete; it was left out."));
                }
            }

            foreach (var id in orphans ?? Enumerable.Empty<string>())
            {
                Latest.Remove(id);
            }
        }
    }

    /// <summary>One line of a log (a whole record, an outcome, or a removal) or one record file.</summary>
    internal sealed class RecordVersion
    {
        public RecordVersion(string id, AlertDelivery? record, DateTimeOffset updated)
        {
            Id = id;
            Record = record;
            Updated = updated;
        }

        public string Id { get; }

        /// <summary>Null for a removal, and for an outcome until <see cref="Complete"/>.</summary>
        public AlertDelivery? Record { get; private set; }

        /// <summary>Set for an outcome line: its id, status and state only.</summary>
        public AlertDelivery? Outcome { get; set; }

        /// <summary>For a completed outcome, the whole record it completed.</summary>
        public RecordVersion? Whole { get; private set; }

        public DateTimeOffset Updated { get; }
        public string Source { get; set; } = string.Empty;
        public byte[] Line { get; set; } = Array.Empty<byte>();

        // Pending, then an outcome, then a removal: what a tie between two files is settled by.
        private int Rank => Outcome != null ? 1 : Record == null ? 2 : Record.Status == DeliveryStatus.Pending ? 0 : 1;

        public void Complete(RecordVersion whole)
        {
            Whole = whole;
            Record = FileDeliveryJournal.Completed(whole.Record!, Outcome!, Source);
        }

        /// <summary>
        /// The newer version wins; in one file the later line wins a tie (a writer's lines are in the order it wrote them),
        /// across files the further-on state does.
        /// </summary>
        public bool Outranks(RecordVersion other) =>
            Updated > other.Updated || (Updated == other.Updated && (Source == other.Source || Rank >= other.Rank));
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
