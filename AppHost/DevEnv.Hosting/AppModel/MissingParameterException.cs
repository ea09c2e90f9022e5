namespace DevEnv.Hosting.AppModel;

/// <summary>A parameter of the app model has no value: one line naming it and the ways to set it.</summary>
/// <param name="parameter">The parameter's name.</param>
/// <param name="resource">The resource whose environment or arguments need it.</param>
public sealed class MissingParameterException(string parameter, string resource)
    : InvalidOperationException($"Parameter '{parameter}' (used by {resource}) has no value: set Parameters__{parameter.Replace('-', '_')}=<value> in the environment, " +
        $"pass --Parameters:{parameter}=<value>, or run `dotnet user-secrets set Parameters:{parameter} <value>` in the AppHost's folder.")
{
    /// <summary>The parameter's name.</summary>
    public string Parameter { get; } = parameter;
}
