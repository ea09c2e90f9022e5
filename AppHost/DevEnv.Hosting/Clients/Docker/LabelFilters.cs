namespace DevEnv.Hosting.Clients.Docker;

/// <summary>The <c>filters</c> of list calls that select by label ({"label":["k=v"]}).</summary>
public static class LabelFilters
{
    /// <summary>Docker.DotNet's form of the filter, for ListContainersAsync, ListNetworksAsync and the volume list.</summary>
    public static IDictionary<string, IDictionary<string, bool>> Matching(string label) =>
        new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } };
}
