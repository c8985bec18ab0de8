using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AlertHooks.Loader
{
    /// <summary>
    /// The load context of the libraries under AlertHooks.Core (Fluid, Parlot, Polly.Core, ...), so that another module's
    /// copies of the same libraries, in any version, neither break AlertHooks nor get broken by it. This is the pattern
    /// PowerShell documents for binary modules ("Resolving PowerShell module assembly dependency conflicts").
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly string _directory;
        private readonly Dictionary<string, string> _framework;

        public DependencyLoadContext(string directory)
            : base("AlertHooks", isCollectible: false)
        {
            _directory = directory;
            _framework = TrustedPlatformAssemblies();
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (string.IsNullOrEmpty(name))
            {
                return null;
            }

            var path = Path.Combine(_directory, name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            // Framework assemblies (System.Text.Json, System.Memory, ...) are shared with PowerShell when the runtime's
            // copy is new enough: a second System.Memory would mean a second Span<T>. Only an older runtime (PowerShell 7.4
            // on .NET 8 has System.Text.Json 8) gets the copy we ship.
            if (_framework.TryGetValue(name!, out var frameworkPath) && IsAtLeast(frameworkPath, assemblyName.Version))
            {
                return null;
            }

            return LoadFromAssemblyPath(path);
        }

        /// <summary>The version of the library we ship under that name, or null when we ship none.</summary>
        public Version? VersionOf(string name)
        {
            var path = Path.Combine(_directory, name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            try
            {
                return AssemblyName.GetAssemblyName(path).Version;
            }
            catch (Exception exception) when (exception is IOException || exception is BadImageFormatException)
            {
                return null;
            }
        }

        private static bool IsAtLeast(string path, Version? wanted)
        {
            try
            {
                return wanted == null || AssemblyName.GetAssemblyName(path).Version >= wanted;
            }
            catch (Exception exception) when (exception is IOException || exception is BadImageFormatException)
            {
                return false;
            }
        }

        private static Dictionary<string, string> TrustedPlatformAssemblies()
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                result[Path.GetFileNameWithoutExtension(path)] = path;
            }

            return result;
        }
    }
}
