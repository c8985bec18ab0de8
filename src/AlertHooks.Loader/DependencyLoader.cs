using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AlertHooks.Loader
{
    /// <summary>
    /// Answers the default context's requests for the libraries AlertHooks.Core references (Fluid, Polly.Core, ...) from
    /// AlertHooks' private context, where their own references are resolved too.
    /// </summary>
    /// <remarks>
    /// PowerShell's documented pattern puts the whole engine (here AlertHooks.Core) in the private context. We keep Core
    /// in the default context and isolate only third-party code, because PowerShell resolves type names only in the default
    /// context: with Core isolated, <c>[AlertHooks.AlertEventType]</c>, <c>-BeOfType AlertHooks.DeliveryResult</c> and
    /// <c>'AlertHooks.AlertPolicy' -as [type]</c> all stop working in users' scripts and tests. Core is our own assembly and
    /// clashes with no one; the libraries under it are what other modules also bring.
    ///
    /// The cmdlet assembly's module initializer calls <see cref="Install"/> by reflection (netstandard2.0 cannot reference
    /// a net8.0 assembly), before any cmdlet runs. Listing the cmdlets at import touches neither Core's static state nor the
    /// libraries, which the isolation tests check by loading conflicting versions first. It used to be a nested module of
    /// its own; a second binary module import cost about 50 ms of every import.
    /// </remarks>
    public static class DependencyLoader
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? _context;
        private static bool _installed;

        /// <summary>bin/deps beside this assembly.</summary>
        public static string DependencyDirectory { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", "deps");

        /// <summary>The private context, for tests and diagnostics.</summary>
        public static AssemblyLoadContext? Context => _context;

        public static void Install()
        {
            lock (Gate)
            {
                _context ??= new DependencyLoadContext(DependencyDirectory);
                if (!_installed)
                {
                    AssemblyLoadContext.Default.Resolving += Resolve;
                    _installed = true;
                }
            }
        }

        public static void Uninstall()
        {
            lock (Gate)
            {
                // The context itself stays: loaded types live on in the session, and a later import reuses them.
                AssemblyLoadContext.Default.Resolving -= Resolve;
                _installed = false;
            }
        }

        // Only what we ship, and only in the major version we ship: another module asking for Fluid 2 must not get our Fluid 3.
        private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
        {
            var context_ = _context;
            if (context_ == null || string.IsNullOrEmpty(name.Name))
            {
                return null;
            }

            var ours = context_.VersionOf(name.Name!);
            if (ours == null || (name.Version != null && (ours.Major != name.Version.Major || ours < name.Version)))
            {
                return null;
            }

            return context_.LoadFromAssemblyName(name);
        }
    }
}
