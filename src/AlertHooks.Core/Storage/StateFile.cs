using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace AlertHooks.Storage
{
    /// <summary>
    /// Files of the AlertHooks home: written whole or not at all, readable by their owner only,
    /// and guarded by a lock file where several processes change the same folder.
    /// </summary>
    public static class StateFile
    {
        internal const uint OwnerReadWrite = 0x180; // 0600
        private const uint OwnerAll = 0x1C0; // 0700

        internal static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        /// <summary>Creates the folder if needed; a new folder is private to its owner on Unix.</summary>
        public static void EnsureDirectory(string path)
        {
            if (Directory.Exists(path))
            {
                return;
            }

            Directory.CreateDirectory(path);
            SetMode(path, OwnerAll);
        }

        /// <summary>
        /// Writes to a temporary file beside <paramref name="path"/> and renames it over the target, so that a
        /// reader sees the old file or the new one, never half of one, and a crash leaves at most a stray temp file.
        /// </summary>
        /// <param name="flushToDisk">
        /// Whether the content reaches the disk before the rename. Without it the file still survives the writing
        /// process being killed (the kernel holds it), but not the machine losing power in the next few seconds.
        /// </param>
        public static void WriteAtomic(string path, string text, bool flushToDisk = true) => Commit(Stage(path, text, flushToDisk), path);

        /// <inheritdoc cref="WriteAtomic(string, string, bool)"/>
        public static void WriteAtomic(string path, byte[] bytes, bool flushToDisk = true) => Commit(Stage(path, bytes, flushToDisk), path);

        /// <summary>Writes the content to a temporary file beside <paramref name="path"/> and returns its name.</summary>
        public static string Stage(string path, string text, bool flushToDisk = true) => Stage(path, Utf8.GetBytes(text), flushToDisk);

        /// <inheritdoc cref="Stage(string, string, bool)"/>
        public static string Stage(string path, byte[] bytes, bool flushToDisk = true)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            EnsureDirectory(directory);
            var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // Restrict before the first byte is written: the content may hold secrets.
                    SetMode(temp, OwnerReadWrite);
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk);
                }

                return temp;
            }
            catch
            {
                Discard(temp);
                throw;
            }
        }

        /// <summary>Renames a staged file over <paramref name="path"/>: the one step that makes the change visible.</summary>
        public static void Commit(string temp, string path)
        {
            try
            {
                // rename(2) replaces atomically on Unix. On Windows ReplaceFile can meet a reader holding the file, and
                // a Move can lose the race with another writer creating it first (last writer wins): retry a little.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        if (File.Exists(path))
                        {
                            File.Replace(temp, path, destinationBackupFileName: null, ignoreMetadataErrors: true);
                        }
                        else
                        {
                            File.Move(temp, path);
                        }

                        return;
                    }
                    catch (Exception exception) when ((exception is IOException || exception is UnauthorizedAccessException) && attempt < 50)
                    {
                        Thread.Sleep(Math.Min(50, attempt * 2));
                    }
                }
            }
            finally
            {
                Discard(temp);
            }
        }

        public static void Discard(string temp)
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        /// <summary>
        /// Takes an exclusive lock on <paramref name="lockPath"/> (an OS lock, released if the process dies),
        /// waiting up to <paramref name="timeout"/> for another process to finish.
        /// </summary>
        public static IDisposable Lock(string lockPath, TimeSpan timeout)
        {
            EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
            var deadline = DateTime.UtcNow + timeout;
            var delay = 5;
            while (true)
            {
                try
                {
                    var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    SetMode(lockPath, OwnerReadWrite);
                    return stream;
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(delay);
                    delay = Math.Min(delay * 2, 100);
                }
                catch (IOException exception)
                {
                    throw new IOException($"Another process has held the lock '{lockPath}' for more than {timeout.TotalSeconds:0} s; try again.", exception);
                }
            }
        }

        /// <summary>Sets Unix permission bits; a no-op on Windows, where the per-user folder is already private.</summary>
        internal static void SetMode(string path, uint mode)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            if (NativeMethods.chmod(path, mode) != 0)
            {
                throw new IOException($"Could not restrict the permissions of '{path}' (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        private static class NativeMethods
        {
            // netstandard2.0 has no File.SetUnixFileMode.
            [DllImport("libc", SetLastError = true)]
            internal static extern int chmod([MarshalAs(UnmanagedType.LPStr)] string path, uint mode);
        }
    }
}
