# Shared by the tests that need a fresh PowerShell process (Package, Isolation). Dot-source it.
# Under `dotnet pwsh` the process is dotnet itself: start children the same way, so no pwsh is needed on PATH.
function Start-ChildPwsh {
    param([string[]] $Arguments, [hashtable] $Environment = @{}, [int] $TimeoutSec = 180)
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension($psi.FileName) -eq 'dotnet') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($argument in $Arguments) { $psi.ArgumentList.Add($argument) }
    foreach ($key in $Environment.Keys) { $psi.Environment[$key] = $Environment[$key] }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($psi)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSec * 1000)) {
        $process.Kill($true)
        throw "The child pwsh did not finish within $TimeoutSec s."
    }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Errors = $stderr.Result }
}

# Where NuGet put the packages of tests/Pester/Pester.Download.proj (restoring it when asked for one that is missing).
function Get-DownloadedPackage {
    param([string] $Id, [string] $Version)
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $folder = Join-Path $packages "$($Id.ToLowerInvariant())/$Version"
    if (-not (Test-Path $folder)) {
        & dotnet restore (Join-Path $PSScriptRoot 'Pester.Download.proj') --verbosity quiet | Out-Null
    }
    $folder
}
