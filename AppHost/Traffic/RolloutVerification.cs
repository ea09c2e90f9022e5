namespace DevEnv.AppHost.Traffic;

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

    /// <summary>When the rollout action started, from the start of the run.</summary>
    public required TimeSpan RolloutStarted { get; init; }

    /// <summary>When the rollout action returned (or failed), from the start of the run.</summary>
    public required TimeSpan RolloutEnded { get; init; }

    /// <summary>The rollout action's exception, or null when it succeeded.</summary>
    public Exception? RolloutError { get; init; }

    /// <summary>True when the rollout succeeded and no request failed.</summary>
    public bool Passed => RolloutError is null && Overall.Failed == 0;

    /// <summary>
    /// JSON for the dashboard's chart: the phase boundaries in seconds, the error message, and each phase's
    /// report (figures and per-second timeline; <see cref="LoadReport.ToJson"/> shape).
    /// </summary>
    public string ToJson()
    {
        var node = new System.Text.Json.Nodes.JsonObject
        {
            ["passed"] = Passed,
            ["rolloutStartedSeconds"] = RolloutStarted.TotalSeconds,
            ["rolloutEndedSeconds"] = RolloutEnded.TotalSeconds,
            ["rolloutError"] = RolloutError?.Message,
            ["overall"] = System.Text.Json.Nodes.JsonNode.Parse(Overall.ToJson()),
            ["steadyState"] = System.Text.Json.Nodes.JsonNode.Parse(SteadyState.ToJson()),
            ["rollout"] = System.Text.Json.Nodes.JsonNode.Parse(Rollout.ToJson()),
            ["settle"] = System.Text.Json.Nodes.JsonNode.Parse(Settle.ToJson()),
        };
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The table: steady state, rollout, settle and overall rows, then failure kinds.</summary>
    public string ToTable() => ReportTable.Render([("steady state", SteadyState), ("during rollout", Rollout), ("after rollout", Settle), ("overall", Overall)]);
}
