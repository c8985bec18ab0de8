using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Completers;
using AlertHooks.Delivery;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>Changes registered policies: only the fields given, checked again as a whole before they are saved.</summary>
    [Cmdlet(VerbsCommon.Set, "AlertPolicy", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
    [OutputType(typeof(AlertPolicy))]
    public sealed class SetAlertPolicyCommand : PSCmdlet
    {
        private const string NameSet = "Name";
        private const string InputObjectSet = "InputObject";

        private PolicyStore? _store;
        private IReadOnlyList<AlertPolicy>? _registered;

        /// <summary>A policy from Get-AlertPolicy; changes made to the object itself are saved too.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public AlertPolicy[] InputObject { get; set; } = Array.Empty<AlertPolicy>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Url { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Body { get; set; }

        /// <summary>Replaces every header; <c>@{}</c> removes them all.</summary>
        [Parameter]
        public Hashtable? Header { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public AlertEventType[]? EventType { get; set; }

        /// <summary>Replaces every pattern; <c>@{}</c> removes them all.</summary>
        [Parameter]
        public Hashtable? Match { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? Description { get; set; }

        [Parameter]
        public SwitchParameter Enabled { get; set; }

        [Parameter]
        public SwitchParameter Disabled { get; set; }

        /// <summary>A Standard Webhooks secret or <c>{{ env.NAME }}</c>; an empty string stops signing.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? SigningSecret { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if (Enabled && Disabled)
            {
                ThrowTerminatingError(Errors.Create("EnabledAndDisabled", ErrorCategory.InvalidArgument,
                    "-Enabled and -Disabled cannot be used together.", null));
            }

            _store = PolicyStoreAccess.Open(this);
        }

        protected override void ProcessRecord()
        {
            var targets = PolicyStoreAccess.Select(this, _store!, ref _registered, ParameterSetName == InputObjectSet, InputObject, Name);
            foreach (var target in targets)
            {
                Update(target);
            }
        }

        private void Update(AlertPolicy original)
        {
            var policy = original.Clone();
            var changed = new List<string>();
            if (Url != null)
            {
                policy.SetUrl(Url);
                changed.Add("Url");
            }

            if (Body != null)
            {
                policy.Body = Body;
                policy.Preset = null;
                changed.Add("Body");
            }

            if (Header != null)
            {
                policy.SetHeaders(NewAlertPolicyCommand.ToHeaders(Header));
                changed.Add("Headers");
            }

            if (EventType != null)
            {
                policy.EventTypes = EventType.Distinct().ToArray();
                changed.Add("EventTypes");
            }

            if (Match != null)
            {
                policy.SetMatch(NewAlertPolicyCommand.ToHeaders(Match));
                changed.Add("Match");
            }

            if (Description != null)
            {
                policy.Description = Description.Length == 0 ? null : Description;
                changed.Add("Description");
            }

            if (Enabled || Disabled)
            {
                policy.Enabled = Enabled;
                changed.Add("Enabled");
            }

            if (SigningSecret != null)
            {
                policy.SigningSecret = SigningSecret.Length == 0 ? null : SigningSecret;
                changed.Add("SigningSecret");
            }

            var what = changed.Count == 0 ? "save" : "change " + string.Join(", ", changed);
            if (!ShouldProcess($"policy '{policy.Name}'", what))
            {
                return;
            }

            try
            {
                NewAlertPolicyCommand.WriteWarnings(this, policy.Name, PolicyValidator.Validate(policy));
                var stored = _store!.Update(policy);
                if (PassThru)
                {
                    WriteObject(stored);
                }
            }
            catch (Exception exception) when (exception is PolicyConflictException || exception is ArgumentException
                || exception is TemplateException || exception is DeliveryValidationException)
            {
                WriteError(Errors.From(exception, original));
            }
        }
    }
}
