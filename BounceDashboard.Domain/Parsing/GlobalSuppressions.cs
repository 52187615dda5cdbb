using System.Diagnostics.CodeAnalysis;

// The engine's parts are injectable instances (ARCHITECTURE §5 #5: no static helpers), even where a member
// holds no state today.
[assembly: SuppressMessage("Performance", "CA1822:Mark members as static", Scope = "namespaceanddescendants",
    Target = "~N:BounceDashboard.Domain.Parsing", Justification = "Injectable parser parts, not static helpers.")]
