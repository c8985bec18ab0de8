using System;
using System.IO;
using System.Management.Automation;

namespace AlertHooks.Commands
{
    /// <summary>Changes and saves the configuration (config.json); only the values given change.</summary>
    [Cmdlet(VerbsCommon.Set, "AlertHooksConfiguration", SupportsShouldProcess = true)]
    [OutputType(typeof(Configuration))]
    public sealed class SetAlertHooksConfigurationCommand : PSCmdlet
    {
        /// <summary>Where policies and the journal are kept from now on; existing files are not moved.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? HomePath { get; set; }

        /// <summary>The deployment_name token for events that do not carry one; an empty string clears it.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? DeploymentName { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? DeploymentUrl { get; set; }

        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double? AttemptTimeoutSec { get; set; }

        [Parameter]
        [ValidateRange(0.1, 86400)]
        public double? TotalTimeoutSec { get; set; }

        [Parameter]
        [ValidateRange(1, 100)]
        public int? MaxAttempts { get; set; }

        [Parameter]
        [ValidateRange(0.1, 86400)]
        public double? MaxRetryAfterSec { get; set; }

        [Parameter]
        [ValidateRange(0.01, 3650)]
        public double? DeliveredRetentionDays { get; set; }

        /// <summary>The journal folder; an empty string puts it back beside the policies.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? JournalPath { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            Configuration configuration;
            try
            {
                configuration = Configuration.Load();
            }
            catch (InvalidDataException exception)
            {
                // A broken file is replaced by a good one: start from the defaults.
                WriteWarning(exception.Message + " It will be replaced.");
                configuration = new Configuration();
            }

            if (HomePath != null)
            {
                configuration.HomePath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(HomePath);
            }

            if (JournalPath != null)
            {
                configuration.JournalPath = JournalPath.Length == 0 ? string.Empty : SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
            }

            if (DeploymentName != null)
            {
                configuration.DeploymentName = DeploymentName.Length == 0 ? null : DeploymentName;
            }

            if (DeploymentUrl != null)
            {
                configuration.DeploymentUrl = DeploymentUrl.Length == 0 ? null : DeploymentUrl;
            }

            configuration.AttemptTimeoutSec = AttemptTimeoutSec ?? configuration.AttemptTimeoutSec;
            configuration.TotalTimeoutSec = TotalTimeoutSec ?? configuration.TotalTimeoutSec;
            configuration.MaxAttempts = MaxAttempts ?? configuration.MaxAttempts;
            configuration.MaxRetryAfterSec = MaxRetryAfterSec ?? configuration.MaxRetryAfterSec;
            configuration.DeliveredRetentionDays = DeliveredRetentionDays ?? configuration.DeliveredRetentionDays;
            try
            {
                configuration.Validate();
            }
            catch (ArgumentException exception)
            {
                ThrowTerminatingError(Errors.From(exception, configuration));
            }

            if (!ShouldProcess(configuration.ConfigurationPath, "Save the AlertHooks configuration"))
            {
                return;
            }

            try
            {
                configuration.Save();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(exception, "ConfigurationWriteFailed", ErrorCategory.WriteError, configuration.ConfigurationPath));
            }

            if (PassThru)
            {
                WriteObject(configuration);
            }
        }
    }
}
