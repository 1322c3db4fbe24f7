using Emotion.Ingest.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Emotion.Ingest.Kafka;

/// <summary>Registration of the ingest stage.</summary>
public static class IngestExtensions
{
    /// <summary>
    /// Binds <see cref="KafkaOptions"/> to the <c>Kafka</c> section (validated at start), and registers the
    /// <see cref="MessageDecoder"/> and one shared <see cref="JsonMessageProducer"/>. The pipeline creates its
    /// <see cref="SegmentConsumer"/> itself, since it owns the channel the consumer writes to.
    /// </summary>
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        builder.Services.TryAddSingleton(sp => new MessageDecoder(sp.GetRequiredService<IOptions<KafkaOptions>>().Value.AudioTopic));
        builder.Services.TryAddSingleton(sp => new JsonMessageProducer(sp.GetRequiredService<IOptions<KafkaOptions>>().Value));
        return builder;
    }
}
