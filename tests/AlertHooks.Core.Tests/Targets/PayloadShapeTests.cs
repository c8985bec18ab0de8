using AlertHooks.Targets;
using Xunit;

namespace AlertHooks.Tests.Targets;

public class PayloadShapeTests
{
    [Fact]
    public void EveryPresetIsRecognisedAsItsTarget()
    {
        foreach (var preset in Presets.All)
        {
            Assert.Equal(preset.Target, PayloadShape.Guess(preset.Body));
        }
    }

    [Fact]
    public void ReferenceBodiesAreRecognised()
    {
        Assert.Equal(TargetKind.Discord, PayloadShape.Guess(ReferenceBodies.Discord));
        Assert.Equal(TargetKind.Slack, PayloadShape.Guess(ReferenceBodies.Slack));
    }

    [Theory]
    [InlineData("""{"text":"{{alert_summary}}"}""")]
    [InlineData("""["{{alert_summary}}"]""")]
    [InlineData("""{"attachments":[],"type":"card"}""")]
    [InlineData("""{"n": {{ threshold }} }""")]
    [InlineData("")]
    public void AnythingElseIsGeneric(string body) => Assert.Equal(TargetKind.Generic, PayloadShape.Guess(body));
}
