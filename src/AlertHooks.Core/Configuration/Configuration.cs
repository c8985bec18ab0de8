using System;
using System.IO;
using System.Runtime.InteropServices;

namespace AlertHooks
{
    /// <summary>
    /// Where AlertHooks keeps its state (policies, the delivery journal) and the defaults it delivers with.
    /// Persisted as <c>config.json</c> in the home folder.
    /// </summary>
    public sealed class Configuration
    {
        /// <summary>The AlertHooks home: <c>$ALERTHOOKS_HOME</c>, else the platform's per-user state folder.</summary>
        public string HomePath { get; set; } = DefaultHome();

        public string PolicyStorePath => Path.Combine(HomePath, "policies");

        public string JournalPath { get; set; } = string.Empty;

        /// <summary>The journal folder actually used: <see cref="JournalPath"/> when set, else beside the policies.</summary>
        public string EffectiveJournalPath => string.IsNullOrEmpty(JournalPath) ? Path.Combine(HomePath, "journal") : JournalPath;

        /// <summary>The <c>deployment_name</c> token when the event does not carry one.</summary>
        public string? DeploymentName { get; set; }

        /// <summary>The <c>deployment_url</c> token when the event does not carry one.</summary>
        public string? DeploymentUrl { get; set; }

        public double AttemptTimeoutSec { get; set; } = 10;
        public double TotalTimeoutSec { get; set; } = 30;

        /// <summary>Attempts in all, the first one included.</summary>
        public int MaxAttempts { get; set; } = 4;

        /// <summary>The longest Retry-After AlertHooks waits for; a longer one ends the delivery as failed-for-now.</summary>
        public double MaxRetryAfterSec { get; set; } = 60;

        /// <summary>Delivered journal records older than this are pruned; failed and pending ones are kept.</summary>
        public double DeliveredRetentionDays { get; set; } = 7;

        public static string DefaultHome()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("ALERTHOOKS_HOME");
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return Path.GetFullPath(fromEnvironment);
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "AlertHooks");
            }

            var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            if (string.IsNullOrWhiteSpace(state))
            {
                state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            }

            return Path.Combine(state, "alerthooks");
        }
    }
}
