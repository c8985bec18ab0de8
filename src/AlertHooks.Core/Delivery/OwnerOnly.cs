using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// Makes files and folders readable by their owner only. netstandard2.0 has no File.SetUnixFileMode, so Unix goes
    /// through chmod(2) in libc. On Windows the journal lives under the per-user profile, whose ACL already keeps
    /// other users out; nothing more is done there.
    /// </summary>
    internal static class OwnerOnly
    {
        private const uint FileMode = 0x180; // 0600
        private const uint DirectoryMode = 0x1C0; // 0700

        public static void RestrictFile(string path) => Restrict(path, FileMode);

        public static void RestrictDirectory(string path) => Restrict(path, DirectoryMode);

        private static void Restrict(string path, uint mode)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            if (Chmod(path, mode) != 0)
            {
                var error = new Win32Exception(Marshal.GetLastWin32Error());
                throw new IOException($"Could not make '{path}' readable by its owner only: {error.Message}", error);
            }
        }

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int Chmod(string path, uint mode);
    }
}
