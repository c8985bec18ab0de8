using System.Collections.Generic;
using System.Linq;

namespace AlertHooks
{
    /// <summary>A built-in body template for a target, ready for <c>New-AlertPolicy -Preset</c>.</summary>
    public sealed class AlertPreset
    {
        internal AlertPreset(string name, TargetKind target, string body, string description, IReadOnlyList<AlertEventType> eventTypes)
        {
            Name = name;
            Target = target;
            Body = body;
            Description = description;
            EventTypes = eventTypes;
        }

        public string Name { get; }

        /// <summary>The target the body is written for, and whose validator accepts it.</summary>
        public TargetKind Target { get; }

        public string Body { get; }

        public string Description { get; }

        /// <summary>The event types the body was generated for (Generic lists only their tokens); every type for the others.</summary>
        public IReadOnlyList<AlertEventType> EventTypes { get; }

        /// <summary>The preset for some event types: Generic holds exactly their tokens, the others do not change.</summary>
        public AlertPreset For(IEnumerable<AlertEventType> eventTypes)
        {
            var types = eventTypes.Distinct().OrderBy(t => t).ToArray();
            return Target == TargetKind.Generic && types.Length > 0
                ? new AlertPreset(Name, Target, Targets.Presets.GenericBody(types), Description, types)
                : this;
        }

        public override string ToString() => Name;
    }
}
