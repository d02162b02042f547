using Enrichment.Abstractions;
using Enrichment.Grains.Training;
using Enrichment.Models;

namespace Enrichment.Grains.Tests.Training;

/// <summary>Issue 10, item 2: a diverged job must fail instead of persisting a number JSON cannot carry.</summary>
[Trait("Category", "Unit")]
public sealed class TrainingJobProgressTests
{
    private static TrainingJobProgress Running() => new(new TrainingJobStatus
    {
        JobId = "job-1", State = TrainingState.Running, Request = new TrainingRequest(), StartedAt = DateTimeOffset.UtcNow,
    });

    private static TrainingProgress Training(double loss, int iteration) =>
        new(TrainingPhase.Training, 1, 3, iteration, 10, loss, 0.5, 0.5, 0.05, TimeSpan.FromSeconds(1), null);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_non_finite_loss_ends_the_job_and_keeps_the_last_finite_status(double loss)
    {
        var progress = Running();
        progress.Report(Training(1.25, 1));

        var error = Assert.Throws<InvalidOperationException>(() => progress.Report(Training(loss, 2)));

        Assert.Contains("diverged", error.Message);
        Assert.Equal(1.25, progress.Status.Loss);
        Assert.Equal(1, progress.Status.Iteration);
    }
}
