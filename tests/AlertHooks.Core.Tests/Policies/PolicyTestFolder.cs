namespace AlertHooks.Tests.Policies;

/// <summary>A private temporary folder per test, removed afterwards; tests never touch the user's AlertHooks home.</summary>
public sealed class PolicyTestFolder : IDisposable
{
    public PolicyTestFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "alerthooks-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static AlertPolicy Policy(string name, string url = "https://alerts.example.com/hook", params AlertEventType[] types) =>
        new(name, types.Length == 0 ? new[] { AlertEventType.JobFailure } : types, url, "{\"text\":\"{{alert_summary}}\"}");
}
