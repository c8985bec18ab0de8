using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AlertHooks.Completers;
using AlertHooks.Delivery;
using AlertHooks.Policies;
using AlertHooks.Targets;

namespace AlertHooks.Commands
{
    /// <summary>Creates an alert policy in memory, checked before it is returned.</summary>
    [Cmdlet(VerbsCommon.New, "AlertPolicy", DefaultParameterSetName = BodySet)]
    [OutputType(typeof(AlertPolicy))]
    public sealed class NewAlertPolicyCommand : PSCmdlet
    {
        private const string BodySet = "Body";
        private const string BodyPathSet = "BodyPath";
        private const string PresetSet = "Preset";

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public AlertEventType[] EventType { get; set; } = Array.Empty<AlertEventType>();

        [Parameter(Mandatory = true, Position = 2)]
        [ValidateNotNullOrEmpty]
        public string Url { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = BodySet)]
        [ValidateNotNullOrEmpty]
        public string Body { get; set; } = string.Empty;

        /// <summary>A file holding the body template (UTF-8), e.g. one kept under version control.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BodyPathSet)]
        [ValidateNotNullOrEmpty]
        public string BodyPath { get; set; } = string.Empty;

        /// <summary>A built-in body: Slack, Discord, Teams, PagerDuty or Generic (see Get-AlertPreset).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PresetSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PresetNameCompleter))]
        public string Preset { get; set; } = string.Empty;

        [Parameter]
        public Hashtable? Header { get; set; }

        [Parameter]
        public string? Description { get; set; }

        [Parameter]
        public SwitchParameter Disabled { get; set; }

        /// <summary>Token name → wildcard; the policy takes a routed event only when every pattern matches.</summary>
        [Parameter]
        public Hashtable? Match { get; set; }

        [Parameter]
        public string? SigningSecret { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var preset = ResolvePreset();
                var policy = new AlertPolicy(Name, EventType, Url, preset?.Body ?? ReadBody(), ToHeaders(Header))
                {
                    Description = Description,
                    Enabled = !Disabled,
                    SigningSecret = string.IsNullOrEmpty(SigningSecret) ? null : SigningSecret,
                    Preset = preset?.Name,
                };

                // The URL says where the payload goes; the preset only fills in when the URL is not a known target.
                if (preset != null && policy.Target == TargetKind.Generic)
                {
                    policy.Target = preset.Target;
                }

                policy.SetMatch(ToHeaders(Match));

                // Its template warnings come again, with the rendered checks, from ValidateTemplate.
                PolicyValidator.Validate(policy);
                ValidateTemplate(policy);
                WriteObject(policy);
            }
            catch (Exception exception) when (exception is TemplateException || exception is DeliveryValidationException || exception is ArgumentException)
            {
                ThrowTerminatingError(Errors.From(exception, Name));
            }
        }

        private AlertPreset? ResolvePreset()
        {
            if (ParameterSetName != PresetSet)
            {
                return null;
            }

            if (!Presets.TryGet(Preset, out var preset))
            {
                ThrowTerminatingError(Errors.Create("PresetNotFound", ErrorCategory.InvalidArgument,
                    $"'{Preset}' is not a preset. The presets are {string.Join(", ", Presets.All.Select(p => p.Name))}.", Preset));
            }

            return preset.For(EventType);
        }

        private string ReadBody()
        {
            if (ParameterSetName != BodyPathSet)
            {
                return Body;
            }

            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(BodyPath);
            if (!File.Exists(path))
            {
                ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The body file '{BodyPath}' does not exist.", path),
                    "BodyFileNotFound", ErrorCategory.ObjectNotFound, BodyPath));
            }

            return File.ReadAllText(path, Encoding.UTF8);
        }

        /// <summary>The checks of Test-AlertTemplate on a sample of each event type: errors refuse the policy, warnings are shown once.</summary>
        private void ValidateTemplate(AlertPolicy policy)
        {
            var settings = TemplateChecks.Settings(this);
            var errors = new List<TemplateDiagnostic>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var eventType in policy.EventTypes)
            {
                var result = TemplateChecks.Test(policy.Body, policy.Target, TemplateChecks.Sample(eventType, settings), policy, settings);
                errors.AddRange(result.Errors.Where(e => seen.Add(e.ToString())));
                // A Generic preset for several event types holds all their tokens by design: no warning for each gap.
                var warnings = policy.Preset == null ? result.Warnings : result.Warnings.Where(w => w.Code != DiagnosticCodes.TokenNotAvailable);
                foreach (var warning in warnings.Where(w => seen.Add(w.ToString())))
                {
                    WriteWarning($"{policy.Name}: {warning}");
                }
            }

            if (errors.Count > 0)
            {
                throw new TemplateException(errors);
            }
        }

        internal static void WriteWarnings(Cmdlet cmdlet, string source, IEnumerable<TemplateDiagnostic> warnings)
        {
            foreach (var warning in warnings)
            {
                cmdlet.WriteWarning($"{source}: {warning}");
            }
        }

        internal static Dictionary<string, string> ToHeaders(IDictionary? table)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (table == null)
            {
                return headers;
            }

            foreach (DictionaryEntry entry in table)
            {
                var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                headers[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] =
                    Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            }

            return headers;
        }
    }
}
