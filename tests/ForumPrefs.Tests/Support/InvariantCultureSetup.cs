using System.Globalization;
using System.Runtime.CompilerServices;

namespace ForumPrefs.Tests.Support;

/// <summary>The tests format and compare as the tool does (ForumPrefsApp pins the invariant culture), on any locale.</summary>
internal static class InvariantCultureSetup
{
    [ModuleInitializer]
    internal static void Pin() => CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
}
