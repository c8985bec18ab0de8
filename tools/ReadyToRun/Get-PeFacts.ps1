# Shared by build.ps1 (which installs ReadyToRun copies) and tests/Pester/Manifest.Tests.ps1 (which checks them).

# Whether an assembly carries ReadyToRun code, and its module version id: a compiled copy is taken only if it has the
# same id as the file it replaces, i.e. was compiled from that very file.
function Get-PeFacts([string] $Path) {
    # The reader maps the file: disposed, or the file could not be overwritten after it was read.
    $reader = [Reflection.PortableExecutable.PEReader]::new([IO.File]::OpenRead($Path))
    try {
        $metadata = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($reader)
        [pscustomobject]@{
            ReadyToRun = $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
            Mvid       = $metadata.GetGuid($metadata.GetModuleDefinition().Mvid)
        }
    }
    finally { $reader.Dispose() }
}
