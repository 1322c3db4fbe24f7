namespace Emotion.Ingest;

/// <summary>Marker for the Ingest assembly.</summary>
public static class AssemblyMarker;
