using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AlertHooks
{
    /// <summary>
    /// Installs AlertHooks' private load context for the libraries under Core (Fluid, Parlot, Polly.Core, ...) when the
    /// module is imported, and takes it out of the default context's resolution when the module is removed.
    /// </summary>
    /// <remarks>
    /// The context lives in AlertHooks.Loader (net8.0, because netstandard2.0 cannot subclass AssemblyLoadContext), which
    /// this netstandard2.0 assembly cannot reference, hence the reflection. See AlertHooks.Loader.DependencyLoader.
    /// </remarks>
    public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string LoaderAssembly = "AlertHooks.Loader.dll";
        private const string LoaderType = "AlertHooks.Loader.DependencyLoader";

        public void OnImport() => CallLoader("Install");

        public void OnRemove(PSModuleInfo psModuleInfo) => CallLoader("Uninstall");

        private static void CallLoader(string method)
        {
            // Windows PowerShell 5.1 has no AssemblyLoadContext; the manifest asks for PowerShell 7.4, so this is only
            // someone loading the DLL by hand there, and the libraries then load as any other.
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                return;
            }

            var directory = Path.GetDirectoryName(typeof(ModuleLifecycle).Assembly.Location) ?? ".";
            var loader = Assembly.LoadFrom(Path.Combine(directory, LoaderAssembly));
            loader.GetType(LoaderType, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null);
        }
    }
}
