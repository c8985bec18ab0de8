using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Completers;
using AlertHooks.Targets;

namespace AlertHooks.Commands
{
    /// <summary>The built-in body templates: Slack, Discord, Teams, PagerDuty and Generic.</summary>
    [Cmdlet(VerbsCommon.Get, "AlertPreset")]
    [OutputType(typeof(AlertPreset))]
    public sealed class GetAlertPresetCommand : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PresetNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>The event types the body is for: the Generic preset then holds exactly their tokens.</summary>
        [Parameter(Position = 1)]
        public AlertEventType[]? EventType { get; set; }

        protected override void ProcessRecord()
        {
            var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in Name ?? new[] { "*" })
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                var matches = Presets.All.Where(p => pattern.IsMatch(p.Name)).ToArray();
                foreach (var preset in matches.Where(p => written.Add(p.Name)))
                {
                    WriteObject(EventType == null || EventType.Length == 0 ? preset : preset.For(EventType));
                }

                if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(Errors.Create("PresetNotFound", ErrorCategory.ObjectNotFound,
                        $"'{name}' is not a preset. The presets are {string.Join(", ", Presets.All.Select(p => p.Name))}.", name));
                }
            }
        }
    }
}
