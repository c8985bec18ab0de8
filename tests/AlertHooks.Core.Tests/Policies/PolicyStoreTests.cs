using AlertHooks.Policies;
using Xunit;

namespace AlertHooks.Tests.Policies;

public class PolicyStoreTests : IDisposable
{
    private readonly PolicyTestFolder _folder = new();
    private readonly PolicyStore _store;

    public PolicyStoreTests()
    {
        _store = new PolicyStore(_folder.Combine("policies"));
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void RegisteredPolicyLoadsBackWithEveryField()
    {
        var policy = new AlertPolicy("ops", new[] { AlertEventType.JobFailure, AlertEventType.JobSuccess }, "https://hooks.slack.com/services/T0/B0/SECRETXYZ",
            "{\"text\":\"{{alert_summary}}\"}", new Dictionary<string, string> { ["X-Api-Key"] = "k-123456" })
        {
            Description = "on-call",
            Enabled = false,
            SigningSecret = "{{ env.OPS_SIGNING }}",
        };
        policy.Match["job_name"] = "daily_*";

        _store.Register(policy, force: false);
        var loaded = Assert.Single(_store.Load().Policies);

        Assert.Empty(PolicySync.Differences(policy, loaded));
        Assert.Equal(policy.Id, loaded.Id);
        Assert.Equal(TargetKind.Slack, loaded.Target);
        Assert.Equal("k-123456", loaded.RawHeaders["X-Api-Key"]);
    }

    [Fact]
    public void AnExistingNameIsRefusedUnlessForced()
    {
        var first = _store.Register(PolicyTestFolder.Policy("ops"), force: false);

        var clash = Assert.Throws<PolicyConflictException>(() => _store.Register(PolicyTestFolder.Policy("OPS"), force: false));
        Assert.Equal("PolicyExists", clash.Code);
        Assert.Contains("'ops'", clash.Message);

        var replacement = _store.Register(PolicyTestFolder.Policy("OPS", "https://alerts.example.com/other"), force: true);
        var loaded = Assert.Single(_store.Load().Policies);
        Assert.Equal(replacement.Id, loaded.Id);
        Assert.NotEqual(first.Id, loaded.Id);
        Assert.Single(Directory.GetFiles(_store.Directory, "*.json"));
    }

    [Fact]
    public void StoreFilesAreReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var stored = _store.Register(PolicyTestFolder.Policy("ops"), force: false);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_store.PathOf(stored.Id)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_store.Directory));
    }

    [Fact]
    public void UpdateKeepsIdAndCreationAndRefusesAnotherPoliciesName()
    {
        var ops = _store.Register(PolicyTestFolder.Policy("ops"), force: false);
        _store.Register(PolicyTestFolder.Policy("dev"), force: false);
        var changed = ops.Clone();
        changed.Description = "changed";

        var updated = _store.Update(changed);
        Assert.Equal(ops.Id, updated.Id);
        Assert.Equal(ops.Created, updated.Created);
        Assert.Equal("changed", _store.Load().Policies.Single(p => p.Name == "ops").Description);

        changed.Name = "dev";
        Assert.Equal("PolicyExists", Assert.Throws<PolicyConflictException>(() => _store.Update(changed)).Code);
        Assert.Equal("PolicyNotFound", Assert.Throws<PolicyConflictException>(() => _store.Update(PolicyTestFolder.Policy("ghost"))).Code);
    }

    [Fact]
    public void RemoveDeletesTheFile()
    {
        var ops = _store.Register(PolicyTestFolder.Policy("ops"), force: false);

        Assert.True(_store.Remove(ops.Id));
        Assert.False(_store.Remove(ops.Id));
        Assert.Empty(_store.Load().Policies);
    }

    [Fact]
    public void ACorruptFileIsReportedByNameWhileTheOthersLoad()
    {
        _store.Register(PolicyTestFolder.Policy("a"), force: false);
        _store.Register(PolicyTestFolder.Policy("b"), force: false);
        var broken = Path.Combine(_store.Directory, "0b5e1d1e-0000-4000-8000-000000000001.json");
        File.WriteAllText(broken, "{ \"schemaVersion\": 1, \"name\": \"half");

        var result = _store.Load();

        Assert.Equal(new[] { "a", "b" }, result.Policies.Select(p => p.Name));
        var error = Assert.Single(result.Errors);
        Assert.Equal(broken, error.Path);
        Assert.Contains(broken, error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void ConcurrentRegistrationsLoseNothingAndNeverShareAName()
    {
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 24, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            // Half the writers race for the same name: exactly one of them may win it.
            var name = i % 2 == 0 ? $"policy-{i}" : "contested";
            try
            {
                new PolicyStore(_store.Directory).Register(PolicyTestFolder.Policy(name), force: false);
                outcomes.Add("ok");
            }
            catch (PolicyConflictException exception)
            {
                outcomes.Add(exception.Code);
            }
        });

        var loaded = _store.Load();
        Assert.Empty(loaded.Errors);
        Assert.Equal(13, loaded.Policies.Count);
        Assert.Equal(13, outcomes.Count(o => o == "ok"));
        Assert.Equal(11, outcomes.Count(o => o == "PolicyExists"));
        Assert.Empty(Directory.GetFiles(_store.Directory, "*.tmp"));
    }

    [Fact]
    public void ApplyWithAConflictingEndStateChangesNothing()
    {
        _store.Register(PolicyTestFolder.Policy("a"), force: false);
        var before = Directory.GetFiles(_store.Directory).Select(File.ReadAllText).OrderBy(t => t).ToList();
        var desired = new[]
        {
            new PolicyDocument(PolicyTestFolder.Policy("b"), "b.json", hasId: true, Array.Empty<TemplateDiagnostic>()),
            new PolicyDocument(PolicyTestFolder.Policy("B"), "B2.json", hasId: true, Array.Empty<TemplateDiagnostic>()),
        };
        var plan = PolicySync.Plan(desired, _store.Load().Policies, prune: true);

        Assert.Throws<PolicyConflictException>(() => _store.Apply(plan));
        Assert.Equal(before, Directory.GetFiles(_store.Directory).Select(File.ReadAllText).OrderBy(t => t).ToList());
    }

    [Fact]
    public void ApplyRefusesAFileThatTakesAnotherPoliciesId()
    {
        var registered = _store.Register(PolicyTestFolder.Policy("a"), force: false);
        var impostor = PolicyTestFolder.Policy("b").Clone(registered.Id);
        var plan = PolicySync.Plan(new[] { new PolicyDocument(impostor, "b.json", hasId: true, Array.Empty<TemplateDiagnostic>()) }, _store.Load().Policies, prune: false);

        Assert.Equal("PolicyIdInUse", Assert.Throws<PolicyConflictException>(() => _store.Apply(plan)).Code);
        Assert.Equal("a", Assert.Single(_store.Load().Policies).Name);
    }

    [Fact]
    public void ATempFileLeftByADeadWriterIsRemovedAndNeverLoaded()
    {
        _store.Register(PolicyTestFolder.Policy("a"), force: false);
        var stale = Path.Combine(_store.Directory, ".0b5e1d1e-0000-4000-8000-000000000002.json.0123.tmp");
        File.WriteAllText(stale, "{ \"name\": \"half-writ");

        Assert.Single(_store.Load().Policies);
        Assert.Empty(_store.Load().Errors);
        _store.Register(PolicyTestFolder.Policy("b"), force: false);
        Assert.False(File.Exists(stale));
    }
}
