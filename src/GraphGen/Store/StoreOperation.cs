namespace GraphGen.Store;

/// <summary>
/// One operation of <see cref="IStore.BatchAsync"/>: <see cref="GetOperation"/>, <see cref="PutOperation"/>
/// (a delete when its value is <see langword="null"/>), <see cref="SearchOperation"/> or
/// <see cref="ListNamespacesOperation"/>. The set is closed so every store can run every operation.
/// </summary>
public abstract record StoreOperation
{
    private protected StoreOperation() { }
}
