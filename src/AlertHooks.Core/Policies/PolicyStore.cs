using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using AlertHooks.Storage;

namespace AlertHooks.Policies
{
    /// <summary>What loading the store found: the policies that load, and a named problem for each file that does not.</summary>
    public sealed class PolicyLoadResult
    {
        internal PolicyLoadResult(IReadOnlyList<AlertPolicy> policies, IReadOnlyList<PolicyFileException> errors)
        {
            Policies = policies;
            Errors = errors;
        }

        /// <summary>Sorted by name.</summary>
        public IReadOnlyList<AlertPolicy> Policies { get; }

        public IReadOnlyList<PolicyFileException> Errors { get; }
    }

    /// <summary>
    /// The registered policies: one file per policy, <c>&lt;id&gt;.json</c>, in <see cref="Configuration.PolicyStorePath"/>.
    /// Reads need no lock (every write is a rename of a complete file); every change holds the store's lock file
    /// while it checks names and ids, so that processes registering at once never lose a policy or share a name.
    /// </summary>
    public sealed class PolicyStore
    {
        private const string LockFileName = ".lock";

        public PolicyStore(string directory)
        {
            Directory = Path.GetFullPath(directory);
        }

        public string Directory { get; }

        /// <summary>How long a change waits for another process that holds the store.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>The store of the current configuration.</summary>
        public static PolicyStore Open() => new PolicyStore(Configuration.Load().PolicyStorePath);

        public string PathOf(string id) => Path.Combine(Directory, id + ".json");

        public PolicyLoadResult Load()
        {
            var policies = new List<AlertPolicy>();
            var errors = new List<PolicyFileException>();
            if (!System.IO.Directory.Exists(Directory))
            {
                return new PolicyLoadResult(policies, errors);
            }

            foreach (var path in System.IO.Directory.GetFiles(Directory, "*.json").OrderBy(p => p, StringComparer.Ordinal))
            {
                try
                {
                    var document = PolicyFile.Read(path);
                    if (!string.Equals(Path.GetFileName(path), document.Policy.Id + ".json", StringComparison.Ordinal))
                    {
                        throw new PolicyFileException(path, $"holds policy id '{document.Policy.Id}', but a store file must be named after its id ('{document.Policy.Id}.json').");
                    }

                    policies.Add(document.Policy);
                }
                catch (PolicyFileException exception)
                {
                    errors.Add(exception);
                }
                catch (FileNotFoundException)
                {
                    // Unregistered by another process between the listing and the read.
                }
            }

            return new PolicyLoadResult(policies.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList(), errors);
        }

        /// <summary>Stores a copy of <paramref name="policy"/>; an existing name is replaced only with <paramref name="force"/>.</summary>
        public AlertPolicy Register(AlertPolicy policy, bool force)
        {
            PolicyValidator.Validate(policy);
            using (Lock())
            {
                var current = Index();
                var sameName = Find(current, policy.Name);
                if (sameName != null && !force)
                {
                    throw new PolicyConflictException("PolicyExists",
                        $"A policy named '{sameName.Name}' is already registered. Use -Force to replace it, or Set-AlertPolicy to change it.", policy.Name);
                }

                CheckIdFree(current, policy, except: sameName);
                var stored = policy.Clone();
                stored.Created = sameName != null && sameName.Id == policy.Id ? sameName.Created : Clock();
                stored.Modified = Clock();
                StateFile.WriteAtomic(PathOf(stored.Id), PolicyFile.ToStoreJson(stored));
                if (sameName != null && sameName.Id != stored.Id)
                {
                    File.Delete(PathOf(sameName.Id));
                }

                return stored.Clone();
            }
        }

        /// <summary>
        /// Replaces a registered policy (found by id, else by name) with <paramref name="policy"/>, keeping its id and
        /// creation time; the new name must not belong to another policy.
        /// </summary>
        public AlertPolicy Update(AlertPolicy policy)
        {
            PolicyValidator.Validate(policy);
            using (Lock())
            {
                var current = Index();
                var existing = current.FirstOrDefault(p => p.Id == policy.Id) ?? Find(current, policy.Name)
                    ?? throw new PolicyConflictException("PolicyNotFound", $"No policy named '{policy.Name}' is registered. Use Register-AlertPolicy to add it.", policy.Name);
                var clash = Find(current, policy.Name);
                if (clash != null && clash.Id != existing.Id)
                {
                    throw new PolicyConflictException("PolicyExists", $"Another registered policy is already named '{clash.Name}'.", policy.Name);
                }

                var stored = policy.Clone(existing.Id);
                stored.Created = existing.Created;
                stored.Modified = Clock();
                StateFile.WriteAtomic(PathOf(stored.Id), PolicyFile.ToStoreJson(stored));
                return stored.Clone();
            }
        }

        /// <summary>Removes a policy by id; false when it was not there.</summary>
        public bool Remove(string id)
        {
            PolicyValidator.ValidateId(id);
            using (Lock())
            {
                var path = PathOf(id);
                if (!File.Exists(path))
                {
                    return false;
                }

                File.Delete(path);
                return true;
            }
        }

        /// <summary>
        /// Applies the chosen entries of a sync plan in one hold of the lock. The end state is checked before anything
        /// is written (no two policies with one name), every new file is written to a temporary name first, and only
        /// then are they renamed into place and removed policies deleted.
        /// </summary>
        public void Apply(IEnumerable<PolicyPlanEntry> entries)
        {
            var chosen = entries.Where(e => e.Action != PolicyPlanAction.Unchanged).ToList();
            if (chosen.Count == 0)
            {
                return;
            }

            using (Lock())
            {
                var final = Index().ToDictionary(p => p.Id, StringComparer.Ordinal);
                var writes = new List<AlertPolicy>();
                var deletes = new List<string>();
                foreach (var entry in chosen)
                {
                    var existing = entry.Existing == null ? null : final.Values.FirstOrDefault(p => p.Id == entry.Existing.Id);
                    if (entry.Action == PolicyPlanAction.Remove)
                    {
                        if (existing != null)
                        {
                            final.Remove(existing.Id);
                            deletes.Add(existing.Id);
                        }

                        continue;
                    }

                    var stored = entry.Desired!.Clone(entry.KeepsStoredId && existing != null ? existing.Id : null);
                    stored.Created = existing?.Created ?? Clock();
                    stored.Modified = Clock();
                    if (existing != null && existing.Id != stored.Id)
                    {
                        final.Remove(existing.Id);
                        deletes.Add(existing.Id);
                    }

                    if (final.TryGetValue(stored.Id, out var holder) && holder != existing)
                    {
                        throw new PolicyConflictException("PolicyIdInUse",
                            $"'{entry.Path}' gives policy '{stored.Name}' the id {stored.Id}, which belongs to the registered policy '{holder.Name}'; nothing was changed.", stored.Name);
                    }

                    final[stored.Id] = new StoredEntry(stored.Id, stored.Name, stored.Created);
                    writes.Add(stored);
                }

                var duplicate = final.Values.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
                if (duplicate != null)
                {
                    throw new PolicyConflictException("PolicyExists",
                        $"Applying the plan would give two policies the name '{duplicate.Key}' (ids {string.Join(", ", duplicate.Select(p => p.Id))}); nothing was changed.", duplicate.Key);
                }

                deletes.RemoveAll(id => writes.Any(w => w.Id == id));
                var staged = new List<KeyValuePair<string, string>>();
                try
                {
                    foreach (var write in writes)
                    {
                        staged.Add(new KeyValuePair<string, string>(StateFile.Stage(PathOf(write.Id), PolicyFile.ToStoreJson(write)), PathOf(write.Id)));
                    }
                }
                catch
                {
                    staged.ForEach(s => StateFile.Discard(s.Key));
                    throw;
                }

                foreach (var pair in staged)
                {
                    StateFile.Commit(pair.Key, pair.Value);
                }

                foreach (var id in deletes)
                {
                    File.Delete(PathOf(id));
                }
            }
        }

        /// <summary>
        /// Holds the store. Every store write happens under this lock, so a temporary file found while holding it was
        /// left by a process that died mid-write, and is removed.
        /// </summary>
        private IDisposable Lock()
        {
            var held = StateFile.Lock(Path.Combine(Directory, LockFileName), LockTimeout);
            foreach (var stale in System.IO.Directory.GetFiles(Directory, ".*.tmp"))
            {
                StateFile.Discard(stale);
            }

            return held;
        }

        /// <summary>
        /// Name, id and creation time of every stored policy: all that a change needs to check, read without validating
        /// every template again (a file too broken for that is reported by <see cref="Load"/>, not here).
        /// </summary>
        private List<StoredEntry> Index()
        {
            var entries = new List<StoredEntry>();
            if (!System.IO.Directory.Exists(Directory))
            {
                return entries;
            }

            foreach (var path in System.IO.Directory.GetFiles(Directory, "*.json"))
            {
                try
                {
                    using (var document = JsonDocument.Parse(File.ReadAllBytes(path)))
                    {
                        var root = document.RootElement;
                        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                        {
                            var created = root.TryGetProperty("created", out var time) && time.ValueKind == JsonValueKind.String && time.TryGetDateTimeOffset(out var parsed)
                                ? parsed
                                : Clock();
                            entries.Add(new StoredEntry(Path.GetFileNameWithoutExtension(path), name.GetString()!, created));
                        }
                    }
                }
                catch (Exception exception) when (exception is JsonException || exception is IOException)
                {
                    // Unreadable now: Get-AlertPolicy names the file; a change can still go ahead around it.
                }
            }

            return entries;
        }

        private static StoredEntry? Find(IEnumerable<StoredEntry> entries, string name) =>
            entries.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        private static void CheckIdFree(IEnumerable<StoredEntry> current, AlertPolicy policy, StoredEntry? except)
        {
            var sameId = current.FirstOrDefault(p => p.Id == policy.Id);
            if (sameId != null && sameId != except)
            {
                throw new PolicyConflictException("PolicyIdInUse",
                    $"The id {policy.Id} already belongs to the registered policy '{sameId.Name}'. Create a new policy with New-AlertPolicy, or change '{sameId.Name}' with Set-AlertPolicy.", policy.Name);
            }
        }
    }

    internal sealed class StoredEntry
    {
        public StoredEntry(string id, string name, DateTimeOffset created)
        {
            Id = id;
            Name = name;
            Created = created;
        }

        public string Id { get; }
        public string Name { get; }
        public DateTimeOffset Created { get; }
    }
}
