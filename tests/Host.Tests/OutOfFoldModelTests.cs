using Emotion.Host.Commands;

namespace Emotion.Host.Tests;

/// <summary>
/// <c>emotion train-answers --score-with DIR=writers</c>: a turn model may score only writers it was not trained on, as its
/// metrics.json says, and every train writer needs exactly one such model.
/// </summary>
public sealed class OutOfFoldModelTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("oof-").FullName;
    private static readonly string[] Train = ["w1", "w2", "w3", "w4"];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Model(string name, string? writers)
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        var hyper = writers is null ? "{\"epochs\": 4}" : $"{{\"epochs\": 4, \"writers\": \"{writers}\"}}";
        File.WriteAllText(Path.Combine(dir, "metrics.json"), $"{{\"version\": \"x\", \"hyperparameters\": {hyper}}}");
        return dir;
    }

    [Fact]
    public void Two_folds_that_cover_every_writer_out_of_fold_are_accepted()
    {
        var a = Model("a", "w1,w2");
        var b = Model("b", "w3,w4");
        var folds = OutOfFoldModel.Parse([$"{a}=w3,w4", $"{b}=w1,w2"], Train);
        Assert.Equal(2, folds.Count);
        Assert.Equal(["w3", "w4"], folds[0].Writers);
        Assert.Equal(["w1", "w2"], folds[0].TrainedOn);
        Assert.Equal(Path.GetFullPath(b), folds[1].Directory);
    }

    [Fact]
    public void A_model_asked_to_score_a_writer_it_was_trained_on_is_refused()
    {
        var a = Model("a", "w1,w2,w3");
        var b = Model("b", "w3,w4");
        var e = Assert.Throws<InvalidDataException>(() => OutOfFoldModel.Parse([$"{a}=w3,w4", $"{b}=w1,w2"], Train));
        Assert.Contains("trained on w3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_that_does_not_name_its_writers_is_refused()
    {
        var a = Model("a", null);
        var e = Assert.Throws<InvalidDataException>(() => OutOfFoldModel.Parse([$"{a}=w1,w2,w3,w4"], Train));
        Assert.Contains("hyperparameters.writers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_train_writer_needs_exactly_one_model()
    {
        var a = Model("a", "w1,w2");
        var b = Model("b", "w3,w4");
        var missing = Assert.Throws<InvalidDataException>(() => OutOfFoldModel.Parse([$"{a}=w3"], Train));
        Assert.Contains("no model scores w1,w2,w4", missing.Message, StringComparison.Ordinal);
        var twice = Assert.Throws<InvalidDataException>(() => OutOfFoldModel.Parse([$"{a}=w3,w4", $"{b}=w1,w2", $"{a}=w4"], Train));
        Assert.Contains("w4 is scored by both", twice.Message, StringComparison.Ordinal);
        var stranger = Assert.Throws<InvalidDataException>(() => OutOfFoldModel.Parse([$"{a}=w9"], Train));
        Assert.Contains("w9 is not one of the train writers", stranger.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => OutOfFoldModel.Parse(["no-equals-sign"], Train));
    }
}
