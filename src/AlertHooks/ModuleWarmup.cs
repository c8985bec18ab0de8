using System.Management.Automation;
using System.Threading;
using AlertHooks.Templates;

namespace AlertHooks
{
    /// <summary>
    /// Prepares the template engine on a background thread as soon as the module is imported.
    /// </summary>
    /// <remarks>
    /// The first render pays for Fluid's parser: building its grammar JIT-compiles a few hundred generic methods of
    /// Fluid and Parlot (about 350 ms of CPU on a cold process, 4 ms the second time). Import-Module does not wait for it;
    /// a script that sends right after importing finds it done or under way, and a session that never renders only
    /// spends idle CPU.
    /// </remarks>
    public sealed class ModuleWarmup : IModuleAssemblyInitializer
    {
        private static int _started;

        public void OnImport()
        {
            if (Interlocked.Exchange(ref _started, 1) == 1)
            {
                return;
            }

            ThreadPool.UnsafeQueueUserWorkItem(_ => Warm(), null);
        }

        private static void Warm()
        {
            try
            {
                // Parse and render a platform-style body: the same code paths as the first send, without any I/O.
                var template = TemplateEngine.GetTemplate("{\"text\":\"{{ alert_summary }}\"}");
                TemplateEngine.Render(template, new RenderRequest(new AlertEvent(AlertEventType.JobFailure), "warm-up", "warm-up"));
            }
            catch
            {
                // Warming up is an optimisation only; the first real render reports any problem.
            }
        }
    }
}
