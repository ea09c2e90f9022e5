using System.Globalization;
using System.Text.Json.Nodes;

namespace DevEnv.Hosting.Traffic;

/// <summary>The outcome of <see cref="RolloutVerifier.VerifyAsync"/>: the whole run and its phases.</summary>
public sealed record RolloutVerification
{
    /// <summary>Every request of the run.</summary>
    public required LoadReport Overall { get; init; }

    /// <summary>Requests scheduled before the rollout started (the baseline).</summary>
    public required LoadReport SteadyState { get; init; }

    /// <summary>Requests scheduled from the start of the rollout until the action returned.</summary>
    public required LoadReport Rollout { get; init; }

    /// <summary>Requests scheduled after the rollout action returned.</summary>
    public required LoadReport Settle { get; init; }

    /// <summary>When the rollout action started, from the first scheduled request.</summary>
    public required TimeSpan RolloutStarted { get; init; }

    /// <summary>When the rollout action returned (or failed), from the first scheduled request.</summary>
    public required TimeSpan RolloutEnded { get; init; }

    /// <summary>When the load stopped scheduling requests, from the first scheduled request.</summary>
    public required TimeSpan LoadEnded { get; init; }

    /// <summary>The rollout action's exception, or null when it succeeded.</summary>
    public Exception? RolloutError { get; init; }

    /// <summary>
    /// Why the verification did not pass, one sentence each: the rollout failed, a request failed, a phase had no
    /// request (nothing was measured there), or the rollout ended outside the load. Empty when it passed.
    /// </summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var problems = new List<string>();
            if (RolloutError is not null) problems.Add($"the rollout failed: {RolloutError.Message}");
            if (Overall.Failed > 0)
            {
                var kinds = string.Join(", ", Overall.Failures.Where(f => f.Value > 0).Select(f => $"{f.Key.ToString().ToLowerInvariant()} {f.Value}"));
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Overall.Failed} of {Overall.Requests} requests failed ({kinds})"));
            }
            if (SteadyState.Requests == 0) problems.Add("no request was scheduled before the rollout: there is no baseline");
            if (Rollout.Requests == 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"no request was scheduled during the rollout ({(RolloutEnded - RolloutStarted).TotalMilliseconds:F0} ms): raise the rate"));
            }
            if (Settle.Requests == 0) problems.Add("no request was scheduled after the rollout ended");
            if (RolloutEnded >= LoadEnded) problems.Add("the rollout ended after the load had stopped: its end was not measured");
            return problems;
        }
    }

    /// <summary>True when the rollout succeeded, no request failed, every phase had requests and the rollout ended inside the load.</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>
    /// JSON for the dashboard's chart: the phase boundaries in seconds, the error message, the problems, and each
    /// phase's report (figures, generator stats and per-second timeline; <see cref="LoadReport.ToJson"/> shape).
    /// </summary>
    public string ToJson()
    {
        var node = new JsonObject
        {
            ["passed"] = Passed,
            ["problems"] = new JsonArray(Problems.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["rolloutStartedSeconds"] = RolloutStarted.TotalSeconds,
            ["rolloutEndedSeconds"] = RolloutEnded.TotalSeconds,
            ["loadEndedSeconds"] = LoadEnded.TotalSeconds,
            ["rolloutError"] = RolloutError?.Message,
            ["overall"] = JsonNode.Parse(Overall.ToJson()),
            ["steadyState"] = JsonNode.Parse(SteadyState.ToJson()),
            ["rollout"] = JsonNode.Parse(Rollout.ToJson()),
            ["settle"] = JsonNode.Parse(Settle.ToJson()),
        };
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The table: steady state, rollout, settle and overall rows, failure kinds, the generator, the phase times and any problem.</summary>
    public string ToTable()
    {
        var table = ReportTable.Render([("steady state", SteadyState), ("during rollout", Rollout), ("after rollout", Settle), ("overall", Overall)], Overall);
        var times = string.Create(CultureInfo.InvariantCulture,
            $"rollout from {RolloutStarted.TotalSeconds:F1} s to {RolloutEnded.TotalSeconds:F1} s ({(RolloutEnded - RolloutStarted).TotalSeconds:F1} s); load until {LoadEnded.TotalSeconds:F1} s\n");
        return table + times + string.Concat(Problems.Select(p => $"not passed: {p}\n"));
    }
}
