using AlertHooks.Policies;
using Xunit;

namespace AlertHooks.Tests.Policies;

public class PolicySyncTests
{
    private static PolicyDocument File(AlertPolicy policy, bool hasId = true) =>
        new(policy, policy.Name + ".json", hasId, Array.Empty<TemplateDiagnostic>());

    [Fact]
    public void ThePlanSaysAddChangeUnchangedAndRemoveOnlyWhenPruning()
    {
        var same = PolicyTestFolder.Policy("same");
        var changed = PolicyTestFolder.Policy("changed");
        var gone = PolicyTestFolder.Policy("gone");
        var store = new[] { same, changed, gone };
        var edited = changed.Clone();
        edited.Body = "{\"text\":\"{{alert_summary}} {{run_link}}\"}";
        edited.Enabled = false;
        var reformatted = same.Clone();
        reformatted.Body = "{\n  \"text\": \"{{alert_summary}}\"\n}";
        var folder = new[] { File(reformatted), File(edited), File(PolicyTestFolder.Policy("new")) };

        var plan = PolicySync.Plan(folder, store, prune: false);
        Assert.Equal(new[] { "changed:Change", "new:Add", "same:Unchanged" }, plan.Select(e => $"{e.Name}:{e.Action}"));
        Assert.Equal(new[] { "Enabled", "Body" }, plan[0].Changes);

        var pruned = PolicySync.Plan(folder, store, prune: true);
        var remove = Assert.Single(pruned, e => e.Action == PolicyPlanAction.Remove);
        Assert.Equal("gone", remove.Name);
        Assert.Equal(gone.Id, remove.Id);
    }

    [Fact]
    public void AFileWithoutIdKeepsTheStoredId()
    {
        var stored = PolicyTestFolder.Policy("ops");
        var fromFile = stored.Clone(PolicyFile.NameBasedId("ops"));

        var withoutId = Assert.Single(PolicySync.Plan(new[] { File(fromFile, hasId: false) }, new[] { stored }, prune: false));
        Assert.Equal(PolicyPlanAction.Unchanged, withoutId.Action);
        Assert.Equal(stored.Id, withoutId.Id);

        var withId = Assert.Single(PolicySync.Plan(new[] { File(fromFile) }, new[] { stored }, prune: false));
        Assert.Equal(new[] { "Id" }, withId.Changes);
    }
}
