using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Delivery;
using AlertHooks.Policies;
using AlertHooks.Templates;

namespace AlertHooks.Commands
{
    /// <summary>Creates an alert policy in memory, checked before it is returned.</summary>
    [Cmdlet(VerbsCommon.New, "AlertPolicy", DefaultParameterSetName = BodySet)]
    [OutputType(typeof(AlertPolicy))]
    public sealed class NewAlertPolicyCommand : PSCmdlet
    {
        private const string BodySet = "Body";

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
                var policy = new AlertPolicy(Name, EventType, Url, Body, ToHeaders(Header))
                {
                    Description = Description,
                    Enabled = !Disabled,
                    SigningSecret = string.IsNullOrEmpty(SigningSecret) ? null : SigningSecret,
                };
                policy.SetMatch(ToHeaders(Match));
                WriteWarnings(this, policy.Name, PolicyValidator.Validate(policy));
                WriteObject(policy);
            }
            catch (Exception exception) when (exception is TemplateException || exception is DeliveryValidationException || exception is ArgumentException)
            {
                ThrowTerminatingError(Errors.From(exception, Name));
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
