namespace Emotion.Store;

/// <summary>Marker for the Store assembly.</summary>
public static class AssemblyMarker;
