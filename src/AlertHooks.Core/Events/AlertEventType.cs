namespace AlertHooks
{
    /// <summary>The kinds of event an alert policy can fire on, as the platform names them.</summary>
    public enum AlertEventType
    {
        JobSuccess,
        JobFailure,
        JobLongRunning,
        AssetMaterializationSuccess,
        AssetMaterializationFailure,
        AssetCheckFailure,
        AssetHealth,
        AssetFreshness,
        TableSchemaChange,
        CodeLocationLoadFailure,
        ScheduleTickFailure,
        SensorTickFailure,
        AgentDowntime,
        InsightsThreshold,
    }
}
