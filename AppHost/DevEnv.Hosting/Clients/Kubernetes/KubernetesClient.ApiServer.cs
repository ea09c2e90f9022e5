using System.Diagnostics;
using System.Globalization;
using k8s;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <content>Waiting for the API server itself, before anything is asked of it.</content>
public sealed partial class KubernetesClient
{
    // One try never waits longer than this: a port that accepts but does not answer (TLS still starting) must not
    // use up the whole wait in one call (KubernetesClient's own HTTP timeout is 100 s).
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The first pause between tries; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between tries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<string> WaitForApiServerAsync(TimeSpan timeout, Action<ApiServerAttempt>? onAttempt, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        var delay = FirstRetryDelay;
        var attempt = 0;
        var lastError = "no try finished";
        try
        {
            while (true)
            {
                attempt++;
                using var once = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                once.CancelAfter(AttemptTimeout);
                try
                {
                    // GET /version: the cheapest call every API server answers once it serves at all.
                    var version = await CallAsync("read its version", api => api.Version.GetCodeAsync(once.Token)).ConfigureAwait(false);
                    return version.GitVersion ?? "";
                }
                catch (KubernetesApiException ex)
                {
                    lastError = ex.Message;
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    lastError = $"no answer within {AttemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
                }

                onAttempt?.Invoke(new ApiServerAttempt(attempt, clock.Elapsed, timeout, lastError));
                await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException(
                $"The Kubernetes API server did not answer within {Seconds(timeout).ToString(CultureInfo.InvariantCulture)} s ({attempt} tries); the last: {lastError}");
        }
    }
}
