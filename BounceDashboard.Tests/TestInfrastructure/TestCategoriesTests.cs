using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>Keeps the fast suite fast: a test that starts a process must say so with its category.</summary>
public sealed class TestCategoriesTests
{
    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void TestMethods_ShouldCarryAnE2EOrBrowserCategory_WhenTheirClassStartsAProcess()
    {
        var starters = typeof(TestCategoriesTests).Assembly.GetTypes()
            .Where(StartsAProcess)
            .Select(OutermostType)
            .Distinct()
            .ToList();

        var unmarked = starters
            .SelectMany(type => type.GetMethods(Everything).Where(IsTest).Select(method => (type, method)))
            .Where(t => !HasCategory(t.method, TestCategories.E2E, TestCategories.Browser)
                && !HasCategory(t.type, TestCategories.E2E, TestCategories.Browser))
            .Select(t => $"{t.type.Name}.{t.method.Name}")
            .ToList();

        Assert.Contains(starters, type => type.Name == "CliProcessTests");
        Assert.Empty(unmarked);
    }

    /// <summary>
    /// A type that holds a <see cref="Process"/>, an <see cref="AppProcess"/> or a <see cref="CliProcess"/> in a field or a local (an async
    /// method's locals become fields of its compiler-generated state machine, a nested type).
    /// </summary>
    private static bool StartsAProcess(Type type) =>
        type != typeof(AppProcess) && type != typeof(CliProcess)
        && (type.GetFields(Everything).Any(f => IsProcess(f.FieldType))
            || type.GetMethods(Everything).Any(m => m.GetMethodBody()?.LocalVariables.Any(l => IsProcess(l.LocalType)) == true));

    private static bool IsProcess(Type type) => type == typeof(Process) || type == typeof(AppProcess) || type == typeof(CliProcess);

    private static Type OutermostType(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static bool IsTest(MethodInfo method) =>
        method.GetCustomAttributes<FactAttribute>(inherit: true).Any() && method.GetCustomAttribute<CompilerGeneratedAttribute>() is null;

    private static bool HasCategory(MemberInfo member, params string[] categories) =>
        member.GetCustomAttributesData().Any(a =>
            a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments is [{ Value: "Category" }, { Value: string value }]
            && categories.Contains(value, StringComparer.Ordinal));
}
