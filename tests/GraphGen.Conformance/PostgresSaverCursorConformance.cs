using GraphGen.Postgres;

namespace GraphGen.Conformance;

/// <summary>
/// The conformance suite against <see cref="PostgresSaver"/> with every listing read through its cursor, the path
/// listings of more than 500 rows take (the suite's own listings are shorter, so the other class covers the one
/// statement they read by default).
/// </summary>
public sealed class PostgresSaverCursorConformance : PostgresSaverConformance
{
    /// <inheritdoc/>
    protected override PostgresSaverOptions Options { get; } = new() { ListOneStatementRows = 0 };
}
