using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlertHooks.Delivery;
using AlertHooks.Storage;

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

        public const int SchemaVersion = 1;

        /// <summary>
        /// Where this configuration is kept: <c>config.json</c> in <see cref="DefaultHome"/>. It stays there when
        /// <see cref="HomePath"/> moves the policies and the journal elsewhere, so that the move itself is remembered.
        /// </summary>
        public string ConfigurationPath { get; private set; } = Path.Combine(DefaultHome(), "config.json");

        /// <summary>The saved configuration, or the defaults when none was saved. Read afresh on every call.</summary>
        public static Configuration Load() => LoadFrom(DefaultHome());

        /// <summary>Reads <c>config.json</c> of the given bootstrap folder (tests use their own folder).</summary>
        internal static Configuration LoadFrom(string home)
        {
            var configuration = new Configuration { HomePath = home, ConfigurationPath = Path.Combine(home, "config.json") };
            var path = configuration.ConfigurationPath;
            if (!File.Exists(path))
            {
                return configuration;
            }

            try
            {
                var root = JsonNode.Parse(File.ReadAllText(path, StateFile.Utf8)) as JsonObject
                    ?? throw new InvalidDataException("it does not hold a JSON object");
                var version = Number(root, "schemaVersion") ?? 1;
                if (version > SchemaVersion)
                {
                    throw new InvalidDataException($"it was written with schema version {version}; this AlertHooks reads up to {SchemaVersion}");
                }

                var movedHome = Text(root, "homePath");
                if (!string.IsNullOrWhiteSpace(movedHome))
                {
                    configuration.HomePath = Path.GetFullPath(movedHome);
                }

                configuration.JournalPath = Text(root, "journalPath") ?? string.Empty;
                configuration.DeploymentName = Text(root, "deploymentName");
                configuration.DeploymentUrl = Text(root, "deploymentUrl");
                configuration.AttemptTimeoutSec = Number(root, "attemptTimeoutSec") ?? configuration.AttemptTimeoutSec;
                configuration.TotalTimeoutSec = Number(root, "totalTimeoutSec") ?? configuration.TotalTimeoutSec;
                configuration.MaxAttempts = (int)(Number(root, "maxAttempts") ?? configuration.MaxAttempts);
                configuration.MaxRetryAfterSec = Number(root, "maxRetryAfterSec") ?? configuration.MaxRetryAfterSec;
                configuration.DeliveredRetentionDays = Number(root, "deliveredRetentionDays") ?? configuration.DeliveredRetentionDays;
                configuration.Validate();
                return configuration;
            }
            catch (Exception exception) when (exception is JsonException || exception is InvalidOperationException || exception is FormatException
                || exception is ArgumentException || exception is IOException)
            {
                throw new InvalidDataException($"The AlertHooks configuration '{path}' cannot be read: {exception.Message}. Fix or delete the file.", exception);
            }
        }

        /// <summary>Checks the values and writes <see cref="ConfigurationPath"/> atomically, readable by its owner only.</summary>
        public void Save()
        {
            Validate();
            var root = new JsonObject
            {
                ["schemaVersion"] = SchemaVersion,
                ["homePath"] = string.Equals(HomePath, Path.GetDirectoryName(ConfigurationPath), StringComparison.Ordinal) ? null : HomePath,
                ["journalPath"] = string.IsNullOrEmpty(JournalPath) ? null : JournalPath,
                ["deploymentName"] = DeploymentName,
                ["deploymentUrl"] = DeploymentUrl,
                ["attemptTimeoutSec"] = AttemptTimeoutSec,
                ["totalTimeoutSec"] = TotalTimeoutSec,
                ["maxAttempts"] = MaxAttempts,
                ["maxRetryAfterSec"] = MaxRetryAfterSec,
                ["deliveredRetentionDays"] = DeliveredRetentionDays,
            };
            StateFile.WriteAtomic(ConfigurationPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, NewLine = "\n" }) + "\n");
        }

        /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range.</summary>
        public void Validate()
        {
            if (string.IsNullOrWhiteSpace(HomePath))
            {
                throw new ArgumentException("HomePath must not be empty.", nameof(HomePath));
            }

            Positive(AttemptTimeoutSec, nameof(AttemptTimeoutSec));
            Positive(TotalTimeoutSec, nameof(TotalTimeoutSec));
            Positive(MaxRetryAfterSec, nameof(MaxRetryAfterSec));
            Positive(DeliveredRetentionDays, nameof(DeliveredRetentionDays));
            if (MaxAttempts < 1 || MaxAttempts > 100)
            {
                throw new ArgumentException($"MaxAttempts must be from 1 to 100, not {MaxAttempts}.", nameof(MaxAttempts));
            }

            if (TotalTimeoutSec < AttemptTimeoutSec)
            {
                throw new ArgumentException($"TotalTimeoutSec ({TotalTimeoutSec}) must not be shorter than AttemptTimeoutSec ({AttemptTimeoutSec}).", nameof(TotalTimeoutSec));
            }

            if (!string.IsNullOrEmpty(DeploymentUrl) && !Uri.TryCreate(DeploymentUrl, UriKind.Absolute, out _))
            {
                throw new ArgumentException($"DeploymentUrl '{DeploymentUrl}' is not an absolute URL.", nameof(DeploymentUrl));
            }
        }

        /// <summary>What rendering needs: deployment values from here, else from the environment.</summary>
        public RenderSettings ToRenderSettings()
        {
            var settings = new RenderSettings();
            settings.DeploymentName = string.IsNullOrEmpty(DeploymentName) ? settings.DeploymentName : DeploymentName;
            settings.DeploymentUrl = string.IsNullOrEmpty(DeploymentUrl) ? settings.DeploymentUrl : DeploymentUrl;
            return settings;
        }

        private static void Positive(double value, string name)
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                throw new ArgumentException($"{name} must be a positive number, not {value.ToString(CultureInfo.InvariantCulture)}.", name);
            }
        }

        private static string? Text(JsonObject root, string key) =>
            root.TryGetPropertyValue(key, out var node) && node != null ? node.GetValue<string>() : null;

        private static double? Number(JsonObject root, string key) =>
            root.TryGetPropertyValue(key, out var node) && node != null ? node.GetValue<double>() : (double?)null;

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
