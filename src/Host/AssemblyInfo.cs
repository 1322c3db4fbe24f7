[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Emotion.Host.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Emotion.Integration.Tests")]
