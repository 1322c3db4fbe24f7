namespace Emotion.Host.Pipeline;

/// <summary>Where a Kafka message was read; its offset may be committed once its effects are durable.</summary>
public readonly record struct MessagePosition(string Topic, int Partition, long Offset);
