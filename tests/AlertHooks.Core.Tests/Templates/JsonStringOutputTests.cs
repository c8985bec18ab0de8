using System.Text;
using System.Text.Json;
using AlertHooks.Templates;
using Xunit;

namespace AlertHooks.Tests.Templates;

public class JsonStringOutputTests
{
    private static string Written(params string[] writes)
    {
        var builder = new StringBuilder("\"");
        var output = new JsonStringOutput(builder);
        foreach (var write in writes)
        {
            output.Write(write);
        }

        output.Complete();
        return JsonSerializer.Deserialize<string>(builder.Append('"').ToString())!;
    }

    [Fact]
    public void SurrogatePairSplitAcrossWritesStaysAPair() => Assert.Equal("a😀b", Written("a\uD83D", "\uDE00b"));

    [Fact]
    public void HighSurrogateWithoutItsPartnerBecomesTheReplacementCharacter()
    {
        Assert.Equal("\uFFFDx", Written("\uD83D", "x"));
        Assert.Equal("x\uFFFD", Written("x\uD83D"));
        Assert.Equal("\uFFFD\uFFFD", Written("\uD83D", "\uD83D"));
    }

    [Fact]
    public void BufferWritesAreEscapedToo()
    {
        var builder = new StringBuilder("\"");
        var output = new JsonStringOutput(builder);
        var span = output.GetSpan(4);
        "\"\n\\".AsSpan().CopyTo(span);
        output.Advance(3);
        output.Complete();

        Assert.Equal("\"\n\\", JsonSerializer.Deserialize<string>(builder.Append('"').ToString()));
    }
}
