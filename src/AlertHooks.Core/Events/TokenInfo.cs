using System.Collections.Generic;

namespace AlertHooks
{
    /// <summary>One template token: its name, what it holds and which event types provide it.</summary>
    public sealed class TokenInfo
    {
        internal TokenInfo(string name, string description, string example, bool isGlobal, IReadOnlyList<AlertEventType> eventTypes, string group)
        {
            Name = name;
            Description = description;
            Example = example;
            IsGlobal = isGlobal;
            EventTypes = eventTypes;
            Group = group;
        }

        public string Name { get; }
        public string Description { get; }
        public string Example { get; }
        public bool IsGlobal { get; }

        /// <summary>Event types that provide the token; every type for a global token.</summary>
        public IReadOnlyList<AlertEventType> EventTypes { get; }

        /// <summary>The section of the platform's token reference the token comes from.</summary>
        public string Group { get; }

        /// <summary>The token as written in a body template.</summary>
        public string Template => "{{" + Name + "}}";

        public override string ToString() => Name;
    }
}
