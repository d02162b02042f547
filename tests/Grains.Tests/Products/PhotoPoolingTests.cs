using Enrichment.Abstractions;
using Enrichment.Grains.Products;

namespace Enrichment.Grains.Tests.Products;

/// <summary>How a product's photos' answers become one answer per attribute.</summary>
[Trait("Category", "Unit")]
public sealed class PhotoPoolingTests
{
    private static ModelResult Ok(string type, float confidence, string version = "sha256:v1", string caption = "a caption") => new()
    {
        Status = ModelResultStatus.Ok,
        ModelVersion = version,
        Caption = caption,
        Attributes = new() { [AttributeNames.Type] = new PredictedAttribute(type, confidence) { Input = "photo" } },
    };

    [Fact]
    public void One_photo_is_its_own_answer_driven_by_photo_0()
    {
        var pooled = PhotoPooling.Pool([Ok("Watches", 0.8f)]);

        var type = pooled.Result.Attributes[AttributeNames.Type];
        Assert.Equal(("Watches", 0.8f, 0), (type.Value, type.Confidence, type.Photo!.Value));
        Assert.Equal(1, pooled.Photos);
        Assert.Null(pooled.UnreadablePhotos);
    }

    [Fact]
    public void Agreeing_photos_keep_the_value_and_name_the_most_confident_photo()
    {
        var pooled = PhotoPooling.Pool([Ok("Shirts", 0.7f), Ok("Shirts", 0.9f), Ok("Shirts", 0.8f)]);

        var type = pooled.Result.Attributes[AttributeNames.Type];
        Assert.Equal("Shirts", type.Value);
        Assert.Equal(0.8f, type.Confidence, 3);
        Assert.Equal(1, type.Photo);
        Assert.Equal(3, pooled.Photos);
    }

    [Fact]
    public void One_very_confident_odd_view_does_not_outvote_the_others_and_disagreement_lowers_confidence()
    {
        // A detail shot read as a watch with 0.99; the two full views say shirt with 0.6 each: 1.2 against 0.99.
        var pooled = PhotoPooling.Pool([Ok("Shirts", 0.6f), Ok("Watches", 0.99f), Ok("Shirts", 0.6f)]);

        var type = pooled.Result.Attributes[AttributeNames.Type];
        Assert.Equal("Shirts", type.Value);
        Assert.Equal(0.4f, type.Confidence, 3);
        Assert.Equal(0, type.Photo);
    }

    [Fact]
    public void Equal_votes_go_to_the_earlier_photo()
    {
        var pooled = PhotoPooling.Pool([Ok("Tops", 0.5f), Ok("Shirts", 0.5f)]);

        Assert.Equal("Tops", pooled.Result.Attributes[AttributeNames.Type].Value);
    }

    [Fact]
    public void The_caption_is_the_primarys()
    {
        var pooled = PhotoPooling.Pool([Ok("Shirts", 0.5f, caption: "primary"), Ok("Shirts", 0.9f, caption: "second")]);

        Assert.Equal("primary", pooled.Result.Caption);
    }

    [Theory]
    [InlineData(ModelResultStatus.Busy)]
    [InlineData(ModelResultStatus.NoModel)]
    public void A_photo_that_must_wait_holds_back_the_whole_product(ModelResultStatus status)
    {
        var pooled = PhotoPooling.Pool([Ok("Shirts", 0.9f), ModelResult.Failed(status, "later")]);

        Assert.Equal(status, pooled.Result.Status);
    }

    [Fact]
    public void An_unreadable_photo_is_named_and_the_others_are_pooled()
    {
        var pooled = PhotoPooling.Pool([Ok("Shirts", 0.9f), ModelResult.Failed(ModelResultStatus.BadImage, "not in the image store"), Ok("Shirts", 0.7f)]);

        Assert.Equal(ModelResultStatus.Ok, pooled.Result.Status);
        Assert.Equal(2, pooled.Photos);
        Assert.Equal(0.8f, pooled.Result.Attributes[AttributeNames.Type].Confidence, 3);
        Assert.Equal("photo 2: not in the image store", pooled.UnreadablePhotos);
    }

    [Fact]
    public void Only_unreadable_photos_are_a_bad_image_naming_each()
    {
        var pooled = PhotoPooling.Pool([ModelResult.Failed(ModelResultStatus.BadImage, "corrupt"), ModelResult.Failed(ModelResultStatus.BadImage, "missing")]);

        Assert.Equal(ModelResultStatus.BadImage, pooled.Result.Status);
        Assert.Equal("photo 1: corrupt; photo 2: missing", pooled.Result.Error);
    }

    [Fact]
    public void Answers_of_two_model_versions_are_not_pooled_but_retried()
    {
        var pooled = PhotoPooling.Pool([Ok("Shirts", 0.9f, "sha256:v1"), Ok("Shirts", 0.9f, "sha256:v2")]);

        Assert.Equal(ModelResultStatus.Busy, pooled.Result.Status);
    }
}
