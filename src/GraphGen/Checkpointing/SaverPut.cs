namespace GraphGen.Checkpointing;

/// <summary>One call of a <see cref="ICheckpointSaver.PutBatchAsync"/> batch: a checkpoint or a task's writes.</summary>
public abstract record SaverPut(CheckpointConfig Config)
{
    /// <summary>Makes this put on its own, through <see cref="ICheckpointSaver.PutAsync"/> or <see cref="ICheckpointSaver.PutWritesAsync"/>.</summary>
    public abstract ValueTask ApplyAsync(ICheckpointSaver saver, CancellationToken ct = default);

    /// <summary>Checks the arguments as the single call would (<see cref="SaverArguments"/>).</summary>
    public abstract void Validate();

    /// <summary>
    /// <see cref="ICheckpointSaver.PutBatchAsync"/> for a saver that stores a batch in one transaction: checks the puts,
    /// stores them all with <paramref name="storeTogether"/>, and when one is refused (a conflict or a bad argument, so
    /// the transaction stored nothing) makes them one at a time, which stores those before the refused one and throws
    /// its error.
    /// </summary>
    public static async ValueTask StoreTogetherAsync(
        ICheckpointSaver saver, IReadOnlyList<SaverPut> puts, Func<IReadOnlyList<SaverPut>, CancellationToken, ValueTask> storeTogether, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(saver);
        ArgumentNullException.ThrowIfNull(storeTogether);
        RequireBatch(puts);
        try
        {
            foreach (var put in puts)
            {
                put.Validate();
            }
            await storeTogether(puts, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CheckpointConflictException or ArgumentException)
        {
            foreach (var put in puts)
            {
                await put.ApplyAsync(saver, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Checks that a batch is a list without null entries (the puts' own arguments are checked in order).</summary>
    public static void RequireBatch(IReadOnlyList<SaverPut> puts)
    {
        ArgumentNullException.ThrowIfNull(puts);
        for (var i = 0; i < puts.Count; i++)
        {
            if (puts[i] is null)
            {
                throw new ArgumentException($"The batch has no put at index {i}: it is null.", nameof(puts));
            }
        }
    }
}

/// <summary>The arguments of <see cref="ICheckpointSaver.PutAsync"/>.</summary>
public sealed record CheckpointPut(CheckpointConfig Config, Checkpoint Checkpoint, CheckpointMetadata Metadata, IReadOnlyDictionary<string, string> NewVersions)
    : SaverPut(Config)
{
    /// <inheritdoc/>
    public override async ValueTask ApplyAsync(ICheckpointSaver saver, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(saver);
        await saver.PutAsync(Config, Checkpoint, Metadata, NewVersions, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override void Validate() => SaverArguments.ValidatePut(Config, Checkpoint, Metadata, NewVersions);
}

/// <summary>The arguments of <see cref="ICheckpointSaver.PutWritesAsync"/>.</summary>
public sealed record WritesPut(CheckpointConfig Config, IReadOnlyList<ChannelWrite> Writes, string TaskId, string TaskPath = "")
    : SaverPut(Config)
{
    /// <inheritdoc/>
    public override ValueTask ApplyAsync(ICheckpointSaver saver, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(saver);
        return saver.PutWritesAsync(Config, Writes, TaskId, TaskPath, ct);
    }

    /// <inheritdoc/>
    public override void Validate() => SaverArguments.ValidatePutWrites(Config, Writes, TaskId, TaskPath);
}
