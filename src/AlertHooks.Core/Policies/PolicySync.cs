using System;
using System.Collections.Generic;
using System.Linq;

namespace AlertHooks
{
    public enum PolicyPlanAction
    {
        Add,
        Change,
        Remove,
        Unchanged,
    }

    /// <summary>One line of a sync plan: what would happen (or happened) to one policy, and which fields differ.</summary>
    public sealed class PolicyPlanEntry
    {
        internal PolicyPlanEntry(string name, PolicyPlanAction action, IReadOnlyList<string> changes, string id, string? path)
        {
            Name = name;
            Action = action;
            Changes = changes;
            Id = id;
            Path = path;
        }

        public string Name { get; }
        public PolicyPlanAction Action { get; }

        /// <summary>The names of the fields that differ (never their values, which may be secrets).</summary>
        public IReadOnlyList<string> Changes { get; }

        /// <summary>The id the policy has (Remove, Unchanged) or will have (Add, Change).</summary>
        public string Id { get; }

        /// <summary>The file the policy comes from; empty for Remove.</summary>
        public string? Path { get; }

        /// <summary>True once the change was made in the store.</summary>
        public bool Applied { get; internal set; }

        internal AlertPolicy? Desired { get; set; }
        internal AlertPolicy? Existing { get; set; }

        /// <summary>The file gave no id, so a changed policy keeps the one it has in the store.</summary>
        internal bool KeepsStoredId { get; set; }

        public override string ToString() => Changes.Count == 0 ? $"{Action} {Name}" : $"{Action} {Name} ({string.Join(", ", Changes)})";
    }
}

namespace AlertHooks.Policies
{
    /// <summary>Compares a folder of policy files with the store: policies are matched by name (case-insensitive).</summary>
    public static class PolicySync
    {
        public static IReadOnlyList<PolicyPlanEntry> Plan(IEnumerable<PolicyDocument> desired, IEnumerable<AlertPolicy> current, bool prune)
        {
            var stored = current.ToList();
            var plan = new List<PolicyPlanEntry>();
            foreach (var document in desired.OrderBy(d => d.Policy.Name, StringComparer.OrdinalIgnoreCase))
            {
                var policy = document.Policy;
                var existing = stored.FirstOrDefault(p => string.Equals(p.Name, policy.Name, StringComparison.OrdinalIgnoreCase));
                if (existing == null)
                {
                    plan.Add(new PolicyPlanEntry(policy.Name, PolicyPlanAction.Add, Array.Empty<string>(), policy.Id, document.Path) { Desired = policy });
                    continue;
                }

                var changes = Differences(policy, existing, compareId: document.HasId);
                var action = changes.Count == 0 ? PolicyPlanAction.Unchanged : PolicyPlanAction.Change;
                var id = document.HasId ? policy.Id : existing.Id;
                plan.Add(new PolicyPlanEntry(policy.Name, action, changes, id, document.Path)
                {
                    Desired = policy,
                    Existing = existing,
                    KeepsStoredId = !document.HasId,
                });
            }

            if (prune)
            {
                foreach (var existing in stored.Where(p => !plan.Any(e => string.Equals(e.Name, p.Name, StringComparison.OrdinalIgnoreCase))))
                {
                    plan.Add(new PolicyPlanEntry(existing.Name, PolicyPlanAction.Remove, Array.Empty<string>(), existing.Id, null) { Existing = existing });
                }
            }

            return plan;
        }

        /// <summary>The fields in which two policies differ, in a fixed order.</summary>
        public static IReadOnlyList<string> Differences(AlertPolicy desired, AlertPolicy existing, bool compareId = true)
        {
            var changes = new List<string>();
            void Check(string field, bool same)
            {
                if (!same)
                {
                    changes.Add(field);
                }
            }

            Check("Name", string.Equals(desired.Name, existing.Name, StringComparison.Ordinal));
            Check("Id", !compareId || desired.Id == existing.Id);
            Check("Description", string.Equals(desired.Description ?? string.Empty, existing.Description ?? string.Empty, StringComparison.Ordinal));
            Check("Enabled", desired.Enabled == existing.Enabled);
            Check("EventTypes", desired.EventTypes.OrderBy(t => t).SequenceEqual(existing.EventTypes.OrderBy(t => t)));
            Check("Target", desired.Target == existing.Target);
            Check("Url", desired.RawUrl == existing.RawUrl);
            Check("Headers", SameMap(desired.RawHeaders, existing.RawHeaders, StringComparer.OrdinalIgnoreCase));
            Check("SigningSecret", (desired.SigningSecret ?? string.Empty) == (existing.SigningSecret ?? string.Empty));
            Check("Match", SameMap(desired.Match, existing.Match, StringComparer.Ordinal));
            Check("Preset", string.Equals(desired.Preset ?? string.Empty, existing.Preset ?? string.Empty, StringComparison.OrdinalIgnoreCase));
            Check("Body", PolicyFile.CanonicalBody(desired.Body) == PolicyFile.CanonicalBody(existing.Body));
            return changes;
        }

        private static bool SameMap(IDictionary<string, string> a, IDictionary<string, string> b, StringComparer keys)
        {
            if (a.Count != b.Count)
            {
                return false;
            }

            var lookup = new Dictionary<string, string>(b, keys);
            return a.All(pair => lookup.TryGetValue(pair.Key, out var value) && value == pair.Value);
        }
    }
}
