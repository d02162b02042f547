using System.Reflection;

namespace Enrichment.TestSupport;

/// <summary>
/// The rule behind `dotnet test --filter Category=...`: every test class carries exactly one category, on the class
/// itself, from <see cref="Known"/>. A class without one silently drops out of every filtered run (a newcomer's
/// `Category=Unit` would miss it, and `Category!=Browser` would include a browser test that forgot to say so).
/// Read by reflection over attribute data, so this file needs no xunit reference (Models.Tests compiles it in as a
/// link; the other test projects get it through this library).
/// </summary>
public static class TestCategories
{
    /// <summary>Least to most demanding; a class that needs several takes the most demanding one.</summary>
    public static readonly IReadOnlyList<string> Known = ["Unit", "Cluster", "Postgres", "Processes", "Browser"];

    private const string Trait = "Xunit.TraitAttribute";
    private const string Fact = "Xunit.FactAttribute";

    /// <summary>One line per test class of <paramref name="tests"/> that breaks the rule, saying how; empty when all keep it.</summary>
    public static IReadOnlyList<string> Problems(Assembly tests)
    {
        var problems = new List<string>();
        foreach (var type in tests.GetTypes().Where(t => t.IsClass && !t.IsAbstract && HasTests(t)))
        {
            var categories = CategoriesOf(type.GetCustomAttributesData());
            if (categories.Count != 1)
            {
                problems.Add($"{type.FullName}: {categories.Count} categories ({string.Join(", ", categories)}); add exactly one " +
                             $"[Trait(\"Category\", \"X\")] directly above the class, X one of {string.Join(", ", Known)}");
            }
            else if (!Known.Contains(categories[0]))
            {
                problems.Add($"{type.FullName}: unknown category \"{categories[0]}\"; use one of {string.Join(", ", Known)}");
            }
            foreach (var method in TestMethods(type).Where(m => CategoriesOf(m.GetCustomAttributesData()).Count > 0))
            {
                problems.Add($"{type.FullName}.{method.Name}: a category on a method adds to its class's; move the test to a class of that category");
            }
        }
        return problems;
    }

    private static bool HasTests(Type type) => TestMethods(type).Any();

    private static IEnumerable<MethodInfo> TestMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.GetCustomAttributesData().Any(a => IsOrDerivesFrom(a.AttributeType, Fact)));

    private static List<string> CategoriesOf(IEnumerable<CustomAttributeData> attributes) =>
        attributes.Where(a => a.AttributeType.FullName == Trait && a.ConstructorArguments.Count == 2
                              && a.ConstructorArguments[0].Value is "Category")
            .Select(a => a.ConstructorArguments[1].Value as string ?? "")
            .ToList();

    private static bool IsOrDerivesFrom(Type? type, string fullName)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.FullName == fullName)
            {
                return true;
            }
        }
        return false;
    }
}
