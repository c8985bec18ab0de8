using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Delivery;
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

        protected override void ProcessRecord()
        {
            try
            {
                var headers = ToHeaders(Header);
                foreach (var header in headers)
                {
                    DeliveryPreparer.ValidateHeader(header.Key, header.Value);
                }

                if (Url.IndexOf("{{", StringComparison.Ordinal) < 0)
                {
                    DeliveryPreparer.ValidateUrl(Url);
                }

                var policy = new AlertPolicy(Name, EventType, Url, Body, headers)
                {
                    Description = Description,
                    Enabled = !Disabled,
                };
                ValidateTemplate(policy);
                WriteObject(policy);
            }
            catch (Exception exception) when (exception is TemplateException || exception is DeliveryValidationException || exception is ArgumentException)
            {
                ThrowTerminatingError(Errors.From(exception, Name));
            }
        }

        private void ValidateTemplate(AlertPolicy policy)
        {
            var template = TemplateEngine.GetTemplate(policy.Body);
            var errors = new List<TemplateDiagnostic>();
            foreach (var eventType in policy.EventTypes)
            {
                foreach (var diagnostic in TemplateEngine.Analyze(template, eventType))
                {
                    if (diagnostic.Severity == DiagnosticSeverity.Error)
                    {
                        if (!errors.Any(e => e.Code == diagnostic.Code && e.Line == diagnostic.Line && e.Column == diagnostic.Column))
                        {
                            errors.Add(diagnostic);
                        }
                    }
                    else
                    {
                        WriteWarning($"{policy.Name}: {diagnostic}");
                    }
                }
            }

            if (errors.Count > 0)
            {
                throw new TemplateException(errors);
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
