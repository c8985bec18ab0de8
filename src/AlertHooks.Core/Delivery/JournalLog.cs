using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using AlertHooks.Storage;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// This process's append-only log in a journal folder: one JSON record a line, written by group commit. Callers
    /// queue a line and await it; one writer on the thread pool takes everything queued so far and appends it with a
    /// single write, so a burst of deliveries costs a handful of writes instead of a file created and renamed per record.
    /// Only this process ever writes its log, so processes sharing the folder never interleave; a line a reader finds
    /// without its newline is being written (or was, when a writer was killed) and is not a record yet.
    /// </summary>
    internal sealed class JournalLog
    {
        internal const string Extension = ".log";

        // A long-running sender starts a new segment past this size, so that the closed one can be compacted while it runs.
        private const long MaxSegmentBytes = 8 * 1024 * 1024;

        private static readonly ConcurrentDictionary<string, JournalLog> Logs = new ConcurrentDictionary<string, JournalLog>(
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        private readonly ConcurrentQueue<QueuedLine> _queue = new ConcurrentQueue<QueuedLine>();
        private readonly object _fileGate = new object();
        private readonly string _directory;
        private int _writing;
        private int _openDeliveries;
        private FileStream? _stream;
        private string? _currentPath;
        private int _segment;
        private byte[] _batch = new byte[16 * 1024];

        private JournalLog(string directory) => _directory = directory;

        /// <summary>The log this process writes in <paramref name="directory"/> (a full path).</summary>
        public static JournalLog For(string directory) => Logs.GetOrAdd(directory, d => new JournalLog(d));

        /// <summary>The log this process writes in <paramref name="directory"/>, if it has written there.</summary>
        public static JournalLog? Existing(string directory) => Logs.TryGetValue(directory, out var log) ? log : null;

        /// <summary>The segment being written now, or null before the first write and after a rotation.</summary>
        public string? CurrentPath
        {
            get
            {
                lock (_fileGate)
                {
                    return _currentPath;
                }
            }
        }

        /// <summary>
        /// Queues one record; the task completes with the log's path once the record is in it (and on the disk, when
        /// <paramref name="durable"/>).
        /// </summary>
        /// <param name="written">A record whose <see cref="AlertDelivery.Path"/> is set to the log once the line is in it.</param>
        public Task<string> AppendAsync(byte[] line, bool durable, AlertDelivery? written = null)
        {
            var queued = new QueuedLine(line, durable, written);
            _queue.Enqueue(queued);
            StartWriterIfIdle();
            return queued.Written.Task;
        }

        /// <summary>
        /// A delivery has started (its Pending line is queued) and will end with another line: the log stays open until
        /// every started delivery has ended, so that a bulk send does not open and close it for each burst of lines.
        /// </summary>
        public void DeliveryStarted() => Interlocked.Increment(ref _openDeliveries);

        /// <summary>Call before queueing the line that ends a delivery <see cref="DeliveryStarted"/> counted.</summary>
        public void DeliveryEnded() => Interlocked.Decrement(ref _openDeliveries);

        /// <summary>Closes the current segment, so that compaction may take it; the next record starts a new one.</summary>
        public void Rotate()
        {
            lock (_fileGate)
            {
                CloseSegment();
            }
        }

        // Lock-free on the callers' side: every sending thread queues here, and a lock taken per record was contended.
        private void StartWriterIfIdle()
        {
            if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(state => ((JournalLog)state!).WriteQueued(), this);
            }
        }

        private void WriteQueued()
        {
            while (true)
            {
                var batch = new List<QueuedLine>();
                while (_queue.TryDequeue(out var queued))
                {
                    batch.Add(queued);
                }

                if (batch.Count > 0)
                {
                    try
                    {
                        var path = Write(batch);
                        foreach (var line in batch)
                        {
                            if (line.Record != null)
                            {
                                line.Record.Path = path;
                            }

                            line.Written.TrySetResult(path);
                        }
                    }
                    catch (Exception exception)
                    {
                        foreach (var line in batch)
                        {
                            line.Written.TrySetException(exception);
                        }
                    }
                }

                // Not held open once no delivery is under way: on Windows an open file keeps its folder from being deleted.
                // A delivery's end is counted before its last line is queued, so the writer of that line sees it here.
                if (Volatile.Read(ref _openDeliveries) <= 0)
                {
                    lock (_fileGate)
                    {
                        _stream?.Dispose();
                        _stream = null;
                    }
                }

                Volatile.Write(ref _writing, 0);
                // A line queued after the last dequeue, while this writer was still marked busy, would wait for nobody.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                {
                    return;
                }
            }
        }

        private string Write(List<QueuedLine> batch)
        {
            var size = 0;
            var durable = false;
            foreach (var line in batch)
            {
                size += line.Bytes.Length + 1;
                durable |= line.Durable;
            }

            // One writer at a time: its buffer is kept for the next batch.
            if (_batch.Length < size)
            {
                _batch = new byte[Math.Max(size, _batch.Length * 2)];
            }

            var buffer = _batch;
            var offset = 0;
            foreach (var line in batch)
            {
                Buffer.BlockCopy(line.Bytes, 0, buffer, offset, line.Bytes.Length);
                offset += line.Bytes.Length;
                buffer[offset++] = (byte)'\n';
            }

            lock (_fileGate)
            {
                if (_stream != null && !File.Exists(_currentPath))
                {
                    // Held open through a burst, but deleted or moved away meanwhile (the folder cleared by hand): a line
                    // written to it now would be lost with it, so the segment is started again.
                    _stream.Dispose();
                    _stream = null;
                }

                var stream = _stream ?? OpenSegment();
                var path = _currentPath!;
                stream.Write(buffer, 0, size);
                stream.Flush(durable);
                if (stream.Length > MaxSegmentBytes)
                {
                    CloseSegment();
                }

                return path;
            }
        }

        private FileStream OpenSegment()
        {
            StateFile.EnsureDirectory(_directory);
            if (_currentPath != null)
            {
                // The segment of the previous burst; created again if someone deleted it (the folder cleared by hand).
                var reopened = new FileStream(_currentPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
                if (reopened.Length == 0)
                {
                    StateFile.SetMode(_currentPath, StateFile.OwnerReadWrite);
                }

                _stream = reopened;
                return reopened;
            }

            while (true)
            {
                var path = Path.Combine(_directory, LogOwner.Current.FileName(++_segment));
                try
                {
                    var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
                    // Restricted before the first byte: the replay part of a record holds the resolved URL and header values.
                    StateFile.SetMode(path, StateFile.OwnerReadWrite);
                    _stream = stream;
                    _currentPath = path;
                    return stream;
                }
                catch (IOException) when (File.Exists(path))
                {
                    // A segment of an earlier module load in this process: take the next number.
                }
            }
        }

        private void CloseSegment()
        {
            _stream?.Dispose();
            _stream = null;
            _currentPath = null;
        }

        private sealed class QueuedLine
        {
            public QueuedLine(byte[] bytes, bool durable, AlertDelivery? record)
            {
                Bytes = bytes;
                Durable = durable;
                Record = record;
            }

            public byte[] Bytes { get; }
            public bool Durable { get; }
            public AlertDelivery? Record { get; }
            public TaskCompletionSource<string> Written { get; } = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>
    /// Who wrote a log, from its name (<c>machine_pid_started_segment.log</c>): compaction takes only the logs nobody
    /// writes any more, those of a process that is gone and the closed segments of one that is running.
    /// </summary>
    internal sealed class LogOwner
    {
        private const string CompactedPrefix = "compacted_";

        private static readonly Lazy<LogOwner> CurrentOwner = new Lazy<LogOwner>(() =>
        {
            using (var process = Process.GetCurrentProcess())
            {
                return new LogOwner(SafeMachineName(Environment.MachineName), process.Id, process.StartTime.ToUniversalTime().Ticks);
            }
        });

        private LogOwner(string machine, int processId, long startedTicks)
        {
            Machine = machine;
            ProcessId = processId;
            StartedTicks = startedTicks;
        }

        public static LogOwner Current => CurrentOwner.Value;

        public string Machine { get; }
        public int ProcessId { get; }
        public long StartedTicks { get; }

        public string Prefix => string.Join("_", Machine, ProcessId.ToString(CultureInfo.InvariantCulture), StartedTicks.ToString(CultureInfo.InvariantCulture));

        public string FileName(int segment) => Prefix + "_" + segment.ToString(CultureInfo.InvariantCulture) + JournalLog.Extension;

        /// <summary>A name for the log compaction writes: no process owns it.</summary>
        public static string CompactedFileName() => CompactedPrefix + Guid.NewGuid().ToString("N") + JournalLog.Extension;

        /// <summary>The owner and segment a log's name gives, or false for a compacted log (or a name that is not ours).</summary>
        public static bool TryParse(string path, out LogOwner owner, out int segment)
        {
            owner = null!;
            segment = 0;
            var parts = Path.GetFileNameWithoutExtension(path).Split('_');
            if (parts.Length != 4 || parts[0] + "_" == CompactedPrefix
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
                || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out segment))
            {
                return false;
            }

            owner = new LogOwner(parts[0], processId, started);
            return true;
        }

        /// <summary>Whether this owner is a process still running on this machine (another machine's are taken as running).</summary>
        public bool IsRunning()
        {
            if (!string.Equals(Machine, Current.Machine, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (ProcessId == Current.ProcessId && StartedTicks == Current.StartedTicks)
            {
                return true;
            }

            return IsRunning(ProcessId, new DateTime(StartedTicks, DateTimeKind.Utc));
        }

        /// <summary>Whether the process with this id is running and started at this time (a recycled id is another process).</summary>
        public static bool IsRunning(int processId, DateTime? startedUtc)
        {
            try
            {
                using (var process = Process.GetProcessById(processId))
                {
                    return !process.HasExited && (startedUtc == null
                        || Math.Abs((process.StartTime.ToUniversalTime() - startedUtc.Value).TotalSeconds) < 1);
                }
            }
            catch (Exception exception) when (exception is ArgumentException || exception is InvalidOperationException || exception is System.ComponentModel.Win32Exception || exception is NotSupportedException)
            {
                return false;
            }
        }

        internal static string SafeMachineName(string name)
        {
            var safe = new string(name.Select(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ? c : '-').ToArray());
            return safe.Length == 0 ? "machine" : safe;
        }
    }
}
